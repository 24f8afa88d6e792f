"""Text helpers shared by the place and the official passes: the words of a text, matches
anchored on the few words present, Title Case Headings, and whole-word search."""

from __future__ import annotations

import re
from collections.abc import Iterator


def _letter_class(upper: bool) -> str:
    """The upper- or lower-case letters of Latin (with every accent), Greek and Cyrillic
    scripts as a character-class body ("Çavuşoğlu", "Rinkēvičs", "Geoană", "Nguyễn");
    lower case also takes combining accents, for text written in decomposed form."""
    spans = ((0x41, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF))
    chars = [
        chr(c)
        for a, b in spans
        for c in range(a, b + 1)
        if (chr(c).isupper() if upper else chr(c).islower())
    ]
    out = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out.append(chars[i] if i == j else f"{chars[i]}-{chars[j]}")
        i = j + 1
    return "".join(out) + ("" if upper else "\u0300-\u036f")


UPPER = _letter_class(upper=True)
LOWER = _letter_class(upper=False)


def words_of(lower_text: str) -> set[str]:
    """The distinct lower-case words of a text, with "vice-president" also as "vice" and
    "(president." also as "president" (``str.split``: faster than a regex)."""
    words = {w.strip("()[]\"“”‘'.,;:!?") for w in lower_text.split()}
    words |= {w[:-2] for w in words if w.endswith(("’s", "'s"))}
    words |= {w.split("-", 1)[0] for w in words if "-" in w}
    words |= {w.rstrip(".,;:") for w in words}
    return words


def anchored(
    text: str, hay: str, pattern: re.Pattern[str], present: set[str]
) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of ``pattern`` tried only where a word of ``present`` begins in
    ``hay`` (``text`` or its lower-case form).

    Much faster than ``finditer`` for a long alternation: the few start words present in the
    text are found by set intersection and ``str.find``, both in C.
    """
    if not present:
        return
    positions = set()
    for w in present:
        i = hay.find(w)
        while i != -1:
            if i == 0 or not (hay[i - 1].isalnum() or hay[i - 1] in "-_"):
                positions.add(i)
            i = hay.find(w, i + 1)
    end = 0
    for i in sorted(positions):
        if i < end:
            continue
        m = pattern.match(text, i)
        if m:
            end = m.end()
            yield m


# "Texas's", "Jones'": a possessive ending
POSSESSIVE = re.compile(r"['’]s?$")


def _line_bounds(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """Start and end of the line around ``pos``, or None when it runs further than ``limit``
    characters either way (bounded, so that a release on one huge line stays linear)."""
    ls = text.rfind("\n", max(0, pos - limit), pos)
    if ls == -1 and pos > limit:
        return None
    le = text.find("\n", pos, pos + limit)
    if le == -1 and pos + limit < len(text):
        return None
    return ls + 1, (le if le != -1 else len(text))


def title_case_line(text: str, start: int) -> bool:
    """True when the line around ``start`` is a Title Case Heading (everything capitalised)."""
    bounds = _line_bounds(text, start, 250)
    if bounds is None:
        return False  # a long paragraph, not a heading
    line = text[bounds[0] : bounds[1]].strip()
    if not line or len(line) > 250 or line[-1] in ".;,":
        return False  # a sentence, not a heading
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if len(words) < 3:
        return len(words) > 1 and all(w[0].isupper() for w in words)
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


def has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in running text as a word of its own (not inside a URL or file
    name such as "pneumonia_wuhan_eng.pdf"); ``str.find``, no regex compile per word."""
    i = text.find(word)
    while i != -1:
        end = i + len(word)
        before = text[i - 1] if i else " "
        after = text[end : end + 2] + "  "
        if (before.isspace() or before in "(\"'“‘") and (
            after[0].isspace()
            or (after[0] in ",;:!?)\"'”’." and after[1].isspace())
            or after in ("'s", "’s")  # "Trump's"
        ):
            return True
        i = text.find(word, end)
    return False
