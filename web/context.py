"""The current app's search backend, opened once per app and reached from the views."""

from __future__ import annotations

from flask import Flask, current_app

from search.backends import open_backend
from search.index.backend import Backend

_BACKEND = "pressearch.backend"  # key in ``app.extensions``


def init_backend(app: Flask) -> None:
    """Open the backend of ``app``'s ``INDEX_DIR``."""
    # One backend per process: it keeps one searcher per thread and reopens the index when a
    # reindex swaps a new generation in (it stats the pointer file on every search).
    app.extensions[_BACKEND] = open_backend(app.config["INDEX_DIR"])


def app_backend(app: Flask) -> Backend:
    """``app``'s backend (outside a request, e.g. to warm it up)."""
    backend: Backend = app.extensions[_BACKEND]
    return backend


def backend() -> Backend:
    """The current app's backend."""
    return app_backend(current_app)
