"""Query parsing with fallback: query text becomes a query tree plus facet clauses.

The tree is Whoosh's query objects (``whoosh.query``), used as a library: the Whoosh backend runs
it, the Typesense backend translates it. ``parse`` never fails: text that does not parse is
searched as plain words.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.qparser import MultifieldPlugin, QueryParser, WildcardPlugin

from search.index.analysis import WORD, fold, stem
from search.index.backend import QueryNotSupported
from search.index.languages import NATIVE_FIELD
from search.index.native import forms_query, widen_phrase
from search.index.schema import TEXT_FIELDS

# field:value clauses that filter by facet value instead of by text.
FILTER_FIELDS = {"official": "official", "officials": "official", "region": "region",
                 "regions": "region", "source": "source", "year": "year",
                 "language": "language"}  # fmt: skip
FILTER_CLAUSE = re.compile(
    r"(?<![\w:])(" + "|".join(FILTER_FIELDS) + r"):(\"[^\"]*\"|\S+)", re.IGNORECASE
)
_MINUS = re.compile(r"(?<![\w\"])-(?=[\w\"(])")
_SYNTAX = re.compile(r"[^\w\s]+")
# An operator with nothing on one side ("farms AND", "OR farms") is dropped, not searched for.
_DANGLING = re.compile(
    r"^(?:\s*\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b)+|(?:\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*)+$"
)
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
# Limits on the query forms that expand against the vocabulary (see ``check_limits``).
MAX_PATTERNS = 4  # distinct wildcards and prefixes in one query
MAX_SLOP = 10  # the largest "phrase"~N


class Stems(set[str]):
    """The English stems a query searches, and in ``native`` its terms in other languages."""

    def __init__(self, stems: set[str], native: set[str]):
        super().__init__(stems)
        self.native = native


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

    def stems(self) -> Stems:
        """Stemmed terms searched in the text fields, and the native ones (for snippets)."""
        terms = _terms(self.query)
        return Stems({text for fieldname, text in terms if fieldname in TEXT_FIELDS},
                     {text for fieldname, text in terms if fieldname == NATIVE_FIELD})  # fmt: skip


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


class _Parser(QueryParser):
    """Whoosh's parser, but wildcards and prefixes search the English-analysed fields only."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if fieldname == NATIVE_FIELD and termclass is not wq.Term:
            return None
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


_parsers: dict[int, QueryParser] = {}


def _parser(schema) -> QueryParser:
    key = id(schema)
    parser = _parsers.get(key)
    if parser is None:
        # Field boosts live in the index (each field's weights), not in the query. Each word is
        # also searched in the native field, as its forms in every language (``native``).
        parser = _Parser(None, schema)
        parser.add_plugin(MultifieldPlugin([*TEXT_FIELDS, NATIVE_FIELD]))
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

    rest = FILTER_CLAUSE.sub(take, text)
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
        if word in OPERATORS:
            continue
        term = stem(fold(word))
        forms = forms_query(word)
        native = [] if forms is wq.NullQuery else [forms]
        parts.append(wq.Or([*(wq.Term(f, term) for f in TEXT_FIELDS), *native]))
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
    if isinstance(q, wq.Phrase) and q.fieldname == NATIVE_FIELD:
        return widen_phrase(q)
    if not q.is_leaf():
        q = q.apply(_normalize)
    return q.normalize()


def check_limits(q: wq.Query | None) -> None:
    """Refuse, with a message for the user, the forms no engine should expand in full: a
    wildcard before any letter (``*a*``), more than ``MAX_PATTERNS`` wildcards, a range over
    text (``body:[a TO z]``) and a phrase slop over ``MAX_SLOP``."""
    if q is None:
        return
    patterns: set[str] = set()
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(leaf, wq.Wildcard | wq.Prefix):
            text = str(leaf.text)
            if isinstance(leaf, wq.Wildcard) and text[:1] in ("*", "?"):
                raise QueryNotSupported("a wildcard must start with a letter or digit, not * or ?")
            patterns.add(text + ("*" if isinstance(leaf, wq.Prefix) else ""))
        elif isinstance(leaf, wq.TermRange | wq.NumericRange):
            raise QueryNotSupported(
                "ranges ([a TO z]) are not supported: use year: for years, from and to for dates"
            )
        elif isinstance(leaf, wq.Phrase) and leaf.slop > MAX_SLOP:
            raise QueryNotSupported(f'a phrase slop ("..."~N) can be at most {MAX_SLOP}')
    if len(patterns) > MAX_PATTERNS:
        raise QueryNotSupported(
            f"at most {MAX_PATTERNS} wildcards in one query (this one has {len(patterns)})"
        )


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


_PLACE_QUERY = re.compile(r"[\w .'’-]{2,60}")


def place_named_by(text: str, resolve: Callable[[str], str], values: Container[str]) -> str | None:
    """The region facet value that a query of plain words names (alias or code), if any.

    ``resolve`` maps a name or code to its canonical region; ``values`` are the indexed ones.
    """
    text = text.strip().strip('"')
    if not _PLACE_QUERY.fullmatch(text) or any(w in OPERATORS for w in text.split()):
        return None
    name = resolve(text)
    return name if name in values else None
