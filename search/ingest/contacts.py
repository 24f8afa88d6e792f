"""Media-contact blocks ("Media contact: ...", names, phones, e-mails): not article text."""

from __future__ import annotations

import re

from search.ingest.lines import is_prose, word_count

# The start of a media-contact block.
# The start of a media-contact block, in the languages releases come in: "Media enquiries",
# "Pressekontakt", "Contact presse", "Más información:", "問い合わせ先", "문의:", "联系人".
_CONTACT = re.compile(
    r"^(?:media|press|news)?\s*(?:contacts?|inquiries|enquiries)\s*:|^for (?:further|more) "
    r"information,? (?:please )?contact|^(?:media|press) (?:contacts?|relations|inquiries"
    r"|enquiries)\b|^(?:presse)?kontakt\b|^(?:contacts?|relations) (?:presse|média)s?\b"
    r"|^(?:más información|contacto de prensa|contacto)\s*:|^(?:お)?問い?合わ?せ先?"
    r"|^(?:보도자료 )?문의\s*(?:처)?\s*:?|^(?:媒体)?联系(?:人|电话|方式)",
    re.IGNORECASE,
)
# A line naming whom the media or investors should call: "Media: Brian Sokolowski, (312) ...".
_CONTACT_LABEL = re.compile(r"^(?:media|investors?|press|contact)\s*:", re.IGNORECASE)
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
        labelled = "contact" in line.lower() or _CONTACT_LABEL.match(line)
        if _PHONE_OR_EMAIL.fullmatch(line) or (
            labelled and _PHONE_OR_EMAIL.search(line) and word_count(line) <= 30
        ):
            continue
        out.append(line)
    return out
