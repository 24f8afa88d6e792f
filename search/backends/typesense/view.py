"""One state of the live generation, as the search pipeline sees it: plans become Typesense
``multi_search`` requests.

A ``multi_search`` carries the main query of each segment (see ``segments``) plus, for each
facet with a selection, one query without that facet's own filter (multi-select counts); years
get a query of their own, all values, for the chart. Snippets are made from the stored article
by the pipeline (Typesense highlights the indexed stems, which are not display text).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Container
from functools import cached_property
from typing import Any, Protocol

from typesense import exceptions as tse

from search.backends.typesense.copies import (
    GROUP_FIELD,
    copies_of,
    grouped_params,
    grouped_rows,
)
from search.backends.typesense.documents import epoch
from search.backends.typesense.query import quote, translate
from search.backends.typesense.segments import Segment, doc_and_score, segments, values_expr
from search.extract.regions import fold as region_fold
from search.index.analysis import WORD, stem
from search.index.backend import FACETS, Copy, FacetValue, QueryNotSupported
from search.index.facets import by_count, facet_list
from search.index.languages import is_native
from search.index.pipeline import Clause, Execution, IndexView, SearchPlan
from search.index.schema import FACET_FIELDS, make_schema
from search.index.suggest import Vocabulary

# Values listed per facet: Typesense 0.24 reads a stored document for each value it returns,
# so listing every value costs ~0.15 ms a value (600 ms for 4 x 1,000 on 23k releases).
DEFAULT_FACET_VALUES = 100  # when the request sets no limit; the web page shows at most 100
MAX_FACET_VALUES = 1000
FACET_NAMES = {v: k for k, v in FACET_FIELDS.items()}
NOTHING = "dated:=-1"  # a filter no release passes
_QUERY_SCHEMA = make_schema()  # the query parser's fields and analyzer


class Store(Protocol):
    """What a view reads through its backend (``TypesenseBackend``), and no more."""

    alias: str

    def meta_name(self, collection: str) -> str: ...
    def get(self, collection: str, doc_id: str) -> dict[str, Any] | None: ...
    def read_words(self, collection: str) -> dict[str, int]: ...
    def multi_search(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]: ...
    def forget(self, view: TypesenseView) -> None: ...


class TypesenseView(IndexView):
    """What a searching process knows of one state of the live generation."""

    def __init__(self, store: Store, collection: str, stamp: int, checked: float):
        self.store = store
        self.collection = collection
        self.stamp = stamp
        self.checked = checked

    @cached_property
    def regions(self) -> dict[str, str]:
        doc = self.store.get(self.store.meta_name(self.collection), "regions")
        if doc is None:
            self.store.forget(self)  # a reindex dropped this generation: look again next time
        return json.loads(doc["map"]) if doc else {}

    @cached_property
    def words(self) -> dict[str, int]:
        try:
            return self.store.read_words(self.collection)
        except tse.ObjectNotFound:
            self.store.forget(self)
            return {}

    @cached_property
    def native(self) -> bool:
        """Whether the collection holds releases in other languages (with native terms)."""
        counts = self._facet_values(FACET_FIELDS["language"], MAX_FACET_VALUES)
        return any(is_native(c.get("value")) for c in counts)

    @cached_property
    def grouped(self) -> bool:
        """Whether the collection has a group of copies (of two or more releases)."""
        try:
            counts = self._facet_values(GROUP_FIELD, 1)
        except QueryNotSupported:  # a collection written before groups: no such field
            return False
        return any(int(c.get("count", 0)) > 1 for c in counts)

    def _facet_values(self, field_name: str, limit: int) -> list[dict[str, Any]]:
        """The collection's most frequent values of a facet field, with their counts."""
        reply = self.store.multi_search([{
            "collection": self.store.alias, "q": "*", "per_page": 0,
            "facet_by": field_name, "max_facet_values": limit,
        }])[0]  # fmt: skip
        return (reply.get("facet_counts") or [{}])[0].get("counts") or []

    def copies(self, docs: list[dict[str, Any]]) -> list[tuple[Copy, ...]]:
        if not self.grouped:
            return [() for _ in docs]
        return copies_of(self.store.multi_search, self.store.alias, docs)

    @cached_property
    def stems(self) -> set[str]:
        return {stem(w) for w in self.words}

    # --- what the search pipeline asks (search.index.pipeline.IndexView) -----------------------

    @property
    def query_schema(self) -> Any:
        return _QUERY_SCHEMA

    @cached_property
    def region_values(self) -> Container[Any]:
        return set(self.regions.values())

    def resolve_region(self, value: str) -> str:
        return self.regions.get(region_fold(value), value)

    def known(self, word: str) -> bool:
        # The vocabulary may keep words of deleted releases: close enough for a suggestion.
        return stem(word) in self.stems

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.words)

    def execute(self, plan: SearchPlan) -> Execution:
        request = plan.request
        query = translate(plan.parsed.query, native=self.native)
        # Our query may rank where its translation cannot (it degraded to a filter).
        sort = "newest" if plan.sort == "relevance" and not query.ranked else plan.sort
        common = [clause_filter(c) for c in plan.clauses] + date_filters(plan)
        parts = segments(query, plan.parsed, plan.place, sort)
        chosen = {
            name: f"{FACET_FIELDS[name]}:={values_expr(values)}"
            for name, values in plan.selected.items()
            if values
        }
        facet_names = list(FACETS) if request.facets else []
        searches = self._searches(parts, common, chosen, plan, facet_names)
        if request.collapse and self.grouped:  # groups, not releases: hits, found and counts
            searches = [{**search, **grouped_params()} for search in searches]
        # No search_cutoff_ms from the time budget: Typesense 0.24 answers some searches past
        # it with a 408, not with what it found. Long queries are refused before (check_limits).
        replies = self.store.multi_search(searches)
        mains = [r for r, q in zip(replies, searches, strict=True) if "page" in q]
        found = [int(r.get("found", 0)) for r in mains]
        docs = self._page(parts, mains, found, plan, common + list(chosen.values()))
        facets, totals = facet_lists(replies, plan.selected, facet_names, request.facet_limit)
        return Execution(sum(found), docs, facets, totals)

    # --- the translation ------------------------------------------------------------------------

    def _searches(
        self,
        parts: list[Segment],
        common: list[str],
        chosen: dict[str, str],
        plan: SearchPlan,
        facet_names: list[str],
    ) -> list[dict[str, Any]]:
        """Each segment's main query, then the facet queries that cannot share it."""
        request, alias = plan.request, self.store.alias
        limit = min(request.facet_limit or DEFAULT_FACET_VALUES, MAX_FACET_VALUES)
        searches: list[dict[str, Any]] = []
        for i, segment in enumerate(parts):
            base = common + segment.filters
            main = segment.params(alias, base + list(chosen.values()))
            # The first segment's page is asked for at once: usually it is the whole answer.
            main.update(
                page=request.page if i == 0 else 1, per_page=request.per_page if i == 0 else 0
            )
            # Years get a query of their own (all of them, for the chart), as does each facet
            # with a selection (counted without its own filter); the rest share the main one.
            apart = [n for n in facet_names if n in chosen or n == "year"]
            if shared := [FACET_FIELDS[n] for n in facet_names if n not in apart]:
                main["facet_by"] = ",".join(shared)
                main["max_facet_values"] = limit + 1
            searches.append(main)
            for name in apart:
                others = [expr for other, expr in chosen.items() if other != name]
                extra = segment.params(alias, base + others)
                most = MAX_FACET_VALUES if name == "year" else limit + 1 + len(plan.selected[name])
                extra.update(per_page=0, facet_by=FACET_FIELDS[name], max_facet_values=most)
                searches.append(extra)
        return searches

    def _page(
        self,
        parts: list[Segment],
        mains: list[dict[str, Any]],
        found: list[int],
        plan: SearchPlan,
        filters: list[str],
    ) -> list[tuple[dict[str, Any], float | None]]:
        """The requested page of the segments' results laid end to end."""
        start, stop, n = plan.start, plan.stop, plan.request.per_page
        grouped = plan.request.collapse and self.grouped
        out = _rows(mains[0], parts[0].ranked, grouped)
        if stop <= found[0] or len(parts) == 1:
            return out
        # Later segments: fetch the (at most two) pages of each that cover the window.
        wanted: list[tuple[int, int, int]] = []  # (segment, first row, rows)
        offset = found[0]
        for i in range(1, len(parts)):
            lo, hi = max(start, offset), min(stop, offset + found[i])
            if lo < hi:
                wanted.append((i, lo - offset, hi - lo))
            offset += found[i]
        searches, asked = [], []  # asked: the segment of each search
        for i, first, rows in wanted:
            for page in sorted({first // n + 1, (first + rows - 1) // n + 1}):
                search = parts[i].params(self.store.alias, filters + parts[i].filters)
                search.update(page=page, per_page=n, **(grouped_params() if grouped else {}))
                searches.append(search)
                asked.append(i)
        replies = self.store.multi_search(searches) if searches else []
        rows_of: dict[int, list[tuple[dict[str, Any], float | None]]] = {}
        for i, reply in zip(asked, replies, strict=True):
            rows_of.setdefault(i, []).extend(_rows(reply, False, grouped))
        for i, first, rows in wanted:
            skip = first - (first // n) * n
            out += rows_of.get(i, [])[skip : skip + rows]
        return out[:n]


def _rows(
    reply: dict[str, Any], ranked: bool, grouped: bool
) -> list[tuple[dict[str, Any], float | None]]:
    """A reply's hits as rows: releases, or groups of copies."""
    if grouped:
        return grouped_rows(reply, ranked)
    return [doc_and_score(h, ranked) for h in reply.get("hits", [])]


def clause_filter(clause: Clause) -> str:
    """A ``field:value`` clause as a ``filter_by`` expression."""
    field_name = FACET_FIELDS[clause.facet]
    if clause.values is not None:
        return f"{field_name}:={values_expr(list(clause.values))}" if clause.values else NOTHING
    text = " ".join(WORD.findall(clause.words))  # e.g. official:Park matches "Park Min-jae"
    return f"{field_name}:{quote(text)}" if text else NOTHING


def date_filters(plan: SearchPlan) -> list[str]:
    """The date range: dated releases only, between the (epoch) bounds given."""
    if plan.date_range is None:
        return []
    out = ["dated:=1"]
    lo, hi = (epoch(d) for d in plan.date_range)
    if lo is not None:
        out.append(f"date:>={lo}")
    if hi is not None:
        out.append(f"date:<={hi}")
    return out


def facet_lists(
    replies: list[dict[str, Any]],
    selected: dict[str, list[Any]],
    facet_names: list[str],
    limit: int | None,
) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """The facet values counted in the replies, and each facet's number of distinct values."""
    counts: dict[str, Counter[Any]] = {name: Counter() for name in facet_names}
    totals: dict[str, int] = {}
    for reply in replies:
        for facet in reply.get("facet_counts", []):
            name = FACET_NAMES[facet["field_name"]]
            cast = int if name == "year" else str
            counts[name].update({cast(c["value"]): c["count"] for c in facet["counts"]})
            distinct = int((facet.get("stats") or {}).get("total_values") or 0)
            totals[name] = max(totals.get(name, 0), distinct, len(counts[name]))
    facets = {
        name: facet_values(
            counts[name], selected[name], None if name == "year" else limit, name == "year"
        )
        for name in facet_names
    }
    return facets, {name: max(totals.get(name, 0), len(facets[name])) for name in facets}


def facet_values(
    counts: dict[Any, int], selected: list[Any], limit: int | None, by_value: bool
) -> list[FacetValue]:
    """Counts in the pipeline's order: by count then value (years by value), selected values
    always listed."""
    return facet_list(by_count(counts, limit), selected, lambda v: counts.get(v, 0), by_value)
