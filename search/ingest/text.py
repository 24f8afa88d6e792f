"""Unicode and whitespace normalisation shared by the cleaner and the extractor."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Sequences typical of UTF-8 read as Latin-1/cp1252 ("Ã©", "â€™", "Â "), or C1 controls: only
# text holding one goes through ftfy, which is far slower than this check. Single letters such
# as "â" are common in real French or Vietnamese text, so they alone do not count.
_MOJIBAKE_HINT = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]"
    "|â€|Â[\u00a0-\u00bf ]|[\u0080-\u009f]"
)
# Every horizontal space variant (no-break, thin, ideographic, ...) becomes a plain space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NON_WORD = re.compile(r"[^\w]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise(text: str) -> str:
    """NFC, mojibake repaired where detectable, spaces folded, each line stripped."""
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    else:
        text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    # One pass over the whole text (the pattern never spans a newline), then strip each line.
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


def normalise_line(text: str) -> str:
    """``normalise`` for a single line: newlines become spaces too."""
    return " ".join(normalise(text).split())


def fold(text: str) -> str:
    """A comparison key: lower case, accents and punctuation dropped, spaces collapsed."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def paragraphs(text: str) -> list[str]:
    """Split text on blank lines into non-empty paragraphs, each one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
