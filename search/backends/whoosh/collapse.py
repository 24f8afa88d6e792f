"""Groups of copies as numpy columns: one hit per group, facet values counted per group.

``groups.json`` of a generation (``search.index.groups``) becomes, once per opened snapshot,
a group column: each document's group is the docnum of the group's representative (its first
member in the index), and a document in no group is its own. Only the documents of groups
of two or more (usually a small share) need work at search time: collapsing keeps each
group's best-ranked match, and a facet count subtracts the members that repeat a value
another member of their group already counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from search.backends.whoosh.facets import Facet
from search.index.groups import Groups

UNDATED = 99999999  # the sort key of an undated release: last either way


class GroupColumn:
    """Each document's group (a docnum), and the documents in groups of two or more."""

    def __init__(self, groups: Groups, docnum: Callable[[str], int | None], alive: np.ndarray):
        size = len(alive)
        self.group = np.arange(size, dtype=np.int64)
        self.members: dict[int, list[int]] = {}  # representative -> members, in group order
        self.numbers: dict[str, int] = {}  # doc id -> docnum, of the documents in groups
        for ids in groups.members.values():
            found = {i: docnum(i) for i in ids}
            nums = [n for n in found.values() if n is not None and alive[n]]
            if len(nums) > 1:
                self.group[nums] = nums[0]
                self.members[nums[0]] = nums
                self.numbers.update((i, n) for i, n in found.items() if n in nums)
        every = [n for nums in self.members.values() for n in nums]
        self.grouped = np.unique(np.array(every, dtype=np.int64))
        self.in_group = np.zeros(size, dtype=bool)
        self.in_group[self.grouped] = True
        self._pairs: dict[str, _Pairs] = {}

    def __bool__(self) -> bool:
        return bool(self.members)

    def copies(self, docnum: int) -> list[int]:
        """The other members of a document's group, in group order."""
        return [n for n in self.members.get(int(self.group[docnum]), ()) if n != docnum]

    def collapse(self, mask: np.ndarray, key: np.ndarray) -> np.ndarray:
        """``mask`` with each group's matches but the first by ``key`` (ascending, then
        docnum: the ranking's order) taken out."""
        docs = self.grouped[mask[self.grouped]]
        if not len(docs):
            return mask
        groups = self.group[docs]
        order = np.lexsort((docs, key[docs], groups))
        first = np.ones(len(order), dtype=bool)
        first[1:] = groups[order][1:] != groups[order][:-1]
        out = mask.copy()
        out[docs[order][~first]] = False
        return out

    def shown(self, docnum: int, mask: np.ndarray) -> int:
        """The document a group's hit shows: its representative when that matches."""
        rep = int(self.group[docnum])
        return rep if mask[rep] else docnum

    def facet_counts(self, facet: Facet, mask: np.ndarray) -> np.ndarray:
        """Groups per value id: a group counts once for a value any of its matches has."""
        counts = facet.counts(mask)
        pairs = self._pairs.get(facet.name)
        if pairs is None:
            pairs = self._pairs[facet.name] = _Pairs(facet, self)
        if not len(pairs.docs):
            return counts
        sel = mask[pairs.docs]
        # Each matching posting of a grouped document was counted above; count its (value,
        # group) pair once instead: subtract the one, add the other.
        seen = np.zeros(len(pairs.value), dtype=bool)
        seen[pairs.pair[sel]] = True
        size = len(counts)
        repeats = np.bincount(pairs.vals[sel], minlength=size)
        return counts - repeats + np.bincount(pairs.value[seen], minlength=size)


class _Pairs:
    """A facet's postings of grouped documents, each with the number of its (value, group)
    pair: found once per snapshot, so that counting is a scatter and a bincount, no sort."""

    def __init__(self, facet: Facet, groups: GroupColumn):
        where = np.flatnonzero(groups.in_group[facet.docs])
        self.docs = facet.docs[where]
        self.vals = facet.vals[where]
        size = len(groups.group)
        keys, self.pair = np.unique(self.vals * size + groups.group[self.docs], return_inverse=True)
        self.value = keys // size  # each pair's value id


def rank_key(sort: str, scores: np.ndarray | None, dates: np.ndarray) -> np.ndarray:
    """Per document, a key whose ascending order is the ranking's (ties: docnum)."""
    if sort == "relevance" and scores is not None:
        return -scores
    if sort == "newest":
        return np.where(dates > 0, UNDATED - dates, UNDATED)
    return np.where(dates > 0, dates, UNDATED)


def load_groups(path: Any) -> Groups:
    """The generation's groups; none when the file is missing or unreadable."""
    try:
        return Groups.load(path)
    except (OSError, ValueError, TypeError, AttributeError):
        return Groups.empty()
