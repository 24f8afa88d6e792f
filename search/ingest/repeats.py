"""Keep each paragraph once: drop repeated titles and leads; date lines and photo captions
go to fields of their own."""

from __future__ import annotations

import re

from search.ingest.captions import is_caption, is_caption_after_title
from search.ingest.dates import parse_date
from search.ingest.lines import BOILERPLATE, word_count
from search.ingest.text import fold

# A line that is only a date ("November 7, 2014", "Date: Nov. 7, 2014", "Posted on: ...").
_DATE_ONLY = re.compile(
    r"^(?:(?:date|published|posted(?: on)?|updated|released)\s*:?\s*)?[\w,./ -]{6,40}$",
    re.IGNORECASE,
)


def body_paragraphs(
    lines: list[str], title: str, captions: list[str], date_lines: list[str]
) -> list[str]:
    """The paragraphs of ``lines`` worth keeping; the captions among them go to ``captions``,
    lone date lines to ``date_lines``.

    Repeats to drop: the title anywhere; a paragraph already seen near the top (the seed's
    repeated lead) or a whole repeated sentence. Short repeated list items stay.
    """
    title_key = fold(title)
    seen: dict[str, int] = {}
    caption_keys = {fold(c) for c in captions}
    paragraphs: list[str] = []
    after_title = False
    for i, line in enumerate(lines):
        key = fold(line)
        if key == title_key:
            after_title = True  # a repeated title: a photo caption may follow (the seed's layout)
            continue
        if word_count(line) >= 3 and f" {key} " in f" {title_key} ":
            continue  # a piece of the headline, which the page broke over lines
        # A photo block repeats the title or the lead around its caption.
        repeats_next = i + 1 < len(lines) and fold(lines[i + 1]) in seen
        if (after_title or repeats_next) and is_caption_after_title(line):
            captions.append(line)
            caption_keys.add(key)
            after_title = False
            continue
        after_title = False
        if not key or BOILERPLATE.match(line):
            continue
        if key in seen and (seen[key] < 3 or word_count(line) >= 12):
            continue
        if key in caption_keys:
            continue
        if _DATE_ONLY.match(line) and parse_date(line) and word_count(line) <= 7:
            date_lines.append(line)  # not body text, but written in the release
            continue
        if is_caption(line):
            captions.append(line)
            caption_keys.add(key)
            continue
        seen.setdefault(key, len(paragraphs))
        paragraphs.append(line)
    return paragraphs
