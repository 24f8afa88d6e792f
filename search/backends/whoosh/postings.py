"""Whole posting lists as numpy arrays, from side postings or from Whoosh's own blocks."""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher

from search.backends.whoosh.whoosh_internals import block_postings


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
    """Documents matching ``q`` (unscored), from postings for the common query shapes."""
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
    # Phrases and the rest: Whoosh's matcher, once per search (scoring asks again).
    key = ("docs", q)
    found = cache.get(key)
    if found is None:
        found = cache[key] = np.zeros(size, dtype=bool)
        found[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
    return found.copy()  # callers combine masks in place
