"""Hostile records and requests against the web app (issue 14, cases 13-16 and the CSV of 17).

The index holds the usual test releases plus hostile ones written straight through a backend
transaction (as an index built before ingest cleaned text would hold them): script tags in
every field, lone surrogates, control characters, ``]]>``, right-to-left overrides, ids with
``../``, ``?#%&=+`` and ``javascript:``. Then a few hundred seeded, generated requests go to
every route, and every response is checked: no 5xx, the security headers, nothing unescaped,
well-formed XML, complete CSV, errors as HTML or JSON as the path asks.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import random
import re
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from web_fixtures import HOSTILE_IDS, SURROGATE, build_index, hostile_articles, parse_html

from search.ingest.article import Article
from web import SECURITY_HEADERS, create_app

ATOM = "{http://www.w3.org/2005/Atom}"
# Characters no response may contain: C0 controls but tab/newline/CR, and U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
JSON_PATHS = ("/api/", "/healthz")


def filler(n: int) -> Article:
    """A plain release, so that an export spans more than one page of 100."""
    return Article(id=f"bulk/{n:03d}", path="bulk.jsonl", title=f"Bulletin {n}",
                   body=f"Quay bulletin number {n}.", date="2015-05-05")  # fmt: skip


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = hostile_articles() + [filler(n) for n in range(150)]
    return build_index(tmp_path_factory.mktemp("hostileindex"), extra)


def doc_path(doc_id: str) -> str:
    return "/doc/" + quote(doc_id, safe="/")


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


# --- the checks every response must pass ------------------------------------------------------


def check_response(response: Any, path: str, client: Any = None) -> None:
    """No 5xx, security headers, clean text, nothing unescaped, parseable as its type."""
    status = response.status_code
    assert status < 500, (path, status)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    for value in response.headers.values():
        value.encode("latin-1")  # what the server must be able to write
    data = response.get_data()
    text = data.decode("utf-8")  # strict: a lone surrogate could not have been encoded
    assert not FORBIDDEN.search(text), (path, FORBIDDEN.search(text))
    wants_json = path.startswith(JSON_PATHS)
    if status >= 400 and not path.startswith("/static/"):
        kind = "application/json" if wants_json else "text/html"
        assert response.mimetype == kind, (path, status, response.mimetype)
    if response.mimetype == "application/json":
        json.loads(text)
        assert "<" not in text and ">" not in text
    elif response.mimetype == "text/html":
        assert_inert(text, path)
    elif response.mimetype.endswith("xml"):
        ET.fromstring(data)
    elif response.mimetype == "text/csv":
        check_csv(data, path, client)


def assert_inert(body: str, path: str) -> None:
    """No element, attribute or link came from document text or from the request."""
    page = parse_html(body)
    for tag, attrs in page.tags:
        assert tag not in ("script", "img", "b", "iframe", "object"), (path, tag)
        assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text")), (path, value)
    assert "<script" not in body.lower() and "<img" not in body.lower(), path


def check_csv(data: bytes, path: str, client: Any) -> None:
    """A complete export: no "incomplete" row, and one row per hit of the same search."""
    rows = csv_rows(data)
    assert rows and rows[0][0] == "id", path
    ends = [row for row in rows if row and row[0].startswith("# incomplete")]
    # Only the time budget (a loaded machine) may cut an export short, and then it says so.
    assert all("time limit" in row[1] for row in ends), (path, ends)
    if client is not None and not ends:
        query = path.partition("?")[2]
        answer = client.get("/api/search", query_string=query)
        if answer.status_code == 200:
            assert len(rows) - 1 == answer.get_json()["total"], path


# --- case 13: a stored lone surrogate or control characters -----------------------------------


def stored_ids(client) -> list[str]:
    """The ids of the hostile releases as the index stored them (controls may be gone)."""
    hits = client.get("/api/search?q=hostile&per_page=100").get_json()["hits"]
    assert len(hits) == len(HOSTILE_IDS)
    return [hit["id"] for hit in hits]


def test_hostile_release_pages_answer(client):
    for doc_id in stored_ids(client):
        for path in (doc_path(doc_id), "/api" + doc_path(doc_id)):
            response = client.get(path)
            assert response.status_code == 200, path
            check_response(response, path)
        page = client.get(doc_path(doc_id)).get_data(as_text=True)
        text = "".join(parse_html(page).text)
        assert "\ufffd" in text and "Hostile body" in text and "<script>alert(1)</script>" in text


def test_search_feed_and_csv_listing_hostile_releases(client):
    for path in ("/search?q=hostile", "/search", "/feed.atom?q=hostile", "/feed.atom",
                 "/region/California", "/api/search?q=hostile&per_page=100"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        check_response(response, path, client)
    response = client.get("/export.csv?q=hostile")
    assert response.status_code == 200
    rows = csv_rows(response.get_data())
    assert len(rows) == 1 + len(HOSTILE_IDS)
    assert sorted(row[0] for row in rows[1:]) == sorted(stored_ids(client))
    assert all(SURROGATE not in cell for row in rows for cell in row)


# --- case 14: non-ASCII download names, long Host headers -------------------------------------


@pytest.mark.parametrize("query", ["서울", "Москва", 'a"b;c\\d', "caf\u00e9 / x"])
def test_csv_download_name_is_ascii_with_rfc6266_filename_star(client, query):
    response = client.get("/export.csv", query_string={"q": query})
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert header.isascii() and header.startswith("attachment; filename=")
    plain = re.search(r'filename="([^"]*)"', header)
    assert plain and re.fullmatch(r"pressearch-[A-Za-z0-9_-]+\.csv", plain[1])
    star = re.search(r"filename\*=UTF-8''(\S+)$", header)
    assert star and unquote(star[1]) == f"pressearch-{query}.csv"


ODD_HOSTS = ["a" * 70, "a" * 63 + ".example", "x" * 300, "<script>", "exa mple", "h\x00st",
             "[::1]:80", "host:99999", "a..b", ""]  # fmt: skip
HOST_PATHS = ["/", "/opensearch.xml", "/api/search", "/export.csv", "/feed.atom", "/doc/nope"]


@pytest.mark.parametrize("host", ODD_HOSTS)
@pytest.mark.parametrize("path", HOST_PATHS)
def test_odd_host_headers_never_500(client, host, path):
    response = client.get(path, environ_overrides={"HTTP_HOST": host})
    check_response(response, path)
    if len(host) > 63 and "." not in host:
        assert response.status_code == 400
        assert "Host" in response.get_data(as_text=True)


# --- case 15: well-formed XML for any query and any release -----------------------------------


@pytest.mark.parametrize(
    "qs", ["q=a%01b", "source=%00", "q=%1b%5b31m", "q=%EF%BF%BE%EF%BF%BF", "q=%ED%A0%80",
           "q=]]%3E", "official=%0b", "q=hostile", "region=%3C%2Ffeed%3E", ""],
)  # fmt: skip
def test_feeds_are_well_formed_xml(client, qs):
    response = client.get(f"/feed.atom?{qs}")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert all(t and not FORBIDDEN.search(t) for t in titles)
    assert ET.fromstring(client.get(f"/opensearch.xml?{qs}").data) is not None


# --- the CSV of case 17: one search, partial and failing searches said so ---------------------


class Spy:
    """The app's backend, counting searches; ``iter_hits`` can be made partial or failing."""

    def __init__(self, real: Any, partial: bool = False, fail_after: int | None = None):
        self.real, self.partial, self.fail_after = real, partial, fail_after
        self.searches = 0
        self.iterations = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def search(self, request: Any) -> Any:
        self.searches += 1
        result = self.real.search(request)
        if self.partial:
            result.partial = True
        return result

    def iter_hits(self, request: Any, batch: int = 100) -> Any:
        self.iterations += 1
        return SpyHits(self, request)


