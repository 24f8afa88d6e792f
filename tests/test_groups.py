"""Groups of copies: sketches, matching, representatives, and the reindex that keeps them.

Copies are made from real releases of ``../shared/corpus`` by each transformation of the
benchmark's makers (``bench.duplicates``), and from short texts written here when the shared
corpus is absent; templated siblings (real ones, and written ones) must stay apart.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from bench.duplicates import (
    MAKERS,
    STYLES,
    TRANSFORMS,
    Release,
    html_page,
    record,
    release_of,
    text_file,
)
from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.generations import read_pointer
from search.index.analysis import words
from search.index.groups import (
    GROUPS_FILE,
    Groups,
    Sketch,
    find_groups,
    group_id,
    moved,
    sketch,
)
from search.index.reindex import reindex
from search.ingest.clean import clean_record
from search.ingest.corpus import load_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

BUDGET = """The city council approved a new budget for the coming year on Tuesday, raising \
spending on parks, libraries and road repairs while keeping property taxes flat for the third \
year in a row.

Mayor Jane Smith said the budget reflects what residents asked for during a series of public \
meetings held across all five districts this spring, and thanked the staff for their work.

The plan adds twelve new positions in the parks department and funds the long-delayed repair \
of the Main Street bridge, which engineers rated as poor in their inspection last year.

Council members voted six to one in favour. The lone dissent came from a member who wanted \
deeper cuts to administrative costs before any new hiring.

The budget takes effect on July 1. Copies are available at every branch library."""

# A template one office fills in each week: the same sentences, other specifics.
WEEKLY = """During the week ending {day}, deputies of the county sheriff's office answered \
{calls} calls for service and made {arrests} arrests, most of them for {offence}.

Sheriff {name} thanked residents who reported suspicious activity and reminded drivers that \
patrols will be increased on {road} during the coming weekend.

The office's community meeting this month takes place at {place}. Residents can also reach \
the office through its non-emergency line at any time of the day or night.

The weekly report is published every Monday on the office's website."""
FILLS = [
    dict(day="March 3", calls=412, arrests=19, offence="impaired driving", name="Ruiz",
         road="Highway 9", place="the Oak Grove library"),
    dict(day="March 10", calls=389, arrests=23, offence="theft from vehicles", name="Ruiz",
         road="Route 4", place="the Eastside community centre"),
    dict(day="March 17", calls=455, arrests=14, offence="trespassing", name="Ruiz",
         road="the coastal road", place="city hall"),
]  # fmt: skip


def _sketch(body: str, date: str = "2024-03-05", source: str | None = None) -> Sketch:
    return sketch(words(body), date, source, words(source) if source else [])


def _release(body: str, doc_id: str = "orig", date: str = "2024-03-05") -> Release:
    paras = [p.strip() for p in body.split("\n\n")]
    return Release(id=doc_id, title="Council approves budget", paragraphs=paras, date=date,
                   source="City of Springfield", truth=doc_id)  # fmt: skip


def _copy(orig: Release, name: str, variant: int, seed: int = 1) -> Release:
    copy = Release(**{**orig.__dict__, "paragraphs": list(orig.paragraphs), "id": f"c-{name}"})
    copy.source = STYLES[variant]["portals"][0]
    MAKERS[name](copy, random.Random(seed), STYLES[variant])
    return copy


def _cleaned_body(release: Release, tmp: Path) -> str:
    """The release written in its format and read back by the real cleaner."""
    if release.fmt == "html":
        path, text = tmp / f"{release.id}.html", html_page(release)
    elif release.fmt == "txt":
        path, text = tmp / f"{release.id}.txt", text_file(release)
    else:
        return clean_record(record(release), id=release.id, path="releases.jsonl").body
    path.write_text(text, encoding="utf-8")
    (article,) = load_file(path, tmp)
    return article.body  # type: ignore[union-attr]


