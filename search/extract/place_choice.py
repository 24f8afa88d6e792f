"""Which place a name means: one place per hit, chosen by the release's other places.

The countries and states that the release names unambiguously are its context: "Santa Ana"
in a California release is the city, "Georgia" beside Atlanta the state. Pattern hits
(datelines, "City, State") are decided first and join the context. A city out of context
must be large, and a one-word one must also be used as a place ("in Wuhan").
"""

from __future__ import annotations

from search.extract.place_hits import Hit, RegionState
from search.extract.regions import Place

# Population a city needs to count when nothing else in the release points to its country.
MIN_POPULATION_ALONE = 100_000
MIN_POPULATION_ALONE_MULTIWORD = 15_000
# A one-word city between commas ("Tokyo, Jakarta, Delhi") counts without a preposition when
# it is this large: few surnames in a list of people are also names of cities this size.
MIN_POPULATION_LISTED = 2_000_000


def resolve_hits(state: RegionState) -> None:
    """Pick one place per name using the other places of the release, then apply thresholds."""
    countries, parents = _context(state.hits)
    # patterns first (datelines, "City, State"): what they decide is context for the rest
    for strong_pass in (True, False):
        for h in state.hits:
            if h.strong != strong_pass:
                continue
            best = _choose(state, h, countries, parents)
            if best is not None:
                state.add(h.start, best, h.surface if h.written else None)
                if strong_pass:
                    countries.add(best.country)
                    parents.update(k for k in (best.parent,) if k)


def _context(hits: list[Hit]) -> tuple[set[str], set[str]]:
    """The countries, and the states or provinces (ISO 3166-2 codes), that hits name without
    ambiguity: one country among the candidates, and not a lone city name."""
    countries: set[str] = set()
    parents: set[str] = set()
    for h in hits:
        # a country's or state's name is that country's, whatever towns share it ("Mexico"
        # is also a town in the Philippines)
        areas = [p for p in h.candidates if p.kind != "city"]
        country = any(p.kind == "country" for p in areas) and not h.strong
        kinds = {(p.country, p.parent) for p in (areas if country else h.candidates)}
        if len({c for c, _ in kinds}) == 1 and (h.strong or areas):
            countries.add(h.candidates[0].country)
            if len(h.candidates) == 1:
                only = h.candidates[0]
                if only.kind in ("state", "province"):
                    parents.add(only.key)
                if only.parent:
                    parents.add(only.parent)
    return countries, parents


def _choose(state: RegionState, h: Hit, countries: set[str], parents: set[str]) -> Place | None:
    """The place a hit names given the release's countries and states, or None to drop it."""
    if _weak_city_name(state, h):
        return None
    best = _most_likely(h.candidates, countries, parents)
    in_context = best.country in countries or (best.parent in parents)
    if not in_context and best.kind in ("state", "province"):
        best = _big_foreign_city(h.candidates, best) or best
    if best.kind == "city" and not h.strong and not best.code and not in_context:
        floor = MIN_POPULATION_ALONE if h.single else MIN_POPULATION_ALONE_MULTIWORD
        # a one-word name out of context must also be used as a place ("in Wuhan"), not
        # as a name ("Kennedy said")
        used_as_place = h.locative or (h.listed and best.population >= MIN_POPULATION_LISTED)
        if best.population < floor or (h.single and not used_as_place):
            return None
    return best


def _weak_city_name(state: RegionState, h: Hit) -> bool:
    """A one-word city name that the text uses as a word of a heading or of an organisation."""
    # a one-word city seen only in a Title Case Heading ("... from Humble Beginnings") is too
    # weak: in a heading every word is capitalised
    heading_only = h.heading and h.single and not h.strong and h.surface not in state.outside
    # "Benton has ..." after "the Benton Institute": the organisation, not the town
    # (but "visited Busan" after "Busan Port" is the city: a place used as one counts)
    org_short = h.single and h.surface in state.org_words and not (h.strong or h.locative)
    return (heading_only or org_short) and all(p.kind == "city" for p in h.candidates)


def _most_likely(cands: list[Place], countries: set[str], parents: set[str]) -> Place:
    """The candidate the release's context points to; then the higher kind, the larger."""
    if len(cands) == 1:
        best = cands[0]
    else:
        best = min(
            cands,
            key=lambda p: (
                p.key not in parents,
                p.country not in countries,
                _rank(p),  # the state Delaware before Delaware, Ohio
                not (p.parent and p.parent in parents),  # Arlington, Texas in a Texas release
                -p.population,
            ),
        )
    # a big city named like its province ("Istanbul", "Lisbon", "Zurich") is the city
    big = [
        p
        for p in cands
        if p.kind == "city" and p.country == best.country and p.population >= 400_000
    ]
    if best.kind in ("state", "province") and big:
        best = big[0]
    return best


def _big_foreign_city(cands: list[Place], best: Place) -> Place | None:
    """A foreign department against a big city, nothing deciding: "Santa Ana" is Santa Ana,
    California (310,000 people) rather than El Salvador's department."""
    cities = [
        p
        for p in cands
        if p.kind == "city" and p.population >= 100_000 and p.country != best.country
    ]
    return max(cities, key=lambda p: p.population) if cities else None


def _rank(p: Place) -> int:
    """Kinds in order of prominence: country, state or province, county, city, the rest."""
    return {"country": 0, "state": 1, "province": 1, "county": 2, "city": 3}.get(p.kind, 4)
