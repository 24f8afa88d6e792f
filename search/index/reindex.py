"""Full and incremental reindex: manifest of content hashes, worker processes, one writer.

The manifest, committed inside the index generation it describes, records for every corpus file
its size, mtime, blake2b hash, the document ids it produced and its rejections. A run stats every
file; only files whose size or mtime changed are hashed, and only files whose hash changed (or
new ones) are parsed again. Cleaning, extraction and text analysis run in worker processes; the
parent process hashes, splits JSON Lines files into chunks and feeds the single index writer.

Only one reindex runs at a time per index directory (``fcntl.flock`` on ``reindex.lock``).
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.index.analysis import words
from search.index.backend import Backend
from search.index.schema import SCHEMA_VERSION
from search.ingest.article import Article, Rejection
from search.ingest.corpus import (
    BadFile,
    decode,
    decompress,
    iter_corpus_files,
    kind_of,
    load_file,
    looks_binary,
)
from search.ingest.corpus import relative_id as corpus_relative_id

MANIFEST_VERSION = 1
LOCK_NAME = "reindex.lock"
CHUNK_LINES = 200  # JSON Lines records per worker task
BATCH_FILES = 8  # small files (HTML, text) per worker task
MAX_JSONL_BYTES = 2 * 1024**3  # a JSON Lines file is processed in chunks, so it may be large


_lock_fd: int | None = None  # the held lock's descriptor, which forked workers must close


class ReindexBusy(Exception):
    """Another reindex holds the lock on this index directory."""


@contextmanager
def reindex_lock(index_dir: Path, wait: bool = False) -> Iterator[None]:
    """Hold the index directory's reindex lock (released by the kernel if the process dies)."""
    global _lock_fd
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            if not wait:
                raise ReindexBusy(
                    f"another reindex (pid {holder}) is running on {index_dir}; "
                    "try again when it ends, or pass --wait"
                ) from None
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _lock_fd = fd
        yield
    finally:
        _lock_fd = None
        os.close(fd)


# --- worker side ---------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(preparer: Callable[[Article], Any], in_child: bool = False) -> None:
    if in_child:
        # The lock is released only when every descriptor of it is closed: a worker must not
        # keep it alive, and must not outlive a reindex that was killed.
        if _lock_fd is not None:
            os.close(_lock_fd)
        _die_with_parent()
        gc.enable()  # the parent's writer runs without it; parsing HTML makes cycles
    # Imported here, not at the top: loading the extractor takes most of a second, and every
    # command that imports the backends (search, serve) imports this module.
    from search.extract import extract

    _worker["prepare"] = preparer
    _worker["extract"] = extract


@dataclass
class TaskResult:
    """What a worker sends back: prepared documents (with their file) and rejections."""

    docs: list[tuple[str, str, Any]] = field(default_factory=list)  # (file, id, prepared)
    rejected: list[Rejection] = field(default_factory=list)
    words: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    records: int = 0  # units of progress


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the reindex process dies (no-op elsewhere)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _process(task: tuple[str, Any]) -> TaskResult:
    kind, payload = task
    out = TaskResult()
    if kind == "jsonl":
        rel, first_line, data = payload
        items: list[Article | Rejection] = list(_jsonl_chunk(rel, first_line, data))
        files = [rel] * len(items)
        out.records = data.count(b"\n") + 1
    else:
        items, files = [], []
        for path, root in payload:
            loaded = load_file(Path(path), Path(root))
            items.extend(loaded)
            files.extend([corpus_relative_id(Path(path), Path(root))] * len(loaded))
        out.records = len(payload)
    prepare, extract = _worker["prepare"], _worker["extract"]
    seen: dict[str, int] = {}
    for item, rel in zip(items, files, strict=True):
        if isinstance(item, Rejection):
            out.rejected.append(item)
            continue
        try:
            item = extract(item)
        except Exception as exc:  # index the text anyway; say why entities are missing
            out.warnings.append(f"{item.path}: extraction failed: {type(exc).__name__}: {exc}")
        try:
            prepared = prepare(item)
        except Exception as exc:
            out.rejected.append(Rejection(item.path, f"cannot index: {type(exc).__name__}: {exc}"))
            continue
        out.docs.append((rel, item.id, prepared))
        for word in set(words(f"{item.title}\n{item.body}")):  # the body includes the lead
            if 2 < len(word) < 30 and word.isalpha():
                seen[word] = seen.get(word, 0) + 1
    out.words = seen
    return out


