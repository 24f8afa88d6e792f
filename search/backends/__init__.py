"""The search engines behind ``search.index.backend.Backend``, built by name.

``open_backend`` is the registry: it reads the settings and imports only the implementation they
name, so the interface (``search.index``) never imports a backend and a Whoosh user never loads
the Typesense client.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from search.index.backend import Backend
from search.index.reindex import reindex as reindex_into
from search.settings import Settings, default_index_dir, load_settings

# backend name -> "module:class"; each class is built from (settings, index directory).
REGISTRY = {
    "whoosh": "search.backends.whoosh:WhooshBackend",
    "typesense": "search.backends.typesense:TypesenseBackend",
}


def open_backend(index_dir: Path | str | None = None, settings: Settings | None = None) -> Backend:
    """The configured backend (see ``search.settings``): Whoosh in ``index_dir`` unless
    ``PRESSEARCH_BACKEND`` or the config file says otherwise."""
    settings = settings or load_settings()
    module_name, _, class_name = REGISTRY[settings.backend].partition(":")
    backend_class = getattr(import_module(module_name), class_name)
    return backend_class.from_settings(settings, Path(index_dir or default_index_dir()))


def reindex(
    corpus: Path | str, index: Path | str, backend: Backend | None = None, **options: Any
) -> dict[str, Any]:
    """``search.index.reindex.reindex`` on the configured backend (opened and closed here
    unless one is given)."""
    owned = backend is None
    backend = backend or open_backend(index)
    try:
        return reindex_into(corpus, index, backend, **options)
    finally:
        if owned:
            backend.close()
