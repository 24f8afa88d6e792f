"""Office titles compiled into patterns: a title with its modifiers ("Deputy Assistant
Secretary", "Vice-President and CEO"), the plural titles that open a list of names ("Senators
A, B and C"), and the label a title is reported under."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from search.extract.lexicon import MODIFIER_WORDS, load_titles
from search.extract.names import NAME, SP

TITLE_MODIFIER = "(?:" + "|".join(re.escape(w) for w in MODIFIER_WORDS) + ")"


@dataclass(frozen=True)
class TitleRules:
    """Compiled patterns, built once (titles come from a data file a user may extend)."""

    title: re.Pattern[str]  # a title head with its modifiers, case-insensitive
    plural: re.Pattern[str]  # "Senators A, B and C"
    title_heads_lower: frozenset[str]
    starts: frozenset[str]  # lower-cased words a title can begin with
    plural_starts: frozenset[str]  # first words of the plural titles


@lru_cache(maxsize=1)
def title_rules() -> TitleRules:
    """The title patterns, compiled on first use from the titles of the lexicon."""
    titles = sorted(set(load_titles()), key=len, reverse=True)
    # "Vice President" also matches "Vice-President"
    alts = "|".join(re.escape(t).replace("\\ ", r"[\s-]+") for t in titles)
    title = re.compile(
        rf"(?<![\w-])(?P<mods>(?:{TITLE_MODIFIER}\s+(?:and\s+)?)*)(?P<head>{alts})(?:-(?:designate|elect))?"
        rf"(?P<more>(?:\s*(?:and|&|/)\s*(?:{TITLE_MODIFIER}\s+)*(?:{alts}))*)(?![\w-])",
        re.IGNORECASE,
    )
    plurals = sorted(
        {_plural(t) for t in titles if t[-1].isalpha() and t.lower() not in {"sen", "rep"}}
        | {"Sens.", "Reps.", "Congressmen", "Congresswomen", "Chairmen", "Spokesmen"},
        key=len,
        reverse=True,
    )
    plural_alt = "|".join(re.escape(t) for t in plurals)
    item = rf"(?!(?:{plural_alt})\b){NAME}"  # "... and Durbin and Representatives Cuellar"
    plural = re.compile(
        rf"(?<![\w-])(?P<title>{plural_alt}){SP}"
        rf"(?P<list>{item}(?:[ ]*,[ ]*(?:and{SP})?{item})*(?:,?{SP}and{SP}{item})?)"
    )
    # "gov" for "Gov.": the words of a text are compared without their full stops
    starts = frozenset(t.split()[0].lower().rstrip(".") for t in titles) | {
        w.lower().rstrip(".") for w in MODIFIER_WORDS
    }
    return TitleRules(
        title,
        plural,
        frozenset(t.lower() for t in titles),
        starts,
        frozenset(t.split()[0] for t in plurals),
    )


def _plural(title: str) -> str:
    """ "Secretary" -> "Secretaries", "Mayor" -> "Mayors"."""
    if title.endswith("y") and title[-2:-1] not in "aeiou":
        return title[:-1] + "ies"
    return title + "s"


def title_label(title: str) -> str:
    """A matched title as reported: one space between words, first letter capitalised."""
    title = re.sub(r"\s+", " ", title).strip()
    return title[:1].upper() + title[1:]
