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
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.writing import SegmentWriter


class _TermPool:
    """Postings grouped by field and term: ``{field: {term: [ids, weights, values]}}``."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self.fieldnames: set[str] = set()

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

    def __init__(self, ix: Any, **kwargs: Any):
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # the standard pool is never used: drop its temporary storage
        self.pool = _TermPool()

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
            for btext in sorted(terms):
                ids, weights, values = terms[btext]
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


def fast_writer(ix: Any, **kwargs: Any) -> FastSegmentWriter:
    """A ``FastSegmentWriter`` on ``ix`` (which should be empty: full rebuilds only)."""
    return FastSegmentWriter(ix, **kwargs)
