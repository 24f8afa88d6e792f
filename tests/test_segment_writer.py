"""``FastSegmentWriter`` against Whoosh's own ``SegmentWriter`` on the same documents.

Whoosh's writer gets the documents as plain text (Whoosh analyses them); ours gets them
pre-analysed as a reindex gives them. The two segments must hold the same documents, stored
fields, columns, field lengths, term statistics and postings (ids, weights, encoded values with
the positions), and the side postings must be copies of Whoosh's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shared_releases import shared_releases
from whoosh import index as windex

from search.backends.whoosh.documents import article_fields, prepare
from search.backends.whoosh.fastwriter import SIDE_MIN_DF, FastSegmentWriter, SidePostings
from search.index.schema import TEXT_FIELDS, make_schema
from search.ingest.article import Article

STATS = ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "max_id")


def _synthetic(n: int = 400) -> list[Article]:
    """Articles whose common terms fill several 128-posting blocks, with every field set."""
    words = "wind farm harbour rice court budget school grant solar port council".split()
    return [
        Article(
            id=str(i),
            path=f"{i % 7}.jsonl",
            title=" ".join(words[(i * 3 + k) % len(words)] for k in range(3)),
            lead=" ".join(words[(i + k) % len(words)] for k in range(i % 5)),
            body=" ".join(words[(i * k + 1) % len(words)] for k in range(40 + i % 90)),
            date=f"20{10 + i % 15}-01-0{1 + i % 9}" if i % 13 else None,
            source=f"Office {i % 4}",
            url=f"https://example.org/{i}",
            regions=[{"name": f"Region {i % 5}"}, {"name": f"Region {i % 3}"}],
            officials=[{"name": f"Official {i % 11}"}],
        )
        for i in range(n)
    ]


def _new_index(path: Path) -> Any:
    path.mkdir()
    return windex.create_in(str(path), make_schema())


def _build(tmp_path: Path, articles: list[Article]) -> tuple[Any, Any, Path]:
    """Readers of Whoosh's segment and of ours, and the folder of ours."""
    std_ix, fast_ix = _new_index(tmp_path / "std"), _new_index(tmp_path / "fast")
    writer = std_ix.writer()
    for article in articles:
        writer.add_document(**article_fields(article, std_ix.schema, preanalyze=False))
    writer.commit()
    writer = FastSegmentWriter(fast_ix, side_fields=TEXT_FIELDS)
    for article in articles:
        writer.add_document(**prepare(article))
    writer.commit()
    return std_ix.reader(), fast_ix.reader(), tmp_path / "fast"


def _postings(reader: Any, fieldname: str, text: bytes) -> list[tuple[int, float, bytes]]:
    """(document, weight, encoded value) of every posting of a term."""
    m = reader.postings(fieldname, text)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def assert_same_segment(std: Any, fast: Any) -> None:
    """Everything a reader can ask of a segment, equal in both."""
    n = std.doc_count_all()
    assert (fast.doc_count_all(), fast.doc_count()) == (n, std.doc_count())
    assert [fast.stored_fields(d) for d in range(n)] == [std.stored_fields(d) for d in range(n)]
    schema = std.schema
    for fieldname in schema.names():
        field = schema[fieldname]
        if field.scorable:
            # A field no document has (``native`` among English releases) has no length
            # column: Whoosh cannot read its min and max, only its total (0).
            stats = ("field_length", "min_field_length", "max_field_length")
            for stat in stats if std.field_length(fieldname) else stats[:1]:
                assert getattr(fast, stat)(fieldname) == getattr(std, stat)(fieldname)
            lengths = [std.doc_field_length(d, fieldname) for d in range(n)]
            assert [fast.doc_field_length(d, fieldname) for d in range(n)] == lengths
        if std.has_column(fieldname):
            assert list(fast.column_reader(fieldname)) == list(std.column_reader(fieldname))
    terms = list(std.all_terms())
    assert list(fast.all_terms()) == terms
    for fieldname, text in terms:
        a, b = std.term_info(fieldname, text), fast.term_info(fieldname, text)
        assert [getattr(b, s)() for s in STATS] == [getattr(a, s)() for s in STATS]
        # The encoded values hold the positions (or whatever else the field's format keeps).
        assert _postings(fast, fieldname, text) == _postings(std, fieldname, text)


def assert_side_postings_copy_whoosh(std: Any, folder: Path, segment_id: str) -> None:
    """Every text-field term in ``SIDE_MIN_DF`` documents or more, with Whoosh's ids and weights."""
    side = SidePostings(folder, segment_id)
    common = {
        (f, t.decode("utf-8"))
        for f, t in std.all_terms()
        if f in TEXT_FIELDS and std.doc_frequency(f, t) >= SIDE_MIN_DF
    }
    assert set(side.directory) == common and common
    for fieldname, text in common:
        got = side.get(fieldname, text)
        assert got is not None
        items = _postings(std, fieldname, text.encode("utf-8"))
        assert got[0].tolist() == [d for d, _, _ in items]
        np.testing.assert_array_equal(got[1], np.array([w for _, w, _ in items]))


def _check(tmp_path: Path, articles: list[Article]) -> None:
    std, fast, folder = _build(tmp_path, articles)
    assert_same_segment(std, fast)
    # The values compared carry the positions (phrase search reads them): make sure they do.
    word = next(text for field, text in fast.all_terms() if field == "body")
    assert all(p for _, p in fast.postings("body", word).items_as("positions"))
    assert_side_postings_copy_whoosh(std, folder, fast.segment().segment_id())


def test_fast_writer_writes_the_segment_whoosh_writes(tmp_path: Path) -> None:
    _check(tmp_path, _synthetic())


@pytest.mark.shared
@pytest.mark.slow
def test_fast_writer_writes_the_segment_whoosh_writes_for_real_releases(
    tmp_path: Path, shared_corpus: Path
) -> None:
    _check(tmp_path, shared_releases(shared_corpus))
