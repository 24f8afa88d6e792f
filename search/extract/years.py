"""Years mentioned: four-digit years (1700-2099) that are not phone, street, section, order
or amount numbers."""

from __future__ import annotations

import re

from search.ingest.dates import parse_date

# A letter or digit that joins a number into a word ("A2020", "2020s"); CJK letters do not:
# Chinese, Japanese and Korean write a year against the words around it ("于2023年9月", "2016년")
_WORD_NOT_CJK = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
# Four digits not inside a longer number, an amount ("$2020", "2020%") or a decimal ("2020.5")
# ("(?=[12])" first: the look-behinds are then tried only where a year may begin, 2x faster)
_YEAR = re.compile(
    rf"(?=[12])(?<!{_WORD_NOT_CJK})(?<![$#§£€.,/:-])(17\d\d|18\d\d|19\d\d|20\d\d)"
    rf"(?!{_WORD_NOT_CJK}|%|[.,:]\d|\s*\(\w\))"
)
# a date in digits, year first or last
_NUMERIC_DATE = re.compile(
    r"(?=\d)(?<![\d.])(?:(?P<y1>(?:19|20)\d\d)[-/.][ ]?\d{1,2}[-/.][ ]?\d{1,2}(?![\d])"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?P<y2>(?:19|20)\d\d))(?![\d])"
)
_CJK_YEAR = re.compile(r"(?<!\d)((?:17|18|19|20)\d\d)\s*[年년]")
# "2019-2021" names both years
_YEAR_RANGE = re.compile(r"\b((?:17|18|19|20)\d\d)\s*[-–]\s*((?:17|18|19|20)\d\d)\b")
# Numbers after these words are not years ("Section 1983", "Executive Order 2014", "Suite 1900")
_YEAR_NOT_BEFORE = re.compile(
    r"(?:No\.?|Number|#|Section|Sec\.|§|U\.S\.C\.|Order|E\.O\.|EO|Room|Suite|Ste\.?|Box|Unit|"
    r"Apt\.?|Case|Bill|H\.R\.|H\.\s?Res\.|S\.|Rule|Form|Code|Route|Rte\.?|Highway|Hwy\.?|"
    r"Interstate|Flight|Ext\.?|ext\.?|Item|Docket|Chapter|Title|Article|Part|Public Law|P\.L\.|"
    r"Resolution|Proclamation|Amendment|pages?|pp\.|Vol\.?|Volume|ZIP|Zip)\s*$"
)
# Nor are amounts ("1800 residents") and street numbers ("1995 Main Street")
_YEAR_NOT_AFTER = re.compile(
    r"\s*(?:people|persons|residents|acres|units|miles|feet|foot|ft|yards|meters|metres|km|"
    r"kilometers|pounds|lbs|tons|tonnes|kg|grams|mg|gallons|liters|litres|employees|workers|"
    r"jobs|homes|houses|students|members|participants|customers|patients|cases|doses|calories|"
    r"hours|dollars|square|sq|percent|points|rooms|beds|seats|vehicles|cars|troops|officers|"
    r"children|kids|families|women|men|volunteers|attendees|visitors|signatures|votes)\b"
    r"|\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){1,3}(?:Street|St\b|Avenue|Ave\b|Road|Rd\b|"
    r"Boulevard|Blvd\b|Drive|Dr\b|Lane|Ln\b|Way|Court|Ct\b|Place|Pl\b|Parkway|Pkwy\b|Highway|"
    r"Circle|Terrace|Trail|Plaza|Square|Suite)"
)


def _day_month(written: str) -> bool:
    """Whether "D/M/YYYY" (or "M/D/YYYY") is a date of the calendar."""
    a, b, _ = (int(x) for x in re.split(r"[-/.]", written))
    return 1 <= min(a, b) <= 12 and max(a, b) <= 31 and min(a, b) >= 1


def extract_years(text: str) -> list[int]:
    """Sorted distinct four-digit years (1700-2099) written in the text, not other numbers;
    the year of a full date too ("2023-05-25", "29/09/2017", "2018.09.17")."""
    years: set[int] = set()
    # "更新日:2023年4月17日": a number followed by 年 or 년 ("year") is one, whatever precedes
    for m in _CJK_YEAR.finditer(text) if ("年" in text or "년" in text) else ():
        years.add(int(m.group(1)))
    for m in _NUMERIC_DATE.finditer(text) if any(c in text for c in "-/.") else ():
        if m.group("y1") and parse_date(m.group()):
            years.add(int(m.group("y1")))
        elif m.group("y2") and _day_month(m.group()):
            years.add(int(m.group("y2")))  # "29/09/2017", "13.11.2008"
    for m in _YEAR_RANGE.finditer(text):
        if int(m.group(2)) > int(m.group(1)):
            years.update((int(m.group(1)), int(m.group(2))))
    for m in _YEAR.finditer(text):
        start, end = m.span()
        if _YEAR_NOT_BEFORE.search(text, max(0, start - 24), start):
            continue
        if _YEAR_NOT_AFTER.match(text, end):
            continue
        # "714-555-1917", "(714) 347-1996": phone numbers
        if re.search(r"\d{3}[\s.)-]+\d{3}[\s.-]+$", text[max(0, start - 12) : start]):
            continue
        years.add(int(m.group(1)))
    return sorted(years)