def _jsonl_chunk(rel: str, first_line: int, data: bytes) -> Iterator[Article | Rejection]:
    from search.ingest import corpus

    try:
        text = decode(data)
    except corpus.BadFile as exc:
        yield Rejection(f"{rel}:{first_line}", str(exc))
        return
    yield from corpus.load_records(text, rel, first_line)


# --- parent side ---------------------------------------------------------------------------------


def _read_raw(path: Path) -> bytes:
    return path.read_bytes()


def _jsonl_tasks(rel: str, raw: bytes, gz: bool) -> tuple[list[tuple[str, Any]], str | None]:
    """Chunks of a JSON Lines file as worker tasks, or a reason the file cannot be read."""
    try:
        data = decompress(raw, MAX_JSONL_BYTES) if gz else raw
    except BadFile as exc:
        return [], str(exc)
    if not data.strip():
        return [], "empty file"
    if looks_binary(data):
        return [], "binary content, not text"
    tasks = []
    lines = data.split(b"\n")
    for start in range(0, len(lines), CHUNK_LINES):
        chunk = b"\n".join(lines[start : start + CHUNK_LINES])
        if chunk.strip():
            tasks.append(("jsonl", (rel, start + 1, chunk)))
    return tasks, None


def _hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def reindex(
    corpus: Path | str,
    index: Path | str,
    backend: Backend,
    full: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    wait: bool = False,
) -> dict[str, Any]:
    """Bring the index at ``index`` up to date with ``corpus``; return the summary."""
    started = time.perf_counter()
    corpus, index = Path(corpus), Path(index)
    if not corpus.exists():
        raise FileNotFoundError(f"corpus directory {corpus} does not exist")
    with reindex_lock(index, wait=wait):
        backend.cleanup()  # leftovers of a reindex that was killed
        old = {} if full else backend.manifest()
        notes = []
        if old and old.get("schema") != SCHEMA_VERSION:
            notes.append(
                f"the index was written by an older pressearch (schema {old.get('schema')}, "
                f"now {SCHEMA_VERSION}): rebuilt in full"
            )
        if old.get("version") != MANIFEST_VERSION or old.get("schema") != SCHEMA_VERSION:
            old, full = {}, True
        old_files: dict[str, dict[str, Any]] = old.get("files", {})
        summary = _run(corpus, backend, full, old_files, jobs, progress)
        summary["warnings"][:0] = notes
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary


