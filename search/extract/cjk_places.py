"""Places in Chinese, Japanese and Korean text, where no capital letter or space marks a name.

Names are looked up longest first at each letter of a run of Han and kana letters, and at the
start of each Korean word. What follows a name is read as grammar:

* an administrative suffix makes the name that kind of place: "杭州市" and "下関市长" a city,
  "神奈川県", "秋明州", "경상북도" a province ("秋明" is a city; with "州" its oblast);
* a Korean name may carry a particle ("나주시가", "중국의"), never other letters
  ("전남에너지산업협회" is an association);
* a katakana name is a whole katakana word ("ニューヨーク出張"), compared without its long
  vowels and small letters, so that spellings of one foreign name meet.

A bare name counts when it names a country or a first-level division, follows another place
("日本滨松", "瑞士卢加诺"), or names a city of a million people (a short Han name of a small
town is too often a common word: "合作" is also Hezuo; so is a loanword in katakana: "コロナ禍"
is the pandemic, not Corona, California).
"""

from __future__ import annotations

import re

from search.extract.native_names import (
    CITY_SUFFIXES,
    DISTRICT_SUFFIXES,
    PROVINCE_SUFFIXES,
    SUFFIXES,
    kana_fold,
    strip_suffix,
)
from search.extract.place_hits import Hit, RegionState
from search.extract.regions import Gazetteer, Place

# Han and kana letters ("=" joins the parts of a foreign name: "シュレスヴィッヒ=ホルシュタイン")
_HAN_KANA = re.compile(
    r"[=＝\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々ヶ]+"
)
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_KATAKANA = re.compile(r"[=＝\u30a1-\u30fa\u30fc\u31f0-\u31ff]")
# Korean particles a place name may carry ("나주시가", "서울에서", "중국과의")
_PARTICLES = frozenset(
    "은 는 이 가 을 를 의 에 에서 에게 와 과 도 로 으로 까지 부터 만 과의 와의 에서의 으로의 "
    "에는 에서는 로는 으로는 과는 와는 이나 나 측 내 산 청 민 시민 도민 도청 시청 군청 구청".split()
)
# "市场" is a market, not a city: the suffix does not count before these letters
_NOT_SUFFIX = {"市": "场場", "道": "路理德", "州": "长", "都": "市"}
BIG_CITY = 1_000_000
# Chinese prepositions of place: a name right after one is used as a place ("在木浦", "赴首尔")
_LOCATIVE_BEFORE = frozenset("在于赴到至抵访從从往")
# countries whose releases name their provinces without a suffix ("福建", "경기")
CJK_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "JP", "KR", "KP"})
# Korean offices written against the place they govern: "전남지사", "나주시장"
KOREAN_OFFICE_AFTER_PLACE = (
    "도지사", "지사", "시장", "군수", "구청장", "교육감", "부지사", "부시장",
)  # fmt: skip
KIND_OF_SUFFIX = {
    **{s: ("state", "province") for s in PROVINCE_SUFFIXES},
    **{s: ("city",) for s in CITY_SUFFIXES},
    **{s: ("district", "county", "city") for s in DISTRICT_SUFFIXES},
}


def scan_cjk(text: str, g: Gazetteer, state: RegionState) -> None:
    """Add a hit for every place named in the CJK runs of ``text``."""
    for m in _HAN_KANA.finditer(text):
        _scan_han(m.group(), m.start(), g, state)
    for m in _HANGUL.finditer(text):
        _scan_hangul(m.group(), m.start(), g, state)


def _lookup(g: Gazetteer, name: str) -> list[str] | None:
    if _KATAKANA.match(name):
        return g.cjk.get(kana_fold(name))
    return g.cjk.get(name)


def _suffix_at(run: str, j: int) -> str:
    """The administrative suffix that starts at ``run[j]``, or ""."""
    for suffix in SUFFIXES:
        if run.startswith(suffix, j):
            after = run[j + len(suffix) : j + len(suffix) + 1]
            if after and after in _NOT_SUFFIX.get(suffix, ""):
                return ""
            return suffix
    return ""


def _longest(run: str, i: int, g: Gazetteer) -> tuple[int, list[str]] | None:
    """The longest name that starts at ``run[i]``: its length and keys."""
    kana = _KATAKANA.match(run, i) is not None
    for n in range(min(g.cjk_max, len(run) - i), 1, -1):
        if kana and (_KATAKANA.match(run, i + n) or not _KATAKANA.match(run, i + n - 1)):
            continue  # a katakana name is a whole katakana word
        keys = _lookup(g, run[i : i + n])
        own = _own_suffix(run[i : i + n])
        if keys and own and run[i + n : i + n + 1] in _NOT_SUFFIX.get(own, "\0"):
            continue  # "合作市场": a market, not the city 合作市
        if keys:
            return n, keys
    return None


