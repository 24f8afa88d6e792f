"""The web app through ``app.test_client()``: every route, facets, paging, exports, bad input."""

from __future__ import annotations

import csv
import gc
import html
import io
import json
import re
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from web_fixtures import (
    EXTRA_REGIONS,
    XSS_ID,
    XSS_IMG,
    XSS_OFFICE,
    XSS_OFFICIAL,
    XSS_REGION,
    XSS_SCRIPT,
    XSS_SOURCE,
    XSS_TITLE,
    articles,
    build_index,
    parse_html,
)

from search.cli import main as cli
from web import SECURITY_HEADERS, create_app

ATOM = "{http://www.w3.org/2005/Atom}"
N_DOCS = len(articles())


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("webindex"))


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def links(body: str) -> list[str]:
    """Every href on a page, as a browser decodes it."""
    return [attrs["href"] for tag, attrs in parse_html(body).tags if attrs.get("href")]


def link_to(body: str, pattern: str) -> str:
    """The first href matching ``pattern`` (a regex)."""
    found = [h for h in links(body) if re.search(pattern, h)]
    assert found, f"no link matching {pattern!r}"
    return found[0]


def facet_link(body: str, value: str) -> str:
    """The toggle link of facet value ``value`` in the sidebar."""
    m = re.search(
        r'<li[^>]*><a href="([^"]+)"[^>]*><span class="value">'
        + re.escape(html.escape(value))
        + "</span>",
        body,
    )
    assert m, f"no facet link for {value}"
    return m.group(1).replace("&amp;", "&")


def total_of(body: str) -> int:
    m = re.search(r"<strong>([\d,]+)</strong> releases?", body)
    assert m, "no result count"
    return int(m.group(1).replace(",", ""))


def hit_ids(body: str) -> list[str]:
    return re.findall(r'<h3><a href="/doc/([^"]+)">', body)


def api(client, qs: str = "") -> dict:
    response = client.get("/api/search" + (f"?{qs}" if qs else ""))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- the search page ---------------------------------------------------------------------------


def test_home_lists_everything_newest_first_with_landmarks(client):
    body = html_of(client, "/")
    assert total_of(body) == N_DOCS
    dates = re.findall(r'<time datetime="([\d-]+)">', body)
    assert dates == sorted(dates, reverse=True) and dates
    assert '<header class="site" role="banner">' in body
    assert '<main id="main"' in body and '<aside class="facets"' in body
    assert 'role="search"' in body and '<label for="q"' in body and 'id="q"' in body
    assert '<footer class="site" role="contentinfo">' in body
    assert 'lang="en"' in body and 'name="viewport"' in body
    assert "<script" not in body  # the site runs no scripts at all
    assert "autofocus" in body  # the empty home page puts the cursor in the box


def test_search_keeps_query_and_shows_results(client):
    body = html_of(client, "/search?q=ferry+terminal")
    assert 'value="ferry terminal"' in body
    assert total_of(body) == 1
    assert re.search(r'class="took">\(\d+ ms\)', body)
    assert hit_ids(body) == ["kr/mokpo-1"]
    assert '<time datetime="2021-03-04">' in body
    assert "Jeollanam-do Provincial Government" in body
    assert 'href="/region/South%20Jeolla%20Province"' in body
    assert 'href="/official/Kim%20Young-rok"' in body
    assert re.search(r'class="snippet">.*<mark>ferry</mark>', body)
    assert "autofocus" not in body


def test_sort_links_and_order(client):
    body = html_of(client, "/search?q=harbour")
    for key in ("relevance", "newest", "oldest"):
        assert f"sort={key}" in body
    newest = re.findall(
        r'<time datetime="([\d-]+)">', html_of(client, "/search?q=harbour&sort=newest")
    )
    oldest = re.findall(
        r'<time datetime="([\d-]+)">', html_of(client, "/search?q=harbour&sort=oldest")
    )
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert newest[0] > oldest[0]
    sorted_body = html_of(client, "/search?q=harbour&sort=oldest")
    assert re.search(r'sort=oldest"\s+aria-current="true"', sorted_body)
    # With no words there is nothing to rank: no relevance link.
    assert "sort=relevance" not in html_of(client, "/search")


