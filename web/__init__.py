"""The pressearch web app (Flask application factory)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request
from flask.json.provider import DefaultJSONProvider

from search.index.languages import display_name
from search.settings import default_corpus_dir, default_index_dir
from web import exports, views
from web.boundary import HostGuard, SafeRequest, check_request
from web.context import init_backend
from web.errors import register_error_handlers
from web.headers import CSP, SECURITY_HEADERS
from web.safetext import clean_value

__all__ = ["CSP", "SECURITY_HEADERS", "create_app"]


# In ASCII-escaped JSON, what a character ``clean`` would change must look like: a surrogate
# (pairs too: astral non-characters hide in them), a control (DEL stays raw) or a non-character.
_MAYBE_UNSAFE = re.compile(r"\\(?:u(?:d[89a-f]|00[01]|008|009|fdd|fde|fff[ef])|[bfr])|\x7f", re.I)


class SafeJSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` as ``\\u`` escapes: inert even if embedded in HTML."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        # Strings must be clean (a lone surrogate in an old index is no valid JSON text), but
        # walking a large answer string by string costs more than encoding it: encode first,
        # and walk only when the ASCII-escaped text shows a character that may be unsafe.
        if not kwargs.get("ensure_ascii", self.ensure_ascii) or _MAYBE_UNSAFE.search(text):
            text = super().dumps(clean_value(obj), **kwargs)
        # Those characters only occur inside JSON strings, where the escapes mean the same.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from defaults, ``PRESSEARCH_*`` environment variables and ``config``."""
    app = Flask(__name__)
    app.request_class = SafeRequest
    app.wsgi_app = HostGuard(app.wsgi_app)  # type: ignore[method-assign]
    app.json = SafeJSONProvider(app)
    app.config.from_mapping(
        INDEX_DIR=str(default_index_dir()),
        CORPUS_DIR=str(default_corpus_dir()),
        SITE_NAME="pressearch",
        PER_PAGE=10,
        FACET_SHOWN=8,  # facet values listed before "more"
        FACET_MORE=100,  # values listed once "more" is followed
        MAX_QUERY_CHARS=500,
        MAX_FILTER_VALUES=50,  # values per repeatable filter parameter
        FEED_SIZE=50,
        MORE_LIKE_THIS=5,
    )
    app.config.from_prefixed_env("PRESSEARCH")
    if config:
        app.config.from_mapping(config)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Every value a template writes is cleaned (see web.safetext), escaped after that.
    app.jinja_env.finalize = _finalize
    init_backend(app)
    app.register_blueprint(views.pages)
    app.register_blueprint(views.api)
    app.register_blueprint(exports.feeds)
    register_error_handlers(app)
    app.before_request(check_request)
    app.after_request(_security_headers)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.filters["language_name"] = display_name  # "zh": "中文 / Chinese"
    return app


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "public, max-age=3600")
    return response


def _finalize(value: Any) -> Any:
    return clean_value(value) if isinstance(value, str) else value
