"""Mentions of officials: the person a title introduces, found by the constructions around it.

A title match ("Mayor", "the governor of", "Secretary of Homeland Security") is tried against
each construction in turn: the name after the title ("Mayor Gong Zheng"), the name closing an
"of ..." run ("Secretary of Homeland Security Alejandro Mayorkas"), the name after a described
office ("EP rapporteur on alternative fuels infrastructure Ismail Ertug (S&D, DE) said"), the
name before the title ("Kim Yung-rok, the governor of ..."), and the name after a comma ("the
Secretary for Health, Dr Jane Roe, said"). The first that gives a valid name wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from search.extract.lexicon import LOWERCASE_NOT_TITLES, NEEDS_FULL_NAME
from search.extract.names import (
    HONORIFIC,
    NAME,
    SP,
    UPPER,
    clean_name,
    followed_by_org,
    heading_name,
    name_from_tail,
    valid_name,
)
from search.extract.regions import Gazetteer
from search.extract.titles import title_label


@dataclass
class Mention:
    """One titled mention of a person; after merging, one person under the fullest name."""

    name: str
    title: str
    start: int
    region_text: str = ""  # the office's words that may name its place ("Orange County")


_NAME_AT_START = re.compile(rf"[ \t\u00a0]*{HONORIFIC}?(?P<name>{NAME})")
_NAME_AT_END = re.compile(
    rf"(?P<name>{NAME})[ ]*,[ ]*(?P<art>(?:the|a|an|our|its|their|his|her){SP})?"
    rf"(?P<mods>(?:[{UPPER}][\w&'’.-]*{SP}){{0,6}})$"
)
# "named Jane Roe as the Coordinator", "Mr. X has been appointed as the Ambassador",
# "1. Carlos Sada Solana as Ambassador"
# "Helen Marchetti, who will retire after eleven years as chief executive": a relative
# clause of lower-case words between the name and "as"
_NAME_WHO_AS = re.compile(
    rf"(?P<name>{NAME}),{SP}who{SP}(?:[a-z0-9][\w'’-]*{SP}){{1,10}}?as{SP}"
    rf"(?:(?:the|a|an|its|our|their){SP})?(?P<mods>(?:[{UPPER}][\w&'’.-]*{SP}){{0,6}})$"
)
# what makes a word that is also a common noun an office: "chair of the board", "premier of
# Ontario", "speaker of the House"
_OF_BODY = re.compile(
    r"[ \t]+of[ \t]+(?:the[ \t]+)?(?:[A-Z]|(?:board|committee|council|commission|assembly|"
    r"senate|house|panel|trustees|directors|governors|supervisors)\b)"
)
_NAME_AS = re.compile(
    rf"(?P<name>{NAME})(?:{SP}(?:has|have|had|was|were|is)(?:{SP}been)?{SP}"
    rf"(?:appointed|named|elected|nominated|designated|accredited))?"
    rf"{SP}as{SP}(?:(?:the|a|an|its|our|their|new){SP})?"
    rf"(?P<mods>(?:[{UPPER}][\w&'’.-]*{SP}){{0,6}})$"
)
# "of the Organization of American States (OAS)", "to the United Arab Emirates (UAE)",
# "in Shanghai": the body or place an office belongs to
_OF_TAIL = re.compile(
    rf"{SP}(?:of|for|at|with|to|in|de|del){SP}(?:the{SP}|la{SP}|el{SP})?"
    rf"(?P<org>(?:[{UPPER}][\w&'’.-]*)"
    rf"(?:{SP}(?:[{UPPER}][\w&'’.-]*|and|&|of|for|the|bin|bint|ibn|\([{UPPER}][\w&.-]*\)))*)"
)
_SPEECH = (
    r"(?:has|had|is|was|said|says|will|added|adds|noted|explained|stated|stressed|told|"
    r"announced|dijo|afirmó|señaló|agregó|explicó|declaró)"
)
# what may follow a name that a title introduced after a comma ("..., Dr Raymond Lai, said")
# (or a verb in the past or present tense, or a preposition: "..., Jean Asselborn accompanied
# Jean-Claude Juncker", "..., Khumbudzo Ntshavheni on Thursday"; not "and": "Minister of
# Economic Development, Job Creation and Trade, Priya Raman")
_NAME_END = (
    rf"(?=[ \t]*[,.;:(]|[ \t]+{_SPEECH}\b|[ \t]*$"
    r"|[ \t]+(?:[a-z]+ed|[a-z]+s|on|at|in|during|along|also)\b)"
)
_PREFIX = re.compile(r"((?:(?:[A-Z][\w'’&-]*|U\.S\.|St\.)[ \t]+){1,4})$")
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an|the|one|another|each|every)\s*$")
# "the president of", "the Bahraini ambassador to": an article, perhaps a nationality
_ARTICLE_BEFORE = re.compile(r"\b(?:[Tt]he|[Ee]l|[Ll]a)[ \t]+(?:[A-Z][\w'’-]*[ \t]+){0,2}$")
_COMMA_NAME = re.compile(rf"[ \t]*,[ \t]*{HONORIFIC}?{NAME}{_NAME_END}")
_DESCRIBED_OFFICE_NAME = re.compile(
    rf"{SP}(?:on|for|of){SP}(?:[a-z][\w-]*{SP}){{1,8}}(?P<name>{NAME})"
    rf"(?=[ \t]*\(|[ \t]+{_SPEECH}\b)"
)
_PLACE_COMMA_NAME = re.compile(
    rf"(?:{SP}(?:in|to){SP}(?:the{SP})?[A-Z][\w.'’-]*(?:{SP}(?:[A-Z][\w.'’-]*|and|of|the))*"
    rf"(?:,{SP}[A-Z][\w.]*)?)?"
    rf"(?:{SP}\([^()\n]{{1,60}}\))?"  # "the Saeima (the Latvian Parliament), Eduards ..."
    # more of the portfolio after a comma: "of Foreign Affairs, Foreign Employment and Tourism,"
    rf"(?:[ \t]*,[ \t]*(?:[A-Z][\w'’-]*{SP})+(?:and|&){SP}[A-Z][\w'’-]*(?=[ \t]*,))?"
    rf"[ \t]*,[ \t]*(?P<address>{HONORIFIC})?(?P<name>{NAME}){_NAME_END}"
)
_WORDS_COMMA_NAME_SAID = re.compile(
    rf"(?:{SP}[\w'’.-]+){{0,7}}?[ \t]*,[ \t]*{HONORIFIC}?(?P<name>{NAME}),?"
    rf"[ \t]+{_SPEECH}\b"
)


@dataclass(frozen=True)
class _AtTitle:
    """A title match and the text around it, as the constructions read them."""

    text: str
    m: re.Match[str]
    before: str  # up to 160 characters before the title
    after: str  # up to 200 characters after it
    tail: re.Match[str] | None  # an "of ..." run right after the title ("of the Authority")
    label: str
    capital: bool  # the title is written with a capital ("Mayor", not "mayor")
    gaz: Gazetteer

    def ok(self, name: str, rest: str = "") -> bool:
        """Whether ``name`` is a person's, ``rest`` being the text after it."""
        return bool(name) and valid_name(name, self.gaz) and not followed_by_org(rest)


