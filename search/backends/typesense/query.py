"""Our parsed query (a Whoosh query tree over stemmed terms) as Typesense search parameters.

Typesense's ``q`` can say: every word somewhere in the searched fields, an exact phrase, a word
or phrase excluded, and a prefix on the last word. Its ``filter_by`` can say more: a token in
one field (``body_t:`farm```), ``&&``, ``||`` and parentheses, but it does not rank. So each
top-level part of the query goes where it is exact:

* a word, phrase or exclusion over all text fields goes into ``q`` (ranked, exact);
* anything else (``OR``, ``title:`` and other field restrictions, a hyphenated word that must
  stay within one field) becomes a ``filter_by`` expression, and the words every match must
  contain still go into ``q`` so that results are ranked by them;
* what neither can express degrades to the nearest query and is listed in ``degraded``:
  an exclusion nested in a group is dropped, a phrase inside a group matches its words
  anywhere in the field, another wildcard (``f?rm``, ``wind*s``) is searched as the prefix
  before its first wildcard character when that is two letters or more and dropped
  otherwise, and a second trailing ``*`` word is searched as a whole word.

Typesense 0.24 does not stem, so the index holds our analyzer's terms (``title_t`` ...) and the
query sends the same terms: the two backends match the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from whoosh import query as wq

from search.index.languages import NATIVE_FIELD
from search.index.schema import TEXT_FIELDS

ALL_FIELDS = frozenset(TEXT_FIELDS)
# The native field (other languages' terms): searched through ``filter_by`` only (``translate``).
_FILTER_FIELDS = ALL_FIELDS | {NATIVE_FIELD}
PAIRS_FIELD = "native_pairs_t"  # adjacent native terms joined ("友好城", "城市"): phrases


def text_field(name: str) -> str:
    """The Typesense field holding the analyzed terms of our text field ``name``."""
    return f"{name}_t"


def quote(value: str) -> str:
    """A filter value in backticks (Typesense 0.24 has no escape for a backtick: dropped)."""
    return "`" + value.replace("`", "") + "`"


@dataclass
class TypesenseQuery:
    q: str = "*"
    filter: str | None = None  # text conditions for filter_by, or None
    prefix: bool = False  # the last word of q is a prefix
    ranked: bool = False  # q has a positive word to rank by
    positive: list[str] = field(default_factory=list)  # words and "phrases" of q
    excluded: list[str] = field(default_factory=list)  # -word and -"phrase" of q
    degraded: list[str] = field(default_factory=list)
    native: bool = False  # the other languages' clauses are kept (in ``filter``)


def _same_term(q: wq.Query, kind: type[wq.Query]) -> str | tuple[str, ...] | None:
    """The word (or phrase words) of ``q`` when it searches one word over all text fields."""
    leaves = q.subqueries if isinstance(q, wq.Or) else [q]
    seen_fields, value = set(), None
    for leaf in leaves:
        if type(leaf) is not kind or leaf.fieldname not in ALL_FIELDS:
            return None
        text = tuple(leaf.words) if kind is wq.Phrase else leaf.text
        if not isinstance(text, str | tuple) or (value is not None and text != value):
            return None
        value = text
        seen_fields.add(leaf.fieldname)
    return value if seen_fields == ALL_FIELDS else None


def _implied_words(q: wq.Query) -> list[str]:
    """Words that every document matching ``q`` contains in some text field, in order."""
    if isinstance(q, wq.Term):
        return [q.text] if q.fieldname in ALL_FIELDS and isinstance(q.text, str) else []
    if isinstance(q, wq.Phrase):
        return list(q.words) if q.fieldname in ALL_FIELDS else []
    if isinstance(q, wq.AndNot | wq.AndMaybe):
        return _implied_words(q.a)
    if isinstance(q, wq.And):
        return list(dict.fromkeys(w for sub in q.subqueries for w in _implied_words(sub)))
    if isinstance(q, wq.Or) and q.subqueries:
        common = _implied_words(q.subqueries[0])
        for sub in q.subqueries[1:]:
            found = set(_implied_words(sub))
            common = [w for w in common if w in found]
        return common
    return []


def _expr(q: wq.Query, degraded: list[str]) -> str | None:
    """A filter_by expression matching what ``q`` matches, or None when it cannot."""
    if isinstance(q, wq.Term) and q.fieldname in _FILTER_FIELDS and isinstance(q.text, str):
        return f"{text_field(q.fieldname)}:{quote(q.text)}"
    if isinstance(q, wq.Phrase) and q.fieldname == NATIVE_FIELD and len(q.words) > 1:
        joined = [f"{PAIRS_FIELD}:{quote(a + b)}" for a, b in pairwise(q.words)]
        return "(" + " && ".join(joined) + ")" if len(joined) > 1 else joined[0]
    if isinstance(q, wq.Phrase) and q.fieldname in _FILTER_FIELDS:
        degraded.append(f'phrase "{" ".join(q.words)}" in a group: its words, not adjacent')
        return f"{text_field(q.fieldname)}:{quote(' '.join(q.words))}"
    if isinstance(q, wq.And | wq.Or) and q.subqueries:
        parts = [_expr(sub, degraded) for sub in q.subqueries]
        kept = [p for p in parts if p]
        if isinstance(q, wq.Or) and len(kept) < len(parts):
            return None  # without a branch an OR would match less: drop it all, match more
        if not kept:
            return None
        joiner = " && " if isinstance(q, wq.And) else " || "
        return kept[0] if len(kept) == 1 else "(" + joiner.join(kept) + ")"
    if isinstance(q, wq.AndNot):
        degraded.append(f"exclusion in a group dropped: {q.b}")
        return _expr(q.a, degraded)
    if isinstance(q, wq.AndMaybe):  # the optional part only ranks: the required part matches
        return _expr(q.a, degraded)
    degraded.append(f"cannot express {q} in Typesense: dropped")
    return None


def _first_prefix(q: wq.Query) -> str | None:
    """The prefix when every leaf of ``q`` is that one prefix (``title:invest*``), else None."""
    heads = set()
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        if isinstance(leaf, wq.Prefix | wq.Wildcard) and leaf.fieldname in ALL_FIELDS:
            heads.add(re.split(r"[*?]", leaf.text, maxsplit=1)[0])
        else:
            return None
    head = heads.pop() if len(heads) == 1 else ""
    return head if len(head) >= 2 else None


def _without_native(q: wq.Query) -> wq.Query:
    """``q`` without its native-field clauses (each sits in an ``Or`` beside English ones)."""
    if isinstance(q, wq.Or):
        kept = [_without_native(k) for k in q.subqueries if not _is_native(k)]
        return kept[0] if len(kept) == 1 else type(q)(kept, boost=q.boost)
    if not q.is_leaf():
        return q.apply(_without_native)
    return q


def _is_native(q: wq.Query) -> bool:
    if q.is_leaf():
        return getattr(q, "fieldname", None) == NATIVE_FIELD
    return all(_is_native(leaf) for leaf in q.leaves())


def translate(query: wq.Query | None, native: bool = False) -> TypesenseQuery:
    """Typesense ``q``/``filter_by``/``prefix`` for a parsed query (None: everything).

    ``native``: the collection holds releases in other languages. Their words in each
    language (``search.index.native``) are OR-ed with the English terms, which ``q`` cannot
    say: the positive parts then go into ``filter_by`` (exact, but ranked by date, not by
    text). Without such releases the native clauses can match nothing and are left out.
    """
    if query is None:
        return TypesenseQuery()
    english = _without_native(query)
    if native and english != query:
        return _filtered(query)
    query = english
    parts = _Parts()
    if isinstance(query, wq.AndMaybe):
        query = query.a  # "a ANDMAYBE b": b only ranks, which Typesense cannot weigh in
        parts.degraded.append("ANDMAYBE: its optional part is ignored")
    for part in _top_level(query):
        parts.add(part)
    return parts.query()


def _top_level(query: wq.Query) -> list[wq.Query]:
    """The parts every match must satisfy: an AND's, ``a`` and NOT ``b`` of ``a ANDNOT b``."""
    if isinstance(query, wq.AndNot):
        return [query.a, wq.Not(query.b)]
    return list(query.subqueries) if isinstance(query, wq.And) else [query]