class SpyHits:
    """What ``iter_hits`` returns: the hits, and ``partial`` like a time-bounded backend's."""

    def __init__(self, spy: Spy, request: Any):
        self.spy, self.request, self.partial = spy, request, spy.partial

    def __iter__(self) -> Iterator[Any]:
        for n, hit in enumerate(type(self.spy.real).iter_hits(self.spy.real, self.request)):
            if self.spy.fail_after is not None and n >= self.spy.fail_after:
                raise TimeoutError("the search service stopped answering")
            yield hit


@pytest.fixture
def spied(index_dir: Path):
    def make(testing: bool = True, **kwargs: Any) -> tuple[Any, Spy]:
        app = create_app({"INDEX_DIR": str(index_dir), "TESTING": testing})
        spy = Spy(app.extensions["pressearch.backend"], **kwargs)
        app.extensions["pressearch.backend"] = spy
        return app.test_client(), spy

    return make


def test_csv_export_runs_the_search_once(spied, monkeypatch):
    client, spy = spied()
    searches = []
    real_search = spy.real.search
    monkeypatch.setattr(spy.real, "search", lambda req: searches.append(req) or real_search(req))
    rows = csv_rows(client.get("/export.csv").get_data())
    # The view asks iter_hits once and never pages through search(); nor does the backend
    # (one search at most, where the generic iter_hits ran one per page of 100).
    assert spy.iterations == 1 and spy.searches == 0 and len(searches) <= 1
    total = client.get("/api/search").get_json()["total"]
    assert total > 150 and len(rows) - 1 == total