def mention_at_title(text: str, m: re.Match[str], before: str, gaz: Gazetteer) -> Mention | None:
    """The person a title match introduces, if any, trying the constructions in turn."""
    title = m.group(0)
    # "Capital city Mayor": the head word tells a title from a common noun
    capital = title[:1].isupper() or m.group("head")[:1].isupper()
    after = text[m.end() : m.end() + 200]
    if (
        not capital
        and m.group("head").lower() in LOWERCASE_NOT_TITLES
        and not _OF_BODY.match(after)
    ):
        return None  # "a premier provider", "the speaker system"; not "chair of the board"
    at = _AtTitle(text, m, before, after, _OF_TAIL.match(after), title_label(title), capital, gaz)
    for construction in _CONSTRUCTIONS:
        mention = construction(at)
        if mention is not None:
            return mention
    return None


def _name_after_title(at: _AtTitle) -> Mention | None:
    """1. Title before the name: "Mayor Gong Zheng", "said rapporteur Ismail Ertug"."""
    nm = _NAME_AT_START.match(at.after)
    if not nm or at.after.startswith((",", " ,")):
        return None
    end = at.m.end()
    name = heading_name(at.text, end + nm.start("name"), clean_name(nm.group("name")))
    lone_ok = at.capital or (len(name.split()) >= 2 and not _INDEFINITE_BEFORE.search(at.before))
    if (
        at.m.group("head").lower() in NEEDS_FULL_NAME
        and len(name.split()) < 2
        and not at.m.group("mods")
    ):
        lone_ok = False  # "Youth Justice Action Month": "Justice" + a word
    if not (lone_ok and at.ok(name, at.after[nm.start("name") + len(name) :])):
        return None
    # the office's own words name its place: "Orange County Supervisor", "Shanghai Mayor"
    prefix = _PREFIX.search(at.before[-70:])
    return Mention(name, at.label, end, (prefix.group(1) if prefix else "") + at.m.group(0))


