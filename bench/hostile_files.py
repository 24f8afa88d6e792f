"""Reindexing gzip bombs: peak memory (the reindex and its workers together) and seconds.

Writes two gzip bombs under a scratch directory (never in the repository): a gzip of 200 MB of
lines that are not JSON, and one of 2 GB. Each goes, alone, into a fresh corpus that also
holds a few good releases (the row "none" is that corpus without a bomb, for reference). The
script runs ``pressearch reindex`` on it, then once more (a no-op incremental run), sampling
the memory of the process tree every 20 ms. Prints a table.

    .venv/bin/python -m bench.hostile_files [--scratch /tmp/pressearch-bombs] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESSEARCH = ROOT / ".venv" / "bin" / "pressearch"
LINE = b"this line is not JSON, it is a gzip bomb of the hostile-files benchmark %09d\n"


def write_bomb(path: Path, size: int) -> None:
    """A gzip of ``size`` bytes of non-JSON lines (a numbered line every 500, so it varies)."""
    if path.exists():
        return
    block = LINE.replace(b"%09d", b"000000000") * 499
    written = n = 0
    with gzip.open(path, "wb", compresslevel=9) as fh:
        while written < size:
            chunk = block + LINE % n
            fh.write(chunk)
            written += len(chunk)
            n += 1


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional (PSS) bytes of ``pid`` and all its descendants, from /proc.

    RSS counts a page shared by the forked workers once per process; PSS splits it among them,
    so the PSS sum is the memory the tree really holds.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith(("Rss:", "Pss:")):
                        kb = int(line.split()[1]) * 1024
                        rss, pss = (rss + kb, pss) if line[0:3] == "Rss" else (rss, pss + kb)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def run(corpus: Path, index: Path, jobs: int) -> dict:
    """One ``pressearch reindex --json``: seconds, peak RSS of the process tree, its summary."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    cmd = [str(PRESSEARCH), "reindex", "--corpus", str(corpus), "--index", str(index)]
    with tempfile.TemporaryFile() as out_fh, tempfile.TemporaryFile() as err_fh:
        # Files, not pipes: the summary may not fit in a pipe, and nobody reads it until the end.
        proc = subprocess.Popen([*cmd, "--json", "--jobs", str(jobs)], stdout=out_fh, stderr=err_fh)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = _tree_memory(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        out_fh.seek(0)
        err_fh.seek(0)
        out, err = out_fh.read(), err_fh.read()
    summary = json.loads(out) if out.strip() else {"error": err.decode()[-300:]}
    memory = {"rss_mb": peak_rss / 2**20, "pss_mb": peak_pss / 2**20}
    return {"wall": seconds, "cpu": cpu, **memory, "rc": proc.returncode, **summary}


def _children_cpu() -> float:
    """CPU seconds of the waited-for children so far (a reindex and its workers, once done)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/pressearch-bombs"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    good = [
        {"id": f"good-{i}", "title": f"Harbour release {i}", "body": f"The harbour {i} opened."}
        for i in range(5)
    ]
    rows = []
    bombs = [("none", 0), ("200 MB", 200 * 10**6), ("2 GB", 2 * 10**9)]
    for label, size in bombs:
        bomb = args.scratch / f"bomb-{label.replace(' ', '')}.jsonl.gz"
        if size:
            write_bomb(bomb, size)
        corpus, index = args.scratch / f"corpus-{bomb.stem}", args.scratch / f"index-{bomb.stem}"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)
        corpus.mkdir()
        if size:
            os.link(bomb, corpus / bomb.name)
        for part in ("a", "b"):  # two files: the reindex forks its workers, as for a bomb
            lines = [json.dumps({**r, "id": f"{r['id']}{part}"}) for r in good]
            (corpus / f"good-{part}.jsonl").write_text("\n".join(lines) + "\n")
        for kind in ("full", "no-op"):
            res = run(corpus, index, args.jobs)
            manifest = sum(p.stat().st_size for p in index.glob("gen-*/manifest.json"))
            rows.append((label, bomb.stat().st_size if size else 0, kind, res, manifest))
    print(f"{'bomb':>7} {'gzip KB':>8} {'run':>6} {'wall s':>7} {'cpu s':>6} {'RSS MB':>7} "
          f"{'PSS MB':>7} {'rc':>3} {'docs':>5} {'rejected':>8} {'manifest KB':>11}")  # fmt: skip
    for label, gz, kind, res, manifest in rows:
        print(
            f"{label:>7} {gz // 1024:>8} {kind:>6} {res['wall']:>7.2f} {res['cpu']:>6.2f} "
            f"{res['rss_mb']:>7.0f} {res['pss_mb']:>7.0f} {res['rc']:>3} "
            f"{res.get('documents', '-'):>5} {len(res.get('rejected', [])):>8} "
            f"{manifest // 1024:>11}"
        )
    print("RSS: peak of the sum over the reindex process and its workers (shared pages counted")
    print("once per process); PSS: the same with shared pages split among them.")


if __name__ == "__main__":
    main()
