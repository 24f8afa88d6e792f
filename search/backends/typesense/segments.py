"""The Typesense queries that answer one search, laid end to end, and reading their hits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from search.backends.typesense.documents import QUERY_FIELDS, QUERY_WEIGHTS
from search.backends.typesense.query import TypesenseQuery, quote, text_filter
from search.index.query import ParsedQuery
from search.index.schema import FACET_FIELDS

SORTS = {
    "relevance": "_text_match:desc,dated:desc,date:desc",
    "newest": "dated:desc,date:desc",
    "oldest": "dated:desc,date:asc",
}


@dataclass
class Segment:
    """One Typesense query whose results are laid after the previous segment's."""

    q: str
    filters: list[str]
    prefix: bool
    sort: str
    ranked: bool

    def params(self, collection: str, filters: list[str]) -> dict[str, Any]:
        out = {
            "collection": collection,  # the alias, resolved by Typesense: never a dropped one
            "q": self.q,
            "query_by": QUERY_FIELDS,
            "query_by_weights": QUERY_WEIGHTS,
            "prefix": "true" if self.prefix else "false",
            "num_typos": 0,
            "typo_tokens_threshold": 0,
            "drop_tokens_threshold": 0,
            "highlight_fields": "none",
            "include_fields": "doc",
            "sort_by": SORTS[self.sort],
        }
        if expr := " && ".join(f for f in filters if f):
            out["filter_by"] = expr
        return out


def segments(
    query: TypesenseQuery, parsed: ParsedQuery, place: str | None, sort: str
) -> list[Segment]:
    """The queries whose results, end to end, are the answer.

    One, except when the query names a place: then, as in Whoosh, releases tagged with the
    place match too. Typesense cannot OR a text query with a filter, so the tagged releases
    lacking the text come after the text matches as further queries: tagged and without
    item 1; tagged, with item 1 and without item 2; and so on (disjoint, so counts add up).
    That keeps relevance order for the text matches, like Whoosh, whose tagged-only matches
    score nothing. Sorted by date, a single filter (text OR tag) keeps the date order whole.
    """
    first = Segment(
        query.q, [query.filter] if query.filter else [], query.prefix, sort, query.ranked
    )
    if place is None:
        return [first]
    tagged = f"{FACET_FIELDS['region']}:={values_expr([place])}"
    expr = text_filter(parsed.query, query.native) if parsed.query is not None else None
    if expr and (sort != "relevance" or query.filter):
        return [Segment("*", [f"({expr} || {tagged})"], False, sort, False)]
    if query.filter or query.excluded or query.prefix:
        return [first]  # not a plain place name after all: the text alone
    by_date = sort if sort != "relevance" else "newest"
    rest = [
        Segment(" ".join([*query.positive[:i], "-" + item]), [tagged], False, by_date, False)
        for i, item in enumerate(query.positive)
    ]
    return [first, *rest]


def doc_and_score(hit: dict[str, Any], ranked: bool) -> tuple[dict[str, Any], float | None]:
    """The stored article of a Typesense hit, with its text-match score when ranked."""
    return json.loads(hit["document"]["doc"]), float(hit.get("text_match") or 0) if ranked else None


def values_expr(values: list[Any]) -> str:
    """A ``filter_by`` value list: ``[1,2]`` or ``[`a`,`b`]``."""
    return "[" + ",".join(str(v) if isinstance(v, int) else quote(v) for v in values) + "]"
