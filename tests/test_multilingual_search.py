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
