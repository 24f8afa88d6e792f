"""Typesense documents: the collections' schemas and an article's document.

Typesense 0.24 has no stemmer: the text fields hold our own analyzer's terms
(``search.index.analysis``), and queries search for the same terms.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from typesense.types.collection import (
    CollectionCreateSchema,
    ReferenceCollectionFieldSchema,
    RegularCollectionFieldSchema,
)

from search.backends.typesense.query import PAIRS_FIELD, text_field
from search.index.analysis import terms
from search.index.languages import NATIVE_FIELD, is_native, native_terms
from search.index.schema import (
    FACET_FIELDS,
    FIELD_BOOSTS,
    TEXT_FIELDS,
    article_year,
    indexed_texts,
    names,
)

Field = RegularCollectionFieldSchema | ReferenceCollectionFieldSchema  # a collection's field

QUERY_FIELDS = ",".join(text_field(f) for f in TEXT_FIELDS)
# Typesense wants integer weights: the same 3 : 1.5 : 1 as the Whoosh field boosts.
QUERY_WEIGHTS = ",".join(str(round(FIELD_BOOSTS[f] * 2)) for f in TEXT_FIELDS)


def key(value: str) -> str:
    """A short hash: Typesense document ids must be URL-safe, our ids and paths are not."""
    return hashlib.blake2b(value.encode("utf-8"), digest_size=16).hexdigest()


def epoch(date: str | None) -> int | None:
    try:
        return int(datetime.strptime(date or "", "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
    except ValueError:
        return None


def collection_schema(name: str) -> CollectionCreateSchema:
    """The release collection, from our schema: analyzed text, facets, date and bookkeeping."""
    text: list[Field] = [
        {"name": text_field(f), "type": "string", "optional": True} for f in TEXT_FIELDS
    ]
    # Non-English releases: their terms in their own language (search.index.languages).
    text.append({"name": text_field(NATIVE_FIELD), "type": "string", "optional": True})
    text.append({"name": PAIRS_FIELD, "type": "string", "optional": True})
    # The article itself ("doc", JSON) is stored but not in the schema: not indexed.
    return {
        "name": name,
        "fields": [
            *text,
            {"name": FACET_FIELDS["region"], "type": "string[]", "facet": True, "optional": True},
            {"name": FACET_FIELDS["official"], "type": "string[]", "facet": True, "optional": True},
            {"name": FACET_FIELDS["source"], "type": "string", "facet": True, "optional": True},
            {"name": FACET_FIELDS["year"], "type": "int32", "facet": True, "optional": True},
            {"name": FACET_FIELDS["language"], "type": "string", "facet": True, "optional": True},
            {"name": "date", "type": "int64", "optional": True},  # epoch seconds, UTC midnight
            {"name": "dated", "type": "int32"},  # 1 or 0: undated releases sort last
            {"name": "path_key", "type": "string"},  # key(corpus path): deletes by file
            {"name": "stamp", "type": "int64"},  # the reindex that wrote it
            # search.index.groups: the group of copies, or the release's own id; kept
            # current by the reindex (TypesenseTransaction.set_groups).
            {"name": "group", "type": "string", "facet": True},
        ],
    }


def pairs(found: list[tuple[str, int]]) -> list[str]:
    """Each two native terms at consecutive positions, joined: what a phrase of native terms
    must find in ``PAIRS_FIELD`` (``filter_by`` has no phrases: see ``query._expr``)."""
    at: dict[int, list[str]] = {}
    for term, pos in found:
        at.setdefault(pos, []).append(term)
    out: dict[str, None] = {}
    for pos, here in at.items():
        for after in at.get(pos + 1, ()):
            out.update((term + after, None) for term in here)
    return list(out)


def meta_schema(name: str) -> CollectionCreateSchema:
    """A generation's reindex state: documents told apart by ``kind``."""
    return {"name": name, "fields": [{"name": "kind", "type": "string", "facet": True}]}


def prepare(article: Any) -> dict[str, Any]:
    """The Typesense document of an article (runs in reindex workers)."""
    doc: dict[str, Any] = {
        "id": key(article.id),
        "path_key": key(article.path),
        "dated": 0,
        "group": article.id,  # until the reindex's grouping says otherwise
        "doc": json.dumps(article.to_dict(), ensure_ascii=False, separators=(",", ":")),
    }
    texts = indexed_texts(article)
    for name, text in texts.items():
        if text:
            doc[text_field(name)] = " ".join(terms(text))
    if is_native(article.language):
        found = native_terms(list(texts.values()), article.language)
        doc[text_field(NATIVE_FIELD)] = " ".join(term for term, _pos in found)
        doc[PAIRS_FIELD] = " ".join(pairs(found))
    if regions := names(article.regions):
        doc[FACET_FIELDS["region"]] = regions
    if officials := names(article.officials):
        doc[FACET_FIELDS["official"]] = officials
    if article.source:
        doc[FACET_FIELDS["source"]] = article.source
    if article.language:
        doc[FACET_FIELDS["language"]] = article.language
    if (year := article_year(article)) is not None:
        doc[FACET_FIELDS["year"]] = year
    if (seconds := epoch(article.date)) is not None:
        doc["date"], doc["dated"] = seconds, 1
    return doc
