"""Officials: people named with an official title, found, merged and reported.

Mentions come from several sources, all in one list sorted by position: the person each title
introduces (``search.extract.mentions``), lists after a plural title ("Senators A, B and C"),
an office written after the name ("Jane Doe MP"), "founded by" phrases, the signer of a
proclamation ("I, JOSEPH R. BIDEN JR., President ...") and signatures. Past offices ("former
Governor") and media-contact blocks are skipped. ``search.extract.merge`` then keeps one entry
per person, and an office's own words give the person's region ("Orange County Supervisor").
"""

from __future__ import annotations

import re
from typing import Any

from search.extract.cjk_officials import cjk_mentions
from search.extract.euro_officials import euro_mentions
from search.extract.lexicon import HONORIFIC_WORDS, NAME_STOP
from search.extract.mentions import Mention, mention_at_title
from search.extract.merge import merge_mentions
from search.extract.names import NAME, SP, canonical_name, clean_name, valid_name
from search.extract.native_names import has_cjk_word
from search.extract.places import title_regions
from search.extract.regions import Gazetteer, full_gazetteer, gazetteer
from search.extract.scan import anchored, words_of
from search.extract.titles import TITLE_MODIFIER, title_label, title_rules

# "Jane Doe MP", "Jan Kowalski MEP": the office written after the name
# (and a Member of the Welsh Assembly or Senedd, "Eluned Morgan AM, Minister for ...": before a
# comma only, where "AM" is no time of day)
_POST_TITLE = re.compile(
    rf"(?P<name>{NAME}),?{SP}(?P<title>MP|MEP|MLA|MSP|MPP|TD|AM(?=,)|MS(?=,))\b"
)
_POST_TITLE_WORD = re.compile(r"\bM[E]?P\b|\bMLA\b|\bMSP\b|\bTD\b|\b(?:AM|MS),")
HONORIFIC_ADDRESS = "(?:" + "|".join(HONORIFIC_WORDS) + r")\.?"
# "His Excellency Ahmed Mahloof", "H.E. Mr Zhang Ming": the address of an office holder
# (ambassadors, ministers, heads of state) is enough to make an official of the person
_EXCELLENCY = re.compile(
    rf"(?:\b(?:His|Her){SP}Excellency|(?<![\w.])H\.[ ]?E\.?)(?:{SP}{HONORIFIC_ADDRESS})*"
    rf"{SP}(?P<name>{NAME})"
)
# the modifiers before a plural title: "Deputy Assistant Secretaries A and B"
_MODIFIERS_BEFORE = re.compile(rf"((?:{TITLE_MODIFIER}{SP})+)$")
_FOUNDED_BY = re.compile(
    rf"\b[Ff]ounded(?:{SP}in{SP}\d{{4}})?{SP}by{SP}(?:[a-z][\w-]*{SP}){{0,4}}"
    rf"(?:(?:[A-Z][\w.'’-]*{SP}){{0,4}}(?:prosecutor|attorney|executive|educator|"
    rf"entrepreneur|engineer|physician|doctor|veteran|lawyer|officer|agent){SP}|,{SP})?"
    rf"(?P<name>{NAME})"
)
# "NOW, THEREFORE, I, JOSEPH R. BIDEN JR., President of the United States of America, ..."
_FIRST_PERSON = re.compile(
    r"\bI,[ \t]+(?P<name>[A-Z][A-Za-z.'’-]+(?:[ \t]+[A-Z][A-Za-z.'’-]*){1,4}),[ \t]+"
    r"(?P<title>President|Governor|Mayor|Prime Minister|Secretary|Chancellor)\b"
    r"(?:[ \t]+of[ \t]+(?:the[ \t]+)?(?P<of>[A-Z][\w.]*(?:[ \t]+(?:of|[A-Z][\w.]*))*))?"
)
# The signature of a presidential document or letter: "JOSEPH R. BIDEN JR." on its own line,
# after "Sincerely," or before "THE WHITE HOUSE,".
_CAPS_NAME = r"[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]*){1,4}"
_SIGNATURE = re.compile(
    rf"Sincerely,[ \t]*\n\s*(?P<a>{_CAPS_NAME})[ \t]*$"
    rf"|^[ \t]*(?P<b>{_CAPS_NAME})[ \t]*\n\s*THE WHITE HOUSE"
    rf"|\n\n[ \t]*(?P<c>{_CAPS_NAME})[ \t]*\s*\Z",  # a memorandum's last line
    re.MULTILINE,
)
_CONTACT = re.compile(r"(?i)(?:media|press|news)?\s*contacts?\s*:?|public information officer")
_PUBLIC_OFFICES = frozenset(
    "president minister premier senator governor mayor ambassador chancellor secretary "
    "congressman congresswoman representative speaker envoy consul commissioner".split()
)
_CRIME = re.compile(
    r"\b(?:convicted|charged|sentenced|indicted|arrested|pleaded|pled|guilty|accused|"
    r"jailed|prison|fraud|bribery|embezzl\w*|founded)\b"
)
_FORMER_WORDS = ("former", "late", "ex-", "then-", "retired")
_FORMER = re.compile(
    r"\b(?:[Ff]ormer|[Ll]ate|[Ee]x-|[Tt]hen-|[Rr]etired)[ \t]*(?:[A-Z][\w.'’-]*[ \t]+){0,4}$"
)


