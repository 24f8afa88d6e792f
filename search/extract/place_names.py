"""Places named in running text: gazetteer names looked up over runs of capitalised words.

The longest name that starts at a word wins ("New York City" before "New York"); the words
around it decide whether it is a place ("Orange County District Attorney") or part of a
company, street, school or person ("US Foods", "Pennsylvania Avenue", "Victoria Anderson").
Each place name becomes a ``Hit``; ``search.extract.place_choice`` decides which place it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search.extract.lexicon import (
    DIRECTIONAL,
    FUNCTION_WORDS,
    GOV_FOLLOW,
    MONTHS,
    ORG_OF,
    ORG_SUFFIX,
    title_words,
)
from search.extract.place_hits import Hit, RegionState
from search.extract.regions import Gazetteer, Place, ascii_fold, gazetteer
from search.extract.scan import POSSESSIVE, UPPER, has_word, title_case_line

# A run of capitalised words, with the small words names contain ("Isle of Wight")
_CAP_RUN = re.compile(
    rf"[{UPPER}][\w'’.&-]*(?:(?: |\u00a0| (?:of|and|de|del|la|el|the|y|du|des|do|da|"
    rf"upon|on|in) | d['’])[{UPPER}][\w'’.&-]*)*"  # " d'": "Côte d'Ivoire", "Val d'Oise"
)

# what may come before a run that starts a sentence
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”()\[\]•|–—-]\s*|\n\s*)$")

# a word ending in "." that does not end the sentence
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|St\.|Mt\.|Ft\.|Jr\.|Sr\.|Dr\.|Mr\.|Ms\.|Mrs\.")

# "Dubai-based", "Texas-born": the place before the hyphen
_HYPHEN_SUFFIX = re.compile(r"-(?:based|born|bred|headquartered|area|bound|made|style|led)$")

# the words before a name used as a place ("in Wuhan", "visited Seoul")
_LOCATIVE = re.compile(
    r"\b(?:in|at|from|to|near|of|across|throughout|outside|inside|around|visit|visiting|"
    r"visited|visits|towards?|into|via|between|and)[ \t]+(?:the[ \t]+)?$"
    r"|\b\d{1,3}[ \t]*,[ \t]*$",  # "Cara Cruz-Thompson, 47, Victorville"
    re.IGNORECASE,  # "In Busan, the Ambassador met ..."
)


# the same in the languages whose names are read ("à Yokohama", "en Lima", "nach Seoul")
_FOREIGN_LOCATIVE = {
    "fr": re.compile(r"\b(?:à|au|aux|de|d'|en|dans|vers|depuis|entre|et)[ \t]*$"),
    "es": re.compile(r"\b(?:en|a|al|de|del|desde|hacia|entre|y|e)[ \t]+(?:la[ \t]+)?$"),
    "de": re.compile(r"\b(?:in|im|nach|aus|von|vom|bei|zwischen|und)[ \t]+$"),
}


def _runs(text: str, firsts: dict[str, int]) -> Iterable[list[tuple[str, int]]]:
    """Runs of capitalised words as (token, offset) lists, split at the end of a sentence.

    A one-word run that starts no gazetteer name is skipped at once (most runs are "The").
    """
    for run in _CAP_RUN.finditer(text):
        raw = run.group()
        if " " not in raw and "\u00a0" not in raw:
            bare = POSSESSIVE.sub("", raw.rstrip(".,:;"))
            if (
                raw in firsts
                or "-" in raw
                or bare in firsts
                or (not bare.isascii() and _folded_first(bare, firsts))
            ):
                yield [(raw, run.start())]
            continue
        parts = raw.replace("\u00a0", " ").split(" ")
        if not any(t in firsts or t[-1] in ".,:;'’s-" or "-" in t for t in parts):
            continue
        tokens: list[tuple[str, int]] = []
        pos = run.start()
        for t in parts:
            tokens.append((t, pos))
            pos += len(t) + 1
            if t.endswith(".") and not _ABBREVIATION.fullmatch(t):
                yield tokens
                tokens = []
        if tokens:
            yield tokens


def _folded_first(word: str, firsts: dict[str, int]) -> int:
    """How many words the longest name starting with ``word`` without its accents has."""
    return 0 if word.isascii() else firsts.get(ascii_fold(word), 0)


def _lookup(
    g: Gazetteer,
    tokens: list[str],
    extra: dict[str, list[str]] | None = None,
    genitive_s: bool = False,
) -> tuple[str, list[Place] | None] | None:
    """The gazetteer entry for a token sequence, trying the forms text gives it; ``extra``
    holds the names in the release's own language ("Alemania")."""
    surface = " ".join(tokens)
    forms = [surface]
    bare = POSSESSIVE.sub("", surface.rstrip(".,:;"))
    if bare != surface:
        forms.append(bare)
    if surface.endswith(".") and surface.rstrip(".") not in forms:
        forms.append(surface.rstrip("."))
    if len(tokens) == 2:
        forms.append(bare.replace(" ", "-"))  # "Port Vila" for "Port-Vila"
    if len(tokens) == 1 and "-" in bare:
        forms.append(bare.replace("-", " "))  # "Tel-Aviv"
        forms.append(_HYPHEN_SUFFIX.sub("", bare))  # "Dubai-based"
    for form in forms:
        if form in g.blocked:
            return form, None
        if form in g.names:
            return form, g.candidates(form)
    if not surface.isascii():
        # "València" for "Valencia", "Zürich" for "Zurich": accents of a city's name differ
        # between languages (a country's do not: "América" is the Americas, not "America")
        folded = ascii_fold(bare)
        cities = [p for p in g.candidates(folded) if p.kind == "city"] if folded != bare else []
        if cities and folded not in g.blocked:
            return folded, cities
    return _lookup_foreign(g, forms, bare, extra, genitive_s) if extra is not None else None