def _phrase(words: str | tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


@dataclass
class _Parts:
    """The top-level parts of a query, each put where Typesense says it exactly (module doc)."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # "quoted"
    excluded: list[str] = field(default_factory=list)  # -word and -"phrase"
    filters: list[str] = field(default_factory=list)  # filter_by expressions, all must hold
    prefix: str | None = None  # the one prefix q can search
    degraded: list[str] = field(default_factory=list)

    def add(self, part: wq.Query) -> None:
        if not (self._add_exact(part) or self._add_pattern(part)):
            self._add_filter(part)

    def _add_exact(self, part: wq.Query) -> bool:
        """A word, phrase or their exclusion over all text fields: a token of ``q``."""
        if (word := _same_term(part, wq.Term)) is not None:
            self.words.append(str(word))
        elif (phrase := _same_term(part, wq.Phrase)) is not None:
            self.phrases.append(_phrase(phrase))
        elif isinstance(part, wq.Not) and (word := _same_term(part.query, wq.Term)) is not None:
            self.excluded.append(f"-{word}")
        elif isinstance(part, wq.Not) and (phrase := _same_term(part.query, wq.Phrase)):
            self.excluded.append("-" + _phrase(phrase))
        else:
            return False
        return True

    def _add_pattern(self, part: wq.Query) -> bool:
        """A prefix or wildcard over all text fields: the prefix of ``q``, or the nearest."""
        if (stem := _same_term(part, wq.Prefix)) is not None:
            if self.prefix is None:
                self.prefix = str(stem)
            else:
                self.degraded.append(f"second prefix {stem}* searched as a whole word")
                self.words.append(str(stem))
        elif (pattern := _same_term(part, wq.Wildcard)) is not None:
            head = re.split(r"[*?]", str(pattern), maxsplit=1)[0]
            if len(head) >= 2 and self.prefix is None:
                self.prefix = head
                self.degraded.append(f"wildcard {pattern} searched as the prefix {head}*")
            else:
                self.degraded.append(f"wildcard {pattern} dropped")
        else:
            return False
        return True

    def _add_filter(self, part: wq.Query) -> None:
        """Anything else: a filter_by expression, its implied words still ranking in ``q``."""
        if isinstance(part, wq.Not):
            self.degraded.append(f"exclusion of {part.query} dropped")
            return
        self.words.extend(_implied_words(part))
        if expr := _expr(part, self.degraded):
            self.filters.append(expr)
        elif self.prefix is None and (found := _first_prefix(part)):
            # title:invest*, (wind* OR port): the prefix over every field is the nearest
            self.prefix = found
            self.degraded.append(f"{part} searched as {found}* in every field")

    def query(self) -> TypesenseQuery:
        prefix = self.prefix
        words = [w for w in dict.fromkeys(self.words) if w != prefix]
        # Typesense reads a prefix only on the last word: it goes last.
        tokens = self.phrases + self.excluded + words + ([prefix] if prefix else [])
        return TypesenseQuery(
            q=" ".join(tokens) or "*",
            filter=" && ".join(self.filters) if self.filters else None,
            prefix=prefix is not None,
            ranked=bool(words or self.phrases or prefix),
            positive=self.phrases + words,
            excluded=self.excluded,
            degraded=self.degraded,
        )


def _filtered(query: wq.Query) -> TypesenseQuery:
    """The query as ``filter_by`` expressions, exclusions kept in ``q`` (see ``translate``)."""
    parts = _Parts()
    for part in _top_level(query):
        if isinstance(part, wq.Not):
            parts.add(wq.Not(_without_native(part.query)))
        elif expr := _expr(part, parts.degraded):
            parts.filters.append(expr)
        else:
            parts.add(_without_native(part))
    out = parts.query()  # q holds only exclusions ("-word"): Typesense reads that as "* -word"
    out.native = True
    return out


def text_filter(query: wq.Query, native: bool = False) -> str | None:
    """The whole of ``query`` as a filter_by expression (for OR-ing with a region filter);
    its clauses in other languages only when ``native`` (see ``translate``)."""
    degraded: list[str] = []
    expr = _expr(query if native else _without_native(query), degraded)
    return expr if expr and not degraded else None
