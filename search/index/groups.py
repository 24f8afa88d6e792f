"""Groups of copies: releases that are the same text published more than once.

The reindex finds the groups and stores them with the index (``groups.json`` in a Whoosh
generation, a ``group`` field in Typesense); searches read them to show each group once. Only
groups of two or more members are listed; a release in none is its own group, whose id is its
doc id.

How copies are found (see docs/duplicates.md):

1. ``sketch`` (in the reindex workers): the cleaned body (never the title: sites add their own
   prefixes and suffixes) is folded (case, accents) and split into words, so quotes, dashes,
   line wrapping and HTML-vs-text differences vanish; its 5-word shingles get a MinHash
   signature (rensa). The sketch also keeps the shingle count, the date and whether the text
   names its own source (a sign of the original issuer).
2. ``find_groups`` (in the reindex parent, over every document's stored sketch): LSH (rensa)
   proposes candidate pairs; a pair matches when one text is almost contained in the other
   (each side's own share of the union is estimated from which side holds the smaller
   minimum of each permutation), so a copy with its last paragraphs cut or a boilerplate
   paragraph added still matches, while releases built from one template differ on both
   sides and stay apart. Texts dated more than a week apart are never copies: a template
   reused weeks later is another release.
3. Groups are stars: the document that matches the most others (the original matches every
   copy, while two copies with their own additions may not match each other) gathers the
   unplaced documents it matches, then the next. Every member matches the group's centre, so
   no chain joins unrelated releases. The representative, listed first, is the earliest dated
   member (then the original issuer's, then the longest text, then by id); the group id comes
   from it. The result depends only on the set of sketches, never on the order files were
   read in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import numpy as np
from rensa import RMinHash, RMinHashLSH

GROUPS_FILE = "groups.json"

NUM_PERM = 192  # MinHash permutations
BANDS = 64  # LSH bands of 3 rows: pairs of Jaccard 0.4 are candidates 98% of the time
SEED = 20261201  # fixed: signatures stored in an index must stay comparable
SHINGLE = 5  # words per shingle
MIN_SHINGLES = 8  # shorter texts (a line or two) are never grouped: too little to tell
# Thresholds chosen on bench/duplicates.py (docs/duplicates.md):
MIN_JACCARD = 0.4  # a short release quoted in a long one is not a copy of it
# The more-contained text of a pair may have at most this many shingles the other lacks (a
# dateline, a line of page furniture), and at most this share of its own: templated siblings
# differ on both sides, in their specifics all through the text.
OWN_SHINGLES = 30
OWN_SHARE = 0.08
# Own shingles on both sides in like numbers are substitutions all through the text (Mexico
# for Canada in two executive orders of one day): siblings. A copy's two-sided edits are a
# dateline or a furniture line on one side and a cut or an added paragraph on the other.
OWN_SMALL = 10
OWN_RATIO = 2.0
# Releases dated more than NEAR_DAYS apart are never copies: a weekly statement or a yearly
# notice reuses its text (at times word for word) as a new release, while copies of one
# appear within days of it.
NEAR_DAYS = 7


@dataclass(frozen=True)
class Sketch:
    """What grouping needs of one document: its MinHash and its representative keys."""

    state: bytes  # the MinHash in rensa's own serialised form (``RMinHash.__getstate__``)
    size: int  # distinct shingles of the body
    date: str = ""  # "YYYY-MM-DD" or "" when undated
    issuer: bool = False  # the body names the document's own source

    def minhash(self) -> RMinHash:
        """The stored MinHash, restored by rensa (which checks its format and version)."""
        minhash = RMinHash(NUM_PERM, SEED)
        minhash.__setstate__(self.state)
        return minhash

    def encode(self) -> list[Any]:
        """The JSON form stored in the reindex manifest."""
        return [self.date, int(self.issuer), self.size, base64.b64encode(self.state).decode()]

    @classmethod
    def decode(cls, value: Sequence[Any]) -> Sketch:
        day, issuer, size, state = value
        return cls(base64.b64decode(state), int(size), str(day or ""), bool(issuer))


def shingles(words: Sequence[str]) -> set[str]:
    """The distinct ``SHINGLE``-word shingles of a folded word list (a short text: itself)."""
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(t) for t in zip(*(words[i:] for i in range(SHINGLE)), strict=False)}


def sketch(
    body_words: Sequence[str],
    date: str | None,
    source: str | None,
    source_words: Sequence[str],
) -> Sketch:
    """The sketch of a document from its body's folded words (``search.index.analysis.words``)."""
    grams = shingles(body_words)
    minhash = RMinHash(NUM_PERM, SEED)
    minhash.update(grams)  # a minimum per permutation: the order of the set cannot matter
    issuer = False
    if source and source_words:
        issuer = f" {' '.join(source_words)} " in f" {' '.join(body_words)} "
    return Sketch(minhash.__getstate__(), len(grams), date or "", issuer)


