"""A Whoosh segment writer for full rebuilds that keeps postings per term instead of per posting.

Whoosh's ``SegmentWriter`` puts every posting in a sorting pool as a tuple, sorts them all at
commit, then feeds them one by one to the codec, looking up the document's field length for
each. With a few hundred postings per press release that bookkeeping costs more than analysing
the text. This writer appends each posting to its term's arrays, sorts only the terms, and
hands the codec whole blocks. The files it writes are ordinary Whoosh 3 segments, identical to
what ``SegmentWriter`` writes for the same documents (``tests/test_index.py`` checks postings,
statistics and scores), so every reader works unchanged.

Used for full rebuilds (one fresh segment, no merging); incremental updates go through the
standard writer.

It also writes *side postings* for the segment: the document numbers (uint32) and weights
(float32) of every text-field term with at least ``SIDE_MIN_DF`` documents, as flat arrays a
reader maps into memory. Whoosh stores postings as zlib-compressed pickled blocks, and reading
a common term's blocks back costs more than everything else a query does; with these arrays a
query gets a whole posting list as a numpy slice. Readers fall back to Whoosh's own postings
for segments or terms without them, so they are an optimisation, never a requirement.
"""

from __future__ import annotations

import os
import pickle
from array import array
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.writing import SegmentWriter

SIDE_PREFIX = "sidepost_"  # not a Whoosh file pattern: Whoosh's cleanup leaves these alone
SIDE_MIN_DF = 64  # rarer terms are one small Whoosh block: cheap enough to read as they are


def side_paths(folder: Path | str, segment_id: str) -> tuple[Path, Path, Path]:
    """The directory, ids and weights files of a segment's side postings."""
    base = Path(folder) / f"{SIDE_PREFIX}{segment_id}"
    return base.with_suffix(".dir"), base.with_suffix(".ids"), base.with_suffix(".wts")


class SidePostings:
    """A segment's side postings, memory-mapped: ``get(field, term) -> (ids, weights)``."""

    def __init__(self, folder: Path | str, segment_id: str):
        dir_path, ids_path, wts_path = side_paths(folder, segment_id)
        with open(dir_path, "rb") as fh:
            self.directory: dict[tuple[str, str], tuple[int, int]] = pickle.load(fh)
        size = ids_path.stat().st_size
        self.ids = np.memmap(ids_path, dtype=np.uint32, mode="r") if size else np.zeros(0)
        self.weights = np.memmap(wts_path, dtype=np.float32, mode="r") if size else np.zeros(0)

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        found = self.directory.get((fieldname, text))
        if found is None:
            return None
        start, end = found
        return self.ids[start:end].astype(np.int64), self.weights[start:end].astype(np.float64)


class _TermPool:
    """Postings grouped by field and term: ``{field: {term: [ids, weights, values]}}``."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> dict[bytes, list[Any]]:
        """The term table of a field (created on first use)."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        entry = terms.get(btext)
        if entry is None:
            entry = terms[btext] = [array("I"), [], []]
        entry[0].append(docnum)
        entry[1].append(weight)
        if vbytes:  # the codec keeps only non-empty values
            entry[2].append(vbytes)

    def iter_postings(self):  # pragma: no cover - only the standard flush would call it
        raise NotImplementedError("FastSegmentWriter flushes its pool itself")

    def cleanup(self) -> None:
        self.fields = {}


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a per-term posting pool and a block-at-a-time flush."""

    def __init__(self, ix: Any, side_fields: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # the standard pool is never used: drop its temporary storage
        self.pool = _TermPool()
        self.side_fields = side_fields
        self.side_folder = getattr(ix.storage, "folder", None)

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document`` with postings appended straight to their terms.

        The same steps in the same order as Whoosh's (stored fields, lengths, columns through
        the per-document writer), minus the per-posting tuple and pool call.
        """
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    terms = pool.terms(fieldname)
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        entry = terms.get(tbytes)
                        if entry is None:
                            entry = terms[tbytes] = [array("I"), [], []]
                        entry[0].append(docnum)
                        entry[1].append(weight * fieldboost)
                        if vbytes:
                            entry[2].append(vbytes)
                if field.separate_spelling() or field.vector:
                    raise NotImplementedError("spelling fields and vectors are not supported")
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, customval if field.stored else None, length
                )
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(
                        fieldname, column, field.to_column_value(customval)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("FastSegmentWriter writes fresh segments only")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            self._write_postings(pdr)
        finally:
            self.fieldwriter.close()
            if pdr:
                pdr.close()

    def _write_postings(self, pdr: Any) -> None:
        fw = self.fieldwriter
        doccount = self.docnum
        side_dir: dict[tuple[str, str], tuple[int, int]] = {}
        side_ids: list[array] = []
        side_weights: list[list[float]] = []
        side_count = 0
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            fieldobj = self.schema[fieldname]
            # One length lookup per document and field, not one per posting.
            if pdr is not None:
                lengths = [pdr.doc_field_length(d, fieldname) for d in range(doccount)]
            else:
                lengths = [0] * doccount
            fw.start_field(fieldname, fieldobj)
            pw = fw._postwriter
            limit = pw._blocklimit
            side = fieldname in self.side_fields
            for btext in sorted(terms):
                ids, weights, values = terms[btext]
                if side and len(ids) >= SIDE_MIN_DF:
                    side_dir[(fieldname, btext.decode("utf-8"))] = (
                        side_count,
                        side_count + len(ids),
                    )
                    side_ids.append(ids)
                    side_weights.append(weights)
                    side_count += len(ids)
                fw.start_term(btext)
                for start in range(0, len(ids), limit):
                    if start:
                        pw._write_block()
                    chunk = ids[start : start + limit]
                    chunk_weights = weights[start : start + limit]
                    pw._ids = chunk
                    pw._weights = array("f", chunk_weights)
                    pw._values = values[start : start + limit] if values else []
                    pw._maxweight = max(0, max(chunk_weights))
                    lens = [n for n in map(lengths.__getitem__, chunk) if n]
                    pw._minlength = min(lens) if lens else None
                    pw._maxlength = max(lens) if lens else 0
                fw.finish_term()
            fw.finish_field()
        self.pool.cleanup()
        if self.side_fields and self.side_folder:
            self._write_side(side_dir, side_ids, side_weights)

    def _write_side(self, directory: dict, ids: list[array], weights: list[list[float]]) -> None:
        dir_path, ids_path, wts_path = side_paths(self.side_folder, self.newsegment.segment_id())
        with open(ids_path, "wb") as fh:
            for chunk in ids:
                fh.write(np.frombuffer(chunk, dtype=np.uint32).tobytes())
        with open(wts_path, "wb") as fh:
            for chunk in weights:
                fh.write(np.asarray(chunk, dtype=np.float32).tobytes())
        # The directory last: a reader that finds it finds complete arrays.
        tmp = dir_path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(directory, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, dir_path)


def fast_writer(ix: Any, **kwargs: Any) -> FastSegmentWriter:
    """A ``FastSegmentWriter`` on ``ix`` (which should be empty: full rebuilds only)."""
    return FastSegmentWriter(ix, **kwargs)
