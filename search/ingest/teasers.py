"""Teasers of other stories inside a page's text: "Read more: <headline>", and the headlines
under a "Related" or "Don't miss" heading. They link elsewhere and are not the release's text."""

from __future__ import annotations

import re

from search.ingest.lines import SENTENCE_END, is_headline, word_count

# A heading over a list of other stories' headlines.
_TEASER_HEADING = re.compile(
    r"^(?:related(?: (?:news|articles?|stories|content|links|coverage|posts))?|don'?t miss"
    r"|(?:most )?popular(?: on .{1,40})?|recommended(?: for you)?|you may (?:also )?like"
    r"|more stories|see also|also read|trending(?: now)?)\s*:?$",
    re.IGNORECASE,
)
# One other story's headline behind a label: "READ MORE: China plague outbreak confirmed".
_TEASER_LINE = re.compile(
    r"^(?:read more|see more|read also|also read|also on \S+|related|more)\s*[:|–—-]\s*\S",
    re.IGNORECASE,
)


def drop_teasers(lines: list[str]) -> list[str]:
    """``lines`` without teaser lines and the headlines listed under a teaser heading."""
    out: list[str] = []
    listing = False
    for line in lines:
        if _TEASER_HEADING.match(line):
            listing = True
            continue
        if listing and _is_teaser_headline(line):
            continue
        listing = False
        if _TEASER_LINE.match(line) and word_count(line) <= 25 and not _is_sentence(line):
            continue
        out.append(line)
    return out


def _is_sentence(line: str) -> bool:
    """A sentence, or a line that opens a list of the release's own ("... schools:")."""
    return line.endswith((*SENTENCE_END, ":"))


def _is_teaser_headline(line: str) -> bool:
    """A headline in a list of other stories: Title Case or tagged ("[VIDEO]"), no sentence."""
    if word_count(line) > 25 or _is_sentence(line):
        return False
    return is_headline(line) or line.rstrip("|").endswith("]")
