"""The schema and analyzer, pre-analyzed postings, and the generation layout of an index."""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.support.charset import accent_map

from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.documents import article_fields, prepare
from search.backends.whoosh.generations import POINTER, collect_garbage, generations, read_pointer
from search.index.analysis import FoldingStemAnalyzer, fold, terms
from search.index.backend import SearchRequest
from search.index.schema import make_schema
from search.ingest.article import Article


def test_analyzer_matches_whoosh_stemming_with_accent_folding():
    reference = StemmingAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)
    text = "Café owners in São Paulo announced 3.5 million jobs; the Governor's visits ran."
    ours = [t.text for t in FoldingStemAnalyzer()(text)]
    assert ours == [t.text for t in reference(text)]
    assert terms("Visits VISITING visited") == ["visit", "visit", "visit"]
    assert fold("ÉCOLE Straße") == "ecole strasse"


def test_analyzer_offsets_point_into_the_original_text():
    text = "Der Bürgermeister von München"
    tokens = [(t.text, t.startchar, t.endchar) for t in FoldingStemAnalyzer()(text, chars=True)]
    assert [text[s:e] for _, s, e in tokens] == ["Der", "Bürgermeister", "von", "München"]
    assert tokens[3][0] == "munchen"


def test_preanalyzed_fields_index_like_plain_text():
    schema = make_schema()
    article = Article(id="1", path="p", title="Wind farms", body="Offshore wind farms near Sinan.")
    pre = article_fields(article, schema)
    plain = article_fields(article, schema, preanalyze=False)
    for name in ("title", "body"):
        assert sorted(pre[name]) == sorted(schema[name].index(plain[name]))


def _commit(backend: WhooshBackend, articles: list[Article], full: bool = False) -> None:
    txn = backend.begin(full=full)
    for a in articles:
        txn.add(prepare(a))
    txn.commit({"version": 1, "files": {}})


def test_generations_swap_and_old_ones_are_collected(tmp_path):
    backend = WhooshBackend(tmp_path)
    _commit(backend, [Article(id="a", path="a", title="First", body="one")], full=True)
    assert read_pointer(tmp_path) == "gen-000001"
    assert backend.search(SearchRequest("one")).total == 1
    _commit(backend, [Article(id="b", path="b", title="Second", body="two")])
    assert read_pointer(tmp_path) == "gen-000002"
    assert backend.search(SearchRequest()).total == 2  # incremental: on top of gen 1
    _commit(backend, [Article(id="c", path="c", title="Third", body="three")], full=True)
    assert backend.search(SearchRequest()).total == 1  # full: from empty
    assert generations(tmp_path) == ["gen-000002", "gen-000003"]


def test_abort_and_leftovers_leave_the_live_generation(tmp_path):
    backend = WhooshBackend(tmp_path)
    _commit(backend, [Article(id="a", path="a", title="First", body="one")], full=True)
    txn = backend.begin()
    txn.add(prepare(Article(id="b", path="b", title="Never", body="seen")))
    txn.abort()
    assert generations(tmp_path) == ["gen-000001"]
    # A killed writer leaves a half-written generation behind: readers ignore it,
    # the next reindex removes it.
    (tmp_path / "gen-000007").mkdir()
    (tmp_path / "gen-000007" / "junk").write_text("x")
    # Killed between writing the new pointer and renaming it over the old one.
    (tmp_path / (POINTER + ".tmp")).write_text("gen-000007\n")
    assert backend.search(SearchRequest()).total == 1
    collect_garbage(tmp_path)
    assert generations(tmp_path) == ["gen-000001"]
    assert not (tmp_path / (POINTER + ".tmp")).exists()
    assert (tmp_path / POINTER).read_text().strip() == "gen-000001"


def test_incremental_generation_does_not_touch_the_live_files(tmp_path):
    backend = WhooshBackend(tmp_path)
    _commit(backend, [Article(id="a", path="a", title="First", body="one")], full=True)
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "gen-000001").iterdir()}
    txn = backend.begin()
    txn.delete_path("a")
    txn.add(prepare(Article(id="b", path="b", title="Second", body="two")))
    txn.commit({"version": 1, "files": {}})
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "gen-000001").iterdir()}
    assert before == after
    assert [d.id for d in backend.search(SearchRequest()).hits] == ["b"]


def test_lead_is_indexed_once_and_body_queries_still_find_it(tmp_path):
    lead = "The governor opened the new harbour on Monday."
    article = Article(id="a", path="a", title="Harbour", lead=lead,
                      body=lead + "\n\nRice farmers welcomed the news.")  # fmt: skip
    fields_ = article_fields(article, make_schema(), preanalyze=False)
    assert fields_["lead"] == lead and fields_["body"] == "Rice farmers welcomed the news."
    backend = WhooshBackend(tmp_path)
    _commit(backend, [article, Article(id="b", path="b", title="Other", body="Nothing here.")])
    for q in ("body:harbour", 'body:"opened the new harbour"', "governor rice", "lead:monday",
              '"opened the new harbour"', "body:rice", "body:harb*"):  # fmt: skip
        assert [h.id for h in backend.search(SearchRequest(q)).hits] == ["a"], q
    assert backend.search(SearchRequest("lead:rice")).total == 0
    assert backend.search(SearchRequest("-body:harbour")).total == 1
    assert backend.document("a")["body"].startswith(lead)  # the stored article is whole
