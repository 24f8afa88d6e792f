"""Saved HTML pages: metadata and captions by BeautifulSoup, the article text by trafilatura."""

from __future__ import annotations

import json
import re
from typing import Any

import trafilatura
from bs4 import BeautifulSoup, Tag

from search.ingest.dates import parse_date, parse_dmy
from search.ingest.draft import Draft
from search.ingest.lines import is_prose, word_count
from search.ingest.rejoin import raw_lines
from search.ingest.scorer import select_main_lines
from search.ingest.text import fold, normalise, normalise_line

_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "publication_date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.issued", "citation_publication_date", "sailthru.date",
    "parsely-pub-date", "article.published", "available",
)  # fmt: skip
_CAPTION_CLASS = re.compile(r"(?:^|[-_])(?:caption|credit)(?:$|[-_]|text)", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s+[|–—:•»-]+\s+")
_BODY_MARK = re.compile(
    r"^(?:pressrelease|press-release|article[-_]*body|story[-_]*body|entry-content"
    r"|post-content|news-content|release-body)$",
    re.IGNORECASE,
)


def page_draft(soup: BeautifulSoup) -> Draft:
    """A draft holding the page's metadata (title, URL, date, language, site) and captions."""
    meta, ld = _meta(soup), _jsonld(soup)
    draft = Draft(title=_html_title(soup, meta, ld), url=_canonical_url(soup, meta))
    draft.date, draft.date_source = _html_date(soup, meta, ld)
    lang = soup.html.get("lang") if soup.html else None
    draft.language = lang.split("-")[0].lower() if isinstance(lang, str) and lang else None
    draft.source = meta.get("og:site_name") or _publisher(ld)
    draft.captions = [c.get_text(" ") for c in soup.find_all(_is_caption_tag)]
    draft.captions += _photo_cell_captions(soup)
    if meta.get("description"):
        draft.metadata["description"] = meta["description"]
    return draft


def page_lines(html: str, soup: BeautifulSoup) -> list[str]:
    """The article's lines: trafilatura's, the page's marked body's, or the scored page text.

    Call it after ``page_draft``: the fallback removes furniture elements from ``soup``.
    """
    text = trafilatura.extract(
        html, favor_precision=True, include_comments=False, include_tables=True, deduplicate=False
    )
    lines = normalise(text).split("\n") if text else []
    marked = _marked_body_lines(soup)
    if marked and _covers_more(marked, lines):
        # The page names its article container and trafilatura left part of it out (text
        # outside <p> elements, as on Hong Kong government pages): trust the page.
        lines = marked
    if _is_table_layout(lines):
        # An old table-layout page: trafilatura flattens the layout table into cells and loses
        # the paragraphs, while the page text keeps them for the line scorer.
        lines = []
    return lines or _fallback_text(soup)


# --- metadata --------------------------------------------------------------------------------


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.lower(), content.strip())
    return found


def _jsonld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
    return items


def _html_title(soup: BeautifulSoup, meta: dict[str, str], ld: list[dict[str, Any]]) -> str:
    page_title = normalise_line(soup.title.get_text()) if soup.title else ""
    claimed = [meta.get("og:title", ""), meta.get("twitter:title", ""), page_title]
    claimed += [str(i["headline"]) for i in ld if isinstance(i.get("headline"), str)]
    claimed_keys = [fold(c) for c in claimed if c]
    for h1 in soup.find_all("h1"):
        text = normalise_line(h1.get_text(" "))
        if text and any(fold(text) in c or c in fold(text) for c in claimed_keys):
            return text
    for candidate in (*claimed[:2], *claimed[3:]):
        if candidate:
            return normalise_line(candidate)
    if page_title:  # drop a site-name suffix: keep the longest part
        return max(_TITLE_SPLIT.split(page_title), key=len)
    first_h1 = soup.find("h1")
    return normalise_line(first_h1.get_text(" ")) if first_h1 else ""


def _html_date(
    soup: BeautifulSoup, meta: dict[str, str], ld: list[dict[str, Any]]
) -> tuple[str | None, str | None]:
    for key in _DATE_META:
        if found := parse_date(meta.get(key)) or parse_dmy(meta.get(key)):
            return found, "meta"
    for item in ld:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if isinstance(item.get(key), str) and (found := parse_date(item[key])):
                return found, "jsonld"
    for time in soup.find_all("time"):
        value = time.get("datetime")
        found = parse_date(value if isinstance(value, str) else None) or parse_date(
            time.get_text(" ")
        )
        if found:
            return found, "time"
    return None, None


