"""Places named by patterns rather than by a name alone: "City, State" pairs ("SANTA ANA,
Calif.", "Caribou, Maine"), datelines ("CHICAGO —"), county lists ("Dallas, Collin and
Tarrant counties") and European Parliament member countries ("(S&D, DE)").

A pattern's hits are strong: no population threshold applies, and they are the context that
decides which place an ambiguous name is. The spans they read are skipped by the names pass.
"""

from __future__ import annotations

import re

from search.extract.lexicon import (
    EP_GROUPS,
    FUNCTION_WORDS,
    GEO_WORDS,
    MONTHS,
    NAME_STOP,
    WEEKDAYS,
    title_words,
)
from search.extract.place_hits import Hit, RegionState
from search.extract.regions import KIND_RANK, Gazetteer, Place

# "Calif.", "N.H.", "W. Va.", "TX"
_STATE_ABBR_RE = r"[A-Z][a-z]{1,4}\.(?: ?[A-Z][a-z]?\.)?|[A-Z]\.[A-Z]\.|[A-Z]{2}(?![\w])"

# ", Calif.", ", TX", ", New Hampshire": what may follow a city. The city is then read
# backwards from the comma, so that in "Caribou, Maine Stowe, Vermont" every pair is found.
_COMMA_STATE = re.compile(
    r",[ \u00a0]+(?P<state>" + _STATE_ABBR_RE + r"|[A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+){0,2})"
    r"(?=$|[\s,.;:)\]–—/-])",
    re.MULTILINE,
)

# the capitalised words before the comma, read backwards: the city is among them
_CITY_BEFORE = re.compile(
    r"(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:[ -](?:[A-Z][\w'’.-]*|de|del|la|of|on|upon))*$"
)

# "Dallas, Collin and Tarrant counties"; in Spanish "los condados de Orange y Riverside"
_COUNTY_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?"

_COUNTIES_LIST = re.compile(
    rf"((?:{_COUNTY_NAME},\s+)*{_COUNTY_NAME},?\s+(?:and|&)\s+{_COUNTY_NAME})\s+[Cc]ounties\b"
)

_CONDADO = re.compile(
    r"\b[Cc]ondados?\s+de\s+((?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)"
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)*(?:\s+y\s+[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)?)"
)

# "SANTA ANA – The ...", "CHICAGO — ...", "ASTANA. KAZINFORM – ...", "GUADALAJARA - ...": a
# dateline city without a state; or a signature block's place on a line of its own
# ("PUTRAJAYA" above the date). U+FFFD is a dash the publisher's encoding lost.
_DATELINE = re.compile(
    r"^[ \t(]*(?P<city>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})"
    r"(?:[ \t]*[–—\ufffd]|[ \t]+-[ \t]|\.[ \t]+[A-Z]{3,}\b|[ \t]*$)",
    re.M,
)

# a wire service's dateline: "St.Pölten (NLK) - Seit ...", "Berlin (dpa) –", "Madrid (EFE) —"
_AGENCY_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-ZÄÖÜ][\w'’]*\.?(?:[ -]?[A-ZÄÖÜ][\w'’]*){0,3})[ \t]*"
    r"\([^()\n]{2,40}\)[ \t]*[-–—]",  # "(NLK)", "(dpa)", "DALLAS (May 16, 2016) —"
    re.M,
)

# a Member of the European Parliament's group and country: "(S&D, DE)"
_EP_MEMBER = re.compile(r"\((?:" + EP_GROUPS + r")\s*,\s*([A-Z]{2})\)")


def _state_place(g: Gazetteer, state: str) -> Place | None:
    """The state/province/country named after a city's comma: a full name or an abbreviation."""
    key = g.abbreviations.get(state) or g.abbreviations.get(state.replace(" ", ""))
    if key:
        return g.places.get(key)
    for p in g.candidates(state):
        if p.kind in ("state", "province", "country"):
            return p
    return None