def _lookup_foreign(
    g: Gazetteer, forms: list[str], bare: str, extra: dict[str, list[str]], genitive_s: bool
) -> tuple[str, list[Place] | None] | None:
    """The entry among the names of the release's language, or a German genitive's."""
    for form in forms:
        if form in extra:
            return form, [g.places[k] for k in extra[form] if k in g.places]
    # "Deutschlands", "Berlins": a German genitive
    genitive = bare[:-1] if genitive_s and bare.endswith("s") and len(bare) > 4 else ""
    keys = extra.get(genitive) or g.names.get(genitive)
    if keys:
        return genitive, [g.places[k] for k in keys if k in g.places]
    return None


@lru_cache(maxsize=8)
def _first_words(language: str | None = None) -> dict[str, int]:
    """First word of every gazetteer name -> the most words a name starting with it has (with
    the names of ``language`` too, and a German genitive "-s")."""
    g = gazetteer()
    if language is not None:
        out = dict(_first_words(None))
        for surface in g.foreign.get(language, {}):
            words = surface.split(" ")
            for first in (words[0], words[0] + "s"):
                out[first] = max(out.get(first, 0), len(words))
        for surface in g.names if language == "de" else ():
            words = surface.split(" ")
            if len(words) == 1:
                out.setdefault(surface + "s", 1)
        return out
    out = {}
    for surface in (*g.names, *g.blocked):
        words = surface.split(" ")
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


def scan_names(
    text: str,
    g: Gazetteer,
    state: RegionState,
    persons: set[str],
    skip: list[tuple[int, int]],
    language: str | None = None,
) -> None:
    """Gazetteer look-up over runs of capitalised words, longest name first; ``persons`` are
    name words of people, ``skip`` the spans the pattern passes have read; ``language`` a
    release's language whose own names ("Alemania") are read too."""
    extra = g.foreign.get(language) if language else None
    firsts = _first_words(language)
    scan = _NamesPass(text, g, state, persons, skip, firsts, extra, language == "de", language)
    for run in _runs(text, scan.firsts):
        _scan_run(scan, run)


