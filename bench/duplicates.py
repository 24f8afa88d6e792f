"""Benchmark of grouping copies: a corpus of real releases and made copies, reindexed for real.

    python -m bench.duplicates                       # variant 1, 5,000 originals, seed 1
    python -m bench.duplicates --variant 2 --seed 7  # another maker of copies
    python -m bench.duplicates --baseline /work/base # also time the reindex of that code tree

Originals are releases drawn from ``../shared/corpus`` (JSON Lines). Each gets 1-3 copies, each
made by one or two transformations of the issue's list: page furniture, a title prefix or
suffix, a dateline added or removed, paragraphs re-wrapped, quotes and dashes changed, a
boilerplate paragraph added, the last paragraph or two cut, another file format (an HTML page,
a text file or another JSON Lines record). Templated siblings are added: real releases of one
source whose titles start alike (weekly statements, sentencing announcements, determinations),
which must stay apart. The two variants make copies differently (their own furniture,
portals, boilerplate, dateline forms and cut rules), so that a threshold tuned on one is
checked on the other.

The truth: a copy belongs with its original; two real releases are one only when their texts
are the same word for word. The corpus and the index go to ``bench/out/duplicates-vN/``. It
prints pairwise precision and recall of the groups (and recall by transformation), and the
reindex time with grouping (and, with ``--baseline``, of the code tree given, without it).
Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from search.index.analysis import words

OUT = Path(__file__).resolve().parent / "out"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FILES = ("whitehouse_briefing_room.jsonl", "us_county_prosecutors.jsonl",
         "corporate_newswire_sample.jsonl")  # fmt: skip

# What each variant's copies look like. Variant 2 shares no text with variant 1.
STYLES: dict[int, dict[str, Any]] = {
    1: {
        "portals": ["Capital Wire", "Regional News Hub", "Press Digest", "Civic Bulletin"],
        "prefixes": ["PRESS RELEASE: ", "News Release - ", "FOR IMMEDIATE RELEASE: "],
        "suffixes": [" | Ministry of Information", " | Capital Wire", " - Press Digest"],
        "nav": ["Skip to main content", "Home | News | Releases | Contact", "Search", "Menu"],
        "footer": [
            "Share this: Facebook Twitter Email",
            "© 2024 All rights reserved.",
            "Privacy Policy | Terms of Use | Accessibility",
        ],
        "boilerplate": "{portal} republishes official statements from public bodies and "
        "companies as a service to its readers. {portal} is not responsible for their content "
        "and does not endorse any of the views expressed in them.",
        "boilerplate_at": "end",
        "cities": ["WASHINGTON", "NEW YORK", "SANTA ANA, Calif.", "DALLAS", "LONDON"],
        "dateline": "{city}, {month} {day}, {year} — ",
        "wrap": (58, 76),
        "cut": "paragraphs",
        "extra_transforms": (0, 1),
    },
    2: {
        "portals": ["Metro Gazette Online", "Newsroom Mirror", "Public Affairs Feed"],
        "prefixes": ["Statement: ", "OFFICIAL: ", "Latest news — "],
        "suffixes": [" :: Newsroom Mirror", " (Public Affairs Feed)", " – Government Portal"],
        "nav": [
            "You are here: Home > Newsroom > Archive",
            "Subscribe to updates",
            "Login  Register",
            "Print this page",
        ],
        "footer": [
            "Related stories",
            "Follow us on social media",
            "Back to top",
            "Copyright Metro Gazette Media Group. Reproduction prohibited.",
        ],
        "boilerplate": "Editor's note: this item was received by {portal} from the issuing "
        "office and is reproduced as supplied, including any errors. Readers with questions "
        "about it should contact the issuing office directly, not the {portal} newsroom.",
        "boilerplate_at": "start",
        "cities": ["CHICAGO (IL)", "Houston, Texas", "BRUSSELS", "San Diego, CA"],
        "dateline": "{city} ({day} {month} {year}) – ",
        "wrap": (40, 100),
        "cut": "sentences",
        "extra_transforms": (0, 2),
    },
}
TRANSFORMS = ("furniture", "title", "dateline", "rewrap", "quotes", "boilerplate", "cut",
              "format")  # fmt: skip
DATELINE = re.compile(r"^[A-Z][A-Z .,'()]{2,40}(?:,? [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)?"
                      r"\s*[–—-]{1,2}\s*")  # fmt: skip


@dataclass
class Release:
    """A release as the maker writes it out: title, paragraphs and where it came from."""

    id: str
    title: str
    paragraphs: list[str]
    date: str | None
    source: str | None
    url: str | None = None
    truth: str = ""  # the release it is (a copy: its original's truth)
    made_by: tuple[str, ...] = ()
    fmt: str = "jsonl"
    nav: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    wrap: int = 0  # hard-wrap width of the text (0: none)


def paragraphs_of(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def text_key(body: str) -> str:
    """Real releases with the same words are the same release (the truth of the benchmark)."""
    return hashlib.blake2b(" ".join(words(body)).encode(), digest_size=12).hexdigest()


def load_records(corpus: Path) -> list[dict[str, Any]]:
    records = []
    for name in FILES:
        with open(corpus / name, encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


def usable(record: dict[str, Any]) -> bool:
    """An original worth copying: a few paragraphs of text (not a one-line page)."""
    body = record.get("body") or ""
    return len(paragraphs_of(body)) >= 3 and len(body.split()) >= 80


def template_key(record: dict[str, Any]) -> tuple[str, str]:
    """Releases of one source whose titles open with the same four words (digits dropped)."""
    head = [w for w in words(record.get("title") or "") if not w.isdigit()][:4]
    return (record.get("agency") or record.get("publisher") or "", " ".join(head))


def siblings(records: list[dict[str, Any]], rng: random.Random, limit: int) -> list[dict]:
    """Members of real templated families: same source, titles alike, texts not the same."""
    families: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if len((record.get("body") or "").split()) >= 30:
            families[template_key(record)].append(record)
    picked: list[dict[str, Any]] = []
    keys = sorted(k for k, v in families.items() if len({text_key(r["body"]) for r in v}) > 1)
    rng.shuffle(keys)
    for k in keys:
        if len(picked) >= limit:
            break
        picked.extend(sorted(families[k], key=lambda r: r["id"])[:12])
    return picked[:limit]


def release_of(record: dict[str, Any]) -> Release:
    return Release(
        id=record["id"],
        title=record.get("title") or "",
        paragraphs=paragraphs_of(record.get("body") or ""),
        date=record.get("date"),
        source=record.get("agency") or record.get("publisher"),
        url=record.get("url"),
        truth=text_key(record.get("body") or ""),
    )


# --- transformations: each takes a copy and changes it in place ---------------------------------


def t_furniture(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    c.nav = rng.sample(style["nav"], k=rng.randint(2, len(style["nav"])))
    c.footer = rng.sample(style["footer"], k=rng.randint(1, len(style["footer"])))
    if c.fmt == "jsonl":
        c.fmt = rng.choice(["html", "txt"])  # furniture is what a page or its text has


def t_title(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    if rng.random() < 0.5:
        c.title = rng.choice(style["prefixes"]) + c.title
    else:
        c.title = c.title + rng.choice(style["suffixes"])


def t_dateline(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    first = c.paragraphs[0]
    stripped = DATELINE.sub("", first, count=1)
    if stripped != first and len(stripped) > 20:
        c.paragraphs[0] = stripped
        return
    day = Date.fromisoformat(c.date) if c.date else Date(2024, 3, 5)
    line = style["dateline"].format(
        city=rng.choice(style["cities"]), month=day.strftime("%B"), day=day.day, year=day.year
    )
    c.paragraphs[0] = line + first


def t_rewrap(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    c.wrap = rng.randint(*style["wrap"])


_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "--", "–": "-"})


def t_quotes(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    def curl(text: str) -> str:
        text = re.sub(r'"([^"]*)"', "“\\1”", text)
        return re.sub(r"(\w)'(\w)", "\\1’\\2", text).replace(" - ", " – ").replace("--", "—")

    change = (lambda p: p.translate(_CURLY)) if style["cut"] == "paragraphs" else curl
    c.paragraphs = [change(p) for p in c.paragraphs]


def t_boilerplate(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    text = style["boilerplate"].format(portal=c.source)
    if style["boilerplate_at"] == "end":
        c.paragraphs.append(text)
    else:
        c.paragraphs.insert(0, text)


def t_cut(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    n = len(c.paragraphs)
    if style["cut"] == "paragraphs":
        c.paragraphs = c.paragraphs[: max(1, n - min(rng.randint(1, 2), n // 3 or 1))]
        return
    # Variant 2: the last paragraph, and the last sentence of the one before it.
    c.paragraphs = c.paragraphs[: max(2, n - 1)]
    sentences = re.split(r"(?<=[.!?])\s+", c.paragraphs[-1])
    if len(sentences) > 1:
        c.paragraphs[-1] = " ".join(sentences[:-1])


def t_format(c: Release, rng: random.Random, style: dict[str, Any]) -> None:
    c.fmt = rng.choice(["html", "txt"])


MAKERS: dict[str, Callable[[Release, random.Random, dict[str, Any]], None]] = {
    "furniture": t_furniture,
    "title": t_title,
    "dateline": t_dateline,
    "rewrap": t_rewrap,
    "quotes": t_quotes,
    "boilerplate": t_boilerplate,
    "cut": t_cut,
    "format": t_format,
}


def make_copy(orig: Release, n: int, first: str, rng: random.Random, variant: int) -> Release:
    """Copy ``n`` of ``orig``: transformation ``first``, maybe others, another portal."""
    style = STYLES[variant]
    lo, hi = style["extra_transforms"]
    others = [t for t in TRANSFORMS if t != first]
    made = (first, *rng.sample(others, rng.randint(lo, hi)))
    shift = rng.choice([0, 0, 0, 1, 2])
    day = str(Date.fromisoformat(orig.date) + timedelta(days=shift)) if orig.date else None
    copy = replace(
        orig,
        id=f"copy-v{variant}-{orig.id}-{n}",
        paragraphs=list(orig.paragraphs),
        source=rng.choice(style["portals"]),
        date=day,
        url=None,
        made_by=made,
    )
    for name in sorted(made, key=TRANSFORMS.index):
        MAKERS[name](copy, rng, style)
    return copy


# --- writing the corpus ---------------------------------------------------------------------------


def body_text(r: Release) -> str:
    paras = [textwrap.fill(p, r.wrap) if r.wrap else p for p in r.paragraphs]
    return "\n\n".join(paras)


# Tags some sources leave in their records' text (<u>, <figure>, tables): a site republishing the
# release renders them as markup, and a plain-text copy has none.
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>")


def page_paragraph(text: str) -> str:
    """A paragraph as a site would publish it: its markup as markup, the rest escaped."""
    if not MARKUP.search(text):
        return html.escape(text)
    pieces = MARKUP.split(text)
    tags = MARKUP.findall(text)
    return "".join(
        html.escape(p) + (tags[i] if i < len(tags) else "") for i, p in enumerate(pieces)
    )


def html_page(r: Release) -> str:
    esc = html.escape
    meta = [f'<meta property="og:site_name" content="{esc(r.source or "")}">']
    if r.date:
        meta.append(f'<meta property="article:published_time" content="{r.date}T09:00:00Z">')
    nav = "".join(f"<li><a href='#'>{esc(x)}</a></li>" for x in r.nav)
    paras = "".join(f"<p>{page_paragraph(p)}</p>\n" for p in body_text(r).split("\n\n"))
    foot = "".join(f"<p>{esc(x)}</p>" for x in r.footer)
    return (
        f"<!doctype html><html><head><title>{esc(r.title)}</title>{''.join(meta)}</head>"
        f"<body><nav><ul>{nav}</ul></nav><main><article><h1>{esc(r.title)}</h1>\n{paras}"
        f"</article></main><footer>{foot}</footer></body></html>\n"
    )


def text_file(r: Release) -> str:
    day = Date.fromisoformat(r.date).strftime("%B %-d, %Y") if r.date else ""
    lines = [*r.nav, r.title, day, "", MARKUP.sub("", body_text(r)), "", *r.footer]
    return "\n".join(lines) + "\n"


def record(r: Release) -> dict[str, Any]:
    body = "\n".join([*r.nav, body_text(r), *r.footer])
    return {"id": r.id, "title": r.title, "date": r.date, "body": body, "url": r.url,
            "publisher": r.source}  # fmt: skip


def write_corpus(releases: list[Release], corpus: Path) -> dict[str, str]:
    """The files of the corpus; returns doc id (a path for pages and texts) -> truth."""
    shutil.rmtree(corpus, ignore_errors=True)
    (corpus / "pages").mkdir(parents=True)
    (corpus / "texts").mkdir()
    truth: dict[str, str] = {}
    with open(corpus / "releases.jsonl", "w", encoding="utf-8") as fh:
        for r in releases:
            if r.fmt == "jsonl":
                fh.write(json.dumps(record(r), ensure_ascii=False) + "\n")
                truth[r.id] = r.truth
            elif r.fmt == "html":
                rel = f"pages/{r.id}.html"
                (corpus / rel).write_text(html_page(r), encoding="utf-8")
                truth[rel] = r.truth
            else:
                rel = f"texts/{r.id}.txt"
                (corpus / rel).write_text(text_file(r), encoding="utf-8")
                truth[rel] = r.truth
    return truth


def build(corpus_dir: Path, out: Path, originals: int, variant: int, seed: int) -> dict:
    """Make the benchmark's corpus in ``out/corpus``; returns its truth and copies' makers."""
    rng = random.Random(seed * 100 + variant)
    records = load_records(corpus_dir)
    pool = [r for r in records if usable(r)]
    chosen = rng.sample(pool, originals)
    chosen_ids = {r["id"] for r in chosen}
    sibs = [r for r in siblings(records, rng, originals // 2) if r["id"] not in chosen_ids]
    releases = [release_of(r) for r in chosen + sibs]
    made: dict[str, tuple[str, ...]] = {}
    for i, orig in enumerate(releases[: len(chosen)]):
        for n in range(rng.randint(1, 3)):
            first = TRANSFORMS[(i * 3 + n) % len(TRANSFORMS)]  # every transformation as often
            copy = make_copy(orig, n, first, rng, variant)
            releases.append(copy)
            made[copy.id] = copy.made_by
    truth = write_corpus(releases, out / "corpus")
    return {"truth": truth, "made": made, "originals": len(chosen), "siblings": len(sibs)}


# --- running and scoring --------------------------------------------------------------------------


def cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


REINDEX = (
    "import json, sys; from search.backends.whoosh.backend import WhooshBackend; "
    "from search.index.reindex import reindex; "
    "s = reindex(sys.argv[1], sys.argv[2], WhooshBackend(sys.argv[2]), full=True); "
    "print(json.dumps({'documents': s['documents'], 'rejected': len(s['rejected'])}))"
)


def timed_reindex(code_root: Path, corpus: Path, index: Path) -> dict[str, Any]:
    """A full reindex in a fresh process running the code at ``code_root``: wall and CPU."""
    shutil.rmtree(index, ignore_errors=True)
    cpu, wall = cpu_children(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", REINDEX, str(corpus.resolve()), str(index.resolve())],
        cwd=code_root, env={"PYTHONPATH": str(code_root), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    summary["seconds"] = time.perf_counter() - wall
    summary["cpu_seconds"] = cpu_children() - cpu
    summary["cpu_ms_per_doc"] = 1000 * summary["cpu_seconds"] / max(1, summary["documents"])
    return summary


def pairs_of(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}  # type: ignore[misc]


def score(
    predicted: dict[str, list[str]], truth: dict[str, str], made: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    """Pairwise precision and recall over the indexed documents, recall per transformation."""
    indexed = set(truth)
    by_truth: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(indexed):
        by_truth[truth[doc_id]].append(doc_id)
    true_pairs = pairs_of(by_truth)
    found = {p for p in pairs_of(predicted) if p[0] in indexed and p[1] in indexed}
    hit = found & true_pairs
    per: Counter[str] = Counter()
    per_hit: Counter[str] = Counter()
    for a, b in true_pairs:
        for name in set(made.get(_copy_id(a), ())) | set(made.get(_copy_id(b), ())):
            per[name] += 1
            per_hit[name] += (a, b) in hit
    return {
        "precision": len(hit) / len(found) if found else 1.0,
        "recall": len(hit) / len(true_pairs) if true_pairs else 1.0,
        "pairs_true": len(true_pairs),
        "pairs_found": len(found),
        "recall_by_transform": {k: round(per_hit[k] / per[k], 4) for k in sorted(per)},
        "false_pairs": sorted(found - true_pairs)[:20],
    }


def _copy_id(doc_id: str) -> str:
    """The copy's id of a document id (a page's or text's id is its path)."""
    return doc_id.rsplit("/", 1)[-1].rsplit(".", 1)[0] if "/" in doc_id else doc_id


