"""Media-contact blocks ("Media contact: ...", names, phones, e-mails): not article text."""

from __future__ import annotations

import re

from search.ingest.lines import is_prose, word_count

# The start of a media-contact block.
_CONTACT = re.compile(
    r"^(?:media|press|news)?\s*(?:contacts?|inquiries|enquiries)\s*:|^for (?:further|more) "
    r"information,? (?:please )?contact|^(?:media|press) (?:contacts?|relations|inquiries)\b",
    re.IGNORECASE,
)
_CONTACT_WORD = re.compile(r"\bcontact(?:o|s)?\s*:", re.IGNORECASE)
_PHONE_OR_EMAIL = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|[\w.+-]+@[\w-]+\.[\w.]+")


def mentions_contact(line: str) -> bool:
    """True for a line that opens a contact block or holds a ``Contact:`` label."""
    return bool(_CONTACT.search(line) or _CONTACT_WORD.search(line))


def drop_contact_blocks(lines: list[str]) -> list[str]:
    """Remove media-contact blocks: the opening line and the short lines that follow it."""
    out: list[str] = []
    in_block = False
    for line in lines:
        if _CONTACT.match(line):
            in_block = True
            continue
        if (
            in_block
            and (word_count(line) <= 8 or _PHONE_OR_EMAIL.search(line))
            and not (is_prose(line) and word_count(line) > 8)
        ):
            continue
        in_block = False
        if _PHONE_OR_EMAIL.fullmatch(line) or (
            "contact" in line.lower() and _PHONE_OR_EMAIL.search(line) and word_count(line) <= 30
        ):
            continue
        out.append(line)
    return out
