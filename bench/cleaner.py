"""Main-text quality of the cleaner against human ground truth, beside trafilatura.

    python -m bench.cleaner [--shared ../shared] [--pages N]

Scores the mean bag-of-words F1 of ``Article.body`` against ``articleBody`` of the
article-extraction benchmark (151 news pages), next to trafilatura's default and
``favor_precision=True`` settings on the same pages in the same run; then checks title and
date on the Hong Kong and European Parliament pages against their ``index.jsonl``.
``--pages N`` lists the N pages where pressearch scores lowest, with precision (low: too much
kept) and recall (low: too much dropped), and how much of the mean F1 each side costs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from search.ingest.clean import clean_html

_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> Counter[str]:
    return Counter(_TOKEN.findall((text or "").lower()))


def f1(predicted: str | None, truth: str) -> float:
    """Bag-of-words F1 (token multiset overlap), the benchmark's usual measure."""
    return scores(predicted, truth)[2]


def scores(predicted: str | None, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1."""
    p, t = tokens(predicted), tokens(truth)
    common = sum((p & t).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def page_errors(shared: Path, worst: int) -> None:
    """Print the pages where ``clean_html`` scores lowest, and what precision and recall cost."""
    base = shared / "corpus/html/article_extraction_benchmark"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    rows, cpu = [], 0.0
    for key in truth:
        html = gzip.decompress((base / f"html/{key}.html.gz").read_bytes()).decode("utf-8")
        start = time.process_time()
        body = clean_html(html, id=key, path=key).body
        cpu += time.process_time() - start
        rows.append((*scores(body, truth[key]["articleBody"]), key))
    n = len(rows)
    print(f"\nclean_html CPU: {cpu * 1000 / n:.1f} ms per page")
    print(
        f"mean F1 {sum(r[2] for r in rows) / n:.4f}; lost to precision (kept too much) "
        f"{sum(1 - r[0] for r in rows) / n:.4f}, to recall (dropped too much) "
        f"{sum(1 - r[1] for r in rows) / n:.4f}"
    )
    print(f"{'F1':>6} {'P':>6} {'R':>6}  page")
    for precision, recall, score, key in sorted(rows, key=lambda r: r[2])[:worst]:
        print(f"{score:6.3f} {precision:6.3f} {recall:6.3f}  {key}")


def body_f1(shared: Path) -> dict[str, tuple[float, float]]:
    """Mean F1 and seconds per extractor over the benchmark pages."""
    base = shared / "corpus/html/article_extraction_benchmark"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((base / f"html/{key}.html.gz").read_bytes()) for key in truth}
    extractors: dict[str, Callable[[str], str | None]] = {
        "pressearch clean_html": lambda h: clean_html(h, id="x", path="x").body,
        "trafilatura 2.3.1 default": lambda h: trafilatura.extract(h),
        "trafilatura favor_precision": lambda h: trafilatura.extract(h, favor_precision=True),
    }
    results = {}
    for name, fn in extractors.items():
        start = time.perf_counter()
        scores = [
            f1(fn(raw.decode("utf-8")), truth[key]["articleBody"]) for key, raw in pages.items()
        ]
        results[name] = (sum(scores) / len(scores), time.perf_counter() - start)
    return results


def metadata_checks(shared: Path) -> list[tuple[str, bool, bool, str, str]]:
    """Per HK/Europarl page: title ok, date ok, and what we found."""
    rows = []
    for folder in ("hk_gov_press_releases", "europarl_press_releases"):
        base = shared / "corpus/html" / folder
        for line in (base / "index.jsonl").read_text(encoding="utf-8").splitlines():
            ref = json.loads(line)
            html = (base / ref["file"]).read_bytes().decode("utf-8", "replace")
            article = clean_html(html, id=ref["file"], path=ref["file"])
            rows.append(
                (
                    ref["file"],
                    article.title == ref["title"],
                    article.date == ref["date"],
                    article.title,
                    f"{article.date} ({article.date_source})",
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--pages", type=int, default=0, help="list the N lowest-scoring pages")
    args = parser.parse_args()
    if args.pages:
        page_errors(args.shared, args.pages)
        return
    results = body_f1(args.shared)
    print(f"\n{'extractor':32} {'mean F1':>8} {'seconds':>8}   (151 pages, articleBody)")
    for name, (score, seconds) in results.items():
        print(f"{name:32} {score:8.4f} {seconds:8.1f}")
    ours = results["pressearch clean_html"][0]
    best = max(v[0] for k, v in results.items() if k.startswith("trafilatura"))
    print(
        f"pressearch - best trafilatura: {ours - best:+.4f} ({'ok' if ours >= best else 'SHORT'})"
    )
    print(f"\n{'page':40} {'title':6} {'date':6} found")
    rows = metadata_checks(args.shared)
    for name, title_ok, date_ok, _title, found in rows:
        print(f"{name:40} {'ok' if title_ok else 'MISS':6} {'ok' if date_ok else 'MISS':6} {found}")
    print(
        f"titles {sum(r[1] for r in rows)}/{len(rows)}, dates {sum(r[2] for r in rows)}/{len(rows)}"
    )


if __name__ == "__main__":
    main()
