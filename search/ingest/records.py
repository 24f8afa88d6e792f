"""JSON Lines records: their fields, and a headline from the body when the title is not one."""

from __future__ import annotations

from typing import Any

from search.ingest.contacts import mentions_contact
from search.ingest.dates import parse_date
from search.ingest.draft import Draft
from search.ingest.lines import BOILERPLATE, SENTENCE_END, is_prose, word_count
from search.ingest.markup import strip_markup
from search.ingest.text import normalise_line

_RECORD_FIELDS = {"id", "title", "body", "date", "url", "source", "agency", "publisher", "language"}


def record_draft(record: dict[str, Any]) -> Draft:
    """A draft holding the record's own fields: title, URL, date, source, language, the rest."""
    url = record.get("url") if isinstance(record.get("url"), str) else None
    draft = Draft(title=strip_markup(str(record.get("title") or ""))[0], url=url)
    record_date = parse_date(str(record["date"])) if record.get("date") else None
    if record_date:
        draft.date, draft.date_source = record_date, "record"
    for key in ("agency", "publisher", "source"):
        if isinstance(record.get(key), str) and record[key].strip():
            draft.source = record[key]
            break
    if isinstance(record.get("language"), str):
        draft.language = record["language"]
    draft.metadata = {k: v for k, v in record.items() if k not in _RECORD_FIELDS}
    return draft


def is_real_title(title: str) -> bool:
    """False for empty titles and ones that are page furniture or a date/contact line."""
    title = normalise_line(title)
    if not title or BOILERPLATE.match(title) or mentions_contact(title):
        return False
    return not (parse_date(title) and word_count(title) <= 8)


def title_from_lines(lines: list[str], main: list[str]) -> str:
    """The headline before (or at the top of) the main text: the last headline-like line."""
    first = main[0] if main else ""
    if (
        is_real_title(first)
        and not first.endswith(SENTENCE_END)
        and 3 <= word_count(first) <= 25
        and len(main) > 1
    ):
        return first  # a headline opening the main text
    start = lines.index(first) if first in lines else len(lines)
    for line in reversed([ln for ln in lines[:start] if ln][-6:]):
        if is_real_title(line) and not is_prose(line) and word_count(line) >= 3:
            return line
    return ""
