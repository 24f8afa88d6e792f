"""The Whoosh backend: generation directories swapped by a pointer file, cached facet columns.

Writing: ``search.backends.whoosh.generations``. Reading: each search stats ``CURRENT`` (one
syscall) and reopens the ``Snapshot`` of the live generation when it changed; the snapshot
executes the search pipeline's plans with numpy columns read once per generation.
"""

from __future__ import annotations

import json
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq

from search.backends.whoosh.documents import prepare
from search.backends.whoosh.generations import (
    MANIFEST,
    POINTER,
    WhooshTransaction,
    collect_garbage,
    read_pointer,
    write_atomic,
)
from search.backends.whoosh.scoring import bm25f, top
from search.backends.whoosh.snapshot import Snapshot
from search.index.backend import (
    MAX_PER_PAGE,
    Backend,
    Copy,
    Hit,
    IndexMissing,
    IndexOutdated,
    SearchRequest,
    SearchResult,
)
from search.index.languages import NATIVE_FIELD
from search.index.native import key_terms
from search.index.pipeline import HitStream, iter_hits, run_search
from search.index.snippets import hit_from_article
from search.settings import Settings


class WhooshBackend(Backend):
    """Search and write a generation-swapped Whoosh index under ``root``."""

    name = "whoosh"

    def __init__(self, root: Path | str, writer_options: dict[str, Any] | None = None):
        self.root = Path(root)
        self.writer_options = writer_options or {}
        self._snapshot: Snapshot | None = None
        self._pointer_stat: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, index_dir: Path) -> WhooshBackend:
        return cls(index_dir)

    # writing

    def preparer(self) -> Callable[[Any], Any]:
        return prepare

    def begin(self, full: bool = False) -> WhooshTransaction:
        return WhooshTransaction(self.root, full, **self.writer_options)

    def manifest(self) -> dict[str, Any]:
        name = read_pointer(self.root)
        if name is None:
            return {}
        try:
            return json.loads((self.root / name / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_manifest(self, manifest: dict[str, Any]) -> None:
        name = read_pointer(self.root)
        if name is None:
            raise IndexMissing(f"no index in {self.root}")
        write_atomic(self.root / name / MANIFEST, json.dumps(manifest, ensure_ascii=False))

    # reading

    def snapshot(self) -> Snapshot:
        """The live generation, reopened when ``CURRENT`` changed since the last call."""
        try:
            st = os.stat(self.root / POINTER)
            key = (st.st_mtime_ns, st.st_ino, st.st_size)
        except FileNotFoundError:
            key = None
        snap = self._snapshot
        if snap is not None and key == self._pointer_stat:
            return snap
        with self._lock:
            for _attempt in range(5):
                name = read_pointer(self.root)
                if name is None:
                    raise IndexMissing(f"no index in {self.root} (run: pressearch reindex)")
                if self._snapshot is not None and self._snapshot.name == name:
                    break
                try:
                    self._snapshot = Snapshot(self.root, name)
                    break
                except (OSError, windex.EmptyIndexError):
                    # A newer reindex removed it between reading the pointer and opening it.
                    time.sleep(0.05)
                except (ImportError, AttributeError, pickle.UnpicklingError):
                    # Whoosh pickles the schema's classes by module path: an index written
                    # before a module moved cannot be read, only rebuilt.
                    raise IndexOutdated(
                        f"the index in {self.root} was written by an older pressearch "
                        "(run: pressearch reindex, which rebuilds it)"
                    ) from None
            else:
                raise IndexMissing(f"cannot open the index in {self.root}")
            self._pointer_stat = key
            return self._snapshot

    def search(self, request: SearchRequest) -> SearchResult:
        return run_search(self.snapshot(), request)

    def iter_hits(self, request: SearchRequest, batch: int = MAX_PER_PAGE) -> HitStream:
        """Every hit: the plan executed once over all matches, articles read as iterated
        (``batch`` is not used)."""
        return iter_hits(self.snapshot(), request)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        searcher = self.snapshot().searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        return json.loads(searcher.stored_fields(docnum)["doc"])

    def copies(self, doc_id: str) -> tuple[Copy, ...]:
        return self.snapshot().copies([{"id": doc_id}])[0]

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        snap = self.snapshot()
        searcher = snap.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        doc = json.loads(searcher.stored_fields(docnum)["doc"])
        text = "\n".join([doc.get("title") or "", doc.get("body") or ""])[:20000]
        terms = [t for t, _ in searcher.key_terms_from_text("body", text, numterms=12)]
        # A release in another language: also its own words (CJK words, native stems).
        native = key_terms(doc, lambda term: searcher.idf(NATIVE_FIELD, term))
        if not terms and not native:
            return []
        q = wq.Or([wq.Term("body", t) for t in terms] + [wq.Term("title", t) for t in terms]
                  + [wq.Term(NATIVE_FIELD, t) for t in native])  # fmt: skip
        cols = snap.columns
        scores = bm25f(searcher, cols.lengths, q, {"side": snap.side})
        mask = cols.alive & (scores > 0)
        mask[docnum] = False
        mask[snap.groups.copies(docnum)] = False  # its copies are listed as such
        if snap.groups:  # and others' copies once
            mask = snap.groups.collapse(mask, -scores)
        return [
            hit_from_article(json.loads(searcher.stored_fields(d)["doc"]), score, None)
            for d, score in top(scores, mask, limit)
        ]

    def cleanup(self) -> list[str]:
        return collect_garbage(self.root)

    def stats(self) -> dict[str, Any]:
        snap = self.snapshot()
        size = sum(p.stat().st_size for p in snap.path.iterdir() if p.is_file())
        return {
            "backend": self.name,
            "documents": snap.ix.doc_count(),
            "generation": snap.name,
            "built_at": snap.meta.get("built_at"),
            "bytes": size,
        }

    def close(self) -> None:
        self._snapshot = None


def iter_docs(backend: WhooshBackend) -> Iterable[dict[str, Any]]:
    """Every stored article of the live generation (for tests and tools)."""
    searcher = backend.snapshot().searcher()
    for docnum in searcher.reader().all_doc_ids():
        yield json.loads(searcher.stored_fields(docnum)["doc"])
