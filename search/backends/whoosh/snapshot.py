"""One opened generation, as the search pipeline sees it: the plan executed with numpy masks."""

from __future__ import annotations

import json
import threading
from collections.abc import Container, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex

from search.backends.whoosh.collapse import GroupColumn, load_groups, rank_key
from search.backends.whoosh.columns import Columns
from search.backends.whoosh.facets import facet_counts
from search.backends.whoosh.fastwriter import SidePostings, side_paths
from search.backends.whoosh.generations import META, REGION_NAMES, read_words
from search.backends.whoosh.postings import query_mask
from search.backends.whoosh.scoring import bm25f, by_date, top
from search.extract.regions import fold as region_fold
from search.index.analysis import stem
from search.index.backend import MAX_PAGE, MAX_PER_PAGE, Copy
from search.index.groups import GROUPS_FILE
from search.index.pipeline import Clause, Execution, IndexView, Row, SearchPlan
from search.index.schema import TEXT_FIELDS
from search.index.suggest import Vocabulary


class Snapshot(IndexView):
    """One opened generation: the Whoosh index, its columns and vocabulary, searchers per thread."""

    def __init__(self, root: Path, name: str):
        self.name = name
        self.path = root / name
        self.ix = windex.open_dir(str(self.path))
        self.schema = self.ix.schema
        self._local = threading.local()
        self._lock = threading.Lock()
        try:
            self.meta = json.loads((self.path / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.meta = {}

    def searcher(self) -> Any:
        """This thread's searcher (Whoosh searchers are not shared between threads)."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    @cached_property
    def columns(self) -> Columns:
        with self._lock:
            return Columns(self.searcher())

    @cached_property
    def side(self) -> dict[str, SidePostings]:
        """Side postings (see ``fastwriter``) of the segments that have them."""
        out = {}
        for leaf, _offset in self.searcher().reader().leaf_readers():
            segment_id = leaf.segment().segment_id()
            if side_paths(self.path, segment_id)[0].exists():
                out[segment_id] = SidePostings(self.path, segment_id)
        return out

    @cached_property
    def groups(self) -> GroupColumn:
        """The generation's groups of copies as a column (``collapse``)."""
        groups = load_groups(self.path / GROUPS_FILE)
        searcher, alive = self.searcher(), self.columns.alive  # columns first: it locks too
        with self._lock:
            return GroupColumn(groups, lambda i: searcher.document_number(id=i), alive)

    @cached_property
    def region_names(self) -> dict[str, str]:
        try:
            return json.loads((self.path / REGION_NAMES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    # --- what the search pipeline asks (search.index.pipeline.IndexView) -----------------------

    @property
    def query_schema(self) -> Any:
        return self.schema

    @property
    def region_values(self) -> Container[Any]:
        return self.columns.facets["region"].index

    def resolve_region(self, value: str) -> str:
        return self.region_names.get(region_fold(value), value)

    def source_values(self, value: str) -> list[str]:
        """A source that is not a facet value stands for the values containing its words."""
        facet = self.columns.facets["source"]
        found = [value] if value in facet.index else facet.matching(value)
        return [str(v) for v in found] or [value]

    def known(self, word: str) -> bool:
        reader = self.searcher().reader()
        term = stem(word)
        return any(reader.doc_frequency(f, term) > 0 for f in TEXT_FIELDS)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(read_words(self.path))

    def execute(self, plan: SearchPlan) -> Execution:
        request = plan.request
        cache = self._cache(plan)
        base, filters, final = self._masks(plan, cache)
        groups = self.groups if request.collapse and self.groups else None
        scores, kept = self._collapsed(plan, final, cache, groups)
        total = int(np.count_nonzero(kept))
        page = []
        if plan.start < total:
            page = self._ranked(plan, kept, plan.stop, cache, scores)[plan.start : plan.stop]
        facets: dict[str, Any] = {}
        totals: dict[str, int] = {}
        if request.facets:
            count = groups.facet_counts if groups is not None else None
            facets = facet_counts(
                self.columns.facets, base, filters, plan.selected, request.facet_limit, totals,
                count,
            )  # fmt: skip
        return Execution(total, [self._row(d, s, final, groups) for d, s in page], facets, totals)

    def stream(self, plan: SearchPlan) -> tuple[int, Iterator[Row]]:
        """The plan executed once over every matching document; articles read as iterated."""
        cache = self._cache(plan)
        final = self._masks(plan, cache)[2]
        groups = self.groups if plan.request.collapse and self.groups else None
        scores, kept = self._collapsed(plan, final, cache, groups)
        total = int(np.count_nonzero(kept))
        ranked = self._ranked(plan, kept, min(total, MAX_PAGE * MAX_PER_PAGE), cache, scores)
        return total, (self._row(d, s, final, groups) for d, s in ranked)

    def copies(self, docs: list[dict[str, Any]]) -> list[tuple[Copy, ...]]:
        """The other members of each article's group, from their stored fields."""
        groups = self.groups
        if not groups:
            return [() for _ in docs]
        searcher = self.searcher()
        out = []
        for doc in docs:
            docnum = groups.numbers.get(str(doc.get("id")))  # None: in no group
            others = groups.copies(docnum) if docnum is not None else []
            out.append(tuple(Copy.from_fields(searcher.stored_fields(n)) for n in others))
        return out

    def _collapsed(
        self, plan: SearchPlan, final: np.ndarray, cache: dict[Any, Any], groups: Any
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """The relevance scores (when ranked), and the matches with one per group."""
        scores = None
        if plan.sort == "relevance":
            scores = bm25f(self.searcher(), self.columns.lengths, plan.parsed.query, cache)
        if groups is None:
            return scores, final
        return scores, groups.collapse(final, rank_key(plan.sort, scores, self.columns.date))

    def _row(
        self, docnum: int, score: float | None, final: np.ndarray, groups: GroupColumn | None
    ) -> Row:
        """A ranked document as a result row: its group's representative when that matches."""
        if groups is None:
            return self.article(docnum), score
        return self.article(groups.shown(docnum, final)), score

    # --- the translation ------------------------------------------------------------------------

    def _cache(self, plan: SearchPlan) -> dict[Any, Any]:
        """What one search's postings reads share: side postings, term postings, the budget."""
        return {"side": self.side, "budget": plan.budget}

    def _masks(
        self, plan: SearchPlan, cache: dict[Any, Any]
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """The matches before facet selections, each selected facet's mask, and the matches."""
        cols = self.columns
        base = cols.alive & self._filter_mask(plan, cache)
        filters = {
            name: cols.facets[name].mask(values, cols.size)
            for name, values in plan.selected.items()
            if values
        }
        final = base
        for fmask in filters.values():
            final = final & fmask
        return base, filters, final

    def _filter_mask(self, plan: SearchPlan, cache: dict[Any, Any]) -> np.ndarray:
        """Documents matching the query text, its clauses and the date range."""
        cols = self.columns
        out = np.ones(cols.size, dtype=bool)
        if plan.parsed.query is not None:
            out = query_mask(self.searcher(), plan.parsed.query, cols.size, cache)
            if plan.place is not None:
                out |= cols.facets["region"].mask([plan.place], cols.size)
        for clause in plan.clauses:
            out &= self._clause_mask(clause)
        if plan.date_range is not None:
            lo = _date_key(plan.date_range[0]) or 0
            hi = _date_key(plan.date_range[1]) or 99999999
            out &= (cols.date >= lo) & (cols.date <= hi) & (cols.date > 0)
        return out

    def _clause_mask(self, clause: Clause) -> np.ndarray:
        facet = self.columns.facets[clause.facet]
        values = clause.values if clause.values is not None else facet.matching(clause.words)
        return facet.mask(values, self.columns.size)

    def _ranked(
        self,
        plan: SearchPlan,
        mask: np.ndarray,
        stop: int,
        cache: dict[Any, Any],
        scores: np.ndarray | None = None,
    ) -> list[tuple[int, float | None]]:
        """The first ``stop`` matches as (docnum, score): by BM25F, or by date."""
        if stop <= 0:
            return []
        if plan.sort == "relevance":
            if scores is None:
                scores = bm25f(self.searcher(), self.columns.lengths, plan.parsed.query, cache)
            return list(top(scores, mask, stop))
        return [(d, None) for d in by_date(self.columns.date, mask, plan.sort, stop)]

    def article(self, docnum: int) -> dict[str, Any]:
        """The stored article of a document."""
        return json.loads(self.searcher().stored_fields(docnum)["doc"])


def _date_key(value: str | None) -> int | None:
    """ "YYYY-MM-DD" as the yyyymmdd integer of the date column."""
    if not value:
        return None
    digits = value.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else None
