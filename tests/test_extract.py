"""Entity extraction rules (search/extract.py), each on a short text written here."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search.extract import extract, extract_officials, extract_regions, extract_years
from search.extract.names import canonical_name
from search.ingest.article import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_7b7a4a5d8c4df0e0.txt"


def names(items: list[dict]) -> list[str]:
    return [item["name"] for item in items]


def official(text: str, name: str) -> dict:
    found = [o for o in extract_officials(text) if o["name"] == name]
    assert found, f"{name!r} not in {extract_officials(text)}"
    return found[0]


# --- regions ------------------------------------------------------------------------------


def test_dateline_city_and_ap_state_abbreviation() -> None:
    text = "SANTA ANA, Calif. – A man was sentenced today for fraud."
    assert names(extract_regions(text)) == ["Santa Ana", "California"]


def test_dateline_city_without_a_state() -> None:
    assert names(extract_regions("CHICAGO – The office announced charges.")) == ["Chicago"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ASTANA. KAZINFORM – President Tokayev received the ambassadors.", "Astana"),
        ("NUR-SULTAN. KAZINFORM – The governor reported on the harvest.", "Astana"),
        ("GUADALAJARA - The governor's delegation met business leaders.", "Guadalajara"),
        ("SEATTLE \ufffd The governor departs Monday on a trade mission.", "Seattle"),
        ("We will defend our sovereignty.\n\nPUTRAJAYA\n\n1 JUNE 2021", "Putrajaya"),
    ],
)
def test_dateline_with_agency_plain_dash_or_signature_line(text: str, place: str) -> None:
    assert names(extract_regions(text)) == [place]


def test_place_after_in_is_not_a_given_name() -> None:
    text = "On 15 November in Prague Polish-Czech consultations were held. He spoke in Prague."
    assert "Prague" in names(extract_regions(text))


def test_big_city_between_commas_is_a_place_without_a_preposition() -> None:
    text = "The city works with four others, such as Tokyo, Jakarta, Delhi, Taipei."
    assert names(extract_regions(text)) == ["Tokyo", "Jakarta", "Delhi", "Taipei"]
    # a surname between commas is not a town
    assert extract_regions("Present were Smith, Kennedy, Jones and Brown.") == []


def test_city_comma_postal_abbreviation() -> None:
    regions = extract_regions("He runs a dealership located in Tewksbury, MA, since last year.")
    assert [(r["name"], r["code"]) for r in regions] == [
        ("Tewksbury", None),
        ("Massachusetts", "US-MA"),
    ]


def test_run_together_list_of_city_state_pairs() -> None:
    text = "The winners: Caribou, Maine Stowe, Vermont North Conway, New Hampshire and more."
    assert names(extract_regions(text)) == [
        "Caribou",
        "Maine",
        "Stowe",
        "Vermont",
        "North Conway",
        "New Hampshire",
    ]


def test_postal_address_is_not_a_place_of_the_release() -> None:
    text = "Frank Crowley Courts Building, 133 N. Riverfront Blvd., Dallas, Texas 75207"
    assert "Texas" not in names(extract_regions(text))


def test_place_inside_its_own_government_counts() -> None:
    text = "Orange County District Attorney Todd Spitzer filed charges."
    assert names(extract_regions(text)) == ["Orange County"]
    assert names(extract_regions("the Illinois Department of Public Health said")) == ["Illinois"]


@pytest.mark.parametrize(
    "text",
    [
        "The company sells to US Foods and other distributors.",
        "The march went down Pennsylvania Avenue yesterday.",
        "She studied at Southern New Hampshire University online.",
        "He graduated from the University of Texas last spring.",
        "Sales grew across Southern California and the Middle East.",
    ],
)
def test_place_inside_a_company_street_school_or_vague_area_does_not(text: str) -> None:
    assert extract_regions(text) == []


def test_aliases_give_one_facet_value() -> None:
    text = "Officials from Jeollanam-do met. South Jeolla has a long coast. KR-46 is its code."
    regions = extract_regions(text)
    assert [(r["name"], r["code"], r["kind"]) for r in regions] == [
        ("South Jeolla Province", "KR-46", "province")
    ]


def test_the_mainland_in_hong_kong_releases_is_china() -> None:
    text = "Travellers arriving from the Mainland will be checked."
    assert [r["code"] for r in extract_regions(text)] == ["CN"]


def test_list_of_counties() -> None:
    text = "Burglaries in Dallas, Collin and Tarrant counties were solved."
    assert names(extract_regions(text)) == ["Dallas County", "Collin County", "Tarrant County"]


def test_european_parliament_member_country_code() -> None:
    text = "Rapporteur Jane Example (S&D, DE) said the vote was clear."
    assert [r["code"] for r in extract_regions(text)] == ["DE"]


def test_surname_of_a_person_is_not_the_town_of_that_name() -> None:
    text = "James Anderson was charged with murdering Victoria Anderson. Anderson pleaded."
    assert "Anderson" not in names(extract_regions(text))


def test_common_word_town_needs_a_pattern() -> None:
    assert extract_regions("The Mobile app is free. Mobile phones are banned.") == []
    assert "Mobile" in names(extract_regions("MOBILE, Ala. – The port reopened."))


def test_hyphenated_forms() -> None:
    regions = names(extract_regions("A Tel-Aviv based firm and a Dubai-based fund joined."))
    assert regions == ["Tel Aviv", "Dubai"]
    assert names(extract_regions("They renewed the U.S.-Singapore partnership.")) == [
        "United States",
        "Singapore",
    ]


def test_one_word_town_seen_only_in_a_title_case_heading_is_ignored() -> None:
    text = "Founder Discusses Journey from Humble Beginnings to Global Leadership\n\nThe firm grew."
    assert extract_regions(text) == []


def test_small_foreign_city_needs_context_but_a_big_one_does_not() -> None:
    assert names(extract_regions("Cases were reported in Wuhan last week.")) == ["Wuhan"]


def test_one_word_city_out_of_context_must_be_used_as_a_place() -> None:
    # Kennedy is also a district of Bogota (a million people); here it is a surname
    assert extract_regions("Kennedy said the plan would pass.") == []


def test_residence_after_age_is_a_place() -> None:
    text = "Cara Cruz-Thompson, 47, Victorville, pleaded guilty."
    assert names(extract_regions(text)) == ["Victorville"]


def test_washington_alone_is_the_capital_the_state_needs_saying() -> None:
    assert [r["code"] for r in extract_regions("WASHINGTON – The President said.")] == ["US-DC"]
    assert [r["code"] for r in extract_regions("Farms in the state of Washington grew.")] == [
        "US-WA"
    ]
    assert [r["code"] for r in extract_regions("It is based in Bellingham, Washington.")] == [
        None,
        "US-WA",
    ]


def test_state_beats_a_town_of_the_same_name_in_the_same_country() -> None:
    regions = extract_regions("Benefits rose in Ohio, Delaware and Oregon.")
    assert [r["code"] for r in regions] == ["US-OH", "US-DE", "US-OR"]


def test_big_city_named_like_its_province_is_the_city() -> None:
    regions = extract_regions("Offices in Istanbul, Lisbon and Zurich opened.")
    expected = [("TR", "city"), ("PT", "city"), ("CH", "city")]
    assert [(r["country"], r["kind"]) for r in regions] == expected


def test_a_province_name_marked_only_means_the_province() -> None:
    assert [r["code"] for r in extract_regions("Farmers in Quebec protested.")] == ["CA-QC"]


def test_town_named_like_an_organisation_of_the_release() -> None:
    text = "The Benton Institute for Broadband published it. Benton has long advocated access."
    assert extract_regions(text) == []


def test_common_country_abbreviations_are_names_in_text() -> None:
    text = "As a US government-licensed exchange it serves the UK and Hong Kong."
    assert [r["code"] for r in extract_regions(text)] == ["US", "GB", "HK"]


def test_codes_are_not_names_in_text() -> None:
    assert extract_regions("TEEN CHARGED AS AN ADULT FOR ROBBERY IN PR CAMPAIGN") == []


def test_unknown_town_before_a_state_must_not_be_an_office() -> None:
    text = "He appeared before the Board of Parole Hearings, California officials said."
    assert names(extract_regions(text)) == ["California"]


def test_firm_names_with_a_place_word() -> None:
    text = "The Law Offices of Bailey & Burke partner with Burke Products on the contract."
    assert extract_regions(text) == []


def test_parenthesised_affiliation_is_not_a_dateline() -> None:
    text = "Speakers include:\n\n* Zara Snapp (Instituto RIA, Mexico)\n"
    assert names(extract_regions(text)) == ["Mexico"]


def test_kosovo_is_a_country() -> None:
    assert [r["code"] for r in extract_regions("Talks with Kosovo resumed.")] == ["XK"]


# --- officials ----------------------------------------------------------------------------


def test_title_before_name_with_region_of_office() -> None:
    o = official("Shanghai Mayor Gong Zheng met the delegation.", "Gong Zheng")
    assert (o["title"], o["region"]) == ("Mayor", "Shanghai")


def test_appositive_title_and_surname_back_reference_merge() -> None:
    text = (
        "Kim Yung-rok, the governor of South Jeolla Province in Korea, visited. "
        "Governor Kim said the trip went well."
    )
    officials = extract_officials(text)
    assert officials == [
        {"name": "Kim Yung-rok", "title": "Governor", "region": "South Jeolla Province"}
    ]


def test_corporate_officer_after_said() -> None:
    text = '"We grew," said Jane Roe, CEO of Acme Widgets. Roe joined in 2019.'
    assert names(extract_officials(text)) == ["Jane Roe"]


def test_plural_title_list() -> None:
    text = "Thank you to Senators Cornyn, Coons, and Durbin and Representatives Cuellar and Chabot."
    officials = extract_officials(text)
    assert names(officials) == ["Cornyn", "Coons", "Durbin", "Cuellar", "Chabot"]
    assert [o["title"] for o in officials] == ["Senator"] * 3 + ["Representative"] * 2


def test_name_closing_an_of_phrase() -> None:
    text = "Secretary of Homeland Security Alejandro Mayorkas spoke today."
    assert names(extract_officials(text)) == ["Alejandro Mayorkas"]


def test_title_then_comma_then_name() -> None:
    text = (
        "The Chief Infection Control Officer of the Hospital Authority, Dr Raymond Lai, said "
        "more beds are ready."
    )
    assert names(extract_officials(text)) == ["Raymond Lai"]


def test_as_title_of_org_in_place_then_name() -> None:
    text = "As President of Atamian Honda in Tewksbury, MA, Reed Atamian has served many."
    assert names(extract_officials(text)) == ["Reed Atamian"]


def test_name_as_the_title() -> None:
    text = "The Administrator named Patrick Cornbill as the Federal Coordinating Officer."
    assert names(extract_officials(text)) == ["Patrick Cornbill"]


def test_founded_by() -> None:
    text = "Darrow Law Firm, founded by former Harris County prosecutor Paul Darrow, helps."
    o = official(text, "Paul Darrow")
    assert o["title"] == "Founder"


def test_signature_of_a_presidential_document() -> None:
    text = "Sec. 2. This order is effective.\n\nJOSEPH R. BIDEN JR.\n\nTHE WHITE HOUSE,\n"
    assert extract_officials(text) == [
        {"name": "Joseph R. Biden Jr.", "title": "President", "region": None}
    ]


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("Commission President Ursula von der Leyen said.", "Ursula von der Leyen", "President"),
        ("Vice-President Frans Timmermans said.", "Frans Timmermans", "Vice-President"),
        ("Minister for Road Transport Shri Nitin Gadkari said.", "Nitin Gadkari", "Minister"),
        ("The Hon Greg Hunt MP said.", "Greg Hunt", "MP"),
        ("Mayor of London Sadiq Khan said.", "Sadiq Khan", "Mayor"),
        (
            "Secretary of State for Health and Social Care, Matt Hancock, said.",
            "Matt Hancock",
            "Secretary of State",
        ),
    ],
)
def test_government_styles_of_other_countries(text: str, name: str, title: str) -> None:
    assert [(o["name"], o["title"]) for o in extract_officials(text)] == [(name, title)]


def test_title_phrase_then_name_and_speech_verb_also_in_spanish() -> None:
    text = "El fiscal de distrito del condado de Dallas, John Creuzot, dijo: Seguimos."
    assert names(extract_officials(text)) == ["John Creuzot"]
    text = "Later, the president of the local company, John Smith, said it was fine."
    assert names(extract_officials(text)) == ["John Smith"]


def test_heading_verb_after_a_name_is_dropped() -> None:
    text = "Statement from National Security Advisor Jake Sullivan Welcoming the Agreement"
    assert names(extract_officials(text)) == ["Jake Sullivan"]


def test_lone_heading_word_after_a_title_must_be_a_name_elsewhere() -> None:
    text = "DA Charges Former County Employee\n\nThe District Attorney filed charges today."
    assert extract_officials(text) == []


def test_first_person_proclamation() -> None:
    text = "NOW, THEREFORE, I, JOSEPH R. BIDEN JR., President of the United States, proclaim"
    assert extract_officials(text) == [
        {"name": "Joseph R. Biden Jr.", "title": "President", "region": "United States"}
    ]


def test_signature_as_the_last_line_of_a_memorandum() -> None:
    text = "You are authorized to publish this memorandum.\n\nJOSEPH R. BIDEN JR."
    assert names(extract_officials(text)) == ["Joseph R. Biden Jr."]
    assert extract_officials("Body text.\n\nFOR IMMEDIATE RELEASE") == []


def test_fullest_name_for_one_person() -> None:
    text = "President Joe Biden signed the bill. Later President Biden thanked Congress."
    assert names(extract_officials(text)) == ["Joe Biden"]


def test_surname_only_official_gets_the_full_name_written_elsewhere() -> None:
    text = "Jake Sullivan met the minister. National Security Advisor Sullivan said it went well."
    assert names(extract_officials(text)) == ["Jake Sullivan"]


def test_name_running_into_a_title_case_heading() -> None:
    text = (
        "Orange County District Attorney Todd Spitzer Clears Newport Beach Homeowner\n\n"
        "Todd Spitzer reviewed the case."
    )
    assert names(extract_officials(text)) == ["Todd Spitzer"]


@pytest.mark.parametrize(
    "text",
    [
        "John Doe, 47, of Costa Mesa, was charged with fraud.",
        "Detective Steve Hayes and Investigator Ann Lee found the car.",
        "The former Mayor Jim Smith was convicted.",
        "Patients were taken to Queen Elizabeth Hospital in Jordan.",
        "Media Contact: Kimberly Edds, Public Information Officer",
        "to be Ambassador Extraordinary and Plenipotentiary of the United States",
        "Deputy District Attorneys and Investigator Jonah Conley handled it.",
        "Call the Orange County District Attorney Anonymous Tip Hotline today.",
        "DA Kicks Off Awareness Month\n\nThe office began the campaign.",
        "Blue Fish Pediatrics, a premier pediatric practice, joined.",
        "I am Honorary Chairman of the American Red Cross, by virtue of my office.",
        "A Proclamation on National Youth Justice Action Month, 2021",
        "The society was founded by Clara Barton in 1881.",
        "The Chairman of the Supervisory Board of Knorr-Bremse AG has extended the contract.",
        "Pr Writers Den was founded in 2023 by Blog Design and is the author.",
        "She was attorney general of California, San Francisco district attorney, then senator.",
    ],
)
def test_not_officials(text: str) -> None:
    assert extract_officials(text) == []


# --- years --------------------------------------------------------------------------------


def test_years_written_in_the_text() -> None:
    text = "Since 1996 the two places have cooperated; the 2024 Honda and fiscal 2026 plans."
    assert extract_years(text) == [1996, 2024, 2026]


def test_year_ranges() -> None:
    assert extract_years("during the 2020-2021 school year") == [2020, 2021]


@pytest.mark.parametrize(
    "text",
    [
        "Call 714-555-1917 for details.",
        "It cost $3000 per family.",
        "under 50 U.S.C. 1622(d) of the code",
        "as declared in Executive Order 13848",
        "The office is at 1917 Main Street.",
        "More than 2000 people attended.",
        "See Section 2001 of the act.",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert extract_years(text) == []


# --- the article --------------------------------------------------------------------------


def test_extract_fills_the_article_in_place() -> None:
    article = Article(
        id="a1",
        path="a1.txt",
        title="Mayor Visits Plant",
        body="AUSTIN, Texas – Mayor Kirk Watson toured the plant in 2023.",
    )
    result = extract(article)
    assert result is article
    assert names(article.officials) == ["Kirk Watson"]
    assert names(article.regions) == ["Austin", "Texas"]
    assert article.years == [2023]


def test_year_of_a_date_line_the_cleaner_moved_out_of_the_text() -> None:
    article = Article(id="a", path="a", title="Man Charged", body="He was charged.")
    article.date, article.date_source = "2025-09-26", "text"
    assert extract(article).years == [2025]


def test_year_of_a_feed_date_is_not_a_year_of_the_text() -> None:
    article = Article(id="a", path="a", title="Man Charged", body="He was charged.")
    article.date, article.date_source = "2025-09-26", "record"
    assert extract(article).years == []
    article.metadata["date_source"] = "text"  # the record's producer read it from the page
    assert extract(article).years == [2025]


def test_a_release_on_one_huge_line_stays_fast() -> None:
    # no window may scan back to the start of the text for every mention (quadratic time)
    body = "Mayor John Smith of Austin, Texas, said the 2024 budget passed. " * 1600  # ~100 KB
    article = Article(id="big", path="big", body=body)
    extract(Article(id="warm", path="warm", body="warm up"))
    start = time.perf_counter()
    extract(article)
    assert time.perf_counter() - start < 5.0
    assert names(article.officials) == ["John Smith"]
    assert article.years == [2024]


@pytest.mark.shared
@pytest.mark.skipif(not SEED.exists(), reason="../shared is absent")
def test_seed_release() -> None:
    from search.ingest.clean import clean_text

    article = extract(clean_text(SEED.read_text(encoding="utf-8"), id="seed", path=SEED.name))
    assert {(o["name"], o["title"], o["region"]) for o in article.officials} == {
        ("Gong Zheng", "Mayor", "Shanghai"),
        ("Kim Yung-rok", "Governor", "South Jeolla Province"),
    }
    assert {r["name"] for r in article.regions} >= {
        "Shanghai",
        "South Jeolla Province",
        "South Korea",
    }
    assert {r["code"] for r in article.regions} <= {"CN-SH", "KR-46", "KR", "CN"}
    assert article.years == [1996]
    assert article.date is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Governor Park Min-jae attended the ceremony in Mokpo.", "Park Min-jae"),
        ("The vote was delayed, said Senator Hall of the committee.", "Hall"),
    ],
)
def test_surnames_that_are_also_facility_words(text: str, name: str) -> None:
    assert [o["name"] for o in extract_officials(text)] == [name]


# --- names across cultures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # letters beyond Latin-1, and text in decomposed form (a base letter + combining accent)
        ("Turkish Foreign Minister Mevlüt Çavuşoğlu arrived in Ankara.", "Mevlüt Çavuşoğlu"),
        ("The Minister of Foreign Affairs, Edgars Rinkēvičs, met the envoys.", "Edgars Rinkēvičs"),
        ("NATO Deputy Secretary General Mircea Geoană welcomed the guests.", "Mircea Geoană"),
        ("President Felipe Caldero\u0301n spoke first.", "Felipe Caldero\u0301n"),
        # initials written against the name (Mongolian usage)
        ("The Capital city Mayor E.Bat-Uul received the delegation.", "E.Bat-Uul"),
        # patronymic chains and a quoted nickname
        (
            "Foreign Minister Khalid bin Ahmed bin Mohammed Al-Khalifa sent a letter.",
            "Khalid bin Ahmed bin Mohammed Al-Khalifa",
        ),
        (
            'Senate President Juan Miguel "Migz" F. Zubiri received them.',
            'Juan Miguel "Migz" F. Zubiri',
        ),
        # several honorifics in a row
        ("Prime Minister of Trinidad, Dr. the Hon. Keith Rowley, said so.", "Keith Rowley"),
        ("Governor Atty. Rayfrando Diaz II joined them.", "Rayfrando Diaz II"),
    ],
)
def test_names_of_many_cultures(text: str, name: str) -> None:
    assert official(text, name)


def test_family_name_in_capitals_first_and_later_mention_merge() -> None:
    text = (
        "Mr. HAYASHI Yoshimasa, Minister for Foreign Affairs of Japan, held a meeting. "
        "Minister Hayashi stated that Japan would continue to cooperate."
    )
    assert names(extract_officials(text)) == ["Hayashi Yoshimasa"]  # one spelling


# --- the grammar of offices ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("US Ambassador to China Nicholas Burns visited the port.", "Nicholas Burns"),
        (
            "Maldives Ambassador to the United Arab Emirates (UAE) Mohamed Hussain Shareef "
            "presented his credentials.",
            "Mohamed Hussain Shareef",
        ),
        ("Consul General in Shanghai Pratik Mathur opened the fair.", "Pratik Mathur"),
        (
            "President of the Russian Federation Vladimir Putin signed the declaration.",
            "Vladimir Putin",
        ),
        ("Minister of Foreign Affairs of Mongolia D.Tsogtbaatar received him.", "D.Tsogtbaatar"),
        (
            "The minister met his Turkish counterpart Mevlut Cavusoglu on Tuesday.",
            "Mevlut Cavusoglu",
        ),
        ("Irish Taoiseach Micheál Martin addressed the assembly.", "Micheál Martin"),
        (
            "The Secretary General of the Organization of American States (OAS), José Miguel "
            "Insulza, met the minister.",
            "José Miguel Insulza",
        ),
        (
            "Also present was the Ambassador of Chile to the OAS, Juan Pablo Lira Bianchi.",
            "Juan Pablo Lira Bianchi",
        ),
        ("Education Counselor Chen Yinghui attended the dinner.", "Chen Yinghui"),
        (
            "* Mr. W. G. S. Prasanna, High Commissioner-designate for New Zealand",
            "W. G. S. Prasanna",
        ),
        (
            "His Excellency Mr. Rasmus Kristensen has been appointed as the Ambassador-designate "
            "of the Kingdom of Denmark.",
            "Rasmus Kristensen",
        ),
        (
            "2. Marcela Celorio Mancera as Consul General of Mexico in San Diego",
            "Marcela Celorio Mancera",
        ),
    ],
)
def test_offices_read_on_both_sides_of_a_name(text: str, name: str) -> None:
    assert official(text, name)


def test_plural_title_ending_in_y() -> None:
    text = "He met First Minister Nicola Sturgeon and Cabinet Secretaries Hyslop and Russell."
    assert {"Hyslop", "Russell"} <= set(names(extract_officials(text)))


def test_a_royal_consort_is_not_an_official() -> None:
    text = "The Ambassador hosted a reception for Emperor Akihito and Empress Michiko."
    assert names(extract_officials(text)) == ["Akihito"]


# --- former office holders -----------------------------------------------------------------


def test_former_office_holders_are_officials_with_a_former_title() -> None:
    text = (
        "Guests included former Egyptian Prime Minister Essam Sharaf and former senator "
        "Edgardo Angara. It was praised by former Presidents Reagan, Bush and Clinton."
    )
    found = {o["name"]: o["title"] for o in extract_officials(text)}
    assert found["Essam Sharaf"] == "Former Prime Minister"
    assert found["Edgardo Angara"] == "Former Senator"
    assert found["Clinton"] == "Former President"


def test_a_former_official_convicted_is_not_an_official() -> None:
    assert extract_officials("The former Mayor Jim Smith was convicted of fraud.") == []


def test_a_name_before_a_comma_and_mp_is_a_member_not_a_place() -> None:
    text = "The delegation was accompanied by Ukishima Tomoko, MP and Taniai Masaaki, MP."
    assert names(extract_officials(text)) == ["Ukishima Tomoko", "Taniai Masaaki"]
    assert extract_regions(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The mayors signed a MOU on Nov 24 (Mon) in the city hall.",
        "The delegation toured the industrial park yesterday. Xinhua",
    ],
)
def test_weekday_abbreviations_and_agencies_are_not_places(text: str) -> None:
    assert extract_regions(text) == []


def test_hyphenated_office_and_an_envoy_to_two_bodies() -> None:
    text = (
        "The Minister-President of the Brussels-Capital Region, Sophie Vandermeulen, received "
        "them. Also present was the Ambassador of the Republic of Korea to Belgium and the "
        "European Union, Kang Tae-ho, and the press."
    )
    assert names(extract_officials(text)) == ["Sophie Vandermeulen", "Kang Tae-ho"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The President of the Council and Minister for Foreign Affairs, Jean Asselborn "
            "accompanied the Prime Minister.",
            "Jean Asselborn",
        ),
        (
            "The Bahraini ambassador to Baghdad, Salah Al-Maliki, conveyed the letter.",
            "Salah Al-Maliki",
        ),
        (
            "Hon’ble Minister for Foreign Affairs Mr. Pradeep Kumar Gyawali held a meeting.",
            "Pradeep Kumar Gyawali",
        ),
        (
            "He met the Speaker of the Saeima (the Latvian Parliament), Eduards Smiltēns, today.",
            "Eduards Smiltēns",
        ),
        (
            "said Acting Minister in the Presidency, Khumbudzo Ntshavheni on Thursday.",
            "Khumbudzo Ntshavheni",
        ),
    ],
)
def test_appositives_after_an_office(text: str, name: str) -> None:
    assert official(text, name)


def test_a_list_of_offices_each_followed_by_its_holder() -> None:
    text = (
        "The President of the European Council, Jean-Claude Juncker, the President of the "
        "European Commission, José Manuel Barroso, and the Commissioner for External "
        "Relations, Benita Ferrero-Waldner, met the Prime Minister."
    )
    found = {o["name"]: o["title"] for o in extract_officials(text)}
    assert found == {
        "Jean-Claude Juncker": "President",
        "José Manuel Barroso": "President",
        "Benita Ferrero-Waldner": "Commissioner",
    }


def test_abbreviated_titles_and_a_compound_surname_mentioned_alone() -> None:
    text = (
        "Gov. Bong Lacson met Sen. Jinggoy Ejercito-Estrada in Manila. "
        "Sen. Estrada thanked the governor."
    )
    assert names(extract_officials(text)) == ["Bong Lacson", "Jinggoy Ejercito-Estrada"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a town is taken when the release names its country too
        ("Lithuania: the city of Šiauliai hosted the seminar on Monday.", "Šiauliai"),
        ("Australia will refurbish the Police College in Port Vila, Vanuatu.", "Port-Vila"),
    ],
)
def test_places_with_accented_capitals_and_spaced_hyphens(text: str, name: str) -> None:
    assert name in names(extract_regions(text))


def test_an_office_run_that_goes_on_after_the_name() -> None:
    text = (
        "A reception was hosted by Japanese Ambassador to the Philippines Kazuhide Ishikawa "
        "for the Emperor."
    )
    assert names(extract_officials(text)) == ["Kazuhide Ishikawa"]
    assert "Ishikawa" not in names(extract_regions(text))  # the prefecture


@pytest.mark.parametrize(
    "text",
    [
        "He was received by Charles, Prince of Wales, at the ranch.",
        "The message went to Sheikh Ahmad Abdullah Al-Sabah on Monday.",
    ],
)
def test_titles_of_nobility_and_compound_names_are_not_places(text: str) -> None:
    assert extract_regions(text) == []


def test_patronymic_chains_name_brothers_apart() -> None:
    text = (
        "The dinner was attended by Second Deputy Prime Minister Prince Muqrin bin Abdulaziz; "
        "Deputy Defense Minister Prince Khalid bin Sultan bin Abdulaziz; Riyadh Governor "
        "Prince Khalid bin Bandar bin Abdulaziz; Minister of Municipal and Rural Affairs "
        "Prince Mansour bin Miteb bin Abdulaziz; and Prince Talal bin Saud."
    )
    assert names(extract_officials(text)) == [
        "Muqrin bin Abdulaziz",
        "Khalid bin Sultan bin Abdulaziz",
        "Khalid bin Bandar bin Abdulaziz",
        "Mansour bin Miteb bin Abdulaziz",
    ]


def test_officials_named_only_in_a_photo_caption() -> None:
    article = Article(
        id="c",
        path="c",
        title="Delegation visits Brussels",
        body="The delegation discussed clean energy with the Region.",
        captions=["Minister-President Sophie Vandermeulen welcomes Governor Park Min-jae"],
    )
    assert names(extract(article).officials) == ["Sophie Vandermeulen", "Park Min-jae"]


def test_places_joined_by_hyphens() -> None:
    text = "They discussed the Guangdong-Hong Kong-Macao Greater Bay Area and China-Japan trade."
    assert {"Guangdong", "Macao", "China", "Japan"} <= set(names(extract_regions(text)))


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        (
            "Ontario's Minister of Economic Development, Job Creation and Trade, Priya Raman, "
            "said the project showed what governments can do.",
            "Job Creation",
        ),
        ("Minister of Oceans and Fisheries Oh Jin-seok visited the port.", "Fisheries Oh Jin-seok"),
    ],
)
def test_the_words_of_an_office_are_not_a_name(text: str, not_a_name: str) -> None:
    assert not_a_name not in names(extract_officials(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "NOLITC Administrator Dr. Ma. Cristina Orbecido opened the fair.",
            "Ma. Cristina Orbecido",
        ),
        ("Minister for Energy Lars Chr. Lilleholt visited the plant.", "Lars Chr. Lilleholt"),
    ],
)
def test_given_name_written_short(text: str, name: str) -> None:
    assert names(extract_officials(text)) == [name]


def test_person_addressed_as_excellency_is_an_official() -> None:
    text = (
        "H.E. Dr. Nkosazana Dlamini Zuma and H.E. Mr Zhang Ming will chair the signing. "
        "The buses were delivered by China Ambassador to Kenya H.E Zhou Pingjian on Thursday."
    )
    assert names(extract_officials(text)) == [
        "Nkosazana Dlamini Zuma",
        "Zhang Ming",
        "Zhou Pingjian",
    ]
    assert official(text, "Zhou Pingjian")["title"] == "Ambassador"


def test_long_patronymic_name_after_an_address_closing_an_office() -> None:
    text = (
        "HE Prime Minister and Minister of Foreign Affairs Sheikh Mohammed bin Abdulrahman "
        "bin Jassim Al-Thani met the delegation. Also present was the Minister of Islamic "
        "Affairs Sheikh Abdullah bin Mohammed bin Ibrahim Al-Asheikh."
    )
    assert names(extract_officials(text)) == [
        "Mohammed bin Abdulrahman bin Jassim Al-Thani",
        "Abdullah bin Mohammed bin Ibrahim Al-Asheikh",
    ]


def test_portfolio_continued_after_a_comma_and_an_addressed_surname() -> None:
    text = (
        "The Minister of Foreign Affairs, Foreign Employment and Tourism, Vijitha Herath said "
        "the talks went well. The Minister for Trade and Investment, Mr Robb, will lead a trade "
        "mission in the second half of 2015."
    )
    assert names(extract_officials(text)) == ["Vijitha Herath", "Robb"]


def test_particle_inside_a_name_is_not_a_title_word() -> None:
    text = "Foreign Affairs Secretary Albert del Rosario and Cabinet Secretary Jose Almendras came."
    assert names(extract_officials(text)) == ["Albert del Rosario", "Jose Almendras"]


def test_title_that_is_also_a_surname_after_a_given_name() -> None:
    text = (
        "Prince Edward Island Premier Dennis King, Nova Scotia Premier Allan MacMaster, and others."
    )
    assert names(extract_officials(text)) == ["Dennis King", "Allan MacMaster"]


def test_hyphenated_military_rank_before_a_name_is_not_a_name() -> None:
    text = (
        "She called on the President Major-General (Ret’d) Jioji Konrote. President Konrote spoke."
    )
    assert names(extract_officials(text)) == ["Jioji Konrote"]


def test_party_chief_is_an_office() -> None:
    text = "Shenzhen Party chief Wang Weizhong and Shenzhen Mayor Chen Rugui met the delegation."
    assert names(extract_officials(text)) == ["Wang Weizhong", "Chen Rugui"]


@pytest.mark.parametrize(
    "variants",
    [
        ("HAYASHI Yoshimasa", "Hayashi Yoshimasa"),
        ("Kang Tae-ho", "Kang Tae-Ho", "KANG Tae Ho"),
        ("D.Tsogtbaatar", "D. Tsogtbaatar"),
        ("Daniel O’Neill", "Daniel O'Neill"),
    ],
)
def test_one_person_is_one_facet_value_across_releases(variants: tuple[str, ...]) -> None:
    # each variant as a different release writes it: the facet values are one
    found = set()
    for name in variants:
        officials = extract_officials(f"Foreign Minister {name} met the delegation on Monday.")
        assert len(officials) == 1, officials
        found.add(officials[0]["name"])
    assert len(found) == 1, found


@pytest.mark.parametrize(
    "name",
    ["Jean-Yves Le Drian", "Anne-Mari Virolainen", "Abdel-Fattah El-Sisi", "JB Pritzker",
     "Nathan J. Hochman", "Benigno S. Aquino III", "Lee Hsien Loong", "Park Min-jae"],
)  # fmt: skip
def test_canonical_name_keeps_names_written_one_way(name: str) -> None:
    assert canonical_name(name) == name


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("A.S.K. Seneviratne", "A. S. K. Seneviratne"),
        ("Jérôme BERTRAND-HARDY", "Jérôme Bertrand-Hardy"),
        ("Moon Jae In", "Moon Jae-in"),
        ("Yom  Jong-Hyun", "Yom Jong-hyun"),
        ("龚正", "龚正"),
    ],
)
def test_canonical_name_of_variants(written: str, canonical: str) -> None:
    assert canonical_name(written) == canonical


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Prime Minister, the Most Hon. Andrew Holness, addressing a press conference.",
         "Andrew Holness"),
        ("Written statement\nRt Hon Mark Drakeford, First Minister of Wales\n\nFirst published",
         "Mark Drakeford"),
        ("Eluned Morgan AM, Minister for International Relations and the Welsh Language",
         "Eluned Morgan"),
    ],
)  # fmt: skip
def test_commonwealth_addresses_and_post_nominals(text: str, name: str) -> None:
    assert names(extract_officials(text)) == [name]


def test_am_as_a_time_is_no_post_nominal() -> None:
    assert extract_officials("The doors open at 10 AM on Monday, said the organisers.") == []


def test_office_portfolio_words_end_before_the_name() -> None:
    text = "Mokpo New Port, which Minister of Oceans and Fisheries Oh Jin-seok designated."
    assert names(extract_officials(text)) == ["Oh Jin-seok"]


def test_company_name_gives_no_region_to_its_officer() -> None:
    officials = extract_officials("Wu Yiting, chairwoman of Pearl Delta Logistics, said.")
    assert [(o["name"], o["region"]) for o in officials] == [("Wu Yiting", None)]
