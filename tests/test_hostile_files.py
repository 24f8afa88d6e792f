"""Hostile files and records through ``reindex`` (issue 14, cases 1-12, and a seeded fuzz run).

Nothing raises out of the reindex, every file is indexed or reported with path (and line) and
reason, and every stored string is safe text.
"""

from __future__ import annotations

import builtins
import errno
import gzip
import io
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search.backends import reindex
from search.backends.whoosh.backend import WhooshBackend, iter_docs
from search.backends.whoosh.fastwriter import FastSegmentWriter
from search.cli import main
from search.ingest import corpus as corpus_module
from search.ingest.safe import is_safe


def good(i: int, **extra: Any) -> str:
    body = f"The harbour council met on day {i} to discuss the budget for the port."
    return json.dumps({"id": f"g{i}", "title": f"Harbour release {i}", "body": body, **extra})


def run(corpus: Path, tmp_path: Path, **options: Any) -> dict[str, Any]:
    return reindex(corpus, tmp_path / "index", jobs=1, **options)


def rejected(summary: dict[str, Any]) -> dict[str, str]:
    return {r["path"]: r["reason"] for r in summary["rejected"]}


def stored(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in iter_docs(WhooshBackend(tmp_path / "index"))}


def strings(value: Any) -> list[str]:
    """Every string in a stored document, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_1_a_huge_integer_costs_its_line_only(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/a.jsonl").write_text('{"id": "x", "n": ' + "9" * 5000 + "}\n" + good(1))
    summary = run(tmp_path / "c", tmp_path)
    assert "4300 digits" in rejected(summary)["a.jsonl:1"]
    assert set(stored(tmp_path)) == {"g1"}


def test_2_deep_nesting_costs_its_line_only(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/a.jsonl").write_text(good(1) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    summary = run(tmp_path / "c", tmp_path)
    assert rejected(summary) == {"a.jsonl:2": "invalid JSON (nested too deeply)"}
    assert set(stored(tmp_path)) == {"g1"}


def test_3_a_lone_surrogate_in_an_id_is_removed_and_counted(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    record = '{"id": "a\\ud800b", "title": "T\\udfff", "body": "Body \\u0007text."}'
    (tmp_path / "c/a.jsonl").write_text(record + "\n" + good(1))
    summary = run(tmp_path / "c", tmp_path)
    docs = stored(tmp_path)
    assert set(docs) == {"ab", "g1"} and docs["ab"]["title"] == "T"
    assert docs["ab"]["body"] == "Body text."
    assert any("a.jsonl: unsafe characters" in w and "1 release" in w for w in summary["warnings"])


def test_4_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    with open(os.fsencode(tmp_path / "c") + b"/bad\xffname.txt", "wb") as fh:
        fh.write(b"The harbour council met to discuss the budget for the port.")
    summary = run(tmp_path / "c", tmp_path)
    assert set(stored(tmp_path)) == {"bad\\xffname.txt"}
    assert any("not valid text" in w for w in summary["warnings"])
    json.dumps(WhooshBackend(tmp_path / "index").manifest()).encode("utf-8")


def test_5_a_symlink_loop_is_reported(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/ok.txt").write_text("The harbour council met to discuss the budget.")
    os.symlink("loop-b.txt", tmp_path / "c/loop-a.txt")
    os.symlink("loop-a.txt", tmp_path / "c/loop-b.txt")
    summary = run(tmp_path / "c", tmp_path)
    assert rejected(summary) == {
        "loop-a.txt": "symbolic link loop",
        "loop-b.txt": "symbolic link loop",
    }
    assert set(stored(tmp_path)) == {"ok.txt"}


def test_6_full_over_a_folder_without_a_usable_document(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/empty.txt").write_text("")
    (tmp_path / "c/image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    args = ["reindex", "--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(main, [*args, "--full", "--jobs", "1"])
    assert result.exit_code == 1 and not isinstance(result.exception, AttributeError)
    assert "rejected: empty.txt: empty file" in result.output
    assert "no usable document in the corpus: the index is empty" in result.output
    assert WhooshBackend(tmp_path / "index").stats()["documents"] == 0


def test_7_an_invalid_byte_costs_its_own_line_only(tmp_path: Path) -> None:
    lines = [good(i).encode() for i in range(1, 1001)]
    lines[499] = lines[499].replace(b"harbour", b"harb\xffour")
    (tmp_path / "c").mkdir()
    (tmp_path / "c/a.jsonl").write_bytes(b"\n".join(lines))
    summary = run(tmp_path / "c", tmp_path)
    assert list(rejected(summary)) == ["a.jsonl:500"]
    assert "not UTF-8" in summary["rejected"][0]["reason"]
    assert summary["documents"] == 999 and "g500" not in stored(tmp_path)


def test_8_an_unreadable_sub_folder_is_reported(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "c/locked").mkdir(parents=True)
    (tmp_path / "c/locked/a.txt").write_text("The harbour council met about the budget.")
    (tmp_path / "c/b.txt").write_text("The harbour council met about the port.")
    scandir = os.scandir

    def locked(path: Any = ".") -> Any:  # root may read any folder: a refusal simulated
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", locked)
    summary = run(tmp_path / "c", tmp_path)
    assert rejected(summary) == {"locked/": "cannot read folder: Permission denied"}
    assert set(stored(tmp_path)) == {"b.txt"}


def test_9_a_dangling_symlink_under_its_own_path_then_no_duplicate(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/ok.txt").write_text("The harbour council met about the port.")
    os.symlink("later.txt", tmp_path / "c/link.txt")
    first = run(tmp_path / "c", tmp_path)
    assert rejected(first) == {"link.txt": "broken symbolic link (its target does not exist)"}
    (tmp_path / "c/later.txt").write_text("The harbour council met about the budget.")
    second = run(tmp_path / "c", tmp_path)
    assert second["rejected"] == []  # the link is the target's other name: read once
    assert set(stored(tmp_path)) == {"ok.txt", "later.txt"}


def test_10_a_file_that_becomes_readable_is_picked_up(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "c").mkdir()
    target = tmp_path / "c/a.txt"
    target.write_text("The harbour council met about the budget.")
    real_open = builtins.open

    def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:  # as root, chmod 000 is no bar
        if str(file) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", refuse)
        patch.setattr(io, "open", refuse)
        first = run(tmp_path / "c", tmp_path)
    assert rejected(first) == {"a.txt": "cannot read: Permission denied"}
    second = run(tmp_path / "c", tmp_path)  # same size, same mtime: readable now
    assert second["rejected"] == [] and set(stored(tmp_path)) == {"a.txt"}


def test_11_a_gzip_bomb_of_bad_lines_is_cut_short(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    bomb = b"this line is not JSON\n" * 300_000  # 6.6 MB, 300,000 bad lines
    (tmp_path / "c/bomb.jsonl.gz").write_bytes(gzip.compress(bomb))
    (tmp_path / "c/ok.jsonl").write_text(good(1))
    summary = run(tmp_path / "c", tmp_path)
    reasons = [r for r in summary["rejected"] if r["path"].startswith("bomb")]
    limit = corpus_module.MAX_REJECTIONS
    assert len(reasons) == limit + 1
    assert reasons[-1]["path"] == "bomb.jsonl.gz"
    assert reasons[-1]["reason"].startswith(f"more than {limit} records rejected")
    assert set(stored(tmp_path)) == {"g1"}
    gen = WhooshBackend(tmp_path / "index").snapshot().path
    assert (gen / "manifest.json").stat().st_size < 200_000


def test_11_decompressed_size_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(corpus_module, "MAX_JSONL_BYTES", 10_000)
    (tmp_path / "c").mkdir()
    lines = "\n".join(good(i) for i in range(1, 201)) + "\n"
    (tmp_path / "c/big.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    summary = run(tmp_path / "c", tmp_path)
    [(path, reason)] = rejected(summary).items()
    assert path.startswith("big.jsonl.gz:") and "not read further" in reason
    kept = int(path.rsplit(":", 1)[1]) - 1  # the lines before the limit are indexed
    assert 0 < kept < 200 and summary["documents"] == kept


def test_11_a_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    data = gzip.compress(("\n".join(good(i) for i in range(1, 3001)) + "\n").encode())
    (tmp_path / "c/cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    summary = run(tmp_path / "c", tmp_path)
    [(path, reason)] = rejected(summary).items()
    assert path.startswith("cut.jsonl.gz:") and "not a readable gzip file" in reason
    assert 0 < summary["documents"] < 3000


def test_12_a_full_disk_ends_with_one_line_and_the_old_index_serving(
    tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c/a.jsonl").write_text(good(1))
    run(tmp_path / "c", tmp_path)
    generation = WhooshBackend(tmp_path / "index").snapshot().path.name

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    cancel = FastSegmentWriter.cancel

    def cancel_fails_too(self: Any) -> None:  # the clean-up of a full disk may fail again
        cancel(self)
        full_disk()

    monkeypatch.setattr(FastSegmentWriter, "commit", full_disk)
    monkeypatch.setattr(FastSegmentWriter, "cancel", cancel_fails_too)
    args = ["reindex", "--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(main, [*args, "--full", "--jobs", "1"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("indexing:")]
    assert lines == ["Error: reindex failed: No space left on device; the index was not changed"]
    backend = WhooshBackend(tmp_path / "index")
    assert backend.snapshot().path.name == generation and set(stored(tmp_path)) == {"g1"}


# --- the fuzz run ------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "\ud800",
    "a\udfffb",
    "\x00\x01\x07\x1b[31m\x7f\x85\x9f",
    "]]>",
    "\u202eevil\u202c",
    "../../etc/passwd",
    "?#%&=+",
    "javascript:alert(1)",
    "\ufffe\uffff\ufdd0\U0010ffff",
    "<img src=x onerror=alert(1)>",
    "𝕳𝖆𝖗𝖇𝖔𝖚𝖗 \u0301 ẞ",
]


def hostile_record(rng: random.Random, i: int) -> dict[str, Any]:
    def pick() -> str:
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 3)))

    record: dict[str, Any] = {
        "id": f"{pick()}-{i}",
        "title": f"{pick()} harbour {i}",
        "body": f"{pick()} The harbour council met on day {i}. {pick()}\n\n{pick()}",
        "date": rng.choice(["2021-03-04", pick(), None]),
        "url": rng.choice([f"javascript:alert({i})", f"https://x.test/{pick()}", None]),
        "agency": pick(),
        "editor": pick(),
        pick(): [pick(), {pick(): pick()}],
        "number": rng.choice([10**300, -(10**200), 1.5e308, 0]),
    }
    return record


def hostile_files(rng: random.Random, root: Path) -> list[bytes]:
    """Hostile files under ``root``; returns the expected file names (bytes, as on disk)."""
    records = [json.dumps(hostile_record(rng, i)) for i in range(60)]
    lines = [r.encode() for r in records]
    for n in rng.sample(range(1, 60), 8):  # invalid bytes, truncated lines, hostile non-JSON
        lines[n] = rng.choice([b"\xff\xfe" + lines[n], lines[n][:-7], b"]]><script>", b"\x00"])
    files = {
        b"records.jsonl": b"\n".join(lines),
        b"records.jsonl.gz": gzip.compress(b"\n".join(lines)),
        b"bad.jsonl.gz": b"\x1f\x8b\x08\x00 not really gzip",
        b"empty.jsonl": b"",
        b"blank.txt": b"\n \n",
        b"binary.txt": bytes(rng.randrange(256) for _ in range(2000)),
        b"page.html": (
            "<html><head><title>"
            + "".join(HOSTILE[:6])
            + "</title></head><body>"
            + "<p>The harbour council met. " * 20
            + "</p></body></html>"
        ).encode("utf-8", "surrogatepass"),
        b"ctl\x1b[31m.txt": b"The harbour council met \x00\x01 to discuss \x1b[2J the port.",
        b"bad\xffname.txt": b"The harbour council met in a file with a bad name.",
        b"huge.jsonl": b'{"n": ' + b"9" * 5000 + b"}\n" + b"[" * 100_000,
    }
    for name, data in files.items():
        with open(os.fsencode(root) + b"/" + name, "wb") as fh:
            fh.write(data)
    return list(files)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzz_hostile_files_and_records(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    (tmp_path / "c").mkdir()
    names = hostile_files(rng, tmp_path / "c")
    summary = run(tmp_path / "c", tmp_path)  # nothing raises
    files = WhooshBackend(tmp_path / "index").manifest()["files"]
    assert len(files) == len(names) == summary["files"]
    for rel, entry in files.items():  # every file indexed or reported
        assert entry["ids"] or entry["rejected"], rel
    for rel in ("records.jsonl", "records.jsonl.gz"):  # every record indexed or reported
        assert len(files[rel]["ids"]) + len(files[rel]["rejected"]) == 60
    docs = list(iter_docs(WhooshBackend(tmp_path / "index")))
    assert len(docs) == summary["documents"] == sum(len(e["ids"]) for e in files.values()) > 50
    for doc in docs:  # stored text clean
        assert all(is_safe(s) for s in strings(doc)), doc["id"]
    assert all(is_safe(s) for s in strings(summary))
    assert any("records.jsonl: unsafe characters" in w and "id" in w for w in summary["warnings"])
    json.dumps(summary, ensure_ascii=False).encode("utf-8")
