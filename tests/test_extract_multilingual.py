"""Officials, regions, years and dates of releases in Chinese, Japanese, Korean, Spanish,
French and German: one short sentence per construction of each language."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.extract import extract
from search.extract.regions import resolve_region
from search.extract.years import extract_years
from search.ingest.article import Article
from search.ingest.dates import parse_date


def _extract(text: str, language: str | None) -> Article:
    return extract(Article(id="t", path="t", title="", body=text, language=language))


def _codes(text: str, language: str | None) -> list[str | None]:
    return [r["code"] or r["name"] for r in _extract(text, language).regions]


def _names(text: str, language: str | None) -> list[str]:
    return [o["name"] for o in _extract(text, language).officials]


# --- regions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("上海", "CN-SH"),
        ("Shanghai", "CN-SH"),
        ("CN-SH", "CN-SH"),
        ("전라남도", "KR-46"),
        ("全罗南道", "KR-46"),
        ("Jeollanam-do", "KR-46"),
        ("神奈川", "JP-14"),
        ("Nordrhein-Westfalen", "DE-NW"),
        ("Comunidad de Madrid", "ES-MD"),
    ],
)
def test_one_region_whatever_the_language(alias: str, code: str) -> None:
    region = resolve_region(alias)
    assert region is not None and region["code"] == code


def test_chinese_place_with_suffix_is_reported_in_english_with_its_native_name() -> None:
    regions = _extract("上海市市长龚正会见了全罗南道代表团。", "zh").regions
    shanghai = regions[0]
    assert (shanghai["name"], shanghai["code"], shanghai["native"]) == (
        "Shanghai",
        "CN-SH",
        "上海市",
    )
    assert shanghai["written"] == "上海市"
    assert regions[1]["code"] == "KR-46" and regions[1]["written"] == "全罗南道"


def test_chinese_city_suffix_and_place_after_its_country() -> None:
    found = _extract("推动杭州市与日本滨松等城市合作。", "zh").regions
    assert [(r["name"], r["written"]) for r in found] == [
        ("Hangzhou", "杭州市"),
        ("Japan", "日本"),
        ("Hamamatsu", "滨松"),
    ]


def test_province_suffix_after_a_city_name_is_its_province() -> None:
    assert _codes("总领事会见秋明州州长莫尔。", "zh") == ["RU-TYU"]


def test_chinese_preposition_of_place_before_a_small_city() -> None:
    assert _codes("论坛将于明年在滨松举行。", "zh") == ["Hamamatsu"]


def test_chinese_common_words_are_not_places() -> None:
    # "合作" is also Hezuo, a town; "市场" is a market, not a city suffix
    assert _codes("双方愿进一步加强合作，拓展合作市场。", "zh") == []


def test_japanese_prefecture_and_city_suffixes() -> None:
    regions = _extract("リューベック市は神奈川県川崎市と友好都市関係にあります。", "ja").regions
    assert [r["code"] or r["name"] for r in regions] == ["Lübeck", "JP-14", "Kawasaki"]


def test_japanese_katakana_spellings_of_one_name_meet() -> None:
    # pycountry writes "シュレースヴィヒ＝ホルシュタイン"; the release "シュレスヴィッヒ=..."
    assert _codes("シュレスヴィッヒ=ホルシュタイン州の州都", "ja") == ["DE-SH"]
    assert _codes("ニューヨーク出張中の大臣", "ja") == ["US-NY"]


def test_korean_places_with_suffix_particle_or_short_form() -> None:
    assert _codes("전라남도 나주시가 유치를 확정했다.", "ko") == ["KR-46", "Naju"]
    assert _codes("경북도는 중국의 관광지와 교류했다.", "ko") == ["KR-47", "CN"]


def test_korean_words_that_start_like_places_are_not_places() -> None:
    # an association named after the province; "지난" (last) is also Jinan in Korean
    assert _codes("전남에너지산업협회 등은 지난 3월 의향서를 냈다.", "ko") == []


def test_german_place_after_an_administrative_noun_and_in_the_genitive() -> None:
    text = "Partner des Landes Brandenburg im Kanton Graubünden und die Geschichte Deutschlands."
    assert _codes(text, "de") == ["DE-BB", "CH-GR", "DE"]


def test_big_cities_by_their_names_in_the_release_language() -> None:
    text = "Los técnicos viajarán a Seúl y a Tokio; la delegación irá después a Múnich."
    assert _codes(text, "es") == ["KR-11", "JP-13", "Munich"]
    assert _codes("Une délégation de la ville de Yokohama est arrivée à Lyon.", "fr") == [
        "Yokohama",
        "Lyon",
    ]


def test_a_city_written_with_other_accents() -> None:
    text = "La alcaldesa de València, Lucía Ferrer Montoya, ha presentado el balance."
    assert _codes(text, "es") == ["Valencia"]
    # but a country's name with an accent is that language's word: "América" is the Americas
    assert _codes("La reunión de Cancilleres de América.", "es") == []


def test_wire_service_datelines() -> None:
    assert _codes("St.Pölten (NLK) - Seit 1992 pflegt der Landtag Kontakte.", "de") == [
        "Sankt Pölten"
    ]
    assert _codes("Madrid (EFE) – El Gobierno aprobó hoy el plan.", "es")[:1] == ["Madrid"]


def test_place_in_an_institution_name_is_no_place() -> None:
    text = "Rossi expondrá en la Universidad Nacional de San Juan."
    assert _codes(text, "es") == []


def test_short_name_of_a_catalogue_form() -> None:
    # pycountry writes "Russie, Fédération de"; a release writes "la Russie"
    assert _codes("Les relations avec la Russie et la Corée.", "fr") == ["RU", "KR"]
    assert _codes("Relaciones con Rusia.", "es") == ["RU"]


def test_a_city_named_in_the_release_language_is_that_city() -> None:
    assert _codes("München will bis 2035 klimaneutral werden.", "de") == ["Munich"]


def test_german_compound_noun_before_a_place_is_no_given_name() -> None:
    text = "Pressestelle der Landesregierung Nordrhein-Westfalen"
    assert _codes(text, "de") == ["DE-NW"]


def test_names_of_a_language_are_read_only_in_that_language() -> None:
    assert _codes("Los cónsules de Alemania y Reino Unido.", "es") == ["DE", "GB"]
    assert _codes("La coopération avec l'Allemagne et la Belgique.", "fr") == ["DE", "BE"]
    # "Island" is German for Iceland, and an English word
    assert _codes("Die Regierung von Island.", "de") == ["IS"]
    assert _codes("The Island Council met on Monday.", "en") == []


# --- officials -----------------------------------------------------------------------------


def test_chinese_place_office_name() -> None:
    assert _names("上海市市长龚正将于4月访问台北。", "zh") == ["龚正"]
    assert _names("福建省外办副主任陈国全一行来杭交流，副市长程用文陪同。", "zh") == [
        "陈国全",
        "程用文",
    ]
    assert _names("日本大分市市长佐藤树一郎率政府代表团访汉。", "zh") == ["佐藤树一郎"]


def test_chinese_office_before_a_common_noun_is_no_official() -> None:
    assert _names("举办国际友城市长论坛。", "zh") == []


def test_japanese_name_office_with_place_or_body_between() -> None:
    assert _names("出張中の岸田文雄外務大臣は、", "ja") == ["岸田文雄"]
    assert _names("何振良総領事は山口県下関市前田晋太郎新市長と会見した。", "ja") == [
        "何振良",
        "前田晋太郎",
    ]
    assert _names("国連でレックス・ティラソン米国務長官と立ち話を行った。", "ja") == [
        "レックス・ティラソン"
    ]
    assert _names("下関市総合政策部村上治城部長が同席した。", "ja") == ["村上治城"]


def test_japanese_short_mention_is_the_person_named_in_full() -> None:
    text = "何振良総領事は前田晋太郎市長と会見した。何総領事は前田市長の就任を祝福した。"
    assert _names(text, "ja") == ["何振良", "前田晋太郎"]


def test_korean_name_before_office_with_particles_and_qualifiers() -> None:
    assert _names("김영록 전남지사는 도민과 만났다.", "ko") == ["김영록"]
    assert _names("노태강 문화체육관광부 제2차관, 박정렬 국민소통실장 등이 참석했다.", "ko") == [
        "노태강",
        "박정렬",
    ]
    assert _names("윤병세 장관은 포럼에 참석했다. 윤 장관은 또한 말했다.", "ko") == ["윤병세"]


def test_korean_glossed_foreign_name_and_office_before_name() -> None:
    text = "조코 위도도(Joko Widodo) 인도네시아 대통령과 면담했다. 나주시(시장 윤병태)는 밝혔다."
    assert _names(text, "ko") == ["조코 위도도", "윤병태"]


def test_korean_market_is_no_mayor() -> None:
    # 시장 is a mayor, and a market: "기술력과 시장이" is "technology and the market"
    assert _names("상하이의 기술력과 시장이 더해진다면", "ko") == []


def test_korean_body_before_office_is_no_name() -> None:
    assert _names("각국 주한 대사 22명이 참석했다.", "ko") == []


def test_foreign_officials_in_chinese_and_korean_have_names_in_any_letters() -> None:
    assert _names("美国国务卿布林肯表示，会见了日本驻华大使垂秀夫。", "zh") == ["布林肯", "垂秀夫"]
    assert _names("토니 블링컨 미국 국무장관은 말했다.", "ko") == ["토니 블링컨"]
    assert _names("이날 블링컨 미국 국무장관은 말했다.", "ko") == ["블링컨"]


def test_traditional_chinese_offices() -> None:
    assert _names("台北市市長郝龍斌會見上海市市長韓正。", "zh") == ["郝龍斌", "韓正"]


def test_korean_two_syllable_name_before_a_ministry() -> None:
    assert _names("박진 외교부 장관은 회담을 가졌다.", "ko") == ["박진"]


def test_japanese_office_after_a_body_without_a_name() -> None:
    assert _names("リューベック市長及び市議会議長への着任表敬", "ja") == []


def test_japanese_office_inside_another_word_is_no_official() -> None:
    assert _names("全国市長会の会合に各国大使が出席した。", "ja") == []


def test_chinese_name_ends_before_a_verb() -> None:
    assert _names("市长李明接待了代表团，国家主席习近平同志出席。", "zh") == ["李明", "习近平"]


def test_spanish_office_complement_comma_name() -> None:
    text = "El alcalde de Madrid, José Luis Martínez-Almeida, recibió al gobernador Sergio Uñac."
    assert _names(text, "es") == ["José Luis Martínez-Almeida", "Sergio Uñac"]


def test_spanish_name_comma_office_and_plural_office_list() -> None:
    text = (
        "Emilio Ablanedo, subdelegado del Gobierno en Barcelona, se reunió con los embajadores "
        "en Chile, Carlos Abihaggle, y en Bolivia, Horacio Antonio Macedo, quienes expondrán."
    )
    assert _names(text, "es") == ["Emilio Ablanedo", "Carlos Abihaggle", "Horacio Antonio Macedo"]


def test_spanish_capitalised_portfolio_and_country_list_are_no_names() -> None:
    text = (
        "Participaron la secretaria de Investigación, Política Industrial y Producción para la "
        "Defensa, Daniela Castro y los cónsules de Estados Unidos, Alemania, Reino Unido."
    )
    assert _names(text, "es") == ["Daniela Castro"]


def test_spanish_masculine_office_and_given_name_that_is_a_province() -> None:
    text = (
        "La presidenta de la Comunidad de Madrid, Isabel Díaz Ayuso, y el presidente de la "
        "Generalitat de Cataluña, Salvador Illa, asistieron."
    )
    assert _names(text, "es") == ["Isabel Díaz Ayuso", "Salvador Illa"]


def test_french_name_after_an_address_is_not_a_new_sentence() -> None:
    text = "Il a reçu l'ambassadeur du Japon en France, M. Kazuhiko Koshikawa."
    assert _names(text, "fr") == ["Kazuhiko Koshikawa"]


def test_korean_foreign_name_before_country_and_region() -> None:
    text = "김동연 경기도지사는 마르쿠스 죄더 독일 바이에른주 총리를 만났다. 김 지사는 말했다."
    assert _names(text, "ko") == ["김동연", "마르쿠스 죄더"]


def test_german_word_of_government_is_no_place() -> None:
    # pycountry's German name of South Africa's Free State is "Freistaat"
    assert _codes("Ministerpräsident Markus Söder empfing im Freistaat Bayern.", "de") == ["DE-BY"]


def test_french_offices_with_articles_and_capitalised_family_names() -> None:
    assert _names("Le maire de Lyon Grégory Doucet a reçu la délégation.", "fr") == [
        "Grégory Doucet"
    ]
    text = "La préfète, Dédé Lydie CHABI NAH, a accueilli le directeur, Jérôme BERTRAND-HARDY."
    assert _names(text, "fr") == ["Dédé Lydie Chabi Nah", "Jérôme Bertrand-Hardy"]
    text = (
        "Mesdames Nathalie Fontanet, présidente, Anne Hiltpold et Carole-Anne Kast, conseillères."
    )
    assert _names(text, "fr") == ["Nathalie Fontanet", "Anne Hiltpold", "Carole-Anne Kast"]


def test_names_with_several_particles_and_more_offices() -> None:
    text = "Die Präsidentin der Kommission, Ursula von der Leyen, traf Landrätin Anna Schmidt."
    assert _names(text, "de") == ["Ursula von der Leyen", "Anna Schmidt"]
    text = "La consejera de Cultura, María de los Ángeles Pérez, habló."
    assert _names(text, "es") == ["María de los Ángeles Pérez"]
    assert _names("外務省の山田太郎局長が出席した。", "ja") == ["山田太郎"]


def test_german_compound_offices_declined() -> None:
    text = (
        "Bundeskanzler Olaf Scholz traf Landtagspräsident Mag. Edmund Freibauer und den "
        "Komitatspräsidenten Csaba Kuti; begleitet vom Handelsdelegierten Werner Naef."
    )
    assert _names(text, "de") == ["Olaf Scholz", "Edmund Freibauer", "Csaba Kuti", "Werner Naef"]
    text = "Der Regierende Bürgermeister von Berlin, Klaus Wowereit, hat eingeladen."
    assert _names(text, "de") == ["Klaus Wowereit"]
    text = "Der Botschafter der Republik Korea, Kim Jin-sok, besuchte Potsdam."
    assert _names(text, "de") == ["Kim Jin-sok"]


# --- years and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("上海市市长韩正将于2010年4月6日访台", [2010]),
        ("경상북도는 2016년 신도청 시대를 맞아", [2016]),
        ("배포일시 : 2014. 6. 15.(일)", [2014]),
        ("本県と京畿道は、1990(平成2)年に友好提携を締結", [1990]),
        ("発布時間 :2023-05-25 11:35", [2023]),
        ("29/09/2017", [2017]),
        ("更新日:2023年4月17日", [2023]),
        ("veröffentlicht am 13.11.2008", [2008]),
        ("A2020 Agenda and the 2020s", []),
    ],
)
def test_years_in_each_language(text: str, years: list[int]) -> None:
    assert extract_years(text) == years


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2023年9月21日", "2023-09-21"),
        ("21 septembre 2023", "2023-09-21"),
        ("1er août 2024", "2024-08-01"),
        ("21. September 2023", "2023-09-21"),
        ("Montag, 17. November 2008", "2008-11-17"),
        ("2023. 9. 21.", "2023-09-21"),
        ("2016년 12월 21일", "2016-12-21"),
        ("21 de septiembre de 2023", "2023-09-21"),
        ("Miércoles 27 Agosto 2003", "2003-08-27"),
        ("令和6年2月15日", "2024-02-15"),
        ("平成元年1月8日", "1989-01-08"),
        ("13.11.2008", "2008-11-13"),
        ("29/09/2017", "2017-09-29"),
        ("mars 2020", None),
    ],
)
def test_dates_in_each_language(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# --- the region page -----------------------------------------------------------------------


def _region(name: str, native: str | None) -> dict[str, str | None]:
    region: dict[str, str | None] = {"name": name, "code": None, "country": "CN", "kind": "city"}
    if native is not None:
        region["native"] = native
    return region


def test_region_page_shows_the_native_name_beside_the_english(tmp_path: Path) -> None:
    from web_fixtures import build_index

    from web import create_app

    shanghai = Article(
        id="zh/1", path="zh.jsonl", title="上海市市长会见代表团", body="上海市市长会见代表团。",
        date="2023-09-21", regions=[_region("Shanghai", "上海市")],
    )  # fmt: skip
    hostile = Article(
        id="zh/2", path="zh.jsonl", title="Evil town notice", body="Evil town.",
        date="2023-09-22", regions=[_region("Eviltown", "<script>alert(1)</script>")],
    )  # fmt: skip
    root = build_index(tmp_path / "index", extra=[shanghai, hostile])
    client = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
    page = client.get("/region/Shanghai").get_data(as_text=True)
    assert '</span> Shanghai <span class="native">上海市</span></h1>' in page
    evil = client.get("/region/Eviltown").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in evil
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil
    # a place whose releases give no other name shows its name alone
    assert 'class="native"' not in client.get("/region/California").get_data(as_text=True)