@dataclass(frozen=True)
class Groups:
    """Group id -> member doc ids, the representative first."""

    members: dict[str, tuple[str, ...]]
    _of: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for gid, ids in self.members.items():
            for doc_id in ids:
                self._of[doc_id] = gid

    def group_of(self, doc_id: str) -> str:
        """The group id of a document: its own id when it is in no group."""
        return self._of.get(doc_id, doc_id)

    def copies(self, doc_id: str) -> tuple[str, ...]:
        """The other members of the document's group, in order."""
        gid = self._of.get(doc_id)
        if gid is None:
            return ()
        return tuple(m for m in self.members[gid] if m != doc_id)

    def grouped(self) -> dict[str, str]:
        """Every member of a group -> its group id."""
        return dict(self._of)

    def to_json(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in sorted(self.members.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Groups:
        return cls({str(k): tuple(str(m) for m in v) for k, v in (data or {}).items()})

    @classmethod
    def empty(cls) -> Groups:
        return cls({})

    @classmethod
    def load(cls, path: Path) -> Groups:
        """The groups stored at ``path``; none when the file is missing."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls.empty()
        return cls.from_json(data)

    def dump(self, path: Path) -> None:
        """Write the groups to ``path`` atomically, keys sorted (deterministic bytes)."""
        path = Path(path)
        text = json.dumps(self.to_json(), sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".groups-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(tmp, 0o644)  # readable like the generation's other files (mkstemp: 0600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def group_id(representative: str) -> str:
    """A group's id: stable while its representative stays, never a doc id's form."""
    return "g-" + hashlib.blake2b(representative.encode("utf-8"), digest_size=8).hexdigest()


def _order_key(doc_id: str, sk: Sketch) -> tuple[Any, ...]:
    """Representative order: earliest date (undated last), issuer's, longest, then id."""
    return (sk.date == "", sk.date, not sk.issuer, -sk.size, doc_id)


def _days(day: str) -> int | None:
    try:
        return Date.fromisoformat(day).toordinal()
    except ValueError:
        return None


class _Matcher:
    """Signatures as a matrix, and the match test between a document and candidates.

    Per permutation, the smaller of two minima belongs to the text that holds that shingle
    alone (or both, when equal): the share of permutations each side wins estimates the share
    of the union only that side has. A copy that is the original with its end cut or a
    paragraph added wins (almost) none on one side; siblings win on both.
    """

    def __init__(self, minhashes: list[RMinHash], sketches: list[Sketch]):
        self.sig = np.array([m.digest() for m in minhashes], dtype=np.uint32)
        self.size = np.array([s.size for s in sketches], dtype=np.float64)
        days = [_days(s.date) for s in sketches]
        self.dated = np.array([d is not None for d in days])
        self.day = np.array([d or 0 for d in days], dtype=np.int64)

    def matches(self, i: int, cands: np.ndarray) -> np.ndarray:
        """Which of ``cands`` (indexes) match document ``i``."""
        mine, theirs = self.sig[i], self.sig[cands]
        jac = (theirs == mine).mean(axis=1)
        i_own = (mine < theirs).mean(axis=1)  # share of the union only i has
        c_own = (theirs < mine).mean(axis=1)
        union = (self.size[i] + self.size[cands]) / (1.0 + jac)
        # The side with fewer shingles of its own: how many, and what share of its size.
        own = np.minimum(i_own, c_own) * union
        other = np.maximum(i_own, c_own) * union
        side = np.where(i_own <= c_own, self.size[i], self.size[cands])
        near = (own <= OWN_SHINGLES) & (own <= OWN_SHARE * side) & (jac >= MIN_JACCARD)
        near &= (own <= OWN_SMALL) | (other >= OWN_RATIO * own)
        gap = np.abs(self.day[cands] - self.day[i])
        far = self.dated[i] & self.dated[cands] & (gap > NEAR_DAYS)
        return near & ~far


def find_groups(sketches: dict[str, Sketch]) -> Groups:
    """Group near-duplicate documents (see the module docstring); deterministic."""
    ids = sorted((i for i, s in sketches.items() if s.size >= MIN_SHINGLES),
                 key=lambda i: _order_key(i, sketches[i]))  # fmt: skip
    if len(ids) < 2:
        return Groups.empty()
    links = _links([sketches[i] for i in ids])
    # Centres first by how many documents they match (the original matches every copy; a copy
    # with its own additions may not match a copy with others), then in representative order.
    placed = [False] * len(ids)
    members: dict[str, tuple[str, ...]] = {}
    for centre in sorted(range(len(ids)), key=lambda i: (-len(links[i]), i)):
        if placed[centre] or not links[centre]:
            continue
        group = sorted([centre, *(j for j in links[centre] if not placed[j])])
        if len(group) < 2:
            continue
        for j in group:
            placed[j] = True
        members[group_id(ids[group[0]])] = tuple(ids[j] for j in group)
    return Groups(members)


def _links(ordered: list[Sketch]) -> list[list[int]]:
    """For each document (by index), the documents it matches."""
    minhashes = [s.minhash() for s in ordered]
    lsh = RMinHashLSH(0.5, NUM_PERM, BANDS)  # the threshold is unused by banded queries
    lsh.insert_pairs(list(enumerate(minhashes)))
    matcher = _Matcher(minhashes, ordered)
    links: list[list[int]] = [[] for _ in ordered]
    for i, cands in enumerate(lsh.query_all(minhashes)):
        later = np.fromiter((c for c in cands if c > i), dtype=np.int64)
        for j in later[matcher.matches(i, later)] if len(later) else ():
            links[i].append(int(j))
            links[int(j)].append(i)
    return links


def stored_sketches(entries: Iterable[dict[str, Any]]) -> dict[str, Sketch]:
    """The sketches of the reindex manifest's file entries, by document id."""
    return {
        doc_id: Sketch.decode(value)
        for entry in entries
        for doc_id, value in entry.get("sketches", {}).items()
    }


def moved(
    groups: Groups, previous: Groups, written: Iterable[str], present: set[str] | dict[str, Any]
) -> dict[str, str]:
    """Documents (of those ``present`` in the index) whose stored group changes: ``doc id ->
    group id``.

    ``written`` are the documents this reindex (re)wrote, stored with their own id as group;
    the others keep the group ``previous`` gave them.
    """
    written = set(written)
    result: dict[str, str] = {}
    candidates = written | set(groups.grouped()) | set(previous.grouped())
    for doc_id in (d for d in candidates if d in present):
        now = groups.group_of(doc_id)
        before = doc_id if doc_id in written else previous.group_of(doc_id)
        if now != before:
            result[doc_id] = now
    return result
