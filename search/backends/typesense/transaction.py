"""Writing a Typesense generation (the collections: see ``search.backends.typesense.backend``).

A full rebuild fills a new generation and then moves the alias in one call, so searches see the
old or the new collection, never half of one; the old generation is dropped afterwards. An
incremental reindex writes into the live generation: changed releases are upserted with a new
``stamp`` and only once all are in are the stale ones (an older stamp, from changed or removed
files) deleted, so a release being replaced is never missing. The manifest is marked ``pending``
meanwhile: a reindex killed midway leaves it so, and the next reindex rebuilds in full.
"""

from __future__ import annotations

import json
import time
from typing import Any, Protocol

import typesense

from search.backends.typesense.client import batches, service
from search.backends.typesense.documents import QUERY_FIELDS, collection_schema, key, meta_schema
from search.extract.regions import alias_map
from search.index.backend import IndexTransaction
from search.index.groups import Groups
from search.index.schema import FACET_FIELDS

BATCH_DOCS = 1000
BATCH_BYTES = 16 << 20
WORDS_PER_DOC = 20_000


class Store(Protocol):
    """What a transaction does through its backend (``TypesenseBackend``), and no more."""

    alias: str

    @property
    def writer(self) -> typesense.Client:
        """The client that asks the Raft leader first."""

    def live(self, client: typesense.Client | None = None) -> str | None: ...
    def meta_name(self, collection: str) -> str: ...
    def next_generation(self) -> str: ...
    def get(
        self, collection: str, doc_id: str, client: typesense.Client | None = None
    ) -> dict[str, Any] | None: ...
    def read_words(
        self, collection: str, client: typesense.Client | None = None
    ) -> dict[str, int]: ...
    def import_docs(self, collection: str, docs: list[dict[str, Any]]) -> None: ...
    def delete_where(self, collection: str, expr: str) -> None: ...
    def drop(self, collection: str) -> None: ...
    def write_manifest(
        self, collection: str, manifest: dict[str, Any], stamp: int, **state_fields: Any
    ) -> None: ...
    def await_replication(self, collection: str, stamp: int) -> list[str]: ...
    def reset_view(self) -> None: ...


class TypesenseTransaction(IndexTransaction):
    """A full rebuild into a new generation, or changes to the live one (see module doc)."""

    def __init__(self, backend: Store, full: bool):
        self.backend = backend
        self.stamp = time.time_ns() // 1000
        live = backend.live(backend.writer)
        self.previous = live
        if full or live is None:
            self.new, self.target = True, backend.next_generation()
        else:
            self.new, self.target = False, live
        self.meta = backend.meta_name(self.target)
        self.words: dict[str, int] = {}
        self.stale: list[str] = []
        self.buffer: list[dict[str, Any]] = []
        self.buffered = 0
        self.moved: dict[str, str] = {}
        client = backend.writer
        with service("create collections"):
            if self.new:
                client.collections.create(collection_schema(self.target))
                client.collections.create(meta_schema(self.meta))
            else:
                self.words = backend.read_words(self.target, client)
                state = backend.get(self.meta, "state", client) or {"id": "state", "kind": "state"}
                # Stale releases are those with an older stamp: keep stamps growing even if
                # the clock went back since the last reindex.
                self.stamp = max(self.stamp, int(state.get("stamp") or 0) + 1)
                backend.import_docs(self.meta, [{**state, "pending": True}])
        self._done = False

    def add(self, prepared: dict[str, Any]) -> None:
        doc = {**prepared, "stamp": self.stamp}
        self.buffer.append(doc)
        self.buffered += len(doc.get("doc", "")) * 3
        if len(self.buffer) >= BATCH_DOCS or self.buffered >= BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        self.backend.import_docs(self.target, self.buffer)
        self.buffer, self.buffered = [], 0

    def delete_path(self, path: str) -> None:
        # Deleted at commit, after the new documents are in (see the module docstring).
        self.stale.append(key(path))

    def add_words(self, counts: dict[str, int]) -> None:
        for word, n in counts.items():
            self.words[word] = self.words.get(word, 0) + n

    def set_groups(self, groups: Groups, moved: dict[str, str]) -> None:
        """The ``group`` field of the documents whose group changed, updated at commit (the
        documents written by this reindex hold their own id until then)."""
        self.moved = moved

    def _update_groups(self) -> None:
        updates = [{"id": key(doc_id), "group": gid} for doc_id, gid in sorted(self.moved.items())]
        for batch in batches(updates, BATCH_DOCS):
            body = "\n".join(json.dumps(d, ensure_ascii=False) for d in batch).encode("utf-8")
            with service("update groups"):
                reply = self.backend.writer.collections[self.target].documents.import_(
                    body, {"action": "update"}
                )
            failed = [line for line in reply.splitlines() if '"success":true' not in line]
            if failed:
                raise RuntimeError(f"Typesense refused {len(failed)} group updates: {failed[0]}")

    def commit(self, manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        backend = self.backend
        self._flush()
        self._update_groups()
        for batch in batches(self.stale, 100):
            keys = ",".join(batch)
            backend.delete_where(self.target, f"path_key:[{keys}] && stamp:<{self.stamp}")
        self._write_meta(manifest, extra)
        if self.new:
            with service("switch the collection alias"):
                backend.writer.aliases.upsert(backend.alias, {"collection_name": self.target})
        self._done = True
        if self.new and self.previous:
            backend.drop(self.previous)
            backend.drop(backend.meta_name(self.previous))
        backend.await_replication(self.target, self.stamp)
        backend.reset_view()

    def _write_meta(self, manifest: dict[str, Any], extra: dict[str, Any] | None) -> None:
        backend = self.backend
        with service("count regions"):
            reply = backend.writer.collections[self.target].documents.search(
                {
                    "q": "*",
                    "query_by": QUERY_FIELDS,
                    "facet_by": FACET_FIELDS["region"],
                    "max_facet_values": 1_000_000,
                    "per_page": 0,
                }
            )
        regions = {c["value"] for f in reply.get("facet_counts", []) for c in f["counts"]}
        words = sorted(self.words.items())
        chunks = [
            {"id": f"w-{i}", "kind": "words", "tsv": "".join(f"{w}\t{n}\n" for w, n in batch)}
            for i, batch in enumerate(batches(words, WORDS_PER_DOC))
        ]
        backend.delete_where(self.meta, "kind:=words")
        backend.import_docs(self.meta, chunks)
        region_map = json.dumps(alias_map(regions), ensure_ascii=False)
        backend.import_docs(self.meta, [{"id": "regions", "kind": "regions", "map": region_map}])
        # The state is written last, by write_manifest: until then an incremental run's state
        # stays pending (set in __init__) and a new generation has none.
        backend.write_manifest(
            self.target,
            manifest,
            self.stamp,
            built_at=time.time(),
            documents=int(reply.get("found", 0)),
            **(extra or {}),
        )

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        if self.new:  # nothing points at it yet
            self.backend.drop(self.target)
            self.backend.drop(self.meta)
        # An incremental change stays marked pending: the next reindex rebuilds in full.