@pytest.mark.parametrize("variant", sorted(STYLES))
@pytest.mark.parametrize("name", TRANSFORMS)
def test_each_transformation_of_a_written_release_groups(name: str, variant: int, tmp_path: Path):
    orig = _release(BUDGET)
    copy = _copy(orig, name, variant)
    sketches = {
        "orig": _sketch(BUDGET, source="City of Springfield"),
        copy.id: _sketch(_cleaned_body(copy, tmp_path), source=copy.source),
    }
    (members,) = find_groups(sketches).members.values()  # same date: either may lead
    assert sorted(members) == sorted(sketches)


def test_weekly_template_siblings_stay_apart_but_each_groups_with_its_copy():
    sketches = {f"week-{i}": _sketch(WEEKLY.format(**f), f"2024-03-{4 + 7 * i:02d}")
                for i, f in enumerate(FILLS)}  # fmt: skip
    assert find_groups(sketches).members == {}
    cut = WEEKLY.format(**FILLS[1]).rsplit("\n\n", 1)[0]
    sketches["week-1-copy"] = _sketch(cut, "2024-03-11")
    assert find_groups(sketches).members == {group_id("week-1"): ("week-1", "week-1-copy")}


def test_a_line_or_two_is_never_grouped():
    short = "The office is closed on Monday for the holiday."
    assert find_groups({"a": _sketch(short), "b": _sketch(short)}).members == {}


def test_representative_is_earliest_then_the_issuers_then_the_longest():
    longer = BUDGET + "\n\nMedia contact: the city clerk's office, weekdays from nine to five."
    sketches = {
        "z-later": _sketch(BUDGET, "2024-03-06"),
        "m-portal": _sketch(BUDGET, "2024-03-05", "Springfield Wire"),
        "y-issuer": _sketch(
            BUDGET.replace("Mayor", "City of Springfield Mayor"),
            "2024-03-05",
            "City of Springfield",
        ),
        "b-undated": _sketch(longer, ""),
    }
    (members,) = find_groups(sketches).members.values()
    assert members == ("y-issuer", "m-portal", "z-later", "b-undated")
    del sketches["y-issuer"]
    sketches["a-longer"] = _sketch(longer, "2024-03-05", "Springfield Wire")
    (members,) = find_groups(sketches).members.values()
    assert members[:2] == ("a-longer", "m-portal")


def test_groups_do_not_depend_on_the_order_sketches_come_in():
    texts = {f"w{i}": WEEKLY.format(**f) for i, f in enumerate(FILLS)}
    sketches = {}
    for key, text in texts.items():
        sketches[key] = _sketch(text)
        sketches[key + "-copy"] = _sketch(text.rsplit("\n\n", 1)[0], "2024-03-06")
    expected = find_groups(sketches)
    assert len(expected.members) == 3
    keys = list(sketches)
    for seed in range(5):
        random.Random(seed).shuffle(keys)
        assert find_groups({k: sketches[k] for k in keys}) == expected


def test_sketch_survives_its_manifest_form():
    sk = _sketch(BUDGET, source="City of Springfield")
    back = Sketch.decode(json.loads(json.dumps(sk.encode())))
    assert back == sk and back.minhash().digest() == sk.minhash().digest()


def test_groups_file_round_trip_and_missing_file(tmp_path: Path):
    groups = Groups({"g-2": ("b", "c"), "g-1": ("a", "d", "e")})
    groups.dump(tmp_path / GROUPS_FILE)
    assert Groups.load(tmp_path / GROUPS_FILE) == groups
    assert list(json.loads((tmp_path / GROUPS_FILE).read_text())) == ["g-1", "g-2"]
    assert groups.group_of("d") == "g-1" and groups.group_of("x") == "x"
    assert groups.copies("a") == ("d", "e") and groups.copies("x") == ()
    assert Groups.load(tmp_path / "none.json") == Groups.empty()


def test_moved_lists_what_a_backend_must_change():
    before = Groups({"g-a": ("a", "b", "c")})
    after = Groups({"g-a": ("a", "b"), "g-d": ("d", "e")})
    # c left its group; d and e were written again (as their own group) and form one now.
    present = {"a", "b", "c", "d", "e", "f"}
    assert moved(after, before, ["d", "e", "f"], present) == {"c": "c", "d": "g-d", "e": "g-d"}
    # A document gone from the index has no group to change.
    assert moved(after, before, ["d", "e", "f"], present - {"c"}) == {"d": "g-d", "e": "g-d"}


