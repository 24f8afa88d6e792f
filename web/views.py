"""Routes: the HTML pages, the JSON API, and the exports (CSV, Atom, OpenSearch)."""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from search.index.backend import IndexMissing, SearchRequest, SearchResult
from web.context import backend
from web.facets import facet_views, year_chart
from web.params import SearchParams, parse_search
from web.safetext import clean, clean_value

pages = Blueprint("pages", __name__)
api = Blueprint("api", __name__, url_prefix="/api")

_MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str) -> Markup:
    """The backend's snippet as Markup: only ``<mark>`` survives, all other text escaped once.

    The backend already escapes; unescaping each text piece before escaping it again keeps
    that from showing as ``&amp;amp;`` while guaranteeing no other tag can get through.
    """
    parts = _MARK.split(snippet or "")
    return Markup("".join(p if p in ("<mark>", "</mark>") else html.escape(html.unescape(p))
                          for p in parts))  # fmt: skip


# --- pages ---------------------------------------------------------------------------------------


@pages.route("/")
@pages.route("/search")
def search() -> str:
    """The search page: box, results, facets, chart, paging."""
    params = parse_search(request.args)
    cfg = current_app.config
    # Only the values a facet shows are listed ("More values (N)" counts the rest).
    shown = cfg["FACET_MORE"] if params.more else cfg["FACET_SHOWN"]
    result = backend().search(replace(params.request, facet_limit=shown))
    views = facet_views(
        params, result.facets, cfg["FACET_SHOWN"], cfg["FACET_MORE"], result.facet_totals
    )
    years = next((v for v in views if v.name == "year"), None)
    return render_template(
        "search.html",
        params=params,
        result=result,
        facets=[v for v in views if v.name != "year"],
        years=years,
        chart=year_chart(years.links) if years else None,
        pager=_pager(params, result),
        home=request.path == "/" and not request.args,
        partial=getattr(result, "partial", False),  # a search cut short by its time budget
    )


def _pager(params: SearchParams, result: SearchResult) -> dict[str, Any]:
    """Previous/next and a window of page numbers (capped where the backend stops paging)."""
    from search.index.backend import MAX_PAGE

    last = min(result.pages, MAX_PAGE)
    page = params.request.page
    window = range(max(1, page - 3), min(last, page + 3) + 1)
    return {
        "page": page,
        "last": last,
        "prev": params.query_string(page=page - 1) if page > 1 else None,
        "next": params.query_string(page=page + 1) if page < last else None,
        "first": params.query_string(page=1) if window and window[0] > 1 else None,
        "numbers": [(n, params.query_string(page=n)) for n in window],
    }


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


@pages.route("/doc/<path:doc_id>")
def doc(doc_id: str) -> str:
    """One cleaned article with its entities and similar releases (looked up in the index only)."""
    article = clean_value(backend().document(doc_id))
    if article is None:
        raise NotFound("No release with that id is in the index.")
    similar = backend().more_like_this(doc_id, current_app.config["MORE_LIKE_THIS"])
    return render_template(
        "doc.html",
        article=article,
        paragraphs=_paragraphs(article.get("body") or ""),
        officials=_names(article.get("officials")),
        regions=_names(article.get("regions")),
        similar=similar,
        copies=backend().copies(doc_id),
        url=_http_url(article.get("url")),
    )


