"""Other forms of a place's name found in the gazetteer's own data, for ``regions``.

Kept apart from ``search.extract.regions``, which calls them while it builds the gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Protocol


class _Gazetteer(Protocol):
    """What of ``regions.Gazetteer`` this module reads (regions imports this module)."""

    places: dict[str, Any]
    names: dict[str, list[str]]
    city_alternates: dict[str, tuple[int, list[str]]]

    def add_name(self, surface: str, key: str, *, text: bool = True) -> None: ...


# a long official style around a region's short name: "Free State of Bavaria"
_STYLE_OF = re.compile(r"(?:[A-Z][\w-]* ){1,3}of (?:the )?(?P<short>[A-Z].+)")


def styled_names(aliases: list[str], kept: list[str]) -> list[str]:
    """Names that the data gives both alone and in a long official style ("Bavaria" and "Free
    State of Bavaria", "Azores"): the long style names the place too, and so does the short
    name, though unlike the local one; nicknames never come in both forms."""
    out: list[str] = []
    for alias in aliases:
        m = _STYLE_OF.fullmatch(alias)
        if m and m.group("short") in aliases:
            out += [n for n in (m.group("short"), alias) if n not in kept and n not in out]
    return out


def accented_spellings(
    cities: Iterable[tuple[str, str, int, list[str]]], known: set[str]
) -> Iterator[tuple[str, str]]:
    """(spelling, key) for the spellings of a city that differ from its name by accents only
    ("València", "Tōkyō"), from (key, name, population, alternate names) rows: they name this
    city, not its namesakes elsewhere (Valencia in Venezuela is never "València"). Names in
    ``known`` are left alone."""
    for key, name, _, alternates in cities:
        folded = ""
        for alt in alternates:
            # cheap tests first: most alternates are other names, not other spellings
            if len(alt) != len(name) or alt == name or alt.isascii() or alt in known:
                continue
            folded = folded or ascii_fold(name).lower()
            if ascii_fold(alt).lower() == folded:
                yield alt, key


def add_accented_spellings(g: _Gazetteer, min_population: int = 100_000) -> None:
    """Name big cities by their spellings that differ from their names by accents only."""
    rows = (
        (key, g.places[key].name, pop, alts)
        for key, (pop, alts) in g.city_alternates.items()
        if pop >= min_population and key in g.places
    )
    for alt, key in list(accented_spellings(rows, set(g.names))):
        g.add_name(alt, key)


@lru_cache(maxsize=65536)  # names repeat from release to release; NFKD does not come cheap
def ascii_fold(text: str) -> str:
    """``text`` without accents ("Nuevo León" -> "Nuevo Leon")."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))
