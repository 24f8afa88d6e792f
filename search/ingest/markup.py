"""HTML markup left in the text of a record or a text file: tags out, its images and tables read.

Exports of web pages often keep the page's inline markup in their text fields: underlined
headings (``<u>Name, Office:</u>``), ``<span>`` styling, ``<figure><img alt="...">`` photos and
whole ``<table>`` elements (data tables, and signature blocks laid out as a table). The reader
should see text: tags go, an image's ``alt`` text and a figure's caption are photo captions, a
table is read as one line, and a small table of names and offices is read column by column,
each column one signature ("SUGA Yoshihide, Prime Minister of Japan").
"""

from __future__ import annotations

import html
import re

# HTML elements only, so "<John Smith>" or "a < b" are left alone.
_INLINE = (
    "a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike"
    "|strong|sub|sup|time|tt|u|var|wbr|img|col|colgroup|tbody|thead|tfoot|caption|o:p"
)
_BLOCK = (
    "address|article|aside|blockquote|br|center|dd|div|dl|dt|footer|h[1-6]|header|hr|li|main"
    "|nav|ol|p|pre|section|ul|iframe|figcaption|picture|source|video|audio|embed|object"
    "|figure|table|tr|td|th"
)
_TAG = re.compile(rf"</?(?:{_INLINE}|{_BLOCK})\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b[^<>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK})\b[^<>]*>", re.IGNORECASE)
_DROPPED = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_FIGURE = re.compile(r"<figure\b.*?</figure\s*>", re.IGNORECASE | re.DOTALL)
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b.*?(?:</tr\s*>|(?=<tr\b)|$)", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t([dh])\b[^<>]*>(.*?)(?:</t[dh]\s*>|(?=<t[dh]\b)|$)", re.I | re.DOTALL)
_ALT = re.compile(r"<img\b[^<>]*?\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_FIGCAPTION = re.compile(r"<figcaption\b[^<>]*>(.*?)</figcaption\s*>", re.I | re.DOTALL)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def has_markup(text: str) -> bool:
    """True when ``text`` holds an HTML tag or a character entity (``&amp;``)."""
    return ("<" in text and _TAG.search(text) is not None) or (
        "&" in text and _ENTITY.search(text) is not None
    )


def unescape(text: str) -> str:
    """``text`` with its HTML character entities replaced (titles exported as HTML)."""
    return html.unescape(text) if "&" in text and _ENTITY.search(text) else text


def strip_markup(text: str) -> tuple[str, list[str]]:
    """``text`` without HTML markup, and the photo captions its figures and images gave."""
    if not has_markup(text):
        return text, []
    captions: list[str] = []
    text = _DROPPED.sub("", text)
    text = _TABLE.sub(lambda m: f"\n{_table(m.group(0))}\n", text)
    text = _FIGURE.sub(lambda m: _figure(m.group(0), captions), text)
    captions.extend(_alt_texts(text))
    text = _BLOCK_TAG.sub("\n", _INLINE_TAG.sub("", text))
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines), [c for c in captions if c]


def _text(fragment: str) -> str:
    """The plain text of an HTML fragment, on one line."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _alt_texts(fragment: str) -> list[str]:
    """The ``alt`` texts of images that describe a photo (a few words), not a logo or icon."""
    alts = (_text(a or b) for a, b in _ALT.findall(fragment))
    return [alt for alt in alts if len(alt.split()) >= 4]


def _figure(fragment: str, captions: list[str]) -> str:
    """A figure's caption, else its image's description, is a caption; other text in it (an
    embedded post, a table) stays in the text."""
    written = [_text(c) for c in _FIGCAPTION.findall(fragment)]
    captions.extend([c for c in written if c] or _alt_texts(fragment))
    return f"\n{_IMG.sub('', _FIGCAPTION.sub('', fragment))}\n"


def _table(fragment: str) -> str:
    """A table as one line: rows of cells joined by " | ", rows by " ; ".

    A one-column table only lays out blocks of text: they stay paragraphs. A small table of
    short text cells and no header cells (names over offices over countries) is a set of
    signature blocks side by side: each column is read as one, "name, office".
    """
    raw = [_CELL.findall(row) for row in _ROW.findall(fragment)]
    if max((len(row) for row in raw), default=0) == 1:
        return "\n".join(_BLOCK_TAG.sub("\n", cell) for row in raw for _, cell in row)
    headed = any(kind.lower() == "h" for row in raw for kind, _ in row)
    rows = [texts for row in raw if any(texts := [_text(cell) for _, cell in row])]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    cells = [cell for row in rows for cell in row]
    if (
        not headed
        and 2 <= len(rows) <= 4
        and width <= 4
        and all(len(cell.split()) <= 10 and not any(ch.isdigit() for ch in cell) for cell in cells)
    ):
        columns = ([row[i] for row in rows if i < len(row) and row[i]] for i in range(width))
        return "\n".join(", ".join(column) for column in columns)
    return " ; ".join(" | ".join(row) for row in rows)
