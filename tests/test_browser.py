"""Click through the web UI in Debian's Chromium (Playwright), against the real waitress server."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_fixtures import XSS_ID, XSS_TITLE, build_index

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]  # fmt: skip

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"Chromium is not at {CHROMIUM} (apt-get install chromium): browser tests skipped",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under waitress on a free port, as ``pressearch serve`` runs it."""
    from web import create_app
    from web.server import create_server

    index = build_index(tmp_path_factory.mktemp("browserindex"))
    app = create_app({"INDEX_DIR": str(index)})
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Exception as exc:  # a Chromium that cannot start here is a skip, not a failure
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []  # console errors (CSP violations show there) and any JavaScript dialog
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def count(page) -> int:
    text = page.locator(".summary strong").first.inner_text()
    return int(text.replace(",", ""))


def test_search_facets_sort_page_article_official(page, server):
    page.goto(server + "/")
    page.get_by_label("Search press releases").fill("harbour")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=harbour"))
    assert page.get_by_label("Search press releases").input_value() == "harbour"
    everything = count(page)
    assert everything > 10
    assert page.locator(".snippet mark").count() > 0  # the snippet highlights

    # Page 2, then back to a first page through a filter.
    page.get_by_role("link", name="Next ›").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator('.pager a[aria-current="page"]').inner_text() == "2"

    # Two regions (OR), then a year (AND): the counts change each time.
    facet = page.locator("#facet-region")
    facet.get_by_role("link", name=re.compile(r"^California")).click()
    page.wait_for_url(re.compile(r"region=California"))
    in_california = count(page)
    assert 0 < in_california < everything and "page=2" not in page.url
    page.locator("#facet-region").get_by_role("link", name=re.compile(r"^Shanghai")).click()
    page.wait_for_url(re.compile(r"region=Shanghai"))
    both = count(page)
    assert both > in_california
    assert page.locator("#facet-region li.selected").count() == 2
    bar = page.locator("svg.years a", has=page.locator("title", has_text="2022"))
    bar.click()
    page.wait_for_url(re.compile(r"year=2022"))
    narrowed = count(page)
    assert 0 < narrowed < both
    chips = page.get_by_role("list", name="Active filters")
    assert chips.get_by_role("link", name="Remove Year 2022").is_visible()

    # Sort oldest: dates ascend.
    page.get_by_role("navigation", name="Sort").get_by_role("link", name="Oldest").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    dates = page.locator(".hits time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates)
    page.get_by_role("list", name="Active filters").get_by_role(
        "link", name="Remove Year 2022"
    ).click()
    page.wait_for_url(lambda url: "year=" not in url)
    assert count(page) == both

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "results.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    # Open an article, then follow an official link.
    first = page.locator(".hits h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".similar").is_visible()
    official = page.locator(".entities a.official").first
    name = official.inner_text()
    official.click()
    page.wait_for_url(re.compile(r"/official/"))
    assert name in page.locator("h1").inner_text()
    assert page.locator("svg.years a").count() >= 1
    assert page.problems == []


def test_keyboard_and_phone_width(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(server + "/search?q=harbour")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 376, "the page scrolls sideways on a phone"
        # The facets follow the results on a narrow screen.
        results = page.locator("main").bounding_box()
        facets = page.locator("aside.facets").bounding_box()
        assert facets["y"] > results["y"]
        # Keyboard: the first Tab reaches the skip link, which leads to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "q"
        page.keyboard.press("End")  # focusing a text box by Tab selects its text
        page.keyboard.type(" ferry")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=harbour\+ferry"))
        assert page.locator(".hits h3 a").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "results-phone.png"), full_page=True)
    finally:
        context.close()


def test_xss_release_is_text_in_the_browser(page, server):
    page.goto(f"{server}/doc/{XSS_ID}")
    assert page.locator("h1").inner_text() == XSS_TITLE
    assert page.locator("img").count() == 0
    page.goto(server + "/search?q=notice")
    assert page.locator(".hits h3 a").inner_text() == XSS_TITLE
    page.goto(server + "/search")
    page.locator("#facet-region").get_by_role("link", name=re.compile(r"^<b>Evil")).click()
    assert page.locator(".hits h3 a").inner_text() == XSS_TITLE
    assert page.locator("b").count() == 0
    assert page.problems == []  # no alert() ran, nothing was blocked by the CSP