def _name_closing_of_run(at: _AtTitle) -> Mention | None:
    """1b. The name closes an "of ..." run: "Secretary of Homeland Security Alejandro
    Mayorkas" (unless a comma and a name follow the run), or a part of the run that ends
    before "for"/"and" ("Ambassador to the Philippines Kazuhide Ishikawa for Their
    Majesties ...")."""
    tail = at.tail
    if not (tail and at.capital) or _COMMA_NAME.match(at.after[tail.end() :]):
        return None
    words = tail.group("org").split()
    cuts = [len(words)] + [i for i in range(len(words) - 1, 1, -1) if words[i] in _RUN_JOINS]
    for cut in cuts:
        org_words = words[:cut]
        name_words = name_from_tail(org_words)
        name = clean_name(" ".join(name_words))
        rest = " ".join(words[cut:]) if cut < len(words) else at.after[tail.end() :]
        if name_words and at.ok(name, " " + rest if cut < len(words) else rest):
            region = " ".join(org_words[: len(org_words) - len(name_words)])
            return Mention(name, at.label, at.m.end(), region)
    return None


_RUN_JOINS = frozenset({"for", "and", "&"})


def _name_after_described_office(at: _AtTitle) -> Mention | None:
    """1c. "EP rapporteur on alternative fuels infrastructure Ismail Ertug (S&D, DE) said"."""
    if at.tail is not None:
        return None
    described = _DESCRIBED_OFFICE_NAME.match(at.after)
    if described is None:
        return None
    name = clean_name(described.group("name"))
    if len(name.split()) >= 2 and at.ok(name):
        return Mention(name, at.label, at.m.end())
    return None


def _name_before_title(at: _AtTitle) -> Mention | None:
    """2. Name, then title: "Kim Yung-rok, the governor of ...", "Jane Roe, CEO of X",
    "named Patrick Cornbill as the Federal Coordinating Officer"."""
    if at.tail and _COMMA_NAME.match(at.after[at.tail.end() :]):
        return None  # "A, the President of X, B, and ...": the office is B's (a list)
    near = at.before[-110:]
    ap = (
        ("," in near and _NAME_AT_END.search(near))
        or (" as " in near and _NAME_AS.search(near))
        or (" who " in near and _NAME_WHO_AS.search(near))
    )
    if not ap or "\n" in ap.group(0):
        return None
    name = clean_name(ap.group("name"))
    if len(name.split()) >= 2 and at.ok(name):
        region = (ap.group("mods") or "") + (at.tail.group("org") if at.tail else "")
        return Mention(name, at.label, at.m.start() - len(ap.group(0)), region)
    return None


def _name_after_comma(at: _AtTitle) -> Mention | None:
    """3. "the Chief Infection Control Officer of the Hospital Authority, Dr Raymond Lai,
    said", "As President of Atamian Honda in Tewksbury, MA, Reed Atamian has ..."; after an
    article also a lower-case title: "the president of the company, John Smith, said", "El
    fiscal de distrito del condado de Dallas, John Creuzot, dijo" (the name and a speech verb
    close the phrase)."""
    tail = at.tail
    hk = _PLACE_COMMA_NAME.match(at.after[tail.end() :] if tail else at.after)
    after_article = _ARTICLE_BEFORE.search(at.before[-40:]) is not None
    if hk is None and after_article:
        hk = _WORDS_COMMA_NAME_SAID.match(at.after)
    if not (hk and (at.capital or after_article)):
        return None
    name = clean_name(hk.group("name"))
    # "the Minister for Trade and Investment, Mr Robb,": an address makes a surname enough
    addressed = "address" in hk.re.groupindex and hk.group("address") and at.capital
    if (len(name.split()) >= 2 or addressed) and at.ok(name):
        return Mention(name, at.label, at.m.end(), tail.group("org") if tail else "")
    return None


_CONSTRUCTIONS: tuple[Callable[[_AtTitle], Mention | None], ...] = (
    _name_after_title,
    _name_closing_of_run,
    _name_after_described_office,
    _name_before_title,
    _name_after_comma,
)
