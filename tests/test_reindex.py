"""Incremental and full reindex, the manifest, rejections, the lock, kills and live readers."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RECORDS, write_jsonl

from search.backends import reindex
from search.backends.whoosh.backend import WhooshBackend, iter_docs
from search.backends.whoosh.generations import POINTER, generations, read_pointer
from search.index.backend import SearchRequest
from search.index.reindex import ReindexBusy, reindex_lock


def synthetic(n: int, prefix: str, seed: int = 0) -> list[dict]:
    """``n`` small distinct releases (ids ``prefix-0``...)."""
    rng = random.Random(seed)
    words = "harbour council budget rice wind solar court housing school grant".split()
    return [
        {
            "id": f"{prefix}-{i}",
            "title": f"{prefix} release {i} about {rng.choice(words)}",
            "date": f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "body": " ".join(rng.choice(words) for _ in range(60)) + f". Item {prefix} {i}.",
            "agency": "Test Office",
        }
        for i in range(n)
    ]


def ids_in(index: Path) -> set[str]:
    return {d["id"] for d in iter_docs(WhooshBackend(index))}


def counts(summary: dict) -> tuple[int, int, int, int]:
    """The summary's document counts, checked against the index's total."""
    # Every document in the index went in this run (added, updated) or stayed (unchanged).
    assert summary["documents"] == summary["added"] + summary["updated"] + summary["unchanged"]
    return summary["added"], summary["updated"], summary["removed"], summary["unchanged"]


def file_counts(summary: dict) -> tuple[int, int, int, int]:
    return (summary["files"], summary["files_new"], summary["files_changed"],
            summary["files_removed"])  # fmt: skip


def test_full_then_incremental_add_update_delete(make_corpus, tmp_path):
    corpus = make_corpus({"a.jsonl": RECORDS[:3], "b.jsonl": RECORDS[3:], "c.txt": "x" * 10})
    index = tmp_path / "index"
    first = reindex(corpus, index, jobs=1)
    assert counts(first) == (len(RECORDS) + 1, 0, 0, 0)
    assert file_counts(first) == (3, 3, 0, 0)
    assert ids_in(index) == {r["id"] for r in RECORDS} | {"c.txt"}

    # Nothing changed: nothing re-parsed, no new generation.
    gen = read_pointer(index)
    noop = reindex(corpus, index, jobs=1)
    assert counts(noop) == (0, 0, 0, len(RECORDS) + 1)
    assert file_counts(noop) == (3, 0, 0, 0)
    assert read_pointer(index) == gen and noop["documents"] == first["documents"]

    # Touched but identical content: still unchanged (the hash decides), manifest refreshed.
    os.utime(corpus / "a.jsonl", ns=(1, 1))
    touched = reindex(corpus, index, jobs=1)
    assert counts(touched) == (0, 0, 0, len(RECORDS) + 1) and read_pointer(index) == gen
    manifest = WhooshBackend(index).manifest()
    assert manifest["files"]["a.jsonl"]["mtime_ns"] == 1

    # Update one file (one record changed, one dropped), add one, delete one.
    changed = [dict(RECORDS[0], title="Governor tours new rice mill"), RECORDS[1]]
    write_jsonl(corpus / "a.jsonl", changed)
    write_jsonl(corpus / "new" / "d.jsonl", synthetic(4, "d"))
    (corpus / "b.jsonl").unlink()
    result = reindex(corpus, index, jobs=1)
    # Added d-0..d-3; updated kr-1, kr-2 (a.jsonl is parsed again); removed cn-1 (dropped
    # from a.jsonl) and b.jsonl's us-1..us-3; unchanged c.txt.
    assert counts(result) == (4, 2, 4, 1)
    assert file_counts(result) == (3, 1, 1, 1)
    expected = {"kr-1", "kr-2", "c.txt", "d-0", "d-1", "d-2", "d-3"}
    assert ids_in(index) == expected and result["documents"] == len(expected)
    backend = WhooshBackend(index)
    assert backend.document("kr-1")["title"] == "Governor tours new rice mill"
    assert backend.search(SearchRequest("mill")).total == 1
    assert backend.search(SearchRequest("Anaheim")).total == 0  # b.jsonl is gone
    manifest = backend.manifest()
    assert manifest["files"]["a.jsonl"]["ids"] == ["kr-1", "kr-2"]
    assert set(manifest["files"]) == {"a.jsonl", "c.txt", "new/d.jsonl"}

    # --full rebuilds the same documents from scratch.
    full = reindex(corpus, index, full=True, jobs=2)
    assert full["full"] and counts(full) == (len(expected), 0, 0, 0)
    assert ids_in(index) == expected


def test_every_file_is_indexed_or_rejected(make_corpus, tmp_path):
    good = RECORDS[:2]
    corpus = make_corpus(
        {
            "ok.jsonl": good,
            "mixed.jsonl": '{"id": "m1", "title": "T", "body": "Body text here."}\n{oops\n[1]\n',
            "empty.txt": "",
            "image.png": b"\x89PNG\r\n\x1a\n\x00\x00",
            "dup.jsonl": [RECORDS[0]],
        }
    )
    summary = reindex(corpus, tmp_path / "index", jobs=1)
    rejected = {r["path"]: r["reason"] for r in summary["rejected"]}
    # Files are read in sorted order: dup.jsonl comes first and keeps kr-1.
    assert set(rejected) == {"mixed.jsonl:2", "mixed.jsonl:3", "empty.txt", "image.png",
                             "ok.jsonl"}  # fmt: skip
    assert "duplicate id 'kr-1' (also in dup.jsonl)" in rejected["ok.jsonl"]
    assert "invalid JSON" in rejected["mixed.jsonl:2"]
    assert summary["documents"] == 3
    # A no-op run still reports the corpus's rejections.
    again = reindex(corpus, tmp_path / "index", jobs=1)
    assert again["rejected"] == summary["rejected"]
    # Renaming the twin frees the id: the unchanged file that lost it is read again.
    write_jsonl(corpus / "dup.jsonl", [dict(RECORDS[0], id="kr-1b")])
    fixed = reindex(corpus, tmp_path / "index", jobs=1)
    # dup.jsonl and ok.jsonl are parsed again: kr-1 (now from ok.jsonl) and kr-2 updated,
    # kr-1b added; m1 (mixed.jsonl) unchanged.
    assert counts(fixed) == (1, 2, 0, 1) and fixed["files_changed"] == 2
    assert "ok.jsonl" not in {r["path"] for r in fixed["rejected"]}
    assert fixed["documents"] == 4
    assert ids_in(tmp_path / "index") == {"kr-1", "kr-1b", "kr-2", "m1"}


def test_a_rejected_new_file_adds_no_document(make_corpus, tmp_path):
    corpus, index = make_corpus({"a.jsonl": RECORDS[:2]}), tmp_path / "index"
    reindex(corpus, index, jobs=1)
    (corpus / "d.html").write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 20)
    summary = reindex(corpus, index, jobs=1)
    assert counts(summary) == (0, 0, 0, 2)
    assert file_counts(summary) == (2, 1, 0, 0)
    assert summary["rejected"] == [{"path": "d.html", "reason": "binary content, not text"}]


def test_a_jsonl_file_adds_one_document_per_record(make_corpus, tmp_path):
    corpus, index = make_corpus({"a.jsonl": RECORDS[:2]}), tmp_path / "index"
    reindex(corpus, index, jobs=1)
    write_jsonl(corpus / "big.jsonl", synthetic(450, "big"))  # several worker chunks
    summary = reindex(corpus, index, jobs=2)
    assert counts(summary) == (450, 0, 0, 2) and summary["files_new"] == 1


def test_editing_one_record_updates_every_document_of_its_file(make_corpus, tmp_path):
    records = synthetic(3, "e")
    corpus = make_corpus({"e.jsonl": records, "other.jsonl": RECORDS[:2]})
    index = tmp_path / "index"
    reindex(corpus, index, jobs=1)
    # The manifest hashes files, not records: the whole file is indexed again.
    write_jsonl(corpus / "e.jsonl", [dict(records[0], title="Edited"), *records[1:]])
    edited = reindex(corpus, index, jobs=1)
    assert counts(edited) == (0, 3, 0, 2)
    assert file_counts(edited) == (2, 0, 1, 0)
    assert WhooshBackend(index).document("e-0")["title"] == "Edited"
    # One record more and one fewer in the same file.
    write_jsonl(corpus / "e.jsonl", [*records[1:], *synthetic(1, "f")])
    assert counts(reindex(corpus, index, jobs=1)) == (1, 2, 1, 2)


def test_deleting_or_renaming_a_file_counts_its_documents(make_corpus, tmp_path):
    corpus = make_corpus({"a.jsonl": synthetic(5, "a"), "b.jsonl": RECORDS[:2], "c.txt": "x" * 10})
    index = tmp_path / "index"
    reindex(corpus, index, jobs=1)
    (corpus / "a.jsonl").unlink()
    deleted = reindex(corpus, index, jobs=1)
    assert counts(deleted) == (0, 0, 5, 3) and deleted["documents"] == 3
    assert file_counts(deleted) == (2, 0, 0, 1)
    # A renamed file's documents stay in the index: updated, not removed and added.
    (corpus / "b.jsonl").rename(corpus / "moved.jsonl")
    assert counts(reindex(corpus, index, jobs=1)) == (0, 2, 0, 1)


def test_a_second_reindex_is_refused_while_one_runs(make_corpus, tmp_path):
    corpus, index = make_corpus(), tmp_path / "index"
    with reindex_lock(index), pytest.raises(ReindexBusy, match="another reindex"):
        reindex(corpus, index, jobs=1)
    assert reindex(corpus, index, jobs=1)["documents"] == len(RECORDS)


def test_readers_notice_a_swapped_in_generation(make_corpus, tmp_path):
    corpus, index = make_corpus({"a.jsonl": RECORDS[:2]}), tmp_path / "index"
    reindex(corpus, index, jobs=1)
    backend = WhooshBackend(index)
    assert backend.search(SearchRequest()).total == 2
    write_jsonl(corpus / "b.jsonl", RECORDS[2:])
    reindex(corpus, index, jobs=1)
    assert backend.search(SearchRequest()).total == len(RECORDS)  # same object, no restart
    assert len(generations(index)) <= 2  # old generations are collected


def _pressearch(*args: str) -> list[str]:
    return [sys.executable, "-m", "search.cli", *args]


def _run_reindex_cmd(corpus: Path, index: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        _pressearch("reindex", "--corpus", str(corpus), "--index", str(index), "--json", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.mark.slow
def test_kill_9_at_random_moments_keeps_the_last_good_index(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    for i in range(2):
        write_jsonl(corpus / f"base-{i}.jsonl", synthetic(60, f"base{i}", seed=i))
    assert subprocess.run(_pressearch("reindex", "--corpus", str(corpus), "--index", str(index)),
                          capture_output=True).returncode == 0  # fmt: skip
    good = {120}
    for i in range(6):
        write_jsonl(corpus / f"more-{i}.jsonl", synthetic(60, f"more{i}", seed=10 + i))
    final_count = 120 + 6 * 60

    # How long a full reindex of the final corpus takes here, to kill at moments spread over
    # a whole run: start-up, parsing, writing, commit, swap.
    started = time.perf_counter()
    probe_cmd = ["reindex", "--corpus", str(corpus), "--index", str(tmp_path / "probe")]
    probe = subprocess.run(_pressearch(*probe_cmd), capture_output=True)
    assert probe.returncode == 0
    duration = time.perf_counter() - started

    rng = random.Random(4)
    kills = 0
    for attempt in range(12):
        # Incremental first (it has the new files to add), then full rebuilds.
        proc = _run_reindex_cmd(corpus, index, *(["--full"] if attempt >= 2 else []))
        time.sleep(rng.uniform(0.05, 1.0) * duration)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)  # the reindex process only, as `kill -9 PID` does
            kills += 1
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        # Whatever moment it died at, the index serves a complete state.
        count = WhooshBackend(index).search(SearchRequest()).total
        assert count in good | {final_count}, count
        if kills >= 6:
            break
    assert kills >= 5
    done = subprocess.run(_pressearch("reindex", "--corpus", str(corpus), "--index", str(index),
                                      "--json"), capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["documents"] == final_count and summary["rejected"] == []
    assert len(ids_in(index)) == final_count
    assert (index / POINTER).exists() and len(generations(index)) <= 2


_SEARCH_LOOP = """
import sys, time
from search.index.backend import SearchRequest
from search.backends.whoosh.backend import WhooshBackend
backend = WhooshBackend(sys.argv[1])
deadline = time.time() + float(sys.argv[2])
n = failures = 0
while time.time() < deadline:
    try:
        r = backend.search(SearchRequest("harbour", regions=(), per_page=5))
        assert r.total >= 0
        backend.search(SearchRequest("", years=(2015,)))
        n += 1
    except Exception as exc:
        failures += 1
        print(repr(exc), file=sys.stderr)