def _own_suffix(name: str) -> str:
    """The administrative suffix a matched name ends with ("杭州市" -> "市"), or ""."""
    stem = strip_suffix(name)
    return name[len(stem) :] if stem != name else ""


def _scan_han(run: str, offset: int, g: Gazetteer, state: RegionState) -> None:
    """Places in a run of Han and kana letters, left to right, longest first."""
    i = 0
    after_place = -1  # where the last place ended: a name right after it is a place too
    countries: set[str] = set()  # the country of that place
    while i < len(run) - 1:
        if _KATAKANA.match(run, i) and i > 0 and _KATAKANA.match(run, i - 1):
            i += 1  # inside a katakana word
            continue
        found = _longest(run, i, g)
        if found is None:
            i += 1
            continue
        n, keys = found
        own = _own_suffix(run[i : i + n])
        suffix = "" if own else _suffix_at(run, i + n)
        cands = _candidates(g, keys, own or suffix)
        follows = after_place == i and any(p.country in countries for p in cands)
        if cands and _counts(run, i, cands, own or suffix, follows):
            if follows:
                cands = [p for p in cands if p.country in countries]
            surface = run[i : i + n + len(suffix)]
            state.hits.append(_hit(offset + i, surface, cands, bool(own or suffix) or follows))
            i += n + len(suffix)
            after_place = i
            countries = {p.country for p in cands}
            continue
        i += 1


def _counts(run: str, i: int, cands: list[Place], suffix: str, follows: bool) -> bool:
    """Whether a bare name found in Han text is used as a place (see the module docstring)."""
    if suffix or follows:
        return True
    if i > 0 and run[i - 1] in _LOCATIVE_BEFORE:
        return True  # "在木浦举行": at Mokpo
    if any(p.kind == "country" for p in cands):
        return True
    kana = _KATAKANA.match(run, i) is not None
    if any(p.code and (p.country in CJK_COUNTRIES or kana) for p in cands):
        # "福建", "浙江", "京畿": a province of a country writing in these scripts; and a
        # foreign one in katakana ("ニューヨーク", "バイエルン"), a name no word shares
        return True
    return max(p.population for p in cands) >= BIG_CITY


def _scan_hangul(word: str, offset: int, g: Gazetteer, state: RegionState) -> None:
    """A place at the start of a Korean word, with a suffix, an office or a particle after it
    ("나주시가", "전남지사는", "중국의")."""
    for n in range(min(g.cjk_max, len(word)), 1, -1):
        keys = g.cjk.get(word[:n])
        if not keys:
            continue
        own = _own_suffix(word[:n])
        suffix = "" if own else _suffix_at(word, n)
        if suffix not in ("", "도", "시", "군", "구", "특별시", "광역시", "특별자치도"):
            suffix = ""
        rest = word[n + len(suffix) :]
        office = rest.startswith(KOREAN_OFFICE_AFTER_PLACE)
        if rest and rest not in _PARTICLES and not office and not (own or suffix):
            continue
        cands = _candidates(g, keys, own or suffix)
        bare = not (own or suffix or office)
        if bare and not _counts(word, 0, cands, "", False):
            return
        if bare and not rest and not any(p.kind == "country" or p.code for p in cands):
            return  # a city's bare name needs a particle: "지난 3월" is "last March"
        if cands:
            state.hits.append(_hit(offset, word[: n + len(suffix)], cands, not bare))
        return


def _candidates(g: Gazetteer, keys: list[str], suffix: str) -> list[Place]:
    """The places a name may be; a suffix keeps those of its kind ("山口県" the prefecture,
    "山口市" the city), and makes a city's name with a province suffix its province ("秋明州"
    is Tyumen Oblast, named in English like the city)."""
    places = [g.places[k] for k in keys if k in g.places]
    if not suffix:
        return places
    kinds = KIND_OF_SUFFIX[suffix]
    kept = [p for p in places if p.kind in kinds]
    if kept or "state" not in kinds:
        return kept or places
    for p in places:
        provinces = [
            q
            for q in g.candidates(p.name)
            if q.kind in ("state", "province") and q.country == p.country
        ]
        if provinces:
            return provinces
    return places


def _hit(start: int, surface: str, cands: list[Place], strong: bool) -> Hit:
    hit = Hit(start, surface, cands, strong=strong, single=True, locative=True)
    hit.written = True
    return hit
