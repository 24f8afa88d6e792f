"""Generate a reproducible corpus of synthetic press releases (JSON Lines), by seed.

    python -m bench.generate --out bench/data/gen100k --count 100000 --seed 1

Each release has a headline, a date (2005-2026), an issuing office, a dateline naming a real
place, officials with titles, and ~400 words drawn from a Zipf-distributed English-like
vocabulary, so that cleaning, entity extraction, stemming and facets all have work to do.
Files hold ``--per-file`` records each (default 1,000). Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PLACES = [
    ("SEOUL", "Seoul"),
    ("MUAN", "South Jeolla Province"),
    ("MOKPO", "South Jeolla Province"),
    ("BUSAN", "Busan"),
    ("SHANGHAI", "Shanghai"),
    ("BEIJING", "Beijing"),
    ("TOKYO", "Tokyo"),
    ("SACRAMENTO, Calif.", "California"),
    ("AUSTIN, Texas", "Texas"),
    ("ALBANY, N.Y.", "New York"),
    ("SANTA ANA, Calif.", "Orange County"),
    ("CHICAGO", "Illinois"),
    ("MIAMI", "Florida"),
    ("BRUSSELS", "Belgium"),
    ("BERLIN", "Germany"),
    ("PARIS", "France"),
    ("MADRID", "Spain"),
    ("TORONTO", "Ontario"),
    ("SYDNEY", "New South Wales"),
    ("MUMBAI", "Maharashtra"),
    ("HONG KONG", "Hong Kong"),
    ("LONDON", "England"),
    ("DUBLIN", "Ireland"),
    ("SAN DIEGO, Calif.", "San Diego County"),
    ("DALLAS", "Dallas County"),
]
TITLES = [
    "Governor",
    "Mayor",
    "Minister",
    "Secretary",
    "District Attorney",
    "Senator",
    "Commissioner",
    "Director",
    "President",
    "Chairman",
]
FIRST = [
    "James",
    "Maria",
    "Kim",
    "Lee",
    "Chen",
    "Anna",
    "David",
    "Sofia",
    "Park",
    "John",
    "Laura",
    "Ahmed",
    "Yuki",
    "Carlos",
    "Elena",
    "Michael",
    "Grace",
    "Omar",
    "Hana",
    "Peter",
]
LAST = [
    "Smith",
    "Garcia",
    "Young-rok",
    "Wang",
    "Müller",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Johnson",
    "Brown",
    "Tanaka",
    "Silva",
    "Dubois",
    "Hansen",
    "Novak",
    "Okafor",
    "Patel",
    "Schmidt",
    "Moreau",
    "Jensen",
]
AGENCIES = [
    "Office of the Governor",
    "City Hall",
    "Ministry of Economy",
    "Department of Health",
    "District Attorney's Office",
    "Port Authority",
    "Department of Transportation",
    "Environmental Protection Agency",
    "Ministry of Agriculture",
    "Board of Education",
]
COMMON = (
    "the of and to in a for on that with is by as at from be will this are it was has have "
    "said its an which their more or new not year also been but all after about other than "
    "over into would can program support public state government project community local "
    "city county region national plan funding million development economic health services "
    "residents announced today office department agency investment infrastructure energy "
    "water safety education schools students workers jobs business small families children "
    "housing transportation climate clean environment emergency response court charges case "
    "police investigation sentenced prison trade export agreement partnership international "
    "meeting committee council policy law bill legislation budget tax billion percent growth "
    "market industry technology research innovation digital data security cyber network "
    "hospital care medical vaccine public-health disease prevention food farmers agriculture "
    "rice harvest wind solar offshore power grid port container shipping terminal expansion"
).split()
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ven",
    "tor",
    "mi",
    "sal",
    "den",
    "ur",
    "po",
    "lin",
    "ste",
    "ar",
    "gon",
    "mer",
    "tri",
    "qua",
    "zel",
    "fo",
    "nu",
    "bra",
    "cel",
    "dor",
    "ex",
]


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Common press words first, then pronounceable rare words (a long Zipf tail)."""
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.3:
            word += rng.choice(["ing", "ed", "s", "ation", "ment", "ly"])
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def releases(count: int, seed: int, words_per_release: int = 400):
    """Yield ``count`` release records, deterministic for a seed."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(TITLES)) for _ in range(400)]
    for n in range(count):
        dateline, region = rng.choice(PLACES)
        official, title = rng.choice(people)
        agency = rng.choice(AGENCIES)
        year = rng.randint(2005, 2026)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body_words = rng.choices(vocab, weights, k=words_per_release)
        sentences, i = [], 0
        while i < len(body_words):
            k = rng.randint(8, 22)
            chunk = body_words[i : i + k]
            sentences.append(" ".join(chunk).capitalize() + ".")
            i += k
        paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
        lead = (
            f"{dateline} - {title} {official} announced a new {rng.choice(COMMON[40:])} "
            f"{rng.choice(COMMON[40:])} for {region} on {rng.choice(DAYS)}."
        )
        paragraphs.insert(0, lead)
        if rng.random() < 0.3:
            other, other_title = rng.choice(people)
            paragraphs.append(f'"This matters," said {other_title} {other}.')
        headline_words = rng.choices(vocab[40:2000], k=rng.randint(3, 7))
        yield {
            "id": f"gen-{seed}-{n:07d}",
            "title": f"{region}: " + " ".join(headline_words).capitalize(),
            "date": date,
            "body": "\n\n".join(paragraphs),
            "url": f"https://example.org/releases/{seed}/{n}",
            "agency": f"{agency}, {region}",
            "region": region,
            "language": "en",
        }


def write_corpus(out: Path, count: int, seed: int, per_file: int = 1000) -> list[Path]:
    """Write the releases as ``releases-00000.jsonl``... files under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths, batch, index = [], [], 0

    def flush() -> None:
        nonlocal batch, index
        path = out / f"releases-{index:05d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), "utf-8")
        paths.append(path)
        batch, index = [], index + 1

    for record in releases(count, seed):
        batch.append(record)
        if len(batch) == per_file:
            flush()
    if batch:
        flush()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=1000)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.count, args.seed, args.per_file)
    print(f"wrote {args.count} releases in {len(paths)} files to {args.out}")


if __name__ == "__main__":
    main()