def scan_city_state(
    text: str, g: Gazetteer, state: RegionState, persons: set[str]
) -> list[tuple[int, int]]:
    """ "City, State" pairs; returns the spans it read (and postal addresses, which name no
    place), for the names pass to skip."""
    spans: list[tuple[int, int]] = []
    for m in _COMMA_STATE.finditer(text):
        city_match = _CITY_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if city_match is None:
            continue
        after_comma = _state_after_comma(g, m)
        if after_comma is None:
            continue
        region, state_end = after_comma
        if re.match(r"[ \u00a0]+\d{5}\b", text[state_end : state_end + 8]):
            # "Dallas, Texas 75207": a postal address, not a place of the release
            spans.append((city_match.start(), state_end))
            continue
        city_words = _known_city(g, city_match.group().split(), region) or _city_words(
            g, city_match.group().split()
        )
        if not city_words or (city_words[-1] in persons and len(city_words) > 1):
            continue
        city_start = m.start() - len(" ".join(city_words))
        region = _region_of_city(g, region, " ".join(city_words))
        found = _city_of_pair(text, g, persons, city_words, city_start, region)
        if found is None:
            continue
        name, city = found
        state.hits.append(Hit(city_start, name, [city], strong=True))
        state.hits.append(Hit(m.start("state"), region.name, [region], strong=True))
        spans.append((city_start, state_end))  # the names pass must not read it again
    return spans


def _region_of_city(g: Gazetteer, region: Place, city: str) -> Place:
    """Of the places named like the state after the comma, the one that holds the city:
    "Atlanta, Georgia" is the US state, "Tbilisi, Georgia" the country."""
    if _find_city(g, city, region.country, None if region.kind == "country" else region.key):
        return region
    for other in g.candidates(region.name):
        if other.kind in ("state", "province", "country") and other.key != region.key:
            parent = None if other.kind == "country" else other.key
            if _find_city(g, city, other.country, parent):
                return other
    return region


def _state_after_comma(g: Gazetteer, m: re.Match[str]) -> tuple[Place, int] | None:
    """The state of a "City, State" match and where its name ends: the longest leading words
    that name one ("Maine Stowe" -> "Maine")."""
    words = m.group("state").split(" ")
    for k in range(len(words), 0, -1):
        region = _state_place(g, " ".join(words[:k]))
        if region is not None:
            return region, m.start("state") + len(" ".join(words[:k]))
    return None


def _city_of_pair(
    text: str,
    g: Gazetteer,
    persons: set[str],
    city_words: list[str],
    city_start: int,
    region: Place,
) -> tuple[str, Place] | None:
    """The name and place of the city of a "City, State" pair: the gazetteer's, or a new
    place when the pattern is strong enough for a town the gazetteer lacks."""
    dateline = _is_dateline(text, city_start)
    name = " ".join(city_words)
    if name.isupper():
        name = _titlecase(name)
    elif not dateline and (
        name in persons
        or name in g.blocked
        or any(w in FUNCTION_WORDS or w in MONTHS or w in WEEKDAYS for w in city_words)
    ):
        return None
    parent_key = None if region.kind == "country" else region.key
    city = _find_city(g, name, region.country, parent_key)
    if city is None and name.endswith(" City"):
        # "YEOSU CITY, Jeollanam-do —": the city of Yeosu
        city = _find_city(g, name[: -len(" City")], region.country, parent_key)
        name = city.name if city else name
    if city is None and region.code == "US-DC":
        city = region  # "Washington, D.C." is the DC entry itself
    if city is None and _big_city_elsewhere(g, name):
        return None  # "Shanghai, Jeollanam-do pledge ...": two places, not a Korean town
    if city is None and (
        dateline or _unknown_city_ok(text, g, name, city_words, city_start, region)
    ):
        city = Place(
            f"{region.country}/{parent_key}/city/{name}",
            name,
            None,
            region.country,
            "city",
            parent=parent_key,
        )
    return None if city is None else (name, city)


def _big_city_elsewhere(g: Gazetteer, name: str) -> bool:
    """Whether ``name`` is a big city of another state or country (or one with its own ISO
    code), which a "City, State" pair lacking it in that state does not name."""
    return any(
        p.kind == "city" and (p.code is not None or p.population >= 1_000_000)
        for p in g.candidates(name)
    )


def _unknown_city_ok(
    text: str, g: Gazetteer, name: str, city_words: list[str], city_start: int, region: Place
) -> bool:
    """Whether an "X, State" the gazetteer does not know as a city, outside a dateline, names a
    town: introduced like one ("in X, State"), in the US, Canada or Australia."""
    # a state/country before the comma ("Florida, Texas, Ohio"): a list, not a city
    if any(p.kind != "city" for p in g.candidates(name)):
        return False
    # "Board of Parole Hearings, California": an office, not a town
    if any(w in NAME_STOP and w not in GEO_WORDS for w in city_words):
        return False
    if not _pattern_context(text, city_start, g):
        return False
    # "X, Israel" with an unknown X: too weak outside a dateline
    return region.kind != "country" and region.country in ("US", "CA", "AU")


