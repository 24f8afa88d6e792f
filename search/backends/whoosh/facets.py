"""Facet values as numpy columns: counting over a mask of matching documents."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from search.index.analysis import WORD, fold
from search.index.backend import FacetValue
from search.index.facets import facet_list


class Facet:
    """Per-document values of one facet, as parallel arrays built once per index snapshot.

    ``docs[i]`` has value ``names[vals[i]]``; a document may appear several times (multi-valued
    fields) or not at all. Counting over a boolean mask of matching documents is two numpy calls.
    """

    def __init__(self, name: str, names: Sequence[str | int], docs: np.ndarray, vals: np.ndarray):
        self.name = name
        self.names = list(names)
        self.index = {v: i for i, v in enumerate(self.names)}
        self.docs = docs.astype(np.int64, copy=False)
        self.vals = vals.astype(np.int64, copy=False)
        self._folded: list[str] | None = None
        # Each value's place in value order, so that sorting by value is a numpy sort.
        self.rank = np.empty(len(self.names), dtype=np.int64)
        by_name = sorted(range(len(self.names)), key=lambda i: (str(self.names[i]), i))
        if isinstance(self.names[0] if self.names else "", int):
            by_name = sorted(range(len(self.names)), key=lambda i: self.names[i])
        self.rank[by_name] = np.arange(len(self.names))

    def value_ids(self, values: Iterable[str | int]) -> list[int]:
        return [self.index[v] for v in values if v in self.index]

    def mask(self, values: Iterable[str | int], size: int) -> np.ndarray:
        """Documents having any of ``values`` (OR within a facet)."""
        out = np.zeros(size, dtype=bool)
        ids = self.value_ids(values)
        if ids:
            out[self.docs[np.isin(self.vals, ids)]] = True
        return out

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Matching documents per value id."""
        return np.bincount(self.vals[mask[self.docs]], minlength=len(self.names))

    def values(
        self,
        mask: np.ndarray,
        selected: Sequence[str | int] = (),
        limit: int | None = None,
        by_value: bool = False,
        counts: np.ndarray | None = None,
    ) -> list[FacetValue]:
        """Values with counts: by count (or by value), selected ones always listed."""
        counts = self.counts(mask) if counts is None else counts
        nonzero = np.flatnonzero(counts)
        rank = self.rank[nonzero]
        if by_value:
            order = nonzero[np.argsort(rank)]
        else:
            # Count descending, then value ascending: a stable order for equal counts.
            order = nonzero[np.lexsort((rank, -counts[nonzero]))]
        order = order[:limit].tolist() if limit is not None else order.tolist()

        def count_of(value: str | int) -> int:
            i = self.index.get(value)
            return int(counts[i]) if i is not None else 0

        ordered = [(self.names[i], int(counts[i])) for i in order]
        return facet_list(ordered, selected, count_of, by_value)

    def matching(self, text: str) -> list[str | int]:
        """Values whose folded form contains the folded ``text`` (for ``field:value`` queries)."""
        if self._folded is None:
            self._folded = [" ".join(WORD.findall(fold(str(n)))) for n in self.names]
        needle = " ".join(WORD.findall(fold(text)))
        if not needle:
            return []
        exact = [n for n, f in zip(self.names, self._folded, strict=True) if f == needle]
        if exact:
            return exact
        pattern = re.compile(r"(?:^| )" + re.escape(needle) + r"(?: |$)")
        return [n for n, f in zip(self.names, self._folded, strict=True) if pattern.search(f)]


def facet_counts(
    facets: dict[str, Facet],
    base: np.ndarray,
    filters: dict[str, np.ndarray],
    selected: Mapping[str, Sequence[str | int]],
    limit: int | None = None,
    totals: dict[str, int] | None = None,
    count: Callable[[Facet, np.ndarray], np.ndarray] | None = None,
) -> dict[str, list[FacetValue]]:
    """Each facet counted over ``base`` and every other facet's filter, not its own.

    ``limit`` cuts every list but the years' (a chart shows them all); ``totals``, when given,
    receives each facet's number of values with a count; ``count`` counts a facet's values
    over a mask when documents are not what is counted (groups of copies).
    """
    out: dict[str, list[FacetValue]] = {}
    for name, facet in facets.items():
        mask = base
        for other, fmask in filters.items():
            if other != name:
                mask = mask & fmask
        counts = facet.counts(mask) if count is None else count(facet, mask)
        if totals is not None:
            totals[name] = int(np.count_nonzero(counts))
        cut = None if name == "year" else limit
        out[name] = facet.values(
            mask, selected.get(name, ()), cut, by_value=name == "year", counts=counts
        )
    return out
