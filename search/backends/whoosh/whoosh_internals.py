"""Every use of whoosh-reloaded's private internals, behind public helpers; nothing else in
this package touches a ``_name`` of a Whoosh object.

Written against whoosh-reloaded 2.7.5, pinned ``>=2.7.5,<2.8`` in pyproject.toml. It relies on:

- ``whoosh.codec.whoosh3.W3LeafMatcher``: ``_read_ids``, ``_read_weights``, ``_next_block`` and
  the current block's ``_ids`` and ``_weights`` (``block_postings``);
- ``W3FieldWriter._postwriter`` and, on that ``W3PostingsWriter``, ``_blocklimit``,
  ``_write_block`` and the current block's ``_ids``, ``_weights``, ``_values``, ``_maxweight``,
  ``_minlength``, ``_maxlength`` (``write_term_blocks``);
- ``whoosh.reading.SegmentReader.deleted_docs_set`` (public name, undocumented:
  ``deleted_docs``);
- ``whoosh.writing.SegmentWriter``: ``_check_state``, ``_check_fields``, ``_doc_boost``,
  ``_field_boost``, ``_added`` and the ``_flush_segment`` step of ``commit``
  (``HookedSegmentWriter``).

If a Whoosh release renames or changes them: a matcher without the block methods makes
``block_postings`` return None and readers step the matcher through its public API (slower,
same results), a reader without ``deleted_docs_set`` makes ``deleted_docs`` ask ``is_deleted``
document by document (slower, same results); the writer fails at its first document or commit
with an AttributeError, or, if the names stay and their meaning changes, writes segments that
differ from Whoosh's own:
``tests/test_segment_writer.py`` compares every posting, length and stored field with
``SegmentWriter``'s, and ``tests/test_whoosh_scoring.py`` compares scores.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

from whoosh.writing import SegmentWriter


def block_postings(matcher: Any, weights: bool) -> tuple[list[Any], list[Any]] | None:
    """The ids (and weights, if asked) of a Whoosh 3 posting list, one array per block.

    Reading a block whole is several times faster than stepping the matcher posting by
    posting. None when ``matcher`` is not a block matcher: use its public API then.
    """
    if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block")):
        return None
    id_chunks: list[Any] = []
    weight_chunks: list[Any] = []
    while matcher.is_active():
        matcher._read_ids()
        id_chunks.append(matcher._ids)
        if weights:
            matcher._read_weights()
            weight_chunks.append(matcher._weights)
        matcher._next_block()
    return id_chunks, weight_chunks


def deleted_docs(leaf: Any) -> Iterable[int]:
    """The deleted document numbers of a segment reader."""
    found = getattr(leaf, "deleted_docs_set", None)  # read once per segment by Whoosh
    if found is None:
        return [d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
    return found


def write_term_blocks(
    fieldwriter: Any,
    btext: bytes,
    ids: array,
    weights: list[float],
    values: list[bytes],
    lengths: list[int],
) -> None:
    """One term's postings (document numbers ascending), written a whole block at a time.

    The blocks are what ``add_posting`` would build posting by posting: ids, weights, the
    non-empty encoded values, the maximum weight and the extreme non-zero field lengths of the
    block's documents (``lengths`` is indexed by document number).
    """
    fieldwriter.start_term(btext)
    pw = fieldwriter._postwriter
    limit = pw._blocklimit
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
    fieldwriter.finish_term()


class HookedSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the private steps of writing a document and a segment under
    public names, for a subclass that keeps its own posting pool."""

    def start_document(self, fields: dict[str, Any]) -> float:
        """Check that the writer is open and every field is in the schema: the document boost."""
        self._check_state()
        self._check_fields(self.schema, [name for name in fields if not name.startswith("_")])
        return float(self._doc_boost(fields))

    def field_boost(self, fields: dict[str, Any], fieldname: str, docboost: float) -> float:
        """The boost of one field of a document (its ``_<field>_boost`` or the document's)."""
        return float(self._field_boost(fields, fieldname, docboost))

    def finish_document(self) -> None:
        """Count the document (``commit`` writes a segment only if one was added)."""
        self._added = True
        self.docnum += 1

    def write_pool(self, lengths: Any) -> None:
        """Write the pooled postings with ``self.fieldwriter``; ``lengths`` is the segment's
        per-document reader (field lengths), or None when the codec keeps none."""
        raise NotImplementedError

    def _flush_segment(self) -> None:
        # What SegmentWriter does at commit, with the pool written by ``write_pool``.
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            self.write_pool(pdr)
        finally:
            self.fieldwriter.close()
            if pdr:
                pdr.close()
