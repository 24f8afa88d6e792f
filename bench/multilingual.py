"""Language-aware search: segmenter costs and candidates, and the English-unchanged check.

    python -m bench.multilingual segment                  # cost per release of each analyser
    python -m bench.multilingual candidates               # rjieba/jieba, fugashi/janome, ...
    python -m bench.multilingual english CORPUS OUT.json  # reindex CPU/doc + 200 queries' hits
    python -m bench.multilingual english --no-native CORPUS OLD.json  # the same, as before
    python -m bench.multilingual compare OLD.json NEW.json

``segment`` and ``candidates`` read ``../shared/corpus/intl/multilingual.jsonl`` and the labelled
queries. ``english`` runs with whichever pressearch is on the path; ``--no-native`` turns the
language-aware analysis off in this same code (so other changes do not blur the comparison).
``compare``: every English release must come back for the same queries with the same score.
Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.index_bench import cpu_seconds

SHARED = Path(__file__).resolve().parents[2] / "shared"
RELEASES = SHARED / "corpus" / "intl" / "multilingual.jsonl"
QUERIES = SHARED / "labels" / "multilingual_queries.jsonl"


def _records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _per_release(analyse: Callable[[str], Any], texts: list[str], rounds: int = 5) -> float:
    """CPU milliseconds per text, after a first call (which loads the analyser)."""
    analyse(texts[0])
    start = cpu_seconds()
    for _ in range(rounds):
        for text in texts:
            analyse(text)
    return (cpu_seconds() - start) * 1000 / (rounds * len(texts))


def segment() -> None:
    """The native analysis of each language: load time and CPU per release."""
    from search.index.languages import native_terms

    by_language: dict[str, list[str]] = {}
    for r in _records(RELEASES):
        by_language.setdefault(r["language"], []).append(f"{r['title']}\n{r['body']}")
    for language, texts in sorted(by_language.items()):
        start = cpu_seconds()
        native_terms([texts[0][:20]], language)
        load = (cpu_seconds() - start) * 1000
        ms = _per_release(lambda t, lang=language: native_terms([t], lang), texts)
        size = sum(map(len, texts)) / len(texts)
        print(f"{language}: load {load:7.1f} ms, {ms:6.2f} ms CPU per release ({size:.0f} chars)")


# Content words only, as search.index.languages keeps them (particles, endings, symbols out).
JA_FUNCTION = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})
KO_CONTENT = re.compile(r"(?:NN[GP]|NR|NP|V[VA]|XR|S[LHN])\b")


def _candidates() -> dict[str, dict[str, Callable[[], Callable[[str], list[str]]]]]:
    def rjieba_() -> Callable[[str], list[str]]:
        import rjieba

        return lambda t: list(rjieba.cut(t))

    def jieba_() -> Callable[[str], list[str]]:
        import jieba

        jieba.setLogLevel(60)
        return lambda t: list(jieba.cut(t))

    def fugashi_() -> Callable[[str], list[str]]:
        import fugashi

        tagger = fugashi.Tagger()
        return lambda t: [
            w.feature.orthBase or w.surface
            for w in tagger(t)
            if w.feature.pos1 not in JA_FUNCTION and w.feature.pos2 != "非自立可能"
        ]

    def janome_() -> Callable[[str], list[str]]:
        from janome.tokenizer import Tokenizer

        tk = Tokenizer()
        return lambda t: [
            w.base_form
            for w in tk.tokenize(t)
            if w.part_of_speech.split(",")[0] not in JA_FUNCTION
            and w.part_of_speech.split(",")[1] != "非自立"
        ]

    def kiwi_() -> Callable[[str], list[str]]:
        from kiwipiepy import Kiwi

        kiwi = Kiwi()
        return lambda t: [w.form for w in kiwi.tokenize(t) if KO_CONTENT.match(w.tag)]

    def mecab_ko_() -> Callable[[str], list[str]]:
        import mecab

        m = mecab.MeCab()
        return lambda t: [w for w, tag in m.pos(t) if KO_CONTENT.match(tag)]

    return {
        "zh": {"rjieba": rjieba_, "jieba": jieba_},
        "ja": {"fugashi+unidic-lite": fugashi_, "janome": janome_},
        "ko": {"kiwipiepy": kiwi_, "python-mecab-ko": mecab_ko_},
    }


def _contains(tokens: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(tokens[i : i + n] == part for i in range(len(tokens) - n + 1))


def candidates() -> None:
    """Each installed candidate segmenter: load, CPU per release, and how many labelled
    queries' words it finds in the releases they must find (query's tokens in the text's)."""
    records = {r["id"]: r for r in _records(RELEASES)}
    queries = _records(QUERIES)
    for language, options in _candidates().items():
        texts = [
            f"{r['title']}\n{r['body']}" for r in records.values() if r["language"] == language
        ]
        for name, make in options.items():
            start = cpu_seconds()
            try:
                cut = make()
                cut("。")
            except ImportError:
                print(f"{language} {name}: not installed")
                continue
            load = (cpu_seconds() - start) * 1000
            ms = _per_release(cut, texts)
            mine = [q for q in queries if q["language"] == language]  # words, names, places
            good = 0
            for q in mine:
                part = [w for w in cut(q["query"]) if w.strip()]
                docs = [
                    cut(records[i]["title"] + "\n" + records[i]["body"]) for i in q["must_find"]
                ]
                good += all(_contains(d, part) for d in docs)
            print(f"{language} {name}: load {load:6.0f} ms, {ms:6.2f} ms/release, "
                  f"queries whose words are found: {good}/{len(mine)}")  # fmt: skip


