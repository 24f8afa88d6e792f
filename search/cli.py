"""The ``pressearch`` command line (click)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from search.ingest.article import Article, Rejection
from search.ingest.corpus import load_paths
from search.options import index_option
from search.settings import default_corpus_dir, default_index_dir

if TYPE_CHECKING:
    from tqdm import tqdm


@click.group()
@click.version_option(package_name="pressearch")
def main() -> None:
    """pressearch: a faceted search engine over press releases."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one article per line.")
def extract(paths: tuple[Path, ...], as_json: bool) -> None:
    """Clean files (or every file under directories) and print the articles."""
    from search.extract import extract as extract_entities

    rejected = 0
    for item in load_paths(paths):
        if isinstance(item, Rejection):
            rejected += 1
            click.echo(f"rejected: {item.path}: {item.reason}", err=True)
            continue
        article = extract_entities(item)
        if as_json:
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            click.echo(_as_text(article))
    if rejected:
        sys.exit(1)


def _as_text(article: Article) -> str:
    head = [f"# {article.title}", f"id: {article.id}", f"date: {article.date or '-'}"]
    for name in ("source", "editor", "url", "language"):
        if value := getattr(article, name):
            head.append(f"{name}: {value}")
    head += [f"caption: {c}" for c in article.captions]
    return "\n".join(head) + "\n\n" + article.body + "\n"


# --- reindex and search ---------------------------------------------------------------------


