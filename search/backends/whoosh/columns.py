"""Per-generation numpy columns: live documents, dates, field lengths and facet values.

Read once per generation; counting a facet is then a couple of vector operations instead of
Whoosh's per-document faceting.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from search.backends.whoosh.facets import Facet
from search.backends.whoosh.postings import posting_ids
from search.backends.whoosh.whoosh_internals import deleted_docs
from search.index.schema import FACET_FIELDS, SCORED_FIELDS


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
            deleted = deleted_docs(leaf)
            if deleted:
                self.alive[np.fromiter(deleted, dtype=np.int64) + offset] = False
            for term in leaf.lexicon("date"):
                ids = posting_ids(leaf.postings("date", term)) + offset
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
                    ids = posting_ids(leaf.postings(fieldname, term)) + offset
                    vid = index.setdefault(value, len(index))
                    docs.append(ids)
                    vals.append(np.full(len(ids), vid, dtype=np.int64))
        # Field lengths as Whoosh's scorer sees them (byte-quantized), for BM25F in numpy.
        self.lengths: dict[str, np.ndarray] = {}
        for fieldname in SCORED_FIELDS:
            lengths = np.zeros(n, dtype=np.float64)
            for leaf, offset in leaves:
                dfl = leaf.doc_field_length
                count = leaf.doc_count_all()
                lengths[offset : offset + count] = [dfl(d, fieldname) for d in range(count)]
            self.lengths[fieldname] = lengths
        self.facets: dict[str, Facet] = {}
        for facet, (index, docs, vals) in facet_data.items():
            d = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            v = np.concatenate(vals) if vals else np.zeros(0, dtype=np.int64)
            keep = self.alive[d] if len(d) else np.zeros(0, dtype=bool)
            names = sorted(index, key=index.__getitem__)
            self.facets[facet] = Facet(facet, names, d[keep], v[keep])


def _utf8(term: bytes) -> str:
    return term.decode("utf-8")
