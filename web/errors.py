"""Error handlers: JSON under /api (and /healthz), a page in the site's layout elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from search.index.backend import BackendUnavailable, IndexMissing, QueryNotSupported


def register_error_handlers(app: Flask) -> None:
    """Install the handlers of HTTP errors and of the backend's exceptions on ``app``."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(IndexMissing, index_missing)
    app.register_error_handler(BackendUnavailable, backend_unavailable)
    app.register_error_handler(QueryNotSupported, query_not_supported)


def answers_json(path: str) -> bool:
    """Whether errors at ``path`` are JSON (the API and the health check) rather than a page."""
    return path.startswith("/api/") or path == "/healthz"


def http_error(error: HTTPException) -> tuple[Any, int]:
    """Errors as JSON under /api, as a page in the site's layout elsewhere."""
    code = error.code or 500
    if code >= 500:
        current_app.logger.error("%s %s: %s", request.method, request.path, error)
    message = "Something went wrong on our side."
    if code < 500:
        # Every werkzeug error has a description; a bare HTTPException has none: name it then.
        message = error.description or error.name
    return _error_response(code, error.name, error.name, message)


def _error_response(code: int, name: str, title: str, message: str) -> tuple[Any, int]:
    """An error as JSON under /api, as a page in the site's layout elsewhere."""
    if answers_json(request.path):
        return jsonify(error=name, message=message, status=code), code
    _ensure_url_adapter()
    return render_template("error.html", code=code, title=title, message=message), code


def index_missing(error: IndexMissing) -> tuple[Any, int]:
    """No index yet: 503, telling how to build one."""
    message = f"There is no search index yet: {error}"
    return _error_response(503, "Service Unavailable", "No index yet", message)


def backend_unavailable(error: BackendUnavailable) -> tuple[Any, int]:
    """The search service (every Typesense node) cannot be reached: 503, logged."""
    current_app.logger.error("search backend unavailable: %s", error)
    message = "The search service cannot be reached just now; please try again shortly."
    return _error_response(503, "Service Unavailable", "Search unavailable", message)


def query_not_supported(error: QueryNotSupported) -> tuple[Any, int]:
    """The search service refused this query: 400, saying so."""
    message = f"This search cannot be run: {error}"
    return _error_response(400, "Bad Request", "Bad Request", message)


def _ensure_url_adapter() -> None:
    """A URL adapter for the error page even when werkzeug could not make one for the request.

    That happens when the Host cannot be a host name; the page's links are all relative.
    """
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    if ctx.url_adapter is None:
        ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.root_path or "/", url_scheme=request.scheme
        )
