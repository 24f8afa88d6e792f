"""Real releases from ``../shared/corpus`` as articles, for tests that compare with Whoosh itself.

The records are read as they are (no cleaning, no extraction: that is not what these tests
check, and it would take most of their time); the lead, regions and officials are filled from
the record so that every field of the schema gets postings.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any

from search.ingest.article import Article

PER_FILE = 100  # three files: 300 releases, thousands of terms, the common ones in 64+ documents


def _article(record: dict[str, Any], path: str) -> Article:
    body = record["body"] or ""
    lead = body.split("\n\n", 1)[0].strip() if "\n\n" in body else ""
    places = [record.get(k) for k in ("region", "county", "state", "country")]
    return Article(
        id=record["id"],
        path=path,
        title=record["title"] or "",
        date=record.get("date"),
        body=body,
        lead=lead,
        source=record.get("agency") or record.get("publisher"),
        url=record.get("url"),
        regions=[{"name": p} for p in places if p],
        officials=[{"name": record["administration"]}] if record.get("administration") else [],
    )


def shared_releases(corpus: Path, per_file: int = PER_FILE) -> list[Article]:
    """The first ``per_file`` records of every JSON Lines file of ``corpus``, as articles."""
    articles = []
    for path in sorted(corpus.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in islice(fh, per_file):
                articles.append(_article(json.loads(line), path.name))
    return articles
