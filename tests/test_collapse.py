"""Copies collapsed at search time: one hit per group, its copies listed, counts of groups.

The corpus holds the sample releases plus copies of two of them (a wire's and a portal's,
with their own titles and sources), which the reindex groups (``search.index.groups``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from search.backends import reindex
from search.backends.whoosh.backend import WhooshBackend
from search.cli import main
from search.index.backend import FACETS, SearchRequest
from search.index.groups import GROUPS_FILE, Groups
from tests.conftest import RECORDS

HOSTILE = "<script>alert(1)</script> Wire"
COPIES: list[dict[str, Any]] = [
    {**RECORDS[0], "id": "kr-1-wire", "agency": "Yonhap Wire", "date": "2021-03-05",
     "title": "PRESS RELEASE: " + RECORDS[0]["title"], "url": "https://wire.example/kr-1"},
    {**RECORDS[0], "id": "kr-1-portal", "agency": HOSTILE, "date": "2021-03-06",
     "title": RECORDS[0]["title"] + " | News Portal"},
    {**RECORDS[4], "id": "us-2-copy", "agency": "California News Portal"},
]  # fmt: skip
GROUPS = [("kr-1", "kr-1-wire", "kr-1-portal"), ("us-2", "us-2-copy")]  # representative first
QUERIES = ["", "governor", "south jeolla", "water", "governor OR port", "title:governor"]


def groups_file(index: Path) -> Path:
    """The groups of the live generation, as the reindex stored them."""
    return index / (index / "CURRENT").read_text(encoding="utf-8").strip() / GROUPS_FILE


@pytest.fixture
def grouped(make_corpus: Callable[..., Path], tmp_path: Path) -> WhooshBackend:
    corpus = make_corpus({"releases.jsonl": RECORDS, "copies.jsonl": COPIES})
    index = tmp_path / "index"
    reindex(corpus, index, jobs=1)
    assert sorted(Groups.load(groups_file(index)).members.values()) == GROUPS
    return WhooshBackend(index)


@pytest.fixture
def client(grouped: WhooshBackend) -> Any:
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(grouped.root)}).test_client()


def ids(result: Any) -> list[str]:
    return [hit.id for hit in result.hits]


# --- the backend ---------------------------------------------------------------------------------


def expected(every: list[str], groups: Groups) -> list[str]:
    """The collapsed list from the full one: each group where its first (best-ranked) match
    is, shown as its representative when that matches."""
    out, seen = [], set()
    for doc_id in every:
        group = groups.group_of(doc_id)
        if group in seen:
            continue
        seen.add(group)
        members = groups.members.get(group, (doc_id,))
        out.append(members[0] if members[0] in every else doc_id)
    return out


def test_each_group_is_one_hit_listing_its_copies(grouped: WhooshBackend) -> None:
    result = grouped.search(SearchRequest(query="governor", per_page=20))
    every = grouped.search(SearchRequest(query="governor", per_page=20, collapse=False))
    assert every.total == 6 and result.total == 3  # kr-1 x3 and us-2 x2 are two groups
    assert sorted(ids(result)) == ["kr-1", "kr-2", "us-2"]
    kr1 = next(hit for hit in result.hits if hit.id == "kr-1")
    assert [c.id for c in kr1.copies] == ["kr-1-wire", "kr-1-portal"]
    wire = kr1.copies[0]
    assert (wire.title, wire.source, wire.url, wire.date) == (
        "PRESS RELEASE: Governor visits farms in South Jeolla Province",
        "Yonhap Wire",
        "https://wire.example/kr-1",
        "2021-03-05",
    )
    assert all(not hit.copies for hit in every.hits)  # collapse=False: every release, as before
    assert set(ids(every)) == set(ids(result)) | {"kr-1-wire", "kr-1-portal", "us-2-copy"}


def test_the_representative_is_shown_when_it_matches_else_the_best_copy(
    grouped: WhooshBackend,
) -> None:
    # The wire's copy alone has the source: it is shown, and the original is its copy.
    wire = grouped.search(SearchRequest(query="governor", sources=("Yonhap Wire",)))
    assert ids(wire) == ["kr-1-wire"]
    assert [c.id for c in wire.hits[0].copies] == ["kr-1", "kr-1-portal"]
    # "press" is only in the wire's title.
    assert ids(grouped.search(SearchRequest(query="press release governor"))) == ["kr-1-wire"]
    # Newest first, the group is placed by its newest match (the portal's, 2021-03-06).
    every = ids(grouped.search(SearchRequest(sort="newest", per_page=20, collapse=False)))
    newest = ids(grouped.search(SearchRequest(sort="newest", per_page=20)))
    assert every.index("kr-1-portal") < every.index("kr-1") and "kr-1" in newest
    assert newest == expected(every, Groups.load(groups_file(grouped.root)))


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_and_streams_list_each_group_once(grouped: WhooshBackend, sort: str) -> None:
    groups = Groups.load(groups_file(grouped.root))
    for query in QUERIES:
        first = grouped.search(SearchRequest(query=query, sort=sort, per_page=2))
        pages = [first] + [
            grouped.search(SearchRequest(query=query, sort=sort, per_page=2, page=n))
            for n in range(2, first.pages + 1)
        ]
        listed = [i for page in pages for i in ids(page)]
        every = grouped.search(SearchRequest(query=query, sort=sort, per_page=100, collapse=False))
        assert listed == expected(ids(every), groups), (query, sort)
        assert len({groups.group_of(i) for i in listed}) == len(listed) == first.total
        stream = grouped.iter_hits(SearchRequest(query=query, sort=sort))
        streamed = list(stream)
        assert [h.id for h in streamed] == listed and stream.total == first.total
        assert [h.copies for h in streamed] == [h.copies for page in pages for h in page.hits]


def _selected(request: SearchRequest, name: str, value: Any) -> SearchRequest:
    from dataclasses import replace

    from web.params import FACET_PARAMS as field

    # Within a facet, selections are OR'ed: a value's count is what it lists alone.
    return replace(request, **{field[name]: (value,)})


@pytest.mark.parametrize("collapse", [True, False])
def test_every_facet_count_is_what_selecting_it_lists(
    grouped: WhooshBackend, collapse: bool
) -> None:
    checked = 0
    for query in QUERIES:
        wire = SearchRequest(query=query, collapse=collapse, sources=("Yonhap Wire",))
        for base in (SearchRequest(query=query, collapse=collapse), wire):
            result = grouped.search(base)
            for name in FACETS:
                for value in result.facets[name]:
                    if value.selected:
                        continue
                    clicked = grouped.search(_selected(base, name, value.value))
                    assert clicked.total == value.count, (query, name, value)
                    checked += 1
    assert checked > 50
    region = grouped.search(SearchRequest(query="governor", collapse=collapse)).facets["region"]
    counts = {v.value: v.count for v in region}
    assert counts["South Jeolla Province"] == (2 if collapse else 4)  # kr-1 (x3) and kr-2


def test_groups_of_the_generation_are_read_once_per_snapshot(grouped: WhooshBackend) -> None:
    before = grouped.search(SearchRequest(query="governor")).total
    Groups.empty().dump(groups_file(grouped.root))  # the open snapshot keeps its groups
    assert grouped.search(SearchRequest(query="governor")).total == before
    fresh = WhooshBackend(grouped.root)
    assert fresh.search(SearchRequest(query="governor")).total == 6


def test_article_copies_and_similar_releases(grouped: WhooshBackend) -> None:
    assert [c.id for c in grouped.copies("kr-1-wire")] == ["kr-1", "kr-1-portal"]
    assert grouped.copies("kr-2") == () and grouped.copies("no-such-id") == ()
    similar = [h.id for h in grouped.more_like_this("kr-1", 10)]
    assert not {"kr-1", "kr-1-wire", "kr-1-portal"} & set(similar)
    assert not {"us-2", "us-2-copy"} <= set(similar)  # another group's copies: once


# --- the JSON API, the pages and the exports -----------------------------------------------------


def test_api_collapses_by_default_and_lists_copies(client: Any) -> None:
    api = client.get("/api/search?q=governor&per_page=20").get_json()
    assert api["total"] == 3
    kr1 = next(h for h in api["hits"] if h["id"] == "kr-1")
    assert kr1["copies"][0] == {
        "id": "kr-1-wire",
        "title": "PRESS RELEASE: Governor visits farms in South Jeolla Province",
        "source": "Yonhap Wire",
        "url": "https://wire.example/kr-1",
        "date": "2021-03-05",
    }
    every = client.get("/api/search?q=governor&per_page=20&collapse=0").get_json()
    assert every["total"] == 6 and all(h["copies"] == [] for h in every["hits"])


def test_api_facet_counts_match_the_hits_their_links_list(client: Any) -> None:
    checked = 0
    for qs in ("q=governor", "q=", "q=governor&source=Yonhap+Wire", "q=governor&collapse=0"):
        api = client.get(f"/api/search?{qs}").get_json()
        for name, values in api["facets"].items():
            if any(value["selected"] for value in values):
                continue  # a second value of a facet is OR'ed: it adds to the list
            for value in values:
                checked += 1
                clicked = client.get(f"/api/search?{qs}&{urlencode({name: value['value']})}")
                assert clicked.get_json()["total"] == value["count"], (qs, name, value)
    assert checked > 30


def test_search_page_says_also_published_by_escaped(client: Any) -> None:
    page = client.get("/search?q=governor")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    line = re.search(r'<p class="copies">(.*?)</p>', text, re.S)
    assert line and "Also published by" in line.group(1) and "(2)</p>" in line.group(0)
    assert '<a href="/doc/kr-1-wire"' in line.group(1) and ">Yonhap Wire</a>" in line.group(1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Wire" in line.group(1)
    assert "<script>alert(1)</script>" not in text
    assert 'href="/search?q=governor&amp;collapse=0"' in text  # the way to every copy
    every = client.get("/search?q=governor&collapse=0").get_data(as_text=True)
    assert 'class="copies"' not in every and "/doc/us-2-copy" in every
    assert 'href="/search?q=governor"' in every  # and back


def test_article_page_lists_the_copies(client: Any) -> None:
    text = client.get("/doc/kr-1").get_data(as_text=True)
    section = re.search(r'<section class="copies".*?</section>', text, re.S)
    assert section and "Also published by (2)" in section.group(0)
    assert "/doc/kr-1-wire" in section.group(0) and "/doc/kr-1-portal" in section.group(0)
    assert "&lt;script&gt;" in section.group(0) and "<script>" not in section.group(0)
    assert 'class="copies"' not in client.get("/doc/kr-2").get_data(as_text=True)


def _csv(client: Any, qs: str) -> list[dict[str, str]]:
    reply = client.get(f"/export.csv?{qs}")
    assert reply.status_code == 200
    return list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))


def test_csv_and_atom_follow_the_collapse(client: Any) -> None:
    rows = _csv(client, "q=governor")
    assert len(rows) == 3 and not any(r["id"].startswith("#") for r in rows)
    kr1 = next(r for r in rows if r["id"] == "kr-1")
    assert kr1["copies"] == "kr-1-wire; kr-1-portal"
    every = _csv(client, "q=governor&collapse=0")
    assert len(every) == 6 and {r["copies"] for r in every} == {""}
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(client.get("/feed.atom?q=governor").data)
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 3
    related = [
        link.get("href")
        for entry in entries
        for link in entry.findall(f"{atom}link")
        if link.get("rel") == "related"
    ]
    assert sorted(h.rsplit("/", 1)[1] for h in related) == ["kr-1-portal", "kr-1-wire", "us-2-copy"]
    whole = ElementTree.fromstring(client.get("/feed.atom?q=governor&collapse=0").data)
    assert len(whole.findall(f"{atom}entry")) == 6


@pytest.mark.parametrize("value", ["abc", "2", "-1", "%00", "1;2", "tru", "x" * 500])
def test_bad_collapse_values_are_a_400(client: Any, value: str) -> None:
    for path in ("/search", "/api/search", "/export.csv", "/feed.atom", "/region/Shanghai"):
        reply = client.get(path, query_string={"q": "governor", "collapse": value})
        assert reply.status_code == 400, (path, value)
        assert b"collapse" in reply.data


@pytest.mark.parametrize("value", ["0", "false", "off", "no", " 0 "])
def test_collapse_off_spellings(client: Any, value: str) -> None:
    api = client.get("/api/search", query_string={"q": "governor", "collapse": value})
    assert api.get_json()["total"] == 6
    on = client.get("/api/search", query_string={"q": "governor", "collapse": "1"})
    assert on.get_json()["total"] == 3


# --- the command line ----------------------------------------------------------------------------


def test_cli_collapses_unless_told_not_to(grouped: WhooshBackend) -> None:
    runner = CliRunner()
    base = ["search", "governor", "--index", str(grouped.root), "--per-page", "20"]
    out = runner.invoke(main, [*base, "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["total"] == 3
    kr1 = next(h for h in result["hits"] if h["id"] == "kr-1")
    assert [c["source"] for c in kr1["copies"]] == ["Yonhap Wire", HOSTILE]
    every = json.loads(runner.invoke(main, [*base, "--json", "--no-collapse"]).output)
    assert every["total"] == 6
    text = runner.invoke(main, base).output
    assert "also published by Yonhap Wire" in text and text.startswith("3 results")
    assert runner.invoke(main, [*base, "--no-collapse"]).output.startswith("6 results")


# --- the demo corpus -----------------------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "corpus"
DEMO_COPIES = {  # an original of the demo corpus -> its copy written for the project
    "asia/korea/jeonnam/2019-05-03-offshore-wind-agreement.html":
        "wires/korea-energy-wire-feed.jsonl",
    "americas/california/santa-ana-pd-catalytic-converter-arrests.txt":
        "americas/california/oc-community-news-catalytic-converter-ring.html",
}  # fmt: skip


def test_demo_corpus_shows_grouped_hits(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for rel in [*DEMO_COPIES, *DEMO_COPIES.values()]:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_bytes((DEMO / rel).read_bytes())
    reindex(corpus, tmp_path / "index", jobs=1)
    backend = WhooshBackend(tmp_path / "index")
    wind = backend.search(SearchRequest(query="offshore wind Haneul"))
    assert wind.total == 1 and wind.hits[0].id == next(iter(DEMO_COPIES))
    assert [(c.id, c.source) for c in wind.hits[0].copies] == [
        ("kew-2019-0503-jeonnam-offshore-wind", "Korea Energy Wire")
    ]
    thefts = backend.search(SearchRequest(query="catalytic converter"))
    assert [h.id for h in thefts.hits] == [list(DEMO_COPIES)[1]]
    assert [(c.id, c.source) for c in thefts.hits[0].copies] == [
        (list(DEMO_COPIES.values())[1], "OC Community News")
    ]
    assert backend.search(SearchRequest(collapse=False)).total == 4


def test_an_incremental_reindex_changes_what_is_collapsed(
    grouped: WhooshBackend, make_corpus: Callable[..., Path]
) -> None:
    rewritten = {**COPIES[1], "body": "The portal's own report on rice prices in Mokpo, written "
                 "by its staff: farmers expect a smaller harvest after a dry spring, and the "
                 "governor's office has not yet said whether it will help them."}  # fmt: skip
    corpus = make_corpus({"releases.jsonl": RECORDS, "copies.jsonl": [COPIES[0], rewritten,
                          COPIES[2]]})  # fmt: skip
    summary = reindex(corpus, grouped.root, jobs=1)
    assert not summary["full"]  # an incremental reindex
    result = grouped.search(SearchRequest(query="governor", per_page=20))
    assert result.total == 4  # the portal's release is now one of its own
    by_id = {h.id: [c.id for c in h.copies] for h in result.hits}
    assert by_id["kr-1"] == ["kr-1-wire"] and by_id["kr-1-portal"] == []
    assert [c.id for c in grouped.copies("kr-1-wire")] == ["kr-1"]
