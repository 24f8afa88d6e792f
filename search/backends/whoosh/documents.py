"""Whoosh documents of articles, analysed in the reindex worker processes.

``article_fields`` gives the writer values that are already Whoosh posting tuples
(``Preanalyzed``), so the single writer process only collects postings and stores fields.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pickle import dumps
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from search.index.analysis import WORD, FoldingStemAnalyzer, fold, stem
from search.index.languages import NATIVE_FIELD, is_native, native_terms
from search.index.schema import (
    Preanalyzed,
    article_year,
    indexed_texts,
    make_schema,
    names,
)

_SINGLE_POSITION: dict[int, bytes] = {}


def analyze(field: fields.FieldType, text: str) -> Preanalyzed:
    """Posting tuples for ``text`` in ``field``, exactly as the field's own ``index`` makes.

    The same result as ``FieldType.index`` with ``FoldingStemAnalyzer`` and the ``Positions``
    format, without a Token object per word (this runs for every document of a reindex).
    """
    fmt = field.format
    if type(fmt) is not formats.Positions or not isinstance(field.analyzer, FoldingStemAnalyzer):
        return Preanalyzed(fields.FieldType.index(field, text))
    positions: dict[str, list[int]] = {}
    for pos, word in enumerate(WORD.findall(fold(text))):
        term = stem(word)
        found = positions.get(term)
        if found is None:
            positions[term] = [pos]
        else:
            found.append(pos)
    return _encode(positions, fmt.field_boost)


def analyze_native(field: fields.FieldType, parts: list[str], language: str) -> Preanalyzed:
    """Posting tuples of a release's texts in the native field (``search.index.languages``)."""
    positions: dict[str, list[int]] = {}
    for term, pos in native_terms(parts, language):
        positions.setdefault(term, []).append(pos)
    return _encode(positions, field.format.field_boost)


def _encode(positions: dict[str, list[int]], boost: float) -> Preanalyzed:
    """Whoosh ``Positions`` postings of terms with their positions, as ``index`` encodes them."""
    single = _SINGLE_POSITION
    out = Preanalyzed()
    for term, poslist in positions.items():
        n = len(poslist)
        if n == 1:  # most terms occur once: their encodings repeat from document to document
            pos = poslist[0]
            value = single.get(pos)
            if value is None:
                value = single[pos] = pack_uint(1) + dumps([pos], 2)
        else:
            deltas = [poslist[0]]
            deltas += [b - a for a, b in pairwise(poslist)]
            value = pack_uint(n) + dumps(deltas, 2)
        out.append((term.encode("utf-8"), n, float(n) * boost, value))
    return out


def article_fields(article: Any, schema: fields.Schema, preanalyze: bool = True) -> dict[str, Any]:
    """The ``add_document`` keyword arguments for one article."""
    doc = article.to_dict()
    out: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "url": article.url,
        "doc": json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
        "officials": names(article.officials),
        "regions": names(article.regions),
    }
    texts = indexed_texts(article)
    for name, text in texts.items():
        if text:
            out[name] = analyze(schema[name], text) if preanalyze else text
    if is_native(article.language):  # English releases keep exactly their English terms
        out[NATIVE_FIELD] = analyze_native(schema[NATIVE_FIELD], list(texts.values()),
                                           article.language)  # fmt: skip
    if article.title:
        out["_stored_title"] = article.title
    if article.date:
        out["date"] = article.date
    year = article_year(article)
    if year is not None:
        out["year"] = year
    if article.source:
        out["source"] = article.source
    if article.language:
        out["language"] = article.language
    return out


_schema: fields.Schema | None = None


def prepare(article: Any) -> dict[str, Any]:
    """``add_document`` arguments for an article, text fields already analyzed."""
    global _schema
    if _schema is None:
        _schema = make_schema()
    return article_fields(article, _schema)
