"""Full and incremental reindex: manifest of content hashes, worker processes, one writer.

The manifest, committed inside the index generation it describes, records for every corpus file
its size, mtime, blake2b hash, the document ids it produced and its rejections. A run stats every
file; only files whose size or mtime changed (or that could not be read) are hashed, and only
files whose hash changed (or new ones) are parsed again. Cleaning, extraction and text analysis
run in worker processes; the parent hashes, streams JSON Lines files to them in chunks of lines
(never a whole file in memory) and feeds the single index writer. No input raises out of a
reindex: a file or record that fails is a rejection, at most ``MAX_REJECTIONS`` a file.

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
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.index import groups as grouping
from search.index.analysis import words
from search.index.backend import Backend
from search.index.counts import document_counts
from search.index.schema import SCHEMA_VERSION
from search.ingest.article import Article, Rejection
from search.ingest.corpus import (
    MAX_REJECTIONS,
    iter_corpus_files,
    jsonl_chunks,
    kind_of,
    load_file,
    parse_record,
    read_error,
    too_many_rejections,
    unreadable_folders,
)
from search.ingest.corpus import relative_id as corpus_relative_id
from search.ingest.safe import is_safe

MANIFEST_VERSION = 2  # 2: each file's entry holds its documents' sketches (search.index.groups)
LOCK_NAME = "reindex.lock"
CHUNK_LINES = 200  # JSON Lines records per worker task
BATCH_FILES = 8  # small files (HTML, text) per worker task


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
    sketches: list[list[Any]] = field(default_factory=list)  # encoded, one per doc
    rejected: list[Rejection] = field(default_factory=list)
    words: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    repaired: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (file, fields)
    records: int = 0  # units of progress (bytes of the files on disk)
    file: str | None = None  # the JSON Lines file of a chunk
    last_line: int = 0  # the chunk's last line


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


def _process(task: tuple[str, Any, int]) -> TaskResult:
    """One worker task; whatever goes wrong is reported as rejections, never raised."""
    try:
        return _process_task(task)
    except Exception as exc:
        kind, payload, units = task
        paths = [payload[0]] if kind != "files" else [corpus_relative_id(Path(p), Path(r))
                                                        for p, r in payload]  # fmt: skip
        reason = f"cannot process: {type(exc).__name__}: {exc}"
        return TaskResult(rejected=[Rejection(p, reason) for p in paths], records=units)


def _process_task(task: tuple[str, Any, int]) -> TaskResult:
    kind, payload, units = task
    out = TaskResult(records=units)
    items: list[Article | Rejection] = []
    files: list[str] = []
    if kind == "jsonl":
        rel, lines = payload
        items = [parse_record(rel, lineno, line) for lineno, line in lines]
        files = [rel] * len(items)
        out.file, out.last_line = rel, lines[-1][0]
    elif kind == "reject":
        out.rejected.append(Rejection(*payload))
    else:
        for path, root in payload:
            loaded = load_file(Path(path), Path(root))
            items.extend(loaded)
            files.extend([corpus_relative_id(Path(path), Path(root))] * len(loaded))
    for item, rel in zip(items, files, strict=True):
        if isinstance(item, Rejection):
            out.rejected.append(item)
        else:
            _prepare(item, rel, out)
    return out


def _prepare(item: Article, rel: str, out: TaskResult) -> None:
    """Extract and prepare one article into ``out`` (or say why it cannot be indexed)."""
    if item.repaired:
        out.repaired.append((rel, item.repaired))
    try:
        item = _worker["extract"](item)
    except Exception as exc:  # index the text anyway; say why entities are missing
        out.warnings.append(f"{item.path}: extraction failed: {type(exc).__name__}: {exc}")
    try:
        prepared = _worker["prepare"](item)
    except Exception as exc:
        out.rejected.append(Rejection(item.path, f"cannot index: {type(exc).__name__}: {exc}"))
        return
    out.docs.append((rel, item.id, prepared))
    body = words(item.body)  # the body includes the lead
    # Sketched here, in the workers, from the words the suggestion vocabulary needs anyway.
    source = words(item.source) if item.source else []
    out.sketches.append(grouping.sketch(body, item.date, item.source, source).encode())
    seen = out.words
    for word in set(words(item.title)).union(body):
        if 2 < len(word) < 30 and word.isalpha():
            seen[word] = seen.get(word, 0) + 1


# --- parent side ---------------------------------------------------------------------------------


def _hash_file(path: Path) -> str:
    """The blake2b of a file's bytes as stored, read in blocks (memory stays flat)."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


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
        previous = grouping.Groups.from_json(old.get("groups"))
        summary = _run(corpus, backend, full, old_files, previous, jobs, progress)
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
    to_parse: list[tuple[Path, str]] = field(default_factory=list)
    folders: list[Rejection] = field(default_factory=list)  # folders that cannot be listed
    notes: list[str] = field(default_factory=list)  # warnings found while scanning
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
    previous: grouping.Groups,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    root = corpus if corpus.is_dir() else corpus.parent
    plan = _scan(corpus, root, old_files)
    if plan.any_change:
        _reparse_duplicate_losers(plan)
    manifest = {
        "version": MANIFEST_VERSION,
        "schema": SCHEMA_VERSION,
        "corpus": str(root.resolve()),
        "files": plan.files,
        "groups": previous.to_json(),
    }
    warnings: list[str] = []
    if plan.any_change or full:
        stale = [] if full else plan.changed + plan.removed
        writer = _Writer(backend, full, plan.files, previous)
        warnings = writer.run(plan, root, manifest, stale, jobs, progress)
    elif plan.manifest_dirty:
        backend.save_manifest(manifest)
    stats = backend.stats()
    if not stats["documents"]:
        warnings.append("no usable document in the corpus: the index is empty")
    return _summarise(plan, old_files, stats, full, plan.notes + warnings)


