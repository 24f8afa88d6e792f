"""The Typesense backend: the same search engine on a Typesense cluster, chosen by configuration.

Collections (``pressearch`` is the configured collection name)::

    pressearch                 an alias: what every search reads
    pressearch-g000003         a generation: one document per release
    pressearch-g000003-meta    its reindex state: the manifest (one document per corpus file),
                               the suggestion vocabulary and the region alias table

A full rebuild fills a new generation and then moves the alias in one call, so searches see the
old or the new collection, never half of one; the old generation is dropped afterwards. An
incremental reindex writes into the live generation: changed releases are upserted with a new
``stamp`` and only once all are in are the stale ones (an older stamp, from changed or removed
files) deleted, so a release being replaced is never missing. The manifest is marked ``pending``
meanwhile: a reindex killed midway leaves it so, and the next reindex rebuilds in full.

Searching: ``search.backends.typesense.query`` turns our parsed query into ``q`` and
``filter_by``; a
``multi_search`` request carries the main query plus, for each facet with a selection, one
query without that facet's own filter (multi-select counts). Snippets are made from the stored
article by the same function as Whoosh's (Typesense highlights the indexed stems, which are not
display text). The client retries a failed request on the other nodes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx
import typesense
from typesense import exceptions as tse

from search.backends.typesense.query import (
    TypesenseQuery,
    quote,
    text_field,
    text_filter,
    translate,
)
from search.extract.regions import alias_map
from search.extract.regions import fold as region_fold
from search.index import query as qmod
from search.index.backend import (
    FACETS,
    Backend,
    BackendUnavailable,
    FacetValue,
    Hit,
    IndexMissing,
    IndexTransaction,
    QueryNotSupported,
    SearchRequest,
    SearchResult,
)
from search.index.schema import (
    FACET_FIELDS,
    FIELD_BOOSTS,
    TEXT_FIELDS,
    WORD,
    article_year,
    fold,
    indexed_texts,
    make_schema,
    names,
    stem,
    terms,
)
from search.settings import Node, Settings


def _generation_pattern(alias: str) -> re.Pattern[str]:
    """``alias-gNNNNNN`` and its ``-meta``, and nothing else (another alias may share a prefix)."""
    return re.compile(re.escape(alias) + r"-g(\d{6})(?:-meta)?")


BATCH_DOCS = 1000
BATCH_BYTES = 16 << 20
# Values listed per facet: Typesense 0.24 reads a stored document for each value it returns,
# so listing every value costs ~0.15 ms a value (600 ms for 4 x 1,000 on 23k releases).
DEFAULT_FACET_VALUES = 100  # when the request sets no limit; the web page shows at most 100
MAX_FACET_VALUES = 1000
VIEW_TTL = 2.0  # seconds a searching process trusts its idea of the live generation
WORDS_PER_DOC = 20_000
QUERY_FIELDS = ",".join(text_field(f) for f in TEXT_FIELDS)
# Typesense wants integer weights: the same 3 : 1.5 : 1 as the Whoosh field boosts.
QUERY_WEIGHTS = ",".join(str(round(FIELD_BOOSTS[f] * 2)) for f in TEXT_FIELDS)
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with said also which who their they he she we our not but been more".split()
)


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def key(value: str) -> str:
    """A short hash: Typesense document ids must be URL-safe, our ids and paths are not."""
    return hashlib.blake2b(value.encode("utf-8"), digest_size=16).hexdigest()


def _epoch(date: str | None) -> int | None:
    try:
        return int(datetime.strptime(date or "", "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
    except ValueError:
        return None


def collection_schema(name: str) -> dict[str, Any]:
    """The release collection, from our schema: analyzed text, facets, date and bookkeeping."""
    fields: list[dict[str, Any]] = [
        {"name": text_field(f), "type": "string", "optional": True} for f in TEXT_FIELDS
    ]
    fields += [
        {"name": FACET_FIELDS["region"], "type": "string[]", "facet": True, "optional": True},
        {"name": FACET_FIELDS["official"], "type": "string[]", "facet": True, "optional": True},
        {"name": FACET_FIELDS["source"], "type": "string", "facet": True, "optional": True},
        {"name": FACET_FIELDS["year"], "type": "int32", "facet": True, "optional": True},
        {"name": "date", "type": "int64", "optional": True},  # epoch seconds, UTC midnight
        {"name": "dated", "type": "int32"},  # 1 or 0: undated releases sort last
        {"name": "path_key", "type": "string"},  # key(corpus path): deletes by file
        {"name": "stamp", "type": "int64"},  # the reindex that wrote it
    ]
    # The article itself ("doc", JSON) is stored but not in the schema: not indexed.
    return {"name": name, "fields": fields}


def meta_schema(name: str) -> dict[str, Any]:
    return {"name": name, "fields": [{"name": "kind", "type": "string", "facet": True}]}


def prepare(article: Any) -> dict[str, Any]:
    """The Typesense document of an article (runs in reindex workers)."""
    doc: dict[str, Any] = {
        "id": key(article.id),
        "path_key": key(article.path),
        "dated": 0,
        "doc": json.dumps(article.to_dict(), ensure_ascii=False, separators=(",", ":")),
    }
    for name, text in indexed_texts(article).items():
        if text:
            doc[text_field(name)] = " ".join(terms(text))
    if regions := names(article.regions):
        doc[FACET_FIELDS["region"]] = regions
    if officials := names(article.officials):
        doc[FACET_FIELDS["official"]] = officials
    if article.source:
        doc[FACET_FIELDS["source"]] = article.source
    if (year := article_year(article)) is not None:
        doc[FACET_FIELDS["year"]] = year
    if (epoch := _epoch(article.date)) is not None:
        doc["date"], doc["dated"] = epoch, 1
    return doc


def make_client(settings: Settings, nodes: tuple[Node, ...] | None = None, **options: Any):
    """A Typesense client over ``nodes`` (default: all configured), failing over between them."""
    nodes = nodes or settings.nodes
    config = {
        "nodes": [{"host": n.host, "port": n.port, "protocol": n.protocol} for n in nodes],
        "api_key": settings.api_key,
        "connection_timeout_seconds": float(settings.extra.get("timeout_seconds", 5)),
        # Every node gets a second chance: a leader election can take a couple of seconds.
        "num_retries": 2 * len(nodes) + 1,
        "retry_interval_seconds": 0.2,
        "healthcheck_interval_seconds": 15,
    }
    config.update(options)
    return typesense.Client(config)


def close_client(client: Any) -> None:
    """Close a client's connection pool (``typesense.Client`` has no ``close`` of its own)."""
    client.api_call.close()


