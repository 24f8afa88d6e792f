"""The small interface every search backend implements, and the values it trades in.

A backend answers ``search(SearchRequest) -> SearchResult``, looks documents up, finds similar
ones and reports stats. Writing goes through a transaction: ``begin(full)`` gives an
``IndexTransaction`` that adds prepared documents and deletes by corpus path, then either
commits (atomically replacing what readers see, together with the reindex manifest) or aborts.
``search.index.reindex`` drives a transaction; the web UI only reads.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.settings import Settings

if TYPE_CHECKING:
    from search.index.groups import Groups

SORTS = ("relevance", "newest", "oldest")
FACETS = ("region", "year", "official", "source", "language")
MAX_PER_PAGE = 100
MAX_PAGE = 1000
# Each search's time budget: past it, a search answers with what it has, marked partial.
# Hostile forms are refused before they run (``query.check_limits``); the budget is for what
# remains, so it must let an ordinary phrase over a large corpus finish (~0.4 s on 23k releases).
DEFAULT_BUDGET_MS = 1000


class IndexMissing(Exception):
    """Raised when there is no index to search yet (run ``pressearch reindex``)."""


class IndexOutdated(IndexMissing):
    """Raised when the index was written by an older pressearch (a reindex rebuilds it)."""


class BackendUnavailable(Exception):
    """Raised when the search service cannot be reached (every configured node failed)."""


class QueryNotSupported(ValueError):
    """Raised when the search service refuses a query (the user's request, not the service)."""


@dataclass
class SearchRequest:
    """One search: query text, facet selections, date range, sort and page."""

    query: str = ""
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    officials: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639-1 codes ("zh", "es")
    date_from: str | None = None  # inclusive "YYYY-MM-DD"
    date_to: str | None = None  # inclusive "YYYY-MM-DD"
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facets: bool = True  # False skips facet counting (e.g. CSV export, feeds)
    facet_limit: int | None = None  # values per facet (years: all), selected ones always kept
    snippets: bool = True
    budget_ms: int | None = DEFAULT_BUDGET_MS  # None: no time limit
    # One hit per group of copies (``search.index.groups``); False lists every release.
    collapse: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if not 1 <= self.page <= MAX_PAGE:
            raise ValueError(f"page must be between 1 and {MAX_PAGE}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        self.regions = tuple(self.regions)
        self.years = tuple(int(y) for y in self.years)
        self.officials = tuple(self.officials)
        self.sources = tuple(self.sources)
        self.languages = tuple(str(code).lower() for code in self.languages)

    def selections(self) -> dict[str, tuple[Any, ...]]:
        """The selected values per facet name."""
        return {
            "region": self.regions,
            "year": self.years,
            "official": self.officials,
            "source": self.sources,
            "language": self.languages,
        }


@dataclass(frozen=True)
class Copy:
    """Another release of a hit's group: the same text published elsewhere."""

    id: str
    title: str
    source: str | None
    url: str | None
    date: str | None

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Copy:
        """A group member as a copy, from its stored article (or stored fields)."""
        return cls(
            id=str(fields.get("id") or ""),
            title=str(fields.get("title") or ""),
            source=fields.get("source") or None,
            url=fields.get("url") or None,
            date=fields.get("date") or None,
        )


@dataclass
class Hit:
    """One result row; ``snippet`` is safe HTML (escaped text with ``<mark>`` around matches).

    ``copies`` are the other releases of its group when the search collapses copies.
    """

    id: str
    title: str
    date: str | None
    url: str | None
    source: str | None
    regions: list[str]
    officials: list[str]
    snippet: str
    score: float | None = None
    copies: tuple[Copy, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("score")
        out["copies"] = list(out["copies"])
        return out


@dataclass
class FacetValue:
    value: str | int
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    """What a search returns; ``to_dict`` is the JSON schema of ``pressearch search --json``."""

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    # Distinct values per facet: more than listed when a backend caps the list (Typesense).
    facet_totals: dict[str, int] = field(default_factory=dict)
    # True when the time budget or a bound on expansion cut the search short: the answer
    # holds what was found, and more may match.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [asdict(v) for v in vs] for k, vs in self.facets.items()},
            "suggestion": self.suggestion,
            "partial": self.partial,
        }


class IndexTransaction(ABC):
    """A batch of changes that becomes visible all at once on ``commit``."""

    @abstractmethod
    def add(self, prepared: Any) -> None:
        """Add one document made by the backend's ``preparer``."""

    @abstractmethod
    def delete_path(self, path: str) -> None:
        """Remove every document that came from corpus file ``path``."""

    @abstractmethod
    def add_words(self, counts: dict[str, int]) -> None:
        """Merge document frequencies of unstemmed words (the suggestion vocabulary)."""

    @abstractmethod
    def set_groups(self, groups: Groups, moved: dict[str, str]) -> None:
        """Store the groups of copies with this commit; ``moved``: the documents whose group
        changed (doc id -> group id; those added by this transaction are their own group)."""

    @abstractmethod
    def commit(self, manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        """Make the changes and ``manifest`` visible together, atomically."""

    @abstractmethod
    def abort(self) -> None:
        """Drop the changes; readers keep what they had."""


class Backend(ABC):
    """Index storage plus query execution."""

    name: str = "abstract"

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: Settings, index_dir: Path) -> Backend:
        """Build the backend from the settings (``index_dir``: where a local index lives)."""

    @abstractmethod
    def preparer(self) -> Callable[[Any], Any]:
        """A picklable function turning an ``Article`` into what ``IndexTransaction.add`` takes.

        Reindex calls it in worker processes, so expensive per-document work belongs there.
        """

    @abstractmethod
    def begin(self, full: bool = False) -> IndexTransaction:
        """Start writing: a full rebuild from empty, or changes on top of the live index."""

    @abstractmethod
    def manifest(self) -> dict[str, Any]:
        """The reindex manifest committed with the live index (empty when there is none)."""

    @abstractmethod
    def save_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the live manifest when only file metadata (mtimes) changed."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search: hits for one page, facet counts, snippets and a suggestion."""

    @abstractmethod
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """The stored article (``Article.to_dict()``) for ``doc_id``, or None."""

    @abstractmethod
    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Documents similar to ``doc_id`` (not including it)."""

    def copies(self, doc_id: str) -> tuple[Copy, ...]:
        """The other releases of ``doc_id``'s group of copies (none: a backend without groups)."""
        return ()

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """``documents``, ``generation``, ``built_at`` (epoch seconds) and ``bytes``."""

    def close(self) -> None:  # noqa: B027 (optional: most backends hold nothing to release)
        """Release connections and caches; the backend reopens them if used again."""

    def cleanup(self) -> list[str]:
        """Remove what a killed reindex left behind (called with the reindex lock held)."""
        return []

    def iter_hits(self, request: SearchRequest, batch: int = MAX_PER_PAGE) -> Iterable[Hit]:
        """Every hit of a search (for exports), without facets.

        This generic version searches page by page; the backends run the search once and
        stream its hits (``search.index.pipeline.iter_hits``).
        """
        page = 1
        while True:
            req = SearchRequest(
                **{**asdict(request), "page": page, "per_page": batch, "facets": False}
            )
            result = self.search(req)
            yield from result.hits
            if page * batch >= result.total or page >= MAX_PAGE:
                return
            page += 1