@dataclass(frozen=True)
class _NamesPass:
    """What the names pass over one text reads and where it writes."""

    text: str
    g: Gazetteer
    state: RegionState
    persons: set[str]
    skip: list[tuple[int, int]]
    firsts: dict[str, int]
    extra: dict[str, list[str]] | None = None
    genitive_s: bool = False  # German: "Deutschlands"; and every noun is capitalised
    language: str | None = None


def _scan_run(scan: _NamesPass, run: list[tuple[str, int]]) -> None:
    """The place names of one run of capitalised words, left to right, longest first."""
    tokens = [t for t, _ in run]
    heading: bool | None = None  # whether the run is in a Title Case Heading, read when needed
    i = 0
    while i < len(tokens):
        n, found = _name_at(scan, tokens, i)
        if found is None:
            if "-" in tokens[i] and tokens[i][:1].isupper():
                _scan_compound(scan.g, scan.state, tokens[i], run[i][1])
            i += 1
            continue
        form, cands = found
        if cands and _may_be_place(scan, form, run[i][1]):
            if heading is None:
                heading = title_case_line(scan.text, run[0][1])
            _add_if_place(scan, run, i, n, form, cands, heading)
        i += n


def _name_at(
    scan: _NamesPass, tokens: list[str], i: int
) -> tuple[int, tuple[str, list[Place] | None] | None]:
    """The longest gazetteer name (or blocked phrase) that starts at token ``i``, with its
    number of tokens; ``(0, None)`` when none does."""
    tok = tokens[i]
    if not tok[:1].isupper():
        return 0, None
    longest = scan.firsts.get(tok, 0)
    if not longest and not tok.isascii():  # (a call per capitalised word costs 1% of extraction)
        longest = _folded_first(tok.rstrip(".,:;"), scan.firsts)
    if tok[-1] in ".,:;'’s":  # "Texas's", "Dallas."
        longest = max(longest, scan.firsts.get(POSSESSIVE.sub("", tok.rstrip(".,:;")), 0))
    if "-" in tok:
        longest = max(longest, 1)
    for n in range(min(longest, len(tokens) - i), 0, -1):
        last = tokens[i + n - 1]
        if last[:1].isupper() or last[:2] in ("d'", "d’"):  # "Côte d'Ivoire"
            found = _lookup(scan.g, tokens[i : i + n], scan.extra, scan.genitive_s)
            if found:
                return n, found
    return 0, None


def _may_be_place(scan: _NamesPass, form: str, start: int) -> bool:
    """Whether a name found at ``start`` may be a place at all, whatever its context: not a
    common word, a month, a span a pattern read, or a code in an ALL-CAPS heading."""
    return (
        form not in scan.g.weak
        and form not in MONTHS
        and not any(a <= start < b for a, b in scan.skip)
        and not (form.isupper() and _shouting(scan.text, start))
    )