def test_partial_results_are_said_in_page_csv_and_feed(spied):
    client, _ = spied(partial=True)
    for url in ("/search?q=harbour", "/region/California"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="partial"' in page and "Partial results" in page, url
    rows = csv_rows(client.get("/export.csv?q=harbour").get_data())
    assert rows[-1][0] == "# incomplete:" and "time limit" in rows[-1][1]
    root = ET.fromstring(client.get("/feed.atom?q=harbour").data)
    assert "Partial results" in (root.findtext(f"{ATOM}subtitle") or "")
    whole, _ = spied()
    assert 'class="partial"' not in whole.get("/search?q=harbour").get_data(as_text=True)


def test_csv_failing_mid_stream_ends_with_a_visible_error(spied):
    client, _ = spied(fail_after=3)
    response = client.get("/export.csv")
    assert response.status_code == 200  # already sent when the failure came
    rows = csv_rows(response.get_data())
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][0] == "# incomplete:" and "failed after 3 rows" in rows[-1][1]


def test_csv_failing_at_once_is_an_http_error(spied):
    client, _ = spied(testing=False, fail_after=0)  # the app's own 500, not the exception
    response = client.get("/export.csv")
    assert response.status_code == 500 and response.mimetype == "text/html"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value


# --- case 16: the responses waitress makes itself ---------------------------------------------


@pytest.fixture(scope="module")
def server(app) -> Iterator[tuple[str, int]]:
    """The hostile app under waitress on 127.0.0.1, as ``pressearch serve`` runs it."""
    from web.server import create_server

    srv = create_server(app, host="127.0.0.1", port=0, threads=2, max_request_header_size=4096)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", srv.effective_port
    finally:
        srv.close()
        thread.join(timeout=5)


