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
# "21 de septiembre de 2023", "Miércoles 27 Agosto 2003"
_ES = (
    rf"(?P<d5>\d{{1,2}})\s+(?:de\s+)?(?P<m5>{_ES_MONTH})\s+(?:de\s+|del\s+)?"
    r"(?P<y5>(?:19|20)\d\d)"
)
# French and German month names, in full ("mars" and "März" are not "Mar.")
_FR_DE_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
_FR_DE_MONTH = "(?:" + "|".join(sorted(_FR_DE_MONTHS, key=len, reverse=True)) + ")"
# "21 septembre 2023", "1er août 2024", "21. September 2023"
_FR_DE = rf"(?P<d6>\d{{1,2}})(?:\.|er)?\s+(?P<m6>{_FR_DE_MONTH})\s+(?P<y6>(?:19|20)\d\d)"
_ISO = r"(?P<y3>(?:19|20)\d\d)[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2})(?![\d])"
_US = r"(?<![\d/])(?P<m4>\d{1,2})/(?P<d4>\d{1,2})/(?P<y4>(?:19|20)\d\d)(?![\d])"
# "13.11.2008": day, month, year with full stops (European; a slash would be the US order)
_DOTTED = r"(?<![\d.])(?P<d7>\d{1,2})\.(?P<m7>\d{1,2})\.(?P<y7>(?:19|20)\d\d)(?![\d])"
# "2023年9月21日" (Chinese, Japanese), "2016년 12월 21일" (Korean), "2014. 6. 15." (Korean)
_CJK = (
    r"(?P<y8>(?:19|20)\d\d)\s*年\s*(?P<m8>\d{1,2})\s*月\s*(?P<d8>\d{1,2})\s*日"
    r"|(?P<y9>(?:19|20)\d\d)\s*년\s*(?P<m9>\d{1,2})\s*월\s*(?P<d9>\d{1,2})\s*일"
    r"|(?P<y10>(?:19|20)\d\d)\.\s(?P<m10>\d{1,2})\.\s(?P<d10>\d{1,2})(?![\d])"
)
# A Japanese era year: "令和6年2月15日" is 2024-02-15 (Reiwa 1 = 2019; 元年 is its first year)
_ERA_START = {"令和": 2019, "平成": 1989, "昭和": 1926}
_ERA = r"(?P<era>令和|平成|昭和)(?P<ey>\d{1,2}|元)年(?P<em>\d{1,2})月(?P<ed>\d{1,2})日"
DATE_PATTERN = re.compile(
    rf"(?:{_MDY}|{_DMY}|{_ISO}|{_US}|{_ES}|{_FR_DE}|{_DOTTED}|{_CJK}|{_ERA})", re.IGNORECASE
)


def _make(year: str, month: str | int, day: str) -> str | None:
    if isinstance(month, str) and not month.isdigit():
        # "mayo", "marzo", "junio" share English prefixes; French and German months in full
        month = _FR_DE_MONTHS.get(month.lower()) or _MONTHS[month[:3].lower()]
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


_GROUPS = [(f"y{i}", f"m{i}", f"d{i}") for i in range(1, 11)]


def _from_match(m: re.Match[str]) -> str | None:
    groups = m.groupdict()  # a pattern may hold only some of the group sets
    for y, mo, d in _GROUPS:
        if groups.get(y):
            if y == "y4" and int(groups[mo]) > 12:
                return _make(groups[y], groups[d], groups[mo])  # "29/09/2017": day first
            return _make(groups[y], groups[mo], groups[d])
    if groups.get("era"):
        n = 1 if groups["ey"] == "元" else int(groups["ey"])
        return _make(str(_ERA_START[groups["era"]] + n - 1), groups["em"], groups["ed"])
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


_CJK_LETTER = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A machine timestamp printed from the page's metadata: "2021-12-10 11:26:47".
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def _is_lone_date(line: str) -> bool:
    """A line that holds a date and little else ("September 26, 2025", "2024-05-23 15:32",
    "2024年9月12日 上海市人民政府新闻办公室": a date and the office that issued it)."""
    m = next((m for m in DATE_PATTERN.finditer(line) if _from_match(m)), None)
    if m is None:
        return False
    rest = line[: m.start()] + " " + line[m.end() :]
    if _CJK_LETTER.search(rest):
        return len(rest.strip()) <= 24
    return word_count(line) <= 6