# --- real releases ----------------------------------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent")


def _records(name: str, ids: list[str]) -> dict[str, dict]:
    found = {}
    with open(SHARED / name, encoding="utf-8") as fh:
        for line in fh:
            if any(i in line[:80] for i in ids):
                record = json.loads(line)
                found[record["id"]] = record
    return found


REAL = ["wh-63e40485b0930f7d", "da-orange_ca-1ee6542cacdaddba", "wh-c73e7c1a713f25e4"]


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("variant", sorted(STYLES))
def test_copies_of_real_releases_by_each_transformation_group(variant: int, tmp_path: Path):
    records = _records("whitehouse_briefing_room.jsonl", REAL) | _records(
        "us_county_prosecutors.jsonl", REAL
    )
    assert len(records) == len(REAL)
    sketches: dict[str, Sketch] = {}
    for rid, rec in records.items():
        orig = release_of(rec)
        sketches[rid] = _sketch(_cleaned_body(orig, tmp_path), rec["date"], rec["agency"])
        for name in TRANSFORMS:
            copy = _copy(orig, name, variant)
            copy.id = f"{rid}-{name}"
            sketches[copy.id] = _sketch(_cleaned_body(copy, tmp_path), rec["date"], copy.source)
    groups = find_groups(sketches)
    for rid in records:  # the copies are dated alike: the representative may be any of them
        members = groups.members[groups.group_of(rid)]
        assert sorted(members) == sorted([rid, *(f"{rid}-{n}" for n in TRANSFORMS)])


# Real releases built from one template: the Inflation Reduction Act fact sheets for two
# communities (same day, 1,500 words, a few words apart), custodial death reports of one
# office, a memorandum repeated every half year, a conviction and the sentencing in one case,
# two executive orders of one day on two borders (Canada's, Mexico's), a few words apart.
SIBLINGS = {
    "whitehouse_briefing_room.jsonl": [
        "wh-468ebc9bb78dd4ad", "wh-ca17bfa60d029589", "wh-110dbe9ab2f806e0",
        "wh-2e825eb1d296d53d", "wh-12f0ebf4b72083a8", "wh-29254d3726decd3c",
        "wh-a097329ddd9d8829", "wh-064f76197904bdad",
    ],
    "us_county_prosecutors.jsonl": [
        "da-orange_ca-db0ace813d84bc2b", "da-orange_ca-1620b8d3927f8879",
        "da-orange_ca-b45ebc4a487a24a2", "da-orange_ca-409b006cb0fa234e",
        "da-orange_ca-1ee6542cacdaddba", "da-orange_ca-4fe35440ea94317d",
    ],
}  # fmt: skip


@needs_shared
@pytest.mark.shared
def test_real_templated_siblings_stay_apart():
    sketches = {}
    for name, ids in SIBLINGS.items():
        for rid, rec in _records(name, ids).items():
            sketches[rid] = _sketch(rec["body"], rec["date"], rec["agency"])
    assert len(sketches) == 14
    assert find_groups(sketches).members == {}


# --- the reindex keeps the groups ---------------------------------------------------------------


def _write(corpus: Path, name: str, text: str) -> None:
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _groups(index: Path) -> Groups:
    return Groups.load(index / str(read_pointer(index)) / GROUPS_FILE)


def _reindex(corpus: Path, index: Path, full: bool = False) -> Groups:
    summary = reindex(corpus, index, WhooshBackend(index), full=full, jobs=1)
    assert not summary["rejected"]
    groups = _groups(index)
    assert WhooshBackend(index).manifest()["groups"] == groups.to_json()
    return groups


def _record(doc_id: str, body: str, date: str, source: str = "City of Springfield") -> str:
    record = {"id": doc_id, "title": "Release", "date": date, "body": body, "publisher": source}
    return json.dumps(record) + "\n"


