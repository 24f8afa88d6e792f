"""Reading a corpus: every format, gzip, and bad files reported without stopping the rest."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.ingest.article import Article, Rejection
from search.ingest.corpus import MAX_RECORD_BYTES, load_file, load_paths, load_records

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_7b7a4a5d8c4df0e0.txt"

BODY = (
    "The city council of Naju approved a budget for new bicycle lanes on Tuesday, and the "
    "mayor said the first routes would open before the autumn festival."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def write_bad_corpus(root: Path) -> None:
    """A corpus with one of each bad kind of file next to good ones."""
    (root / "sub").mkdir(parents=True)
    (root / "image.html").write_bytes(PNG)
    (root / "empty.txt").write_bytes(b"")
    (root / "zero.txt.gz").write_bytes(b"")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not ours")
    good = json.dumps({"id": "ok-1", "title": "Bicycle lanes for Naju", "body": BODY})
    truncated = '{"id": "bad-1", "title": "Cut off", "body": "The council of'
    (root / "records.jsonl").write_text(f"{good}\n{truncated}\n", encoding="utf-8")
    latin = "Café opens in Málaga\n\nLa alcaldesa inauguró el café en Málaga, señaló el año."
    (root / "sub" / "latin.txt").write_bytes(latin.encode("latin-1"))
    (root / "sub" / "page.html.gz").write_bytes(
        gzip.compress(f"<html><body><h1>Naju</h1><p>{BODY}</p></body></html>".encode(), mtime=0)
    )


def test_bad_files_are_reported_and_good_files_extracted(tmp_path: Path) -> None:
    write_bad_corpus(tmp_path)
    items = list(load_paths([tmp_path]))
    rejected = {r.path: r.reason for r in items if isinstance(r, Rejection)}
    articles = {a.id: a for a in items if isinstance(a, Article)}
    assert rejected == {
        "empty.txt": "empty file",
        "image.html": "binary content, not text",
        "notes.pdf": "unsupported file type '.pdf'",
        "records.jsonl:2": rejected["records.jsonl:2"],
        "zero.txt.gz": "empty file",
    }
    assert rejected["records.jsonl:2"].startswith("invalid JSON")
    assert set(articles) == {"ok-1", "sub/latin.txt", "sub/page.html.gz"}
    latin = articles["sub/latin.txt"]
    assert latin.title == "Café opens in Málaga"
    assert "inauguró el café en Málaga, señaló" in latin.body
    assert "bicycle lanes" in articles["sub/page.html.gz"].body


def test_broken_gzip_and_oversized_record(tmp_path: Path) -> None:
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(b"Title\n\nSome text here.")[:12])
    big = json.dumps({"title": "Huge", "body": "x" * (MAX_RECORD_BYTES + 10)})
    (tmp_path / "big.jsonl").write_text(big + "\n", encoding="utf-8")
    broken = load_file(tmp_path / "broken.txt.gz", tmp_path)
    assert isinstance(broken[0], Rejection)
    assert broken[0].reason.startswith("not a readable gzip file")
    (huge,) = load_file(tmp_path / "big.jsonl", tmp_path)
    assert huge == Rejection("big.jsonl:1", f"record larger than {MAX_RECORD_BYTES} bytes")


def test_jsonl_records_keep_their_ids_and_unicode_line_separators(tmp_path: Path) -> None:
    body = f"First line\u2028still the same record. {BODY}"
    lines = [
        json.dumps({"id": "a", "title": "A", "body": body}, ensure_ascii=False),
        json.dumps({"title": "No id", "body": BODY}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "title": "No body"}),
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = load_file(tmp_path / "r.jsonl", tmp_path)
    assert [getattr(i, "id", None) for i in items[:2]] == ["a", "r.jsonl:2"]
    assert items[2] == Rejection("r.jsonl:3", "record is not a JSON object")
    assert items[3] == Rejection("r.jsonl:4", "record lacks a string 'title' and 'body'")


def test_cli_extract_reports_rejections_on_stderr(tmp_path: Path) -> None:
    write_bad_corpus(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--json"])
    assert result.exit_code == 1
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert ids == {"ok-1", "sub/latin.txt", "sub/page.html.gz"}
    assert "rejected: image.html: binary content, not text" in result.stderr
    assert "rejected: records.jsonl:2: invalid JSON" in result.stderr


def test_cli_extract_plain_text_output(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Bicycle lanes for Naju\n\n{BODY}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt")])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Bicycle lanes for Naju\nid: a.txt\n")
    assert BODY in result.stdout


@pytest.mark.skipif(not SEED.is_file(), reason="../shared is not present")
def test_cli_extract_seed_json() -> None:
    result = CliRunner().invoke(main, ["extract", str(SEED), "--json"])
    assert result.exit_code == 0, result.stderr
    (article,) = [json.loads(line) for line in result.stdout.splitlines()]
    expected_keys = {"id", "path", "title", "date", "date_source", "body", "lead", "captions"}
    expected_keys |= {"source", "editor", "url", "language", "officials", "regions", "years"}
    assert expected_keys <= set(article)
    assert article["source"] == "SHINE" and article["editor"] == "Xu Fang"
    assert article["captions"][0].startswith("Shanghai Mayor Gong Zheng shakes hands")
    assert article["body"].count("met with Kim Yung-rok") == 1
    assert "Source:" not in article["body"]


def test_load_records_keeps_the_file_line_numbers_of_a_chunk() -> None:
    chunk = "\n".join([json.dumps({"title": "T", "body": BODY}), "{broken"])
    items = list(load_records(chunk, "big.jsonl", first_line=501))
    assert items[0].id == "big.jsonl:501"
    assert isinstance(items[1], Rejection) and items[1].path == "big.jsonl:502"
