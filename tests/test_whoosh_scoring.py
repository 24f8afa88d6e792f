"""The numpy BM25F (``scoring.bm25f``) against Whoosh's own ``BM25F`` on real releases.

The index has two segments, as after an incremental reindex: one from ``FastSegmentWriter``
(with side postings for common terms), one from Whoosh's writer, and a few deleted documents.
Whoosh is asked with the same B and K1; field boosts are in the indexed weights (the schema's
``field_boost``), so both see them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shared_releases import shared_releases
from whoosh import index as windex
from whoosh import scoring

from search.backends.whoosh.documents import prepare
from search.backends.whoosh.fastwriter import FastSegmentWriter
from search.backends.whoosh.postings import query_mask
from search.backends.whoosh.scoring import K1, B, bm25f
from search.backends.whoosh.snapshot import Snapshot
from search.index.query import parse
from search.index.schema import TEXT_FIELDS, make_schema

pytestmark = pytest.mark.shared

QUERIES = [
    # single words
    "president", "vaccine", "sentenced", "tariffs", "cannabis", "county",
    # several words (AND of each word in every text field)
    "district attorney charges", "covid vaccine distribution", "small business loans",
    "county court sentenced", "the president said",
    # phrases (scored as the AND of their words, only where the phrase occurs)
    '"executive order"', '"district attorney"', '"the president of the united states"',
    # field queries
    "title:president", "body:sentenced", "lead:announced", "title:(district attorney)",
    "date:2021-01-15",
    # OR, NOT, boosts, nesting
    "fentanyl OR heroin", "(fentanyl AND arrest) OR vaccine", "health NOT covid",
    "court NOT jury", "president -biden", "president OR NOT biden", "economy^2 jobs",
    '"executive order"^2 climate', "president^3", "court ANDNOT jury", "court REQUIRE jury",
    "president ANDMAYBE vaccine", '("district attorney" AND murder) OR "executive order"',
]  # fmt: skip


@pytest.fixture(scope="module")
def snapshot(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """Two segments of real releases with a few deletions, opened as the backend opens them."""
    root = tmp_path_factory.mktemp("scoring")
    (root / "gen-000001").mkdir()
    ix = windex.create_in(str(root / "gen-000001"), make_schema())
    articles = shared_releases(shared_corpus)
    first, second = articles[::3] + articles[1::3], articles[2::3]
    writer: Any = FastSegmentWriter(ix, side_fields=TEXT_FIELDS)
    for article in first:
        writer.add_document(**prepare(article))
    writer.commit()
    writer = ix.writer()
    for article in second:
        writer.add_document(**prepare(article))
    for article in first[::25]:
        writer.delete_by_term("id", article.id)
    writer.commit(merge=False)
    return Snapshot(root, "gen-000001")


def test_the_index_has_what_the_comparison_needs(snapshot: Snapshot) -> None:
    reader = snapshot.searcher().reader()
    assert len(list(reader.leaf_readers())) == 2
    assert reader.doc_count_all() >= 300 and reader.doc_count() < reader.doc_count_all()
    assert snapshot.side and len(next(iter(snapshot.side.values())).directory) > 50


@pytest.mark.parametrize("text", QUERIES)
def test_bm25f_scores_every_match_as_whoosh_does(snapshot: Snapshot, text: str) -> None:
    q = parse(text, snapshot.schema).query
    assert q is not None
    searcher, cols = snapshot.searcher(), snapshot.columns
    cache: dict[Any, Any] = {"side": snapshot.side}
    ours = bm25f(searcher, cols.lengths, q, cache)
    mask = query_mask(searcher, q, cols.size, cache) & cols.alive
    with snapshot.ix.searcher(weighting=scoring.BM25F(B=B, K1=K1)) as whoosh:
        theirs = {hit.docnum: hit.score for hit in whoosh.search(q, limit=None)}
    assert theirs, f"{text!r} matches nothing: the comparison would prove nothing"
    assert sorted(theirs) == np.flatnonzero(mask).tolist()
    docs = np.array(sorted(theirs))
    expected = np.array([theirs[d] for d in docs])
    np.testing.assert_allclose(ours[docs], expected, rtol=1e-6)
