"""Whole posting lists as numpy arrays, from side postings or from Whoosh's own blocks.

Wildcards and prefixes expand against a bounded part of the vocabulary (``MAX_SCAN`` terms read,
the ``MAX_EXPANSION`` most frequent kept); the rest of the query forms that Whoosh's matchers
run stop at the search's time budget. Either way the answer is then marked partial.
"""

from __future__ import annotations

import heapq
import re
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher

from search.backends.whoosh.whoosh_internals import block_postings
from search.index.pipeline import Budget

MAX_SCAN = 20_000  # vocabulary entries one wildcard or prefix reads, per field
MAX_EXPANSION = 256  # terms one wildcard or prefix expands to, per field (most frequent first)
_CHECK_EVERY = 256  # matches (or terms) between two looks at the clock
_NO_BUDGET = Budget(None)


def posting_ids(matcher: Any) -> np.ndarray:
    """All document numbers of a term's postings, block by block when the codec allows."""
    return _postings(matcher, weights=False)[0]


def _postings(matcher: Any, weights: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """Document numbers and weights (term frequency x field boost) of a term's postings.

    Reads Whoosh 3 blocks whole instead of stepping the matcher posting by posting.
    Deleted documents are included: callers mask them out with ``Columns.alive``.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    blocks = block_postings(matcher, weights)
    if blocks is None:
        if not weights:
            return np.fromiter(matcher.all_ids(), dtype=np.int64), None
        items = list(matcher.items_as("weight"))
        ids = np.array([i for i, _ in items], dtype=np.int64)
        return ids, np.array([w for _, w in items], dtype=np.float64)
    id_chunks, weight_chunks = blocks
    if not id_chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0) if weights else None
    ids = np.concatenate([np.asarray(chunk, dtype=np.int64) for chunk in id_chunks])
    if not weights:
        return ids, None
    return ids, np.concatenate([np.asarray(chunk, dtype=np.float64) for chunk in weight_chunks])


def term_postings(
    searcher: Any, fieldname: str, text: str, cache: dict[Any, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings over all segments (global docnums), read once per search.

    ``cache["side"]`` holds the side postings of the segments that have them.
    """
    key = (fieldname, text)
    found = cache.get(key)
    if found is None:
        ids, weights = [], []
        side = cache.get("side") or {}
        for leaf, offset in searcher.reader().leaf_readers():
            postings = side.get(leaf.segment().segment_id())
            got = postings.get(fieldname, text) if postings is not None else None
            if got is not None:
                ids.append(got[0] + offset)
                weights.append(got[1])
            elif key in leaf:
                i, w = _postings(leaf.postings(fieldname, text))
                ids.append(i + offset)
                weights.append(w)
        if ids:
            found = (np.concatenate(ids), np.concatenate(weights))
        else:
            found = (np.zeros(0, dtype=np.int64), np.zeros(0))
        cache[key] = found
    return found


def query_mask(searcher: Any, q: wq.Query, size: int, cache: dict[Any, Any]) -> np.ndarray:
    """Documents matching ``q`` (unscored), from postings for the common query shapes.

    ``cache["budget"]`` is the search's ``Budget`` (none: no limit).
    """
    if isinstance(q, wq.Term):
        out = np.zeros(size, dtype=bool)
        out[term_postings(searcher, q.fieldname, q.text, cache)[0]] = True
        return out
    if isinstance(q, wq.And):
        out = np.ones(size, dtype=bool)
        for sub in q.subqueries:
            out &= query_mask(searcher, sub, size, cache)
        return out
    if isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
        out = np.zeros(size, dtype=bool)
        for sub in q.subqueries:
            out |= query_mask(searcher, sub, size, cache)
        return out
    if isinstance(q, wq.AndNot):
        return query_mask(searcher, q.a, size, cache) & ~query_mask(searcher, q.b, size, cache)
    if isinstance(q, wq.Not):
        return ~query_mask(searcher, q.query, size, cache)
    key = ("docs", q)
    found = cache.get(key)
    if found is None:
        if isinstance(q, wq.Wildcard | wq.Prefix):
            found = _pattern_mask(searcher, q, size, cache)
        else:  # phrases and the rest: Whoosh's matcher, once per search (scoring asks again)
            found = _matcher_mask(searcher, q, size, cache.get("budget", _NO_BUDGET))
        cache[key] = found
    return found.copy()  # callers combine masks in place


def _pattern_mask(searcher: Any, q: wq.Query, size: int, cache: dict[Any, Any]) -> np.ndarray:
    out = np.zeros(size, dtype=bool)
    budget = cache.get("budget", _NO_BUDGET)
    for i, text in enumerate(expand(searcher, q, budget)):
        if i % 16 == 15 and budget.exhausted():
            break
        out[term_postings(searcher, q.fieldname, text, cache)[0]] = True
    return out


def expand(searcher: Any, q: wq.Wildcard | wq.Prefix, budget: Budget) -> list[str]:
    """The indexed terms a wildcard or prefix matches: among the first ``MAX_SCAN`` terms that
    start with its letters before any ``*`` or ``?``, the ``MAX_EXPANSION`` most frequent."""
    text = str(q.text)
    head = re.split(r"[*?]", text, maxsplit=1)[0] if isinstance(q, wq.Wildcard) else text
    pattern = _wildcard(text) if isinstance(q, wq.Wildcard) else None
    found: list[tuple[int, str]] = []
    reader = searcher.reader()
    if q.fieldname not in reader.schema:
        return []
    for scanned, (btext, info) in enumerate(reader.iter_prefix(q.fieldname, head), 1):
        if scanned > MAX_SCAN or (scanned % _CHECK_EVERY == 0 and budget.exhausted()):
            budget.cut()
            break
        term = btext.decode("utf-8")
        if pattern is None or pattern.fullmatch(term):
            found.append((-info.doc_frequency(), term))
    if len(found) > MAX_EXPANSION:
        budget.cut()
        found = heapq.nsmallest(MAX_EXPANSION, found)
    return [term for _df, term in found]


def _wildcard(text: str) -> re.Pattern[str]:
    parts = re.split(r"([*?])", text)
    return re.compile("".join({"*": ".*", "?": "."}.get(p, re.escape(p)) for p in parts))


def _matcher_mask(searcher: Any, q: wq.Query, size: int, budget: Budget) -> np.ndarray:
    """The documents Whoosh's matcher for ``q`` finds before the budget runs out."""
    ids: list[int] = []
    if isinstance(q, wq.Phrase):
        q = _budgeted_phrase(q, budget)
    if not budget.exhausted():
        for docnum in searcher.docs_for_query(q):
            ids.append(docnum)
            if budget.exhausted():
                break
    out = np.zeros(size, dtype=bool)
    out[np.array(ids, dtype=np.int64)] = True
    return out


def _budgeted_phrase(q: wq.Phrase, budget: Budget) -> wq.Query:
    """``q`` as Whoosh's ``Phrase.matcher`` builds it (``SpanNear2`` over its words' terms),
    with term matchers that end when the budget does: a phrase of common words can step
    through every document before its first match, and this stops it anywhere."""
    terms = [_BudgetedTerm(q.fieldname, word, budget) for word in q.words]
    return wq.SpanNear2(terms, slop=q.slop, ordered=True, mindist=1)


class _BudgetedTerm(wq.Term):
    def __init__(self, fieldname: str, text: str, budget: Budget):
        super().__init__(fieldname, text)
        self.budget = budget

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _BudgetedMatcher(super().matcher(searcher, context), self.budget)


class _BudgetedMatcher(WrappingMatcher):
    """A matcher that stops (is no longer active) once the budget is spent."""

    def __init__(self, child: Any, budget: Budget):
        super().__init__(child)
        self.budget = budget

    def _replacement(self, newchild: Any) -> Any:
        return _BudgetedMatcher(newchild, self.budget)

    def is_active(self) -> bool:
        return bool(self.child.is_active()) and not self.budget.exhausted()
