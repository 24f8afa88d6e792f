"""The Whoosh backend: generation directories swapped by a pointer file, cached facet columns.

Layout of an index directory::

    index/CURRENT        the name of the live generation ("gen-000007"), replaced atomically
    index/gen-000007/    a complete Whoosh index + manifest.json + words.tsv + meta.json
    index/reindex.lock   held (flock) by a running reindex

Every write builds a new generation: a full rebuild starts empty, an incremental one starts from
hard links to the live generation's files (Whoosh never rewrites a segment file in place, so the
live generation is untouched). ``CURRENT`` is switched with ``os.replace`` only once the new
generation is complete and synced, so a reader sees the old or the new index, never a part of
one, and a writer killed at any moment leaves the old one serving.

Readers stat ``CURRENT`` on every search (one syscall) and reopen when it changed. Facet values,
dates and live-document flags are read once per generation into numpy arrays; counting is then
a couple of vector operations per facet instead of Whoosh's per-document faceting.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher

from search.backends.whoosh.fastwriter import (
    SIDE_PREFIX,
    FastSegmentWriter,
    SidePostings,
    side_paths,
)
from search.extract.regions import alias_map
from search.index import query as qmod
from search.index.backend import (
    Backend,
    FacetValue,
    Hit,
    IndexMissing,
    IndexOutdated,
    IndexTransaction,
    SearchRequest,
    SearchResult,
)
from search.index.schema import FACET_FIELDS, TEXT_FIELDS, article_fields, make_schema, stem
from search.settings import Settings

POINTER = "CURRENT"
GEN_PREFIX = "gen-"
MANIFEST = "manifest.json"
WORDS = "words.tsv"
META = "meta.json"
REGION_NAMES = "regions.json"
LOCK = "reindex.lock"
_SKIP_LINK = {MANIFEST, META, WORDS, REGION_NAMES}
__all__ = ["IndexMissing", "WhooshBackend", "prepare"]  # IndexMissing: kept importable here


# --- preparing documents (runs in reindex workers) ---------------------------------------------

_schema = None


def prepare(article: Any) -> dict[str, Any]:
    """``add_document`` arguments for an article, text fields already analyzed."""
    global _schema
    if _schema is None:
        _schema = make_schema()
    return article_fields(article, _schema)


# --- generations --------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: str) -> None:
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
            self.words = _read_words(root / self.previous)
        if self.previous is None and fast:
            # A fresh segment: the per-term writer (same files, a fraction of the work).
            self.writer = FastSegmentWriter(self.ix, side_fields=TEXT_FIELDS)
        else:
            self.writer = self.ix.writer(limitmb=limitmb)
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

    def commit(self, manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        # A full rebuild wrote one fresh segment: no merging to do. Incremental commits let
        # Whoosh merge small segments as usual.
        self.writer.commit(merge=self.previous is not None)
        self._done = True
        with windex.open_dir(str(self.path)).searcher() as s:
            documents = s.doc_count()
            live = {leaf.segment().segment_id() for leaf, _ in s.reader().leaf_readers()}
            regions = {t.decode("utf-8") for t in s.reader().lexicon("regions")}
        _write_atomic(self.path / REGION_NAMES, json.dumps(alias_map(regions)))
        # Side postings of segments that Whoosh merged away are of no further use.
        for path in self.path.glob(SIDE_PREFIX + "*"):
            if path.stem[len(SIDE_PREFIX) :] not in live:
                path.unlink()
        words = "".join(f"{w}\t{n}\n" for w, n in sorted(self.words.items()))
        _write_atomic(self.path / WORDS, words)
        _write_atomic(self.path / MANIFEST, json.dumps(manifest, ensure_ascii=False))
        meta = {"built_at": time.time(), "documents": documents, **(extra or {})}
        _write_atomic(self.path / META, json.dumps(meta))
        for child in self.path.iterdir():
            if child.is_file():
                with open(child, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(self.path)
        # The switch: before this line readers see the old generation, after it the new one.
        _write_atomic(self.root / POINTER, self.name + "\n")
        collect_garbage(self.root)

    def abort(self) -> None:
        if not self._done:
            self._done = True
            try:
                self.writer.cancel()
            finally:
                shutil.rmtree(self.path, ignore_errors=True)


def _read_words(gen: Path) -> dict[str, int]:
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


# --- reading -------------------------------------------------------------------------------------


def _posting_ids(matcher: Any) -> np.ndarray:
    """All document numbers of a term's postings, block by block when the codec allows."""
    return _postings(matcher, weights=False)[0]


