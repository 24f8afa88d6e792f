"""The Typesense backend: the same search engine on a Typesense cluster, chosen by settings."""

from search.backends.typesense.backend import TypesenseBackend
from search.backends.typesense.documents import prepare

__all__ = ["TypesenseBackend", "prepare"]
