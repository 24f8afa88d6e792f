"""Places found in text before context decides: a ``Hit`` is a name at a position with the
places it may be; ``RegionState`` collects the hits of one text and the places chosen."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.extract.regions import Place


@dataclass
class Hit:
    """A place found at a position, before context decides which place a name means."""

    start: int
    surface: str
    candidates: list[Place]
    strong: bool = False  # a dateline / "City, State" / "X County" pattern: no threshold applies
    single: bool = False  # a one-word name (needs more evidence than "Moreno Valley")
    heading: bool = False  # found in a Title Case Heading, where every word is capitalised
    locative: bool = False  # after "in", "from", "near", ...: used as a place
    listed: bool = False  # between commas, as in a list of places or an address
    written: bool = False  # a name in another language or script: reported as written


@dataclass
class RegionState:
    """The hits of one text, what the passes learnt about its names, and the chosen places."""

    hits: list[Hit] = field(default_factory=list)
    org_words: set[str] = field(default_factory=set)  # place names seen inside an org's name
    outside: set[str] = field(default_factory=set)  # names also found outside headings
    chosen: dict[str, tuple[int, Place]] = field(default_factory=dict)
    # the name as a release in another language or script writes it ("杭州市"), by key
    written: dict[str, str] = field(default_factory=dict)

    def add(self, start: int, place: Place, written: str | None = None) -> None:
        """Choose ``place``, first mentioned at ``start`` (the earliest mention is kept)."""
        if place.key not in self.chosen or start < self.chosen[place.key][0]:
            self.chosen[place.key] = (start, place)
        if written and place.key not in self.written:
            self.written[place.key] = written
