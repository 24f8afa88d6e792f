"""Expensive query forms are refused or bounded, searches keep a time budget, exports stream."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search.backends.whoosh import postings
from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.documents import prepare
from search.backends.whoosh.snapshot import Snapshot
from search.index.backend import Backend, QueryNotSupported, SearchRequest
from search.index.pipeline import Budget
from search.ingest.article import Article

WORDS = ["harbour", "harvest", "hardware", "harmony", "wind", "farm", "water", "port"]


def _articles() -> list[Article]:
    rng = random.Random(14)
    out = []
    for i in range(60):
        words = rng.choices(WORDS, k=3)
        body = " ".join(words) + ". The president said the plan was ready."
        date = f"20{10 + i % 12}-0{1 + i % 9}-1{i % 10}"
        out.append(Article(id=f"r{i:02d}", path=f"r{i:02d}.txt", title=f"Release {words[0]}",
                           body=body, date=date, source="Port Authority"))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    b = WhooshBackend(tmp_path_factory.mktemp("limits"))
    txn = b.begin(full=True)
    for article in _articles():
        txn.add(prepare(article))
    txn.commit({"version": 1, "files": {}})
    return b


HOSTILE = [
    "*a*",
    " ".join(f"*{c}*" for c in "abcdefghijklmnopqrstuvwxyz"),
    " ".join(f"{c}*" for c in "abcdefghijklmnopqrst"),
    "har* wat* por* win* far*",
    "body:[a TO z]",
    "title:[a TO z] farm",
    '"the president said"~1000000',
    "farm NOT *ar",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_expensive_forms_are_refused_with_a_message(backend, text):
    with pytest.raises(QueryNotSupported) as refused:
        backend.search(SearchRequest(query=text))
    assert str(refused.value)  # a message the web shows with its 400
    with pytest.raises(QueryNotSupported):
        backend.iter_hits(SearchRequest(query=text))  # before the first row is streamed


@pytest.mark.parametrize(
    "text",
    ["har*", "harb*", "h?rvest", "har* OR wat* OR por* OR win*", '"president said"~10', "farm"],
)
def test_forms_within_the_limits_answer_whole(backend, text):
    result = backend.search(SearchRequest(query=text))
    assert result.total > 0 and not result.partial
    assert result.to_dict()["partial"] is False


def test_wildcard_expands_to_the_most_frequent_terms_and_says_partial(backend, monkeypatch):
    whole = backend.search(SearchRequest(query="har*", per_page=100))
    monkeypatch.setattr(postings, "MAX_EXPANSION", 1)
    bounded = backend.search(SearchRequest(query="har*", per_page=100))
    assert bounded.partial and bounded.to_dict()["partial"] is True
    assert 0 < bounded.total < whole.total
    # The one term kept is the most frequent "har" word, in every text field.
    snap = backend.snapshot()
    reader = snap.searcher().reader()
    stems = ("harbour", "harvest", "hardwar", "harmoni")
    best = max(stems, key=lambda w: sum(reader.doc_frequency(f, w) for f in ("title", "body")))
    assert bounded.total == backend.search(SearchRequest(query=best)).total


def test_scan_bound_cuts_a_prefix(backend, monkeypatch):
    monkeypatch.setattr(postings, "MAX_SCAN", 1)
    result = backend.search(SearchRequest(query="har*"))
    assert result.partial and result.total > 0


def test_spent_budget_gives_a_partial_answer_not_an_error(backend):
    result = backend.search(SearchRequest(query='"president said"~5', budget_ms=0))
    assert result.partial and result.total == 0 and result.hits == []
    # Plain words are read whole from postings: no budget check can cut them.
    words = backend.search(SearchRequest(query="harbour", budget_ms=0))
    assert not words.partial
    assert words.total == backend.search(SearchRequest(query="harbour")).total


def test_budget_counts_down():
    budget = Budget(None)
    assert not budget.exhausted() and budget.remaining_ms() is None and not budget.partial
    budget = Budget(60_000)
    assert not budget.exhausted() and 0 < (budget.remaining_ms() or 0) <= 60_000
    budget.cut()
    assert budget.partial
    assert Budget(0).exhausted()


def _paged(backend: WhooshBackend, request: SearchRequest) -> list[str]:
    """Every hit id through ``Backend.iter_hits``'s generic page-by-page version."""
    return [h.id for h in Backend.iter_hits(backend, request, batch=7)]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("text", ["", "harbour", "wind OR port", "har*", '"president said"'])
def test_iter_hits_streams_what_paging_finds(backend, text, sort):
    request = SearchRequest(query=text, sort=sort)
    stream = backend.iter_hits(request)
    ids = [h.id for h in stream]
    assert ids == _paged(backend, request)
    assert len(ids) == stream.total and not stream.partial


def test_iter_hits_runs_the_search_once_and_reads_articles_lazily(backend, monkeypatch):
    calls = {"masks": 0, "article": 0}
    masks, article = Snapshot._masks, Snapshot.article

    def counting_masks(self, *args):
        calls["masks"] += 1
        return masks(self, *args)

    def counting_article(self, docnum):
        calls["article"] += 1
        return article(self, docnum)

    monkeypatch.setattr(Snapshot, "_masks", counting_masks)
    monkeypatch.setattr(Snapshot, "article", counting_article)
    hits = iter(backend.iter_hits(SearchRequest(query="harbour", sort="newest")))
    first = next(hits)
    assert first.id and calls == {"masks": 1, "article": 1}
    rest = list(hits)
    assert calls["masks"] == 1 and calls["article"] == 1 + len(rest)


def test_web_answers_refused_forms_with_400(backend: WhooshBackend, tmp_path: Path):
    from web import create_app

    client = create_app({"INDEX_DIR": str(backend.root), "TESTING": True}).test_client()
    api = client.get("/api/search", query_string={"q": "*a*"})
    assert api.status_code == 400 and "wildcard" in api.get_json()["message"]
    csv = client.get("/export.csv", query_string={"q": "body:[a TO z]"})
    assert csv.status_code == 400
