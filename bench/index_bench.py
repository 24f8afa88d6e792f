"""Index and query benchmark: pressearch vs plain Whoosh vs SQLite FTS5 on the same records.

    python -m bench.index_bench --generate 100000            # the generated corpus (seed 1)
    python -m bench.index_bench --corpus ../shared/corpus    # the real JSON Lines files

Prints one table per corpus: full reindex docs/s, index MiB, no-op incremental reindex seconds,
query p50/p95 ms for 200 queries of 1-3 words drawn from the corpus, plain and with all four
facets, and the ratios to (a) and (b):

(a) plain Whoosh over the same records, no cleaning or extraction: stored TEXT title and body
    with the default analyzer, ``ix.writer()`` with default arguments, one commit;
(b) SQLite FTS5 (bm25 ranking) with facet counts by GROUP BY over the matching rows, facet
    values taken from our extraction so that both count the same thing.

Indexes and results go to ``bench/out/`` (git-ignored). Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"


def load_records(corpus: Path) -> list[dict[str, Any]]:
    """The JSON Lines records of ``corpus`` (title and body as given, nothing cleaned)."""
    records = []
    for path in sorted(corpus.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    records.append(r)
    return records


def draw_queries(records: list[dict[str, Any]], n: int, seed: int) -> list[str]:
    """``n`` queries of 1-3 words, each taken from one random record's text."""
    rng = random.Random(seed)
    queries = []
    while len(queries) < n:
        r = rng.choice(records)
        words = [w for w in re.findall(r"[A-Za-z]{4,}", f"{r['title']} {r['body']}")]
        if len(words) < 3:
            continue
        start = rng.randrange(len(words))
        k = rng.randint(1, 3)
        queries.append(" ".join(words[start : start + k]).lower())
    return queries


def percentiles(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49], qs[94]


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the reindex workers)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def dir_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


# --- (a) plain Whoosh ---------------------------------------------------------------------------


def bench_plain_whoosh(records, queries, workdir: Path) -> dict[str, Any]:
    from whoosh import fields, index
    from whoosh.qparser import AndGroup, MultifieldParser

    path = workdir / "plain-whoosh"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    schema = fields.Schema(title=fields.TEXT(stored=True), body=fields.TEXT(stored=True))
    ix = index.create_in(str(path), schema)
    started, cpu = time.perf_counter(), cpu_seconds()
    writer = ix.writer()
    for r in records:
        writer.add_document(title=r["title"], body=r["body"])
    writer.commit()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)
    times = []
    with ix.searcher() as searcher:
        for q in queries:
            t = time.perf_counter()
            results = searcher.search(parser.parse(q), limit=10)
            _ = [hit["title"] for hit in results]
            _ = len(results)
            times.append((time.perf_counter() - t) * 1000)
    p50, p95 = percentiles(times)
    return {"docs_per_s": len(records) / seconds, "seconds": seconds, "mib": dir_mib(path),
            "cpu_ms_per_doc": cpu * 1000 / len(records), "plain_p50": p50,
            "plain_p95": p95}  # fmt: skip


# --- (b) SQLite FTS5 ----------------------------------------------------------------------------


