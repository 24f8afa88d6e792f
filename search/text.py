"""Unicode and whitespace normalisation shared by the cleaner and the extractor."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Characters typical of UTF-8 read as Latin-1/cp1252 ("Ã©", "â€™", "Â "): only text holding one
# of them goes through ftfy, which is far slower than this check.
_MOJIBAKE_HINT = re.compile("[ÃÂâ€\u0080-\u009f]")
# Every horizontal space variant (no-break, thin, ideographic, ...) becomes a plain space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise(text: str) -> str:
    """NFC, mojibake repaired where detectable, spaces folded, each line stripped."""
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, normalization="NFC")
    else:
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def normalise_line(text: str) -> str:
    """``normalise`` for a single line: newlines become spaces too."""
    return " ".join(normalise(text).split())


def fold(text: str) -> str:
    """A comparison key: lower case, accents and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def paragraphs(text: str) -> list[str]:
    """Split text on blank lines into non-empty paragraphs, each one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