def _postings(matcher: Any, weights: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """Document numbers and weights (term frequency x field boost) of a term's postings.

    Reads Whoosh 3 blocks whole instead of stepping the matcher posting by posting.
    Deleted documents are included: callers mask them out with ``Columns.alive``.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block")):
        items = list(matcher.items_as("weight")) if weights else None
        if items is not None:
            ids = np.array([i for i, _ in items], dtype=np.int64)
            return ids, np.array([w for _, w in items], dtype=np.float64)
        return np.fromiter(matcher.all_ids(), dtype=np.int64), None
    id_chunks, weight_chunks = [], []
    while matcher.is_active():
        matcher._read_ids()
        id_chunks.append(np.asarray(matcher._ids, dtype=np.int64))
        if weights:
            matcher._read_weights()
            weight_chunks.append(np.asarray(matcher._weights, dtype=np.float64))
        matcher._next_block()
    if not id_chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0) if weights else None
    ids = np.concatenate(id_chunks)
    return ids, np.concatenate(weight_chunks) if weights else None


class Columns:
    """Per-generation arrays: live documents, dates as yyyymmdd ints, facet value lists."""

    def __init__(self, searcher: Any):
        reader = searcher.reader()
        self.size = n = reader.doc_count_all()
        self.alive = np.ones(n, dtype=bool)
        self.date = np.zeros(n, dtype=np.int64)
        leaves = reader.leaf_readers()
        facet_data: dict[str, tuple[dict[Any, int], list[np.ndarray], list[np.ndarray]]] = {
            name: ({}, [], []) for name in FACET_FIELDS
        }
        schema = reader.schema
        for leaf, offset in leaves:
            deleted = getattr(leaf, "deleted_docs_set", ())
            if deleted:
                self.alive[np.fromiter(deleted, dtype=np.int64) + offset] = False
            for term in leaf.lexicon("date"):
                ids = _posting_ids(leaf.postings("date", term)) + offset
                text = term.decode("utf-8")
                if len(text) == 10 and text[:4].isdigit():
                    self.date[ids] = int(text.replace("-", ""))
            for facet, fieldname in FACET_FIELDS.items():
                index, docs, vals = facet_data[facet]
                field = schema[fieldname]
                if fieldname == "year":
                    lexicon = field.sortable_terms(leaf, fieldname)
                    decode = field.from_bytes
                else:
                    lexicon = leaf.lexicon(fieldname)
                    decode = _utf8
                for term in list(lexicon):
                    value = decode(term)
                    ids = _posting_ids(leaf.postings(fieldname, term)) + offset
                    vid = index.setdefault(value, len(index))
                    docs.append(ids)
                    vals.append(np.full(len(ids), vid, dtype=np.int64))
        # Field lengths as Whoosh's scorer sees them (byte-quantized), for BM25F in numpy.
        self.lengths: dict[str, np.ndarray] = {}
        for fieldname in TEXT_FIELDS:
            lengths = np.zeros(n, dtype=np.float64)
            for leaf, offset in leaves:
                dfl = leaf.doc_field_length
                count = leaf.doc_count_all()
                lengths[offset : offset + count] = [dfl(d, fieldname) for d in range(count)]
            self.lengths[fieldname] = lengths
        self.facets: dict[str, qmod.Facet] = {}
        for facet, (index, docs, vals) in facet_data.items():
            d = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            v = np.concatenate(vals) if vals else np.zeros(0, dtype=np.int64)
            keep = self.alive[d] if len(d) else np.zeros(0, dtype=bool)
            names = sorted(index, key=index.get)
            self.facets[facet] = qmod.Facet(facet, names, d[keep], v[keep])


def _utf8(term: bytes) -> str:
    return term.decode("utf-8")


class Snapshot:
    """One opened generation: the Whoosh index, its columns and vocabulary, searchers per thread."""

    def __init__(self, root: Path, name: str):
        self.name = name
        self.path = root / name
        self.ix = windex.open_dir(str(self.path))
        self.schema = self.ix.schema
        self._local = threading.local()
        self._lock = threading.Lock()
        try:
            self.meta = json.loads((self.path / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.meta = {}

    def searcher(self) -> Any:
        """This thread's searcher (Whoosh searchers are not shared between threads)."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    @cached_property
    def columns(self) -> Columns:
        with self._lock:
            return Columns(self.searcher())

    @cached_property
    def side(self) -> dict[str, SidePostings]:
        """Side postings (see ``fastwriter``) of the segments that have them."""
        out = {}
        for leaf, _offset in self.searcher().reader().leaf_readers():
            segment_id = leaf.segment().segment_id()
            if side_paths(self.path, segment_id)[0].exists():
                out[segment_id] = SidePostings(self.path, segment_id)
        return out

    @cached_property
    def region_names(self) -> dict[str, str]:
        try:
            return json.loads((self.path / REGION_NAMES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def resolve_region(self, value: str) -> str:
        """The canonical region value for a name, alias or code (``value`` if unknown)."""
        try:
            from search.extract.regions import fold as region_fold
        except ImportError:
            return value
        return self.region_names.get(region_fold(value), value)

    @cached_property
    def vocabulary(self) -> qmod.Vocabulary:
        return qmod.Vocabulary(_read_words(self.path))


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
        _write_atomic(self.root / name / MANIFEST, json.dumps(manifest, ensure_ascii=False))

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
        started = time.perf_counter()
        snap = self.snapshot()
        searcher = snap.searcher()
        cols = snap.columns
        parsed = qmod.parse(request.query, snap.schema)
        base = cols.alive
        cache: dict[Any, Any] = {"side": snap.side}
        if parsed.query is not None:
            matched = self._query_mask(searcher, parsed.query, cols.size, cache)
            place = qmod.place_named_by(
                request.query, snap.resolve_region, cols.facets["region"].index
            )
            if place is not None:
                # A query that names a place also finds releases tagged with it under another
                # of its names ("South Jeolla" finds those that only say "Jeollanam-do").
                matched |= cols.facets["region"].mask([place], cols.size)
            base = base & matched
        for name, values in parsed.filters.items():
            base = base & self._clause_mask(snap, cols, name, values)
        if request.date_from or request.date_to:
            lo = _date_key(request.date_from) or 0
            hi = _date_key(request.date_to) or 99999999
            base = base & (cols.date >= lo) & (cols.date <= hi) & (cols.date > 0)

        selected = self._selections(request, snap, cols)
        filters = {
            name: cols.facets[name].mask(values, cols.size)
            for name, values in selected.items()
            if values
        }
        final = base
        for fmask in filters.values():
            final = final & fmask
        total = int(np.count_nonzero(final))
        start = (request.page - 1) * request.per_page
        stop = start + request.per_page
        sort = request.sort
        if (parsed.query is None or not parsed.scored) and sort == "relevance":
            sort = "newest"
        if start >= total:
            page: list[tuple[int, float | None]] = []
        elif sort == "relevance":
            scores = self._scores(searcher, cols, parsed.query, cache)
            page = _top(scores, final, stop)[start:stop]
        else:
            page = [(d, None) for d in self._sorted_docs(cols, final, sort, stop)[start:stop]]

        stems = parsed.stems() if request.snippets else set()
        hits = [
            self._hit(searcher, docnum, score, stems, request.snippets) for docnum, score in page
        ]
        facets: dict[str, list[FacetValue]] = {}
        totals: dict[str, int] = {}
        if request.facets:
            facets = qmod.facet_counts(
                cols.facets, base, filters, selected, request.facet_limit, totals
            )
        suggestion = self._suggestion(snap, searcher, parsed) if parsed.query is not None else None
        return SearchResult(
            query=request.query,
            total=total,
            page=request.page,
            per_page=request.per_page,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            facets=facets,
            facet_totals=totals,
            suggestion=suggestion,
        )

    def _selections(
        self, request: SearchRequest, snap: Snapshot, cols: Columns
    ) -> dict[str, list[Any]]:
        regions = []
        for value in request.regions:
            name = snap.resolve_region(value)
            if name not in regions:
                regions.append(name)
        sources = []
        source_facet = cols.facets["source"]
        for value in request.sources:
            found = [value] if value in source_facet.index else source_facet.matching(value)
            sources.extend(v for v in (found or [value]) if v not in sources)
        return {
            "region": regions,
            "year": list(dict.fromkeys(request.years)),
            "official": list(dict.fromkeys(request.officials)),
            "source": sources,
        }

    def _clause_mask(
        self, snap: Snapshot, cols: Columns, name: str, values: list[str]
    ) -> np.ndarray:
        """``region:x``-style clauses in the query text: every clause must hold."""
        facet = cols.facets[name]
        out = np.ones(cols.size, dtype=bool)
        for value in values:
            if name == "year":
                ok = value.isascii() and value.isdigit()
                matches: list[Any] = [int(value)] if ok else []
            elif name == "region":
                canonical = snap.resolve_region(value)
                matches = [canonical] if canonical in facet.index else facet.matching(value)
            else:
                matches = facet.matching(value)
            out &= facet.mask(matches, cols.size)
        return out

    def _term_postings(
        self, searcher: Any, fieldname: str, text: str, cache: dict
    ) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings over all segments (global docnums), read once per search."""
        key = (fieldname, text)
        found = cache.get(key)
        if found is None:
            ids, weights = [], []
            side = cache.get("side") or {}
            for leaf, offset in searcher.reader().leaf_readers():
                postings = side.get(leaf.segment().segment_id())
                got = postings.get(fieldname, text) if postings is not None else None
                if got is not None:
                    ids.append(got[0] + offset)
                    weights.append(got[1])
                elif key in leaf:
                    i, w = _postings(leaf.postings(fieldname, text))
                    ids.append(i + offset)
                    weights.append(w)
            if ids:
                found = (np.concatenate(ids), np.concatenate(weights))
            else:
                found = (np.zeros(0, dtype=np.int64), np.zeros(0))
            cache[key] = found
        return found

    def _query_mask(self, searcher: Any, q: wq.Query, size: int, cache: dict) -> np.ndarray:
        """Documents matching ``q`` (unscored), from postings for the common query shapes."""
        if isinstance(q, wq.Term):
            out = np.zeros(size, dtype=bool)
            out[self._term_postings(searcher, q.fieldname, q.text, cache)[0]] = True
            return out
        if isinstance(q, wq.And):
            out = np.ones(size, dtype=bool)
            for sub in q.subqueries:
                out &= self._query_mask(searcher, sub, size, cache)
            return out
        if isinstance(q, wq.Or) and not isinstance(q, wq.DisjunctionMax):
            out = np.zeros(size, dtype=bool)
            for sub in q.subqueries:
                out |= self._query_mask(searcher, sub, size, cache)
            return out
        if isinstance(q, wq.AndNot):
            return self._query_mask(searcher, q.a, size, cache) & ~self._query_mask(
                searcher, q.b, size, cache
            )
        if isinstance(q, wq.Not):
            return ~self._query_mask(searcher, q.query, size, cache)
        out = np.zeros(size, dtype=bool)
        out[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
        return out

    def _scores(self, searcher: Any, cols: Columns, q: wq.Query, cache: dict) -> np.ndarray:
        """BM25F (Whoosh's defaults, B=0.75, K1=1.2) of every document, summed over the
        positive terms of ``q``, computed with numpy over whole posting lists."""
        scores = np.zeros(cols.size)
        for fieldname, text, boost in _positive_terms(q):
            if fieldname not in cols.lengths:
                continue
            ids, weights = self._term_postings(searcher, fieldname, text, cache)
            if not len(ids):
                continue
            idf = searcher.idf(fieldname, text)
            avg = searcher.avg_field_length(fieldname) or 1.0
            norm = K1 * ((1 - B) + B * cols.lengths[fieldname][ids] / avg)
            scores[ids] += boost * idf * (weights * (K1 + 1)) / (weights + norm)
        return scores

    @staticmethod
    def _sorted_docs(cols: Columns, mask: np.ndarray, sort: str, limit: int) -> list[int]:
        docs = np.flatnonzero(mask)
        dates = cols.date[docs]
        # Undated documents go last either way; equal dates keep index order.
        if sort == "newest":
            key = np.where(dates > 0, 99999999 - dates, 99999999)
        else:
            key = np.where(dates > 0, dates, 99999999)
        key = key * (cols.size + 1) + docs
        if len(key) > limit * 2:
            part = np.argpartition(key, limit - 1)[:limit]
            docs, key = docs[part], key[part]
        return docs[np.argsort(key, kind="stable")][:limit].tolist()

    def _hit(
        self, searcher: Any, docnum: int, score: float | None, stems: set[str], snippets: bool
    ) -> Hit:
        doc = json.loads(searcher.stored_fields(docnum)["doc"])
        return qmod.hit_from_article(doc, score, stems if snippets else None)

    def _suggestion(self, snap: Snapshot, searcher: Any, parsed: qmod.ParsedQuery) -> str | None:
        reader = searcher.reader()

        def known(word: str) -> bool:
            term = stem(word)
            return any(reader.doc_frequency(f, term) > 0 for f in TEXT_FIELDS)

        return qmod.suggestion(parsed, known, snap.vocabulary)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        searcher = self.snapshot().searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        return json.loads(searcher.stored_fields(docnum)["doc"])

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        snap = self.snapshot()
        searcher = snap.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        doc = json.loads(searcher.stored_fields(docnum)["doc"])
        text = "\n".join([doc.get("title") or "", doc.get("body") or ""])[:20000]
        terms = [t for t, _ in searcher.key_terms_from_text("body", text, numterms=12)]
        if not terms:
            return []
        q = wq.Or([wq.Term("body", t) for t in terms] + [wq.Term("title", t) for t in terms])
        cols = snap.columns
        scores = self._scores(searcher, cols, q, {"side": snap.side})
        mask = cols.alive & (scores > 0)
        mask[docnum] = False
        return [
            qmod.hit_from_article(json.loads(searcher.stored_fields(d)["doc"]), score, None)
            for d, score in _top(scores, mask, limit)
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


B, K1 = 0.75, 1.2


def _positive_terms(q: wq.Query, boost: float = 1.0) -> list[tuple[str, str, float]]:
    """(field, term, boost) of every term that counts towards a document's score."""
    boost *= q.boost
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text, boost)] if isinstance(q.text, str) else []
    if isinstance(q, wq.Phrase):
        return [(q.fieldname, w, boost) for w in q.words]
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return _positive_terms(q.a, boost)
    if isinstance(q, wq.CompoundQuery):
        return [t for sub in q.subqueries for t in _positive_terms(sub, boost)]
    return []


def _top(scores: np.ndarray, mask: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) pairs among ``mask``, ties in index order."""
    docs = np.flatnonzero(mask)
    if len(docs) > limit * 4:
        part = np.argpartition(-scores[docs], limit - 1)[:limit]
        # Widen to every document tied with the last one kept, so ties break by docnum.
        cutoff = scores[docs[part]].min()
        docs = docs[scores[docs] >= cutoff]
    order = np.lexsort((docs, -scores[docs]))[:limit]
    return [(int(d), float(scores[d])) for d in docs[order]]


def _date_key(value: str | None) -> int | None:
    if not value:
        return None
    digits = value.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else None


def iter_docs(backend: WhooshBackend) -> Iterable[dict[str, Any]]:
    """Every stored article of the live generation (for tests and tools)."""
    searcher = backend.snapshot().searcher()
    for docnum in searcher.reader().all_doc_ids():
        yield json.loads(searcher.stored_fields(docnum)["doc"])
