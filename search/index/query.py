"""Query parsing with fallback, facets that count from cached columns, snippets and suggestions.

Nothing here touches files: ``parse`` turns query text into a Whoosh query plus field filters,
``Facet`` counts values over a numpy mask of matching documents, ``snippet`` makes safe HTML
from stored text, ``suggest`` corrects words against a vocabulary.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.qparser import MultifieldParser, WildcardPlugin

from search.index.backend import FacetValue, Hit
from search.index.schema import FOLD, TEXT_FIELDS, WORD, fold, stem

# field:value clauses that filter by facet value instead of by text.
FILTER_FIELDS = {"official": "official", "officials": "official", "region": "region",
                 "regions": "region", "source": "source", "year": "year"}  # fmt: skip
_FILTER_CLAUSE = re.compile(
    r"(?<![\w:])(" + "|".join(FILTER_FIELDS) + r"):(\"[^\"]*\"|\S+)", re.IGNORECASE
)
_MINUS = re.compile(r"(?<![\w\"])-(?=[\w\"(])")
_SYNTAX = re.compile(r"[^\w\s]+")
# An operator with nothing on one side ("farms AND", "OR farms") is dropped, not searched for.
_DANGLING = re.compile(
    r"^(?:\s*\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b)+|(?:\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*)+$"
)
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


@dataclass
class ParsedQuery:
    """Query text split into the text query and the field filters written in it."""

    text: str
    query: wq.Query | None  # None: no text part (match everything)
    filters: dict[str, list[str]] = field(default_factory=dict)
    fallback: bool = False  # True when the syntax did not parse and plain words were used
    scored: bool = True  # False for a query made only of exclusions ("-word"): nothing to rank

    def words(self) -> list[str]:
        """The folded words of the text part (for suggestions)."""
        if self.query is None:
            return []
        out: list[str] = []
        for _fieldname, text in _terms(self.query):
            if text not in out:
                out.append(text)
        return out

    def stems(self) -> set[str]:
        """Stemmed terms searched in the text fields (for snippets)."""
        return {text for fieldname, text in _terms(self.query) if fieldname in TEXT_FIELDS}


def _terms(q: wq.Query | None) -> list[tuple[str, str]]:
    if q is None:
        return []
    out = []
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(leaf, wq.Term) and isinstance(leaf.text, str):
            out.append((leaf.fieldname, leaf.text))
        elif isinstance(leaf, wq.Phrase):
            out.extend((leaf.fieldname, w) for w in leaf.words)
    return out


_parsers: dict[int, MultifieldParser] = {}


def _parser(schema) -> MultifieldParser:
    key = id(schema)
    parser = _parsers.get(key)
    if parser is None:
        # Field boosts live in the index (each field's weights), not in the query.
        parser = MultifieldParser(list(TEXT_FIELDS), schema)
        parser.remove_plugin_class(WildcardPlugin)
        parser.add_plugin(WildcardPlugin())
        _parsers.clear()
        _parsers[key] = parser
    return parser


def parse(text: str, schema) -> ParsedQuery:
    """Parse query syntax; anything that does not parse becomes plain AND-ed words."""
    text = text.strip()
    filters: dict[str, list[str]] = {}

    def take(match: re.Match[str]) -> str:
        name = FILTER_FIELDS[match.group(1).lower()]
        filters.setdefault(name, []).append(match.group(2).strip('"').strip())
        return " "

    rest = _FILTER_CLAUSE.sub(take, text)
    rest = _MINUS.sub("NOT ", rest)
    rest = _DANGLING.sub(" ", rest.strip()) if not rest.strip().startswith("NOT ") else rest
    if not WORD.search(rest):
        return ParsedQuery(text, None, filters)
    try:
        q = _with_lead(_normalize(_parser(schema).parse(rest)))
        if q is None or q is wq.NullQuery:
            raise ValueError("nothing to search for")
        return ParsedQuery(text, q, filters, scored=_has_positive(q))
    except Exception:  # any parser failure falls back to plain words, never an error
        return ParsedQuery(text, plain_words(rest, schema), filters, fallback=True)


def plain_words(text: str, schema) -> wq.Query | None:
    """The words of ``text`` AND-ed, each searched in every text field; syntax ignored."""
    parts = []
    for word in WORD.findall(_SYNTAX.sub(" ", text)):
        if word in _OPERATORS:
            continue
        term = stem(fold(word))
        parts.append(wq.Or([wq.Term(f, term) for f in TEXT_FIELDS]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _normalize(q: wq.Query) -> wq.Query:
    """Fold wildcard and prefix text the way the analyzer folds indexed words."""
    if isinstance(q, (wq.Wildcard, wq.Prefix)):
        q.text = fold(q.text)
        return q
    if isinstance(q, wq.Term) and q.fieldname in TEXT_FIELDS and isinstance(q.text, str):
        return q
    if not q.is_leaf():
        q = q.apply(_normalize)
    return q.normalize()


_LEAVES = (wq.Term, wq.Phrase, wq.Wildcard, wq.Prefix)


def _leaf_key(q: wq.Query) -> tuple[str, Any]:
    text = tuple(q.words) if isinstance(q, wq.Phrase) else q.text
    return (type(q).__name__, text)


def _lead_twin(q: wq.Query) -> wq.Query:
    twin = copy.copy(q)
    twin.fieldname = "lead"
    return twin


def _with_lead(q: wq.Query) -> wq.Query:
    """Make every ``body`` clause also search ``lead``, where the body's first paragraph is
    indexed (see ``search.index.schema.indexed_texts``)."""
    if isinstance(q, _LEAVES):
        return wq.Or([q, _lead_twin(q)]) if q.fieldname == "body" else q
    if isinstance(q, wq.Or):
        present = {_leaf_key(k) for k in q.subqueries if isinstance(k, _LEAVES)
                   and k.fieldname == "lead"}  # fmt: skip
        kids: list[wq.Query] = []
        for kid in q.subqueries:
            if isinstance(kid, _LEAVES) and kid.fieldname == "body":
                kids.append(kid)
                if _leaf_key(kid) not in present:
                    kids.append(_lead_twin(kid))
            else:
                kids.append(_with_lead(kid))
        return type(q)(kids, boost=q.boost)
    if not q.is_leaf():
        return q.apply(_with_lead)
    return q


def _has_positive(q: wq.Query) -> bool:
    """False for a query made only of negations (``NOT x``): it filters but cannot rank."""
    if isinstance(q, wq.Not):
        return False
    if isinstance(q, (wq.And, wq.Or)):
        return any(_has_positive(c) for c in q.subqueries)
    return True


# --- facets ------------------------------------------------------------------------------------


class Facet:
    """Per-document values of one facet, as parallel arrays built once per index snapshot.

    ``docs[i]`` has value ``names[vals[i]]``; a document may appear several times (multi-valued
    fields) or not at all. Counting over a boolean mask of matching documents is two numpy calls.
    """

    def __init__(self, name: str, names: Sequence[str | int], docs: np.ndarray, vals: np.ndarray):
        self.name = name
        self.names = list(names)
        self.index = {v: i for i, v in enumerate(self.names)}
        self.docs = docs.astype(np.int64, copy=False)
        self.vals = vals.astype(np.int64, copy=False)
        self._folded: list[str] | None = None
        # Each value's place in value order, so that sorting by value is a numpy sort.
        self.rank = np.empty(len(self.names), dtype=np.int64)
        by_name = sorted(range(len(self.names)), key=lambda i: (str(self.names[i]), i))
        if isinstance(self.names[0] if self.names else "", int):
            by_name = sorted(range(len(self.names)), key=lambda i: self.names[i])
        self.rank[by_name] = np.arange(len(self.names))

    def value_ids(self, values: Iterable[str | int]) -> list[int]:
        return [self.index[v] for v in values if v in self.index]

    def mask(self, values: Iterable[str | int], size: int) -> np.ndarray:
        """Documents having any of ``values`` (OR within a facet)."""
        out = np.zeros(size, dtype=bool)
        ids = self.value_ids(values)
        if ids:
            out[self.docs[np.isin(self.vals, ids)]] = True
        return out

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Matching documents per value id."""
        return np.bincount(self.vals[mask[self.docs]], minlength=len(self.names))

    def values(
        self,
        mask: np.ndarray,
        selected: Sequence[str | int] = (),
        limit: int | None = None,
        by_value: bool = False,
        counts: np.ndarray | None = None,
    ) -> list[FacetValue]:
        """Values with counts: by count (or by value), selected ones always listed."""
        counts = self.counts(mask) if counts is None else counts
        nonzero = np.flatnonzero(counts)
        rank = self.rank[nonzero]
        if by_value:
            order = nonzero[np.argsort(rank)]
        else:
            # Count descending, then value ascending: a stable order for equal counts.
            order = nonzero[np.lexsort((rank, -counts[nonzero]))]
        order = order[:limit].tolist() if limit is not None else order.tolist()
        out = [FacetValue(self.names[i], int(counts[i]), self.names[i] in selected) for i in order]
        listed = {v.value for v in out}
        for value in selected:
            if value not in listed:
                i = self.index.get(value)
                out.append(FacetValue(value, int(counts[i]) if i is not None else 0, True))
        if by_value:
            out.sort(key=lambda v: (isinstance(v.value, str), v.value))
        return out

    def matching(self, text: str) -> list[str | int]:
        """Values whose folded form contains the folded ``text`` (for ``field:value`` queries)."""
        if self._folded is None:
            self._folded = [" ".join(WORD.findall(fold(str(n)))) for n in self.names]
        needle = " ".join(WORD.findall(fold(text)))
        if not needle:
            return []
        exact = [n for n, f in zip(self.names, self._folded, strict=True) if f == needle]
        if exact:
            return exact
        pattern = re.compile(r"(?:^| )" + re.escape(needle) + r"(?: |$)")
        return [n for n, f in zip(self.names, self._folded, strict=True) if pattern.search(f)]


