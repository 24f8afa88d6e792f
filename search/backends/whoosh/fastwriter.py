"""A Whoosh segment writer for full rebuilds that keeps postings per term instead of per posting.

Whoosh's ``SegmentWriter`` puts every posting in a sorting pool as a tuple, sorts them all at
commit, then feeds them one by one to the codec, looking up the document's field length for
each. With a few hundred postings per press release that bookkeeping costs more than analysing
the text. This writer appends each posting to its term's arrays, sorts only the terms, and
hands the codec whole blocks. The files it writes are ordinary Whoosh 3 segments, identical to
what ``SegmentWriter`` writes for the same documents (``tests/test_segment_writer.py`` checks
postings, lengths, statistics and stored fields), so every reader works unchanged. The Whoosh
internals it needs are reached through ``whoosh_internals``.

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

from search.backends.whoosh.whoosh_internals import HookedSegmentWriter, write_term_blocks

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
    """Postings grouped by field and term: ``{field: {term: [ids, weights, values]}}``.

    Stands in for Whoosh's ``PostingPool``, of which the writer then only calls ``cleanup``.
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list[Any]]] = {}

    def terms(self, fieldname: str) -> dict[bytes, list[Any]]:
        """The term table of a field (created on first use)."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def cleanup(self) -> None:
        self.fields = {}


class FastSegmentWriter(HookedSegmentWriter):
    """``SegmentWriter`` with a per-term posting pool and a block-at-a-time flush."""

    pool: _TermPool

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
        docboost = self.start_document(fields)
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self.field_boost(fields, fieldname, docboost)
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
                        if vbytes:  # the codec keeps only non-empty values
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
        self.finish_document()

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("FastSegmentWriter writes fresh segments only")

    def write_pool(self, lengths: Any) -> None:
        fw = self.fieldwriter
        doccount = self.docnum
        side = _SideWriter()
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            # One length lookup per document and field, not one per posting.
            if lengths is not None:
                field_lengths = [lengths.doc_field_length(d, fieldname) for d in range(doccount)]
            else:
                field_lengths = [0] * doccount
            fw.start_field(fieldname, self.schema[fieldname])
            keep_side = fieldname in self.side_fields
            for btext in sorted(terms):
                ids, weights, values = terms[btext]
                if keep_side and len(ids) >= SIDE_MIN_DF:
                    side.add(fieldname, btext.decode("utf-8"), ids, weights)
                write_term_blocks(fw, btext, ids, weights, values, field_lengths)
            fw.finish_field()
        self.pool.cleanup()
        if self.side_fields and self.side_folder:
            side.write(self.side_folder, self.newsegment.segment_id())


class _SideWriter:
    """The side postings of one segment, collected term by term and written at the end."""

    def __init__(self) -> None:
        self.directory: dict[tuple[str, str], tuple[int, int]] = {}
        self.ids: list[array] = []
        self.weights: list[list[float]] = []
        self.count = 0

    def add(self, fieldname: str, text: str, ids: array, weights: list[float]) -> None:
        self.directory[(fieldname, text)] = (self.count, self.count + len(ids))
        self.ids.append(ids)
        self.weights.append(weights)
        self.count += len(ids)

    def write(self, folder: Path | str, segment_id: str) -> None:
        dir_path, ids_path, wts_path = side_paths(folder, segment_id)
        with open(ids_path, "wb") as fh:
            for chunk in self.ids:
                fh.write(np.frombuffer(chunk, dtype=np.uint32).tobytes())
        with open(wts_path, "wb") as fh:
            for weights in self.weights:
                fh.write(np.asarray(weights, dtype=np.float32).tobytes())
        # The directory last: a reader that finds it finds complete arrays.
        tmp = dir_path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(self.directory, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, dir_path)
