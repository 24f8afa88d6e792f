"""How press releases name places and officials: the constructions of the demo corpus review
(issue 11), each on a short sentence written here in the style of a release."""

from __future__ import annotations

from search.extract import extract, extract_officials, extract_regions
from search.ingest.article import Article


def names(items: list[dict]) -> list[str]:
    return [item["name"] for item in items]


def regions_of(text: str, language: str = "en") -> list[str]:
    """The regions of a release of that language whose body is ``text``."""
    article = Article(id="t", path="t", title="", body=text, language=language)
    return names(extract(article).regions)


# --- datelines -----------------------------------------------------------------------------


def test_mixed_case_dateline_city_and_ap_abbreviation() -> None:
    # "Santa Ana" is also a department of El Salvador: before the comma it is the city
    text = "Santa Ana, Calif. – Police Department detectives have arrested six people."
    assert names(extract_regions(text)) == ["Santa Ana", "California"]


def test_all_caps_dateline_with_the_date_in_brackets() -> None:
    text = "DALLAS (May 16, 2016) — The mayor today launched a summer jobs program."
    assert names(extract_regions(text)) == ["Dallas"]
    text = "PHILADELPHIA (18 January 2018) – The city opened a new library."
    assert names(extract_regions(text)) == ["Philadelphia"]


# --- a city named in its own government's or an organisation's name ----------------------


def test_city_government_is_the_city_despite_a_name_like_pair() -> None:
    # "Seoul Safety" and "Tokyo Bosai" look like a given name and a surname
    text = (
        "The Seoul Metropolitan Government extended the hours of heat shelters. Residents "
        "can find the nearest shelter in the Seoul Safety app."
    )
    assert regions_of(text) == ["Seoul"]
    text = (
        "The Tokyo Metropolitan Government held an earthquake drill. Residents can "
        "download the Tokyo Bosai guide."
    )
    assert regions_of(text) == ["Tokyo"]


def test_a_city_used_as_a_place_stays_one_beside_its_organisations() -> None:
    text = (
        "Employers include the Dallas Zoo and the Dallas Public Library. Every young person "
        "in Dallas should have that chance."
    )
    assert regions_of(text) == ["Dallas"]
    text = "The Ambassador visited the Busan Port Authority. In Busan, he met the Mayor."
    assert regions_of(text) == ["Busan"]


def test_the_organisation_alone_still_hides_the_town() -> None:
    text = "The Benton Institute published a report. Benton has studied broadband for years."
    assert "Benton" not in regions_of(text)


# --- regions named in their long official style, in English or in another language ---------


def test_free_state_of_bavaria_is_bavaria_not_the_south_african_province() -> None:
    text = "Tokyo and the Free State of Bavaria today signed a memorandum of understanding."
    found = extract_regions(text)
    assert [r["code"] for r in found] == ["JP-13", "DE-BY"]
    assert found[1]["name"] == "Bavaria"
    text = "Dr. Katharina Sedlmeier, Bavaria's State Minister for Economic Affairs, said."
    assert [r["code"] for r in extract_regions(text)] == ["DE-BY"]
    assert extract_officials(text)[0]["region"] == "Bavaria"


def test_english_names_of_regions_and_cities_the_iso_data_gives_locally() -> None:
    text = "Companies from Lower Saxony and Styria will exhibit at the fair in Hanover."
    found = extract_regions(text + " The company is based in Germany.")
    assert [r["code"] or r["name"] for r in found] == ["DE-NI", "AT-6", "Hannover", "DE"]


def test_a_city_spelt_with_its_own_accents_is_that_city() -> None:
    # "València" is the city in Spain; Valencia in Venezuela is larger but never so written
    text = "La alcaldesa de València, Lucía Ferrer Montoya, ha presentado este miércoles."
    found = extract(Article(id="t", path="t", title="", body=text, language="es")).regions
    assert [(r["name"], r["country"]) for r in found] == [("Valencia", "ES")]


def test_dateline_city_with_its_city_word_and_a_romanised_province() -> None:
    text = "YEOSU CITY, Jeollanam-do — The 12th Night Sea Festival will be held in August."
    assert names(extract_regions(text)) == ["Yeosu", "South Jeolla Province"]