def extract_officials(text: str, language: str | None = None) -> list[dict[str, Any]]:
    """People named with an official title, one entry each under their fullest name; a
    release in Spanish, French, German, Chinese, Japanese or Korean is read with the offices
    and the name orders of its language too."""
    mentions = find_mentions(text)
    if language in ("es", "fr", "de"):
        mentions += euro_mentions(text, language, full_gazetteer("latin"))
    if has_cjk_word(text):
        mentions += cjk_mentions(text)
    mentions.sort(key=lambda x: x.start)
    return official_dicts(merge_mentions(mentions, text))


def official_dicts(people: list[Mention]) -> list[dict[str, Any]]:
    """The facet entries of merged people: ``{"name", "title", "region"}``, one per spelling."""
    out = []
    seen = set()
    for p in people:
        # One spelling per person across releases, from the name alone (deterministic, so an
        # incremental reindex agrees with a full one): "O’Neill" = "O'Neill", "HAYASHI
        # Yoshimasa" = "Hayashi Yoshimasa", "KANG Tae Ho" = "Kang Tae-ho"
        name = canonical_name(p.name)
        if name in seen:
            continue
        seen.add(name)
        region = None
        if p.region_text:
            places = title_regions(p.region_text)
            if places:
                region = places[0].name
        out.append({"name": name, "title": p.title, "region": region})
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every titled mention of a person, in text order (several per person before merging)."""
    gaz = gazetteer()
    lower = text.lower()
    words = words_of(lower)
    mentions = _titled_mentions(text, lower, words, gaz)
    mentions += _plural_mentions(text, gaz, words)
    mentions += _post_title_mentions(text, gaz)
    mentions += _founder_mentions(text, gaz)
    mentions += _excellency_mentions(text, gaz)
    mentions += _first_person_mentions(text, gaz)
    mentions += _signature_mentions(text, gaz)
    mentions.sort(key=lambda x: x.start)
    return mentions


def _titled_mentions(text: str, lower: str, words: set[str], gaz: Gazetteer) -> list[Mention]:
    """The person each title introduces ("Mayor Gong Zheng", "Jane Roe, CEO of X")."""
    out: list[Mention] = []
    rules = title_rules()
    for m in anchored(text, lower, rules.title, words & rules.starts):
        before = text[max(0, m.start() - 160) : m.start()]
        former = _was_former(before)
        # "former Harris County prosecutor Paul Darrow was charged": not an office holder
        if former and not _former_official(text, m, m.group("head")):
            continue
        mention = mention_at_title(text, m, before, gaz)
        if mention and former:
            mention.title = "Former " + mention.title
        if mention and not _in_contact_block(text, m.start()):
            out.append(mention)
    return out


def _plural_mentions(text: str, gaz: Gazetteer, words: set[str]) -> list[Mention]:
    """Lists after a plural title: "Senators Cornyn, Coons, and Durbin"."""
    out = []
    rules = title_rules()
    present = {p for p in rules.plural_starts if p.lower() in words}
    for m in anchored(text, text, rules.plural, present):
        former = _was_former(text[max(0, m.start() - 80) : m.start()])
        if former and not _former_official(text, m, m.group("title")):
            continue
        mods = _MODIFIERS_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
        title = title_label((mods.group(1) if mods else "") + _singular(m.group("title")))
        title = "Former " + title if former else title
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("list")):
            name = clean_name(part)
            if name and valid_name(name, gaz):
                out.append(Mention(name, title, m.start("list")))
    return out


def _post_title_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """An office written after the name: "Jane Doe MP", "Jan Kowalski MEP"."""
    out = []
    for m in _POST_TITLE.finditer(text) if _POST_TITLE_WORD.search(text) else ():
        words = m.group("name").split()
        while words and (words[0] in NAME_STOP or words[0].rstrip(".") in HONORIFIC_WORDS):
            words.pop(0)  # "The Hon Greg Hunt MP"
        name = clean_name(" ".join(words))
        if len(name.split()) >= 2 and valid_name(name, gaz):
            out.append(Mention(name, m.group("title"), m.start()))
    return out


def _excellency_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """People addressed as Excellency: "H.E. Dr. Nkosazana Dlamini Zuma and H.E. Mr ..."."""
    out = []
    for m in _EXCELLENCY.finditer(text) if ("H.E" in text or "Excellency" in text) else ():
        name = clean_name(m.group("name"))
        if len(name.split()) >= 2 and valid_name(name, gaz):
            out.append(Mention(name, "Excellency", m.start("name")))
    return out


def _founder_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Company founders named in a "founded by" phrase ("founded by ... Paul Darrow")."""
    out = []
    for m in _FOUNDED_BY.finditer(text) if "ounded" in text else ():
        if re.match(r"[ \t]+in[ \t]+1[0-8]\d\d\b", text[m.end() : m.end() + 10]):
            continue  # "founded by Clara Barton in 1881": history, not an officer
        name = clean_name(m.group("name"))
        if len(name.split()) >= 2 and valid_name(name, gaz):
            out.append(Mention(name, "Founder", m.start("name")))
    return out