def facet_counts(
    facets: dict[str, Facet],
    base: np.ndarray,
    filters: dict[str, np.ndarray],
    selected: dict[str, Sequence[str | int]],
    limit: int | None = None,
    totals: dict[str, int] | None = None,
) -> dict[str, list[FacetValue]]:
    """Each facet counted over ``base`` and every other facet's filter, not its own.

    ``limit`` cuts every list but the years' (a chart shows them all); ``totals``, when given,
    receives each facet's number of values with a count.
    """
    out: dict[str, list[FacetValue]] = {}
    for name, facet in facets.items():
        mask = base
        for other, fmask in filters.items():
            if other != name:
                mask = mask & fmask
        counts = facet.counts(mask)
        if totals is not None:
            totals[name] = int(np.count_nonzero(counts))
        cut = None if name == "year" else limit
        out[name] = facet.values(
            mask, selected.get(name, ()), cut, by_value=name == "year", counts=counts
        )
    return out


_PLACE_QUERY = re.compile(r"[\w .'’-]{2,60}")


def place_named_by(text: str, resolve: Callable[[str], str], values: Container[str]) -> str | None:
    """The region facet value that a query of plain words names (alias or code), if any.

    ``resolve`` maps a name or code to its canonical region; ``values`` are the indexed ones.
    """
    text = text.strip().strip('"')
    if not _PLACE_QUERY.fullmatch(text) or any(w in _OPERATORS for w in text.split()):
        return None
    name = resolve(text)
    return name if name in values else None


