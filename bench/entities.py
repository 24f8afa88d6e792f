"""Entity-extraction benchmark: scores against the hand-checked labels and time per release.

Runs the real pipeline (corpus loader -> cleaner -> extractor) over each labels file of
``../shared/labels/`` (by default ``dev.jsonl``, the publishers the rules were tuned on, and
``intl.jsonl``, English releases of 62 other publishers), writes predictions to
``bench/out/entities_<name>.jsonl``, scores each file with ``../shared/labels/score.py`` and
prints a side-by-side summary, then milliseconds of extraction per release, over the labelled
documents and over a larger sample of the corpus.

``multilingual`` is the part of ``intl.jsonl`` that labels ``intl/multilingual.jsonl`` (releases
in Chinese, Japanese, Korean, Spanish, French and German), scored as a set of its own with one
group per language; ``intl`` scores the English releases only (all of them with
``--all-languages``). Each region is written to the predictions under the name the release
writes it ("杭州市"; the labels' convention for those releases), else its facet name.

usage: python bench/entities.py [--errors] [--labels NAME ...] [--all-languages]
                                [--sample N] [--shared PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.extract import extract  # noqa: E402
from search.extract.regions import full_gazetteer, gazetteer  # noqa: E402
from search.ingest.article import Article  # noqa: E402
from search.ingest.clean import clean_record  # noqa: E402
from search.ingest.corpus import load_file  # noqa: E402

OUT = ROOT / "bench" / "out"
WARM_UP_OTHER_LANGUAGES = (
    ("zh", "上海市市长龚正会见全罗南道代表团"),
    ("es", "El alcalde de Madrid, José Luis Martínez-Almeida, visita Alemania"),
)
DEFAULT_LABELS = ("dev", "intl", "multilingual")
# a labels set scored apart from the file that holds it: name -> (file, the records it keeps)
VIRTUAL_LABELS = {"multilingual": "intl"}
NON_ENGLISH = ("intl/multilingual.jsonl",)
SAMPLE_FILES = (
    "whitehouse_briefing_room.jsonl",
    "us_county_prosecutors.jsonl",
    "corporate_newswire_sample.jsonl",
)


def load_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def labelled_articles(labels: list[dict], corpus: Path) -> Iterator[tuple[str, Article]]:
    """The cleaned article of every labelled document, found by id (JSONL) or file (HTML)."""
    wanted: dict[str, set[str]] = {}
    for lab in labels:
        if lab["file"].endswith(".jsonl"):
            wanted.setdefault(lab["file"], set()).add(lab["id"])
    records: dict[str, dict] = {}
    for file, ids in wanted.items():
        with open(corpus / file, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("id") in ids:
                    records[rec["id"]] = (file, rec)
    for lab in labels:
        if lab["file"].endswith(".jsonl"):
            file, rec = records[lab["id"]]
            yield lab["id"], clean_record(rec, id=lab["id"], path=file)
        else:
            path = corpus / lab["file"]
            results = [a for a in load_file(path, corpus) if isinstance(a, Article)]
            if not results:
                raise SystemExit(f"{lab['file']}: the cleaner rejected the page")
            yield lab["id"], results[0]


def sample_articles(corpus: Path, n: int) -> list[Article]:
    """About ``n`` cleaned records spread evenly over the JSONL files (every k-th line)."""
    per_file = max(1, n // len(SAMPLE_FILES))
    out: list[Article] = []
    for file in SAMPLE_FILES:
        with open(corpus / file, encoding="utf-8") as fh:
            lines = fh.readlines()
        step = max(1, len(lines) // per_file)
        for line in lines[::step][:per_file]:
            rec = json.loads(line)
            out.append(clean_record(rec, id=str(rec.get("id")), path=file))
    return out


def time_extract(articles: list[Article]) -> tuple[list[float], list[float]]:
    """Milliseconds ``extract`` takes on each article: wall clock and CPU time.

    The machine is shared, so wall clock rises with other people's load; CPU time of this
    process is the steadier figure. Both are printed.
    """
    wall, cpu = [], []
    for art in articles:
        t, c = time.perf_counter(), time.process_time()
        extract(art)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def describe(times: tuple[list[float], list[float]]) -> str:
    wall, cpu = sorted(times[0]), sorted(times[1])
    p95 = wall[int(0.95 * (len(wall) - 1))]
    return (
        f"mean {statistics.fmean(wall):.2f} ms  median {statistics.median(wall):.2f} ms  "
        f"p95 {p95:.2f} ms  max {wall[-1]:.2f} ms  | CPU mean {statistics.fmean(cpu):.2f} ms"
        f"  (n={len(wall)})"
    )


def write_predictions(docs: list[tuple[str, Article]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, art in docs:
            regions = [{**r, "name": r.get("written") or r["name"]} for r in art.regions]
            pred = {
                "id": doc_id,
                "officials": art.officials,
                "regions": regions,
                "date": art.date,
                "years_mentioned": art.years,
            }
            fh.write(json.dumps(pred, ensure_ascii=False) + "\n")


def score(script: Path, labels_path: Path, pred_path: Path, errors: bool) -> dict[str, str]:
    """Run score.py; print its report and return the ALL rows by task ("officials" ...)."""
    cmd = [sys.executable, str(script), str(labels_path), str(pred_path)]
    if errors:
        cmd.append("--errors")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(out, end="")
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) > 2 and parts[0] == "ALL":
            rows[parts[1]] = " ".join(parts[2:])
    return rows


def run_labels(name: str, args: argparse.Namespace) -> tuple[dict[str, str], list[float]]:
    """Clean, extract, write and score one labels file; its ALL rows and CPU times."""
    labels = load_labels(args.shared / "labels" / f"{VIRTUAL_LABELS.get(name, name)}.jsonl")
    if name in VIRTUAL_LABELS:
        labels = [lab for lab in labels if lab["file"] in NON_ENGLISH]
    elif not args.all_languages:
        labels = [lab for lab in labels if lab["file"] not in NON_ENGLISH]
    docs = list(labelled_articles(labels, args.shared / "corpus"))
    if name in VIRTUAL_LABELS:
        # one group per language in score.py's report (it groups by the label's "file")
        language = {doc_id: art.language for doc_id, art in docs}
        labels = [{**lab, "file": f"{lab['file']}:{language[lab['id']]}"} for lab in labels]
    times = time_extract([a for _, a in docs])
    OUT.mkdir(parents=True, exist_ok=True)
    # score.py reads a labels file: the subset scored here is written next to the predictions
    labels_path = OUT / f"labels_{name}.jsonl"
    with open(labels_path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(lab, ensure_ascii=False) + "\n" for lab in labels)
    pred_path = OUT / f"entities_{name}.jsonl"
    write_predictions(docs, pred_path)
    print(f"== {name}.jsonl ({len(labels)} releases)")
    rows = score(args.shared / "labels" / "score.py", labels_path, pred_path, args.errors)
    print(f"extract, {name}: {describe(times)}")
    print()
    return rows, times[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list every false positive/negative")
    ap.add_argument(
        "--labels",
        nargs="+",
        default=list(DEFAULT_LABELS),
        help="labels files of SHARED/labels to score, by name (default: dev intl multilingual)",
    )
    ap.add_argument("--all-languages", action="store_true", help="also the non-English labels")
    ap.add_argument("--sample", type=int, default=2000, help="corpus records to time (0: none)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    args.labels = [n.removesuffix(".jsonl") for n in args.labels]
    missing = [
        n
        for n in args.labels
        if not (args.shared / "labels" / f"{VIRTUAL_LABELS.get(n, n)}.jsonl").exists()
    ]
    if missing:
        print(f"no labels {missing} in {args.shared / 'labels'}", file=sys.stderr)
        return 2

    # one-time, per process: the gazetteer and the rule tables built from it
    t = time.perf_counter()
    gazetteer()
    extract(Article(id="warm-up", path="warm-up", title="Mayor Jane Doe visits Texas"))
    load_ms = (time.perf_counter() - t) * 1000
    # and, as a reindex worker meets its first release in another language or script, the
    # names of places in those (timed apart: a release that needs them must not carry it)
    t = time.perf_counter()
    full_gazetteer()
    for language, title in WARM_UP_OTHER_LANGUAGES:
        extract(Article(id="warm-up", path="warm-up", title=title, language=language))
    native_ms = (time.perf_counter() - t) * 1000

    results = {name: run_labels(name, args) for name in args.labels}
    print(f"{'side by side':13s} " + "  ".join(f"{n:>38s}" for n in results))
    for task in ("officials", "regions", "years", "date"):
        cells = [_short(results[n][0].get(task, "")) for n in results]
        print(f"{task:13s} " + "  ".join(f"{c:>38s}" for c in cells))
    print()
    print(f"gazetteer and rule tables (once per process): {load_ms:.0f} ms")
    print(f"names in other languages and scripts (once per process, on need): {native_ms:.0f} ms")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    if args.sample:
        sample = sample_articles(args.shared / "corpus", args.sample)
        print(f"extract, corpus sample:  {describe(time_extract(sample))}")
    return 0


def _short(row: str) -> str:
    """ "tp fp fn P R F1" as "P 0.88 R 0.49 F1 0.63"; a date row as its accuracy."""
    parts = row.split()
    if len(parts) == 6:
        p, r, f = (float(x) for x in parts[3:])
        return f"P {p:.3f} R {r:.3f} F1 {f:.3f}"
    if parts[:1] == ["accuracy"]:
        return f"accuracy {parts[1]} = {parts[3]}"
    return row


if __name__ == "__main__":
    raise SystemExit(main())