_CLIENT_ERRORS = (
    tse.ObjectNotFound,
    tse.ObjectAlreadyExists,
    tse.ObjectUnprocessable,
    tse.RequestMalformed,
    tse.RequestUnauthorized,
    tse.RequestForbidden,
)


@contextmanager
def _service(what: str) -> Iterator[None]:
    """Turn 'no node answered' into ``BackendUnavailable``; request errors pass through."""
    try:
        yield
    except _CLIENT_ERRORS:
        raise
    except (tse.TypesenseClientError, httpx.HTTPError, OSError) as exc:
        raise BackendUnavailable(f"Typesense cannot {what}: {exc}") from exc


@dataclass
class _View:
    """What a searching process knows of one state of the live generation."""

    backend: TypesenseBackend
    collection: str
    stamp: int
    checked: float

    def _gone(self) -> None:
        """A reindex dropped this generation meanwhile: the next search looks again."""
        if self.backend._view is self:
            self.backend._view = None

    @cached_property
    def regions(self) -> dict[str, str]:
        doc = self.backend._get(self.backend.meta_name(self.collection), "regions")
        if doc is None:
            self._gone()
        return json.loads(doc["map"]) if doc else {}

    @cached_property
    def region_values(self) -> set[str]:
        return set(self.regions.values())

    def resolve_region(self, value: str) -> str:
        return self.regions.get(region_fold(value), value)

    @cached_property
    def words(self) -> dict[str, int]:
        try:
            return self.backend._read_words(self.collection)
        except tse.ObjectNotFound:
            self._gone()
            return {}

    @cached_property
    def vocabulary(self) -> qmod.Vocabulary:
        return qmod.Vocabulary(self.words)

    @cached_property
    def stems(self) -> set[str]:
        return {stem(w) for w in self.words}