def test_incremental_reindex_moves_splits_and_dissolves_groups(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    weekly = [WEEKLY.format(**f) for f in FILLS]
    _write(corpus, "office.jsonl", _record("budget", BUDGET, "2024-03-05")
           + _record("week-0", weekly[0], "2024-03-04")
           + _record("week-1", weekly[1], "2024-03-11"))  # fmt: skip
    orig = _release(BUDGET, "budget")
    _write(corpus, "wire/budget.html", html_page(_copy(orig, "furniture", 1)))
    _write(corpus, "wire/week.txt", "Weekly report\nMarch 4, 2024\n\n" + weekly[0] + "\n")
    first = _reindex(corpus, index)
    assert first.members == {
        group_id("budget"): ("budget", "wire/budget.html"),
        group_id("week-0"): ("week-0", "wire/week.txt"),
    }
    # The text file now carries the next week's report: it moves to the other group.
    _write(corpus, "wire/week.txt", "Weekly report\nMarch 11, 2024\n\n" + weekly[1] + "\n")
    second = _reindex(corpus, index)
    assert second.members == {
        group_id("budget"): ("budget", "wire/budget.html"),
        group_id("week-1"): ("week-1", "wire/week.txt"),
    }
    # The copy goes: its group of two dissolves.
    (corpus / "wire/budget.html").unlink()
    third = _reindex(corpus, index)
    assert third.members == {group_id("week-1"): ("week-1", "wire/week.txt")}
    # An incremental history gives what a full reindex of the same corpus gives.
    assert _reindex(corpus, tmp_path / "fresh", full=True) == third


def test_same_corpus_in_another_order_same_groups(tmp_path: Path):
    weekly = [WEEKLY.format(**f) for f in FILLS]
    files = {
        "a.jsonl": _record("week-2", weekly[2], "2024-03-18"),
        "b.txt": "Report\nMarch 18, 2024\n\n" + weekly[2].rsplit("\n\n", 1)[0] + "\n",
        "c.jsonl": _record("budget", BUDGET, "2024-03-05"),
        "d.txt": "Budget\nMarch 6, 2024\n\n" + BUDGET + "\n\nAbout us: a wire service.\n",
    }
    results = []
    for order in (list(files), list(reversed(files))):
        corpus, index = tmp_path / "corpus", tmp_path / "index"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)
        for name in order:  # one reindex after each file: another history, same corpus
            _write(corpus, name, files[name])
            _reindex(corpus, index)
        results.append(_groups(index))
    assert results[0] == results[1]
    assert results[0].members == {
        group_id("budget"): ("budget", "d.txt"),
        group_id("week-2"): ("week-2", "b.txt"),
    }


@pytest.mark.typesense
def test_typesense_group_field_follows_the_groups(typesense_env: object, tmp_path: Path):
    from search.backends import open_backend
    from search.backends import reindex as reindex_configured
    from search.backends.typesense.backend import TypesenseBackend
    from search.backends.typesense.documents import key

    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    weekly = [WEEKLY.format(**f) for f in FILLS]
    _write(corpus, "office.jsonl", _record("week-0", weekly[0], "2024-03-04")
           + _record("week-1", weekly[1], "2024-03-11"))  # fmt: skip
    _write(corpus, "wire/week.txt", "Weekly report\nMarch 4, 2024\n\n" + weekly[0] + "\n")

    def fields() -> dict[str, str]:
        backend = open_backend(index)
        assert isinstance(backend, TypesenseBackend)
        docs = backend.writer.collections[backend.alias].documents
        try:
            return {
                i: docs[key(i)].retrieve()["group"] for i in ("week-0", "week-1", "wire/week.txt")
            }
        finally:
            backend.close()

    reindex_configured(corpus, index, jobs=1)
    g0, g1 = group_id("week-0"), group_id("week-1")
    assert fields() == {"week-0": g0, "week-1": "week-1", "wire/week.txt": g0}
    # An unchanged release leaves a group and another joins one: both fields change.
    _write(corpus, "wire/week.txt", "Weekly report\nMarch 11, 2024\n\n" + weekly[1] + "\n")
    summary = reindex_configured(corpus, index, jobs=1)
    assert summary["full"] is False
    assert fields() == {"week-0": "week-0", "week-1": g1, "wire/week.txt": g1}
