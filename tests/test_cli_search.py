"""``pressearch reindex`` and ``pressearch search`` end to end, through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main


@pytest.fixture
def cli_index(make_corpus, tmp_path, monkeypatch):
    corpus = make_corpus()
    index = tmp_path / "index"
    monkeypatch.setenv("PRESSEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("PRESSEARCH_INDEX", str(index))
    result = CliRunner().invoke(main, ["reindex", "--json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def run_search(*args: str) -> dict:
    result = CliRunner().invoke(main, ["search", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_reindex_json_summary_keys(cli_index):
    assert {"added", "updated", "removed", "unchanged", "rejected", "documents", "seconds"} <= set(
        cli_index
    )
    # Counts are documents (the one JSON Lines file holds 6 releases); files are named so.
    assert cli_index["added"] == 6 and cli_index["documents"] == 6
    assert (cli_index["files"], cli_index["files_new"]) == (1, 1)
    again = json.loads(CliRunner().invoke(main, ["reindex", "--json"]).output)
    assert (again["unchanged"], again["added"], again["files_new"]) == (6, 0, 0)


def test_reindex_plain_output_ends_with_summary(cli_index):
    result = CliRunner().invoke(main, ["reindex"])
    assert result.exit_code == 0
    assert "documents: 0 added, 0 updated, 0 removed, 6 unchanged; files: 1, 0 rejected" in (
        result.output
    )
    assert "6 documents in the index" in result.output


def test_search_json_schema(cli_index):
    out = run_search("water")
    assert set(out) == {"query", "total", "page", "per_page", "took_ms", "hits", "facets",
                        "suggestion", "partial"}  # fmt: skip
    assert out["partial"] is False
    assert out["query"] == "water" and out["total"] == 2 and out["page"] == 1
    hit = out["hits"][0]
    assert set(hit) == {"id", "title", "date", "url", "source", "regions", "officials", "snippet",
                        "copies"}  # fmt: skip
    assert hit["copies"] == []  # no copies of it in this corpus
    assert "<mark>" in hit["snippet"]
    assert set(out["facets"]) == {"region", "year", "official", "source", "language"}
    for values in out["facets"].values():
        for v in values:
            assert set(v) == {"value", "count", "selected"}


def test_search_options(cli_index):
    assert [h["id"] for h in run_search("", "--sort", "oldest", "--per-page", "2")["hits"]] == [
        "us-1", "kr-1"
    ]  # fmt: skip
    page2 = run_search("", "--per-page", "2", "--page", "2")
    assert page2["page"] == 2 and len(page2["hits"]) == 2
    assert run_search("", "--year", "2021", "--year", "2022")["total"] == 4
    assert run_search("", "--from", "2021-06-01", "--to", "2022-05-31")["total"] == 2
    assert run_search("", "--source", "Orange County District Attorney")["total"] == 1
    assert run_search("Shangai")["suggestion"] == "Shanghai"


def test_search_South_Jeolla_and_its_aliases(cli_index):
    found = run_search("South Jeolla")
    assert {"kr-1", "kr-2"} <= {h["id"] for h in found["hits"]}
    regions = pytest.importorskip("search.extract.regions")
    place = regions.resolve_region("South Jeolla Province")
    if place is None:
        pytest.skip("the region table does not know South Jeolla Province")
    canonical = place["name"]
    expected = run_search("", "--region", canonical)
    assert {h["id"] for h in expected["hits"]} >= {"kr-1", "kr-2"}
    for alias in ("Jeollanam-do", "KR-46", "South Jeolla"):
        same = run_search("", "--region", alias)
        assert [h["id"] for h in same["hits"]] == [h["id"] for h in expected["hits"]]
        selected = [v for v in same["facets"]["region"] if v["selected"]]
        assert [v["value"] for v in selected] == [canonical]


def test_bad_input_gives_clear_errors(cli_index, tmp_path):
    bad_date = CliRunner().invoke(main, ["search", "x", "--from", "2021-13-45"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    missing = CliRunner().invoke(main, ["search", "x", "--index", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "pressearch reindex" in missing.output
    no_corpus = CliRunner().invoke(main, ["reindex", "--corpus", str(tmp_path / "none")])
    assert no_corpus.exit_code == 1 and "does not exist" in no_corpus.output


def test_plain_text_search_output(cli_index):
    result = CliRunner().invoke(main, ["search", "governor", "--per-page", "3"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("3 results")


def test_a_query_naming_a_place_finds_releases_tagged_with_it(cli_index):
    pytest.importorskip("search.extract.regions")
    text_only = run_search('"Jeollanam-do" AND NOT province')  # syntax: no place lookup
    assert {h["id"] for h in text_only["hits"]} == {"kr-2"}
    by_place = run_search("Jeollanam-do")
    assert {"kr-1", "kr-2"} <= {h["id"] for h in by_place["hits"]}


def test_reindex_exits_1_only_to_say_something_was_rejected(make_corpus, tmp_path):
    """A rejected file or record: the summary, then exit status 1; nothing rejected: 0."""
    corpus = make_corpus({"a.jsonl": [{"id": "a", "title": "T", "body": "Harbour news."}]})
    args = ["reindex", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--jobs", "1"]
    clean = CliRunner().invoke(main, args)
    assert clean.exit_code == 0, clean.output
    (corpus / "b.jsonl").write_text('{"id": "b", "title": "T", "body": "x"}\nnot json\n')
    rejected = CliRunner().invoke(main, [*args, "--json"])
    assert rejected.exit_code == 1, rejected.output
    assert not isinstance(rejected.exception, Exception)  # SystemExit(1), not a crash
    summary = json.loads(rejected.output.splitlines()[-1])
    assert summary["added"] == 1
    assert summary["rejected"] == [
        {"path": "b.jsonl:2", "reason": "invalid JSON (Expecting value at column 1)"}
    ]
    text = CliRunner().invoke(main, args)  # nothing changed, the rejection still stands
    assert text.exit_code == 1
    assert "rejected: b.jsonl:2: invalid JSON" in text.output and "Traceback" not in text.output
