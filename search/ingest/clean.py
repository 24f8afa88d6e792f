"""Turn raw press-release files (HTML pages, plain text, JSON Lines records) into articles.

HTML pages: ``html`` reads the metadata, photo captions and main text (trafilatura).
Plain text and record bodies, which are often a whole page's text with menus and sidebars,
lose the HTML markup left in them (``markup``), are split into lines (``rejoin``) and the main
run of prose lines is kept (``scorer``); ``records`` reads a record's fields. All three then
share ``finish``: trailers become fields (``trailers``), teasers of other stories
(``teasers``) and contact blocks (``contacts``) go, repeated paragraphs are kept once and
captions move to ``captions`` (``repeats``), and the language is detected (``language``).
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

from search.ingest.article import Article
from search.ingest.contacts import drop_contact_blocks
from search.ingest.dates import (
    date_from_lines,
    date_from_url,
    date_near_title,
    header_date_lines,
    parse_date,
)
from search.ingest.draft import Draft
from search.ingest.html import page_draft, page_lines
from search.ingest.language import detect_language
from search.ingest.markup import strip_markup
from search.ingest.records import is_real_title, record_draft, title_from_lines
from search.ingest.rejoin import raw_lines
from search.ingest.repeats import body_paragraphs
from search.ingest.scorer import select_main_lines
from search.ingest.teasers import drop_teasers
from search.ingest.text import normalise_line
from search.ingest.trailers import take_trailers, with_trailers


def clean_html(html: str, id: str, path: str) -> Article:
    """A raw saved HTML page: metadata and captions by BeautifulSoup, text by trafilatura."""
    soup = BeautifulSoup(html, "lxml")
    draft = page_draft(soup)
    lines = [ln for ln in page_lines(html, soup) if ln]
    _date_from_text(draft, lines, lines)
    draft.lines = lines
    return finish(draft, id, path)


def clean_text(text: str, id: str, path: str) -> Article:
    """A plain-text release: the first non-empty line is the title."""
    text, alt_captions = strip_markup(text)
    lines = raw_lines(text)
    nonempty = [i for i, line in enumerate(lines) if line]
    if not nonempty:
        return finish(Draft(), id, path)
    draft = Draft(title=lines[nonempty[0]], captions=alt_captions)
    rest = lines[nonempty[0] + 1 :]
    draft.lines = select_main_lines(rest)
    _date_from_text(draft, rest, draft.lines)
    draft.lines = with_trailers(draft.lines, rest)
    draft.date_lines = header_date_lines(rest, draft.lines, draft.date)
    return finish(draft, id, path)


def clean_record(record: dict[str, Any], id: str, path: str) -> Article:
    """A JSON Lines record with ``title`` and ``body`` (which may be raw page text)."""
    draft = record_draft(record)
    body, alt_captions = strip_markup(str(record.get("body") or ""))
    draft.captions.extend(alt_captions)
    lines = raw_lines(body)
    draft.lines = select_main_lines(lines)
    if not is_real_title(draft.title):
        # Some exports put the release's date line in the title ("April 30, 2021 Contact: ...").
        if draft.date is None and (dated := parse_date(draft.title)):
            draft.date, draft.date_source = dated, "text"
        lines = [normalise_line(draft.title), *lines]
        draft.title = title_from_lines(lines, draft.lines)
    _date_from_text(draft, lines, draft.lines)
    draft.lines = with_trailers(draft.lines, lines)
    draft.date_lines = header_date_lines(lines, draft.lines, draft.date)
    return finish(draft, id, path)


def _date_from_text(draft: Draft, lines: list[str], main: list[str]) -> None:
    """Fill a missing date from date lines, the headline's own date line, then the URL."""
    lines = [ln for ln in lines if ln]
    if draft.date is None and (found := date_from_lines(lines)):
        draft.date, draft.date_source = found
    if draft.date is None and (near := date_near_title(lines, draft.title, main)):
        draft.date, draft.date_source = near
    if draft.date is None and (found_url := date_from_url(draft.url)):
        draft.date, draft.date_source = found_url, "url"


def finish(draft: Draft, id: str, path: str) -> Article:
    """The shared clean-up: trailers, teasers, contacts, captions, repeats, lead; the article."""
    title = normalise_line(draft.title)
    take_trailers(draft)
    captions = [c for c in (normalise_line(c) for c in draft.captions) if c]
    date_lines = [normalise_line(line) for line in draft.date_lines]
    lines = drop_contact_blocks(drop_teasers(draft.lines))
    paragraphs = body_paragraphs(lines, title, captions, date_lines)
    body = "\n\n".join(paragraphs)
    return Article(
        id=id,
        path=path,
        title=title,
        date=draft.date,
        date_source=draft.date_source if draft.date else None,
        body=body,
        lead=paragraphs[0] if paragraphs else "",
        captions=list(dict.fromkeys(captions)),
        date_lines=list(dict.fromkeys(date_lines)),
        source=normalise_line(draft.source) if draft.source else None,
        editor=normalise_line(draft.editor) if draft.editor else None,
        url=draft.url or None,
        language=draft.language or detect_language(title, body),
        metadata=draft.metadata,
    )