def _scan(corpus: Path, root: Path, old_files: dict[str, dict[str, Any]]) -> _Plan:
    """Compare every corpus file with the old manifest."""
    plan = _Plan()
    errors: list[OSError] = []
    for path in iter_corpus_files(corpus, errors):
        rel = corpus_relative_id(path, root)
        if not is_safe(str(path)):
            plan.notes.append(f"{rel}: the file name is not valid text; read as {rel!r}")
        plan.paths[rel] = path
        _scan_file(plan, path, rel, old_files.get(rel))
    plan.folders = unreadable_folders(errors, root)
    plan.removed = sorted(set(old_files) - set(plan.files))
    return plan


def _scan_file(plan: _Plan, path: Path, rel: str, prev: dict[str, Any] | None) -> None:
    """Keep one file's entry if its content is the same, else queue the file for parsing."""
    try:
        st = path.stat()
    except OSError as exc:
        plan.redo(rel, _entry(None, None, [Rejection(rel, read_error(path, exc))]), not prev)
        return
    # The cheap check: same size and mtime means unchanged, without reading the file. A file
    # that could not be read (no hash) is tried again: its permissions may have changed.
    same = prev and prev["size"] == st.st_size and prev["mtime_ns"] == st.st_mtime_ns
    if same and prev and prev.get("hash"):
        plan.keep(rel, prev)
        return
    try:
        digest = _hash_file(path)
    except OSError as exc:
        plan.redo(rel, _entry(st, None, [Rejection(rel, read_error(path, exc))]), not prev)
        return
    if prev and prev.get("hash") == digest:  # touched, same content
        plan.keep(rel, {**prev, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
        plan.manifest_dirty = True
        return
    plan.redo(rel, _entry(st, digest, []), not prev)
    plan.to_parse.append((path, rel))


def _reparse_duplicate_losers(plan: _Plan) -> None:
    """Parse again the unchanged files that lost a record to a duplicate id.

    The id may be free now that its twin's file changed or went away. Such files are rare.
    """
    for rel in list(plan.unchanged):
        if any(r["reason"].startswith("duplicate id") for r in plan.files[rel]["rejected"]):
            path = plan.paths[rel]
            plan.unchanged.remove(rel)
            try:
                entry = _entry(path.stat(), _hash_file(path), [])
            except OSError as exc:
                plan.redo(rel, _entry(None, None, [Rejection(rel, read_error(path, exc))]), False)
                continue
            plan.redo(rel, entry, is_new=False)
            plan.to_parse.append((path, rel))


def _tasks(plan: _Plan, root: Path, stopped: set[str]) -> Iterator[tuple[str, Any, int]]:
    """Worker tasks for the files to parse, made as the workers take them.

    A JSON Lines file is streamed in chunks of ``CHUNK_LINES`` lines, and read no further once
    its name is in ``stopped`` (too many rejections). Units are bytes on disk.
    """
    small: list[tuple[str, str]] = []
    units = 0
    for path, rel in plan.to_parse:
        if kind_of(path) != "jsonl":
            small.append((str(path), str(root)))
            units += plan.files[rel]["size"] or 0
            if len(small) >= BATCH_FILES:
                yield "files", small, units
                small, units = [], 0
            continue
        for chunk in jsonl_chunks(path, rel, CHUNK_LINES):
            if rel in stopped:
                break
            if isinstance(chunk, Rejection):
                yield "reject", (chunk.path, chunk.reason), 0
            else:
                yield "jsonl", (rel, chunk[0]), chunk[1]
    if small:
        yield "files", small, units


def _summarise(
    plan: _Plan,
    old_files: dict[str, dict[str, Any]],
    stats: dict[str, Any],
    full: bool,
    warnings: list[str],
) -> dict[str, Any]:
    """The run's summary: documents counted by id, files by path (``seconds`` comes later)."""
    return {
        **document_counts(old_files, plan.files, plan.unchanged),
        "documents": stats["documents"],
        "files": len(plan.paths),
        "files_new": len(plan.new),
        "files_changed": len(plan.changed),
        "files_removed": len(plan.removed),
        "rejected": [r for rel in sorted(plan.files) for r in plan.files[rel]["rejected"]]
        + [r.to_dict() for r in plan.folders],
        "full": full,
        "generation": stats["generation"],
        "warnings": warnings,
    }


def _entry(st: os.stat_result | None, digest: str | None, rejected: list[Rejection]) -> dict:
    return {
        "size": st.st_size if st else None,
        "mtime_ns": st.st_mtime_ns if st else None,
        "hash": digest,
        "ids": [],
        "rejected": [r.to_dict() for r in rejected],
        "sketches": {},
    }


class _Writer:
    """The single writer: workers' results into one transaction, committed with the manifest.

    Rejections are counted per file: past ``MAX_REJECTIONS`` one summarising rejection stands
    for the rest, and the file is read no further.
    """

    def __init__(
        self,
        backend: Backend,
        full: bool,
        files: dict[str, dict[str, Any]],
        previous: grouping.Groups,
    ):
        self.backend, self.full, self.files = backend, full, files
        self.previous = grouping.Groups.empty() if full else previous
        self.written: list[str] = []  # documents added by this run (stored as their own group)
        # Ids of files that stay as they are (entries of changed files start empty).
        self.owner = {doc_id: rel for rel, entry in files.items() for doc_id in entry["ids"]}
        self.stopped: set[str] = set()
        self.repaired: dict[str, tuple[int, set[str]]] = {}
        self.warnings: list[str] = []

    def run(
        self,
        plan: _Plan,
        root: Path,
        manifest: dict[str, Any],
        stale: list[str],
        jobs: int | None,
        progress: Callable[[int, int], None] | None,
    ) -> list[str]:
        """Delete the stale files' documents, add the workers', commit with the manifest."""
        total = sum(self.files[rel]["size"] or 0 for _, rel in plan.to_parse)
        parallel = len(plan.to_parse) > 1 or total > 1 << 20
        txn = self.backend.begin(full=self.full)
        # The writer holds millions of small objects and makes no reference cycles: the cyclic
        # collector would rescan them all again and again (a third of the writer's time).
        gc_enabled = gc.isenabled()
        gc.disable()
        try:
            for rel in stale:
                txn.delete_path(rel)
            done = 0
            tasks = _tasks(plan, root, self.stopped)
            for result in _results(tasks, self.backend.preparer(), jobs, parallel):
                self.take(txn, result)
                done += result.records
                if progress:
                    progress(min(done, total), total)
            if progress:
                progress(total, total)
            self.regroup(txn, manifest)
            txn.commit(manifest)
        except BaseException:
            _abort_quietly(txn)
            raise
        finally:
            if gc_enabled:
                gc.enable()
        return self.warnings + self._repair_warnings()

    def take(self, txn: Any, result: TaskResult) -> None:
        """One worker result into the transaction (nothing of a file read no further)."""
        if result.file in self.stopped:
            return
        for (rel, doc_id, prepared), sketch in zip(result.docs, result.sketches, strict=True):
            if doc_id in self.owner:
                self.reject(rel, f"duplicate id {doc_id!r} (also in {self.owner[doc_id]})", result)
                continue
            try:
                txn.add(prepared)
            except Exception as exc:  # the workers prepared it: this is an engine's complaint
                self.reject(rel, f"cannot index: {type(exc).__name__}: {exc}", result)
                continue
            self.owner[doc_id] = rel
            self.files[rel]["ids"].append(doc_id)
            self.files[rel]["sketches"][doc_id] = sketch
            self.written.append(doc_id)
        for rej in result.rejected:
            self.reject(rej.path, rej.reason, result)
        for rel, fields in result.repaired:
            count, names = self.repaired.get(rel, (0, set()))
            self.repaired[rel] = (count + 1, names | set(fields))
        txn.add_words(result.words)
        self.warnings.extend(result.warnings)

    def regroup(self, txn: Any, manifest: dict[str, Any]) -> None:
        """Group every document from the stored sketches; give the backend what moved."""
        sketches = grouping.stored_sketches(self.files.values())
        groups = grouping.find_groups(sketches)
        manifest["groups"] = groups.to_json()
        txn.set_groups(groups, grouping.moved(groups, self.previous, self.written, sketches))

    def reject(self, path: str, reason: str, result: TaskResult) -> None:
        key = _file_of(path, self.files)
        entry = self.files.setdefault(key, _entry(None, None, []))
        if key in self.stopped:
            return
        if len(entry["rejected"]) >= MAX_REJECTIONS:
            self.stopped.add(key)
            reason = too_many_rejections(result.last_line)
            path = key
        entry["rejected"].append({"path": path, "reason": reason})

    def _repair_warnings(self) -> list[str]:
        return [
            f"{rel}: unsafe characters (controls, lone surrogates, non-characters) removed "
            f"from {count} release(s): {', '.join(sorted(names))}"
            for rel, (count, names) in sorted(self.repaired.items())
        ]


def _abort_quietly(txn: Any) -> None:
    """Abort, keeping the error that made us abort the one reported (a full disk may fail
    the clean-up too)."""
    with suppress(Exception):
        txn.abort()


def _warm_up(preparer: Callable[[Article], Any]) -> None:
    """Load the extractor's tables once in the parent: forked workers share them."""
    _init_worker(preparer)
    sample = Article(id="warm-up", path="warm-up", title="Governor of Seoul", body="Seoul.")
    # A failure here is the workers' to report, article by article (extraction failed).
    with suppress(Exception):
        _worker["extract"](sample)
        preparer(sample)
        # The names of places in other languages and scripts: this process needs them anyway
        # for the generation's region alias map; loaded once here, no worker loads them again.
        from search.extract.regions import full_gazetteer

        full_gazetteer()


def _file_of(path: str, files: dict[str, Any]) -> str:
    """The corpus file a rejection belongs to ("a.jsonl:12" belongs to "a.jsonl")."""
    if path in files:
        return path
    head = path.rsplit(":", 1)[0]
    return head if head in files else path


def _results(
    tasks: Iterator[tuple[str, Any, int]],
    preparer: Callable[[Article], Any],
    jobs: int | None,
    parallel: bool = True,
) -> Iterator[TaskResult]:
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or not parallel:
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
            # imap takes tasks from the generator as workers are free (the pipe to them is
            # small), so a large file is never read far ahead of the writer.
            yield from pool.imap(_process, tasks, chunksize=1)
    finally:
        gc.unfreeze()


def file_hash(path: Path) -> str:
    """The manifest hash of a corpus file (blake2b of its bytes as stored)."""
    return _hash_file(path)
