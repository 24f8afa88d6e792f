"""Split raw page text into lines, joining the sentences that links or hard wrapping broke."""

from __future__ import annotations

from search.ingest.lines import BOILERPLATE, SENTENCE_END, TERMINAL, word_count
from search.ingest.text import normalise

_CONNECTIVES = frozenset(
    "a an and or but of the to by for with from in on at as that than said says was were is are "
    "be been his her their its our your".split()
)


def _continues(prev: str, line: str) -> bool:
    """True when ``line`` carries on the sentence ``prev`` left open (a link broke it)."""
    if not prev or prev.endswith(SENTENCE_END) or prev.endswith((".”", '."', "?”", "!”")):
        return False
    first = line[0]
    if first in ",.;:)!?’”":
        return True
    if first in "–—-" and len(line) > 2:  # "CHICAGO" / "– Cook County ...": a dateline
        # but not the items of a list ("The leaders present were:" / "- Prime Minister ...")
        listed = prev.endswith(":") or prev[0] in "–—-•*"
        return word_count(prev) <= 6 and not listed and not BOILERPLATE.match(prev)
    if first.islower() and not BOILERPLATE.match(line):
        return not BOILERPLATE.match(prev)
    last = prev.split()[-1].lower()
    return last in _CONNECTIVES and word_count(prev) >= 6


def _ends_broken(prev: str, line: str) -> bool:
    """A sentence cut by a paragraph break just before its last word or two."""
    return (
        word_count(prev) >= 8
        and not prev.endswith(TERMINAL)
        and word_count(line) <= 2
        and line.endswith((".", '."', ".”"))
    )


def _is_fragment(line: str) -> bool:
    """A short unpunctuated piece such as a linked name ("Summer Stephan")."""
    return (
        bool(line)
        and word_count(line) <= 6
        and not line.endswith(SENTENCE_END)
        and not (BOILERPLATE.match(line))
    )


def rejoin_lines(lines: list[str]) -> list[str]:
    """Join lines broken inside a sentence (by inline links or hard wrapping); keep blanks."""
    out: list[str] = []
    for line in lines:
        if line and len(out) >= 2 and not out[-1] and _ends_broken(out[-2], line):
            out.pop()  # "said prosecutor Leighton" / "" / "D'Antoni.": a break inside a name
            out[-1] = f"{out[-1]} {line}"
        elif line and out and out[-1] and _continues(out[-1], line):
            # "San Diego County District Attorney" / "Summer Stephan" / "announced today ...":
            # a sentence continuing in lower case pulls in the two fragments before it.
            if (
                line[0].islower()
                and len(out) >= 2
                and _is_fragment(out[-1])
                and _is_fragment(out[-2])
                and word_count(line) >= 8
            ):
                out[-2:] = [f"{out[-2]} {out[-1]}"]
            glue = "" if line[0] in ",.;:)!?’”" else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
    return out


def raw_lines(text: str) -> list[str]:
    """The normalised, rejoined lines of raw page text, blank lines kept."""
    return rejoin_lines(normalise(text).split("\n"))
