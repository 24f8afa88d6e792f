"""The main text of raw page text: score each line as prose or furniture, keep the best run."""

from __future__ import annotations

import re

from search.ingest.lines import BOILERPLATE, is_prose, word_count

_ADVISORY_FIELD = re.compile(r"^(?:WHO|WHAT|WHEN|WHERE|WHY|VISUALS)\s*:\s*\S")


def line_score(line: str) -> int:
    """Positive for prose (its word count), negative for everything else."""
    if BOILERPLATE.match(line):
        return -8
    if line.endswith(("…", "...", "[…]")):  # a teaser of another story
        return -3
    if _ADVISORY_FIELD.match(line):  # a media advisory's "WHERE: ..." is its text
        return max(word_count(line), 3)
    if is_prose(line):
        return word_count(line)
    return -3


def select_main_lines(lines: list[str]) -> list[str]:
    """The best-scoring contiguous run of non-empty lines (maximum subarray over line scores)."""
    items = [line for line in lines if line]
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, line in enumerate(items):
        if total <= 0:
            total, start = 0, i
        total += line_score(line)
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
    return items[start:end]
