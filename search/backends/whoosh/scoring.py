"""BM25F over whole posting lists with numpy, and the top of a ranking.

The same scores as Whoosh's ``scoring.BM25F`` with its defaults (B=0.75, K1=1.2) and the field
boosts of the schema (``tests/test_whoosh_scoring.py`` compares them on real releases): each
term scored per field, combined as Whoosh's matchers combine them. An ``Or`` sums the clauses a
document matches, an ``And`` or a phrase sums its terms, ``a ANDNOT b`` and ``a REQUIRE b``
score ``a``, ``a ANDMAYBE b`` adds ``b`` where it matches, and a ``Not`` clause adds 1.0
wherever it matches (Whoosh's ``InverseMatcher``). Wildcards, prefixes and ranges match
without adding to the score (Whoosh would add a constant per clause).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import query as wq

from search.backends.whoosh.postings import query_mask, term_postings

B, K1 = 0.75, 1.2
NOT_SCORE = 1.0  # what Whoosh's InverseMatcher gives each document a Not clause matches
# Queries whose summed scores can be non-zero on documents they do not match.
_NOT_EXACT = (wq.And, wq.Phrase, wq.AndNot, wq.AndMaybe, wq.Require, wq.Not)


def bm25f(
    searcher: Any, lengths: dict[str, np.ndarray], q: wq.Query, cache: dict[Any, Any]
) -> np.ndarray:
    """BM25F of the documents matching ``q`` (other documents' values mean nothing: callers
    mask them); ``lengths`` are the field lengths per document as Whoosh's scorer sees them."""
    size = len(next(iter(lengths.values())))
    scores = np.zeros(size)
    _TreeScorer(searcher, lengths, cache, size).add(q, scores, exact=False)
    return scores


class _TreeScorer:
    """Adds the scores of a query tree into a vector, node by node."""

    def __init__(self, searcher: Any, lengths: dict[str, np.ndarray], cache: dict, size: int):
        self.searcher, self.lengths, self.cache, self.size = searcher, lengths, cache, size

    def add(self, q: wq.Query, out: np.ndarray, exact: bool) -> None:
        """Add ``q``'s scores to ``out``: right wherever ``q`` matches, and, when ``exact``,
        nothing where it does not (a clause of an ``Or`` must not score the documents that the
        ``Or`` matches through another clause)."""
        masked = exact and isinstance(q, _NOT_EXACT)
        boost = _matcher_boost(q)
        if not masked and boost == 1.0:  # the common case: straight into ``out``
            self._add_node(q, out)
            return
        part = np.zeros(self.size)
        self._add_node(q, part)
        if masked:
            part[~query_mask(self.searcher, q, self.size, self.cache)] = 0.0
        out += part * boost if boost != 1.0 else part

    def _add_node(self, q: wq.Query, out: np.ndarray) -> None:
        """Add ``q``'s scores, unboosted, right where ``q`` matches (anything elsewhere)."""
        if isinstance(q, wq.Term):
            self._add_term(q.fieldname, q.text, out)
        elif isinstance(q, wq.Phrase):  # Whoosh scores a phrase as the And of its words
            for word in q.words:
                self._add_term(q.fieldname, word, out)
        elif isinstance(q, wq.Not):
            out += NOT_SCORE
        elif isinstance(q, (wq.AndNot, wq.Require)):
            self.add(q.a, out, exact=False)
        elif isinstance(q, wq.AndMaybe):
            self.add(q.a, out, exact=False)
            self.add(q.b, out, exact=True)
        elif isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
            for sub in q.subqueries:
                self.add(sub, out, exact=True)
        elif isinstance(q, wq.And):
            for sub in q.subqueries:
                self.add(sub, out, exact=False)

    def _add_term(self, fieldname: str, text: Any, out: np.ndarray) -> None:
        ids, weights = term_postings(self.searcher, fieldname, text, self.cache)
        if not len(ids):
            return
        lengths = self.lengths.get(fieldname)
        if lengths is None:  # not a scorable field: Whoosh's WeightScorer scores the weight
            out[ids] += weights
            return
        idf = self.searcher.idf(fieldname, text)
        avg = self.searcher.avg_field_length(fieldname) or 1.0
        norm = K1 * ((1 - B) + B * lengths[ids] / avg)
        out[ids] += idf * (weights * (K1 + 1)) / (weights + norm)


def _matcher_boost(q: wq.Query) -> float:
    """The boost Whoosh's matcher for ``q`` applies: terms, phrases and compound queries of
    several clauses wrap theirs in a boosting matcher; ``Not`` and binary queries ignore theirs."""
    if isinstance(q, (wq.Term, wq.Phrase)):
        return float(q.boost)
    if isinstance(q, (wq.And, wq.Or)) and len(q.subqueries) > 1:
        return float(q.boost)
    return 1.0


def top(scores: np.ndarray, mask: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) pairs among ``mask``, ties in index order."""
    docs = np.flatnonzero(mask)
    if len(docs) > limit * 4:
        part = np.argpartition(-scores[docs], limit - 1)[:limit]
        # Widen to every document tied with the last one kept, so ties break by docnum.
        cutoff = scores[docs[part]].min()
        docs = docs[scores[docs] >= cutoff]
    order = np.lexsort((docs, -scores[docs]))[:limit]
    return [(int(d), float(scores[d])) for d in docs[order]]


def by_date(dates: np.ndarray, mask: np.ndarray, sort: str, limit: int) -> list[int]:
    """The first ``limit`` documents of ``mask`` by date ("newest" or "oldest").

    Undated documents (date 0) go last either way; equal dates keep index order.
    """
    docs = np.flatnonzero(mask)
    day = dates[docs]
    if sort == "newest":
        key = np.where(day > 0, 99999999 - day, 99999999)
    else:
        key = np.where(day > 0, day, 99999999)
    key = key * (len(dates) + 1) + docs
    if len(key) > limit * 2:
        part = np.argpartition(key, limit - 1)[:limit]
        docs, key = docs[part], key[part]
    return docs[np.argsort(key, kind="stable")][:limit].tolist()
