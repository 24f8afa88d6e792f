"""The exports of a search: every hit as CSV (streamed), an Atom feed, the OpenSearch file.

Both follow the search's ``collapse``: one row or entry per group of copies (the copies'
ids in a column, related links), or every release with ``collapse=0``. The CSV export runs
the search once, through the backend's ``iter_hits``, and checks the
first batch before the first byte is sent, so a search that fails at once is still an HTTP
error. A failure later cannot change the status any more: the file then ends with a row that
says it is incomplete, never silently short. Every cell and every XML value is cleaned (see
``web.safetext``), so no text in the index can break the encoding or the XML.
"""

from __future__ import annotations

import csv
import io
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from search.index.backend import MAX_PER_PAGE, Hit, IndexMissing
from web.context import backend
from web.params import SearchParams, parse_search
from web.safetext import ascii_filename, clean
from web.views import doc_url, iso_time, safe_snippet

feeds = Blueprint("feeds", __name__)

# ``copies``: the ids of the other releases of the row's group (collapsed searches).
CSV_COLUMNS = ("id", "title", "date", "source", "regions", "officials", "url", "page", "copies")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
INCOMPLETE = "# incomplete:"  # first cell of the row that ends a CSV file cut short
PARTIAL_NOTICE = "Partial results: the search stopped at its time limit, so some may be missing."


def _cell(value: Any) -> str:
    """A clean CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else clean(str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def _row(hit: Hit, base: str) -> list[str]:
    page = base + doc_url(hit.id)
    return [
        _cell(hit.id),
        _cell(hit.title),
        _cell(hit.date),
        _cell(hit.source),
        _cell("; ".join(hit.regions)),
        _cell("; ".join(hit.officials)),
        _cell(hit.url),
        page,
        _cell("; ".join(copy.id for copy in hit.copies)),
    ]


def _csv_lines(hits: Iterable[Hit], found: Any, base: str) -> Iterator[str]:
    """The CSV text in chunks; a failure or a partial search ends it with an INCOMPLETE row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    written = 0
    try:
        for hit in hits:
            writer.writerow(_row(hit, base))
            written += 1
            if buf.tell() > 16384:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
    except Exception as exc:  # the status is sent: the file itself must say it is cut short
        current_app.logger.exception("CSV export failed after %d rows", written)
        writer.writerow(
            [INCOMPLETE, f"the export failed after {written} rows ({type(exc).__name__})"]
        )
    else:
        total = getattr(found, "total", None)  # known at once to a backend that streams
        if getattr(found, "partial", False):
            writer.writerow([INCOMPLETE, PARTIAL_NOTICE])
        elif isinstance(total, int) and written < total:
            writer.writerow([INCOMPLETE, f"{written} of {total} rows: the search stopped early"])
    yield buf.getvalue()


def download_name(query: str) -> str:
    """Content-Disposition of a CSV download: an ASCII name plus RFC 6266 ``filename*``."""
    plain = f"pressearch-{ascii_filename(query) or ('search' if query else 'all')}.csv"
    full = f"pressearch-{clean(query)[:40].strip() or 'all'}.csv"
    if full == plain:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"


@feeds.route("/export.csv")
def export_csv() -> Response:
    """Every hit of a search (not one page) as CSV, streamed."""
    params = parse_search(request.args, facets=False, snippets=False, per_page=MAX_PER_PAGE)
    found = backend().iter_hits(replace(params.request, page=1))
    hits = iter(found)
    # The first batch is searched now, so that a missing index or a refused query is still
    # an HTTP status rather than a broken download.
    first = next(hits, None)
    rows = itertools.chain([first] if first is not None else [], hits)
    return Response(
        stream_with_context(_csv_lines(rows, found, request.host_url.rstrip("/"))),
        mimetype="text/csv",
        headers={"Content-Disposition": download_name(params.query)},
    )


@dataclass(frozen=True)
class FeedEntry:
    """One hit as an Atom entry."""

    hit: Hit
    updated: str | None  # the release date as an Atom timestamp
    summary: str

    @classmethod
    def of(cls, hit: Hit) -> FeedEntry:
        updated = f"{hit.date}T00:00:00Z" if hit.date else None
        # Plain str, so the XML template escapes the snippet's HTML (Atom type="html").
        return cls(hit, updated, str.__str__(safe_snippet(hit.snippet)))


def _urls(params: SearchParams) -> dict[str, str]:
    qs = params.query_string(sort=None)
    tail = f"?{qs}" if qs else ""
    return {
        "self_url": url_for("feeds.feed_atom", _external=True) + tail,
        "html_url": url_for("pages.search", _external=True) + tail,
        "host": request.host_url.rstrip("/"),  # doc_url() adds the script root
    }


@feeds.route("/feed.atom")
def feed_atom() -> Response:
    """An Atom feed of the newest hits of a search (subscribe to get alerts)."""
    size = current_app.config["FEED_SIZE"]
    params = parse_search(request.args, sort="newest", per_page=size, facets=False)
    result = backend().search(replace(params.request, page=1))
    entries = [FeedEntry.of(hit) for hit in result.hits]
    try:
        built = backend().stats().get("built_at")
    except IndexMissing:
        built = None
    fallback = iso_time(built) if built else iso_time(time.time())
    updated = max((e.updated for e in entries if e.updated), default=fallback)
    body = render_template(
        "feed.xml",
        params=params,
        entries=entries,
        updated=updated,
        fallback=fallback,
        partial=PARTIAL_NOTICE if getattr(result, "partial", False) else None,
        **_urls(params),
    )
    return Response(body, mimetype="application/atom+xml")


@feeds.route("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description that lets a browser add this site as a search engine."""
    body = render_template("opensearch.xml", base=request.host_url.rstrip("/"))
    return Response(body, mimetype="application/opensearchdescription+xml")
