"""The region gazetteer and resolver (search/regions.py)."""

from __future__ import annotations

import time

import pytest

from search.extract import extract_regions
from search.extract.regions import DATA_DIR, fold, gazetteer, resolve_region


@pytest.mark.parametrize(
    "alias", ["Jeollanam-do", "KR-46", "South Jeolla", "South Jeolla Province", "jeollanam do"]
)
def test_aliases_of_a_province_resolve_to_one_canonical_entry(alias: str) -> None:
    assert resolve_region(alias) == {
        "name": "South Jeolla Province",
        "code": "KR-46",
        "country": "KR",
        "kind": "province",
    }


@pytest.mark.parametrize("alias", ["Korea", "South Korea", "Republic of Korea", "ROK", "KR", "KOR"])
def test_country_aliases_and_codes(alias: str) -> None:
    region = resolve_region(alias)
    assert region is not None
    assert (region["name"], region["code"], region["kind"]) == ("South Korea", "KR", "country")


@pytest.mark.parametrize(
    ("alias", "name", "code"),
    [
        ("Russian Federation", "Russia", "RU"),
        ("U.S.", "United States", "US"),
        ("United States of America", "United States", "US"),
        ("UK", "United Kingdom", "GB"),
        ("Türkiye", "Turkey", "TR"),
        ("Viet Nam", "Vietnam", "VN"),
    ],
)
def test_common_country_names_are_canonical(alias: str, name: str, code: str) -> None:
    region = resolve_region(alias)
    assert region is not None
    assert (region["name"], region["code"]) == (name, code)


def test_us_states_by_name_iso_code_and_ap_abbreviation() -> None:
    for alias in ("California", "US-CA", "Calif.", "calif"):
        assert resolve_region(alias)["code"] == "US-CA"  # type: ignore[index]


def test_bare_postal_code_prefers_the_country() -> None:
    # "CA" is Canada's ISO code before it is California's postal abbreviation
    assert resolve_region("CA")["name"] == "Canada"  # type: ignore[index]


def test_subdivision_names_from_iso_3166_2_in_english() -> None:
    assert resolve_region("Hubei")["code"] == "CN-HB"  # type: ignore[index]
    assert resolve_region("Hubei Province")["code"] == "CN-HB"  # type: ignore[index]
    assert resolve_region("Nuevo Leon")["code"] == "MX-NLE"  # type: ignore[index]
    assert resolve_region("Crimea")["code"] == "UA-43"  # type: ignore[index]


def test_cities_that_are_subdivisions_keep_the_subdivision_code() -> None:
    assert resolve_region("Shanghai") == {
        "name": "Shanghai",
        "code": "CN-SH",
        "country": "CN",
        "kind": "city",
    }
    assert resolve_region("Dubai")["code"] == "AE-DU"  # type: ignore[index]


def test_hong_kong_and_us_territories_are_one_entry_each() -> None:
    assert resolve_region("Hong Kong")["code"] == "HK"  # type: ignore[index]
    assert resolve_region("CN-HK")["code"] == "HK"  # type: ignore[index]
    for alias in ("U.S. Virgin Islands", "USVI", "VI", "US-VI", "Virgin Islands, U.S."):
        assert resolve_region(alias)["code"] == "US-VI", alias  # type: ignore[index]


def test_a_city_that_is_its_own_iso_entity_is_one_entry() -> None:
    g = gazetteer()
    assert [p.key for p in g.candidates("Hong Kong")] == ["HK"]
    assert [p.key for p in g.candidates("Singapore")] == ["SG"]
    assert resolve_region("Macau")["code"] == "MO"  # type: ignore[index]


def test_brooklyn_is_kings_county() -> None:
    g = gazetteer()
    assert resolve_region("Brooklyn")["kind"] == "county"  # type: ignore[index]
    # New York's Kings County is folded into Brooklyn; California has a Kings County too
    assert "US-NY/county/Kings County" not in g.places
    kings = {(p.name, p.parent) for p in g.candidates("Kings County")}
    assert kings == {("Brooklyn", "US-NY"), ("Kings County", "US-CA")}


def test_cities_from_geonames() -> None:
    region = resolve_region("Tel Aviv")
    assert region is not None
    assert (region["country"], region["kind"]) == ("IL", "city")


def test_former_and_english_city_names_and_saint_fort_mount_forms() -> None:
    assert resolve_region("Bombay")["name"] == "Mumbai"  # type: ignore[index]
    assert resolve_region("Bangalore")["name"] == "Bengaluru"  # type: ignore[index]
    g = gazetteer()
    assert [p.name for p in g.candidates("St. Paul")] == ["Saint Paul"]
    assert [p.name for p in g.candidates("Ft. Worth")] == ["Fort Worth"]


def test_unknown_and_empty_names_resolve_to_none() -> None:
    assert resolve_region("Atlantis Prime") is None
    assert resolve_region("") is None
    assert resolve_region("   ") is None


def test_vague_areas_are_not_regions() -> None:
    assert resolve_region("Middle East") is None
    assert "Middle East" in gazetteer().blocked


