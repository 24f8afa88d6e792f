"""Query semantics on a hand-built index: syntax, fallback, facets, snippets, sort, suggestion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.documents import prepare
from search.backends.whoosh.facets import Facet
from search.index.backend import QueryNotSupported, SearchRequest
from search.index.query import parse
from search.index.schema import make_schema
from search.index.snippets import snippet
from search.index.suggest import apply_suggestion
from search.ingest.article import Article


def art(id, title, body, date=None, regions=(), officials=(), source=None, lead=""):
    return Article(
        id=id,
        path=f"{id}.txt",
        title=title,
        body=body,
        lead=lead,
        date=date,
        source=source,
        regions=[{"name": r, "code": None, "country": None, "kind": "province"} for r in regions],
        officials=[{"name": o, "title": "Governor", "region": None} for o in officials],
    )


ARTICLES = [
    art("a", "Farm visit in Mokpo", "The governor visited farms near Mokpo harbour.",
        "2021-03-04", ["South Jeolla Province"], ["Kim Young-rok"], "Jeollanam-do"),
    art("b", "Wind power complex opens", "An offshore wind complex opened in Sinan county.",
        "2022-06-10", ["South Jeolla Province"], ["Kim Young-rok"], "Jeollanam-do"),
    art("c", "Shanghai port expansion", "The Shanghai port authority announced an expansion. "
        "Café owners welcomed it.", "2022-05-01", ["Shanghai"], [], "Shanghai Port"),
    art("d", "Governor signs water bill", "Governor Gavin Newsom signed a water bill for "
        "farms in California.", "2021-09-15", ["California"], ["Gavin Newsom"], "CA Governor"),
    art("e", "Water rates stay flat", "The water board kept rates flat for farms.", None,
        ["California"], [], "Water Board"),
    art("f", "Trade mission to Shanghai and Mokpo", "A trade mission from California visited "
        "Shanghai and then Mokpo.", "2020-11-20", ["Shanghai", "South Jeolla Province",
        "California"], ["Gavin Newsom", "Kim Young-rok"], "CA Governor"),
    art("x", "<script>alert(1)</script> farms", 'Farms "><img src=x onerror=alert(1)> & more '
        "<b>farms</b>", "2019-01-01", [], [], "Evil <Corp>"),
]  # fmt: skip


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    root = tmp_path_factory.mktemp("qindex")
    b = WhooshBackend(root)
    txn = b.begin(full=True)
    for a in ARTICLES:
        txn.add(prepare(a))
    txn.add_words({"shanghai": 2, "farms": 4, "governor": 2, "water": 2, "mokpo": 2})
    txn.commit({"version": 1, "files": {}})
    return b


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


def search(backend, q="", **kw):
    return backend.search(SearchRequest(query=q, **kw))


def test_words_are_anded_and_stemmed_and_accent_folded(backend):
    assert set(ids(search(backend, "farm"))) == {"a", "d", "e", "x"}
    assert set(ids(search(backend, "farms governor"))) == {"a", "d"}
    assert ids(search(backend, "cafe")) == ["c"]
    assert ids(search(backend, "CAFÉ OWNERS")) == ["c"]


def test_phrase_or_not_minus_field_and_wildcard(backend):
    assert ids(search(backend, '"water bill"')) == ["d"]
    assert ids(search(backend, '"bill water"')) == []
    assert set(ids(search(backend, "wind OR port"))) == {"b", "c"}
    assert set(ids(search(backend, "farms NOT water"))) == {"a", "x"}
    assert set(ids(search(backend, "farms -water"))) == {"a", "x"}
    assert ids(search(backend, "title:water")) == ["e", "d"] or set(
        ids(search(backend, "title:water"))
    ) == {"d", "e"}
    assert set(ids(search(backend, "shang*"))) == {"c", "f"}
    assert set(ids(search(backend, "official:newsom"))) == {"d", "f"}
    assert set(ids(search(backend, 'region:"South Jeolla Province" mokpo'))) == {"a", "f"}
    assert set(ids(search(backend, "year:2022"))) == {"b", "c"}
    assert set(ids(search(backend, "source:governor"))) == {"d", "f"}
    assert set(ids(search(backend, "-farms"))) == {"b", "c", "f"}


@pytest.mark.parametrize(
    "text",
    ['"farms', "farms (((", "farms)", "farms^^^", "~farms", "\x00farms", "farms AND", "OR farms",
     "farms NOT", "farms:", "farms AND OR"],
)  # fmt: skip
def test_malformed_queries_still_find_their_words(backend, text):
    assert set(ids(search(backend, text))) == {"a", "d", "e", "x"}


@pytest.mark.parametrize("text", ["AND OR NOT", "title:", "*", "a:b:c", "[2020 TO", "x" * 5000])
def test_queries_without_words_never_fail(backend, text):
    assert search(backend, text).total >= 0


def test_parser_failure_falls_back_to_plain_words():
    schema = make_schema()
    parsed = parse("farms (governor", schema)
    assert parsed.query is not None
    words = parse("farms governor", schema)
    assert {t for t in parsed.stems()} == {t for t in words.stems()}


def test_facets_or_within_and_across_and_own_filter_excluded(backend):
    r = search(backend, "", regions=("Shanghai", "California"))
    assert set(ids(r)) == {"c", "d", "e", "f"}  # OR within the region facet
    regions = {v.value: (v.count, v.selected) for v in r.facets["region"]}
    # The region facet ignores its own selection: counts are those of the unfiltered set.
    assert regions["South Jeolla Province"] == (3, False)
    assert regions["Shanghai"] == (2, True)
    assert regions["California"] == (3, True)
    years = {v.value: v.count for v in r.facets["year"]}
    assert years == {2020: 1, 2021: 1, 2022: 1}  # other facets apply the region filter

    r = search(backend, "", regions=("Shanghai", "California"), years=(2022,))
    assert ids(r) == ["c"]  # AND across facets
    regions = {v.value: v.count for v in r.facets["region"]}
    assert regions == {"South Jeolla Province": 1, "Shanghai": 1, "California": 0}
    assert [v.value for v in r.facets["year"]] == [2020, 2021, 2022]  # year order


def test_selected_value_stays_listed_with_zero(backend):
    r = search(backend, "wind", regions=("California",))
    assert r.total == 0
    california = [v for v in r.facets["region"] if v.value == "California"]
    assert california and california[0].count == 0 and california[0].selected
    r = search(backend, "", officials=("Nobody Known",))
    assert any(v.value == "Nobody Known" and v.count == 0 for v in r.facets["official"])


def test_facet_limit_keeps_selected(backend):
    r = search(backend, "", facet_limit=1, regions=("Shanghai",))
    values = [v.value for v in r.facets["region"]]
    assert "Shanghai" in values and len(values) == 2


def test_empty_query_lists_everything_newest_first_undated_last(backend):
    r = search(backend, "", per_page=100)
    assert r.total == len(ARTICLES)
    assert ids(r) == ["b", "c", "d", "a", "f", "x", "e"]
    assert ids(search(backend, "", sort="oldest", per_page=100)) == [
        "x",
        "f",
        "a",
        "d",
        "c",
        "b",
        "e",
    ]


def test_paging_and_date_range(backend):
    pages = [ids(search(backend, "", per_page=3, page=p)) for p in (1, 2, 3)]
    assert [i for page in pages for i in page] == ids(search(backend, "", per_page=100))
    assert ids(search(backend, "", page=9)) == []
    r = search(backend, "", date_from="2021-01-01", date_to="2021-12-31")
    assert set(ids(r)) == {"a", "d"}


def test_relevance_ranks_title_matches_first(backend):
    assert ids(search(backend, "shanghai"))[0] == "c"


def test_snippet_marks_matches_and_escapes_everything_else(backend):
    r = search(backend, "farms")
    hit = next(h for h in r.hits if h.id == "x")
    assert "<script" not in hit.snippet and "<img" not in hit.snippet and "<b>" not in hit.snippet
    assert "&lt;b&gt;" in hit.snippet and "&quot;&gt;&lt;img" in hit.snippet
    assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0
    assert "<mark>Farms</mark>" in hit.snippet
    assert hit.title == "<script>alert(1)</script> farms"  # raw text: escaping is the UI's job


def test_snippet_picks_the_passage_with_the_terms():
    text = "filler " * 100 + "the wind complex opened " + "filler " * 100
    out = snippet(text, {"wind", "complex"}, size=80)
    assert "<mark>wind</mark> <mark>complex</mark>" in out
    assert out.startswith("…") and out.endswith("…")


def test_suggestion_for_misspelt_words(backend):
    # ("Shangai" is how Spanish and Italian write Shanghai: a place name, found as such.)
    r = search(backend, "Shanghia")
    assert r.total == 0 and r.suggestion == "Shanghai"
    assert search(backend, "shanghai").suggestion is None
    assert search(backend, "farms mokpoo").suggestion == "farms mokpo"
    assert apply_suggestion("Go SHANGAI", {"shangai": "shanghai"}) == "Go SHANGHAI"


def test_document_lookup_more_like_this_and_stats(backend):
    assert backend.document("c")["title"] == "Shanghai port expansion"
    assert backend.document("missing") is None
    similar = [h.id for h in backend.more_like_this("a")]
    assert "a" not in similar and "f" in similar[:2] and len(similar) <= 5
    stats = backend.stats()
    assert stats["documents"] == len(ARTICLES) and stats["generation"].startswith("gen-")


def test_facet_object_counts_multi_valued():
    import numpy as np

    facet = Facet("region", ["x", "y"], np.array([0, 0, 1, 2]), np.array([0, 1, 1, 0]))
    mask = np.array([True, True, False])
    assert facet.counts(mask).tolist() == [1, 2]
    assert facet.mask(["y"], 3).tolist() == [True, True, False]
    values = facet.values(mask, selected=["z"])
    assert [(v.value, v.count, v.selected) for v in values] == [
        ("y", 2, False), ("x", 1, False), ("z", 0, True)
    ]  # fmt: skip


def test_region_aliases_select_the_same_documents(backend):
    regions = pytest.importorskip("search.extract.regions")
    if regions.resolve_region("KR-46") is None:
        pytest.skip("region table without KR-46")
    canonical = regions.resolve_region("KR-46")["name"]
    if canonical != "South Jeolla Province":
        pytest.skip(f"canonical name is {canonical!r} in this region table")
    expected = ids(search(backend, "", regions=("South Jeolla Province",)))
    assert expected
    for alias in ("Jeollanam-do", "KR-46", "South Jeolla"):
        assert ids(search(backend, "", regions=(alias,))) == expected


def test_no_index_is_a_clear_error(tmp_path: Path):
    from search.index.backend import IndexMissing

    with pytest.raises(IndexMissing):
        WhooshBackend(tmp_path / "none").search(SearchRequest())


@pytest.mark.parametrize(
    "text", ["farm", '"water bill"', "wind OR port", "farms -water", "shang*", "title:water", ""]
)
def test_ordinary_queries_are_whole_within_the_time_budget(backend, text):
    budgeted = search(backend, text, per_page=100)
    unlimited = search(backend, text, per_page=100, budget_ms=None)
    assert not budgeted.partial and budgeted.to_dict()["partial"] is False
    assert (budgeted.total, ids(budgeted)) == (unlimited.total, ids(unlimited))


def test_leading_wildcard_is_refused_not_searched(backend):
    with pytest.raises(QueryNotSupported, match="wildcard"):
        search(backend, "*farms")
