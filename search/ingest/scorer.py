"""The main text of raw page text: score each line as prose or furniture, keep the best run."""

from __future__ import annotations

import re

from search.ingest.lines import BOILERPLATE, is_name_and_office, prose_words, word_count

_ADVISORY_FIELD = re.compile(r"^(?:WHO|WHAT|WHEN|WHERE|WHY|VISUALS)\s*:\s*\S")
_ADVISORY_LABEL = re.compile(r"^(?:WHO|WHAT|WHEN|WHERE|WHY|VISUALS|SPEAKERS)\s*:$", re.I)
# A list item: a bullet or a number, then a word ("- Ipas", "• Prime Minister Modi of India").
_LIST_ITEM = re.compile(r"^(?:[-–—•*·▪●]|\d{1,2}[.)])\s*\w\S")


def line_score(line: str) -> int:
    """Positive for prose (its word count), negative for everything else."""
    if BOILERPLATE.match(line):
        return -8
    if line.endswith(("…", "...", "[…]")):  # a teaser of another story
        return -3
    if _ADVISORY_FIELD.match(line):  # a media advisory's "WHERE: ..." is its text
        return max(word_count(line), 3)
    return prose_words(line) or -3


def _scores(items: list[str]) -> list[int]:
    """Each line's score; the items of a list count as text when a line ending in a colon opens
    it or when it has two items or more ("Joining the call were the following leaders:" /
    "- Polish President Andrzej Duda"), and so does a media advisory's field on lines of its
    own ("WHERE:" / "City Hall, Room 200")."""
    scores = [line_score(line) for line in items]
    item = [bool(_LIST_ITEM.match(line)) and not BOILERPLATE.match(line[2:]) for line in items]
    opened = False
    for i, line in enumerate(items):
        if item[i]:
            if opened or (i > 0 and item[i - 1]) or (i + 1 < len(items) and item[i + 1]):
                scores[i] = max(scores[i], 1)
            continue
        if i and _ADVISORY_LABEL.match(items[i - 1]):
            scores[i - 1] = scores[i] = max(scores[i], 1)
        opened = line.endswith(":") and scores[i] > -8
    return scores


def select_main_lines(lines: list[str]) -> list[str]:
    """The best-scoring contiguous run of non-empty lines (maximum subarray over line scores)."""
    items = [line for line in lines if line]
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, score in enumerate(_scores(items)):
        if total <= 0:
            total, start = 0, i
        total += score
        if total > best:
            best, best_span = total, (start, i + 1)
    if best == 0:
        # No prose at all: a tiny text is the release itself, a longer one is page furniture.
        kept = [line for line in items if not BOILERPLATE.match(line)]
        return kept if len(items) <= 5 else []
    start, end = best_span
    tail = items[end:]
    if len(tail) <= 6 and not any(BOILERPLATE.match(t) or t.endswith("…") for t in tail):
        end = len(items)  # the release's own ending: a signature, a list of participants
    return _header_block(items[:start]) + items[start:end]


def _header_block(before: list[str]) -> list[str]:
    """The "Name, Office" lines of a header block just above the text (a written statement's
    minister, a letter's sender), among its date and publication lines; not across furniture."""
    header: list[str] = []
    for line in reversed(before[-6:]):
        if BOILERPLATE.match(line):
            break
        if is_name_and_office(line):
            header.insert(0, line)
    return header[-3:]
