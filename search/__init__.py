"""pressearch: clean, extract, index and query press releases."""

from search.ingest.article import Article, Rejection

__all__ = ["Article", "Rejection"]
