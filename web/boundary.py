"""What comes in: the query string and the Host header, made safe and bounded before any view.

Parameters are decoded as UTF-8 (invalid bytes become U+FFFD) and cleaned by the rule of
``web.safetext`` (no lone surrogates, no controls but tab and newline, no non-characters); a
query string over ``MAX_QUERY_STRING`` bytes or with more than ``MAX_PARAMS`` parameters is a
400 that says so. A Host header that is not a host name (werkzeug cannot even build URLs for
one with a label over 63 characters) is a 400 too, answered by the app's own error handler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.utils import cached_property

from web.safetext import clean

MAX_QUERY_STRING = 16384  # bytes, percent-encoded: far more than any page's own links
MAX_PARAMS = 300  # parameters in one URL (four facets of 50 values, plus the rest)
_BAD_HOST = "pressearch.bad_host"  # environ key: the Host header was refused
_HOST = re.compile(r"(?P<name>[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


class ParameterLimit(BadRequest):
    """A 400 for a query string beyond the stated bounds (its message is shown)."""


class SafeRequest(Request):
    """A request whose ``args`` are decoded leniently, cleaned and bounded."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        raw = self.query_string
        if len(raw) > MAX_QUERY_STRING:
            raise ParameterLimit(f"The query string is longer than {MAX_QUERY_STRING} bytes.")
        text = raw.decode("utf-8", "replace")
        pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
        if len(pairs) > MAX_PARAMS:
            raise ParameterLimit(f"Too many parameters: at most {MAX_PARAMS} in one URL.")
        return ImmutableMultiDict([(clean(k), clean(v)) for k, v in pairs])


def host_is_valid(host: str) -> bool:
    """True for ``name[:port]`` with DNS-sized labels, or a bracketed IPv6 literal."""
    match = _HOST.fullmatch(host)
    if not match:
        return False
    name = match["name"]
    if name.startswith("["):
        return True
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    return all(0 < len(label) <= 63 for label in labels)


class HostGuard:
    """WSGI middleware: an invalid Host header is dropped and marked, so the app answers 400.

    Dropping it (werkzeug then uses the server's own name) lets the request reach the app's
    error handler, which renders the usual error page with the usual headers.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        host = environ.get("HTTP_HOST")
        if host is not None and not host_is_valid(host):
            del environ["HTTP_HOST"]
            environ[_BAD_HOST] = True
        return self.app(environ, start_response)


def check_request() -> None:
    """Before every view: refuse a bad Host, and parse (so bound) the parameters."""
    if request.environ.get(_BAD_HOST):
        raise BadRequest("Host: the Host header is not a valid host name.")
    request.args  # noqa: B018 (parsing raises ParameterLimit past the bounds)