def _first_person_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """The signer of a proclamation: "I, JOSEPH R. BIDEN JR., President of the United States"."""
    out = []
    for m in _FIRST_PERSON.finditer(text) if "I, " in text else ():
        name = clean_name(m.group("name"))
        if len(name.split()) >= 2 and valid_name(name, gaz):
            title = title_label(m.group("title"))
            out.append(Mention(name, title, m.start("name"), m.group("of") or ""))
    return out


def _signature_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """The signer of a presidential document or letter ("JOSEPH R. BIDEN JR.")."""
    out = []
    for m in _SIGNATURE.finditer(text):
        caps = m.group("a") or m.group("b") or m.group("c")
        # title case first, so that "FOR IMMEDIATE RELEASE" meets the stop words as "For ..."
        name = clean_name(
            " ".join(
                w if re.fullmatch(r"[A-Z]\.|II|III|IV", w) else w.title() for w in caps.split()
            )
        )
        if len(name.split()) >= 2 and valid_name(name, gaz):
            title = "President" if "WHITE HOUSE" in text.upper() else "Signatory"
            out.append(Mention(name, title, m.start()))
    return out


def _was_former(before: str) -> bool:
    """ "former Harris County prosecutor ...": a past office is not an office."""
    tail = before[-80:]
    low = tail.lower()
    return any(w in low for w in _FORMER_WORDS) and _FORMER.search(tail) is not None


def _former_official(text: str, m: re.Match[str], title: str) -> bool:
    """Whether a past office makes an official of the release ("former Prime Minister Essam
    Sharaf", "former senator Edgardo Angara") rather than a defendant or a professional
    ("former Mayor Jim Smith was convicted", "former Harris County prosecutor Paul Darrow")."""
    head = _singular(title.split()[-1]).lower()
    if not title[:1].isupper() and head not in _PUBLIC_OFFICES:
        return False
    end = text.find(".", m.end(), m.end() + 240)
    return _CRIME.search(text, m.end(), end if end != -1 else m.end() + 240) is None


def _singular(title: str) -> str:
    """ "Secretaries" -> "Secretary", "Senators" -> "Senator", "Sens." -> "Sen"."""
    title = title.rstrip(".")
    return title[:-3] + "y" if title.endswith("ies") else title.rstrip("s")


def _in_contact_block(text: str, start: int) -> bool:
    """A name in a media-contact block ("Media Contact: Jane Doe, Public Information ...")."""
    ls = text.rfind("\n", max(0, start - 400), start)
    window = text[max(0, ls - 120, start - 400) : start]
    lower = window.lower()
    return "contact" in lower and bool(_CONTACT.search(window[-160:]))
