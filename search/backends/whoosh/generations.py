"""Index generations on disk: a pointer file names the live one, a writer builds the next.

Layout of an index directory::

    index/CURRENT        the name of the live generation ("gen-000007"), replaced atomically
    index/gen-000007/    a complete Whoosh index + manifest.json + words.tsv + meta.json
    index/reindex.lock   held (flock) by a running reindex

Every write builds a new generation: a full rebuild starts empty, an incremental one starts from
hard links to the live generation's files (Whoosh never rewrites a segment file in place, so the
live generation is untouched). ``CURRENT`` is switched with ``os.replace`` only once the new
generation is complete and synced, so a reader sees the old or the new index, never a part of
one, and a writer killed at any moment leaves the old one serving.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from whoosh import index as windex

from search.backends.whoosh.fastwriter import SIDE_PREFIX, FastSegmentWriter
from search.extract.regions import alias_map
from search.index.backend import IndexTransaction
from search.index.groups import GROUPS_FILE, Groups
from search.index.schema import TEXT_FIELDS, make_schema

POINTER = "CURRENT"
GEN_PREFIX = "gen-"
MANIFEST = "manifest.json"
WORDS = "words.tsv"
META = "meta.json"
REGION_NAMES = "regions.json"
_SKIP_LINK = {MANIFEST, META, WORDS, REGION_NAMES}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and ``os.replace``."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def read_pointer(root: Path) -> str | None:
    """The live generation's directory name, or None when there is no index."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name.startswith(GEN_PREFIX) and (root / name).is_dir() else None


def generations(root: Path) -> list[str]:
    """Generation directory names under ``root``, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.name.startswith(GEN_PREFIX) and p.is_dir())


def collect_garbage(root: Path, keep: int = 2) -> list[str]:
    """Remove generations other than the live one and the one before it (call under the lock).

    The previous generation stays so that a reader that has just read the old pointer can
    still open it; anything newer than the live one is a leftover of a killed reindex.
    """
    live = read_pointer(root)
    names = generations(root)
    keepers = set()
    if live:
        older = [n for n in names if n <= live]
        keepers = set(older[-keep:])
    removed = []
    for name in names:
        if name not in keepers:
            shutil.rmtree(root / name, ignore_errors=True)
            removed.append(name)
    for tmp in root.glob("*.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def _next_generation(root: Path) -> str:
    names = generations(root)
    last = int(names[-1][len(GEN_PREFIX) :]) if names else 0
    return f"{GEN_PREFIX}{last + 1:06d}"


class WhooshTransaction(IndexTransaction):
    """Writes one new generation; ``commit`` swaps it in."""

    def __init__(self, root: Path, full: bool, fast: bool = True, limitmb: int = 256):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.previous = None if full else read_pointer(root)
        self.name = _next_generation(root)
        self.path = root / self.name
        self.path.mkdir()
        self.words: dict[str, int] = {}
        if self.previous is None:
            self.ix = windex.create_in(str(self.path), make_schema())
        else:
            for src in (root / self.previous).iterdir():
                if src.name not in _SKIP_LINK and "LOCK" not in src.name.upper():
                    os.link(src, self.path / src.name)
            self.ix = windex.open_dir(str(self.path))
            self.words = read_words(root / self.previous)
        if self.previous is None and fast:
            # A fresh segment: the per-term writer (same files, a fraction of the work).
            self.writer = FastSegmentWriter(self.ix, side_fields=TEXT_FIELDS)
        else:
            self.writer = self.ix.writer(limitmb=limitmb)
        self.groups: Groups | None = None  # None: the previous generation's stay (linked)
        self._done = False

    def add(self, prepared: dict[str, Any]) -> None:
        self.writer.add_document(**prepared)

    def delete_path(self, path: str) -> None:
        self.writer.delete_by_term("path", path)

    def add_words(self, counts: dict[str, int]) -> None:
        """Merge document frequencies of unstemmed words (the suggestion vocabulary)."""
        words = self.words
        for word, n in counts.items():
            words[word] = words.get(word, 0) + n

    def set_groups(self, groups: Groups, moved: dict[str, str]) -> None:
        """The generation's groups of copies, written as ``groups.json`` at commit (every
        group is in the file, so ``moved`` is not needed)."""
        self.groups = groups

    def commit(self, manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        # A full rebuild wrote one fresh segment: no merging to do. Incremental commits let
        # Whoosh merge small segments as usual.
        self.writer.commit(merge=self.previous is not None)
        self._done = True
        with windex.open_dir(str(self.path)).searcher() as s:
            documents = s.doc_count()
            # An empty index has one empty reader, without a segment.
            segments = (leaf.segment() for leaf, _ in s.reader().leaf_readers())
            live = {seg.segment_id() for seg in segments if seg is not None}
            regions = {t.decode("utf-8") for t in s.reader().lexicon("regions")}
        write_atomic(self.path / REGION_NAMES, json.dumps(alias_map(regions)))
        # Side postings of segments that Whoosh merged away are of no further use.
        for path in self.path.glob(SIDE_PREFIX + "*"):
            if path.stem[len(SIDE_PREFIX) :] not in live:
                path.unlink()
        words = "".join(f"{w}\t{n}\n" for w, n in sorted(self.words.items()))
        write_atomic(self.path / WORDS, words)
        if self.groups is not None:
            self.groups.dump(self.path / GROUPS_FILE)
        write_atomic(self.path / MANIFEST, json.dumps(manifest, ensure_ascii=False))
        meta = {"built_at": time.time(), "documents": documents, **(extra or {})}
        write_atomic(self.path / META, json.dumps(meta))
        for child in self.path.iterdir():
            if child.is_file():
                with open(child, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(self.path)
        # The switch: before this line readers see the old generation, after it the new one.
        write_atomic(self.root / POINTER, self.name + "\n")
        collect_garbage(self.root)

    def abort(self) -> None:
        if not self._done:
            self._done = True
            try:
                # A writer that failed (a full disk) may fail again: keep the first error.
                with suppress(Exception):
                    self.writer.cancel()
            finally:
                shutil.rmtree(self.path, ignore_errors=True)


def read_words(gen: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(gen / WORDS, encoding="utf-8") as fh:
            for line in fh:
                word, _, n = line.rstrip("\n").partition("\t")
                if word and n.isdigit():
                    out[word] = int(n)
    except FileNotFoundError:
        pass
    return out