def _names(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items or []:
        entry = dict(item) if isinstance(item, dict) else {"name": str(item)}
        if entry.get("name"):
            out.append(entry)
    return out


def _http_url(url: Any) -> str | None:
    """Only http(s) links are rendered: a ``javascript:`` URL in a document stays text."""
    if isinstance(url, str) and re.match(r"https?://", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


@pages.route("/official/<path:name>")
def official(name: str) -> str:
    """Every release naming an official, newest first, with their years and companions."""
    return _entity_page("official", name)


@pages.route("/region/<path:name>")
def region(name: str) -> str:
    """Every release naming a place, newest first, with its years and companions."""
    return _entity_page("region", name)


def _entity_page(kind: str, name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise NotFound(f"No such {kind}.")
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k != kind])
    args.setlist(kind, [name])
    params = parse_search(args, sort=request.args.get("sort") or "newest")
    name = params.values(kind)[0]  # canonical (a region alias resolves to its name)
    req = params.request
    # The same name as a clause in the query text restricts every facet's counts, the
    # entity's own facet included: those are the companions. A name with a double quote
    # cannot be written as a clause; the page then lists no companions of its own kind.
    clause = f'{kind}:"{name}"' if '"' not in name else ""
    if clause:
        req = replace(req, query=f"{clause} {req.query}".strip())
    result = backend().search(req)
    exists = params.query or params.has_filters_besides(kind) or req.page > 1
    if result.total == 0 and not exists:
        raise NotFound(f"No release names the {kind} {name!r}.")
    views = {v.name: v for v in facet_views(params, result.facets, 10, 10)}
    companions = {}
    for other in ("official", "region"):
        links = [link for link in views[other].links if not (other == kind and link.value == name)]
        if other == kind and not clause:
            links = []
        companions[other] = [link for link in links if link.count][:10]
    offices, read = _offices(req, name) if kind == "official" else ([], 0)
    return render_template(
        "entity.html",
        kind=kind,
        name=name,
        native=_native_name(result, name) if kind == "region" else None,
        params=params,
        result=result,
        chart=year_chart(views["year"].links),
        companions=companions,
        offices=offices,
        offices_read=read,
        pager=_pager(params, result),
        partial=getattr(result, "partial", False),
    )


# The offices of an official are read from the stored releases (hits carry names only):
# a bounded number of them, the page's first in its own order, keeps the page fast.
OFFICE_RELEASES = 200


@dataclass
class Office:
    """One title and place the releases give an official, how many and in which years."""

    title: str | None
    place: str | None
    count: int
    first: int | None
    last: int | None

    @property
    def label(self) -> str:
        return ", ".join(part for part in (self.title, self.place) if part)


def _offices(req: SearchRequest, name: str) -> tuple[list[Office], int]:
    """The distinct (title, place) pairs the first releases of ``req`` give ``name``.

    Returns them most frequent first, and how many releases were read.
    """
    store = backend()
    wanted = _text(name).casefold()
    found: dict[tuple[str | None, str | None], list[int | None]] = {}
    read = 0
    stream = store.iter_hits(replace(req, page=1, snippets=False, facets=False))
    for hit in islice(stream, OFFICE_RELEASES):
        read += 1
        article = store.document(hit.id) or {}
        year = int(hit.date[:4]) if hit.date and hit.date[:4].isdigit() else None
        keys = {
            _office_key(e) for e in article.get("officials") or [] if _names_official(e, wanted)
        }
        for key in keys - {(None, None)}:  # one count a release, whatever it repeats
            found.setdefault(key, []).append(year)
    offices = [_office(key, years) for key, years in found.items()]
    offices.sort(key=lambda o: (-o.count, -(o.last or 0), o.label.casefold()))
    return offices, read


# The native name of a place is read from the regions the first releases store for it.
NATIVE_RELEASES = 5


def _native_name(result: SearchResult, name: str) -> str | None:
    """The place's name in its own language ("上海市" for Shanghai), as the extractor stored
    it with the releases naming it, or None."""
    store = backend()
    for hit in result.hits[:NATIVE_RELEASES]:
        for entry in (store.document(hit.id) or {}).get("regions") or []:
            if isinstance(entry, dict) and _text(entry.get("name")) == name:
                native = _text(entry.get("native"))
                if native and native != name:
                    return native
    return None


def _names_official(entry: Any, wanted: str) -> bool:
    return isinstance(entry, dict) and _text(entry.get("name")).casefold() == wanted


def _office_key(entry: dict[str, Any]) -> tuple[str | None, str | None]:
    return _text(entry.get("title")) or None, _text(entry.get("region")) or None


def _text(value: Any) -> str:
    """A stored string made safe to write out (anything else is no text)."""
    return " ".join(clean(value).split()) if isinstance(value, str) else ""


def _office(key: tuple[str | None, str | None], years: list[int | None]) -> Office:
    dated = [y for y in years if y is not None]
    first, last = (min(dated), max(dated)) if dated else (None, None)
    return Office(key[0], key[1], len(years), first, last)


# --- JSON API ------------------------------------------------------------------------------------


@api.route("/search")
def api_search() -> Response:
    """The search as JSON, in the schema of ``pressearch search --json``."""
    params = parse_search(request.args)
    result = backend().search(params.request)
    return jsonify(result.to_dict())


@api.route("/doc/<path:doc_id>")
def api_doc(doc_id: str) -> Response:
    """One stored article as JSON."""
    article = backend().document(doc_id)
    if article is None:
        raise NotFound("No release with that id is in the index.")
    return jsonify(article)


@pages.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness and index freshness: document count, generation and age in seconds."""
    try:
        stats = backend().stats()
    except IndexMissing as exc:
        return jsonify(status="no index", message=str(exc), documents=0), 503
    except Exception as exc:  # an unreadable index: say so to the monitor, not a bare 500
        current_app.logger.exception("healthz: cannot read the index")
        return jsonify(status="error", message=type(exc).__name__, documents=0), 503
    built = stats.get("built_at")
    age = round(time.time() - built, 1) if isinstance(built, int | float) else None
    return jsonify(
        status="ok",
        documents=stats.get("documents"),
        generation=stats.get("generation"),
        built_at=iso_time(built) if built else None,
        index_age_seconds=age,
        backend=stats.get("backend"),
    ), 200


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@pages.app_template_filter("snippet")
def _snippet_filter(snippet: str) -> Markup:
    return safe_snippet(snippet)


@pages.app_template_global("page_url")
def _page_url(endpoint: str, qs: str = "", **values: Any) -> str:
    """``url_for(endpoint)`` followed by a prepared query string."""
    url = url_for(endpoint, **values)
    return f"{url}?{qs}" if qs else url


# A results page links every facet value, tag and title: ~100 links. These build them by
# string concatenation (the routes are fixed), about ten times cheaper than ``url_for`` each.


@pages.app_template_global("search_url")
def _search_url(qs: str = "") -> str:
    """``/search`` with a prepared query string."""
    url = request.script_root + "/search"
    return f"{url}?{qs}" if qs else url


@pages.app_template_global("doc_url")
def doc_url(doc_id: str) -> str:
    """The article page of ``doc_id`` (ids may contain slashes)."""
    return request.script_root + "/doc/" + quote(clean(doc_id), safe="/")


@pages.app_template_global("entity_url")
def _entity_url(kind: str, name: str) -> str:
    """The page of an official or region."""
    return f"{request.script_root}/{kind}/{quote(clean(name), safe='')}"