def _add_if_place(
    scan: _NamesPass,
    run: list[tuple[str, int]],
    i: int,
    n: int,
    form: str,
    cands: list[Place],
    heading: bool,
) -> None:
    """Add the name of tokens ``i`` to ``i + n`` of ``run`` as a hit when the words around it
    leave it a place; note it when they make it part of an organisation's name."""
    text, state = scan.text, scan.state
    start = run[i][1]
    prev, prev2, nxt = _neighbours(run, i, n)
    if form == "Washington" and _means_capital(text, start, nxt):
        cands = [scan.g.places["US-DC"]]
    initial = i == 1 and _SENTENCE_END.search(text[max(0, run[0][1] - 3) : run[0][1]])
    # in German every noun is capitalised ("die Geschichte Deutschlands"), as in a heading
    nouns = heading or scan.genitive_s
    keep = _context_ok(form, cands, prev, prev2, nxt, nouns, bool(initial), scan.persons)
    if not keep and _agency_of(cands, run[i + n :]):
        keep = True  # "The Korea Disease Control and Prevention Agency": its country counts
    if keep and _not_a_place_here(text, run, i, form, prev):
        keep = False
    if not keep and nxt and nxt.rstrip(".,;:'’s") in ORG_SUFFIX:
        state.org_words.add(form)  # "Benton Institute": later "Benton has ..."
    if keep and " " not in form and all(p.kind == "city" for p in cands):
        # a town named like a word the text also uses in lower case ("reading")
        keep = not has_word(text, form.lower())
    if not keep:
        return
    if not heading:
        state.outside.add(form)
    locative = (
        _LOCATIVE.search(text, max(0, start - 16), start) is not None
        or (
            scan.language in _FOREIGN_LOCATIVE
            and _FOREIGN_LOCATIVE[scan.language].search(text, max(0, start - 16), start) is not None
        )
        # a name of the release's own language ("München" in German) is used as the place's
        or bool(scan.extra and form in scan.extra)
    )
    # "Tokyo, Jakarta, Delhi", "the Presidential Office, Jakarta, Wednesday": between commas
    end = start + len(form)
    listed = text[max(0, start - 2) : start].startswith(",") and text[end : end + 1] == ","
    single = " " not in form
    state.hits.append(Hit(start, form, cands, single=single, heading=heading, locative=locative))
    state.hits[-1].listed = listed


# the words that end a government body's name ("... Prevention Agency")
_AGENCY_WORDS = frozenset(
    "Agency Ministry Department Commission Authority Administration Bureau Office Service "
    "Council Inspectorate Directorate".split()
)
# a lake, a mountain, a sea named after a place is not the place ("Lake Michigan")
_FEATURE_BEFORE = frozenset("Lake Lakes Mount Mt. Gulf Bay River Sea Strait".split())
_FEATURE_OF = frozenset("Gulf Bay Sea Strait Straits Lake Lakes Isthmus Cape".split())
# a currency named after its country ("US dollars", "Hong Kong dollars")
_CURRENCY_AFTER = re.compile(
    r"[ \t]+(?:dollars?|yuan|renminbi|won|yen|euros?|pesos?|rupees?|ringgit|baht|pounds)\b"
)


def _agency_of(cands: list[Place], rest: list[tuple[str, int]]) -> bool:
    """Whether the capitalised words after a country's or state's name end in a government
    body's word ("Korea Disease Control and Prevention Agency") before any company word."""
    if not any(p.kind in ("country", "state", "province") for p in cands):
        return False
    if rest and rest[0][0] == "Affairs":
        return False  # "Mainland Affairs Council", "Taiwan Affairs Office": a body about it
    for token, _ in rest[:8]:
        word = token.rstrip(".,;:'’s")
        if word in ORG_SUFFIX:
            return False
        if word in _AGENCY_WORDS:
            return True
    return False


def _not_a_place_here(
    text: str, run: list[tuple[str, int]], i: int, form: str, prev: str | None
) -> bool:
    """A place's name used for something else: an institution's ("Universidad Nacional de San
    Juan"), a lake's ("Lake Michigan", "Gulf of Mexico"), a currency's ("US dollars")."""
    if prev in ("of", "de", "del") and any(
        t in ORG_OF or t in _FEATURE_OF for t, _ in run[: i - 1]
    ):
        return True
    if prev in _FEATURE_BEFORE:
        return True
    return _CURRENCY_AFTER.match(text, run[i][1] + len(form)) is not None