# --- snippets ----------------------------------------------------------------------------------

SNIPPET_CHARS = 240
SNIPPET_SCAN_CHARS = 50_000  # an executive order can be 250 KB: look for the passage early on
# A 1:1 folding (same length) so that match offsets in the folded text are offsets in the text.
_FOLD1 = {k: v for k, v in FOLD.items() if len(v) == 1}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_char(m: re.Match[str]) -> str:
    return m.group().translate(_FOLD1)


def snippet(text: str, stems: set[str], size: int = SNIPPET_CHARS) -> str:
    """The passage of ``text`` with the most query terms, HTML-escaped, matches in ``<mark>``."""
    text = " ".join(text[:SNIPPET_SCAN_CHARS].split())
    if not text:
        return ""
    spans = _match_spans(text, stems) if stems else []
    if not spans:
        return html.escape(_cut(text, 0, size)[0])
    # Pick the window start (at a match) covering the most distinct terms, then the most
    # matches: one pass with a sliding window, so long texts with many matches stay cheap.
    best, best_score, j = 0, (-1, -1), 0
    inside: dict[str, int] = {}
    for i, (start, _end, _term) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + size:
            inside[spans[j][2]] = inside.get(spans[j][2], 0) + 1
            j += 1
        score = (len(inside), j - i)
        if score > best_score:
            best, best_score = i, score
        term = spans[i][2]
        if j > i:
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
    first = spans[best][0]
    begin = max(0, first - size // 4)
    if begin:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 else begin
    _passage, begin, end = _cut(text, begin, size)
    out, pos = [], begin
    if begin > 0:
        out.append("…")
    for start, stop, _term in spans:
        if start < begin or stop > end:
            continue
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:stop]) + "</mark>")
        pos = stop
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def _cut(text: str, begin: int, size: int) -> tuple[str, int, int]:
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        if space > begin + size // 2:
            end = space
    return text[begin:end], begin, end