def bench_fts5(records, facets_by_id, queries, workdir: Path) -> dict[str, Any]:
    path = workdir / "fts5.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
        CREATE TABLE doc(rowid INTEGER PRIMARY KEY, year INTEGER, source TEXT);
        CREATE TABLE doc_region(docid INTEGER, value TEXT);
        CREATE TABLE doc_official(docid INTEGER, value TEXT);
        """
    )
    started, cpu = time.perf_counter(), cpu_seconds()
    with db:
        for rowid, r in enumerate(records, start=1):
            db.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                       (rowid, r["title"], r["body"]))  # fmt: skip
            f = facets_by_id.get(str(r.get("id")), {})
            db.execute("INSERT INTO doc VALUES (?, ?, ?)", (rowid, f.get("year"), f.get("source")))
            db.executemany("INSERT INTO doc_region VALUES (?, ?)",
                           [(rowid, v) for v in f.get("regions", [])])  # fmt: skip
            db.executemany("INSERT INTO doc_official VALUES (?, ?)",
                           [(rowid, v) for v in f.get("officials", [])])  # fmt: skip
        db.execute("CREATE INDEX doc_region_doc ON doc_region(docid)")
        db.execute("CREATE INDEX doc_official_doc ON doc_official(docid)")
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    match = "SELECT rowid FROM fts WHERE fts MATCH :q"
    facet_sql = [
        f"SELECT value, count(*) FROM doc_region WHERE docid IN ({match}) GROUP BY value",
        f"SELECT value, count(*) FROM doc_official WHERE docid IN ({match}) GROUP BY value",
        f"SELECT year, count(*) FROM doc WHERE rowid IN ({match}) GROUP BY year",
        f"SELECT source, count(*) FROM doc WHERE rowid IN ({match}) GROUP BY source",
    ]
    plain, faceted = [], []
    for q in queries:
        fq = " ".join('"' + w.replace('"', "") + '"' for w in q.split())
        t = time.perf_counter()
        db.execute(
            "SELECT rowid, title, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10",
            (fq,),
        ).fetchall()
        db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (fq,)).fetchone()
        plain.append((time.perf_counter() - t) * 1000)
        for sql in facet_sql:
            db.execute(sql, {"q": fq}).fetchall()
        faceted.append((time.perf_counter() - t) * 1000)
    db.close()
    p50, p95 = percentiles(plain)
    f50, f95 = percentiles(faceted)
    return {"docs_per_s": len(records) / seconds, "seconds": seconds,
            "mib": path.stat().st_size / 2**20, "cpu_ms_per_doc": cpu * 1000 / len(records),
            "plain_p50": p50, "plain_p95": p95,
            "facet_p50": f50, "facet_p95": f95}  # fmt: skip


# --- pressearch ----------------------------------------------------------------------------------


def bench_ours(corpus: Path, queries, workdir: Path, jobs: int | None) -> dict[str, Any]:
    from search.backends import reindex
    from search.backends.whoosh.backend import WhooshBackend, iter_docs
    from search.index.backend import SearchRequest

    path = workdir / "pressearch-index"
    shutil.rmtree(path, ignore_errors=True)
    cpu = cpu_seconds()
    summary = reindex(corpus, path, full=True, jobs=jobs)
    cpu = cpu_seconds() - cpu
    noop = reindex(corpus, path, jobs=jobs)
    backend = WhooshBackend(path)
    backend.search(SearchRequest("warm up qzxv"))  # open the generation: columns, vocabulary
    plain, faceted = [], []
    for q in queries:
        t = time.perf_counter()
        backend.search(SearchRequest(q, facets=False))
        plain.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        backend.search(SearchRequest(q, facet_limit=20))
        faceted.append((time.perf_counter() - t) * 1000)
    facets_by_id = {}
    for doc in iter_docs(backend):
        facets_by_id[doc["id"]] = {
            "year": int(doc["date"][:4]) if doc.get("date") else None,
            "source": doc.get("source"),
            "regions": [r["name"] for r in doc.get("regions") or []],
            "officials": [o["name"] for o in doc.get("officials") or []],
        }
    gen = path / backend.stats()["generation"]
    p50, p95 = percentiles(plain)
    f50, f95 = percentiles(faceted)
    return {"docs_per_s": summary["documents"] / summary["seconds"],
            "seconds": summary["seconds"], "documents": summary["documents"],
            "cpu_ms_per_doc": cpu * 1000 / max(1, summary["documents"]),
            "rejected": len(summary["rejected"]), "mib": dir_mib(gen),
            "noop_seconds": noop["seconds"], "plain_p50": p50, "plain_p95": p95,
            "facet_p50": f50, "facet_p95": f95, "facets_by_id": facets_by_id}  # fmt: skip


def table(name: str, ours: dict, plain: dict, fts: dict, n: int) -> str:
    def f(v, fmt="{:.1f}"):
        return "n/a" if v is None else fmt.format(v)

    rows = [
        ("reindex docs/s", ours["docs_per_s"], plain["docs_per_s"], fts["docs_per_s"], True),
        (
            "reindex CPU ms/doc",
            ours["cpu_ms_per_doc"],
            plain["cpu_ms_per_doc"],
            fts["cpu_ms_per_doc"],
            False,
        ),
        ("index MiB", ours["mib"], plain["mib"], fts["mib"], False),
        ("no-op incremental s", ours["noop_seconds"], None, None, False),
        ("query p50 ms", ours["plain_p50"], plain["plain_p50"], fts["plain_p50"], False),
        ("query p95 ms", ours["plain_p95"], plain["plain_p95"], fts["plain_p95"], False),
        ("faceted p50 ms", ours["facet_p50"], None, fts["facet_p50"], False),
        ("faceted p95 ms", ours["facet_p95"], None, fts["facet_p95"], False),
    ]
    out = [f"## {name}: {n} records ({ours['documents']} indexed, {ours['rejected']} rejected)",
           "", "| metric | pressearch | (a) plain Whoosh | (b) SQLite FTS5 | ours/(a) | ours/(b) |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for label, o, a, b, _higher in rows:
        ra = o / a if (a and o is not None) else None
        rb = o / b if (b and o is not None) else None
        cells = [f(o), f(a), f(b), f(ra, "{:.2f}"), f(rb, "{:.2f}")]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    out.append(
        "CPU ms/doc counts all processes (ours uses worker processes on every core), so it "
        "compares the work done whatever else the machine is running."
    )
    out.append(
        "ours/(a) for docs/s is the speed ratio (>= 1.0: our full reindex with cleaning and "
        "extraction is at least as fast); for times and MiB lower is better."
    )
    return "\n".join(out)


def run(name: str, corpus: Path, args) -> str:
    workdir = OUT / name
    workdir.mkdir(parents=True, exist_ok=True)
    records = load_records(corpus)
    queries = draw_queries(records, args.queries, args.seed)
    print(f"[{name}] {len(records)} records, {len(queries)} queries", file=sys.stderr, flush=True)
    ours = bench_ours(corpus, queries, workdir, args.jobs)
    print(f"[{name}] pressearch done: {ours['docs_per_s']:.0f} docs/s", file=sys.stderr, flush=True)
    plain = bench_plain_whoosh(records, queries, workdir)
    print(f"[{name}] plain Whoosh done: {plain['docs_per_s']:.0f} docs/s", file=sys.stderr,
          flush=True)  # fmt: skip
    fts = bench_fts5(records, ours.pop("facets_by_id"), queries, workdir)
    result = table(name, ours, plain, fts, len(records))
    (workdir / "result.json").write_text(json.dumps({"ours": ours, "plain": plain, "fts5": fts}))
    (workdir / "result.md").write_text(result + "\n")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a corpus directory (its *.jsonl files)")
    parser.add_argument("--generate", type=int, help="generate this many releases (seeded)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    outputs = []
    if args.corpus:
        # Only the JSON Lines files, linked into a folder of their own, so that all three
        # systems index exactly the same records.
        linked = OUT / "real-corpus"
        shutil.rmtree(linked, ignore_errors=True)
        linked.mkdir(parents=True)
        for path in sorted(args.corpus.resolve().rglob("*.jsonl")):
            if path.parent == args.corpus.resolve():
                (linked / path.name).symlink_to(path)
        outputs.append(run("real", linked, args))
    if args.generate:
        from bench.generate import write_corpus

        data = OUT / f"generated-{args.generate}-seed{args.seed}"
        if not data.exists():
            write_corpus(data, args.generate, args.seed)
        outputs.append(run(f"generated-{args.generate}", data, args))
    if not outputs:
        parser.error("give --corpus and/or --generate")
    print("\n\n".join(outputs))


if __name__ == "__main__":
    main()