print(n, failures)
"""


@pytest.mark.slow
def test_searches_never_fail_during_reindexes(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_jsonl(corpus / "a.jsonl", synthetic(100, "a"))
    reindex(corpus, index, jobs=1)
    searchers = [
        subprocess.Popen(
            [sys.executable, "-c", _SEARCH_LOOP, str(index), "6"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for i in range(3):
        write_jsonl(corpus / f"b{i}.jsonl", synthetic(80, f"b{i}", seed=i))
        reindex(corpus, index, jobs=1, full=i == 1)
    for proc in searchers:
        out, err = proc.communicate(timeout=60)
        searches, failures = map(int, out.split())
        assert failures == 0, err
        assert searches > 0


def test_counts_stay_exact_across_side_postings_deletions_and_new_segments(tmp_path):
    from search.backends.whoosh.fastwriter import SIDE_PREFIX

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    files = {f"f{i}.jsonl": synthetic(80, f"f{i}", seed=i) for i in range(3)}
    for name, records in files.items():
        write_jsonl(corpus / name, records)
    reindex(corpus, index, full=True, jobs=1)
    assert list((index / read_pointer(index)).glob(SIDE_PREFIX + "*"))  # common terms: side

    def expected(word: str) -> int:
        return sum(word in f"{r['title']} {r['body']}".split() for rs in files.values() for r in rs)

    backend = WhooshBackend(index)
    for word in ("harbour", "rice", "court"):
        assert backend.search(SearchRequest(word)).total == expected(word)
    # Delete one file, change another: deletions in the big segment, a new small segment.
    (corpus / "f0.jsonl").unlink()
    del files["f0.jsonl"]
    files["f1.jsonl"] = synthetic(30, "f1", seed=99)
    write_jsonl(corpus / "f1.jsonl", files["f1.jsonl"])
    reindex(corpus, index, jobs=1)
    for word in ("harbour", "rice", "court"):
        result = backend.search(SearchRequest(word, per_page=100))
        assert result.total == expected(word)
        assert all(not h.id.startswith("f0-") for h in result.hits)
        assert sum(v.count for v in result.facets["source"]) == expected(word)


def test_multi_member_gzip_jsonl_keeps_every_record(tmp_path: Path) -> None:
    """Concatenated gzip files are one valid .gz; every member's records are indexed."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "The port of Mokpo opened a new container berth on Monday, officials said today."
    members = [
        gzip.compress(
            json.dumps({"id": f"m{i}", "title": f"Berth {i}", "body": body}).encode() + b"\n",
            mtime=0,
        )
        for i in (1, 2)
    ]
    (corpus / "two.jsonl.gz").write_bytes(b"".join(members))
    summary = reindex(corpus, tmp_path / "index", full=True, jobs=1)
    assert summary["documents"] == 2, summary
    assert summary["rejected"] == []