def evaluate(index: Path, info: dict[str, Any]) -> dict[str, Any]:
    from search.backends.whoosh.backend import WhooshBackend
    from search.index.groups import find_groups, stored_sketches

    manifest = WhooshBackend(index).manifest()
    sketches = stored_sketches(manifest["files"].values())
    started = time.process_time()
    groups = find_groups(sketches)
    seconds = time.process_time() - started
    truth = {k: v for k, v in info["truth"].items() if k in sketches}
    result = score({k: list(v) for k, v in groups.members.items()}, truth, info["made"])
    result["grouping_cpu_s"] = round(seconds, 2)
    result["stored_groups_match"] = groups.to_json() == manifest.get("groups")
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED)
    ap.add_argument("--originals", type=int, default=5000)
    ap.add_argument("--variant", type=int, choices=sorted(STYLES), default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--code", type=Path, help="reindex with this code tree (default: this one)")
    ap.add_argument("--baseline", type=Path, help="also reindex with this code tree (timing)")
    ap.add_argument("--reuse", action="store_true", help="score the index already built")
    args = ap.parse_args(argv)
    out = OUT / f"duplicates-v{args.variant}"
    out.mkdir(parents=True, exist_ok=True)
    if args.reuse:
        info = json.loads((out / "truth.json").read_text())
    else:
        info = build(args.corpus, out, args.originals, args.variant, args.seed)
        (out / "truth.json").write_text(json.dumps(info))
        root = args.code or Path(__file__).resolve().parents[1]
        info["reindex"] = timed_reindex(root, out / "corpus", out / "index")
        if args.baseline:
            info["baseline"] = timed_reindex(args.baseline, out / "corpus", out / "base-index")
    report = {k: v for k, v in info.items() if k not in ("truth", "made")}
    report.update(evaluate(out / "index", info))
    (out / "result.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