def _match_spans(text: str, stems: set[str]) -> list[tuple[int, int, str]]:
    folded = text.lower()
    if not folded.isascii():  # fold only the few non-ASCII characters (translate is slow)
        folded = _NON_ASCII.sub(_fold_char, folded)
    if len(folded) != len(text):  # a rare character changed length: fold word by word
        return [
            (m.start(), m.end(), stem(fold(m.group())))
            for m in WORD.finditer(text)
            if stem(fold(m.group())) in stems
        ]
    # Stems are (nearly) prefixes of their words; a regex finds candidates, stemming confirms.
    prefixes = sorted({s[:-1] if len(s) > 3 else s for s in stems}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*(?:\.?\w+)*")
    spans = []
    for m in pattern.finditer(folded):
        term = stem(m.group())
        if term in stems:
            spans.append((m.start(), m.end(), term))
    return spans


def hit_from_article(doc: dict[str, Any], score: float | None, stems: set[str] | None) -> Hit:
    """A result row from a stored article; a snippet when ``stems`` is given (may be empty)."""
    body = doc.get("body") or ""
    lead = doc.get("lead") or ""
    text = body if (not lead or lead in body[: len(lead) + 200]) else f"{lead}\n\n{body}"
    return Hit(
        id=doc["id"],
        title=doc.get("title") or "",
        date=doc.get("date"),
        url=doc.get("url"),
        source=doc.get("source"),
        regions=[r["name"] if isinstance(r, dict) else r for r in doc.get("regions") or []],
        officials=[o["name"] if isinstance(o, dict) else o for o in doc.get("officials") or []],
        snippet=snippet(text, stems) if stems is not None else "",
        score=score,
    )


# --- suggestion --------------------------------------------------------------------------------


class Vocabulary:
    """Unstemmed words with their document frequencies, grouped by length for fuzzy lookup."""

    # In a large vocabulary, words seen in a single document are mostly typos and codes:
    # leaving them out makes suggestions both better and faster.
    LARGE = 20_000

    def __init__(self, frequencies: dict[str, int]):
        if len(frequencies) > self.LARGE:
            frequencies = {w: n for w, n in frequencies.items() if n > 1}
        by_length: dict[int, list[str]] = {}
        for word in frequencies:
            by_length.setdefault(len(word), []).append(word)
        self.by_length = by_length
        self.frequencies = frequencies

    def close(self, word: str, distance: int) -> list[tuple[str, int]]:
        """Words within ``distance`` edits of ``word``, as (word, distance)."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        out: list[tuple[str, int]] = []
        for length in range(len(word) - distance, len(word) + distance + 1):
            choices = self.by_length.get(length)
            if choices:
                found = process.extract(word, choices, scorer=DamerauLevenshtein.distance,
                                        score_cutoff=distance, limit=25)  # fmt: skip
                out.extend((choice, int(dist)) for choice, dist, _ in found)
        return out


def suggest(
    words: Sequence[str], known: Callable[[str], bool], vocabulary: Vocabulary
) -> dict[str, str]:
    """Corrections for words the index does not know: the closest, then most frequent, word
    of the vocabulary that the index does know."""
    out: dict[str, str] = {}
    for word in words:
        if len(word) < 3 or not word.isalpha() or known(word):
            continue
        candidates = vocabulary.close(word, 1 if len(word) <= 4 else 2)
        candidates.sort(key=lambda c: (c[1], -vocabulary.frequencies[c[0]], c[0]))
        for candidate, _dist in candidates[:10]:
            if known(candidate):  # the vocabulary may still list words of deleted documents
                out[word] = candidate
                break
    return out


def suggestion(
    parsed: ParsedQuery, known: Callable[[str], bool], vocabulary: Vocabulary
) -> str | None:
    """The query with its unknown words corrected ("did you mean"), or None."""
    text = _FILTER_CLAUSE.sub(" ", parsed.text)
    raw = [fold(w) for w in WORD.findall(text) if w not in _OPERATORS]
    unknown = [w for w in dict.fromkeys(raw) if not known(w)]
    if not unknown:
        return None
    return apply_suggestion(text.strip(), suggest(unknown, known, vocabulary))


def apply_suggestion(text: str, corrections: dict[str, str]) -> str | None:
    """``text`` with corrected words replaced, keeping a leading capital; None if unchanged."""
    if not corrections:
        return None

    def repl(m: re.Match[str]) -> str:
        word = m.group()
        fixed = corrections.get(fold(word))
        if fixed is None:
            return word
        if word[:1].isupper():
            return fixed.upper() if word.isupper() and len(word) > 1 else fixed.capitalize()
        return fixed

    new = WORD.sub(repl, text)
    return new if new != text else None