def test_paging(client):
    first = html_of(client, "/search?q=harbour&per_page=5")
    total = total_of(first)
    assert total > 10
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second_url = link_to(first, r"&page=2")
    second = html_of(client, second_url)
    assert 'rel="prev"' in second
    assert set(hit_ids(first)).isdisjoint(hit_ids(second))
    assert len(hit_ids(first)) == 5
    assert 'aria-current="page"' in second and '<ol class="hits" start="6">' in second
    # Every page together lists every hit exactly once.
    seen = []
    for page in range(1, -(-total // 5) + 1):
        seen += hit_ids(html_of(client, f"/search?q=harbour&per_page=5&page={page}"))
    assert len(seen) == len(set(seen)) == total
    # A page past the end is a normal page that points back to the first.
    past = html_of(client, "/search?q=harbour&page=50")
    assert "no results on page 50" in past and hit_ids(past) == []


def test_facet_toggle_narrows_and_counts_change(client):
    body = html_of(client, "/search?q=harbour")
    total = total_of(body)
    california = facet_link(body, "California")
    narrowed = html_of(client, "/search?" + california.split("?", 1)[-1])
    in_california = total_of(narrowed)
    assert 0 < in_california < total
    # Selected: marked, listed as an active filter, removable.
    assert re.search(r'class="selected"><a href="[^"]+" aria-current="true"', narrowed)
    assert 'aria-label="Remove Region California"' in narrowed
    removed = html_of(client, facet_link(narrowed, "California"))
    assert total_of(removed) == total
    # Years counted within California now.
    data = api(client, "q=harbour&region=California")
    assert sum(v["count"] for v in data["facets"]["year"]) <= in_california


def test_facets_or_within_and_across(client):
    one = api(client, "region=Shanghai")["total"]
    two = api(client, "region=Shanghai&region=Mokpo")["total"]
    union = {h["id"] for h in api(client, "region=Shanghai&per_page=100")["hits"]} | {
        h["id"] for h in api(client, "region=Mokpo&per_page=100")["hits"]
    }
    assert two == len(union) > one
    both = api(client, "region=Shanghai&region=Mokpo&year=2020&per_page=100")
    assert {h["id"] for h in both["hits"]} == {"us/trade-1"}
    # Each facet's counts ignore its own selection: other regions stay listed with counts.
    regions = {v["value"]: v for v in both["facets"]["region"]}
    assert regions["Shanghai"]["selected"] and regions["Mokpo"]["selected"]


def test_two_regions_and_a_year_through_links(client):
    body = html_of(client, "/search")
    body = html_of(client, facet_link(body, "Shanghai"))
    assert total_of(body) == 2
    body = html_of(client, facet_link(body, "California"))
    assert total_of(body) == 5
    year_2022 = link_to(body, r"year=2022")
    body = html_of(client, year_2022)
    assert hit_ids(body) == ["cn/port-1"]
    assert 'aria-label="Remove Year 2022"' in body


def test_long_facets_have_more(client):
    body = html_of(client, "/search")
    more = link_to(body, r"more=region")
    # The page asks only for the values it shows; the count of the others is still exact.
    api = client.get("/api/search").get_json()
    found = re.search(r"More region values \((\d+)\)", body)
    assert found and int(found.group(1)) == len(api["facets"]["region"]) - 8
    expanded = html_of(client, more)
    for name in EXTRA_REGIONS:
        assert f'<span class="value">{name}</span>' in expanded
    assert "Fewer" in expanded
    shown = re.findall(r'<span class="value">Testshire', body)
    assert len(shown) < len(EXTRA_REGIONS)


def test_year_chart_bars_are_filter_links(client):
    body = html_of(client, "/search?q=harbour")
    svg = re.search(r"<svg[^>]*class=\"years\".*?</svg>", body, re.S)
    assert svg, "no year chart"
    bars = re.findall(r'<a href="([^"]+)" aria-label="(\d{4}): (\d+) releases?', svg.group(0))
    years = [int(y) for _, y, _ in bars]
    assert years == sorted(years) and len(years) >= 3
    href, year, count = bars[0]
    filtered = html_of(client, href.replace("&amp;", "&"))
    assert total_of(filtered) == int(count)
    assert f'aria-label="Remove year {year}"' in filtered
    assert "style=" not in svg.group(0)  # the CSP forbids inline styles


def test_date_range(client):
    body = html_of(client, "/search?q=harbour&from=2021-01-01&to=2021-12-31")
    assert set(hit_ids(body)) == {"kr/mokpo-1", "us/water-1"}
    assert 'value="2021-01-01"' in body and 'value="2021-12-31"' in body
    assert 'aria-label="Remove date range"' in body
    assert total_of(html_of(client, "/search?from=2022-01-01")) == 2
    # The date form keeps the other filters.
    form = re.search(
        r'<form class="dates".*?</form>', html_of(client, "/search?q=x&region=Shanghai"), re.S
    )
    assert 'name="region" value="Shanghai"' in form.group(0)
    assert 'name="q" value="x"' in form.group(0)


def test_did_you_mean(built_index):
    app = create_app({"INDEX_DIR": str(built_index.index)})
    body = html_of(app.test_client(), "/search?q=Shangai")
    assert "Did you mean" in body
    href = link_to(body, r"q=Shanghai")
    fixed = html_of(app.test_client(), href)
    assert total_of(fixed) >= 1 and "Did you mean" not in fixed


def test_empty_state_is_helpful(client):
    body = html_of(client, "/search?q=zebra+quokka")
    assert total_of(body) == 0
    assert "No releases match" in body and "fewer or more general words" in body
    assert "Browse every release" in body
    filtered = html_of(client, "/search?q=ferry&region=Shanghai")
    assert "with these filters" in filtered
    without = link_to(filtered, r"^/search\?q=ferry$")
    assert total_of(html_of(client, without)) == 1


def test_result_pages_link_json_csv_and_feed(client):
    body = html_of(client, "/search?q=harbour&region=California")
    for path in ("/api/search?", "/export.csv?", "/feed.atom?"):
        href = link_to(body, "^" + re.escape(path))
        assert parse_qs(urlsplit(href).query)["region"] == ["California"]
        assert client.get(href).status_code == 200
    assert 'rel="alternate" type="application/atom+xml"' in body
    assert 'rel="search" type="application/opensearchdescription+xml"' in body


# --- article, official and region pages -------------------------------------------------------


def test_doc_page(client):
    body = html_of(client, "/doc/kr/mokpo-1")
    assert "<h1" in body and "Mokpo harbour opens ferry terminal" in body
    assert body.count("<p>The new ferry terminal") == 1 and "<p>Governor Kim Young-rok cut" in body
    assert "The ferry terminal at dawn." in body  # captions
    assert 'href="/official/Kim%20Young-rok"' in body
    assert 'href="/region/South%20Jeolla%20Province"' in body
    assert 'href="https://example.org/mokpo-1"' in body
    similar = re.search(r'<section class="similar".*?</section>', body, re.S).group(0)
    similar_ids = re.findall(r'href="/doc/([^"]+)"', similar)
    assert 0 < len(similar_ids) <= 5 and "kr/mokpo-1" not in similar_ids
    assert 'href="/api/doc/kr/mokpo-1"' in body


def test_doc_page_does_not_link_javascript_urls(client):
    body = html_of(client, "/doc/cn/port-1")
    assert "javascript:alert(1)" in body  # shown as text
    assert 'href="javascript' not in body


@pytest.mark.parametrize(
    "path",
    ["/doc/nope", "/doc/../../etc/passwd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc//etc/passwd",
     "/doc/kr/mokpo-1/../../../../etc/hostname", "/api/doc/..%2F..%2Fetc%2Fpasswd",
     "/doc/" + "a" * 3000],
)  # fmt: skip
def test_doc_cannot_read_files(client, path):
    response = client.get(path, follow_redirects=True)  # "//" is merged by a redirect
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "root:" not in text and "Traceback" not in text


def test_official_page(client):
    body = html_of(client, "/official/Kim%20Young-rok")
    assert "Kim Young-rok" in body and total_of(body) == 3
    dates = re.findall(r'<time datetime="([\d-]+)">', body)
    assert dates == sorted(dates, reverse=True)
    assert "<svg" in body and 'class="years"' in body
    companions = re.search(r'id="with-official".*?</ul>', body, re.S).group(0)
    assert "Gavin Newsom" in companions and "Kim Young-rok" not in companions
    regions = re.search(r'id="with-region".*?</ul>', body, re.S).group(0)
    assert 'href="/region/South%20Jeolla%20Province"' in regions
    # The year bars filter a search for that official.
    bar = link_to(body, r"year=2021")
    assert parse_qs(urlsplit(bar).query) == {"official": ["Kim Young-rok"], "year": ["2021"]}
    assert hit_ids(html_of(client, bar)) == ["kr/mokpo-1"]
    html_of(client, "/official/Nobody%20Atall", 404)


def offices_of(body: str) -> list[tuple[str, int, str]]:
    """The official page's offices: (office, releases, years) as a browser shows them."""
    section = re.search(r'<section class="facet offices".*?</section>', body, re.S).group(0)
    rows = re.findall(r"<li>(.*?)</li>", section, re.S)
    out = []
    for row in rows:
        text = [t.strip() for t in parse_html(row).text if t.strip()]
        out.append((text[0], int(text[1]), text[2] if len(text) > 2 else ""))
    return out


def test_official_page_lists_offices_with_counts_and_years(client):
    body = html_of(client, "/official/Kim%20Young-rok")
    # Two releases give the office and place (one names him twice), one the title alone.
    assert offices_of(body) == [
        ("Governor, South Jeolla Province", 2, "2021–2022"),
        ("Governor", 1, "2020"),
    ]
    assert "From the newest" not in body  # every release was read
    # The page's filters apply: only 2021 leaves one office.
    assert offices_of(html_of(client, "/official/Kim%20Young-rok?year=2021")) == [
        ("Governor, South Jeolla Province", 1, "2021")
    ]


def test_official_page_offices_are_bounded(client, monkeypatch):
    import web.views

    monkeypatch.setattr(web.views, "OFFICE_RELEASES", 5)
    body = html_of(client, "/official/Pat%20Harbourmaster")
    assert total_of(body) == 12
    [(office, count, _years)] = offices_of(body)
    assert office == "Governor" and count == 5
    assert "From the newest 5 of 12 releases." in body
    assert "Offices" not in html_of(client, "/region/California")  # officials only


def test_official_page_escapes_a_hostile_office(client, app):
    with app.test_request_context():
        from flask import url_for

        url = url_for("pages.official", name=XSS_OFFICIAL)
    body = html_of(client, url)
    assert_inert(body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Minister, &lt;b&gt;Evil Region&lt;/b&gt;" in body
    assert offices_of(body) == [(f"{XSS_OFFICE}, {XSS_REGION}", 1, "2019")]


def test_region_page_and_alias(client):
    body = html_of(client, "/region/California")
    assert total_of(body) == 4
    officials = re.search(r'id="with-official".*?</ul>', body, re.S).group(0)
    assert "Gavin Newsom" in officials
    others = re.search(r'id="with-region".*?</ul>', body, re.S).group(0)
    assert "Shanghai" in others and ">California<" not in others
    # An ISO code resolves to the canonical name (the gazetteer knows KR-46).
    alias = html_of(client, "/region/KR-46")
    assert "South Jeolla Province" in alias and total_of(alias) == 3
    paged = html_of(client, "/region/Testshire%2001?per_page=1")
    assert total_of(paged) == 1
    html_of(client, "/region/Atlantis", 404)


def test_region_page_paging(client):
    body = html_of(client, "/region/California?per_page=2")
    nxt = link_to(body, r"^/region/California\?.*&page=2")
    second = html_of(client, nxt)
    assert set(hit_ids(second)).isdisjoint(hit_ids(body)) and hit_ids(second)


# --- JSON -------------------------------------------------------------------------------------


def test_api_search_matches_cli_json(client, index_dir):
    qs = "q=harbour&region=California&year=2021&sort=newest&per_page=3"
    web = api(client, qs)
    result = CliRunner().invoke(
        cli,
        ["search", "harbour", "--index", str(index_dir), "--region", "California", "--year",
         "2021", "--sort", "newest", "--per-page", "3", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cli_json = json.loads(result.output)
    web.pop("took_ms"), cli_json.pop("took_ms")
    assert web == cli_json
    keys = ["query", "total", "page", "per_page", "hits", "facets", "suggestion"]
    assert list(web)[:7] == keys and set(web) - set(keys) <= {"partial"}


def test_api_doc(client):
    response = client.get("/api/doc/kr/mokpo-1")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["id"] == "kr/mokpo-1" and data["officials"][0]["name"] == "Kim Young-rok"
    missing = client.get("/api/doc/nope")
    assert missing.status_code == 404 and missing.get_json()["status"] == 404


# --- exports ------------------------------------------------------------------------------------


def test_export_csv_streams_every_hit(client):
    response = client.get("/export.csv?q=harbour")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    total = api(client, "q=harbour")["total"]
    assert total > 10 and len(rows) == total  # every hit, not the first page
    assert len({r["id"] for r in rows}) == total
    row = next(r for r in rows if r["id"] == "us/trade-1")
    assert row["regions"] == "Shanghai; South Jeolla Province; California"
    assert row["page"].endswith("/doc/us/trade-1")
    filtered = client.get("/export.csv?region=Shanghai").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(filtered)))) == 2


def test_feed_atom(client):
    response = client.get("/feed.atom?q=harbour&page=2&sort=oldest")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    total = api(client, "q=harbour")["total"]
    assert len(entries) == min(total, 50)  # page and sort are ignored: the newest, always
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    dated = [
        u for e, u in zip(entries, updated, strict=True) if e.find(f"{ATOM}published") is not None
    ]
    assert dated == sorted(dated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == dated[0]
    first = entries[0]
    assert first.findtext(f"{ATOM}id").startswith("http://localhost/doc/")
    assert "<mark>" in first.findtext(f"{ATOM}summary")
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert "q=harbour" in self_link


def test_opensearch(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{ns}Url")}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    assert "application/json" in templates


# --- health, index swaps, no index -------------------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok" and data["documents"] == N_DOCS
    assert 0 <= data["index_age_seconds"] < 3600
    assert data["generation"].startswith("gen-")


def test_swapped_in_index_is_noticed_without_restart(tmp_path):
    from web_fixtures import _article

    from search.backends import open_backend

    root = build_index(tmp_path / "index")
    app = create_app({"INDEX_DIR": str(root)})
    client = app.test_client()
    before = client.get("/healthz").get_json()
    assert total_of(html_of(client, "/search?q=lighthouse")) == 0
    time.sleep(0.01)  # a distinct pointer mtime even on coarse clocks
    writer = open_backend(root)
    txn = writer.begin(full=False)
    txn.add(writer.preparer()(_article("new/1", "Lighthouse reopens", "The lighthouse reopens.",
                                       "2024-02-02", ["Mokpo"], [], "Port")))  # fmt: skip
    txn.commit({"version": 1, "files": {}})
    assert hit_ids(html_of(client, "/search?q=lighthouse")) == ["new/1"]
    after = client.get("/healthz").get_json()
    assert after["documents"] == before["documents"] + 1
    assert after["generation"] != before["generation"]


def test_no_index_is_503_not_500(tmp_path):
    app = create_app({"INDEX_DIR": str(tmp_path / "empty")})
    client = app.test_client()
    for url in ("/", "/search?q=x", "/doc/x", "/region/x", "/export.csv", "/feed.atom"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "pressearch reindex" in response.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["documents"] == 0
    assert client.get("/api/search").get_json()["status"] == 503


# Whoosh leaves the unreadable table-of-contents file open when it gives up on it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_unreadable_index_is_a_plain_500_and_an_unhealthy_healthz(tmp_path):
    gen = tmp_path / "index" / "gen-000001"
    gen.mkdir(parents=True)
    (gen.parent / "CURRENT").write_text("gen-000001\n")
    (gen / "_MAIN_1.toc").write_bytes(b"\x07 not a whoosh table of contents" * 10)
    app = create_app({"INDEX_DIR": str(gen.parent)})
    # Logged tracebacks would keep Whoosh's leaked file object alive past this test.
    app.logger.disabled = True
    client = app.test_client()
    page = client.get("/search?q=x")
    assert page.status_code == 500
    body = page.get_data(as_text=True)
    assert "Something went wrong" in body and "Traceback" not in body and "whoosh" not in body
    assert client.get("/api/search").get_json()["status"] == 500
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "error"
    del app, client, page, health
    gc.collect()  # close what Whoosh left open while this test's warning filters apply


# --- bad parameters ---------------------------------------------------------------------------

BAD = [
    ("page=0", 400),
    ("page=-1", 400),
    ("page=1000000000", 400),
    ("page=abc", 400),
    ("page=1e3", 400),
    ("per_page=100000", 400),
    ("per_page=0", 400),
    ("from=2021-13-45", 400),
    ("to=yesterday", 400),
    ("from=20210101", 400),
    ("year=abc", 400),
    ("year=99999", 400),
    ("year=%D9%A3", 400),  # an Arabic-Indic digit: isdigit() but not a year
    ("sort=random", 400),
    ("q=" + "a" * 5000, 400),
    ("q=" + "word+" * 1000, 400),
    ("region=x" + "&region=y" * 100, 400),
    ("q=%FF%FE%80", 200),  # invalid UTF-8 decodes to replacement characters
    ("region=%C3%28&official=%80", 200),
    ("colour=red", 200),  # unknown parameter (and unknown facet) ignored
    ("more=colour", 200),
    ("facet=colour&region=", 200),
    ("q=%00%01", 200),
    ('q="unbalanced+(quote+AND', 200),
    ("q=*", 200),
    ("q=region:", 200),
    ("q=year:abc", 200),
    ("from=2022-01-01&to=2021-01-01", 200),  # an empty range is just empty
    ("page=1000", 200),  # the last page the backend serves; nothing on it
]


ENDPOINTS = ["/search", "/api/search", "/export.csv", "/feed.atom", "/region/California",
             "/official/Gavin%20Newsom"]  # fmt: skip


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("qs", "status"), BAD, ids=[b[0][:30] for b in BAD])
def test_bad_parameters_are_400_or_a_normal_page(client, endpoint, qs, status):
    response = client.get(f"{endpoint}?{qs}")
    body = response.get_data(as_text=True)
    # A region page sets its own region: region parameters in the URL are replaced.
    expected = 200 if endpoint.startswith("/region/") and qs.startswith("region=") else status
    assert response.status_code == expected, (endpoint, qs, response.status_code)
    assert "Traceback" not in body
    if response.status_code == 400:
        if endpoint.startswith("/api/"):
            assert response.get_json()["status"] == 400
        else:
            assert "Bad Request" in body and '<form class="searchbox"' in body


@pytest.mark.parametrize(
    "path",
    ["/doc/%FF%FE", "/official/%FF", "/region/%C3%28", "/api/doc/%80", "/search/%FF",
     "/official/", "/region/%20"],
)  # fmt: skip
def test_invalid_utf8_and_odd_paths(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


def test_error_messages_name_the_parameter(client):
    body = html_of(client, "/search?page=0", 400)
    assert "page: must be between 1 and 1000" in body
    assert client.get("/api/search?from=nope").get_json()["message"].startswith("from:")


def test_security_headers_everywhere(client):
    for url in ("/", "/search?q=x", "/doc/kr/mokpo-1", "/api/search", "/export.csv",
                "/feed.atom", "/opensearch.xml", "/healthz", "/doc/nope", "/search?page=0",
                "/static/style.css"):  # fmt: skip
        with client.get(url) as response:
            for name, value in SECURITY_HEADERS.items():
                assert response.headers.get(name) == value, (url, name)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe" not in csp


def test_no_inline_styles_or_external_resources(client):
    for url in ("/", "/search?q=harbour&region=California", "/doc/kr/mokpo-1",
                "/official/Kim%20Young-rok"):  # fmt: skip
        page = parse_html(html_of(client, url))
        for tag, attrs in page.tags:
            assert "style" not in attrs, (url, tag)
            for name in ("src", "href"):
                value = attrs.get(name) or ""
                external = value.startswith(("http:", "https:", "//"))
                assert not external or (tag == "a" and url.startswith("/doc/")), (url, value)


# --- the XSS release --------------------------------------------------------------------------


def assert_inert(body: str) -> None:
    """No element or attribute came from document text: it is all there as text."""
    page = parse_html(body)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "img" not in tags and "b" not in tags
    for _tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
    assert XSS_SCRIPT not in body and "<img" not in body


XSS_PAGES = [
    "/",
    "/search?q=notice",
    "/search?q=alert",
    "/search?q=script+img+onerror",
    f"/doc/{XSS_ID}",
    "/region/California",
    "/official/Kim%20Young-rok",
    "/search?q=" + "%3Cscript%3Ealert(1)%3C/script%3E",
    "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    "/search?region=%3Cscript%3E&official=%22%3E%3Cimg%20src=x%3E",
    "/search?from=%3Cscript%3E",
]


@pytest.mark.parametrize("url", XSS_PAGES)
def test_xss_release_is_text_on_every_page(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert_inert(response.get_data(as_text=True))


def test_xss_release_shown_as_text_in_its_pages(client, app):
    search = html_of(client, "/search?q=notice")
    assert "Harbour &lt;script&gt;alert(1)&lt;/script&gt; notice" in search
    text = "".join(parse_html(search).text)
    assert XSS_TITLE in text
    doc = html_of(client, f"/doc/{XSS_ID}")
    doc_text = "".join(parse_html(doc).text)
    assert XSS_TITLE in doc_text and XSS_SCRIPT in doc_text and XSS_IMG in doc_text
    assert "<b>bold</b>" in doc_text  # the body's markup is shown, not rendered
    # Facet values, official and region pages, and the links to them.
    facets = html_of(client, "/search")
    facet_text = "".join(parse_html(facets).text)
    assert XSS_REGION in facet_text and XSS_OFFICIAL in facet_text and XSS_SOURCE in facet_text
    with app.test_request_context():
        from flask import url_for

        official_url = url_for("pages.official", name=XSS_OFFICIAL)
        region_url = url_for("pages.region", name=XSS_REGION)
    for url in (official_url, region_url):
        body = html_of(client, url)
        assert_inert(body)
        assert XSS_TITLE in "".join(parse_html(body).text)
    selected = html_of(client, facet_link(facets, XSS_REGION))
    assert_inert(selected)
    assert total_of(selected) == 1


def test_xss_release_in_json_csv_and_atom(client):
    data = api(client, "q=notice")
    assert data["hits"][0]["title"] == XSS_TITLE
    assert (
        "&lt;script&gt;" in data["hits"][0]["snippet"]
        or XSS_SCRIPT not in data["hits"][0]["snippet"]
    )
    raw = client.get("/api/search?q=notice")
    # JSON escapes < > & as \u003c etc., so even a page that embeds it cannot be broken out of.
    assert raw.mimetype == "application/json" and b"<" not in raw.data and b">" not in raw.data
    doc = client.get(f"/api/doc/{XSS_ID}").get_json()
    assert doc["title"] == XSS_TITLE and XSS_IMG in doc["body"]

    rows = list(
        csv.DictReader(io.StringIO(client.get("/export.csv?q=notice").get_data(as_text=True)))
    )
    assert rows[0]["title"] == XSS_TITLE
    assert rows[0]["officials"] == XSS_OFFICIAL and rows[0]["source"] == XSS_SOURCE

    root = ET.fromstring(client.get("/feed.atom?q=notice").data)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == XSS_TITLE
    summary = entry.findtext(f"{ATOM}summary")  # type="html": escaped HTML once unescaped
    assert_inert(summary)
    assert XSS_SCRIPT in "".join(parse_html(summary).text)
    terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert XSS_OFFICIAL in terms and XSS_REGION in terms


def test_csv_cells_cannot_be_formulas(client, tmp_path):
    from web_fixtures import _article

    from search.backends import open_backend

    root = tmp_path / "index"
    backend = open_backend(root)
    txn = backend.begin(full=True)
    txn.add(backend.preparer()(_article("f/1", "=HYPERLINK(\"http://x\")", "Spreadsheet body.",
                                        "2020-01-01", [], ["@admin"], "+cmd")))  # fmt: skip
    txn.commit({"version": 1, "files": {}})
    app = create_app({"INDEX_DIR": str(root)})
    rows = list(
        csv.DictReader(io.StringIO(app.test_client().get("/export.csv").get_data(as_text=True)))
    )
    assert rows[0]["title"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["officials"] == "'@admin" and rows[0]["source"] == "'+cmd"


# --- serving -----------------------------------------------------------------------------------


def test_serve_is_a_cli_command():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--index" in result.output and "--port" in result.output


def test_serve_builds_the_index_then_serves(make_corpus, tmp_path):
    corpus = make_corpus()
    index = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--corpus",
         str(corpus), "--port", "0", "--workers", "2", "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert m, (line, proc.stderr.read() if proc.poll() is not None else "")
        with urllib.request.urlopen(m.group(1) + "healthz", timeout=30) as response:
            health = json.load(response)
        assert health["documents"] == 6
        with urllib.request.urlopen(m.group(1) + "search?q=governor", timeout=30) as response:
            assert response.headers["Content-Security-Policy"]
            assert "Governor" in response.read().decode()
    finally:
        proc.terminate()
        code = proc.wait(timeout=15)
        proc.stdout.close()
        proc.stderr.close()
    assert code == 0
    assert (index / "CURRENT").exists()
    # SIGTERM to the server stopped its worker processes too: nothing listens any more.
    with pytest.raises(OSError):
        urllib.request.urlopen(m.group(1) + "healthz", timeout=5)


# --- the year chart ---------------------------------------------------------------------------


def _links(pairs: dict[int, int], selected: tuple[int, ...] = ()):
    from web.facets import FacetLink

    return [FacetLink(y, n, y in selected, f"year={y}") for y, n in sorted(pairs.items())]


def test_year_chart_scales_and_shows_gaps():
    from web.facets import year_chart

    chart = year_chart(_links({2018: 4, 2020: 2}), height=80)
    assert [b.year for b in chart["bars"]] == [2018, 2019, 2020]
    tall, gap, half = chart["bars"]
    assert gap.href is None and gap.count == 0
    assert tall.height == pytest.approx(2 * half.height, rel=0.01)
    assert tall.y + tall.height == chart["plot"]  # bars stand on the baseline
    assert year_chart([])["bars"] == []


def test_year_chart_keeps_recent_years_and_selected_old_ones():
    from web.facets import year_chart

    years = dict.fromkeys(range(1900, 2027), 1)
    chart = year_chart(_links(years, selected=(1905,)), max_bars=30)
    drawn = [b.year for b in chart["bars"]]
    assert drawn[0] == 1905 and drawn[1:] == list(range(1997, 2027))
    assert chart["bars"][0].selected


@pytest.mark.parametrize(
    ("bad", "fixed"),
    [("\ud800", "\ufffd"), ("a\x01b", "ab"), ("\x7f", ""), ("\ufffe", ""), ("\U0001fffe", ""),
     ("\x85", ""), ("\r", ""), ("\\b", "\\b")],
)  # fmt: skip
def test_json_answers_clean_every_unsafe_character(bad: str, fixed: str) -> None:
    app = create_app({"INDEX_DIR": "/nonexistent", "TESTING": True})
    with app.app_context():
        text = app.json.dumps({"facets": [{"value": f"x{bad}y", "count": 1}], "ok": "é😀"})
    assert json.loads(text) == {"facets": [{"value": f"x{fixed}y", "count": 1}], "ok": "é😀"}
