"""The ``pressearch`` command line (click)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search.article import Article, Rejection
from search.corpus import load_paths


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
