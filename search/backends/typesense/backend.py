"""TypesenseBackend: pressearch's collections on a Typesense cluster, the alias that says which
is live, the reindex manifest, and what is not one search (a document, more-like-this, stats).

Collections (``pressearch`` is the configured collection name)::

    pressearch                 an alias: what every search reads
    pressearch-g000003         a generation: one document per release
    pressearch-g000003-meta    its reindex state: the manifest (one document per corpus file),
                               the suggestion vocabulary and the region alias table

A manifest whose state is ``pending`` (an incremental reindex killed midway) counts as none:
the next reindex rebuilds in full. The rest of the backend, by module of this package:
``client`` (clients failing over between nodes), ``documents`` (collection schemas, an
article's document), ``transaction`` (writing a generation: a full rebuild or changes to the
live one), ``view`` (one search: the pipeline's plan as one ``multi_search``), ``query`` and
``segments`` (the Typesense queries it sends).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import httpx
import typesense
from typesense import exceptions as tse

from search.backends.typesense.client import batches, close_client, make_client, service
from search.backends.typesense.documents import QUERY_FIELDS, key, prepare
from search.backends.typesense.query import quote, text_field
from search.backends.typesense.transaction import BATCH_DOCS, TypesenseTransaction
from search.backends.typesense.view import TypesenseView
from search.index.analysis import WORD, fold, stem
from search.index.backend import (
    MAX_PER_PAGE,
    Backend,
    BackendUnavailable,
    Copy,
    Hit,
    IndexMissing,
    QueryNotSupported,
    SearchRequest,
    SearchResult,
)
from search.index.languages import NATIVE_FIELD
from search.index.native import key_terms
from search.index.pipeline import HitStream, iter_hits, run_search
from search.index.snippets import hit_from_article
from search.settings import Node, Settings


def _generation_pattern(alias: str) -> re.Pattern[str]:
    """``alias-gNNNNNN`` and its ``-meta``, and nothing else (another alias may share a prefix)."""
    return re.compile(re.escape(alias) + r"-g(\d{6})(?:-meta)?")


VIEW_TTL = 2.0  # seconds a searching process trusts its idea of the live generation

STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with said also which who their they he she we our not but been more".split()
)


class TypesenseBackend(Backend):
    """Search and write pressearch's collections on a Typesense cluster."""

    name = "typesense"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.alias = settings.collection
        self._view: TypesenseView | None = None
        self._lock = threading.Lock()
        self._files_seen: tuple[str, dict[str, str]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, index_dir: Path) -> TypesenseBackend:
        return cls(settings)

    # --- names and small helpers -------------------------------------------------------------

    def meta_name(self, collection: str) -> str:
        return f"{collection}-meta"

    @cached_property
    def client(self) -> typesense.Client:
        """The searching client: requests go to the nodes in turn, failing over."""
        return make_client(self.settings)

    @cached_property
    def writer(self) -> typesense.Client:
        """A client that asks the Raft leader first, so that a reindex reads its own writes
        (followers apply them a moment later); it still fails over to the other nodes."""
        for node in self.settings.nodes:
            with self._node_client(node) as probe:
                try:
                    leads = probe.debug.retrieve().get("state") == 1  # 1: leader
                except (tse.TypesenseClientError, httpx.HTTPError, OSError):
                    continue
            if leads:
                return make_client(self.settings, nearest=node)
        return self.client

    @contextmanager
    def _node_client(self, node: Node) -> Iterator[typesense.Client]:
        """A client of one node that does not retry (for probing nodes one by one)."""
        client = make_client(self.settings, (node,), num_retries=0, timeout=2.0)
        try:
            yield client
        finally:
            close_client(client)

    def live(self, client: typesense.Client | None = None) -> str | None:
        """The generation the alias points at, or None when there is no index."""
        client = client or self.client
        try:
            with service("read the collection alias"):
                return client.aliases[self.alias].retrieve()["collection_name"]
        except tse.ObjectNotFound:
            return None

    def get(
        self, collection: str, doc_id: str, client: typesense.Client | None = None
    ) -> dict[str, Any] | None:
        client = client or self.client
        try:
            with service("read a document"):
                return dict(client.collections[collection].documents[doc_id].retrieve())
        except tse.ObjectNotFound:
            return None

    def export(
        self, collection: str, kind: str, client: typesense.Client | None = None
    ) -> Iterator[dict[str, Any]]:
        client = client or self.client
        with service("export reindex state"):
            text = client.collections[collection].documents.export(
                {"filter_by": f"kind:={quote(kind)}"}
            )
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def import_docs(self, collection: str, docs: list[dict[str, Any]]) -> None:
        if not docs:
            return
        body = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs)
        with service("import documents"):
            text = self.writer.collections[collection].documents.import_(
                body.encode("utf-8"), {"action": "upsert"}
            )
        reply = [json.loads(line) for line in text.splitlines() if line.strip()]
        failed = [r for r in reply if not r.get("success")]
        if failed:
            sample = "; ".join(str(r.get("error")) for r in failed[:3])
            raise RuntimeError(f"Typesense refused {len(failed)} of {len(docs)} docs: {sample}")

    def delete_where(self, collection: str, expr: str) -> None:
        with service("delete documents"):
            self.writer.collections[collection].documents.delete({"filter_by": expr})

    def drop(self, collection: str) -> None:
        try:
            with service("drop a collection"):
                self.writer.collections[collection].delete()
        except tse.ObjectNotFound:
            pass

    def read_words(self, collection: str, client: typesense.Client | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for doc in self.export(self.meta_name(collection), "words", client):
            for line in doc.get("tsv", "").splitlines():
                word, _, n = line.partition("\t")
                if word and n.isdigit():
                    out[word] = int(n)
        return out

    # --- writing -----------------------------------------------------------------------------

    def preparer(self) -> Callable[[Any], Any]:
        return prepare

    def begin(self, full: bool = False) -> TypesenseTransaction:
        return TypesenseTransaction(self, full)

    def manifest(self) -> dict[str, Any]:
        live = self.live(self.writer)
        if live is None:
            return {}
        state = self.get(self.meta_name(live), "state", self.writer)
        if not state or state.get("pending") or "head" not in state:
            return {}  # no manifest, or an incremental reindex died midway: rebuild
        meta = self.meta_name(live)
        files = {d["path"]: d["entry"] for d in self.export(meta, "file", self.writer)}
        self._files_seen = (live, files)
        return {**json.loads(state["head"]), "files": {p: json.loads(e) for p, e in files.items()}}

    def save_manifest(self, manifest: dict[str, Any]) -> None:
        live = self.live(self.writer)
        if live is None:
            raise IndexMissing(f"no Typesense collection {self.alias!r}")
        self.write_manifest(live, manifest, stamp=time.time_ns() // 1000)

    def write_manifest(
        self, collection: str, manifest: dict[str, Any], stamp: int, **state_fields: Any
    ) -> None:
        """Write the file entries that changed, drop the removed ones, then the state (with
        ``state_fields``), which ends a pending reindex."""
        meta = self.meta_name(collection)
        seen = self._files_seen[1] if self._files_seen and self._files_seen[0] == collection else {}
        entries = {
            path: json.dumps(entry, ensure_ascii=False, sort_keys=True)
            for path, entry in manifest.get("files", {}).items()
        }
        changed = [
            {"id": "f-" + key(path), "kind": "file", "path": path, "entry": entry}
            for path, entry in entries.items()
            if seen.get(path) != entry
        ]
        for batch in batches(changed, BATCH_DOCS):
            self.import_docs(meta, batch)
        gone = ["f-" + key(p) for p in seen if p not in entries]
        for batch in batches(gone, 200):
            self.delete_where(meta, "id:[" + ",".join(batch) + "]")
        self._files_seen = (collection, entries)
        head = {k: v for k, v in manifest.items() if k != "files"}
        state = self.get(meta, "state", self.writer) or {}
        state.update(
            state_fields,
            id="state",
            kind="state",
            pending=False,
            stamp=stamp,
            head=json.dumps(head, ensure_ascii=False),
        )
        self.import_docs(meta, [state])

    def cleanup(self) -> list[str]:
        """Drop generations that no alias points at (left by a killed full rebuild)."""
        live = self.live(self.writer)
        with service("list collections"):
            existing = [c["name"] for c in self.writer.collections.retrieve()]
        dropped = []
        pattern = _generation_pattern(self.alias)
        for name in existing:
            if pattern.fullmatch(name) and name not in (live, live and self.meta_name(live)):
                self.drop(name)
                dropped.append(name)
        return dropped

    def next_generation(self) -> str:
        with service("list collections"):
            existing = [c["name"] for c in self.writer.collections.retrieve()]
        pattern = _generation_pattern(self.alias)
        numbers = [int(m.group(1)) for name in existing if (m := pattern.fullmatch(name))]
        return f"{self.alias}-g{max(numbers, default=0) + 1:06d}"

    def await_replication(self, collection: str, stamp: int, timeout: float = 30.0) -> list[str]:
        """Wait until every reachable node serves ``collection`` at ``stamp``; the lagging ones.

        Followers apply writes a moment after the leader: waiting here means a reindex returns
        when any node a reader may ask already answers with the new state.
        """
        lagging = []
        deadline = time.monotonic() + timeout
        for node in self.settings.nodes:
            with self._node_client(node) as client:
                while not self._serves(client, collection, stamp):
                    if time.monotonic() > deadline:
                        lagging.append(node.url())
                        break
                    time.sleep(0.1)
        return lagging

    def _serves(self, client: typesense.Client, collection: str, stamp: int) -> bool:
        try:
            target = client.aliases[self.alias].retrieve()["collection_name"]
            meta = client.collections[self.meta_name(collection)]
            return target == collection and meta.documents["state"].retrieve()["stamp"] == stamp
        except (tse.TypesenseClientError, httpx.HTTPError, OSError, KeyError):
            return False

    # --- reading -----------------------------------------------------------------------------

    def view(self) -> TypesenseView:
        """The live generation and its state, re-checked every ``VIEW_TTL`` seconds."""
        now = time.monotonic()
        view = self._view
        if view is not None and now - view.checked < VIEW_TTL:
            return view
        with self._lock:
            view = self._view
            if view is not None and now - view.checked < VIEW_TTL:
                return view
            live = self.live()
            if live is None:
                raise IndexMissing(
                    f"no Typesense collection {self.alias!r} (run: pressearch reindex)"
                )
            state = self.get(self.meta_name(live), "state") or {}
            stamp = int(state.get("stamp") or 0)
            if view is not None and view.collection == live and view.stamp == stamp:
                view.checked = now
            else:
                self._view = view = TypesenseView(self, live, stamp, now)
            return view

    def reset_view(self) -> None:
        """Forget the live generation's view: the next search looks it up again."""
        self._view = None

    def forget(self, view: TypesenseView) -> None:
        """Drop ``view`` (its generation is gone): the next search looks up the live one."""
        if self._view is view:
            self._view = None

    def search(self, request: SearchRequest) -> SearchResult:
        return run_search(self.view(), request)

    def iter_hits(self, request: SearchRequest, batch: int = MAX_PER_PAGE) -> HitStream:
        """Every hit: the plan made once, then its pages of ``MAX_PER_PAGE`` (``batch`` is not
        used), each within the time budget."""
        return iter_hits(self.view(), request)

    def multi_search(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The replies of ``searches``, sent in one request; a refused query is a 400."""
        # The client's types end here. Our searches are plain dicts (not MultiSearchParameters),
        # and Typesense 0.24 answers a refused search with {"error", "code"}, which its
        # SearchResponse does not describe: the replies are read as plain dicts too.
        perform = cast(Callable[..., dict[str, Any]], self.client.multi_search.perform)
        with service("search"):
            replies: list[dict[str, Any]] = perform({"searches": searches}, {})["results"]
        for reply in replies:
            if "error" in reply:
                if 400 <= int(reply.get("code") or 500) < 500:
                    raise QueryNotSupported(f"Typesense refused the query: {reply['error']}")
                raise BackendUnavailable(f"Typesense search failed: {reply['error']}")
        return replies

    def document(self, doc_id: str) -> dict[str, Any] | None:
        self.view()  # IndexMissing when there is no index
        found = self.get(self.alias, key(doc_id))
        return json.loads(found["doc"]) if found else None

    def copies(self, doc_id: str) -> tuple[Copy, ...]:
        return self.view().copies([{"id": doc_id}])[0]

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Releases sharing the most telling words of ``doc_id``'s title and body.

        Typesense 0.24 has no more-like-this and its ``q`` cannot OR words: the eight words
        with the highest tf-idf (against the suggestion vocabulary) are searched one per query
        in one ``multi_search``, and each release scores the weights of the words it has.
        """
        view = self.view()
        doc = self.document(doc_id)
        if doc is None:
            return []
        text = "\n".join([doc.get("title") or "", doc.get("body") or ""])[:20000]
        counts = Counter(w for w in WORD.findall(fold(text)) if len(w) > 2 and w.isalpha())
        freq = view.vocabulary.frequencies
        total = max(len(freq), 1)
        weights: dict[str, float] = {}
        for word in counts:
            if word not in STOP_WORDS:
                term = stem(word)
                weight = counts[word] * math.log(total / (1 + freq.get(word, 0)))
                weights[term] = max(weight, weights.get(term, 0.0))
        words = sorted(weights, key=lambda t: (-weights[t], t))[:8]
        common = {"collection": self.alias, "query_by": QUERY_FIELDS, "num_typos": 0,
                  "prefix": "false", "drop_tokens_threshold": 0, "per_page": 4 * limit + 1,
                  "include_fields": "doc", "highlight_fields": "none"}  # fmt: skip
        searches = [{**common, "q": w} for w in words]
        # A release in another language: also its most frequent native terms (CJK words,
        # stems), searched in the native field, each weighing as much as the best word.
        top_weight = max(weights.values(), default=1.0)
        for term in key_terms(doc, lambda _term: 1.0, n=8):
            searches.append({**common, "q": term, "query_by": text_field(NATIVE_FIELD)})
            words.append(term)
            weights[term] = max(weights.get(term, 0.0), top_weight / 2)
        replies = self.multi_search(searches)
        scores: dict[str, float] = {}
        found: dict[str, dict[str, Any]] = {}
        for word, reply in zip(words, replies, strict=True):
            for item in reply.get("hits", []):
                article = json.loads(item["document"]["doc"])
                if article["id"] != doc_id:
                    found[article["id"]] = article
                    scores[article["id"]] = scores.get(article["id"], 0.0) + weights[word]
        best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return [hit_from_article(found[i], scores[i], None) for i in best]

    def stats(self) -> dict[str, Any]:
        view = self.view()
        try:
            with service("read collection stats"):
                info = self.client.collections[view.collection].retrieve()
        except tse.ObjectNotFound:
            raise IndexMissing(f"Typesense collection {view.collection} is gone") from None
        state = self.get(self.meta_name(view.collection), "state") or {}
        return {
            "backend": self.name,
            "documents": int(info.get("num_documents", 0)),
            "generation": view.collection,
            "built_at": state.get("built_at"),
            "bytes": None,  # Typesense does not report a collection's size
            "nodes": [n.url() for n in self.settings.nodes],
        }

    def close(self) -> None:
        """Close the HTTP connections (the backend reconnects if used again)."""
        self._view = None
        clients = [self.__dict__.pop(name, None) for name in ("writer", "client")]
        for client in {id(c): c for c in clients if c is not None}.values():
            close_client(client)

    def __del__(self) -> None:
        with suppress(Exception):  # at interpreter shutdown there is nothing left to close
            self.close()