def _known_city(g: Gazetteer, words: list[str], region: Place) -> list[str]:
    """The last words before "X, State" when they name a city of that state or country:
    "Santa Ana, Calif." is the city, though Santa Ana is also a Salvadoran department."""
    parent = None if region.kind == "country" else region.key
    for k in (3, 2):
        tail = words[-k:]
        if len(tail) == k and _find_city(g, " ".join(tail), region.country, parent):
            return tail
    return []


def _city_words(g: Gazetteer, words: list[str]) -> list[str]:
    """The words before "X, State" that name the city: what follows the last other place or
    sentence word ("Upper Peninsula of Michigan Caribou" -> "Caribou")."""
    start = 0
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            if i + n <= len(words) and _is_region_word(g, " ".join(words[i : i + n])):
                i += n
                start = i
                break
        else:
            w = words[i]
            if w in FUNCTION_WORDS or w in title_words() or w in MONTHS or w in WEEKDAYS:
                start = i + 1
            i += 1
    out = words[start:][-3:]
    while out and not out[0][:1].isupper():
        out.pop(0)
    return out


def _is_region_word(g: Gazetteer, word: str) -> bool:
    """Whether ``word`` names a state, province or country."""
    return any(p.kind in ("state", "province", "country") for p in g.candidates(word))


def _titlecase(name: str) -> str:
    """ "SANTA ANA" -> "Santa Ana" (the small words "de", "del", "la", "of" are kept as
    written)."""
    return " ".join(
        w
        if w.lower() in ("de", "del", "la", "of")
        else "-".join(p.capitalize() for p in w.split("-"))
        for w in name.split()
    )


def _is_dateline(text: str, start: int) -> bool:
    """A city at the start of a line or paragraph, or in "(City, ST)" opening one."""
    ls = text.rfind("\n", max(0, start - 8), start)
    if ls == -1 and start > 8:
        return False
    return text[ls + 1 : start].strip() in ("", "(")


def _pattern_context(text: str, start: int, g: Gazetteer) -> bool:
    """An unknown "X, State" is a city when introduced like one ("in X", "of X", a list)."""
    before = text[max(0, start - 40) : start]
    if re.search(
        r"(?:\b(?:in|of|from|at|near|to|based|headquartered|located|city|town|visit|and|&)\s+"
        r"|[;:,]\s+)$",
        before,
    ):
        return True
    # a list of "City, State" pairs without separators: "Caribou, Maine Stowe, Vermont"
    m = re.search(r"((?:[A-Z][\w.]* ){1,3})$", before)
    words = m.group(1).split() if m else []
    return any(_is_region_word(g, " ".join(words[k:])) for k in range(len(words)))


def _find_city(g: Gazetteer, name: str, country: str, parent: str | None) -> Place | None:
    """The gazetteer's city (or district) of that name in that country and state, if any."""
    for p in g.candidates(name):
        if (
            p.kind in ("city", "district")
            and p.country == country
            and (parent is None or p.parent in (None, parent))
        ):
            return p
    for p in g.candidates(name):
        if p.code and p.kind == "city" and p.country == country:
            return p
    return None


# A place's adjective before its own government: "the Bavarian government", "Bavarian State
# Minister", "the Korean government", "im Münchner Rathaus"
_DEMONYM = re.compile(
    r"\b(?P<adj>[A-Z][a-zäöüéè]{2,}(?:an|er|ese))[ \u00a0]+(?:State[ \u00a0]+)?"
    r"(?:[Gg]overnment|Ministry|Minister|Cabinet|Parliament|Chancellery|[Dd]elegation|"
    r"Rathaus|Stadtrat|Staatsregierung|Landesregierung|Landtag|Senat|Stadtverwaltung)\b"
)


def _demonym_stems(adj: str) -> list[str]:
    """The place names an adjective may come from: "Bavarian" <- "Bavaria", "Canadian" <-
    "Canada", "Mexican" <- "Mexico", "German" <- "Germany", "Italian" <- "Italy", "Japanese" <-
    "Japan", "Chinese" <- "China"; German "Münchner" <- "München", "Berliner" <- "Berlin"."""
    if adj.endswith("ese"):
        return [adj[:-3], adj[:-3] + "a"]
    if adj.endswith("an"):
        return [adj[:-1], adj[:-3] + "a", adj[:-2] + "o", adj + "y", adj[:-3] + "y"]
    return [adj[:-2], adj[:-3] + "en"]


