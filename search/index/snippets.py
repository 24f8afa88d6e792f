"""Result rows and their snippets: the passage with the most query terms, as safe HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from search.index.analysis import FOLD, WORD, fold, stem
from search.index.backend import Hit
from search.index.languages import is_native
from search.index.languages import spans as native_spans

SNIPPET_CHARS = 240
SNIPPET_SCAN_CHARS = 50_000  # an executive order can be 250 KB: look for the passage early on
# A 1:1 folding (same length) so that match offsets in the folded text are offsets in the text.
_FOLD1 = {k: v for k, v in FOLD.items() if len(v) == 1}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_char(m: re.Match[str]) -> str:
    return m.group().translate(_FOLD1)


def snippet(
    text: str, stems: set[str], size: int = SNIPPET_CHARS, language: str | None = None
) -> str:
    """The passage of ``text`` with the most query terms, HTML-escaped, matches in ``<mark>``.

    For a release in another language (``language``), its words matching the query's native
    terms (``query.Stems.native``) are marked too: in Chinese or Japanese, inside unspaced text.
    """
    text = " ".join(text[:SNIPPET_SCAN_CHARS].split())
    if not text:
        return ""
    spans = _match_spans(text, stems) if stems else []
    native = getattr(stems, "native", None)
    if native and is_native(language):
        spans = _merge(spans, [s for s in _native(text, str(language))
                               if s[2] in native])  # fmt: skip
    if not spans:
        return html.escape(_cut(text, 0, size)[0])
    first = spans[_best_window(spans, size)][0]
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


def _best_window(spans: list[tuple[int, int, str]], size: int) -> int:
    """The index of the match that starts the window covering the most distinct terms, then
    the most matches: one pass with a sliding window, so long texts with many matches stay
    cheap."""
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
    return best


def _native(text: str, language: str) -> list[tuple[int, int, str]]:
    return [(start, end, term) for term, start, end in native_spans(text, language, index=True)]


def _merge(
    spans: list[tuple[int, int, str]], more: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Both lists of (start, end, term) in text order, without overlaps (the longer wins)."""
    out: list[tuple[int, int, str]] = []
    for start, end, term in sorted(spans + more, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end, term))
    return out


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
        snippet=snippet(text, stems, language=doc.get("language")) if stems is not None else "",
        score=score,
    )