def raw_exchange(address: tuple[str, int], request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as bytes; the status, headers and body of the answer."""
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


MALFORMED = [
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    b"GET /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET /search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"GET /search HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 5000 + b"\r\n\r\n",
]


@pytest.mark.parametrize("request_bytes", MALFORMED, ids=range(len(MALFORMED)))
def test_waitress_errors_carry_security_headers(server, request_bytes):
    status, headers, body = raw_exchange(server, request_bytes)
    assert 400 <= status < 600
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (status, name)
    path = request_bytes.split(b" ")[1].decode()
    if path.startswith("/api/"):
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["status"] == status
    else:
        assert headers["Content-Type"].startswith("text/html") and b"<h1>" in body


def test_waitress_500_for_a_failing_app_carries_security_headers():
    from web.server import create_server

    def broken(environ: dict, start_response: Any) -> list[bytes]:
        raise RuntimeError("boom")

    srv = create_server(broken, host="127.0.0.1", port=0, threads=1)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        for path, kind in (("/search", "text/html"), ("/api/search", "application/json")):
            request = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
            status, headers, body = raw_exchange(("127.0.0.1", srv.effective_port), request)
            assert status == 500 and headers["Content-Type"].startswith(kind)
            assert b"boom" not in body
            for name, value in SECURITY_HEADERS.items():
                assert headers.get(name) == value
    finally:
        srv.close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    "path", ["/export.csv?q=%EC%84%9C%EC%9A%B8", "/export.csv?q=hostile", "/doc/hostile/%5D%5D%3E"]
)
def test_real_server_answers_hostile_requests_in_full(server, path):
    conn = http.client.HTTPConnection(*server, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": "a" * 10})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 200, (path, response.status)
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    if path.startswith("/export.csv"):
        rows = csv_rows(body)
        assert not any(row[0].startswith("# incomplete") for row in rows[1:])
        if "hostile" in path:
            assert len(rows) == 1 + len(HOSTILE_IDS)


def test_real_server_long_host_is_400_with_headers(server):
    request = b"GET /search HTTP/1.1\r\nHost: " + b"a" * 70 + b"\r\n\r\n"
    status, headers, _ = raw_exchange(server, request)
    assert status == 400 and headers.get("X-Frame-Options") == "DENY"


# --- the boundary: bounds on the query string ---------------------------------------------------


@pytest.mark.parametrize(
    ("qs", "message"),
    [("q=a" + "&q=a" * 999, "Too many parameters"), ("colour=red" + "&x=1" * 999, "Too many"),
     ("zz=" + "a" * 20000, "longer than"), ("region=x" + "&region=x" * 999, "Too many")],
)  # fmt: skip
@pytest.mark.parametrize("endpoint", ["/search", "/api/search", "/export.csv", "/feed.atom"])
def test_overlong_and_repeated_parameters_are_a_400_with_a_message(client, endpoint, qs, message):
    response = client.get(f"{endpoint}?{qs}")
    assert response.status_code == 400
    check_response(response, endpoint)
    assert message in response.get_data(as_text=True)


def test_parameters_are_cleaned_at_the_boundary(app):
    with app.test_request_context("/search?q=a%00b%01c%ED%A0%80%EF%BF%BEd&region=%1b[31m"):
        from flask import request

        assert request.args["q"] == "abc\ufffd\ufffd\ufffdd"
        assert request.args["region"] == "[31m"


# --- the fuzz -----------------------------------------------------------------------------------

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
       "]]><x/>", "'-alert(1)-'", "</title><svg onload=alert(1)>", "{{7*7}}",
       "\u202eevil"]  # fmt: skip
SYNTAX = ['"unbalanced', "(((a", "title:", "region:", "*", "*a*", "a* b* c*", "body:[a TO z]",
          '"harbour opens"~100', "a OR OR b", "NOT", "-", "year:[1 TO 9999]", "\\", "^2", "~",
          "a AND (b OR", "official:\"x", "title:*"]  # fmt: skip
PARAMS = ["q", "region", "year", "official", "source", "from", "to", "sort", "page", "per_page",
          "more", "zz"]  # fmt: skip
ROUTES = ["/", "/search", "/api/search", "/export.csv", "/feed.atom", "/opensearch.xml",
          "/healthz", "/doc/", "/api/doc/", "/official/", "/region/", "/nope/", "/api/nope/",
          "/static/style.css"]  # fmt: skip
HOSTS = ["localhost", "a" * 70, "<script>", "\x00", "[::1]", "x:1", "ünï.example", "a" * 260]


def random_text(rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:  # any code point, surrogates included
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 12)))
    if kind == 1:
        return "".join(chr(rng.randrange(0x20)) for _ in range(rng.randrange(1, 6))) + "a\x00b"
    if kind == 2:
        return rng.choice(XSS)
    if kind == 3:
        return rng.choice(SYNTAX)
    if kind == 4:
        return "x" * rng.choice([201, 501, 5000])
    if kind == 5:
        return rng.choice([*HOSTILE_IDS, "harbour", "California", "2021", "Kim Young-rok"])
    return str(rng.choice([0, -1, 1, 2, 100, 1001, 10**30]))


def encode(text: str, rng: random.Random) -> str:
    """Percent-encoded as UTF-8 (lone surrogates too), sometimes with a raw invalid byte."""
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        data += bytes([rng.randrange(0x80, 0x100)])
    return quote(data, safe="")


def random_request(rng: random.Random) -> tuple[str, str, str]:
    """A path, query string and Host header."""
    route = rng.choice(ROUTES)
    path = route + encode(random_text(rng), rng) if route.endswith("/") and route != "/" else route
    pairs = [
        f"{rng.choice(PARAMS)}={encode(random_text(rng), rng)}" for _ in range(rng.randrange(4))
    ]
    if rng.random() < 0.05:
        pairs.append("&".join([f"{rng.choice(PARAMS)}=a"] * 1000))
    host = rng.choice(HOSTS) if rng.random() < 0.15 else "localhost"
    return path, "&".join(pairs), host


def test_fuzz_every_route(client):
    rng = random.Random(14)
    statuses: dict[int, int] = {}
    for _ in range(400):
        path, qs, host = random_request(rng)
        with client.get(path, query_string=qs, environ_overrides={"HTTP_HOST": host}) as response:
            check_response(response, f"{path}?{qs}" if qs else path, client)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    # The generator reaches the pages, the errors and the not-found alike.
    assert statuses.get(200, 0) > 100 and statuses.get(400, 0) > 20 and statuses.get(404, 0)
