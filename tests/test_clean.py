"""The cleaner's rules, each on a small input written here, plus the seed and shared pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.extract import extract
from search.ingest.clean import clean_html, clean_record, clean_text
from search.ingest.dates import date_from_url, parse_date
from search.ingest.html import _covers_more, _marked_body_lines
from search.ingest.rejoin import rejoin_lines
from search.ingest.scorer import select_main_lines
from search.ingest.text import normalise

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_7b7a4a5d8c4df0e0.txt"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not present")

NBSP = "\u00a0"
PARAGRAPHS = [
    "The provincial government of South Jeolla announced on Monday a new program to support "
    "offshore wind farms along the coast near Mokpo and Yeosu, with funding for ports.",
    "Officials said the program would create jobs in shipbuilding and maintenance, and that "
    "local fishing cooperatives had been consulted throughout the planning process.",
    "The first turbines are expected to be installed in the spring, according to the plan "
    "published by the provincial energy office, which also lists training courses for workers.",
]


def page(body: str, head: str = "", extra: str = "") -> str:
    """A raw saved page with furniture around ``body``."""
    return f"""<!DOCTYPE html><html lang="en"><head><title>Wind power plan | Jeonnam News</title>
    {head}<script>var tracking = "do not index this";</script>
    <style>.x{{color:red}}</style></head><body>
    <header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
    <li><a href="/about">About the province</a></li></ul></nav></header>
    <div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
    <main><article><h1>Wind power plan</h1>{body}</article></main>{extra}
    <aside><h3>Related news</h3><ul><li><a href="/a">Festival opens in Suncheon Bay</a></li>
    <li><a href="/b">Governor visits island schools</a></li></ul></aside>
    <footer><p>Copyright 2024 Jeollanam-do. All rights reserved.</p>
    <form><input name="q"><button>Search</button></form></footer></body></html>"""


def paragraphs_html() -> str:
    return "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


# --- HTML ------------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_page_furniture() -> None:
    article = clean_html(page(paragraphs_html()), id="p.html", path="p.html")
    assert article.title == "Wind power plan"
    assert article.body.split("\n\n") == PARAGRAPHS
    assert article.lead == PARAGRAPHS[0]
    for furniture in ("tracking", "Home", "Share on Facebook", "Related news", "Copyright"):
        assert furniture not in article.body
    assert article.language == "en"


def test_html_caption_goes_to_captions_not_body() -> None:
    figure = (
        '<figure><img src="x.jpg" alt=""><figcaption>Governor Park Min-jae visits the Mokpo '
        "port wind terminal</figcaption></figure>"
    )
    article = clean_html(page(figure + paragraphs_html()), id="p", path="p")
    assert article.captions == ["Governor Park Min-jae visits the Mokpo port wind terminal"]
    assert "visits the Mokpo port" not in article.body


@pytest.mark.parametrize(
    ("head", "extra", "expected", "source"),
    [
        (
            '<meta property="article:published_time" content="2021-05-03T09:00:00+09:00">',
            "",
            "2021-05-03",
            "meta",
        ),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "datePublished": "2019-11-20T08:00:00Z"}</script>',
            "",
            "2019-11-20",
            "jsonld",
        ),
        ("", '<time datetime="2018-02-14T10:00">14 Feb 2018</time>', "2018-02-14", "time"),
        (
            '<link rel="canonical" href="https://news.example/2022/10/25/wind-plan">',
            "",
            "2022-10-25",
            "url",
        ),
    ],
)
def test_html_publication_date_sources(head: str, extra: str, expected: str, source: str) -> None:
    article = clean_html(page(paragraphs_html(), head=head, extra=extra), id="p", path="p")
    assert (article.date, article.date_source) == (expected, source)


def test_html_without_any_date_gets_none() -> None:
    article = clean_html(page(paragraphs_html()), id="p", path="p")
    assert article.date is None and article.date_source is None


def test_html_title_drops_site_suffix_without_h1() -> None:
    html = page(paragraphs_html()).replace("<h1>Wind power plan</h1>", "")
    assert clean_html(html, id="p", path="p").title == "Wind power plan"


# --- plain text ------------------------------------------------------------------------------


def test_text_repeated_title_and_lead_appear_once_and_caption_moves() -> None:
    title = "Mokpo signs port agreement with Busan"
    lead = "The mayors of Mokpo and Busan signed a port cooperation agreement on Friday."
    caption = "Mayor Lee Soo-jin shakes hands with Mayor Cho Hyun-woo after the signing"
    text = "\n".join([title, lead, title, "", caption, "", lead, "", PARAGRAPHS[1]])
    article = clean_text(text, id="t.txt", path="t.txt")
    assert article.title == title
    assert article.body.split("\n\n") == [lead, PARAGRAPHS[1]]
    assert article.lead == lead
    assert article.captions == [caption]


def test_text_source_editor_trailer_with_non_breaking_spaces() -> None:
    text = (
        f"Title line\n\n{PARAGRAPHS[0]}\n\n\n\nSource:{NBSP}SHINE{NBSP}{NBSP} Editor:{NBSP}Xu Fang"
    )
    article = clean_text(text, id="t", path="t")
    assert (article.source, article.editor) == ("SHINE", "Xu Fang")
    assert "Source" not in article.body and "Editor" not in article.body


def test_text_hong_kong_ends_trailer_gives_date_and_is_removed() -> None:
    text = "\n\n".join(
        [
            "Suspected case reported",
            *PARAGRAPHS,
            "Ends/Tuesday, December 31, 2019",
            "Issued at HKT 19:06",
        ]
    )
    article = clean_text(text, id="t", path="t")
    assert (article.date, article.date_source) == ("2019-12-31", "text")
    assert "Ends" not in article.body and "HKT" not in article.body
    assert article.body.split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize(
    ("first_line", "expected", "source"),
    [
        ("MOKPO, South Korea, March 3, 2021 — " + PARAGRAPHS[0], "2021-03-03", "dateline"),
        ("For Immediate Release: April 12, 2019", "2019-04-12", "text"),
        ("Since 1996 the two provinces have worked together on trade and tourism.", None, None),
    ],
)
def test_text_dates_from_datelines_and_release_lines_never_from_a_bare_year(
    first_line: str, expected: str | None, source: str | None
) -> None:
    text = "\n\n".join(["Title of the release", first_line, *PARAGRAPHS])
    article = clean_text(text, id="t", path="t")
    assert (article.date, article.date_source) == (expected, source)


def test_text_media_contact_block_is_dropped() -> None:
    text = "\n\n".join(
        ["Title", *PARAGRAPHS, "Media contact:\nJane Doe\n(555) 123-4567\njane.doe@example.org"]
    )
    assert clean_text(text, id="t", path="t").body.split("\n\n") == PARAGRAPHS


# --- records with raw page text --------------------------------------------------------------

NAV = ["Skip to content", "Home", "About Us", "Newsroom", "Press Releases", "Contact Us"]
SIDEBAR = [
    "Recent Posts",
    "Man Sentenced for Fraud in Santa Ana Scheme",
    "Press",
    "Garden Grove Woman Charged With Theft",
    "Follow Us",
    "© 2024 County of Orange. All rights reserved.",
]


def test_record_body_navigation_and_sidebars_are_dropped() -> None:
    body = "\n".join([*NAV, *PARAGRAPHS, *SIDEBAR])
    record = {"id": "r1", "title": "Wind plan", "body": body, "date": "2024-03-01"}
    article = clean_record(record, id="r1", path="x.jsonl")
    assert article.body.split("\n\n") == PARAGRAPHS
    assert (article.date, article.date_source) == ("2024-03-01", "record")


def test_record_fields_and_metadata() -> None:
    record = {
        "title": "T",
        "body": PARAGRAPHS[0],
        "url": "https://da.example/news/1",
        "agency": "Orange County District Attorney",
        "category": "press release",
        "language": "en",
    }
    article = clean_record(record, id="r", path="x.jsonl")
    assert article.source == "Orange County District Attorney"
    assert article.url == "https://da.example/news/1"
    assert article.metadata == {"category": "press release"}


def test_record_junk_title_is_replaced_by_the_headline_and_gives_the_date() -> None:
    headline = "Man sentenced to 45 years for killing two people in car crash"
    body = "\n".join([headline, *PARAGRAPHS])
    record = {"title": "April 30, 2021 Contact: Tasha Smith", "body": body, "date": None}
    article = clean_record(record, id="r", path="x.jsonl")
    assert article.title == headline
    assert (article.date, article.date_source) == ("2021-04-30", "text")
    assert headline not in article.body


def test_lines_broken_by_links_are_rejoined() -> None:
    lines = [
        "I applaud the efforts of the prosecutorial team of",
        "Senior Trial Counsel Scott Warden",
        "and",
        "Chief Deputy Ana Ortiz",
        "for bringing the case to trial.",
        "CHICAGO",
        "– The State's Attorney announced charges today against two men in the robbery case.",
    ]
    assert rejoin_lines(lines) == [
        "I applaud the efforts of the prosecutorial team of Senior Trial Counsel Scott Warden "
        "and Chief Deputy Ana Ortiz for bringing the case to trial.",
        "CHICAGO – The State's Attorney announced charges today against two men in the robbery "
        "case.",
    ]


def test_select_main_lines_keeps_the_prose_run() -> None:
    assert select_main_lines([*NAV, *PARAGRAPHS, *SIDEBAR]) == PARAGRAPHS


# --- text normalisation and dates ------------------------------------------------------------


def test_normalise_nfc_spaces_and_mojibake() -> None:
    assert normalise("Cafe\u0301\u00a0\u00a0menu") == "Café menu"
    assert normalise("SÃ£o Paulo â€œhubâ€\x9d") == "São Paulo “hub”"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.shine.cn/news/metro/2309228656/", "2023-09-22"),
        ("https://gov.example/news/2022/10/25/item", "2022-10-25"),
        ("https://gov.example/news/2022/item", None),
    ],
)
def test_dates_from_urls(url: str, expected: str | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday, December 31, 2019", "2019-12-31"),
        ("3 March 2021", "2021-03-03"),
        ("Nov. 7, 2014", "2014-11-07"),
        ("11 de abril de 2024", "2024-04-11"),
        ("2021", None),
        ("March 2021", None),
        ("February 30, 2021", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


# --- real inputs from ../shared --------------------------------------------------------------


@needs_shared
def test_seed() -> None:
    article = clean_text(SEED.read_text(encoding="utf-8"), id="seed", path="seed")
    lead = (
        "Shanghai Mayor Gong Zheng met with Kim Yung-rok, the governor of South Jeolla Province "
        "in Korea, on Thursday."
    )
    assert article.title == (
        "Shanghai Mayor discusses economic cooperation with South Jeolla Province Governor"
    )
    assert article.body.count(lead) == 1 and article.lead == lead
    assert article.title not in article.body
    assert article.captions == [
        "Shanghai Mayor Gong Zheng shakes hands with Kim Yung-rok, the governor of South Jeolla "
        "Province in Korea"
    ]
    assert (article.source, article.editor, article.date) == ("SHINE", "Xu Fang", None)
    assert "Source:" not in article.body and "Editor" not in article.body


@needs_shared
@pytest.mark.parametrize("folder", ["hk_gov_press_releases", "europarl_press_releases"])
def test_shared_pages_title_and_date_match_their_index(folder: str) -> None:
    base = SHARED / "corpus" / "html" / folder
    for line in (base / "index.jsonl").read_text(encoding="utf-8").splitlines():
        ref = json.loads(line)
        html = (base / ref["file"]).read_bytes().decode("utf-8", "replace")
        article = clean_html(html, id=ref["file"], path=ref["file"])
        assert (article.title, article.date) == (ref["title"], ref["date"]), ref["file"]
        assert "Ends/" not in article.body and "NNNN" not in article.body


def test_table_layout_page_keeps_paragraphs_and_drops_menu_cells() -> None:
    cells = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    html = f"""<html><head><title>Old page</title></head><body><table>
    <tr><td colspan="2"><a href="/">Home</a> | <a href="/n">News Releases</a> |
    <a href="/c">Contact Us</a></td></tr>
    <tr><td><b>Quick Links</b><br><a href="/r">Report a Crime</a><br><a href="/v">Victims</a></td>
    <td><h2>Old page</h2>{cells}</td></tr>
    <tr><td colspan="2">Copyright © County Office. All rights reserved.</td></tr></table>
    </body></html>"""
    article = clean_html(html, id="old.htm", path="old.htm")
    assert article.body.split("\n\n") == PARAGRAPHS
    assert "|" not in article.body


def test_caption_right_after_a_repeated_title_whatever_its_verb() -> None:
    title = "Shanghai mayor meets Hong Kong delegation"
    lead = "Mayor Zhou Wenbin met a delegation from Hong Kong in Shanghai on Monday."
    caption = "Floats from the sister cities make their way along Huaihai Road"
    text = "\n".join([title, lead, title, "", caption, "", lead, "", PARAGRAPHS[0]])
    article = clean_text(text, id="t", path="t")
    assert article.captions == [caption]
    assert article.body.split("\n\n") == [lead, PARAGRAPHS[0]]


def test_html_credit_span_beside_an_image_is_a_caption() -> None:
    figure = (
        '<div class="media-asset"><img src="t.jpg" alt=""><span class="credit">Turbines of the '
        "offshore wind complex off the coast of Sinan County</span></div>"
    )
    article = clean_html(page(figure + paragraphs_html()), id="p", path="p")
    assert article.captions == [
        "Turbines of the offshore wind complex off the coast of Sinan County"
    ]


def test_spanish_dateline_line() -> None:
    text = "\n\n".join(["València y Busan firman", "València, 14 de junio de 2021.", *PARAGRAPHS])
    article = clean_text(text, id="t", path="t")
    assert (article.date, article.date_source) == ("2021-06-14", "dateline")
    assert article.body.split("\n\n") == PARAGRAPHS


def test_caption_between_the_lead_and_its_repeat() -> None:
    lead = "Mayor Zhou Wenbin met a delegation from Hong Kong in Shanghai on Monday."
    caption = "Mayor Zhou Wenbin meets members of the Hong Kong delegation"
    text = "\n\n".join(["Shanghai mayor meets delegation", lead, caption, lead, PARAGRAPHS[0]])
    article = clean_text(text, id="t", path="t")
    assert article.captions == [caption]
    assert article.body.split("\n\n") == [lead, PARAGRAPHS[0]]


def test_signature_and_short_ending_after_the_text_are_kept() -> None:
    body = "\n\n".join([*PARAGRAPHS, "Sincerely,", "JOSEPH R. BIDEN JR."])
    article = clean_record({"title": "Letter", "body": body}, id="r", path="x.jsonl")
    assert article.body.endswith("Sincerely,\n\nJOSEPH R. BIDEN JR.")


def test_sidebar_after_the_text_is_not_a_short_ending() -> None:
    body = "\n".join([*PARAGRAPHS, "Latest News", "Festival opens in Suncheon Bay", "View All"])
    article = clean_record({"title": "T", "body": body}, id="r", path="x.jsonl")
    assert article.body.split("\n\n") == PARAGRAPHS


def test_media_advisory_fields_are_text() -> None:
    body = "\n".join(
        [
            *NAV,
            "WHAT: News conference on the arrests",
            "WHEN: Monday, 10 a.m.",
            "WHERE: Newport Beach Police Department, 870 Santa Barbara Dr., Newport Beach",
            *SIDEBAR,
        ]
    )
    article = clean_record({"title": "MEDIA ADVISORY", "body": body}, id="r", path="x.jsonl")
    assert "WHERE: Newport Beach Police Department" in article.body
    assert "Recent Posts" not in article.body


def test_page_without_prose_keeps_no_sidebar() -> None:
    body = "\n".join([*NAV, "Tagged with:", "Governor Jane Roe", "Share", *SIDEBAR])
    assert clean_record({"title": "Video", "body": body}, id="r", path="x.jsonl").body == ""


def test_name_broken_by_a_paragraph_break_is_rejoined() -> None:
    lines = ["The case was prosecuted by Assistant District Attorney Leighton", "", "D'Antoni."]
    assert rejoin_lines(lines) == [
        "The case was prosecuted by Assistant District Attorney Leighton D'Antoni."
    ]


def test_prose_in_other_languages_is_not_furniture() -> None:
    vietnamese = [
        "WESTMINSTER – Ba thân nhân trong một gia đình đã bị bắt giữ ngày hôm qua về tội lừa đảo "
        "các cơ quan của quận nhiều hơn một trăm ngàn đô la.",
        "Các bị cáo sẽ ra tòa vào tuần tới tại Tòa Án Thượng Thẩm Quận Orange ở Westminster.",
    ]
    body = "\n".join([*NAV, *vietnamese, *SIDEBAR])
    article = clean_record({"title": "BA THÂN NHÂN", "body": body}, id="r", path="x.jsonl")
    assert article.body.split("\n\n") == vietnamese


def test_printed_page_timestamps_are_metadata_dates() -> None:
    title = "DA Statement on the Verdict in the Assault Case"
    body = "\n".join(["2021-12-10 11:26:47", "2021-12-15 11:28:02", title, *PARAGRAPHS])
    article = clean_record({"title": title, "body": body, "date": None}, id="r", path="x")
    assert (article.date, article.date_source) == ("2021-12-10", "meta")


def test_covers_more_needs_the_extracted_text_and_a_missing_prose_paragraph() -> None:
    first = (
        "The Centre for Health Protection today received notification of a cluster of "
        "pneumonia cases in Wuhan, Hubei Province, and urged the public to keep up hygiene."
    )
    assert _covers_more([first, *PARAGRAPHS], PARAGRAPHS)
    assert not _covers_more(PARAGRAPHS, PARAGRAPHS)  # nothing missing
    assert not _covers_more([first, *PARAGRAPHS[:1]], PARAGRAPHS)  # loses extracted text
    assert not _covers_more(["Home", "News", *PARAGRAPHS], PARAGRAPHS)  # only furniture


def test_a_story_body_split_into_chunks_around_an_advert_is_read_whole() -> None:
    from bs4 import BeautifulSoup

    chunk = '<div class="body article__body">{}</div>'
    advert = '<div class="ad"><p>Advertisement</p></div>'
    split = (
        chunk.format(f"<p>{PARAGRAPHS[0]}</p>")
        + advert
        + chunk.format("".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:]))
    )
    soup = BeautifulSoup(f"<html><body><div>{split}</div></body></html>", "lxml")
    assert _marked_body_lines(soup) == PARAGRAPHS
    # A story and the teasers of other stories, marked differently: no marked body at all.
    teasers = '<div class="post-content"><p>Festival opens in Suncheon Bay</p></div>'
    story = f'<div class="post-body post-content">{paragraphs_html()}</div>'
    soup = BeautifulSoup(f"<html><body>{story}{teasers * 3}</body></html>", "lxml")
    assert _marked_body_lines(soup) == []


@needs_shared
@pytest.mark.parametrize("name", ["P2020010300836.htm", "P2020010900740.htm"])
def test_hong_kong_first_paragraph_outside_p_elements_is_kept(name: str) -> None:
    base = SHARED / "corpus" / "html" / "hk_gov_press_releases"
    refs = [json.loads(line) for line in (base / "index.jsonl").read_text().splitlines()]
    (ref,) = [r for r in refs if r["file"] == name]
    html = (base / name).read_bytes().decode("utf-8", "replace")
    first = ref["reference_text"].split("\n")[0]
    assert clean_html(html, id=name, path=name).body.startswith(" ".join(first.split()))


def test_the_release_s_own_date_lines_are_kept_apart_and_read_for_years() -> None:
    from search.extract import extract
    from search.ingest.clean import clean_record

    body = (
        "More News\nMar 26, 2026\nOther office files charges in a cold case\n"
        "Jan 17, 2023, 1:36 PM\n\n"
        "Ankara – The Minister of Foreign Affairs met his Turkish counterpart on Tuesday to "
        "discuss trade, energy and the ties between the two neighbouring countries at length.\n\n"
        "Both ministers agreed to meet again soon and to open a new consulate in the coming "
        "months, officials said after the talks in the capital ended late in the evening."
    )
    article = clean_record(
        {"title": "Minister meets counterpart", "body": body, "date": "2023-01-17"}, "a", "a"
    )
    assert article.date_lines == ["Jan 17, 2023, 1:36 PM"]  # not the list of other releases
    assert "Jan 17, 2023" not in article.body
    assert extract(article).years == [2023]


# --- HTML markup left in record text ---------------------------------------------------------


def test_record_markup_goes_and_an_underlined_header_is_read_as_text() -> None:
    body = (
        "<u>Statement by White House Press Secretary Jen Psaki:</u>\n\n"
        "The President will mark the 56<sup>th</sup> anniversary of the march with "
        '<span style="text-decoration: underline">an executive order</span> on voting access, '
        "which Q&amp;A sessions in every state will explain over the coming weeks.\n\n"
        "Turnout rose where a < b and c > d held true, the analysis of past elections shows."
    )
    article = clean_record({"title": "Q&amp;A on voting access", "body": body}, "r", "x.jsonl")
    assert article.title == "Q&A on voting access"
    assert article.body.split("\n\n") == [
        "Statement by White House Press Secretary Jen Psaki:",
        "The President will mark the 56th anniversary of the march with an executive order on "
        "voting access, which Q&A sessions in every state will explain over the coming weeks.",
        "Turnout rose where a < b and c > d held true, the analysis of past elections shows.",
    ]


def test_record_signature_table_is_read_column_by_column() -> None:
    cell = '<td class="has-text-align-center" data-align="center">{}</td>'
    rows = [
        ("SUGA Yoshihide", "Joseph R. Biden Jr."),
        ("Prime Minister of Japan", "President of the United States of America"),
    ]
    table = "<table><tbody>{}</tbody></table>".format(
        "".join("<tr>" + "".join(cell.format(c) for c in row) + "</tr>" for row in rows)
    )
    body = f"{PARAGRAPHS[0]}\n\n{table}"
    article = clean_record({"title": "Joint statement", "body": body}, "r", "x.jsonl")
    assert article.body.split("\n\n")[1:] == [
        "SUGA Yoshihide, Prime Minister of Japan",
        "Joseph R. Biden Jr., President of the United States of America",
    ]
    # Read row by row ("SUGA Yoshihide | Joseph R. Biden Jr. ; Prime Minister of Japan | ...")
    # the extractor could pair no name with its office.
    names = {o["name"].casefold() for o in extract(article).officials}
    assert names == {"suga yoshihide", "joseph r. biden jr."}


def test_record_data_table_stays_one_line_of_rows() -> None:
    table = (
        "<table><tr><th>State</th><th>TSA Officers</th></tr>"
        "<tr><td>Alabama</td><td>309</td></tr><tr><td>Alaska</td><td>532</td></tr></table>"
    )
    article = clean_record(
        {"title": "Officers by state", "body": f"{PARAGRAPHS[0]}\n{table}\n{PARAGRAPHS[1]}"},
        "r",
        "x.jsonl",
    )
    assert article.body.split("\n\n") == [
        PARAGRAPHS[0],
        "State | TSA Officers ; Alabama | 309 ; Alaska | 532",
        PARAGRAPHS[1],
    ]


def test_record_figure_caption_is_a_caption_and_an_embedded_post_is_text() -> None:
    photo = (
        '<figure> <img src="https://example.gov/p.jpg" srcset="https://example.gov/p.jpg 600w" '
        'alt="Governor Kim Young-rok greets the delegation in Mokpo (Official Photo)" /> '
        "<figcaption>Governor Kim Young-rok greets the delegation from Brussels</figcaption>"
        "</figure>"
    )
    post = (
        "<figure><div><blockquote><p>The wind farm will power 200,000 homes.<br /><br />"
        "Construction starts in spring.</p></blockquote></div></figure>"
    )
    body = f"{PARAGRAPHS[0]}\n\n{photo}\n\n{post}\n\n{PARAGRAPHS[1]}"
    article = clean_record({"title": "Wind power plan", "body": body}, "r", "x.jsonl")
    assert article.captions == ["Governor Kim Young-rok greets the delegation from Brussels"]
    assert article.body.split("\n\n") == [
        PARAGRAPHS[0],
        "The wind farm will power 200,000 homes.",
        "Construction starts in spring.",
        PARAGRAPHS[1],
    ]
    assert "<" not in article.body and "src=" not in " ".join(article.captions)


# --- header blocks and participant lists ------------------------------------------------------


def test_header_block_name_and_office_above_the_text_is_kept() -> None:
    body = "\n\n".join(
        [
            "Rt Hon Mark Drakeford, First Minister of Wales",
            "First published:",
            "8 October 2019",
            "Last updated:",
            "I have recently returned from my first official visit to Japan as First Minister, "
            "where I met the Governor of Kanagawa and business leaders in Tokyo.",
            PARAGRAPHS[1],
        ]
    )
    article = clean_record({"title": "Written statement: visit to Japan", "body": body}, "r", "x")
    assert article.body.split("\n\n")[0] == "Rt Hon Mark Drakeford, First Minister of Wales"
    assert "First published:" not in article.body
    names = {o["name"] for o in extract(article).officials}
    assert "Mark Drakeford" in names


def test_a_menu_or_a_broken_headline_above_the_text_is_no_header_block() -> None:
    body = "\n".join(
        [
            *NAV,
            "MAN SENTENCED FOR ROBBING, BEATING",
            "Man Charged With Kidnapping, Sexually Assaulting Three Women,",
            *PARAGRAPHS,
        ]
    )
    article = clean_record({"title": "Man sentenced", "body": body}, "r", "x.jsonl")
    assert article.body.split("\n\n") == PARAGRAPHS


def test_a_piece_of_the_headline_broken_over_lines_is_not_body() -> None:
    title = "Governor Meets Delegation From Jeollanam-do, Signs Wind Power Agreement"
    body = "\n".join(["Governor Meets Delegation From Jeollanam-do,", *PARAGRAPHS])
    article = clean_record({"title": title, "body": body}, "r", "x.jsonl")
    assert article.body.split("\n\n") == PARAGRAPHS


def test_participant_list_and_signature_block_stay_in_the_body() -> None:
    participants = [
        "- Prime Minister Anthony Albanese of Australia",
        "- Prime Minister Narendra Modi of India",
        "- Prime Minister Kishida Fumio of Japan",
        "- Mayor Oh Se-hoon",
        "- Governor Kim Dong-yeon",
    ]
    signature = ["Kim Young-rok", "Governor, Jeollanam-do Province"]
    lines = [PARAGRAPHS[0], "The leaders present were:", *participants, *signature]
    article = clean_record({"title": "Quad leaders meet", "body": "\n".join(lines)}, "r", "x")
    assert article.body.split("\n\n") == lines


@pytest.mark.parametrize(
    "block",
    [
        ["Media enquiries", "Port Development Division, Ministry of Oceans", "+82-44-200-5991"],
        ["Pressekontakt", "Pressestelle des Staatsministeriums", "Telefon: 089 555 22 14"],
        ["Más información:", "Gabinete de Comunicación", "Tel. +34 96 555 01 20"],
        ["Contact presse : Service de presse de la Ville de Lyon"],
        ["問い合わせ先", "神奈川県国際文化観光局国際課", "電話 045-210-3748"],
        ["문의: 전라남도 국제협력관 061-286-2000"],
        ["Media: Brian Sokolowski, (312) 555-0178. Investors: Nadia Farouk, (312) 555-0190."],
    ],
)
def test_media_contact_blocks_in_the_languages_releases_come_in(block: list[str]) -> None:
    article = clean_record({"title": "Wind", "body": "\n".join([*PARAGRAPHS, *block])}, "r", "x")
    assert article.body.split("\n\n") == PARAGRAPHS


def test_media_advisory_fields_and_speakers_on_lines_of_their_own_are_text() -> None:
    lines = [
        "A joint press conference will be held immediately after the court hearing.",
        "WHEN:",
        "Monday, June 29, 2020 ~ to start at approximately 3:00 p.m.",
        "SPEAKERS:",
        "– Sacramento County District Attorney Anne Marie Schubert",
        "– Contra Costa County District Attorney Diana Becton",
        "– Orange County District Attorney Todd Spitzer",
    ]
    body = "\n".join([*NAV, *lines, *PARAGRAPHS, *SIDEBAR])
    article = clean_record({"title": "Press conference", "body": body}, "r", "x.jsonl")
    assert article.body.split("\n\n") == [*lines, *PARAGRAPHS]


def test_the_words_under_a_photo_in_a_table_cell_are_its_caption() -> None:
    caption = "Governor Kitagawa Shinji and Mayor Morimoto Aiko at the opening of the center"
    cell = (
        '<table align="right"><tr><td><img src="/images/center.jpg"><br>'
        f'<font size="1"><i>{caption}</i></font></td></tr></table>'
    )
    body = f"<p>{PARAGRAPHS[0]}</p>{cell}<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>"
    article = clean_html(page(body), id="p.html", path="p.html")
    assert article.captions == [caption]
    assert article.body.split("\n\n") == PARAGRAPHS


def test_a_page_header_styled_as_a_caption_is_no_caption() -> None:
    header = (
        '<header class="content-header content-header__caption-style--default">'
        "<h1>Wind power plan</h1><p>By Jeonnam News staff</p></header>"
    )
    figure = "<figure><img src='a.jpg'><figcaption>Turbines off Sinan County</figcaption></figure>"
    article = clean_html(page(paragraphs_html() + figure, extra=header), id="p", path="p")
    assert article.captions == ["Turbines off Sinan County"]


def test_teasers_of_other_stories_are_not_body_text() -> None:
    lines = [
        PARAGRAPHS[0],
        "READ MORE: China plague outbreak confirmed: Two diagnosed with disease in Beijing",
        PARAGRAPHS[1],
        "Related:",
        "Possible Water Plumes on Europa: The Discovery in Images",
        "Plane passengers quarantined after BUBONIC PLAGUE outbreak [NEWS]",
        PARAGRAPHS[2],
        "More information is available from the provincial energy office:",
        "- Mokpo training centre",
    ]
    article = clean_record({"title": "Wind", "body": "\n".join(lines)}, "r", "x.jsonl")
    assert article.body.split("\n\n") == [*PARAGRAPHS, *lines[-2:]]


def test_list_items_repeated_across_products_are_not_photo_captions() -> None:
    features = ["- Automatically on, automatically connected", "- Easy setup for all your devices"]
    models = [
        "Apple AirPods with Charging Case (Latest Model)",
        "Apple Watch Series 3 with GPS and Sport Band",
    ]
    lines = [PARAGRAPHS[0], models[0], *features, models[1], *features, PARAGRAPHS[1]]
    article = clean_record({"title": "Deals", "body": "\n".join(lines)}, "r", "x.jsonl")
    assert article.captions == []
    assert all(feature in article.body for feature in features)
