"""The Whoosh backend: a generation-swapped Whoosh index on local disk (the default)."""

from search.backends.whoosh.backend import WhooshBackend, prepare

__all__ = ["WhooshBackend", "prepare"]
