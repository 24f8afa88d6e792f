"""The Whoosh backend: a generation-swapped Whoosh index on local disk (the default)."""

from search.backends.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