# --- place names inside the names of other things ------------------------------------------


def test_a_lake_gulf_or_mountain_named_for_a_place_is_not_the_place() -> None:
    assert extract_regions("Lake Michigan is the city's greatest natural asset.") == []
    assert names(extract_regions("Oil reached the Gulf of Mexico near Texas.")) == ["Texas"]


def test_a_currency_named_for_its_country_is_not_the_country() -> None:
    text = "They signed 12 agreements worth a combined 1.8 billion US dollars in Toronto."
    assert names(extract_regions(text)) == ["Toronto"]
    assert names(extract_regions("He sold goods to the US for 3 million dollars.")) == [
        "United States"
    ]


# --- officials in appositives and relative clauses ------------------------------------------


def test_said_name_comma_chair_of_the_board() -> None:
    text = '"She knows our customers," said Marguerite Lalonde, chair of the board.'
    assert [(o["name"], o["title"]) for o in extract_officials(text)] == [
        ("Marguerite Lalonde", "Chair")
    ]


def test_chair_as_furniture_is_no_office() -> None:
    assert extract_officials("She bought a chair of the kind used in offices, said Ann Lee.") == []


def test_name_who_retires_after_years_as_an_office() -> None:
    text = "He succeeds Helen Marchetti, who will retire after eleven years as chief executive."
    assert [(o["name"], o["title"]) for o in extract_officials(text)] == [
        ("Helen Marchetti", "Chief executive")
    ]


def test_minister_of_a_portfolio_before_a_korean_name() -> None:
    text = "The port, which Minister of Oceans and Fisheries Oh Jin-seok designated, opened."
    assert names(extract_officials(text)) == ["Oh Jin-seok"]


# --- a place named by its adjective before its own government --------------------------------


def test_a_regions_adjective_before_its_government_names_it() -> None:
    assert names(extract_regions("The mission met with the Bavarian government.")) == ["Bavaria"]
    text = "Officials of the German government met the Chinese delegation."
    assert names(extract_regions(text)) == ["Germany", "China"]  # not Gera, not Chin State
    assert regions_of("Der Empfang fand im Münchner Rathaus statt.", "de") == ["Munich"]


def test_an_adjective_without_a_government_is_no_place() -> None:
    assert extract_regions("A German engineer and a Chinese student won the prize.") == []


def test_the_adjective_in_an_office_names_the_officials_place() -> None:
    text = "Katharina Sedlmeier, Bavarian State Minister for Economic Affairs, visited the fair."
    assert [(o["name"], o["region"]) for o in extract_officials(text)] == [
        ("Katharina Sedlmeier", "Bavaria")
    ]


# --- the country or state of an ambiguous name, decided by the release ----------------------


def test_a_country_named_like_a_foreign_town_is_context_for_its_cities() -> None:
    # "Mexico" is also a town in the Philippines: the name still points to Mexico's cities
    text = "Trucks wait at the California–Mexico border. Tijuana business leaders helped."
    assert names(extract_regions(text)) == ["California", "Mexico", "Tijuana"]


def test_city_state_pair_takes_the_state_that_holds_the_city() -> None:
    found = extract_regions("The Governor visited Atlanta, Georgia on Monday.")
    assert [(r["name"], r["code"] or r["country"]) for r in found] == [
        ("Atlanta", "US"),
        ("Georgia", "US-GA"),
    ]
    found = extract_regions("TBILISI, Georgia – The minister opened the session.")
    assert [r["country"] for r in found] == ["GE", "GE"]


def test_a_big_city_of_another_country_before_a_province_is_no_local_town() -> None:
    # a headline pairing two partners, not a Korean town called Shanghai
    text = "Shanghai, Jeollanam-do pledge deeper cooperation in green shipping"
    found = extract_regions(text)
    assert [r["code"] for r in found] == ["CN-SH", "KR-46"]
    assert names(extract_regions("MOSCOW, Idaho — The mayor said.")) == ["Moscow", "Idaho"]


def test_a_city_used_as_a_place_is_no_given_name_before_a_newspaper() -> None:
    text = "The fair opened in Houston on Monday, the Houston Chronicle reported."
    assert names(extract_regions(text)) == ["Houston"]