def _without_native() -> None:
    """The analysis before languages: no native terms, no native query forms (patched in this
    process before the reindex forks its workers, so they inherit it)."""
    import search.backends.whoosh.documents as documents
    import search.index.native as native

    documents.is_native = lambda _language: False  # type: ignore[assignment]
    native.alternatives = lambda _text: []  # type: ignore[assignment]


def english(corpus: Path, out: Path, queries: int = 200, native: bool = True) -> None:
    """Reindex ``corpus`` (CPU per document) and save the hits and scores of its queries;
    ``native=False`` does both as before the language-aware analysis, in this same code."""
    from bench.index_bench import draw_queries, load_records
    from search.backends import reindex
    from search.backends.whoosh.backend import WhooshBackend
    from search.index.backend import SearchRequest

    if not native:
        _without_native()
    index = Path(__file__).resolve().parent / "out" / "multilingual-index"
    shutil.rmtree(index, ignore_errors=True)
    start = cpu_seconds()
    summary = reindex(corpus, index, full=True)
    cpu_ms = (cpu_seconds() - start) * 1000 / max(1, summary["documents"])
    backend = WhooshBackend(index)
    results: dict[str, Any] = {}
    for q in draw_queries(load_records(corpus), queries, 1):
        result = backend.search(SearchRequest(q, per_page=100, budget_ms=None, facets=False))
        results[q] = {
            "total": result.total,
            "hits": [[h.id, round(h.score or 0.0, 6)] for h in result.hits],
        }
    languages = {}
    for hit_id in {h for r in results.values() for h, _s in r["hits"]}:
        languages[hit_id] = (backend.document(hit_id) or {}).get("language")
    report = {"documents": summary["documents"], "seconds": summary["seconds"],
              "cpu_ms_per_doc": cpu_ms, "results": results, "languages": languages}  # fmt: skip
    out.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    print(f"{summary['documents']} documents, {summary['documents'] / summary['seconds']:.0f}"
          f" docs/s, {cpu_ms:.2f} ms CPU/doc")  # fmt: skip


def compare(old_path: Path, new_path: Path) -> int:
    """Every English hit the same, with the same score; added hits must be non-English."""
    old, new = (json.loads(p.read_text("utf-8")) for p in (old_path, new_path))
    langs = new["languages"]
    changed = added = 0
    for q, before in old["results"].items():
        after = new["results"][q]
        english_after = [h for h in after["hits"] if langs.get(h[0]) in ("en", None)]
        english_before = [h for h in before["hits"] if langs.get(h[0]) in ("en", None)]
        if english_after != english_before:
            changed += 1
            print(f"changed: {q!r}: {english_before[:3]} -> {english_after[:3]}")
        added += after["total"] - before["total"]
    n = len(old["results"])
    print(f"{n - changed}/{n} queries: English hits and scores identical; "
          f"{added} non-English hits added in all")  # fmt: skip
    print(f"CPU/doc: {old['cpu_ms_per_doc']:.2f} ms -> {new['cpu_ms_per_doc']:.2f} ms")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("segment", "candidates", "english", "compare"))
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--no-native", action="store_true", help="english: as before languages")
    args = parser.parse_intermixed_args()
    if args.command == "segment":
        segment()
    elif args.command == "candidates":
        candidates()
    elif args.command == "english":
        english(args.paths[0], args.paths[1], native=not args.no_native)
    else:
        sys.exit(compare(args.paths[0], args.paths[1]))


if __name__ == "__main__":
    main()
