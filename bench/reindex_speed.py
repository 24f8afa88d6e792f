"""Full reindex time of this code tree against a baseline revision, on the same corpus.

    python -m bench.reindex_speed --baseline d7e4fcd                  # ../shared/corpus, 3 rounds
    python -m bench.reindex_speed --baseline d7e4fcd --corpus DIR --rounds 5

The baseline revision is exported with ``git archive`` into ``bench/out/`` (git-ignored) and run
with this project's environment. Each round reindexes the corpus from scratch twice, baseline
first, then this tree, each in a fresh process with the default number of workers; the two
alternate so that both meet the same machine (on a shared machine one run's time can differ
from the next by 10%). Prints wall and CPU seconds (the process and its workers) per round, the
medians, and this tree's medians as a ratio of the baseline's. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.duplicates import timed_reindex

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def export(revision: str) -> Path:
    """The tree of ``revision``, exported once into ``bench/out/baseline-<commit>``."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", f"{revision}^{{commit}}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    tree = OUT / f"baseline-{commit}"
    if not (tree / "search").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run_rounds(baseline: Path, corpus: Path, rounds: int) -> dict[str, list[dict[str, Any]]]:
    """``rounds`` alternating full reindexes of the baseline tree and this one."""
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "current": []}
    for n in range(1, rounds + 1):
        for name, tree in (("baseline", baseline), ("current", ROOT)):
            result = timed_reindex(tree, corpus, OUT / f"reindex-speed-{name}")
            runs[name].append(result)
            print(
                f"round {n} {name:8}: {result['seconds']:7.1f} s wall "
                f"{result['cpu_seconds']:7.1f} s CPU ({result['documents']} documents)",
                file=sys.stderr,
            )
    return runs


def table(runs: dict[str, list[dict[str, Any]]], revision: str) -> str:
    """The rounds side by side, the medians and their ratios, as a Markdown table."""
    rows = [
        f"| round | baseline {revision} wall s | CPU s | current wall s | CPU s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for n, (b, c) in enumerate(zip(runs["baseline"], runs["current"], strict=True), 1):
        rows.append(_row(str(n), b, c))
    med = {
        name: {key: statistics.median(r[key] for r in rs) for key in ("seconds", "cpu_seconds")}
        for name, rs in runs.items()
    }
    b, c = med["baseline"], med["current"]
    rows.append(_row("median", b, c))
    wall, cpu = c["seconds"] / b["seconds"], c["cpu_seconds"] / b["cpu_seconds"]
    rows.append(f"| current / baseline | | | {wall:.3f} | {cpu:.3f} |")
    return "\n".join(rows)


def _row(label: str, base: dict[str, Any], current: dict[str, Any]) -> str:
    cells = [f"{run[key]:.1f}" for run in (base, current) for key in ("seconds", "cpu_seconds")]
    return f"| {label} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", required=True, help="a git revision to compare against")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    runs = run_rounds(export(args.baseline), args.corpus, args.rounds)
    print(table(runs, args.baseline))


if __name__ == "__main__":
    main()
