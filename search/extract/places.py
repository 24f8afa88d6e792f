"""The places of a text: the pattern passes, then the names pass, then one place per name.

``places_in`` runs ``search.extract.place_patterns`` ("City, State", datelines, county lists,
EP member countries) and ``search.extract.place_names`` (gazetteer names in capitalised runs),
then ``search.extract.place_choice`` decides which place each name means; the places come
back in order of first mention, one per facet value. ``title_regions`` reads the few words of
an office ("Orange County Supervisor") the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from search.extract.cjk_places import scan_cjk
from search.extract.lexicon import GOV_FOLLOW, NAME_STOP, title_words
from search.extract.native_names import has_cjk_word
from search.extract.place_choice import resolve_hits
from search.extract.place_hits import RegionState
from search.extract.place_names import scan_names
from search.extract.place_patterns import scan_city_state, scan_demonyms, scan_patterns
from search.extract.regions import Gazetteer, Place, full_gazetteer, gazetteer

# "Victoria Anderson", "George W. Martinez": a given name and a surname
_PAIR = re.compile(
    r"\b([A-Z][a-z]+)[ \u00a0]+(?:[A-Z]\.[ \u00a0]+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b"
    r"(?![ \u00a0]+[A-Z])"
)


@lru_cache(maxsize=4096)
def title_regions(text: str) -> list[Place]:
    """The places in an office's words ("Orange County", "of South Jeolla Province")."""
    g = gazetteer()
    state = RegionState()
    scan_names(text, g, state, set(), [])
    scan_demonyms(text, g, state, office=True)  # "Bavarian State Minister"
    for h in state.hits:
        h.heading = False  # a title's few words look like a heading; they are not one
        h.locative = True  # "Mayor of London": the office says it is a place
    resolve_hits(state)
    return [place for _, place in sorted(state.chosen.values(), key=lambda sp: sp[0])]


def places_in(text: str, persons: Iterable[str] = ()) -> list[Place]:
    """The places named in ``text``, canonical and in order of first mention; ``persons`` are
    names and name words of the release's people ("Jordan" the senator is not the country)."""
    return [place for place, _ in written_places(text, persons)]


def written_places(
    text: str, persons: Iterable[str] = (), language: str | None = None
) -> list[tuple[Place, str | None]]:
    """``places_in`` for a release in ``language``, each place with its name as written when
    the release writes it in another language or script ("杭州市", "Alemania"), else None."""
    # names in other languages and scripts are read only where a release may hold them: an
    # English release never pays for them (nor meets "Island", German for Iceland)
    cjk = has_cjk_word(text)
    parts = (["cjk"] if cjk else []) + (["latin"] if language in FOREIGN_LANGUAGES else [])
    g = full_gazetteer(*parts) if parts else gazetteer()
    state = RegionState()
    # (German capitalises nouns: "Landesregierung Nordrhein-Westfalen" is no given name and
    # surname, so the pairs that would mark a surname are not read there)
    people = set(persons) | (_person_words(text, g) if language != "de" else set())
    skip = scan_city_state(text, g, state, people)
    skip += scan_patterns(text, g, state)
    scan_demonyms(text, g, state, g.foreign.get(language or "") if language else None)
    scan_names(text, g, state, people, skip, language if language in g.foreign else None)
    if cjk:
        scan_cjk(text, g, state)
    resolve_hits(state)
    out: list[tuple[Place, str | None]] = []
    seen: set[object] = set()
    for _, place in sorted(state.chosen.values(), key=lambda sp: sp[0]):
        # one facet value per place: same code, or same name for code-less places
        ident = place.code or (place.name, place.kind, place.country)
        if ident not in seen:
            seen.add(ident)
            out.append((place, state.written.get(place.key)))
    return out


FOREIGN_LANGUAGES = frozenset({"de", "fr", "es"})


def person_tokens(officials: list[dict[str, Any]]) -> set[str]:
    """Names and single name words of people: "Jordan" the senator is not the country."""
    out: set[str] = set()
    for o in officials:
        out.add(o["name"])
        out.update(w for w in o["name"].split() if len(w) > 2)
    return out


def _person_words(text: str, g: Gazetteer) -> set[str]:
    """Name words of people named "Given Surname" in the text ("Victoria Anderson") that are
    also place names, so that "Anderson" alone later on is not taken for the town."""
    out: set[str] = set()
    for m in _PAIR.finditer(text):
        given, surname = m.group(1), m.group(2)
        if given not in g.names and surname not in g.names:
            continue  # only names that are also places matter here
        before = text[max(0, m.start() - 30) : m.start()]
        if re.search(r"[A-Z][\w.]*[ \u00a0]$", before):
            continue  # part of a longer capitalised run: "New Hampshire Taos"
        if re.search(r"\b(?:in|at|near)[ \u00a0]$", before):
            continue  # "held in Prague Polish-Czech consultations": a place, then a word
        if given in NAME_STOP or given in title_words():
            continue
        if any(p.kind != "city" or p.code for p in g.candidates(given)):
            # "Maine Stowe" in a list of places, "Tokyo Bosai", "Shanghai Pudong" (a city with
            # its own ISO code is no given name); but "George Martinez" is a person
            continue
        if f"{given} {surname}" in g.names or surname in NAME_STOP:
            continue
        if _used_as_place(text, given):
            continue  # "the Seoul Safety app" in a release that says "in Seoul"
        out.update((given, surname))
    return out


def _used_as_place(text: str, word: str) -> bool:
    """Whether the release uses ``word`` as a place elsewhere: after a preposition of place
    ("in Seoul", "visited Tokyo") or before its own government ("Shanghai Mayor", "the Tokyo
    Metropolitan Government"); a person's given name is used neither way."""
    for start, end in _whole_words(text, word):
        if _PLACE_BEFORE.search(text, max(0, start - 16), start):
            return True
        nxt = _NEXT_WORD.match(text, end)
        if nxt and nxt.group(1) in GOV_FOLLOW and nxt.group(1) not in _PERSONAL_FOLLOW:
            return True
    return False


def _whole_words(text: str, word: str) -> Iterable[tuple[int, int]]:
    """The spans of ``word`` (letters) as a whole word in ``text``, as ``\\b{word}\\b`` finds
    them, without compiling a pattern for each name (most would miss the regex cache)."""
    i = text.find(word)
    while i != -1:
        end = i + len(word)
        if not (i and _word_char(text[i - 1])) and not (end < len(text) and _word_char(text[end])):
            yield i, end
        i = text.find(word, i + 1)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what ``\\w`` matches


_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|across|throughout|visit|visits|visiting|visited)[ \u00a0]+$"
)
_NEXT_WORD = re.compile(r"[ \u00a0]+([A-Z][\w'’]*)")
# words after a given name that also follow a place ("Jordan Police" is no person, but "Sydney
# Chief of Staff" may be): only offices a place holds count
_PERSONAL_FOLLOW = frozenset({"Chief", "Secretary", "Vice", "Deputy", "Senator"})
