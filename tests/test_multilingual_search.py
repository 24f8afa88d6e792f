"""Search in Chinese, Japanese, Korean, Spanish, French and German (issue 12, search side).

The labelled queries of ``../shared/labels/multilingual_queries.jsonl`` against the 24 releases
of ``../shared/corpus/intl/multilingual.jsonl``, indexed as the JSON Lines file and as plain
``.txt`` files (their language then detected); and short texts of our own in each language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from search.backends import reindex
from search.backends.whoosh.backend import WhooshBackend
from search.index.backend import SearchRequest

SHARED = Path(__file__).resolve().parents[2] / "shared"
RELEASES = SHARED / "corpus" / "intl" / "multilingual.jsonl"
QUERIES = SHARED / "labels" / "multilingual_queries.jsonl"


def _records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _found(backend: WhooshBackend, query: str, key: str = "id") -> set[str]:
    result = backend.search(SearchRequest(query=query, per_page=100, budget_ms=None))
    return {getattr(hit, key) for hit in result.hits}


def _misses(backend: WhooshBackend, by_file: bool = False) -> list[str]:
    """The labelled queries that miss a release they must find, with what they found
    (releases named by their id, or ``by_file``, by the name of their ``.txt`` file)."""
    misses = []
    for q in _records(QUERIES):
        found = _found(backend, q["query"])
        if by_file:
            found = {Path(backend.document(i)["path"]).stem for i in found}
        if not set(q["must_find"]) <= found:
            misses.append(f"{q['language']} {q['query']!r}: {sorted(found)} not {q['must_find']}")
    return misses


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, Any]]:
    if not RELEASES.is_file() or not QUERIES.is_file():
        pytest.skip("../shared multilingual releases are not available")
    return _records(RELEASES)


@pytest.mark.shared
def test_labelled_queries_find_their_releases_as_jsonl(labelled, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "multilingual.jsonl").write_text(RELEASES.read_text("utf-8"), "utf-8")
    reindex(corpus, tmp_path / "index", jobs=1)
    backend = WhooshBackend(tmp_path / "index")
    assert _misses(backend) == []


@pytest.mark.shared
def test_labelled_queries_find_their_releases_as_text_files(labelled, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for record in labelled:  # plain text: no language field, the language is detected
        text = f"{record['title']}\n\n{record['body']}\n"
        (corpus / f"{record['id']}.txt").write_text(text, "utf-8")
    reindex(corpus, tmp_path / "index", jobs=1)
    backend = WhooshBackend(tmp_path / "index")
    every = backend.search(SearchRequest(per_page=100)).hits
    languages = {backend.document(h.id)["language"] for h in every}
    assert languages == {"zh", "ja", "ko", "es", "fr", "de"}
    assert _misses(backend, by_file=True) == []


# --- short texts of our own, one or two per language ---------------------------------------------

OWN = [
    {"id": "zh1", "language": "zh", "date": "2024-09-12", "source": "上海市人民政府",
     "title": "上海市与全罗南道签署合作备忘录",
     "body": "上海市市长会见全罗南道知事一行。"
             "双方表示将深化友城合作，推动港口物流和绿色航运发展。"},
    {"id": "zh2", "language": "zh", "date": "2024-10-01", "source": "武汉市外办",
     "title": "武汉市代表团访问大分市",
     "body": "代表团出席友好城市缔结四十周年开幕式，并与大分市就港口物流合作进行了交流。"},
    {"id": "ja1", "language": "ja", "date": "2024-05-20", "source": "神奈川県",
     "title": "神奈川県と京畿道の知事が会談しました",
     "body": "両県道は長年にわたり友好関係を築いてきました。知事は交流の再開を表明しました。"},
    {"id": "ko1", "language": "ko", "date": "2024-10-08", "source": "전라남도",
     "title": "전라남도, 상하이시와 해상풍력 협력",
     "body": "김영록 전남지사는 8일 상하이시 대표단을 맞아 협력 방안을 논의했다. "
             "대표단은 나주시를 방문했습니다."},
    {"id": "es1", "language": "es", "date": "2023-10-03", "source": "Ayuntamiento de Madrid",
     "title": "El alcalde inauguró el nuevo centro de movilidad",
     "body": "El alcalde de Madrid inauguró ayer el centro, "
             "al que asistieron representantes de Seúl."},
    {"id": "fr1", "language": "fr", "date": "2023-09-21", "source": "Ville de Lyon",
     "title": "Lyon et Yokohama ont organisé une semaine culturelle",
     "body": "Les deux villes ont organisé des rencontres "
             "et évoqué les coopérations frontalières."},
    {"id": "de1", "language": "de", "date": "2023-09-21", "source": "Staatskanzlei NRW",
     "title": "Ministerpräsident empfängt Botschafter",
     "body": "Der Ministerpräsident empfing die Botschafter "
             "mehrerer Staaten und die Jugendgruppen."},
    {"id": "en1", "date": "2023-09-22", "source": "City of Houston",
     "title": "Mayor welcomes the ambassadors of partner cities",
     "body": "The mayor of Houston welcomed the ambassadors and organised a youth exchange."},
]  # fmt: skip


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    root = tmp_path_factory.mktemp("own")
    corpus = root / "corpus"
    corpus.mkdir()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in OWN)
    (corpus / "own.jsonl").write_text(text, "utf-8")
    reindex(corpus, root / "index", jobs=1)
    return WhooshBackend(root / "index")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inaugurar", {"es1"}),  # another form of "inauguró"
        ("asistir", {"es1"}),
        ("organiser", {"fr1", "en1"}),  # en1 through its Porter stem "organis", as before
        ("évoquer frontalier", {"fr1"}),
        ("Botschaftern", {"de1"}),
        ("Jugendgruppe", {"de1"}),
        ("友城", {"zh1"}),  # a word inside an unspaced sentence
        ("港口物流", {"zh1", "zh2"}),
        ("开幕式", {"zh2"}),
        ("築く", {"ja1"}),  # the dictionary form of 築いてきました
        ("表明する", {"ja1"}),
        ("京畿道", {"ja1"}),
        ("논의하다", {"ko1"}),  # 논의했다
        ("방문하다", {"ko1"}),  # 방문했습니다
        ("상하이시", {"ko1"}),
        ('"上海市 市长"', {"zh1"}),  # a phrase of two words
        ("ambassador", {"en1"}),  # English as before: Porter stems only
    ],
)
def test_query_forms_find_releases_in_their_language(own, query, expected):
    assert _found(own, query) == expected


def test_english_releases_keep_their_english_terms_only(own):
    from whoosh.index import open_dir

    from search.index.languages import NATIVE_FIELD

    generation = own.root / own.stats()["generation"]
    with open_dir(str(generation)).searcher() as searcher:
        english = searcher.document_number(id="en1")
        spanish = searcher.document_number(id="es1")
        assert not searcher.reader().doc_field_length(english, NATIVE_FIELD)
        assert searcher.reader().doc_field_length(spanish, NATIVE_FIELD) > 0
    assert _found(own, "welcomes") == {"en1"}


def test_snippets_mark_words_inside_unspaced_text(own):
    [hit] = own.search(SearchRequest(query="友城")).hits
    assert "<mark>友城</mark>" in hit.snippet
    [hit] = own.search(SearchRequest(query="築く")).hits
    assert "<mark>築い</mark>" in hit.snippet
    [hit] = own.search(SearchRequest(query="inaugurar")).hits
    assert "<mark>inauguró</mark>" in hit.snippet


def test_did_you_mean_in_other_languages(own):
    assert own.search(SearchRequest(query="inaugurar")).suggestion is None  # it found es1
    assert own.search(SearchRequest(query="Botschafterx")).suggestion == "Botschafter"


def test_more_like_this_in_chinese(own):
    assert [h.id for h in own.more_like_this("zh1")][:1] == ["zh2"]


def test_language_facet_counts_and_filter(own):
    result = own.search(SearchRequest())
    counts = {v.value: v.count for v in result.facets["language"]}
    assert counts == {"zh": 2, "ja": 1, "ko": 1, "es": 1, "fr": 1, "de": 1, "en": 1}
    chosen = own.search(SearchRequest(languages=("zh",), per_page=20))
    assert {h.id for h in chosen.hits} == {"zh1", "zh2"}
    assert _found(own, "language:de") == {"de1"}


def test_language_in_the_cli_the_api_and_the_web_page(own):
    from click.testing import CliRunner

    from search.cli import main
    from web import create_app

    index = own.root
    out = CliRunner().invoke(
        main, ["search", "", "--language", "ko", "--json", "--index", str(index)]
    )
    assert out.exit_code == 0, out.output
    assert [h["id"] for h in json.loads(out.output)["hits"]] == ["ko1"]
    plain = CliRunner().invoke(main, ["search", "", "--index", str(index)])
    assert "中文 / Chinese (2)" in plain.output
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    api = client.get("/api/search?language=es").get_json()
    assert [h["id"] for h in api["hits"]] == ["es1"]
    page = client.get("/search?q=&language=ja").get_data(as_text=True)
    assert "日本語 / Japanese" in page and "language=ja" in page
    assert client.get("/search?language=%00").status_code < 500
    assert "Español / Spanish" in client.get("/doc/es1").get_data(as_text=True)