# in an office's own words the adjective alone names its place: "Bavarian State Minister"
_DEMONYM_ALONE = re.compile(r"\b(?P<adj>[A-Z][a-zäöüéè]{2,}(?:an|er|ese))\b")


def scan_demonyms(
    text: str,
    g: Gazetteer,
    state: RegionState,
    extra: dict[str, list[str]] | None = None,
    office: bool = False,
) -> None:
    """A place named by its adjective before its own government ("the Bavarian government"),
    or anywhere in an ``office``'s words; ``extra`` holds the names of the release's language
    ("München")."""
    rx = _DEMONYM_ALONE if office else _DEMONYM
    for m in rx.finditer(text) if "an" in text or "er" in text else ():
        found = []
        for stem in _demonym_stems(m.group("adj")):
            places = g.candidates(stem) or [
                g.places[k] for k in (extra or {}).get(stem, ()) if k in g.places
            ]
            found += [
                (KIND_RANK.get(p.kind, 9), -len(stem), stem, p)
                for p in places
                if p.kind != "city" or p.code or p.population > 100_000
            ]
        if found:
            # "Chinese" is China, not Chin State; "German" Germany, not Gera: the higher kind
            _, _, stem, best = min(found, key=lambda f: f[:3])
            same = [f[3] for f in found if f[2] == stem]
            state.hits.append(Hit(m.start(), stem, same or [best], locative=True))


def scan_patterns(text: str, g: Gazetteer, state: RegionState) -> list[tuple[int, int]]:
    """County lists ("Dallas, Collin and Tarrant counties"), datelines without a state
    ("SANTA ANA –"), EP member countries "(S&D, DE)". Returns the spans the names pass must
    skip."""
    spans = _scan_county_lists(text, g, state)
    _scan_datelines(text, g, state)
    _scan_agency_datelines(text, g, state)
    _scan_ep_members(text, g, state)
    return spans


def _scan_county_lists(text: str, g: Gazetteer, state: RegionState) -> list[tuple[int, int]]:
    """ "Dallas, Collin and Tarrant counties", "condados de Orange y Riverside"; returns the
    spans of the lists."""
    spans = []
    for rx, needle in ((_COUNTIES_LIST, "ounties"), (_CONDADO, "ondado")):
        if needle not in text:
            continue
        for m in rx.finditer(text):
            spans.append(m.span(1))
            for part in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|y)\s+", m.group(1)):
                name = f"{part.strip().rstrip('.,;:')} County"
                cands = [p for p in g.candidates(name) if p.kind == "county"]
                if cands:
                    state.hits.append(Hit(m.start(1), name, cands, strong=True))
    return spans


def _scan_datelines(text: str, g: Gazetteer, state: RegionState) -> None:
    """A dateline city without a state: "SANTA ANA – The ...", "CHICAGO — ..."."""
    for m in _DATELINE.finditer(text):
        name = _titlecase(m.group("city"))
        places = [p for p in g.candidates(name) if p.kind in ("city", "state", "province")]
        if not places and ". " in name:
            name = name.split(". ")[0]  # "ASTANA. KAZINFORM –": the city, then the agency
            places = [p for p in g.candidates(name) if p.kind in ("city", "state", "province")]
        if name == "Washington":
            places = [g.places["US-DC"]]  # the "WASHINGTON –" dateline is the capital
        if places:
            state.hits.append(Hit(m.start("city"), name, places, strong=True))


def _scan_agency_datelines(text: str, g: Gazetteer, state: RegionState) -> None:
    """A wire service's dateline: "St.Pölten (NLK) -" (written "St. Pölten" elsewhere)."""
    for m in _AGENCY_DATELINE.finditer(text) if "(" in text else ():
        name = re.sub(r"^(St|Ft|Mt)\.(?=\S)", r"\1. ", m.group("city"))
        name = _titlecase(name) if name.isupper() else name
        places = [p for p in g.candidates(name) if p.kind in ("city", "state", "province")]
        if places:
            state.hits.append(Hit(m.start("city"), name, places, strong=True))


def _scan_ep_members(text: str, g: Gazetteer, state: RegionState) -> None:
    """The country of a Member of the European Parliament: "(S&D, DE)"."""
    for m in _EP_MEMBER.finditer(text) if "(" in text else ():
        code = {"EL": "GR", "UK": "GB"}.get(m.group(1), m.group(1))
        place = g.places.get(code)
        if place is not None:
            state.hits.append(Hit(m.start(1), code, [place], strong=True))
