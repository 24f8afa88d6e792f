"""The one index schema, its analyzer, and the conversion of an article into index fields.

Text fields share one lean analyzer: the whole field string is lower-cased and accent-folded
once, split by one regular expression, and each word stemmed through a cache. That yields the
same terms as Whoosh's ``StemmingAnalyzer`` plus ``CharsetFilter(accent_map)`` (without stop
words, so phrases stay exact) at a fraction of the per-token cost.

``article_fields`` runs that analysis in the worker processes of a reindex: the values it gives
the writer are already Whoosh posting tuples (``Preanalyzed``), so the single writer process only
collects postings and stores fields.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from pickle import dumps
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem
from whoosh.system import pack_uint

# 2: modules moved into packages (Whoosh pickles the field classes' paths in its index).
SCHEMA_VERSION = 2

# Field names of the facets and the index fields holding their values.
FACET_FIELDS = {"region": "regions", "year": "year", "official": "officials", "source": "source"}
TEXT_FIELDS = ("title", "lead", "body")
FIELD_BOOSTS = {"title": 3.0, "lead": 1.5, "body": 1.0}

WORD = re.compile(r"\w+(?:\.?\w+)*")


def _fold_table() -> dict[int, str]:
    """A ``str.translate`` table mapping accented letters to their unaccented base letters."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2500):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base.lower()
    table.update({ord("ß"): "ss", ord("æ"): "ae", ord("œ"): "oe", ord("ø"): "o", ord("đ"): "d"})
    table.update({ord("ł"): "l", ord("þ"): "th", ord("ı"): "i", ord("’"): "'"})
    return table


FOLD = _fold_table()
_stems: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower case with accents removed: the form every term and suggestion word is compared in."""
    return text.lower().translate(FOLD)


def stem(word: str) -> str:
    """The Porter stem of a folded word, cached (press releases repeat a small vocabulary)."""
    try:
        return _stems[word]
    except KeyError:
        if len(_stems) > 500_000:  # bound the cache in long-lived processes
            _stems.clear()
        result = _stems[word] = porter_stem(word)
        return result


def words(text: str) -> list[str]:
    """The folded, unstemmed words of ``text``."""
    return WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order (one per word, so positions are list indexes)."""
    return [stem(w) for w in WORD.findall(fold(text))]


class FoldingStemAnalyzer(Tokenizer):
    """Tokenizer, lower-casing, accent folding and stemming in one pass (see module docstring)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = value
            t.text = stem(fold(value))
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        # Offsets are only wanted for highlighting: then fold word by word so they stay exact.
        found = WORD.finditer(value) if chars else WORD.findall(fold(value))
        for pos, item in enumerate(found, start=start_pos):
            t.boost = 1.0
            t.stopped = False
            if chars:
                word = item.group()
                t.original = word
                t.text = stem(fold(word))
                t.startchar, t.endchar = start_char + item.start(), start_char + item.end()
            else:
                t.original = item
                t.text = stem(item)
            if positions:
                t.pos = pos
            yield t


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
        # "YYYY-MM-DD": string order is date order, so the column sorts and ranges work.
        date=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        source=fields.ID(stored=True),
        # Multi-valued facets; values are given as lists, which bypasses any analyzer.
        officials=fields.KEYWORD(scorable=False),
        regions=fields.KEYWORD(scorable=False),
        # The whole article as JSON, for hits, snippets and the document page.
        doc=fields.STORED(),
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
    cache = _stems
    positions: dict[str, list[int]] = {}
    for pos, word in enumerate(WORD.findall(fold(text))):
        term = cache.get(word) or stem(word)
        found = positions.get(term)
        if found is None:
            positions[term] = [pos]
        else:
            found.append(pos)
    boost = fmt.field_boost
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
    for name, text in indexed_texts(article).items():
        if text:
            out[name] = analyze(schema[name], text) if preanalyze else text
    if article.title:
        out["_stored_title"] = article.title
    if article.date:
        out["date"] = article.date
    year = article_year(article)
    if year is not None:
        out["year"] = year
    if article.source:
        out["source"] = article.source
    return out
