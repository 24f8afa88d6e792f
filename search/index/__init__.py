"""The index layer, engine-neutral: schema and analysis, query parsing, facets, snippets,
suggestions, the search pipeline, reindex and the ``Backend`` interface."""
