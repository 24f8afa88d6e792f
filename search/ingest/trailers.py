"""Trailers after a release's text: ``Source:``/``Editor:`` lines, ``Ends/<date>``, end markers."""

from __future__ import annotations

import re

from search.ingest.dates import ENDS_TRAILER, parse_date
from search.ingest.draft import Draft
from search.ingest.lines import word_count

# Markers after which a release is over: "###", "-30-", "- END -", "ENDS", "NNNN".
_END_MARKER = re.compile(r"^(?:#\s*){3,}$|^-\s*30\s*-$|^-*\s*end(?:s)?\s*-*$|^NNNN$", re.I)
# "Source: SHINE Editor: Xu Fang" (the non-breaking spaces are folded by ``normalise``).
_SOURCE_EDITOR = re.compile(
    r"^(?:Source\s*[:：]\s*(?P<source>.+?))?\s*(?:Editor\s*[:：]\s*(?P<editor>.+?))?\s*$",
    re.IGNORECASE,
)
_TRAILER_START = re.compile(r"^(?:source|editor)\s*[:：]", re.IGNORECASE)
_ISSUED_AT = re.compile(r"^Issued at (?:HKT )?\d{1,2}:\d{2}$", re.IGNORECASE)


def take_trailers(draft: Draft) -> None:
    """Move ``Source:``/``Editor:`` and ``Ends/`` trailers into fields; cut at end markers."""
    kept: list[str] = []
    for i, line in enumerate(draft.lines):
        if ENDS_TRAILER.match(line) or _END_MARKER.match(line):
            m = ENDS_TRAILER.match(line)
            if draft.date is None and m and (found := parse_date(m.group("date"))):
                draft.date, draft.date_source = found, "text"
            # What follows the end marker is page furniture, except a Source/Editor trailer.
            for rest in draft.lines[i + 1 :]:
                _source_editor(draft, rest)
            break
        if _ISSUED_AT.match(line) or _source_editor(draft, line):
            continue
        kept.append(line)
    draft.lines = kept


def _source_editor(draft: Draft, line: str) -> bool:
    if not _TRAILER_START.match(line) or word_count(line) > 14:
        return False
    m = _SOURCE_EDITOR.match(line)
    if not m or not (m.group("source") or m.group("editor")):
        return False
    draft.source = m.group("source") or draft.source
    draft.editor = m.group("editor") or draft.editor
    return True


def with_trailers(main: list[str], lines: list[str]) -> list[str]:
    """``main`` plus the trailers (Source/Editor, Ends/) among the last lines of ``lines``.

    Trailers may sit below the selected run, after page furniture.
    """
    trailers = [
        ln
        for ln in lines[-6:]
        if ln and ln not in main and (_TRAILER_START.match(ln) or ENDS_TRAILER.match(ln))
    ]
    return main + trailers
