"""The ``native`` index field: the language-aware terms of non-English releases.

Documents get its terms from ``search.index.languages`` (always pre-analysed, since the terms
depend on the release's language). Queries do not say their language: the field parses its own
query text (Whoosh's "self-parsing" fields) into an ``Or`` of the word's forms in every language,
and phrases are widened the same way by ``widen_phrase`` (``search.index.query``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import fields
from whoosh import query as wq
from whoosh.analysis import Token

from search.index.analysis import WORD, StatelessTokenizer
from search.index.languages import NATIVE_FIELD, alternatives, is_native, native_terms


class RawWords(StatelessTokenizer):
    """Lower-cased words with offsets and no stemming: what ``widen_phrase`` re-analyses."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, **kwargs)
        for pos, m in enumerate(WORD.finditer(value), start=start_pos):
            t.text = t.original = m.group().lower()
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
            yield t


class FormsPhrase(wq.Phrase):
    """A phrase of native terms already analysed (not widened again)."""


def forms_query(text: str, boost: float = 1.0) -> wq.Query:
    """The native forms of query text in every language, OR-ed (a phrase for a CJK run)."""
    parts: list[wq.Query] = []
    for terms in alternatives(text):
        if len(terms) == 1:
            parts.append(wq.Term(NATIVE_FIELD, terms[0], boost=boost))
        else:
            parts.append(FormsPhrase(NATIVE_FIELD, list(terms), boost=boost))
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


class NativeText(fields.TEXT):
    """The native field: positions for phrases, and its own query parsing (module docstring)."""

    def __init__(self) -> None:
        super().__init__(analyzer=RawWords(), phrase=True, stored=False, field_boost=1.0)

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, list):  # posting tuples made in a reindex worker (Preanalyzed)
            return value
        raise TypeError("the native field takes pre-analysed terms (search.index.languages)")

    def self_parsing(self) -> bool:
        return True

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> wq.Query:
        return forms_query(qstring, boost)


def widen_phrase(q: wq.Phrase) -> wq.Query:
    """A phrase on the native field (raw words) as its forms in every language."""
    if q.fieldname != NATIVE_FIELD or isinstance(q, FormsPhrase):
        return q
    widened = forms_query(" ".join(q.words), q.boost)
    if q.slop > 1:
        for leaf in [widened] if widened.is_leaf() else widened.leaves():
            if isinstance(leaf, wq.Phrase):
                leaf.slop = q.slop
    return widened


def key_terms(doc: dict[str, Any], idf: Callable[[str], float], n: int = 12) -> list[str]:
    """The ``n`` native terms of a stored release with the highest tf-idf (more-like-this);
    none for an English release."""
    language = doc.get("language")
    if not is_native(language):
        return []
    text = "\n".join([doc.get("title") or "", doc.get("body") or ""])[:20000]
    counts = Counter(term for term, _pos in native_terms([text], str(language)))
    weights = {term: count * idf(term) for term, count in counts.items() if len(term) > 1}
    return sorted(weights, key=lambda t: (-weights[t], t))[:n]
