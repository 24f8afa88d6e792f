"""``pressearch serve``: the web app under waitress, building the index first if there is none."""

from __future__ import annotations

import logging
from pathlib import Path

import click

# Two cores: one searcher per waitress thread; more threads than this only queue on the GIL.
DEFAULT_THREADS = 4


def ensure_index(index_dir: Path, corpus_dir: Path) -> dict | None:
    """Build the index from ``corpus_dir`` when ``index_dir`` holds none; the summary, or None."""
    from search.backend import open_backend
    from search.whoosh_backend import IndexMissing

    try:
        open_backend(index_dir).stats()
        return None
    except IndexMissing:
        pass
    from search.reindex import reindex

    click.echo(f"No index in {index_dir}: building it from {corpus_dir} ...", err=True)
    return reindex(corpus_dir, index_dir, wait=True)


def warm_up(app) -> None:
    """Open the index, read its facet columns and load the region table before the first user."""
    from search.backend import SearchRequest

    backend = app.extensions["pressearch.backend"]
    backend.search(SearchRequest(query="a", regions=("a",)))


@click.command()
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index directory [env PRESSEARCH_INDEX, default ./index].",
)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Corpus to index when there is no index yet [env PRESSEARCH_CORPUS, default ./corpus].",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=DEFAULT_THREADS,
    show_default=True,
    help="Waitress worker threads.",
)
def serve(
    index_dir: Path | None, corpus_dir: Path | None, host: str, port: int, threads: int
) -> None:
    """Serve the search web UI and JSON API (waitress), on 127.0.0.1:8000 by default."""
    import waitress

    from search.backend import default_corpus_dir, default_index_dir
    from web import create_app

    index_dir = index_dir or default_index_dir()
    corpus_dir = corpus_dir or default_corpus_dir()
    summary = ensure_index(index_dir, corpus_dir)
    if summary is not None:
        click.echo(
            f"Indexed {summary['documents']} documents in {summary['seconds']:.1f} s.", err=True
        )
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir)})
    warm_up(app)
    # "Task queue depth is N" is waitress saying all threads are busy: normal under load here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="pressearch")
    shown = f"[{host}]" if ":" in host else host
    port = getattr(server, "effective_port", port)  # --port 0 picks a free one
    click.echo(f"pressearch is serving {index_dir} at http://{shown}:{port}/  (Ctrl+C stops)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