@dataclass
class _Plan:
    """One run's view of the corpus: the new manifest's entries and the files to parse again."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # the new manifest's entries
    paths: dict[str, Path] = field(default_factory=dict)  # every corpus file seen
    new: list[str] = field(default_factory=list)  # files the old manifest did not have
    changed: list[str] = field(default_factory=list)  # files read again (or now unreadable)
    unchanged: list[str] = field(default_factory=list)  # files whose documents stay as they are
    removed: list[str] = field(default_factory=list)  # files gone from the corpus
    to_parse: list[tuple[Path, str, bytes]] = field(default_factory=list)
    manifest_dirty: bool = False  # unchanged files with a new mtime to record

    def redo(self, rel: str, entry: dict[str, Any], is_new: bool) -> None:
        """Record a new or changed file (its entry starts with no ids)."""
        self.files[rel] = entry
        (self.new if is_new else self.changed).append(rel)

    def keep(self, rel: str, entry: dict[str, Any]) -> None:
        self.files[rel] = entry
        self.unchanged.append(rel)

    @property
    def any_change(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def _run(
    corpus: Path,
    backend: Backend,
    full: bool,
    old_files: dict[str, dict[str, Any]],
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    root = corpus if corpus.is_dir() else corpus.parent
    plan = _scan(corpus, root, old_files)
    if plan.any_change:
        _reparse_duplicate_losers(plan)
    tasks, total_records = _make_tasks(plan, root)
    manifest = {
        "version": MANIFEST_VERSION,
        "schema": SCHEMA_VERSION,
        "corpus": str(root.resolve()),
        "files": plan.files,
    }
    warnings: list[str] = []
    if plan.any_change or full:
        stale = [] if full else plan.changed + plan.removed
        warnings = _write(backend, full, plan.files, tasks, total_records, manifest, stale,
                          jobs, progress)  # fmt: skip
    elif plan.manifest_dirty:
        backend.save_manifest(manifest)
    return _summarise(plan, old_files, backend.stats(), full, warnings)


def _scan(corpus: Path, root: Path, old_files: dict[str, dict[str, Any]]) -> _Plan:
    """Compare every corpus file with the old manifest."""
    plan = _Plan()
    for path in iter_corpus_files(corpus):
        rel = corpus_relative_id(path, root)
        plan.paths[rel] = path
        _scan_file(plan, path, rel, old_files.get(rel))
    plan.removed = sorted(set(old_files) - set(plan.files))
    return plan


def _scan_file(plan: _Plan, path: Path, rel: str, prev: dict[str, Any] | None) -> None:
    """Keep one file's entry if its content is the same, else queue the file for parsing."""
    try:
        st = path.stat()
    except OSError as exc:
        plan.redo(rel, _entry(None, None, [Rejection(rel, f"cannot read: {exc}")]), not prev)
        return
    # The cheap check: same size and mtime means unchanged, without reading the file.
    if prev and prev["size"] == st.st_size and prev["mtime_ns"] == st.st_mtime_ns:
        plan.keep(rel, prev)
        return
    try:
        raw = _read_raw(path)
    except OSError as exc:
        rejection = Rejection(rel, f"cannot read: {exc.strerror}")
        plan.redo(rel, _entry(st, None, [rejection]), not prev)
        return
    digest = _hash(raw)
    if prev and prev.get("hash") == digest:  # touched, same content
        plan.keep(rel, {**prev, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
        plan.manifest_dirty = True
        return
    plan.redo(rel, _entry(st, digest, []), not prev)
    plan.to_parse.append((path, rel, raw))


def _reparse_duplicate_losers(plan: _Plan) -> None:
    """Parse again the unchanged files that lost a record to a duplicate id.

    The id may be free now that its twin's file changed or went away. Such files are rare.
    """
    for rel in list(plan.unchanged):
        if any(r["reason"].startswith("duplicate id") for r in plan.files[rel]["rejected"]):
            path = plan.paths[rel]
            raw = _read_raw(path)
            plan.unchanged.remove(rel)
            plan.redo(rel, _entry(path.stat(), _hash(raw), []), is_new=False)
            plan.to_parse.append((path, rel, raw))


def _make_tasks(plan: _Plan, root: Path) -> tuple[list[tuple[str, Any]], int]:
    """Worker tasks for the files to parse, and their units of progress."""
    tasks: list[tuple[str, Any]] = []
    small: list[tuple[str, str]] = []
    total_records = 0
    for path, rel, raw in plan.to_parse:
        if kind_of(path) == "jsonl":
            chunk_tasks, bad = _jsonl_tasks(rel, raw, path.suffix.lower() == ".gz")
            if bad:
                plan.files[rel]["rejected"].append({"path": rel, "reason": bad})
            tasks.extend(chunk_tasks)
            total_records += sum(t[1][2].count(b"\n") + 1 for t in chunk_tasks)
        else:
            small.append((str(path), str(root)))
            total_records += 1
            if len(small) >= BATCH_FILES:
                tasks.append(("files", small))
                small = []
    if small:
        tasks.append(("files", small))
    return tasks, total_records


def _summarise(
    plan: _Plan,
    old_files: dict[str, dict[str, Any]],
    stats: dict[str, Any],
    full: bool,
    warnings: list[str],
) -> dict[str, Any]:
    """The run's summary: documents counted by id, files by path (``seconds`` comes later)."""
    return {
        **_document_counts(old_files, plan.files, plan.unchanged),
        "documents": stats["documents"],
        "files": len(plan.paths),
        "files_new": len(plan.new),
        "files_changed": len(plan.changed),
        "files_removed": len(plan.removed),
        "rejected": [r for rel in sorted(plan.files) for r in plan.files[rel]["rejected"]],
        "full": full,
        "generation": stats["generation"],
        "warnings": warnings,
    }


def _document_counts(
    old_files: dict[str, dict[str, Any]],
    new_files: dict[str, dict[str, Any]],
    unchanged: list[str],
) -> dict[str, int]:
    """Documents added, updated (indexed again), removed and unchanged, from the manifests' ids.

    Files are hashed, not records: every document of a changed file counts as updated. Ids
    are compared across files, so a renamed file updates its documents.
    """
    kept = {doc_id for rel in unchanged for doc_id in new_files[rel]["ids"]}
    before = {doc_id for entry in old_files.values() for doc_id in entry["ids"]} - kept
    after = {doc_id for entry in new_files.values() for doc_id in entry["ids"]} - kept
    return {
        "added": len(after - before),
        "updated": len(after & before),
        "removed": len(before - after),
        "unchanged": len(kept),
    }


def _entry(st: os.stat_result | None, digest: str | None, rejected: list[Rejection]) -> dict:
    return {
        "size": st.st_size if st else None,
        "mtime_ns": st.st_mtime_ns if st else None,
        "hash": digest,
        "ids": [],
        "rejected": [r.to_dict() for r in rejected],
    }


def _write(
    backend: Backend,
    full: bool,
    new_files: dict[str, dict[str, Any]],
    tasks: list[tuple[str, Any]],
    total_records: int,
    manifest: dict[str, Any],
    stale: list[str],
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> list[str]:
    """Delete the stale files' documents, add the workers' documents, commit with the manifest."""
    # Ids of files that stay as they are (entries of changed files start empty).
    owner = {doc_id: rel for rel, entry in new_files.items() for doc_id in entry["ids"]}
    warnings: list[str] = []
    txn = backend.begin(full=full)
    # The writer holds millions of small objects and makes no reference cycles: the cyclic
    # collector would rescan them all again and again (a third of the writer's time).
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        for rel in stale:
            txn.delete_path(rel)
        done = 0
        for result in _results(tasks, backend.preparer(), jobs):
            for rel, doc_id, prepared in result.docs:
                entry = new_files[rel]
                if doc_id in owner:
                    entry["rejected"].append(
                        {
                            "path": rel,
                            "reason": f"duplicate id {doc_id!r} (also in {owner[doc_id]})",
                        }
                    )
                    continue
                owner[doc_id] = rel
                entry["ids"].append(doc_id)
                txn.add(prepared)
            for rej in result.rejected:
                key = _file_of(rej.path, new_files)
                new_files.setdefault(key, _entry(None, None, []))["rejected"].append(rej.to_dict())
            txn.add_words(result.words)
            warnings.extend(result.warnings)
            done += result.records
            if progress:
                progress(min(done, total_records), total_records)
        txn.commit(manifest)
    except BaseException:
        txn.abort()
        raise
    finally:
        if gc_enabled:
            gc.enable()
    return warnings


def _warm_up(preparer: Callable[[Article], Any]) -> None:
    """Load the extractor's tables once in the parent: forked workers share them."""
    _init_worker(preparer)
    sample = Article(id="warm-up", path="warm-up", title="Governor of Seoul", body="Seoul.")
    _worker["extract"](sample)
    preparer(sample)


def _file_of(path: str, files: dict[str, Any]) -> str:
    """The corpus file a rejection belongs to ("a.jsonl:12" belongs to "a.jsonl")."""
    if path in files:
        return path
    head = path.rsplit(":", 1)[0]
    return head if head in files else path


def _results(
    tasks: list[tuple[str, Any]], preparer: Callable[[Article], Any], jobs: int | None
) -> Iterator[TaskResult]:
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) <= 1:
        _init_worker(preparer)
        for task in tasks:
            yield _process(task)
        return
    _warm_up(preparer)
    # The extractor's tables are long-lived: keep the collector from scanning them in the
    # workers (and from touching, hence copying, the pages they share with this process).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(
            jobs, initializer=_init_worker, initargs=(preparer, True)
        ) as pool:
            yield from pool.imap(_process, tasks, chunksize=1)
    finally:
        gc.unfreeze()


def file_hash(path: Path) -> str:
    """The manifest hash of a corpus file (blake2b of its bytes as stored)."""
    return _hash(_read_raw(path))