def _canonical_url(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    url = href if isinstance(href, str) and href.startswith("http") else meta.get("og:url")
    return url or None


def _publisher(ld: list[dict[str, Any]]) -> str | None:
    for item in ld:
        pub = item.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            return pub["name"]
    return None


def _is_caption_tag(tag: Tag) -> bool:
    """``<figcaption>``, ``itemprop=caption`` or a class such as ``wp-caption-text``."""
    if tag.name == "figcaption" or tag.get("itemprop") == "caption":
        return True
    classes = tag.get("class")
    if not classes or not any(_CAPTION_CLASS.search(c) for c in classes):
        return False
    # A page header styled "caption-style" holds the headline: a caption never does.
    return tag.find(["h1", "h2", "h3"]) is None


def _photo_cell_captions(soup: BeautifulSoup) -> list[str]:
    """The words under a photo in a table cell of their own (old table layouts: an ``<img>``,
    a line break, a line of small italic text): a short line, not a sentence, not a link."""
    captions = []
    for img in soup.find_all("img"):
        cell = img.parent
        if not isinstance(cell, Tag) or cell.name != "td":
            continue
        if cell.find(["p", "h1", "h2", "h3", "h4", "li", "table", "a"]) or len(cell("img")) > 1:
            continue
        text = normalise_line(cell.get_text(" "))
        if 4 <= word_count(text) <= 60 and not text.endswith((".", "!", "?")):
            captions.append(text)
    return captions


# --- main text -------------------------------------------------------------------------------


def _marked_body_lines(soup: BeautifulSoup) -> list[str]:
    """The main lines of the one element the page marks as its article body, or of its chunks.

    Pages that put advertisements inside the story split its body into several chunks marked
    alike (same element and classes), none inside another: their text, in page order. Other
    sets of marks (a wrapper and its body, a story and teasers of others) give nothing.
    """
    marked: list[Tag] = list(soup.find_all(_is_body_mark))
    if len(marked) > 1:
        marked = [tag for tag in marked if tag.get_text(strip=True)]
        signatures = {(tag.name, tuple(tag.get("class") or ())) for tag in marked}
        nested = any(_is_body_mark(p) for tag in marked for p in tag.parents)
        if len(marked) < 2 or len(signatures) > 1 or nested:
            return []
    if not marked:
        return []
    text = "\n".join(tag.get_text("\n") for tag in marked)
    return select_main_lines(raw_lines(text))


def _is_body_mark(tag: Tag) -> bool:
    return (
        tag.get("itemprop") == "articleBody"
        or bool(_BODY_MARK.match(str(tag.get("id") or "")))
        or any(_BODY_MARK.match(c) for c in tag.get("class") or [])
    )


def _covers_more(marked: list[str], extracted: list[str]) -> bool:
    """True when ``marked`` holds nearly all of ``extracted`` plus a prose paragraph it lacks."""
    marked_words = set(fold(" ".join(marked)).split())
    extracted_text = fold(" ".join(extracted))
    extracted_words = extracted_text.split()
    if not extracted_words:
        return bool(marked_words)
    covered = sum(1 for w in extracted_words if w in marked_words) / len(extracted_words)
    missing = [
        line for line in marked if word_count(line) >= 15 and fold(line) not in extracted_text
    ]
    return covered >= 0.95 and any(is_prose(line) for line in missing)


def _is_table_layout(lines: list[str]) -> bool:
    """True when most text sits in table rows and a row holds whole paragraphs.

    Data tables (standings, figures) have many short rows and stay as they are.
    """
    rows = [line for line in lines if line.startswith("|")]
    total = sum(len(line) for line in lines)
    in_rows = sum(len(row) for row in rows)
    return in_rows > total / 2 and any(len(row) > 500 for row in rows)


def _fallback_text(soup: BeautifulSoup) -> list[str]:
    """Page text without furniture elements, for pages trafilatura finds no article in."""
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form"]):
        tag.decompose()
    root = soup.body or soup
    return select_main_lines(raw_lines(root.get_text("\n")))
