"""The Typesense backend: query translation and settings (no server), then against a real
3-node cluster (``typesense_cluster`` in conftest, skipped when the server cannot start)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import RECORDS, SHARED

from search.backends import open_backend, reindex
from search.backends.typesense.backend import TypesenseBackend
from search.backends.typesense.documents import collection_schema, key, prepare
from search.backends.typesense.query import translate
from search.backends.typesense.view import facet_values
from search.backends.whoosh.backend import WhooshBackend
from search.cli import main
from search.index.backend import FACETS, IndexMissing, QueryNotSupported, SearchRequest
from search.index.query import parse
from search.index.schema import make_schema
from search.ingest.article import Article
from search.settings import ConfigError, load_settings, parse_nodes

SCHEMA = make_schema()
ALL = "(title_t:`{w}` || lead_t:`{w}` || body_t:`{w}`)"


# --- translation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "q", "expr", "prefix", "ranked"),
    [
        ("farm", "farm", None, False, True),
        ("Farmers PORTS", "farmer port", None, False, True),
        ('"South Jeolla"', '"south jeolla"', None, False, True),
        ("farm -port", "-port farm", None, False, True),
        ('farm NOT "big port"', '-"big port" farm', None, False, True),
        ("farm ANDNOT port", "-port farm", None, False, True),
        ("-farm", "-farm", None, False, False),
        ("wind*", "wind", None, True, True),
        ("farm OR port", "*", "({a} || {b})", False, False),
        ("title:farm", "farm", "title_t:`farm`", False, True),
        ("body:farm", "farm", "(body_t:`farm` || lead_t:`farm`)", False, True),
        ("(farm OR port) AND tax", "tax", "({a} || {b})", False, True),
        ("f?rm", "*", None, False, False),
        ("title:invest*", "invest", None, True, True),  # the prefix in every field: more, not all
        ("(wind* OR port)", "*", None, False, False),  # an OR losing a branch would match less
        ("farm ANDMAYBE port", "farm", None, False, True),
        ("wi?d", "wi", None, True, True),
    ],
)
def test_translate(text: str, q: str, expr: str | None, prefix: bool, ranked: bool) -> None:
    plan = translate(parse(text, SCHEMA).query)
    a = ALL.format(w="farm")[1:-1]
    b = ALL.format(w="port")[1:-1]
    assert plan.q == q
    assert plan.filter == (expr.format(a=a, b=b) if expr else None)
    assert plan.prefix is prefix
    assert plan.ranked is ranked


def test_translate_lists_what_it_degrades() -> None:
    assert translate(parse("f?rm", SCHEMA).query).degraded == ["wildcard f?rm dropped"]
    nested = translate(parse("(farm AND NOT port) OR tax", SCHEMA).query)
    assert nested.degraded and "dropped" in nested.degraded[0]
    assert translate(parse("farm port", SCHEMA).query).degraded == []


def test_hyphenated_word_stays_in_one_field_and_is_ranked() -> None:
    plan = translate(parse("covid-19", SCHEMA).query)
    assert plan.q == "covid 19" and plan.ranked
    assert "(title_t:`covid` && title_t:`19`)" in plan.filter


def test_a_place_name_adds_disjoint_segments_for_releases_only_tagged_with_it() -> None:
    from search.backends.typesense.segments import segments as _segments

    def segments(text: str, sort: str = "relevance") -> list[tuple[str, list[str], str]]:
        parsed = parse(text, SCHEMA)
        return [
            (s.q, s.filters, s.sort) for s in _segments(translate(parsed.query), parsed, "X", sort)
        ]

    tagged = "regions:=[`X`]"
    assert segments("south jeolla") == [
        ("south jeolla", [], "relevance"),
        ("-south", [tagged], "newest"),
        ("south -jeolla", [tagged], "newest"),
    ]
    assert segments('"united states"') == [
        ('"unit state"', [], "relevance"),
        ('-"unit state"', [tagged], "newest"),
    ]
    # Sorted by date: one filter, text OR tag, so the date order is kept whole.
    words = f"({ALL.format(w='south')} && {ALL.format(w='jeolla')})"
    assert segments("south jeolla", "newest") == [("*", [f"({words} || {tagged})"], "newest")]


# --- settings ------------------------------------------------------------------------------------


def test_settings_from_environment() -> None:
    env = {
        "PRESSEARCH_BACKEND": "Typesense",
        "PRESSEARCH_TYPESENSE_NODES": "http://a:8108, https://b ,c:9000",
        "PRESSEARCH_TYPESENSE_API_KEY": "secret",
    }
    settings = load_settings(env)
    assert settings.backend == "typesense"
    assert [n.url() for n in settings.nodes] == ["http://a:8108", "https://b:443", "http://c:9000"]
    assert settings.api_key == "secret" and settings.collection == "pressearch"


def test_settings_from_file_and_environment_wins(tmp_path: Path) -> None:
    path = tmp_path / "pressearch.toml"
    path.write_text(
        'backend = "typesense"\n[typesense]\nnodes = ["http://x:1", "http://y:2"]\n'
        'api_key = "from-file"\ncollection = "releases"\n'
    )
    settings = load_settings({"PRESSEARCH_CONFIG": str(path)})
    assert [n.port for n in settings.nodes] == [1, 2]
    assert (settings.api_key, settings.collection) == ("from-file", "releases")
    env = {"PRESSEARCH_CONFIG": str(path), "PRESSEARCH_TYPESENSE_API_KEY": "from-env"}
    assert load_settings(env).api_key == "from-env"
    assert (
        load_settings({"PRESSEARCH_CONFIG": str(path), "PRESSEARCH_BACKEND": "whoosh"}).backend
        == "whoosh"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PRESSEARCH_BACKEND": "solr"}, "unknown backend 'solr'"),
        ({"PRESSEARCH_BACKEND": "typesense", "PRESSEARCH_TYPESENSE_API_KEY": "k"}, "needs nodes"),
        ({"PRESSEARCH_BACKEND": "typesense", "PRESSEARCH_TYPESENSE_NODES": "a:1"}, "API_KEY"),
        ({"PRESSEARCH_CONFIG": "/nonexistent/pressearch.toml"}, "not a file"),
    ],
)
def test_settings_errors_say_what_is_wrong(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_bad_node_urls_are_refused() -> None:
    with pytest.raises(ConfigError, match="not a Typesense node URL"):
        parse_nodes("ftp://a:1")
    with pytest.raises(ConfigError, match="bad port"):
        parse_nodes("http://a:port")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("backend = \n", "cannot read"),
        ("backend = true\n", "unknown backend True"),
        ("[typesense]\nnodes = 5\n", "must be a list of URLs"),
        ('[typesense]\nnodes = ["http://a:1"]\napi_key = "k"\ntimeout_seconds = "5s"\n',
         "timeout_seconds must be a number"),
    ],
)  # fmt: skip
def test_a_broken_config_file_is_reported(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings({"PRESSEARCH_CONFIG": str(path)})


# --- documents and facets ------------------------------------------------------------------------


def test_prepare_sends_analyzed_text_facets_and_the_article() -> None:
    article = Article(
        id="a/b.html#1",
        path="a/b.html",
        title="Governors visit <farms>",
        body="Farmers met the governors.\n\nMore text.",
        lead="Farmers met the governors.",
        date="2021-03-04",
        source="Office",
        regions=[{"name": "South Jeolla Province"}],
        officials=[{"name": "Kim Young-rok", "office": "Governor"}],
    )
    doc = prepare(article)
    assert doc["id"] == key("a/b.html#1") and re.fullmatch(r"[0-9a-f]{32}", doc["id"])
    assert doc["title_t"] == "governor visit farm"
    assert doc["lead_t"] == "farmer met the governor"
    assert doc["body_t"] == "more text"  # the lead is indexed once
    assert (doc["date"], doc["dated"], doc["year"]) == (1614816000, 1, 2021)
    assert doc["regions"] == ["South Jeolla Province"] and doc["officials"] == ["Kim Young-rok"]
    assert json.loads(doc["doc"])["title"] == "Governors visit <farms>"
    declared = {f["name"] for f in collection_schema("x")["fields"]}
    assert set(doc) - declared == {"id", "doc"}  # everything else is indexed


def test_undated_article_sorts_last() -> None:
    doc = prepare(Article(id="x", path="x.txt", title="t", body="b"))
    assert doc["dated"] == 0 and "date" not in doc and "year" not in doc


def test_facet_values_follow_the_whoosh_order() -> None:
    values = facet_values({"b": 2, "a": 2, "c": 5, "z": 1}, ["q"], limit=2, by_value=False)
    assert [(v.value, v.count, v.selected) for v in values] == [
        ("c", 5, False), ("a", 2, False), ("q", 0, True)
    ]  # fmt: skip
    years = facet_values({2021: 1, 2019: 4}, [2021], None, by_value=True)
    assert [(v.value, v.selected) for v in years] == [(2019, False), (2021, True)]


# --- against the cluster -------------------------------------------------------------------------

typesense = pytest.mark.typesense


def _compare(
    whoosh: WhooshBackend, ts: TypesenseBackend, request: SearchRequest, facets: tuple = FACETS
) -> None:
    # Every value of every facet: Typesense lists 100 unless asked for more (up to 1,000).
    request = dataclasses.replace(request, facet_limit=1000)
    a, b = whoosh.search(request), ts.search(request)
    assert (request.query, a.total) == (request.query, b.total)
    for name in facets:
        got = [(v.value, v.count, v.selected) for v in b.facets[name]]
        assert [(v.value, v.count, v.selected) for v in a.facets[name]] == got, name


@typesense
def test_reindex_and_search_through_the_cli(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    corpus = make_corpus()
    runner = CliRunner()
    args = ["reindex", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--json"]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert (summary["documents"], summary["full"]) == (6, True)
    assert summary["generation"] == f"{typesense_env.collection}-g000001"
    found = runner.invoke(main, ["search", "Jeolla", "--region", "KR-46", "--json"])
    assert found.exit_code == 0, found.output
    result = json.loads(found.output)
    assert {h["id"] for h in result["hits"]} == {"kr-1", "kr-2"}
    assert result["facets"]["region"][0] == {
        "value": "South Jeolla Province",
        "count": 2,
        "selected": True,
    }
    assert "<mark>Jeolla</mark>" in result["hits"][0]["snippet"]
    again = json.loads(runner.invoke(main, args).output)
    assert (again["unchanged"], again["added"], again["full"]) == (6, 0, False)  # documents


@typesense
def test_incremental_reindex_adds_updates_and_removes(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    corpus = make_corpus(
        {"kr.jsonl": RECORDS[:2], "cn.jsonl": RECORDS[2:3], "us.jsonl": RECORDS[3:]}
    )
    index = tmp_path / "ix"
    reindex(corpus, index, jobs=1)
    backend = open_backend(index)
    assert isinstance(backend, TypesenseBackend)
    assert backend.stats()["documents"] == 6
    # Update one file (a record dropped, one edited), remove one, add one.
    edited = {**RECORDS[0], "title": "Governor inspects aquaculture in South Jeolla Province"}
    (corpus / "kr.jsonl").write_text(json.dumps(edited) + "\n")
    (corpus / "cn.jsonl").unlink()
    (corpus / "new.txt").write_text("Harbour news\n\nThe harbour of Busan reopened on Monday.\n")
    summary = reindex(corpus, index, jobs=1)
    # Documents: new.txt's added, kr-1 updated, kr-2 and cn's removed; files: one of each.
    counts = ("added", "updated", "removed", "files_new", "files_changed", "files_removed")
    assert [summary[k] for k in counts] == [1, 1, 2, 1, 1, 1] and summary["full"] is False
    assert summary["generation"] == f"{typesense_env.collection}-g000001"  # same collection
    backend = open_backend(index)
    assert backend.stats()["documents"] == 5
    assert backend.search(SearchRequest(query="aquaculture")).total == 1
    assert backend.search(SearchRequest(query="container terminals")).total == 0
    assert backend.search(SearchRequest(query="harbour Busan")).total == 1
    assert backend.document("kr-2") is None and backend.document("kr-1")["title"] == edited["title"]
    whoosh = tmp_path / "wx"
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, whoosh, jobs=1)
    for query in ("governor", "harbour", "", "water -rates"):
        _compare(WhooshBackend(whoosh), backend, SearchRequest(query=query))


@typesense
def test_a_killed_incremental_reindex_leads_to_a_full_rebuild(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    corpus = make_corpus()
    index = tmp_path / "ix"
    reindex(corpus, index, jobs=1)
    backend = open_backend(index)
    txn = backend.begin(full=False)  # then "killed": never committed
    txn.add(prepare(Article(id="ghost", path="ghost.txt", title="Ghost", body="boo")))
    txn._flush()
    assert backend.manifest() == {}  # marked pending
    summary = reindex(corpus, index, jobs=1)
    assert summary["full"] is True and summary["generation"].endswith("-g000002")
    fresh = open_backend(index)
    assert fresh.stats()["documents"] == 6 and fresh.document("ghost") is None
    names = {c["name"] for c in fresh.writer.collections.retrieve()}
    assert f"{typesense_env.collection}-g000001" not in names  # the old generation is dropped
    assert reindex(corpus, index, jobs=1)["unchanged"] == 6


@typesense
def test_a_failed_incremental_commit_leads_to_a_full_rebuild(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus({"a.jsonl": RECORDS[:3], "b.jsonl": RECORDS[3:]})
    index = tmp_path / "ix"
    reindex(corpus, index, jobs=1)
    (corpus / "a.jsonl").write_text(json.dumps(RECORDS[0]) + "\n")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("network gone")

    with monkeypatch.context() as m:
        m.setattr(TypesenseBackend, "write_manifest", broken)
        with pytest.raises(OSError):
            reindex(corpus, index, jobs=1)
    summary = reindex(corpus, index, jobs=1)  # no KeyError: a full rebuild
    assert summary["full"] is True and summary["documents"] == 4
    backend = open_backend(index)
    assert backend.search(SearchRequest(query="Shanghai port")).total == 0
    assert backend.search(SearchRequest(query="year:99999999999 governor")).total == 0
    backend.close()  # and usable again after closing
    assert backend.search(SearchRequest(query="governor")).total == 2


@typesense
def test_cleanup_leaves_other_collections_alone(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    corpus = make_corpus()
    reindex(corpus, tmp_path / "ix", jobs=1)
    backend = open_backend(tmp_path / "ix")
    other = f"{typesense_env.collection}-german-g000001"
    backend.writer.collections.create({"name": other, "fields": [{"name": "x", "type": "string"}]})
    orphan = f"{typesense_env.collection}-g000009"
    backend.writer.collections.create({"name": orphan, "fields": [{"name": "x", "type": "string"}]})
    assert backend.cleanup() == [orphan]
    names = {c["name"] for c in backend.writer.collections.retrieve()}
    assert other in names and f"{typesense_env.collection}-g000001" in names
    backend.writer.collections[other].delete()
    backend.close()


@typesense
def test_same_results_as_whoosh_on_the_sample(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    corpus = make_corpus()
    reindex(corpus, tmp_path / "ts", jobs=1)
    ts = open_backend(tmp_path / "ts")
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, tmp_path / "wx", jobs=1)
    whoosh = WhooshBackend(tmp_path / "wx")
    queries = ["governor", "South Jeolla", "Jeollanam-do", "governor -california", "wind OR port",
               '"water rates"', "title:governor", "gov*", "region:Shanghai", "year:2021",
               ""]  # fmt: skip
    filters = [{}, {"regions": ("KR-46",)}, {"years": (2021, 2022)},
               {"regions": ("California",), "years": (2021,)}]  # fmt: skip
    for query in queries:
        for kw in filters:
            _compare(whoosh, ts, SearchRequest(query=query, **kw))
    for sort in ("newest", "oldest"):
        a = whoosh.search(SearchRequest(sort=sort, per_page=4, page=2))
        b = ts.search(SearchRequest(sort=sort, per_page=4, page=2))
        assert [h.id for h in a.hits] == [h.id for h in b.hits]  # undated last both ways
    dated = SearchRequest(query="governor", date_from="2021-03-04", date_to="2021-12-31")
    assert ts.search(dated).total == whoosh.search(dated).total == 2
    assert [h.id for h in ts.more_like_this("kr-1", 2)] and "kr-1" not in [
        h.id for h in ts.more_like_this("kr-1")
    ]
    assert ts.search(SearchRequest(query="govenor")).suggestion == "governor"
    # Exports stream every hit, in the same date order; the expensive forms are refused alike.
    for query in ("governor", "wind OR port", ""):
        export = SearchRequest(query=query, sort="newest")
        stream = ts.iter_hits(export)
        assert [h.id for h in stream] == [h.id for h in whoosh.iter_hits(export)]
        assert not stream.partial and stream.total == whoosh.search(export).total
    for hostile in ("*a*", "body:[a TO z]", '"water rates"~1000000', "a* b* c* d* e*"):
        for engine in (whoosh, ts):
            with pytest.raises(QueryNotSupported):
                engine.search(SearchRequest(query=hostile))
    # A capped facet list still knows how many values there are ("More values (N)").
    capped = ts.search(SearchRequest(facet_limit=2))
    every = whoosh.search(SearchRequest())
    assert len(capped.facets["region"]) == 2
    assert capped.facet_totals["region"] == len(every.facets["region"]) > 2


@typesense
def test_web_app_on_typesense_escapes_release_text(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    from web import create_app

    evil = {"id": "x-1", "title": "<script>alert(1)</script> Governor", "date": "2022-01-01",
            "body": "The governor said 1 < 2 && x > \"y\" <img src=x onerror=alert(1)> nothing.",
            "agency": "A&B"}  # fmt: skip
    corpus = make_corpus({"r.jsonl": [*RECORDS, evil]})
    reindex(corpus, tmp_path / "ix", jobs=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    page = client.get("/search?q=governor&region=Jeollanam-do")
    assert page.status_code == 200
    assert b"Governor visits farms" in page.data and b"Shanghai port" not in page.data
    api = client.get("/api/search?q=governor&per_page=20").get_json()
    assert api["total"] == 4
    hit = next(h for h in api["hits"] if h["id"] == "x-1")
    assert (
        "1 &lt; 2 &amp;&amp; x &gt; &quot;y&quot;" in hit["snippet"]
        and "<mark>governor</mark>" in hit["snippet"]
        and "<img" not in hit["snippet"]
    )
    html = client.get("/search?q=governor").data
    assert b"<script>alert(1)</script>" not in html and b"<img src=x" not in html
    assert client.get("/search?q=%22&page=3&region=%3Cb%3E").status_code == 200
    assert client.get("/healthz").get_json()["backend"] == "typesense"


@typesense
def test_collapsed_copies_same_as_whoosh(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    """Copies grouped by the reindex: the same groups, totals, counts and copies listed."""
    from tests.test_collapse import COPIES, QUERIES

    corpus = make_corpus({"releases.jsonl": RECORDS, "copies.jsonl": COPIES})
    reindex(corpus, tmp_path / "ts", jobs=1)
    ts = open_backend(tmp_path / "ts")
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, tmp_path / "wx", jobs=1)
    whoosh = WhooshBackend(tmp_path / "wx")
    filters = [{}, {"sources": ("Yonhap Wire",)}, {"regions": ("KR-46",)}, {"years": (2021,)}]
    for query in QUERIES:
        for kw in filters:
            for collapse in (True, False):
                _compare(whoosh, ts, SearchRequest(query=query, collapse=collapse, **kw))
    for sort in ("newest", "oldest"):
        for page in (1, 2):
            request = SearchRequest(sort=sort, per_page=3, page=page)
            a, b = whoosh.search(request), ts.search(request)
            assert [(h.id, [c.id for c in h.copies]) for h in a.hits] == [
                (h.id, [c.id for c in h.copies]) for h in b.hits
            ]
    one = SearchRequest(query="governor", sources=("Yonhap Wire",))  # the wire's copy alone
    assert [h.id for h in ts.search(one).hits] == [h.id for h in whoosh.search(one).hits]
    for request in (SearchRequest(query="governor"), SearchRequest(query="water")):
        a = {h.id: [c.id for c in h.copies] for h in whoosh.search(request).hits}
        assert {h.id: [c.id for c in h.copies] for h in ts.search(request).hits} == a
    assert ts.search(SearchRequest(query="governor")).total == 3
    assert [c.id for c in ts.copies("kr-1")] == ["kr-1-wire", "kr-1-portal"]
    export = SearchRequest(query="governor", sort="newest")
    assert [h.id for h in ts.iter_hits(export)] == [h.id for h in whoosh.iter_hits(export)]


# --- acceptance: parity on 500 real releases -----------------------------------------------------

PARITY_QUERIES = [
    "governor", "police", "sentenced prison", "health care", '"united states"', "economy jobs",
    "climate change", "court", "investigation", "budget", "school students", "president biden",
    "drug trafficking", "murder", "fraud -bank", "covid-19", "vaccine", "infrastructure",
    "energy", "tax", "veterans", "immigration", "border security", "trade agreement",
    "hong kong", "european parliament", "china", "water", "housing", "technology", "award",
    "partnership", "announces", "revenue growth", "quarterly results", "wind OR solar",
    "title:police", "body:election", "invest*", "child abuse", "firearm", "election", "ukraine",
    "shanghai", "california", "new york", "guilty plea", "public safety",
    "international cooperation", "small business",
]  # fmt: skip


def _sample_500(target: Path) -> Path:
    """500 real releases: the first lines of each JSON Lines file of ../shared/corpus."""
    files = sorted((SHARED / "corpus").glob("*.jsonl"))
    per_file = -(-500 // len(files))
    left = 500
    for path in files:
        take = min(per_file, left)
        with path.open(encoding="utf-8") as fh:
            lines = [next(fh) for _ in range(take)]
        (target / path.name).write_text("".join(lines), encoding="utf-8")
        left -= take
    return target


@typesense
@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not present")
def test_parity_with_whoosh_on_500_real_releases(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, tmp_path: Path
) -> None:
    (tmp_path / "corpus").mkdir()
    corpus = _sample_500(tmp_path / "corpus")
    summary = reindex(corpus, tmp_path / "ts")
    assert summary["documents"] == 500
    ts = open_backend(tmp_path / "ts")
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, tmp_path / "wx")
    whoosh = WhooshBackend(tmp_path / "wx")
    assert len(PARITY_QUERIES) == 50
    compared = 0
    for query in PARITY_QUERIES:
        plain = whoosh.search(SearchRequest(query=query))
        _compare(whoosh, ts, SearchRequest(query=query))
        _compare(whoosh, ts, SearchRequest(query=query, collapse=False))  # every copy
        region = next((v.value for v in plain.facets["region"]), None)
        year = next((v.value for v in plain.facets["year"]), None)
        variants = [{"regions": (region,)} if region else {}, {"years": (year,)} if year else {}]
        if region and year:
            variants.append({"regions": (region,), "years": (year,)})
        for kw in variants:
            _compare(whoosh, ts, SearchRequest(query=query, **kw))
            compared += 1
    assert compared >= 100


def _wire_copies(corpus: Path, every: int) -> int:
    """A wire's copies of every ``every``-th release of ``corpus``: its title prefixed, its
    own source, dated a day later, the last paragraph cut from a longer release."""
    copies = []
    for path in sorted(corpus.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 in text
        for n, line in enumerate(filter(None, lines)):
            record = json.loads(line)
            if n % every or not record.get("body"):
                continue
            paragraphs = record["body"].split("\n\n")
            if len(paragraphs) > 2:
                paragraphs = paragraphs[:-1]
            copies.append({**record, "id": record["id"] + "-wire", "agency": "Parity Wire",
                           "publisher": "Parity Wire", "title": "PRESS RELEASE: " + record["title"],
                           "body": "\n\n".join(paragraphs), "url": None})  # fmt: skip
    (corpus / "wire-copies.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in copies), encoding="utf-8"
    )
    return len(copies)


@typesense
@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not present")
def test_collapsed_parity_on_real_releases_with_copies(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, tmp_path: Path
) -> None:
    from search.index.groups import GROUPS_FILE, Groups

    (tmp_path / "corpus").mkdir()
    corpus = _sample_500(tmp_path / "corpus")
    made = _wire_copies(corpus, 12)
    reindex(corpus, tmp_path / "ts")
    ts = open_backend(tmp_path / "ts")
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, tmp_path / "wx")
    whoosh = WhooshBackend(tmp_path / "wx")
    groups = Groups.load(tmp_path / "wx" / whoosh.stats()["generation"] / GROUPS_FILE)
    assert len(groups.members) >= 0.6 * made  # most copies found, so collapsing is exercised
    assert whoosh.search(SearchRequest()).total < whoosh.search(SearchRequest(collapse=False)).total
    for query in [*PARITY_QUERIES[:25], ""]:
        plain = whoosh.search(SearchRequest(query=query))
        _compare(whoosh, ts, SearchRequest(query=query))
        source = next((v.value for v in plain.facets["source"]), None)
        if source:
            _compare(whoosh, ts, SearchRequest(query=query, sources=(source,)))
    for sort in ("newest", "oldest"):
        request = SearchRequest(sort=sort, per_page=50)
        a, b = whoosh.search(request), ts.search(request)
        # Equal dates are ordered differently by the engines: compare dates in order, and the
        # copies of each release both list.
        assert [h.date for h in a.hits] == [h.date for h in b.hits]
        mine = {h.id: [c.id for c in h.copies] for h in a.hits}
        theirs = {h.id: [c.id for c in h.copies] for h in b.hits}
        both = mine.keys() & theirs.keys()
        assert len(both) > 40 and {i: mine[i] for i in both} == {i: theirs[i] for i in both}
        assert any(mine[i] for i in both)


# --- acceptance: the web app survives losing the leader ------------------------------------------


def _get(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status == 200 and json.loads(reply.read())["total"] >= 0
    except (OSError, ValueError, urllib.error.HTTPError):
        return False


def _documents_served(backend: TypesenseBackend) -> int | None:
    """The documents a node serves; None while a restarted node has not replayed the alias yet."""
    try:
        return int(backend.stats()["documents"])
    except IndexMissing:
        return None


@typesense
@pytest.mark.slow
def test_serve_keeps_answering_when_the_leader_is_killed(
    typesense_env: Any, make_corpus: Callable, tmp_path: Path
) -> None:
    cluster = typesense_env
    corpus = make_corpus()
    reindex(corpus, tmp_path / "ix", jobs=1)
    log = tmp_path / "serve.log"
    with log.open("w") as out:  # a file, not a pipe: a full pipe would block the server
        server = subprocess.Popen(
            [sys.executable, "-c", "from search.cli import main; main()", "serve", "--index",
             str(tmp_path / "ix"), "--corpus", str(corpus), "--port", "0", "--workers", "2"],
            stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ),
        )  # fmt: skip
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline and server.poll() is None:
            if m := re.search(r"serving .* at http://127\.0\.0\.1:(\d+)/", log.read_text()):
                port = int(m.group(1))
            time.sleep(0.2)
        assert port, f"pressearch serve did not start: {log.read_text()[-2000:]}"
        urls = [
            f"http://127.0.0.1:{port}/api/search?q={q}&region=KR-46"
            for q in ("governor", "wind", "", "farmers")
        ]
        outcomes: list[tuple[float, bool]] = []
        stop = threading.Event()

        def client(url: str) -> None:
            while not stop.is_set():
                outcomes.append((time.monotonic(), _get(url)))

        threads = [threading.Thread(target=client, args=(u,)) for u in urls]
        for t in threads:
            t.start()
        time.sleep(2)
        leader = cluster.leader()
        assert leader is not None
        killed_at = time.monotonic()
        cluster.kill(leader, signal.SIGKILL)
        time.sleep(8)
        stop.set()
        for t in threads:
            t.join()
        before = [ok for at, ok in outcomes if at < killed_at]
        after_grace = [ok for at, ok in outcomes if at > killed_at + 2]
        assert before and all(before)
        assert len(after_grace) > 20 and after_grace.count(False) == 0, after_grace.count(False)
        # The killed node comes back on its data directory and catches up.
        cluster.start_node(leader)
        cluster.wait_ready(60, nodes=[leader])
        alone = TypesenseBackend(
            load_settings({**os.environ, "PRESSEARCH_TYPESENSE_NODES": leader.url})
        )
        deadline = time.monotonic() + 30
        while _documents_served(alone) != 6 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert alone.search(SearchRequest(query="governor")).total == 3
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_unreachable_cluster_is_a_503_and_a_clear_cli_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from web import create_app

    monkeypatch.setenv("PRESSEARCH_BACKEND", "typesense")
    monkeypatch.setenv("PRESSEARCH_TYPESENSE_NODES", "http://127.0.0.1:9,http://127.0.0.1:7")
    monkeypatch.setenv("PRESSEARCH_TYPESENSE_API_KEY", "k")
    client = create_app({"TESTING": True}).test_client()
    page = client.get("/search?q=governor")
    assert page.status_code == 503 and b"cannot be reached" in page.data
    assert client.get("/api/search?q=x").get_json()["status"] == 503
    assert client.get("/healthz").status_code == 503
    out = CliRunner().invoke(main, ["search", "governor"])
    assert out.exit_code == 1 and "Typesense cannot read the collection alias" in out.output
    monkeypatch.delenv("PRESSEARCH_TYPESENSE_API_KEY")
    out = CliRunner().invoke(main, ["search", "governor"])
    assert out.exit_code == 1 and "needs PRESSEARCH_TYPESENSE_API_KEY" in out.output


# --- acceptance: parity on the releases in other languages (issue 12) ----------------------------

MULTILINGUAL = SHARED / "corpus" / "intl" / "multilingual.jsonl"
MULTILINGUAL_QUERIES = SHARED / "labels" / "multilingual_queries.jsonl"


@typesense
@pytest.mark.shared
@pytest.mark.skipif(not MULTILINGUAL.is_file(), reason="../shared multilingual releases absent")
def test_parity_with_whoosh_on_releases_in_other_languages(
    monkeypatch: pytest.MonkeyPatch, typesense_env: Any, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "multilingual.jsonl").write_text(MULTILINGUAL.read_text("utf-8"), "utf-8")
    with (SHARED / "corpus" / "whitehouse_briefing_room.jsonl").open(encoding="utf-8") as fh:
        english = [next(fh) for _ in range(100)]  # beside 100 English releases
    (corpus / "english.jsonl").write_text("".join(english), "utf-8")
    assert reindex(corpus, tmp_path / "ts")["documents"] == 124
    ts = open_backend(tmp_path / "ts")
    monkeypatch.setenv("PRESSEARCH_BACKEND", "whoosh")
    reindex(corpus, tmp_path / "wx")
    whoosh = WhooshBackend(tmp_path / "wx")
    queries = [
        json.loads(line)["query"] for line in MULTILINGUAL_QUERIES.read_text("utf-8").splitlines()
    ]
    queries += ["police", "reunir -Bielsa", "Botschafter OR Jugendgruppe", "上海", "서울 방문"]
    for query in queries:
        _compare(
            whoosh,
            ts,
            SearchRequest(query=query),
            facets=tuple(whoosh.search(SearchRequest()).facets),
        )
    assert whoosh.search(SearchRequest(query="reunir")).total >= 3
    for backend in (whoosh, ts):  # more-like-this through the native words
        assert [h.id for h in backend.more_like_this("zh-hzfao-01", 1)] == ["zh-whfao-01"]
