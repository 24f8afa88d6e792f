"""``pressearch serve``: the web app under waitress, building the index first if there is none.

Searching is CPU-bound Python, so one process uses about one core whatever its thread count.
``--workers N`` (default: one per core, at most 4) forks N processes after binding the socket;
each accepts from the shared socket and runs its own waitress threads, each thread with its
own searcher. The index is opened in each worker after the fork, never shared between them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from search.options import index_option

DEFAULT_THREADS = 4  # per worker: overlaps socket I/O with searching, little queueing
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


def ensure_index(index_dir: Path, corpus_dir: Path) -> dict | None:
    """Build the index from ``corpus_dir`` when ``index_dir`` holds none; the summary, or None."""
    from search.backends import open_backend
    from search.index.backend import BackendUnavailable, IndexMissing, IndexOutdated
    from search.settings import ConfigError

    try:
        backend = open_backend(index_dir)
        try:
            backend.stats()
            return None
        except IndexOutdated:
            why = f"The index in {_serving(index_dir)} was written by an older pressearch"
        except IndexMissing:
            why = f"No index in {_serving(index_dir)}"
        finally:
            backend.close()
        from search.backends import reindex

        click.echo(f"{why}: building it from {corpus_dir} ...", err=True)
        return reindex(corpus_dir, index_dir, wait=True)
    except (ConfigError, BackendUnavailable, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None


def _serving(index_dir: Path) -> str:
    """Where the index is, for the start-up messages."""
    from search.settings import load_settings

    settings = load_settings()
    if settings.backend == "typesense":
        return f"Typesense collection {settings.collection} ({len(settings.nodes)} nodes)"
    return str(index_dir)


def warm_up(app: Any) -> None:
    """Open the index, read its facet columns and load the region table before the first user."""
    from search.index.backend import SearchRequest
    from web.context import app_backend

    app_backend(app).search(SearchRequest(query="a", regions=("a",)))


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024, reuse_port=False)
    sock.setblocking(False)
    return sock


def _run_worker(config: dict[str, Any], sock: socket.socket, threads: int, ready: int) -> None:
    """One worker process: its own app and backend, waitress on the shared socket."""
    from web import create_app
    from web.server import create_server

    app = create_app(config)
    warm_up(app)
    server = create_server(app, sockets=[sock], threads=threads, ident="pressearch")
    os.write(ready, b"1")
    os.close(ready)
    try:
        server.run()
    finally:
        server.close()


def _worker_process(
    config: dict[str, Any], sock: socket.socket, threads: int, ready: int
) -> NoReturn:
    """A forked worker from start to exit: it never returns into the parent's code."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
        _run_worker(config, sock, threads, ready)
    except SystemExit:
        pass
    except BaseException:
        logging.getLogger("pressearch").exception("worker failed")
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _start_workers(
    config: dict[str, Any], sock: socket.socket, workers: int, threads: int
) -> list[int]:
    """Fork the workers on ``sock`` and wait until each is warm; their process ids."""
    read_end, write_end = os.pipe()
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _worker_process(config, sock, threads, write_end)
        children.append(pid)
    os.close(write_end)
    warm = 0
    while warm < workers:
        got = os.read(read_end, workers)
        if not got:
            break
        warm += len(got)
    os.close(read_end)
    sock.close()  # the workers hold it
    if warm < workers:
        _supervise(children)
        raise click.ClickException("the server workers did not start (see the messages above)")
    return children


def _supervise(children: list[int]) -> int:
    """Wait for the workers; on SIGINT/SIGTERM stop them all. The exit status."""

    def stop(signum: int, _frame: Any) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    remaining = set(children)
    while remaining:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid in remaining:
            remaining.discard(pid)
            if os.waitstatus_to_exitcode(code) not in (0, -signal.SIGTERM, -signal.SIGINT):
                status = 1
                click.echo(f"worker {pid} failed; stopping", err=True)
            stop(signal.SIGTERM, None)  # one worker gone: stop the rest rather than limp on
    return status


def _configure_logging() -> None:
    # "Task queue depth is N" is waitress saying all threads are busy: normal under load.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # The Typesense client's HTTP library logs every request at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


def _load_region_table() -> None:
    """Load the region table once before forking, so that the workers share it."""
    try:
        from web.params import canonical_region

        canonical_region("Seoul")
    except Exception:  # a warm-up only: the workers load it anyway
        pass


@click.command()
@index_option
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
    "--workers",
    type=click.IntRange(1, 32),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Processes (one per core is best).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=DEFAULT_THREADS,
    show_default=True,
    help="Waitress threads per process.",
)
def serve(
    index_dir: Path | None,
    corpus_dir: Path | None,
    host: str,
    port: int,
    workers: int,
    threads: int,
) -> None:
    """Serve the search web UI and JSON API (waitress), on 127.0.0.1:8000 by default."""
    from search.settings import default_corpus_dir, default_index_dir

    index_dir = index_dir or default_index_dir()
    corpus_dir = corpus_dir or default_corpus_dir()
    summary = ensure_index(index_dir, corpus_dir)
    if summary is not None:
        done = f"Indexed {summary['documents']} documents in {summary['seconds']:.1f} s"
        click.echo(done, err=True)
    _configure_logging()
    try:
        sock = _bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    port = sock.getsockname()[1]  # --port 0 picks a free one
    _load_region_table()
    config = {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir)}
    children = _start_workers(config, sock, workers, threads)
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"pressearch is serving {_serving(index_dir)} at http://{shown}:{port}/  "
        f"({workers} workers x {threads} threads; Ctrl+C stops)"
    )
    sys.exit(_supervise(children))