class TypesenseBackend(Backend):
    """Search and write pressearch's collections on a Typesense cluster."""

    name = "typesense"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.alias = settings.collection
        self._view: _View | None = None
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
                leader = {"host": node.host, "port": node.port, "protocol": node.protocol}
                return make_client(self.settings, nearest_node=leader)
        return self.client

    @contextmanager
    def _node_client(self, node: Node) -> Iterator[typesense.Client]:
        """A client of one node that does not retry (for probing nodes one by one)."""
        client = make_client(self.settings, (node,), num_retries=0, connection_timeout_seconds=2.0)
        try:
            yield client
        finally:
            close_client(client)

    def _live(self, client: Any = None) -> str | None:
        """The generation the alias points at, or None when there is no index."""
        client = client or self.client
        try:
            with _service("read the collection alias"):
                return client.aliases[self.alias].retrieve()["collection_name"]
        except tse.ObjectNotFound:
            return None

    def _get(self, collection: str, doc_id: str, client: Any = None) -> dict[str, Any] | None:
        client = client or self.client
        try:
            with _service("read a document"):
                return client.collections[collection].documents[doc_id].retrieve()
        except tse.ObjectNotFound:
            return None

    def _export(self, collection: str, kind: str, client: Any = None) -> Iterator[dict[str, Any]]:
        client = client or self.client
        with _service("export reindex state"):
            text = client.collections[collection].documents.export(
                {"filter_by": f"kind:={quote(kind)}"}
            )
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def _import(self, collection: str, docs: list[dict[str, Any]]) -> None:
        if not docs:
            return
        body = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs)
        with _service("import documents"):
            text = self.writer.collections[collection].documents.import_(
                body.encode("utf-8"), {"action": "upsert"}
            )
        reply = [json.loads(line) for line in text.splitlines() if line.strip()]
        failed = [r for r in reply if not r.get("success")]
        if failed:
            sample = "; ".join(str(r.get("error")) for r in failed[:3])
            raise RuntimeError(f"Typesense refused {len(failed)} of {len(docs)} docs: {sample}")

    def _delete_where(self, collection: str, expr: str) -> None:
        with _service("delete documents"):
            self.writer.collections[collection].documents.delete({"filter_by": expr})

    def _drop(self, collection: str) -> None:
        try:
            with _service("drop a collection"):
                self.writer.collections[collection].delete()
        except tse.ObjectNotFound:
            pass

    def _read_words(self, collection: str, client: Any = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for doc in self._export(self.meta_name(collection), "words", client):
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
        live = self._live(self.writer)
        if live is None:
            return {}
        state = self._get(self.meta_name(live), "state", self.writer)
        if not state or state.get("pending") or "head" not in state:
            return {}  # no manifest, or an incremental reindex died midway: rebuild
        meta = self.meta_name(live)
        files = {d["path"]: d["entry"] for d in self._export(meta, "file", self.writer)}
        self._files_seen = (live, files)
        return {**json.loads(state["head"]), "files": {p: json.loads(e) for p, e in files.items()}}

    def save_manifest(self, manifest: dict[str, Any]) -> None:
        live = self._live(self.writer)
        if live is None:
            raise IndexMissing(f"no Typesense collection {self.alias!r}")
        self._write_manifest(live, manifest, stamp=time.time_ns() // 1000)

    def _write_manifest(
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
        for batch in _batches(changed, BATCH_DOCS):
            self._import(meta, batch)
        gone = ["f-" + key(p) for p in seen if p not in entries]
        for batch in _batches(gone, 200):
            self._delete_where(meta, "id:[" + ",".join(batch) + "]")
        self._files_seen = (collection, entries)
        head = {k: v for k, v in manifest.items() if k != "files"}
        state = self._get(meta, "state", self.writer) or {}
        state.update(
            state_fields,
            id="state",
            kind="state",
            pending=False,
            stamp=stamp,
            head=json.dumps(head, ensure_ascii=False),
        )
        self._import(meta, [state])

    def cleanup(self) -> list[str]:
        """Drop generations that no alias points at (left by a killed full rebuild)."""
        live = self._live(self.writer)
        with _service("list collections"):
            existing = [c["name"] for c in self.writer.collections.retrieve()]
        dropped = []
        pattern = _generation_pattern(self.alias)
        for name in existing:
            if pattern.fullmatch(name) and name not in (live, live and self.meta_name(live)):
                self._drop(name)
                dropped.append(name)
        return dropped

    def next_generation(self) -> str:
        with _service("list collections"):
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

    def view(self) -> _View:
        """The live generation and its state, re-checked every ``VIEW_TTL`` seconds."""
        now = time.monotonic()
        view = self._view
        if view is not None and now - view.checked < VIEW_TTL:
            return view
        with self._lock:
            view = self._view
            if view is not None and now - view.checked < VIEW_TTL:
                return view
            live = self._live()
            if live is None:
                raise IndexMissing(
                    f"no Typesense collection {self.alias!r} (run: pressearch reindex)"
                )
            state = self._get(self.meta_name(live), "state") or {}
            stamp = int(state.get("stamp") or 0)
            if view is not None and view.collection == live and view.stamp == stamp:
                view.checked = now
            else:
                self._view = view = _View(self, live, stamp, now)
            return view

    @cached_property
    def _whoosh_schema(self) -> Any:
        return make_schema()  # the query parser's field list

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        view = self.view()
        parsed = qmod.parse(request.query, self._whoosh_schema)
        plan = translate(parsed.query)
        sort = request.sort
        if sort == "relevance" and not plan.ranked:
            sort = "newest"
        common = [self._clause(view, name, vals) for name, vals in parsed.filters.items()]
        if request.date_from or request.date_to:
            common.append("dated:=1")
            if (lo := _epoch(request.date_from)) is not None:
                common.append(f"date:>={lo}")
            if (hi := _epoch(request.date_to)) is not None:
                common.append(f"date:<={hi}")
        place = None
        if parsed.query is not None:
            place = qmod.place_named_by(request.query, view.resolve_region, view.region_values)
        segments = _segments(plan, parsed, place, sort)
        selected = self._selections(request, view)
        chosen = {
            name: f"{FACET_FIELDS[name]}:={_values(vals)}"
            for name, vals in selected.items()
            if vals
        }
        facet_names = list(FACETS) if request.facets else []
        limit = min(request.facet_limit or DEFAULT_FACET_VALUES, MAX_FACET_VALUES)
        searches: list[dict[str, Any]] = []
        for i, segment in enumerate(segments):
            base = common + segment.filters
            main = segment.params(self.alias, base + list(chosen.values()))
            # The first segment's page is asked for at once: usually it is the whole answer.
            main.update(
                page=request.page if i == 0 else 1, per_page=request.per_page if i == 0 else 0
            )
            # Years get a query of their own (all of them, for the chart), as does each facet
            # with a selection (counted without its own filter); the rest share the main one.
            apart = [n for n in facet_names if n in chosen or n == "year"]
            if shared := [FACET_FIELDS[n] for n in facet_names if n not in apart]:
                main["facet_by"] = ",".join(shared)
                main["max_facet_values"] = limit + 1
            searches.append(main)
            for name in apart:
                others = [expr for other, expr in chosen.items() if other != name]
                extra = segment.params(self.alias, base + others)
                most = MAX_FACET_VALUES if name == "year" else limit + 1 + len(selected[name])
                extra.update(per_page=0, facet_by=FACET_FIELDS[name], max_facet_values=most)
                searches.append(extra)
        replies = self._multi_search(searches)
        mains = [r for r, q in zip(replies, searches, strict=True) if "page" in q]
        found = [int(r.get("found", 0)) for r in mains]
        docs = self._page(segments, mains, found, request, common + list(chosen.values()))
        counts: dict[str, Counter] = {name: Counter() for name in facet_names}
        totals: dict[str, int] = {}
        for reply in replies:
            for facet in reply.get("facet_counts", []):
                name = _FACET_NAMES[facet["field_name"]]
                cast = int if name == "year" else str
                counts[name].update({cast(c["value"]): c["count"] for c in facet["counts"]})
                distinct = int((facet.get("stats") or {}).get("total_values") or 0)
                totals[name] = max(totals.get(name, 0), distinct, len(counts[name]))
        facets = {
            name: _facet_values(
                counts[name],
                selected[name],
                None if name == "year" else request.facet_limit,
                by_value=name == "year",
            )
            for name in facet_names
        }
        stems = parsed.stems() if request.snippets else set()
        hits = [
            qmod.hit_from_article(doc, score, stems if request.snippets else None)
            for doc, score in docs
        ]
        suggestion = self._suggestion(view, parsed) if parsed.query is not None else None
        return SearchResult(
            query=request.query,
            total=sum(found),
            page=request.page,
            per_page=request.per_page,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            facets=facets,
            facet_totals={name: max(totals.get(name, 0), len(facets[name])) for name in facets},
            suggestion=suggestion,
        )

    def _multi_search(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The replies of ``searches``, sent in one request; a refused query is a 400."""
        with _service("search"):
            replies = self.client.multi_search.perform({"searches": searches}, {})["results"]
        for reply in replies:
            if "error" in reply:
                if 400 <= int(reply.get("code") or 500) < 500:
                    raise QueryNotSupported(f"Typesense refused the query: {reply['error']}")
                raise BackendUnavailable(f"Typesense search failed: {reply['error']}")
        return replies

    def _page(
        self,
        segments: list[_Segment],
        mains: list[dict[str, Any]],
        found: list[int],
        request: SearchRequest,
        filters: list[str],
    ) -> list[tuple[dict[str, Any], float | None]]:
        """The requested page of the segments' results laid end to end."""
        start = (request.page - 1) * request.per_page
        stop = start + request.per_page
        out = [_doc_and_score(h, segments[0].ranked) for h in mains[0].get("hits", [])]
        if stop <= found[0] or len(segments) == 1:
            return out
        # Later segments: fetch the (at most two) pages of each that cover the window.
        wanted: list[tuple[int, int, int]] = []  # (segment, first row, rows)
        offset = found[0]
        for i in range(1, len(segments)):
            lo, hi = max(start, offset), min(stop, offset + found[i])
            if lo < hi:
                wanted.append((i, lo - offset, hi - lo))
            offset += found[i]
        n = request.per_page
        searches, plan = [], []
        for i, first, rows in wanted:
            for page in sorted({first // n + 1, (first + rows - 1) // n + 1}):
                search = segments[i].params(self.alias, filters + segments[i].filters)
                search.update(page=page, per_page=n)
                searches.append(search)
                plan.append((i, first, rows, page))
        replies = self._multi_search(searches) if searches else []
        rows_of: dict[int, list[dict[str, Any]]] = {}
        for (i, _first, _rows, _page), reply in zip(plan, replies, strict=True):
            rows_of.setdefault(i, []).extend(reply.get("hits", []))
        for i, first, rows in wanted:
            skip = first - (first // n) * n
            out += [_doc_and_score(h, False) for h in rows_of.get(i, [])[skip : skip + rows]]
        return out[: request.per_page]

    def _clause(self, view: _View, name: str, values: list[str]) -> str:
        """``region:x``-style clauses in the query text: every clause must hold."""
        field_name = FACET_FIELDS[name]
        parts = []
        for value in values:
            if name == "year":
                year = int(value) if value.isascii() and value.isdigit() else None
                parts.append(f"year:={year}" if year is not None and year < 2**31 else "dated:=-1")
            elif name == "region" and (canon := view.resolve_region(value)) in view.region_values:
                parts.append(f"{field_name}:={_values([canon])}")
            else:  # the words of a value, e.g. official:Park matches "Park Min-jae"
                text = " ".join(WORD.findall(value))
                parts.append(f"{field_name}:{quote(text)}" if text else "dated:=-1")
        return " && ".join(parts)

    def _selections(self, request: SearchRequest, view: _View) -> dict[str, list[Any]]:
        regions = list(dict.fromkeys(view.resolve_region(v) for v in request.regions))
        return {
            "region": regions,
            "year": list(dict.fromkeys(request.years)),
            "official": list(dict.fromkeys(request.officials)),
            "source": list(dict.fromkeys(request.sources)),
        }

    def _suggestion(self, view: _View, parsed: qmod.ParsedQuery) -> str | None:
        stems = view.stems  # the vocabulary may keep words of deleted releases: close enough
        return qmod.suggestion(parsed, lambda word: stem(word) in stems, view.vocabulary)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        self.view()  # IndexMissing when there is no index
        found = self._get(self.alias, key(doc_id))
        return json.loads(found["doc"]) if found else None

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
        replies = self._multi_search([{**common, "q": w} for w in words])
        scores: Counter[str] = Counter()
        found: dict[str, dict[str, Any]] = {}
        for word, reply in zip(words, replies, strict=True):
            for item in reply.get("hits", []):
                article = json.loads(item["document"]["doc"])
                if article["id"] != doc_id:
                    found[article["id"]] = article
                    scores[article["id"]] += weights[word]
        best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return [qmod.hit_from_article(found[i], scores[i], None) for i in best]

    def stats(self) -> dict[str, Any]:
        view = self.view()
        try:
            with _service("read collection stats"):
                info = self.client.collections[view.collection].retrieve()
        except tse.ObjectNotFound:
            raise IndexMissing(f"Typesense collection {view.collection} is gone") from None
        state = self._get(self.meta_name(view.collection), "state") or {}
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


_SORTS = {
    "relevance": "_text_match:desc,dated:desc,date:desc",
    "newest": "dated:desc,date:desc",
    "oldest": "dated:desc,date:asc",
}
_FACET_NAMES = {v: k for k, v in FACET_FIELDS.items()}


@dataclass
class _Segment:
    """One Typesense query whose results are laid after the previous segment's."""

    q: str
    filters: list[str]
    prefix: bool
    sort: str
    ranked: bool

    def params(self, collection: str, filters: list[str]) -> dict[str, Any]:
        out = {
            "collection": collection,  # the alias, resolved by Typesense: never a dropped one
            "q": self.q,
            "query_by": QUERY_FIELDS,
            "query_by_weights": QUERY_WEIGHTS,
            "prefix": "true" if self.prefix else "false",
            "num_typos": 0,
            "typo_tokens_threshold": 0,
            "drop_tokens_threshold": 0,
            "highlight_fields": "none",
            "include_fields": "doc",
            "sort_by": _SORTS[self.sort],
        }
        if expr := " && ".join(f for f in filters if f):
            out["filter_by"] = expr
        return out


def _segments(
    plan: TypesenseQuery, parsed: qmod.ParsedQuery, place: str | None, sort: str
) -> list[_Segment]:
    """The queries whose results, end to end, are the answer.

    One, except when the query names a place: then, as in Whoosh, releases tagged with the
    place match too. Typesense cannot OR a text query with a filter, so the tagged releases
    lacking the text come after the text matches as further queries: tagged and without
    item 1; tagged, with item 1 and without item 2; and so on (disjoint, so counts add up).
    That keeps relevance order for the text matches, like Whoosh, whose tagged-only matches
    score nothing. Sorted by date, a single filter (text OR tag) keeps the date order whole.
    """
    first = _Segment(plan.q, [plan.filter] if plan.filter else [], plan.prefix, sort, plan.ranked)
    if place is None:
        return [first]
    tagged = f"{FACET_FIELDS['region']}:={_values([place])}"
    expr = text_filter(parsed.query) if parsed.query is not None else None
    if expr and (sort != "relevance" or plan.filter):
        return [_Segment("*", [f"({expr} || {tagged})"], False, sort, False)]
    if plan.filter or plan.excluded or plan.prefix:
        return [first]  # not a plain place name after all: the text alone
    by_date = sort if sort != "relevance" else "newest"
    rest = [
        _Segment(" ".join([*plan.positive[:i], "-" + item]), [tagged], False, by_date, False)
        for i, item in enumerate(plan.positive)
    ]
    return [first, *rest]


def _doc_and_score(hit: dict[str, Any], ranked: bool) -> tuple[dict[str, Any], float | None]:
    return json.loads(hit["document"]["doc"]), float(hit.get("text_match") or 0) if ranked else None


def _values(values: list[Any]) -> str:
    return "[" + ",".join(str(v) if isinstance(v, int) else quote(v) for v in values) + "]"


def _facet_values(
    counts: dict[Any, int], selected: list[Any], limit: int | None, by_value: bool
) -> list[FacetValue]:
    """Counts in the Whoosh backend's order: by count then value (years by value), selected
    values always listed."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if by_value:
        items.sort(key=lambda kv: kv[0])
    items = [kv for kv in items if kv[1] > 0][:limit] if limit is not None else items
    out = [FacetValue(v, n, v in selected) for v, n in items]
    listed = {v.value for v in out}
    out += [FacetValue(v, counts.get(v, 0), True) for v in selected if v not in listed]
    if by_value:
        out.sort(key=lambda v: (isinstance(v.value, str), v.value))
    return out


class TypesenseTransaction(IndexTransaction):
    """A full rebuild into a new generation, or changes to the live one (see module doc)."""

    def __init__(self, backend: TypesenseBackend, full: bool):
        self.backend = backend
        self.stamp = time.time_ns() // 1000
        live = backend._live(backend.writer)
        self.new = full or live is None
        self.previous = live
        self.target = backend.next_generation() if self.new else live
        self.meta = backend.meta_name(self.target)
        self.words: dict[str, int] = {}
        self.stale: list[str] = []
        self.buffer: list[dict[str, Any]] = []
        self.buffered = 0
        client = backend.writer
        with _service("create collections"):
            if self.new:
                client.collections.create(collection_schema(self.target))
                client.collections.create(meta_schema(self.meta))
            else:
                self.words = backend._read_words(self.target, client)
                state = backend._get(self.meta, "state", client) or {"id": "state", "kind": "state"}
                # Stale releases are those with an older stamp: keep stamps growing even if
                # the clock went back since the last reindex.
                self.stamp = max(self.stamp, int(state.get("stamp") or 0) + 1)
                backend._import(self.meta, [{**state, "pending": True}])
        self._done = False

    def add(self, prepared: dict[str, Any]) -> None:
        doc = {**prepared, "stamp": self.stamp}
        self.buffer.append(doc)
        self.buffered += len(doc.get("doc", "")) * 3
        if len(self.buffer) >= BATCH_DOCS or self.buffered >= BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        self.backend._import(self.target, self.buffer)
        self.buffer, self.buffered = [], 0

    def delete_path(self, path: str) -> None:
        # Deleted at commit, after the new documents are in (see the module docstring).
        self.stale.append(key(path))

    def add_words(self, counts: dict[str, int]) -> None:
        for word, n in counts.items():
            self.words[word] = self.words.get(word, 0) + n

    def commit(self, manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        backend = self.backend
        self._flush()
        for batch in _batches(self.stale, 100):
            keys = ",".join(batch)
            backend._delete_where(self.target, f"path_key:[{keys}] && stamp:<{self.stamp}")
        self._write_meta(manifest, extra)
        if self.new:
            with _service("switch the collection alias"):
                backend.writer.aliases.upsert(backend.alias, {"collection_name": self.target})
        self._done = True
        if self.new and self.previous:
            backend._drop(self.previous)
            backend._drop(backend.meta_name(self.previous))
        backend.await_replication(self.target, self.stamp)
        backend._view = None

    def _write_meta(self, manifest: dict[str, Any], extra: dict[str, Any] | None) -> None:
        backend = self.backend
        with _service("count regions"):
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
            for i, batch in enumerate(_batches(words, WORDS_PER_DOC))
        ]
        backend._delete_where(self.meta, "kind:=words")
        backend._import(self.meta, chunks)
        region_map = json.dumps(alias_map(regions), ensure_ascii=False)
        backend._import(self.meta, [{"id": "regions", "kind": "regions", "map": region_map}])
        # The state is written last, by _write_manifest: until then an incremental run's state
        # stays pending (set in __init__) and a new generation has none.
        backend._write_manifest(
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
            self.backend._drop(self.target)
            self.backend._drop(self.meta)
        # An incremental change stays marked pending: the next reindex rebuilds in full.
