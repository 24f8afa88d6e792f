"""Query-string parameters: validated into a ``SearchRequest``, and rebuilt into links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import current_app
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from search.extract.regions import resolve_region
from search.index.backend import FACETS, MAX_PAGE, MAX_PER_PAGE, SORTS, SearchRequest

# URL parameter of each facet (repeatable) and the SearchRequest field it fills.
FACET_PARAMS = {"region": "regions", "year": "years", "official": "officials", "source": "sources",
                "language": "languages"}  # fmt: skip
# Parameters that describe a search; anything else in the URL is ignored.
SEARCH_PARAMS = ("q", *FACETS, "from", "to", "sort", "page", "per_page", "collapse")
# ``collapse``: one hit per group of copies (the default), or every release with "0".
COLLAPSE_VALUES = {"": True, "1": True, "true": True, "yes": True, "on": True,
                   "0": False, "false": False, "no": False, "off": False}  # fmt: skip


class InvalidParameter(BadRequest):
    """A 400 whose message is shown to the user (it names the parameter and the rule)."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.param = name


@dataclass
class SearchParams:
    """A validated search from the query string, able to make links to variations of itself."""

    pairs: list[tuple[str, str]]  # the search parameters as given, in order, cleaned
    request: SearchRequest
    more: str | None = None  # the facet whose long list is expanded

    @property
    def query(self) -> str:
        return self.request.query

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def has_filters(self) -> bool:
        """True when a facet value or a date bound is selected."""
        return self.has_filters_besides(None)

    def has_filters_besides(self, name: str | None) -> bool:
        """True when a facet value other than facet ``name``'s, or a date bound, is selected."""
        return any((k in FACETS and k != name) or k in ("from", "to") for k, _ in self.pairs)

    def current(self) -> str:
        """This search's own query string."""
        return urlencode(self.pairs)

    def query_string(self, **changes: Any) -> str:
        """This search's query string with ``changes`` (None removes, a list repeats).

        Any change other than ``page`` starts again at page 1.
        """
        page = changes.pop("page", None)
        out = [(k, v) for k, v in self.pairs if k not in changes and k != "page"]
        for key, value in changes.items():
            if value is None:
                continue
            for item in value if isinstance(value, list | tuple) else [value]:
                out.append((key, str(item)))
        if page is not None and int(page) > 1:
            out.append(("page", str(page)))
        return urlencode(out)

    def toggled(self, name: str, value: Any) -> str:
        """Query string with facet ``name`` = ``value`` switched on or off (page reset)."""
        value = str(value)
        current = self.values(name)
        rest = [v for v in current if v != value] if value in current else [*current, value]
        return self.query_string(**{name: rest})

    def with_more(self, name: str | None) -> str:
        """This search with facet ``name``'s long list expanded (or collapsed with None)."""
        qs = self.query_string(page=self.request.page)
        return qs + (("&" if qs else "") + urlencode({"more": name}) if name else "")


def canonical_region(value: str) -> str:
    """The canonical name of a region given by name, alias or ISO code (else ``value``)."""
    found = resolve_region(value)
    return found["name"] if found else value


def _int(args: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidParameter(name, f"{raw[:40]!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise InvalidParameter(name, f"must be between {lo} and {hi}")
    return value


def _date(args: Mapping[str, str], name: str) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw).isoformat() if len(raw) == 10 else _bad_date(name, raw)
    except ValueError:
        return _bad_date(name, raw)


def _bad_date(name: str, raw: str) -> str:
    raise InvalidParameter(name, f"{raw[:40]!r} is not a date (use YYYY-MM-DD)")


def parse_search(
    args: MultiDict[str, str],
    *,
    sort: str | None = None,
    per_page: int | None = None,
    facets: bool = True,
    snippets: bool = True,
) -> SearchParams:
    """Validate the search parameters in ``args``; raise ``InvalidParameter`` (400) if wrong.

    ``sort``/``per_page`` override what the URL says (feeds always list the newest 50).
    """
    cfg = current_app.config
    query = _query(args, cfg["MAX_QUERY_CHARS"])
    pairs: list[tuple[str, str]] = [("q", query)] if query else []
    selected: dict[str, list[str]] = {}
    for name in FACETS:
        selected[name] = _facet_values(args, name, cfg["MAX_FILTER_VALUES"])
        pairs += [(name, value) for value in selected[name]]
    date_from, date_to = _date(args, "from"), _date(args, "to")
    pairs += [(k, v) for k, v in (("from", date_from), ("to", date_to)) if v]
    chosen_sort = _sort(args)
    if chosen_sort:
        pairs.append(("sort", chosen_sort))
    page = _int(args, "page", 1, 1, MAX_PAGE)
    size = _int(args, "per_page", cfg["PER_PAGE"], 1, MAX_PER_PAGE)
    if args.get("per_page"):
        pairs.append(("per_page", str(size)))
    collapse = _collapse(args)
    if not collapse:
        pairs.append(("collapse", "0"))
    if page > 1:
        pairs.append(("page", str(page)))
    request = SearchRequest(
        query=query,
        regions=tuple(selected["region"]),
        years=tuple(int(year) for year in selected["year"]),
        officials=tuple(selected["official"]),
        sources=tuple(selected["source"]),
        languages=tuple(selected["language"]),
        date_from=date_from,
        date_to=date_to,
        sort=sort or chosen_sort or ("relevance" if query else "newest"),
        page=page,
        per_page=per_page or size,
        facets=facets,
        snippets=snippets,
        collapse=collapse,
    )
    more = args.get("more")
    return SearchParams(pairs, request, more if more in FACETS else None)


def _query(args: Mapping[str, str], max_chars: int) -> str:
    query = (args.get("q") or "").strip()
    if len(query) > max_chars:
        raise InvalidParameter("q", f"the query is longer than {max_chars} characters")
    return query


def _facet_values(args: MultiDict[str, str], name: str, max_values: int) -> list[str]:
    """Facet ``name``'s selected values: stripped, canonical, each once, in URL order."""
    values = [v.strip() for v in args.getlist(name) if v and v.strip()]
    if len(values) > max_values:
        raise InvalidParameter(name, f"at most {max_values} values")
    if name == "region":
        # Aliases and ISO codes become the canonical name the facet lists, so that the
        # selected value's "remove" link finds it in the URL.
        values = [canonical_region(v) for v in values]
    if name == "language":
        values = [v.lower() for v in values]  # codes, as the facet lists them
    values = list(dict.fromkeys(values))
    if any(len(value) > 200 for value in values):
        raise InvalidParameter(name, "value is too long")
    if name == "year":
        _check_years(values)
    return values


def _check_years(values: list[str]) -> None:
    for value in values:
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 9999):
            raise InvalidParameter("year", f"{value[:40]!r} is not a year")


def _collapse(args: Mapping[str, str]) -> bool:
    raw = (args.get("collapse") or "").strip().lower()
    if raw not in COLLAPSE_VALUES:
        raise InvalidParameter("collapse", "must be 1 (one hit per group of copies) or 0")
    return COLLAPSE_VALUES[raw]


def _sort(args: Mapping[str, str]) -> str:
    chosen = (args.get("sort") or "").strip()
    if chosen and chosen not in SORTS:
        raise InvalidParameter("sort", f"must be one of {', '.join(SORTS)}")
    return chosen
