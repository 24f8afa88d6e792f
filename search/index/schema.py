"""The one index schema and what of an article goes into it.

Both backends derive their fields from here: the Whoosh schema (``make_schema``, also what the
query parser reads its fields from) and the Typesense collection. Text is analysed by
``search.index.analysis``.
"""

from __future__ import annotations

from typing import Any

from whoosh import fields

from search.index.analysis import FoldingStemAnalyzer
from search.index.languages import NATIVE_FIELD
from search.index.native import NativeText

# 2: modules moved into packages (Whoosh pickles the field classes' paths in its index).
# 3: the native field (terms of non-English releases in their own language) and the language.
# 4: Korean cut without kiwipiepy's multi-word dictionary (a query must be cut as the index was).
SCHEMA_VERSION = 4

# Field names of the facets and the index fields holding their values.
FACET_FIELDS = {"region": "regions", "year": "year", "official": "officials", "source": "source",
                "language": "language"}  # fmt: skip
TEXT_FIELDS = ("title", "lead", "body")
# Text fields scored by BM25F: the English-analysed ones and the native one (see languages).
SCORED_FIELDS = (*TEXT_FIELDS, NATIVE_FIELD)
FIELD_BOOSTS = {"title": 3.0, "lead": 1.5, "body": 1.0}


class Preanalyzed(list):
    """A field value already turned into ``(term bytes, freq, weight, encoded positions)``."""

    __slots__ = ()


class FastTEXT(fields.TEXT):
    """A TEXT field that accepts values analyzed in another process (``Preanalyzed``)."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Preanalyzed):
            return value
        return super().index(value, **kwargs)


def _text(boost: float, stored: bool = False) -> FastTEXT:
    return FastTEXT(analyzer=FoldingStemAnalyzer(), phrase=True, stored=stored, field_boost=boost)


def make_schema() -> fields.Schema:
    """The index schema: stored display fields, analyzed text, facet keywords, sort columns."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        url=fields.STORED(),
        title=_text(FIELD_BOOSTS["title"], stored=True),
        lead=_text(FIELD_BOOSTS["lead"]),
        body=_text(FIELD_BOOSTS["body"]),
        # Non-English releases only: their words in their own language (search.index.languages).
        native=NativeText(),
        # "YYYY-MM-DD": string order is date order, so the column sorts and ranges work.
        date=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        source=fields.ID(stored=True),
        language=fields.ID(),  # ISO 639-1, the record's or detected (search.ingest.language)
        # Multi-valued facets; values are given as lists, which bypasses any analyzer.
        officials=fields.KEYWORD(scorable=False),
        regions=fields.KEYWORD(scorable=False),
        # The whole article as JSON, for hits, snippets and the document page.
        doc=fields.STORED(),
    )


def article_year(article: Any) -> int | None:
    """The facet year: the publication year (years merely mentioned in the text do not count)."""
    if article.date and article.date[:4].isdigit():
        return int(article.date[:4])
    return None


def names(items: list[Any]) -> list[str]:
    """Canonical names from the extractor's ``[{"name": ...}]`` lists (strings pass through)."""
    out: list[str] = []
    for item in items or []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and name not in out:
            out.append(name.strip())
    return out


def indexed_texts(article: Any) -> dict[str, str]:
    """The text indexed in each text field.

    The lead is usually the body's first paragraph: it is indexed once, in ``lead``, and the
    body field holds the rest (queries on ``body:`` also search ``lead``, see
    ``search.index.query``), which spares a tenth of the postings of a typical release.
    """
    title, lead, body = article.title or "", article.lead or "", article.body or ""
    if lead and body.startswith(lead):
        body = body[len(lead) :].lstrip()
    return {"title": title, "lead": lead, "body": body}
