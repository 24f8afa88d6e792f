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
from collections.abc import Container, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from search.index.backend import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Copy,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResult,
)
from search.index.query import ParsedQuery, check_limits, parse, place_named_by
from search.index.snippets import hit_from_article
from search.index.suggest import Vocabulary, suggestion

YEAR_LIMIT = 2**31  # years are 32-bit in both engines: a larger one matches nothing
Row = tuple[dict[str, Any], float | None]  # a stored article and its score (None: not ranked)


class Budget:
    """One search's time budget. Executors ask ``exhausted()`` before work they can skip, and
    ``cut()`` when they skip or bound anything: the answer is then marked partial."""

    def __init__(self, ms: int | None):
        self.ms = ms
        self.partial = False
        self.deadline: float | None = None
        self.renew()

    def renew(self) -> None:
        """Start the budget again (the next page of a stream); ``partial`` stays."""
        self.deadline = None if self.ms is None else time.monotonic() + self.ms / 1000

    def exhausted(self) -> bool:
        """True once the time is up (and the answer marked partial)."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.partial = True
            return True
        return False

    def cut(self) -> None:
        """Mark the answer partial: something that may match was left out."""
        self.partial = True

    def remaining_ms(self) -> int | None:
        """Milliseconds left (at least 1), or None without a limit."""
        if self.deadline is None:
            return None
        return max(1, int((self.deadline - time.monotonic()) * 1000))


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
    budget: Budget = field(default_factory=lambda: Budget(None))

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
    """What a backend returns for a plan: the page's stored articles and the facet counts.

    When the request collapses copies, ``total``, the page and the counts are of groups: each
    group once, as the article of its representative when that matches, else of its best-ranked
    matching member, at the place of its best-ranked matching member; a facet value counts the
    groups with a matching member that has it (``docs/search.md``, "Copies and collapsing").
    """

    total: int
    page: list[Row]  # in result order
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

    def copies(self, docs: list[dict[str, Any]]) -> list[tuple[Copy, ...]]:
        """The other releases of each article's group of copies (none without groups)."""
        return [() for _ in docs]

    @abstractmethod
    def known(self, word: str) -> bool:
        """Whether the index holds (the stem of) a folded word: the did-you-mean test."""

    @property
    @abstractmethod
    def vocabulary(self) -> Vocabulary:
        """Unstemmed words with their document frequencies (did-you-mean candidates)."""

    @abstractmethod
    def execute(self, plan: SearchPlan) -> Execution:
        """Run the plan on the engine; check ``plan.budget`` in anything that can run long."""

    def stream(self, plan: SearchPlan) -> tuple[int, Iterator[Row]]:
        """The total and every match of the plan in result order (its page is ignored).

        This version executes the plan page after page (the first one now), each page with a
        fresh time budget; an engine that can rank every match at once does so instead.
        """
        first = self.execute(_paged(plan, 1))

        def rows() -> Iterator[Row]:
            yield from first.page
            page = 1
            while page * MAX_PER_PAGE < first.total and page < MAX_PAGE:
                page += 1
                plan.budget.renew()
                yield from self.execute(_paged(plan, page)).page

        return first.total, rows()


def _paged(plan: SearchPlan, page: int) -> SearchPlan:
    return replace(plan, request=replace(plan.request, page=page, per_page=MAX_PER_PAGE))


class HitStream:
    """Every hit of a search in result order, stored articles read as it is iterated.

    ``total`` is known at once; ``partial`` is True when the budget or a bound cut the search
    short (with paging engines, possibly only once a later page was read).
    """

    def __init__(
        self,
        total: int,
        rows: Iterator[Row],
        budget: Budget,
        stems: set[str] | None,
        view: IndexView | None = None,
    ):
        self.total, self._rows, self._budget, self._stems = total, rows, budget, stems
        self._view = view  # lists each hit's copies when given (a collapsed search)

    @property
    def partial(self) -> bool:
        return self._budget.partial

    def __iter__(self) -> Iterator[Hit]:
        # The first hit alone (an export checks it before it sends anything), then a page at a
        # time: copies are looked up for a batch of hits at once.
        size = 1
        while batch := list(islice(self._rows, size)):
            size = MAX_PER_PAGE
            yield from _hits(batch, self._stems, self._view)


def _hits(rows: list[Row], stems: set[str] | None, view: IndexView | None) -> list[Hit]:
    """Rows as hits, each with its copies looked up in ``view`` (a collapsed search)."""
    docs = [doc for doc, _score in rows]
    copies = view.copies(docs) if view is not None else [()] * len(docs)
    return [
        replace(hit_from_article(doc, score, stems), copies=found)
        for (doc, score), found in zip(rows, copies, strict=True)
    ]


def iter_hits(view: IndexView, request: SearchRequest) -> HitStream:
    """Every hit of a search (for exports): the plan made once and streamed, no facets."""
    plan = make_plan(view, replace(request, page=1, per_page=MAX_PER_PAGE, facets=False))
    total, rows = view.stream(plan)
    stems = plan.parsed.stems() if request.snippets else None
    return HitStream(total, rows, plan.budget, stems, view if request.collapse else None)


def run_search(view: IndexView, request: SearchRequest) -> SearchResult:
    """The search pipeline: plan, execute on the backend's view, make the result rows."""
    started = time.perf_counter()
    plan = make_plan(view, request)
    done = view.execute(plan)
    stems = plan.parsed.stems() if request.snippets else None
    parsed = plan.parsed
    hits = _hits(done.page, stems, view if request.collapse else None)
    return SearchResult(
        query=request.query,
        total=done.total,
        page=request.page,
        per_page=request.per_page,
        took_ms=(time.perf_counter() - started) * 1000,
        hits=hits,
        facets=done.facets,
        facet_totals=done.facet_totals,
        suggestion=(
            suggestion(parsed, view.known, view.vocabulary, found=done.total > 0)
            if parsed.query is not None
            else None
        ),
        partial=plan.budget.partial,
    )


def make_plan(view: IndexView, request: SearchRequest) -> SearchPlan:
    """The shared rules applied to one request; ``QueryNotSupported`` for a query over the
    limits (``search.index.query.check_limits``)."""
    budget = Budget(request.budget_ms)
    parsed = parse(request.query, view.query_schema)
    check_limits(parsed.query)
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
    return SearchPlan(request, parsed, sort, place, clauses, selections(view, request), budget)


def clause(view: IndexView, name: str, value: str) -> Clause:
    """A ``name:value`` clause: years exactly, regions by any of their names, else by words."""
    if name == "year":
        ok = value.isascii() and value.isdigit() and len(value) <= 10 and int(value) < YEAR_LIMIT
        return Clause(name, (int(value),) if ok else ())
    if name == "region" and (canonical := view.resolve_region(value)) in view.region_values:
        return Clause(name, (canonical,))
    if name == "language":  # a code: exactly
        return Clause(name, (value.lower(),))
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
        "language": list(dict.fromkeys(request.languages)),
    }
