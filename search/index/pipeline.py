"""One search, the same for every backend: shared rules decide, the backend only executes.

``run_search`` parses the query and applies every rule both engines share: a query naming a
place also finds releases tagged with it, facet selections and ``field:value`` clauses are
resolved to facet values, a date range excludes undated releases, a query with nothing to rank
is sorted newest first. The result is a ``SearchPlan``; the backend's ``IndexView`` executes it
(its own translation: numpy masks for Whoosh, ``filter_by`` for Typesense) and returns stored
articles and facet counts, which become hits with snippets, and a did-you-mean.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from search.index.backend import FacetValue, SearchRequest, SearchResult
from search.index.query import ParsedQuery, parse, place_named_by
from search.index.snippets import hit_from_article
from search.index.suggest import Vocabulary, suggestion

YEAR_LIMIT = 2**31  # years are 32-bit in both engines: a larger one matches nothing


@dataclass(frozen=True)
class Clause:
    """A ``field:value`` clause of the query text, for one facet; every clause must hold.

    ``values`` are the exact facet values it matches (empty: none); when None, it matches the
    values containing the words of ``words`` ("official:Park" matches "Park Min-jae").
    """

    facet: str
    values: tuple[Any, ...] | None
    words: str = ""


@dataclass
class SearchPlan:
    """Everything the shared rules decided about one search."""

    request: SearchRequest
    parsed: ParsedQuery
    sort: str  # the sort to apply: "relevance" only when the query has something to rank
    place: str | None  # the region value the query names, whose tagged releases also match
    clauses: list[Clause] = field(default_factory=list)
    selected: dict[str, list[Any]] = field(default_factory=dict)  # facet -> values (OR)

    @property
    def date_range(self) -> tuple[str | None, str | None] | None:
        """Inclusive ISO dates (either may be open), or None when the request sets none."""
        request = self.request
        if request.date_from or request.date_to:
            return request.date_from, request.date_to
        return None

    @property
    def start(self) -> int:
        return (self.request.page - 1) * self.request.per_page

    @property
    def stop(self) -> int:
        return self.start + self.request.per_page


@dataclass
class Execution:
    """What a backend returns for a plan: the page's stored articles and the facet counts."""

    total: int
    page: list[tuple[dict[str, Any], float | None]]  # (article dict, score) in result order
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    facet_totals: dict[str, int] = field(default_factory=dict)


class IndexView(ABC):
    """One state of a backend's live index, as the search pipeline uses it."""

    @property
    @abstractmethod
    def query_schema(self) -> Any:
        """The Whoosh schema the query parser reads its fields and analyzer from."""

    @property
    @abstractmethod
    def region_values(self) -> Container[Any]:
        """The region values the index holds."""

    @abstractmethod
    def resolve_region(self, value: str) -> str:
        """The canonical region value for a name, alias or code (``value`` if unknown)."""

    def source_values(self, value: str) -> list[str]:
        """The source facet values a selected source stands for."""
        return [value]

    @abstractmethod
    def known(self, word: str) -> bool:
        """Whether the index holds (the stem of) a folded word: the did-you-mean test."""

    @property
    @abstractmethod
    def vocabulary(self) -> Vocabulary:
        """Unstemmed words with their document frequencies (did-you-mean candidates)."""

    @abstractmethod
    def execute(self, plan: SearchPlan) -> Execution:
        """Run the plan on the engine."""


def run_search(view: IndexView, request: SearchRequest) -> SearchResult:
    """The search pipeline: plan, execute on the backend's view, make the result rows."""
    started = time.perf_counter()
    plan = make_plan(view, request)
    done = view.execute(plan)
    stems = plan.parsed.stems() if request.snippets else None
    parsed = plan.parsed
    return SearchResult(
        query=request.query,
        total=done.total,
        page=request.page,
        per_page=request.per_page,
        took_ms=(time.perf_counter() - started) * 1000,
        hits=[hit_from_article(doc, score, stems) for doc, score in done.page],
        facets=done.facets,
        facet_totals=done.facet_totals,
        suggestion=(
            suggestion(parsed, view.known, view.vocabulary) if parsed.query is not None else None
        ),
    )


def make_plan(view: IndexView, request: SearchRequest) -> SearchPlan:
    """The shared rules applied to one request."""
    parsed = parse(request.query, view.query_schema)
    place = None
    if parsed.query is not None:
        # A query that names a place also finds releases tagged with it under another of its
        # names ("South Jeolla" finds those that only say "Jeollanam-do").
        place = place_named_by(request.query, view.resolve_region, view.region_values)
    sort = request.sort
    if sort == "relevance" and (parsed.query is None or not parsed.scored):
        sort = "newest"
    clauses = [clause(view, name, value) for name, values in parsed.filters.items()
               for value in values]  # fmt: skip
    return SearchPlan(request, parsed, sort, place, clauses, selections(view, request))


def clause(view: IndexView, name: str, value: str) -> Clause:
    """A ``name:value`` clause: years exactly, regions by any of their names, else by words."""
    if name == "year":
        ok = value.isascii() and value.isdigit() and len(value) <= 10 and int(value) < YEAR_LIMIT
        return Clause(name, (int(value),) if ok else ())
    if name == "region" and (canonical := view.resolve_region(value)) in view.region_values:
        return Clause(name, (canonical,))
    return Clause(name, None, value)


def selections(view: IndexView, request: SearchRequest) -> dict[str, list[Any]]:
    """The selected facet values, resolved (regions by any name) and without repeats."""
    sources: list[str] = []
    for value in request.sources:
        sources += [v for v in view.source_values(value) if v not in sources]
    return {
        "region": list(dict.fromkeys(view.resolve_region(v) for v in request.regions)),
        "year": list(dict.fromkeys(request.years)),
        "official": list(dict.fromkeys(request.officials)),
        "source": sources,
    }