def _neighbours(
    run: list[tuple[str, int]], i: int, n: int
) -> tuple[str | None, str | None, str | None]:
    """The two words before a name of tokens ``i`` to ``i + n`` and the word after it (none
    after a possessive: "Texas's Attorney General")."""
    possessive = POSSESSIVE.search(run[i + n - 1][0].rstrip(".,")) is not None
    prev = run[i - 1][0] if i > 0 else None
    prev2 = run[i - 2][0] if i > 1 else None
    nxt = None if possessive or i + n >= len(run) else run[i + n][0]
    return prev, prev2, nxt


def _shouting(text: str, start: int) -> bool:
    """An ALL-CAPS heading around ``start``, where "US" or "AS" is any word, not a code."""
    window = text[max(0, start - 30) : start + 30]
    return not any(c.islower() for c in window)


def _means_capital(text: str, start: int, nxt: str | None) -> bool:
    """ "Washington" alone is the capital (and the federal government it stands for), not the
    state: the state is "Washington State", "the state of Washington" or "X, Washington"."""
    if nxt is not None and nxt.lower().startswith("state"):
        return False
    return not re.search(r"(?i)state\s+of\s+$", text[max(0, start - 12) : start])


def _scan_compound(g: Gazetteer, state: RegionState, token: str, start: int) -> None:
    """Places joined by hyphens: "U.S.-Singapore", "China-Japan" (countries and states only)."""
    parts = POSSESSIVE.sub("", token.rstrip(".,")).split("-")
    if len(parts) < 2:
        return
    offset = start
    for i, part in enumerate(parts):
        places = [p for p in g.candidates(part) if p.kind in ("country", "state", "province")]
        # "Al-Sabah", "El-Sisi": a family name after the Arabic article, not a place
        if places and part not in g.weak and (i == 0 or parts[i - 1] not in _ARTICLES):
            state.hits.append(Hit(offset, part, places, single=True))
        offset += len(part) + 1


_ARTICLES = frozenset({"Al", "al", "El", "el"})


def _context_ok(
    form: str,
    cands: list[Place],
    prev: str | None,
    prev2: str | None,
    nxt: str | None,
    heading: bool,
    prev_initial: bool,
    persons: set[str],
) -> bool:
    """Whether the words around a place name leave it a place (not a company, street, person)."""
    if form in persons and any(p.kind != "country" for p in cands):
        return False
    if "&" in (prev, nxt):
        return False  # "Bailey & Burke": a firm's name
    if nxt is not None and not _next_word_ok(nxt, cands, heading):
        return False
    return prev is None or _previous_word_ok(prev, prev2, heading, prev_initial)


def _next_word_ok(nxt: str, cands: list[Place], heading: bool) -> bool:
    """Whether the word after a place name leaves it a place: no company or facility word
    ("US Foods", "Pennsylvania Avenue"), no other capitalised word outside a heading but the
    place's own government ("Orange County District Attorney")."""
    word = nxt.rstrip(".,;:'’s")
    if nxt in ORG_SUFFIX or word in ORG_SUFFIX:
        # "Harris County Institute of Forensic Sciences" is the county's own institute
        return word == "Institute" and all(p.kind == "county" for p in cands)
    return not (
        not heading and nxt[:1].isupper() and word not in GOV_FOLLOW and word not in title_words()
    )


def _previous_word_ok(prev: str, prev2: str | None, heading: bool, prev_initial: bool) -> bool:
    """Whether the words before a place name leave it a place: not a vague area ("Southern
    California"), an organisation's "of" ("University of Texas") or, outside a heading, the end
    of another capitalised name ("Victoria Anderson")."""
    if prev in DIRECTIONAL:
        return False
    if prev in ("of", "de") and prev2 in ORG_OF:
        return False
    return not (
        not heading
        and not prev_initial
        and prev[:1].isupper()
        and prev not in FUNCTION_WORDS
        and prev.rstrip(".") not in GOV_FOLLOW
        and prev not in title_words()
        and not (prev.isupper() and len(prev) <= 5)  # an agency acronym: "SDSO San Marcos"
    )
