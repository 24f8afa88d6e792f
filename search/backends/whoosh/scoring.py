"""BM25F over whole posting lists with numpy, and the top of a ranking.

The same scores as Whoosh's ``scoring.BM25F`` with its defaults (B=0.75, K1=1.2) and the field
boosts of the schema, summed over the positive terms of a query (``tests`` compare them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import query as wq

from search.backends.whoosh.postings import term_postings

B, K1 = 0.75, 1.2


def bm25f(
    searcher: Any, lengths: dict[str, np.ndarray], q: wq.Query, cache: dict[Any, Any]
) -> np.ndarray:
    """BM25F of every document for ``q``; ``lengths`` are the field lengths per document as
    Whoosh's scorer sees them."""
    size = len(next(iter(lengths.values())))
    scores = np.zeros(size)
    for fieldname, text, boost in positive_terms(q):
        if fieldname not in lengths:
            continue
        ids, weights = term_postings(searcher, fieldname, text, cache)
        if not len(ids):
            continue
        idf = searcher.idf(fieldname, text)
        avg = searcher.avg_field_length(fieldname) or 1.0
        norm = K1 * ((1 - B) + B * lengths[fieldname][ids] / avg)
        scores[ids] += boost * idf * (weights * (K1 + 1)) / (weights + norm)
    return scores


def positive_terms(q: wq.Query, boost: float = 1.0) -> list[tuple[str, str, float]]:
    """(field, term, boost) of every term that counts towards a document's score."""
    boost *= q.boost
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text, boost)] if isinstance(q.text, str) else []
    if isinstance(q, wq.Phrase):
        return [(q.fieldname, w, boost) for w in q.words]
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return positive_terms(q.a, boost)
    if isinstance(q, wq.CompoundQuery):
        return [t for sub in q.subqueries for t in positive_terms(sub, boost)]
    return []


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