def test_fold_ignores_case_accents_dots_and_hyphens() -> None:
    assert fold("Nuevo León") == fold("nuevo leon")
    assert fold("Jeollanam-do") == "jeollanam do"
    assert fold("The Bronx") == "bronx"


def test_gazetteer_is_built_once_and_lookups_are_fast() -> None:
    assert gazetteer() is gazetteer()
    start = time.perf_counter()
    for _ in range(1000):
        resolve_region("Jeollanam-do")
    assert time.perf_counter() - start < 0.5


def test_alias_table_is_data_and_every_target_exists() -> None:
    g = gazetteer()
    for line in (DATA_DIR / "region_aliases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, target = line.split("\t")[:2]
        if target == "-":
            assert alias in g.blocked
        else:
            assert resolve_region(alias) is not None, alias


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("Wales", "GB-WLS"),  # pycountry writes "Wales [Cymru GB-CYM]"
        ("Cymru", "GB-WLS"),
        ("Catalonia", "ES-CT"),
        ("Flanders", "BE-VLG"),
        ("Brittany", "FR-BRE"),
        ("Basque Country", "ES-PV"),
        ("Macedonia", "MK"),  # the name before 2019
        ("Democratic Republic of Congo", "CD"),
        ("Akmola region", "KZ-11"),
    ],
)
def test_english_bracketed_and_former_names(alias: str, code: str) -> None:
    place = resolve_region(alias)
    assert place is not None and (place["code"] or place["country"]) == code


def test_english_name_of_a_city() -> None:
    place = resolve_region("Xian")
    assert place is not None and (place["kind"], place["country"]) == ("city", "CN")


@pytest.mark.parametrize(
    ("alias", "name", "code"),
    [
        ("Quebec City", "Quebec City", None),  # the city, told apart from the province
        ("Québec City", "Quebec City", None),
        ("Carolina del Norte", "North Carolina", "US-NC"),
        ("Estados Unidos de América", "United States", "US"),
    ],
)
def test_city_named_for_its_province_and_spanish_names(
    alias: str, name: str, code: str | None
) -> None:
    place = resolve_region(alias)
    assert place is not None and (place["name"], place["code"]) == (name, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Joining Gov. Lacson was the Negros Occidental delegation.", "PH-NEC"),
        ("The Ilocos Sur governor welcomed the consul general.", "PH-ILS"),
        ("The delegation will visit Toyama Prefecture next spring.", "JP-16"),
        ("Governor Simon Lalong of Plateau State received the envoy.", "NG-PL"),
    ],
)
def test_second_level_provinces_and_state_or_prefecture_suffixes(text: str, code: str) -> None:
    from search.extract import extract_regions

    assert [r["code"] for r in extract_regions(text)] == [code]


def test_gaza_strip_and_ivory_coast_spellings() -> None:
    from search.extract import extract_regions

    text = "They discussed the latest developments in the Gaza Strip."
    assert [r["name"] for r in extract_regions(text)] == ["Gaza Strip"]
    assert (resolve_region("Cote d’Ivoire") or {}).get("code") == "CI"


@pytest.mark.parametrize("spelling", ["Côte d'Ivoire", "Cote d’Ivoire"])
def test_country_name_with_an_elided_particle_in_text(spelling: str) -> None:
    from search.extract import extract_regions

    text = f"The Assembly approved the offer of the Republic of {spelling} to host the centre."
    assert [r["code"] for r in extract_regions(text)] == ["CI"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place named also in a port's or a company's name, and used as a place
        ("Busan Port is busy. The ambassador visited Busan on 18 May.", ["KR-26"]),
        # a city with its own ISO code is no given name ("Tokyo Bosai" is no person)
        ("The Tokyo Metropolitan Government held a drill with Tokyo Bosai volunteers.", ["JP-13"]),
        # a country inside its government body's name
        ("The Korea Disease Control and Prevention Agency (KDCA) said.", ["KR"]),
        # a body about a place is not its government
        ("The Mainland Affairs Council met.", []),
        # a lake, a gulf, a currency named after a place
        ("Lake Michigan is the greatest asset of the people in Chicago.", ["Chicago"]),
        ("Oil in the Gulf of Mexico rose.", []),
        ("Deals worth 1.8 billion US dollars were signed.", []),
        # English names of subdivisions beside their own ("Bavaria" for "Bayern")
        ("The Free State of Bavaria will support the plan.", ["DE-BY"]),
        ("Bavaria is one of the most important partners.", ["DE-BY"]),
        # a city before its state, though also the name of a foreign department
        ("Santa Ana, Calif. – Police detectives have arrested six people.", ["Santa Ana", "US-CA"]),
        # "X City" in a dateline is the city of X; a dateline with a bracketed date
        ("YEOSU CITY, Jeollanam-do — The festival will be held.", ["Yeosu", "KR-46"]),
        ("DALLAS (May 16, 2016) — The mayor launched the program.", ["Dallas"]),
        # another spelling of a big city's name
        ("A trade fair in Hanover next week.", ["Hannover"]),
    ],
)
def test_places_in_names_of_other_things_and_other_spellings(
    text: str, expected: list[str]
) -> None:
    assert [r["code"] or r["name"] for r in extract_regions(text)] == expected
