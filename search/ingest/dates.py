"""Find a release's publication date: metadata values, datelines, date lines, headlines, URLs.

Every function returns an ISO ``YYYY-MM-DD`` string or None. A bare year or a month without a
day is never turned into a date.
"""

from __future__ import annotations

import re
from datetime import date

from search.ingest.lines import word_count
from search.ingest.text import fold

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    # Spanish, by the same three-letter prefix where it differs from English.
    "ene": 1, "abr": 4, "ago": 8, "set": 9, "dic": 12,
}  # fmt: skip
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_MDY = rf"{_WEEKDAY}(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
_DMY = rf"{_WEEKDAY}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH}),?\s+(?P<y2>(?:19|20)\d\d)"
_ES_MONTH = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre)"
)
_ES = rf"(?P<d5>\d{{1,2}})\s+de\s+(?P<m5>{_ES_MONTH})\s+(?:de\s+|del\s+)?(?P<y5>(?:19|20)\d\d)"
_ISO = r"(?P<y3>(?:19|20)\d\d)[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2})(?![\d])"
_US = r"(?<![\d/])(?P<m4>\d{1,2})/(?P<d4>\d{1,2})/(?P<y4>(?:19|20)\d\d)(?![\d])"
DATE_PATTERN = re.compile(rf"(?:{_MDY}|{_DMY}|{_ISO}|{_US}|{_ES})", re.IGNORECASE)


def _make(year: str, month: str | int, day: str) -> str | None:
    if isinstance(month, str) and not month.isdigit():
        month = _MONTHS[month[:3].lower()]  # "mayo", "marzo", "junio" share English prefixes
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


_GROUPS = [(f"y{i}", f"m{i}", f"d{i}") for i in range(1, 6)]


def _from_match(m: re.Match[str]) -> str | None:
    groups = m.groupdict()  # a pattern may hold only some of the group sets
    for y, mo, d in _GROUPS:
        if groups.get(y):
            return _make(groups[y], groups[mo], groups[d])
    return None


def parse_date(value: str | None) -> str | None:
    """The first full date written in ``value`` ("2021-05-03T09:00+09:00", "May 3, 2021", ...)."""
    if not value:
        return None
    for m in DATE_PATTERN.finditer(value):
        found = _from_match(m)
        if found:
            return found
    return None


def parse_dmy(value: str | None) -> str | None:
    """A whole value in European day-month-year digits, ``18-07-2019``, as some meta tags are."""
    m = re.fullmatch(r"(\d{1,2})[-.](\d{1,2})[-.]((?:19|20)\d\d)", value or "")
    return parse_date(f"{m.group(3)}-{m.group(2)}-{m.group(1)}") if m else None


# Lines that announce the release date: "For Immediate Release: May 3, 2021", "Published: ...",
# "Date: ...", "Issued on ...", "Posted on: ...", "Released ...".
_DATE_LINE = re.compile(
    r"^\W*(?:for\s+immediate\s+release|published(?:\s+on)?|posted(?:\s+on)?|date|issued(?:\s+on)?"
    r"|released(?:\s+on)?|release\s+date|updated)\b\W*",
    re.IGNORECASE,
)
# A dateline opens the first paragraph: "SHANGHAI, May 3, 2021 —" or "BUSAN, Korea (May 3, 2021) -".
_DATELINE = re.compile(
    rf"^[A-ZÀ-Þ][\w .,'’()/-]{{0,80}}?[,(]\s*(?:{_MDY}|{_DMY}|{_ES})\s*\)?\s*(?:[-–—:/.]|\(|$)",
)
# Hong Kong government trailer: "Ends/Tuesday, December 31, 2019".
ENDS_TRAILER = re.compile(r"^\s*Ends\s*/\s*(?P<date>.+?)\s*$", re.IGNORECASE)


def header_date_lines(
    lines: list[str], kept: list[str], date: str | None, head: int = 30
) -> list[str]:
    """The release's own date lines near the top that the body leaves out: short lines that
    give the release's ``date`` ("Jan 17, 2023, 1:36 PM", "Time:2018-10-19 Editor: ...").
    Other dates there are a site's lists of other releases."""
    if date is None:
        return []
    body = set(kept)
    return [
        line
        for line in lines[:head]
        if line and line not in body and len(line.split()) <= 12 and parse_date(line) == date
    ]


def date_from_lines(lines: list[str], head: int = 30) -> tuple[str, str] | None:
    """``(date, source)`` from a date line, a dateline or an ``Ends/`` trailer, else None.

    ``source`` is ``dateline`` for a dateline and ``text`` otherwise.
    """
    for i, line in enumerate(lines[:head]):
        if ENDS_TRAILER.match(line):
            continue  # a trailer, read below
        if _DATE_LINE.match(line):
            rest = _DATE_LINE.sub("", line, count=1)
            found = parse_date(rest) or (
                parse_date(lines[i + 1]) if not rest.strip() and i + 1 < len(lines) else None
            )
            if found:
                return found, "text"
        m = _DATELINE.match(line)
        if m:
            found = _from_match(m)
            if found:
                return found, "dateline"
    for line in lines[-10:]:
        m = ENDS_TRAILER.match(line)
        if m and (found := parse_date(m.group("date"))):
            return found, "text"
    return None


# /2022/10/25/ or /2022-10-25/ or /20221025/ in a path.
_URL_YMD = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|[-_]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?:\d{0,6})(?:/|[._-]|$)")
# SHINE (Shanghai Daily) article ids start with YYMMDD: /news/metro/2309228656/ is 2023-09-22.
_URL_SHINE = re.compile(r"shine\.cn/.*/(\d\d)(\d\d)(\d\d)\d{4}/?")


def date_from_url(url: str | None) -> str | None:
    """A date written in a URL's path, or None."""
    if not url:
        return None
    for pattern, prefix in ((_URL_YMD, ""), (_URL_SHINE, "20"), (_URL_COMPACT, "")):
        m = pattern.search(url)
        if m and (found := _make(prefix + m.group(1), m.group(2), m.group(3))):
            return found
    return None


def date_near_title(lines: list[str], title: str, main: list[str]) -> tuple[str, str] | None:
    """The date printed with the headline in page text: on its line or just above it.

    Pages print "June 5, 2026: <headline>", or a published and a modified timestamp above the
    headline, or a date line just above the main text; the earliest such date is the
    publication date. Returns ``(date, source)``: ``meta`` for a printed machine timestamp.
    """
    key = fold(title)
    with_title = (
        {i for i, line in enumerate(lines) if key in fold(line)} if word_count(key) >= 3 else set()
    )
    anchors = set(with_title)
    if main and main[0] in lines:
        anchors.add(lines.index(main[0]))
    for i in sorted(anchors):
        holds_title = i in with_title or (key and key in fold(lines[i]))
        written = [(lines[i], "text")] if holds_title else []
        written += [
            (above, "meta" if _TIMESTAMP.match(above) else "text")
            for above in lines[max(0, i - 3) : i]
            if _is_lone_date(above)
        ]
        dated = [(found, source) for text, source in written if (found := parse_date(text))]
        if dated:
            return min(dated)
    return None


# A machine timestamp printed from the page's metadata: "2021-12-10 11:26:47".
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def _is_lone_date(line: str) -> bool:
    """A line that holds a date and little else ("September 26, 2025", "2024-05-23 15:32")."""
    return word_count(line) <= 6 and parse_date(line) is not None
