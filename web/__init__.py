"""The pressearch web app (Flask application factory)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from defaults, ``PRESSEARCH_*`` environment variables and ``config``."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("PRESSEARCH_INDEX", "index"),
        CORPUS_DIR=os.environ.get("PRESSEARCH_CORPUS", "corpus"),
    )
    if config:
        app.config.from_mapping(config)
    return app