@main.command()
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    default=None,
    help="Corpus directory [env PRESSEARCH_CORPUS, default ./corpus].",
)
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of incrementally.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for cleaning and extraction [default: CPU count].",
)
@click.option("--wait", is_flag=True, help="Wait for a running reindex instead of exiting.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def reindex(
    corpus: Path | None, index_dir: Path | None, full: bool, jobs: int | None, wait: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Index the corpus: new, changed and deleted files (or everything with --full)."""
    from search.backends import reindex as run_reindex
    from search.index.backend import BackendUnavailable
    from search.index.reindex import ReindexBusy
    from search.settings import ConfigError

    corpus = corpus or default_corpus_dir()
    index_dir = index_dir or default_index_dir()
    bar = _Progress(enabled=not as_json)
    try:
        summary = run_reindex(corpus, index_dir, full=full, jobs=jobs, progress=bar, wait=wait)
    except (ReindexBusy, FileNotFoundError, ConfigError, BackendUnavailable) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # a full disk, a read-only index: the old index still serves
        where = f" ({exc.filename})" if exc.filename else ""
        raise click.ClickException(
            f"reindex failed: {exc.strerror or exc}{where}; the index was not changed"
        ) from None
    finally:
        bar.close()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        _print_summary(summary)
    if summary["rejected"]:
        sys.exit(1)  # the one failure a reindex reports by its exit code: something rejected


def _print_summary(summary: dict[str, Any]) -> None:
    for item in summary["rejected"]:
        click.echo(f"rejected: {item['path']}: {item['reason']}")
    for warning in summary["warnings"]:
        click.echo(f"warning: {warning}")
    click.echo(
        f"documents: {summary['added']} added, {summary['updated']} updated, "
        f"{summary['removed']} removed, {summary['unchanged']} unchanged; "
        f"files: {summary['files']}, {len(summary['rejected'])} rejected (files / records); "
        f"{summary['documents']} documents in the index; {summary['seconds']:.1f} s"
    )


class _Progress:
    """A tqdm bar on a terminal, a plain line every 10% otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm | None = None
        self.last_decile = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(
                    total=total, unit="B", unit_scale=True, desc="indexing", file=sys.stderr
                )
            self.bar.update(done - self.bar.n)
            return
        decile = done * 10 // total
        if decile != self.last_decile:
            self.last_decile = decile
            click.echo(f"indexing: {decile * 10}% ({done}/{total} bytes)", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.argument("query", required=False, default="")
@index_option
@click.option(
    "--region", "regions", multiple=True, help="Region: canonical name, ISO code or alias."
)
@click.option("--year", "years", multiple=True, type=int, help="Publication year.")
@click.option("--official", "officials", multiple=True, help="Official's canonical name.")
@click.option("--source", "sources", multiple=True, help="Issuing office or wire.")
@click.option(
    "--language", "languages", multiple=True, help="Language code of the release (zh, es, de ...)."
)
@click.option("--from", "date_from", default=None, help="First date, YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="Last date, YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--page", type=click.IntRange(1, 1000), default=1)
@click.option("--per-page", type=click.IntRange(1, 100), default=10)
@click.option(
    "--no-collapse", "every_copy", is_flag=True,
    help="List every copy of a release (default: one hit per group of copies).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def search(
    query: str, index_dir: Path | None, regions: tuple[str, ...], years: tuple[int, ...],
    officials: tuple[str, ...], sources: tuple[str, ...], languages: tuple[str, ...],
    date_from: str | None, date_to: str | None, sort: str, page: int, per_page: int,
    every_copy: bool, as_json: bool,
) -> None:  # fmt: skip
    """Search the index; an empty QUERY lists everything, newest first."""
    from search.backends import open_backend
    from search.index.backend import (
        BackendUnavailable,
        IndexMissing,
        QueryNotSupported,
        SearchRequest,
    )
    from search.index.languages import display_name
    from search.settings import ConfigError

    for name, value in (("--from", date_from), ("--to", date_to)):
        if value is not None and not _is_date(value):
            raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date", param_hint=name)
    request = SearchRequest(
        query=query, regions=regions, years=years, officials=officials, sources=sources,
        languages=languages, date_from=date_from, date_to=date_to, sort=sort, page=page,
        per_page=per_page, collapse=not every_copy,
    )  # fmt: skip
    try:
        backend = open_backend(index_dir or default_index_dir())
        try:
            result = backend.search(request)
        finally:
            backend.close()
    except (IndexMissing, BackendUnavailable, ConfigError, QueryNotSupported) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{result.total} results ({result.took_ms:.0f} ms), page {page} of {result.pages}")
    if result.suggestion:
        click.echo(f"did you mean: {result.suggestion}")
    for hit in result.hits:
        click.echo(f"\n{hit.date or '----------'}  {hit.title}  [{hit.id}]")
        meta = [hit.source or "", ", ".join(hit.regions), ", ".join(hit.officials)]
        if any(meta):
            click.echo("    " + " | ".join(m for m in meta if m))
        click.echo("    " + _plain(hit.snippet))
        if hit.copies:
            publishers = ", ".join(c.source or c.id for c in hit.copies)
            click.echo(f"    also published by {publishers} ({len(hit.copies)})")
    for name, values in result.facets.items():
        label = display_name if name == "language" else str
        shown = ", ".join(f"{label(str(v.value))} ({v.count})" for v in values[:8])
        if shown:
            click.echo(f"\n{name}: {shown}")


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _plain(snippet: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"</?mark>", "*", snippet))


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the groups as one JSON object.")
def duplicates(index_dir: Path | None, as_json: bool) -> None:
    """List the groups of copies (the same release published more than once), each with its
    members, the representative first: for pruning a crawl."""
    from search.backends import open_backend
    from search.index.backend import BackendUnavailable, IndexMissing
    from search.index.groups import Groups
    from search.settings import ConfigError

    try:
        backend = open_backend(index_dir or default_index_dir())
        try:
            backend.stats()  # no index: IndexMissing, with its advice
            groups = Groups.from_json(backend.manifest().get("groups"))
            listed = [_group_listing(backend, gid, ids) for gid, ids in groups.members.items()]
        finally:
            backend.close()
    except (IndexMissing, BackendUnavailable, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    listed.sort(key=lambda g: (g["members"][0]["date"] or "9999", g["id"]))
    if as_json:
        click.echo(json.dumps({"groups": listed, "total": len(listed)}, ensure_ascii=False))
        return
    copies = sum(len(g["members"]) - 1 for g in listed)
    click.echo(f"{len(listed)} groups of copies ({copies} copies)")
    for group in listed:
        click.echo(f"\n{group['id']} ({len(group['members'])} releases)")
        for m in group["members"]:
            click.echo(f"  {m['date'] or '----------'}  {m['title']}  [{m['id']}]")
            click.echo(f"      {m['source'] or '-'} | {m['path']}")


def _group_listing(backend: Any, gid: str, ids: tuple[str, ...]) -> dict[str, Any]:
    """One group for ``duplicates``: its id and its members' id, title, source, date, path."""
    members = []
    for doc_id in ids:
        doc = backend.document(doc_id) or {}
        members.append(
            {"id": doc_id, **{k: doc.get(k) for k in ("title", "source", "date", "path", "url")}}
        )
    return {"id": gid, "members": members}


def _add_plugin_commands(group: click.Group) -> None:
    """Commands other packages register under the ``pressearch.commands`` entry point group:
    the web UI's ``serve`` comes this way, so the library never imports the web app."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="pressearch.commands"):
        group.add_command(entry.load(), entry.name)


_add_plugin_commands(main)


if __name__ == "__main__":
    main()
