"""Entity extraction: officials, regions and years mentioned in a press release.

Rules and gazetteers only (no statistical model), so one release costs a few milliseconds.
``extract(article)`` fills ``article.officials``, ``article.regions`` and ``article.years``.

Regions: patterns first (datelines "SANTA ANA, Calif. –", "City, State" pairs, county lists,
"(S&D, DE)"), then gazetteer names (``search.extract.regions``) looked up over runs of capitalised
words, longest first. The words around a name decide whether it is a place ("Orange County
District Attorney") or part of a company, street, school or person ("US Foods", "Pennsylvania
Avenue", "Victoria Anderson"); the release's other places decide which place an ambiguous name
is ("Santa Ana" in California, "Georgia" the state or the country).

Officials: a title lexicon (``data/official_titles.txt``) anchors the constructions "Mayor
Gong Zheng", "Kim Yung-rok, the governor of ...", "the Secretary for Health, Dr Jane Roe,",
"Senators A, B and C", "Jane Doe MP", signatures and "founded by"; mentions of one person merge
under the fullest name ("Governor Kim", "President Biden").

Years: four-digit years that are not phone, street, section, order or amount numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from search.extract.regions import DATA_DIR, Gazetteer, Place, gazetteer
from search.ingest.article import Article

# --------------------------------------------------------------------------------------------
# Word lists that are rules rather than data.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A place name followed by one of these is part of a company, school or facility name
# ("US Foods", "Pennsylvania Avenue", "Southern New Hampshire University").
ORG_SUFFIX = _words(
    """Foods Food University College School Schools Academy Institute Hospital Hospitals Clinic
    Medical Health-System Airport Airlines Airways Rail Railway Railroad Express Link Line Lines
    Avenue Ave Ave. Street St St. Road Rd Rd. Boulevard Blvd Blvd. Drive Lane Highway Freeway
    Parkway Pkwy Bridge Tunnel Park Stadium Arena Center Centre Mall Plaza Hotel Resort Casino
    Inc Inc. Corp Corp. Corporation Company Co Co. LLC Ltd Ltd. Group Holdings Investments Capital
    Partners Bank Bancorp Financial Insurance Energy Power Electric Gas Oil Steel Motors Motor
    Instruments Pharmaceuticals Foods Brands Entertainment Media Times Post Tribune Herald
    Journal Register Today News Magazine Radio TV Television Network Studios Records Museum
    Gallery Symphony Orchestra Opera Theatre Theater Church Cathedral Diocese Zoo Aquarium
    Club FC Team Mavericks Cowboys Rangers Stars Texans Rockets Astros Lakers Dodgers Angels
    Chargers Padres Giants Warriors Bulls Bears Cubs Sox Heat Dolphins Marlins Yankees Mets
    Steelers Eagles Raiders Kings Clippers Ducks Wild Beach Bay River Lake Mountains Valley
    Restaurant Restaurants Bar Grill Cafe Coffee Brewing Brewery Winery Ranch Farms Realty
    Homes Properties Apartments Fund Foundation Association Society League Alliance Coalition
    Council-Inc Commission-Inc Conference Summit Expo Festival Fair Marathon Award Awards Prize
    Cup Open Championship Games Fashion Week Dreamers Rising Strong Scholarship Scholarships
    Memorial Trust Library Courthouse Building Hall Tower Station Terminal Port Products
    Solutions Systems Technologies Services Industries Labs Networks Software Consulting
    Ventures Enterprises Pediatrics Dental Law Offices Associates Studios Salon Design Designs
    Creative AG GmbH PLC Plc SE SA NV BV SpA Oy AB ASA KK Pty Limited LLP LP"""
)

# Words after a place name that keep it a place: its own government and offices.
GOV_FOLLOW = _words(
    """County City Town Township Village State Province District Borough Parish Municipality
    Region Metropolitan Metro Police Sheriff Sheriff's Sheriff’s Fire Department Dept Dept.
    Office Attorney Attorney's Attorney’s DA DA's Prosecutor Prosecutor's Court Courts Superior
    Supreme Municipal Justice Jail Corrections Correctional Probation Parole Government
    Administration Agency Authority Bureau Commission Council Board Legislature Assembly Senate
    House Congress Parliament Ministry Minister Prime Premier President Vice Governor Mayor
    Mayor's Mayor’s Governor's Governor’s Secretary Commissioner Chief Superintendent Treasurer
    Comptroller Controller Auditor Assessor Coroner Medical Examiner Public Health Human Services
    Department's Highway Patrol Army Navy Air Force Marine Marines Coast Guard National Guard
    Embassy Consulate Mission Trade Representative Representatives Ambassador Senator Senators
    Federal Capitol Statehouse Water Transit Housing Elections Election Registrar Clerk
    Judge Judges Treasury Census Customs Border Immigration Attorney-General Delegation Team-USA
    Homeland Security Emergency Management Forces Armed Military Defence Defense Consul"""
)

# Words that end town names ("Newport Beach", "Red River"): fine in an unknown "X, State".
GEO_WORDS = _words(
    """Beach River Park Bay Lake Lakes Valley Springs Falls Heights Hills Hill Point Harbor
    Harbour Island Islands Mountain Mountains Creek Grove Woods Forest Gardens Village City
    Town Township Port Fort Mount Rapids Junction Landing Station Center Centre Ranch Mesa
    North South East West New Old Saint St. Upper Lower Glen Bluff Bluffs Shores Cove Canyon"""
)

# A place name after one of these names a vague area, not the place ("Southern California").
DIRECTIONAL = _words(
    """North South East West Northern Southern Eastern Western Central Northeast Northwest
    Southeast Southwest Northeastern Northwestern Southeastern Southwestern Upper Lower Greater
    Coastal Inland Downtown Uptown Metro Rural Suburban Outer Inner"""
)

# Capitalised words that may begin a sentence or a heading before a place without being part
# of its name ("In Texas", "The Netherlands").
FUNCTION_WORDS = _words(
    """The A An In At On Of For From To By With And Or But Across Throughout Within Outside Inside
    Near Like As Both All Every Only Our Their His Her Its This That These Those When While After
    Before Since During Under Over Between Among Including Unlike Visit Visiting Welcome From
    Says Said Today Yesterday Tonight Meanwhile Also Statement Remarks Readout Fact Sheet
    Background Update Notice Release Press Media Advisory Photo Photos Video Watch Read Join
    Located Based Headquartered Serving Born Moved Celebrating Congratulations Happy Attention
    Here Where Why How What Which Who Please Contact Tags Tagged Posted Published"""
)

# Organisations whose "of X" never makes X a place of the release ("University of Texas").
ORG_OF = _words(
    """University College School Academy Institute Bank Museum Church Hospital Society Foundation
    Association League Federation Friends Daughters Sons Knights Bishop Archdiocese Diocese
    Orchestra Symphony Chamber Club"""
)

# The political groups of the European Parliament, for "(S&D, DE)" member country codes.
EP_GROUPS = (
    r"EPP|S&D|Renew(?: Europe)?|ECR|ID|PfE|ESN|Greens/EFA|Verts/ALE|The Left|GUE/NGL|NI|ALDE|"
    r"EFDD|ENF|EFD|Patriots"
)

MONTHS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Capitalised words that are never part of a person's name.
NAME_STOP = (
    (MONTHS - {"April", "May", "June", "August", "Jan", "Jun", "Mar"})  # also given names
    | WEEKDAYS
    | FUNCTION_WORDS
    | GOV_FOLLOW
    # Facility words that are also common surnames stay usable as names: "Governor Park
    # Min-jae", "Senator Hall", "Law Chi-kwong"; after a name they still mark an organisation.
    | (ORG_SUFFIX - _words("Park Hall Law Power Post Lane Church Banks"))
    | DIRECTIONAL
    | _words(
        """Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Honorable Hon Hon. Sir Dame Madam
    Excellency His Her Their Its Deputy Assistant Acting Interim Senior Chief Executive Former
    First Lady Gentleman Members Member Staff Unit Division Section Program Programme Project
    Initiative Act Bill Law Order Rule Plan Report Fund Policy Strategy Partnership Agreement
    Summit Forum Meeting Conference Day Week Month Year New Old Great Grand Saint St St.
    Regional National International Global World Federal Republic Kingdom Union European Nations
    United States America American Americans Democratic Republican Party Administration
    Biden-Harris White Black Latino Asian Native Indian Tribe Tribal Nation Nations Community
    Special Victims Narcotics Homicide Gang Major Crimes Felony Misdemeanor Unit Case Cases
    Investigation Investigations Task Force Operation COVID-19 COVID Covid Coronavirus
    Affairs Relations Operations Development Technology Policy Economic Economy Security
    Labor Labour Commerce Energy Education Transportation Agriculture Interior Veterans Defense
    Homeland Health Human Services Housing Urban Justice Finance Foreign Home Trade Treasury
    Infrastructure Implementation Gender Cyber Emerging Climate Domestic Science Innovation
    Growth Enrollment Marketing Sales Communications Operations Product Engineering Strategy
    Business Legal Compliance Research Public Private Information Control Infection Risk
    Company Companies Inc Inc. LLC Ltd Corp Corp. Co Co. Group Holdings Partners Capital
    Announces Announced Announce Says Said Urges Calls Signs Signed Meets Met Discusses Visits
    Welcomes Joins Launches Honors Names Named Charged Sentenced Convicted Arrested Indicted
    Statement Remarks Readout Release Releases Hosts Hosted Leads Applauds Praises Celebrates
    Solutions Systems Technologies Technology Services Distributor Distributors Industries Labs
    Networks Software Consulting Digital Products Ventures Healthcare Pharma Therapeutics
    Sciences Resources Mining Minerals Metals Logistics Portfolio Securities Markets Exchange
    Chairman Chair Secretary Minister Senator Senators Governor Mayor Judge Sheriff
    Detective Detectives Investigator Investigators Officer Officers Sergeant Sgt Sgt. Agent
    Agents Captain Capt Capt. Lieutenant Lt Lt. Corporal Cpl Cpl. Trooper Paralegal Analyst
    Advocate Deputies Charges Charge Faces Pleads Admits Wins Gets Receives Extraordinary
    Plenipotentiary One Two Three Four Five Six Seven Eight Nine Ten Year Years Anonymous Tip
    Hotline System Systems Offices Office Kicks Off Launch Launches Hearings Hearing Shri Smt
    Sheikh Sheikha Union Sen Rep Gov Cooperation Planning Management Care Welfare Exchequer
    Action Advance Equity Month Youth Cross Relief Response Recovery Reform Rights"""
    )
)

# Titles that in lower case are ordinary words ("a premier provider", "a Bluetooth speaker").
LOWERCASE_NOT_TITLES = _words("premier speaker controller chair whip justice delegate principal")

# Titles that are also common nouns in names of things: alone they need a full name after
# them ("Justice Ketanji Brown Jackson"), not one word ("Environmental Justice Action").
NEEDS_FULL_NAME = _words("justice chair whip speaker")

HONORIFIC_WORDS = (
    "Dr Mr Mrs Ms Prof Professor Hon Honourable Honorable Sir Dame Rev Shri Smt Sh Sheikh "
    "Sheikha Dato Datuk"
).split()
HONORIFIC = "(?:(?:" + "|".join(HONORIFIC_WORDS) + r")\.?\s+)"
# One token of a person's name: "Joseph", "R.", "O'Neill", "Yung-rok", "JB", "DeGaetano".
UPPER = "A-ZÀ-Þ"
LOWER = "a-zß-ÿ"
NAME_TOKEN = (
    rf"(?:[{UPPER}]\.(?:[{UPPER}]\.)?"  # initials: "R.", "J.B."
    rf"|[{UPPER}]{{2}}(?=[ ][{UPPER}][{LOWER}])"  # "JB Pritzker"
    rf"|[{UPPER}]['’][{UPPER}][{LOWER}]+"  # "O'Neill", "D'Antoni"
    rf"|[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]+)?(?:['’][{UPPER}]?[{LOWER}]+)?"
    rf"(?:-[{UPPER}{LOWER}]+)*)"  # "Joseph", "McCaul", "DeGaetano", "Yung-rok"
)
PARTICLE = r"(?:de|da|del|della|di|van|von|der|den|la|le|bin|bint|al|Al|ibn|dos|du|ter)"
_SP = r"[ \t\u00a0]+"  # a name never spans lines
NAME = (
    rf"{NAME_TOKEN}(?:{_SP}(?:{PARTICLE}{_SP}){{0,2}}{NAME_TOKEN}){{0,3}}"
    rf"(?:,?{_SP}(?:Jr\.?|Sr\.?|II|III|IV)(?![\w]))?"
)
NAME_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"}
# "Jane Doe MP", "Jan Kowalski MEP": the office written after the name
_POST_TITLE = re.compile(rf"(?P<name>{NAME}){_SP}(?P<title>MP|MEP|MLA|MSP|MPP|TD)\b")

MODIFIER_WORDS = (
    "Deputy Assistant Associate Acting Interim Senior Sr. Chief Executive Vice Principal Special "
    "First Lead Managing General Regional National State County City District Federal U.S. US "
    "Global Founding Supervising Head Presiding Superior Court Circuit Police Fire Press Trade "
    "Security Technical Medical Labor Policy Legal"
).split()
TITLE_MODIFIER = "(?:" + "|".join(re.escape(w) for w in MODIFIER_WORDS) + ")"


def _load_titles() -> list[str]:
    with open(DATA_DIR / "official_titles.txt", encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class _Rules:
    """Compiled patterns, built once (titles come from a data file a user may extend)."""

    title: re.Pattern[str]  # a title head with its modifiers, case-insensitive
    plural: re.Pattern[str]  # "Senators A, B and C"
    title_words: frozenset[str]
    title_heads_lower: frozenset[str]
    starts: frozenset[str]  # lower-cased words a title can begin with
    plural_starts: frozenset[str]  # first words of the plural titles


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    titles = sorted(set(_load_titles()), key=len, reverse=True)
    # "Vice President" also matches "Vice-President"
    alts = "|".join(re.escape(t).replace("\\ ", r"[\s-]+") for t in titles)
    title = re.compile(
        rf"(?<![\w-])(?P<mods>(?:{TITLE_MODIFIER}\s+(?:and\s+)?)*)(?P<head>{alts})"
        rf"(?P<more>(?:\s*(?:and|&|/)\s*(?:{TITLE_MODIFIER}\s+)*(?:{alts}))*)(?![\w-])",
        re.IGNORECASE,
    )
    plurals = sorted(
        {t + "s" for t in titles if t[-1].isalpha() and t.lower() not in {"sen", "rep"}}
        | {"Sens.", "Reps.", "Congressmen", "Congresswomen", "Chairmen", "Spokesmen"},
        key=len,
        reverse=True,
    )
    plural_alt = "|".join(re.escape(t) for t in plurals)
    item = rf"(?!(?:{plural_alt})\b){NAME}"  # "... and Durbin and Representatives Cuellar"
    plural = re.compile(
        rf"(?<![\w-])(?P<title>{plural_alt}){_SP}"
        rf"(?P<list>{item}(?:[ ]*,[ ]*(?:and{_SP})?{item})*(?:,?{_SP}and{_SP}{item})?)"
    )
    words = frozenset(w for t in titles for w in re.split(r"[\s-]+", t) if w)
    starts = frozenset(t.split()[0].lower() for t in titles) | {w.lower() for w in MODIFIER_WORDS}
    return _Rules(
        title,
        plural,
        words,
        frozenset(t.lower() for t in titles),
        starts,
        frozenset(t.split()[0] for t in plurals),
    )


def _words_of(lower_text: str) -> set[str]:
    """The distinct lower-case words of a text, with "vice-president" also as "vice" and
    "(president." also as "president" (``str.split``: faster than a regex)."""
    words = {w.strip("()[]\"“”‘'.,;:!?") for w in lower_text.split()}
    words |= {w[:-2] for w in words if w.endswith(("’s", "'s"))}
    words |= {w.split("-", 1)[0] for w in words if "-" in w}
    words |= {w.rstrip(".,;:") for w in words}
    return words


def _anchored(text: str, hay: str, pattern: re.Pattern[str], present: set[str]):
    """Non-overlapping matches of ``pattern`` tried only where a word of ``present`` begins in
    ``hay`` (``text`` or its lower-case form).

    Much faster than ``finditer`` for a long alternation: the few start words present in the
    text are found by set intersection and ``str.find``, both in C.
    """
    if not present:
        return
    positions = set()
    for w in present:
        i = hay.find(w)
        while i != -1:
            if i == 0 or not (hay[i - 1].isalnum() or hay[i - 1] in "-_"):
                positions.add(i)
            i = hay.find(w, i + 1)
    end = 0
    for i in sorted(positions):
        if i < end:
            continue
        m = pattern.match(text, i)
        if m:
            end = m.end()
            yield m


# --------------------------------------------------------------------------------------------
# Years


_YEAR = re.compile(r"(?<![\w$#§£€.,/:-])(17\d\d|18\d\d|19\d\d|20\d\d)(?![\w%]|[.,:]\d|\s*\(\w\))")
_YEAR_RANGE = re.compile(r"\b((?:17|18|19|20)\d\d)\s*[-–]\s*((?:17|18|19|20)\d\d)\b")
_YEAR_NOT_BEFORE = re.compile(
    r"(?:No\.?|Number|#|Section|Sec\.|§|U\.S\.C\.|Order|E\.O\.|EO|Room|Suite|Ste\.?|Box|Unit|"
    r"Apt\.?|Case|Bill|H\.R\.|H\.\s?Res\.|S\.|Rule|Form|Code|Route|Rte\.?|Highway|Hwy\.?|"
    r"Interstate|Flight|Ext\.?|ext\.?|Item|Docket|Chapter|Title|Article|Part|Public Law|P\.L\.|"
    r"Resolution|Proclamation|Amendment|pages?|pp\.|Vol\.?|Volume|ZIP|Zip)\s*$"
)
_YEAR_NOT_AFTER = re.compile(
    r"\s*(?:people|persons|residents|acres|units|miles|feet|foot|ft|yards|meters|metres|km|"
    r"kilometers|pounds|lbs|tons|tonnes|kg|grams|mg|gallons|liters|litres|employees|workers|"
    r"jobs|homes|houses|students|members|participants|customers|patients|cases|doses|calories|"
    r"hours|dollars|square|sq|percent|points|rooms|beds|seats|vehicles|cars|troops|officers|"
    r"children|kids|families|women|men|volunteers|attendees|visitors|signatures|votes)\b"
    r"|\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){1,3}(?:Street|St\b|Avenue|Ave\b|Road|Rd\b|"
    r"Boulevard|Blvd\b|Drive|Dr\b|Lane|Ln\b|Way|Court|Ct\b|Place|Pl\b|Parkway|Pkwy\b|Highway|"
    r"Circle|Terrace|Trail|Plaza|Square|Suite)"
)


def extract_years(text: str) -> list[int]:
    """Sorted distinct four-digit years (1700-2099) written in the text, not other numbers."""
    years: set[int] = set()
    for m in _YEAR_RANGE.finditer(text):
        if int(m.group(2)) > int(m.group(1)):
            years.update((int(m.group(1)), int(m.group(2))))
    for m in _YEAR.finditer(text):
        start, end = m.span()
        if _YEAR_NOT_BEFORE.search(text, max(0, start - 24), start):
            continue
        if _YEAR_NOT_AFTER.match(text, end):
            continue
        # "714-555-1917", "(714) 347-1996": phone numbers
        if re.search(r"\d{3}[\s.)-]+\d{3}[\s.-]+$", text[max(0, start - 12) : start]):
            continue
        years.add(int(m.group(1)))
    return sorted(years)


# --------------------------------------------------------------------------------------------
# Regions


@dataclass
class _Hit:
    """A place found at a position, before context decides which place a name means."""

    start: int
    surface: str
    candidates: list[Place]
    strong: bool = False  # a dateline / "City, State" / "X County" pattern: no threshold applies
    single: bool = False  # a one-word name (needs more evidence than "Moreno Valley")
    heading: bool = False  # found in a Title Case Heading, where every word is capitalised
    locative: bool = False  # after "in", "from", "near", ...: used as a place


@dataclass
class _RegionState:
    hits: list[_Hit] = field(default_factory=list)
    org_words: set[str] = field(default_factory=set)  # place names seen inside an org's name
    outside: set[str] = field(default_factory=set)  # names also found outside headings
    chosen: dict[str, tuple[int, Place]] = field(default_factory=dict)

    def add(self, start: int, place: Place) -> None:
        if place.key not in self.chosen or start < self.chosen[place.key][0]:
            self.chosen[place.key] = (start, place)


_CAP_RUN = re.compile(
    r"(?:[A-Z]|[À-Þ])[\w'’.&-]*(?:(?: |\u00a0| (?:of|and|de|del|la|el|the|y|du|des|do|da|"
    r"upon|on|in) )(?:[A-Z]|[À-Þ])[\w'’.&-]*)*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”()\[\]•|–—-]\s*|\n\s*)$")


def _line_bounds(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """Start and end of the line around ``pos``, or None when it runs further than ``limit``
    characters either way (bounded, so that a release on one huge line stays linear)."""
    ls = text.rfind("\n", max(0, pos - limit), pos)
    if ls == -1 and pos > limit:
        return None
    le = text.find("\n", pos, pos + limit)
    if le == -1 and pos + limit < len(text):
        return None
    return ls + 1, (le if le != -1 else len(text))


def _title_case_line(text: str, start: int) -> bool:
    """True when the line around ``start`` is a Title Case Heading (everything capitalised)."""
    bounds = _line_bounds(text, start, 250)
    if bounds is None:
        return False  # a long paragraph, not a heading
    line = text[bounds[0] : bounds[1]].strip()
    if not line or len(line) > 250 or line[-1] in ".;,":
        return False  # a sentence, not a heading
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if len(words) < 3:
        return len(words) > 1 and all(w[0].isupper() for w in words)
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|St\.|Mt\.|Ft\.|Jr\.|Sr\.|Dr\.|Mr\.|Ms\.|Mrs\.")
_HYPHEN_SUFFIX = re.compile(r"-(?:based|born|bred|headquartered|area|bound|made|style|led)$")


def _runs(text: str, firsts: dict[str, int]) -> Iterable[list[tuple[str, int]]]:
    """Runs of capitalised words as (token, offset) lists, split at the end of a sentence.

    A one-word run that starts no gazetteer name is skipped at once (most runs are "The").
    """
    for run in _CAP_RUN.finditer(text):
        raw = run.group()
        if " " not in raw and "\u00a0" not in raw:
            if raw in firsts or "-" in raw or _POSSESSIVE.sub("", raw.rstrip(".,:;")) in firsts:
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


def _lookup(g: Gazetteer, tokens: list[str]) -> tuple[str, list[Place] | None] | None:
    """The gazetteer entry for a token sequence, trying the forms text gives it."""
    surface = " ".join(tokens)
    forms = [surface]
    bare = _POSSESSIVE.sub("", surface.rstrip(".,:;"))
    if bare != surface:
        forms.append(bare)
    if surface.endswith(".") and surface.rstrip(".") not in forms:
        forms.append(surface.rstrip("."))
    if len(tokens) == 1 and "-" in bare:
        forms.append(bare.replace("-", " "))  # "Tel-Aviv"
        forms.append(_HYPHEN_SUFFIX.sub("", bare))  # "Dubai-based"
    for form in forms:
        if form in g.blocked:
            return form, None
        if form in g.names:
            return form, g.candidates(form)
    return None


def _scan_names(
    text: str, g: Gazetteer, state: _RegionState, persons: set[str], skip: list[tuple[int, int]]
) -> None:
    """Gazetteer look-up over runs of capitalised words, longest name first."""
    firsts = _first_words()
    for run in _runs(text, firsts):
        tokens = [t for t, _ in run]
        n_tok = len(tokens)
        heading: bool | None = None
        i = 0
        while i < n_tok:
            if not tokens[i][:1].isupper():
                i += 1
                continue
            found = None
            tok = tokens[i]
            longest = firsts.get(tok, 0)
            if tok[-1] in ".,:;'’s":  # "Texas's", "Dallas."
                longest = max(longest, firsts.get(_POSSESSIVE.sub("", tok.rstrip(".,:;")), 0))
            if "-" in tok:
                longest = max(longest, 1)
            if not longest:
                i += 1
                continue
            for n in range(min(longest, n_tok - i), 0, -1):
                if tokens[i + n - 1][:1].isupper():
                    found = _lookup(g, tokens[i : i + n])
                    if found:
                        break
            start = run[i][1]
            if not found:
                if "-" in tokens[i]:
                    _scan_compound(g, state, tokens[i], start)
                i += 1
                continue
            form, cands = found
            if (
                cands
                and form not in g.weak
                and form not in MONTHS
                and not any(a <= start < b for a, b in skip)
                and not (form.isupper() and _shouting(text, start))
            ):
                possessive = _POSSESSIVE.search(tokens[i + n - 1].rstrip(".,")) is not None
                prev = tokens[i - 1] if i > 0 else None
                prev2 = tokens[i - 2] if i > 1 else None
                nxt = None if possessive or i + n >= n_tok else tokens[i + n]
                if heading is None:
                    heading = _title_case_line(text, run[0][1])
                if form == "Washington" and _means_capital(text, start, nxt):
                    cands = [g.places["US-DC"]]
                initial = i == 1 and _SENTENCE_END.search(text[max(0, run[0][1] - 3) : run[0][1]])
                keep = _context_ok(form, cands, prev, prev2, nxt, heading, bool(initial), persons)
                if not keep and nxt and nxt.rstrip(".,;:'’s") in ORG_SUFFIX:
                    state.org_words.add(form)  # "Benton Institute": later "Benton has ..."
                if keep and " " not in form and all(p.kind == "city" for p in cands):
                    # a town named like a word the text also uses in lower case ("reading")
                    keep = not _has_word(text, form.lower())
                if keep and not heading:
                    state.outside.add(form)
                if keep:
                    state.hits.append(
                        _Hit(
                            start,
                            form,
                            cands,
                            single=" " not in form,
                            heading=heading,
                            locative=_LOCATIVE.search(text, max(0, start - 16), start) is not None,
                        )
                    )
            i += n


_LOCATIVE = re.compile(
    r"\b(?:in|at|from|to|near|of|across|throughout|outside|inside|around|visit|visiting|"
    r"visited|towards?|into|via|between|and)[ \t]+(?:the[ \t]+)?$"
    r"|\b\d{1,3}[ \t]*,[ \t]*$"  # "Cara Cruz-Thompson, 47, Victorville"
)


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


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in running text as a word of its own (not inside a URL or file
    name such as "pneumonia_wuhan_eng.pdf"); ``str.find``, no regex compile per word."""
    i = text.find(word)
    while i != -1:
        end = i + len(word)
        before = text[i - 1] if i else " "
        after = text[end : end + 2] + "  "
        if (before.isspace() or before in "(\"'“‘") and (
            after[0].isspace()
            or (after[0] in ",;:!?)\"'”’." and after[1].isspace())
            or after in ("'s", "’s")  # "Trump's"
        ):
            return True
        i = text.find(word, end)
    return False


@lru_cache(maxsize=1)
def _first_words() -> dict[str, int]:
    """First word of every gazetteer name -> the most words a name starting with it has."""
    g = gazetteer()
    out: dict[str, int] = {}
    for surface in (*g.names, *g.blocked):
        words = surface.split(" ")
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


def _scan_compound(g: Gazetteer, state: _RegionState, token: str, start: int) -> None:
    """Places joined by hyphens: "U.S.-Singapore", "China-Japan" (countries and states only)."""
    parts = _POSSESSIVE.sub("", token.rstrip(".,")).split("-")
    if len(parts) < 2:
        return
    offset = start
    for part in parts:
        places = [p for p in g.candidates(part) if p.kind in ("country", "state", "province")]
        if places and part not in g.weak:
            state.hits.append(_Hit(offset, part, places, single=True))
        offset += len(part) + 1


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
    if nxt is not None:
        word = nxt.rstrip(".,;:'’s")
        if nxt in ORG_SUFFIX or word in ORG_SUFFIX:
            # "Harris County Institute of Forensic Sciences" is the county's own institute
            if not (word == "Institute" and all(p.kind == "county" for p in cands)):
                return False
        elif (
            not heading
            and nxt[:1].isupper()
            and word not in GOV_FOLLOW
            and word not in _rules().title_words
        ):
            return False
    if prev is not None:
        if prev in DIRECTIONAL:
            return False
        if prev in ("of", "de") and prev2 in ORG_OF:
            return False
        if (
            not heading
            and not prev_initial
            and prev[:1].isupper()
            and prev not in FUNCTION_WORDS
            and prev.rstrip(".") not in GOV_FOLLOW
            and prev not in _rules().title_words
            and not (prev.isupper() and len(prev) <= 5)  # an agency acronym: "SDSO San Marcos"
        ):
            return False
    return True


_STATE_ABBR_RE = r"[A-Z][a-z]{1,4}\.(?: ?[A-Z][a-z]?\.)?|[A-Z]\.[A-Z]\.|[A-Z]{2}(?![\w])"


# ", Calif.", ", TX", ", New Hampshire": what may follow a city. The city is then read
# backwards from the comma, so that in "Caribou, Maine Stowe, Vermont" every pair is found.
_COMMA_STATE = re.compile(
    r",[ \u00a0]+(?P<state>" + _STATE_ABBR_RE + r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
    r"(?=$|[\s,.;:)\]–—/-])",
    re.MULTILINE,
)
_CITY_BEFORE = re.compile(
    r"(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:[ -](?:[A-Z][\w'’.-]*|de|del|la|of|on|upon))*$"
)


def _state_place(g: Gazetteer, state: str) -> Place | None:
    """The state/province/country named after a city's comma: a full name or an abbreviation."""
    key = g.abbreviations.get(state) or g.abbreviations.get(state.replace(" ", ""))
    if key:
        return g.places.get(key)
    for p in g.candidates(state):
        if p.kind in ("state", "province", "country"):
            return p
    return None


def _scan_city_state(
    text: str, g: Gazetteer, state: _RegionState, persons: set[str]
) -> list[tuple[int, int]]:
    """ "City, State" pairs; returns the spans it read (and postal addresses, which name no
    place), for the names pass to skip."""
    addresses: list[tuple[int, int]] = []
    for m in _COMMA_STATE.finditer(text):
        city_match = _CITY_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if city_match is None:
            continue
        region = None
        words = m.group("state").split(" ")
        for k in range(len(words), 0, -1):  # "Maine Stowe" -> "Maine"
            region = _state_place(g, " ".join(words[:k]))
            if region is not None:
                state_end = m.start("state") + len(" ".join(words[:k]))
                break
        if region is None:
            continue
        if re.match(r"[ \u00a0]+\d{5}\b", text[state_end : state_end + 8]):
            # "Dallas, Texas 75207": a postal address, not a place of the release
            addresses.append((city_match.start(), state_end))
            continue
        city_words = _city_words(g, city_match.group().split())
        if not city_words or (city_words[-1] in persons and len(city_words) > 1):
            continue
        city_start = m.start() - len(" ".join(city_words))
        dateline = _is_dateline(text, city_start)
        name = " ".join(city_words)
        if name.isupper():
            name = _titlecase(name)
        elif not dateline and (
            name in persons
            or name in g.blocked
            or any(w in FUNCTION_WORDS or w in MONTHS or w in WEEKDAYS for w in city_words)
        ):
            continue
        region_is_country = region.kind == "country"
        country = region.country
        parent_key = None if region_is_country else region.key
        city = _find_city(g, name, country, parent_key)
        if city is None and region.code == "US-DC":
            city = region  # "Washington, D.C." is the DC entry itself
        if city is None:
            # a state/country before the comma ("Florida, Texas, Ohio"): a list, not a city
            if not dateline and any(p.kind != "city" for p in g.candidates(name)):
                continue
            # "Board of Parole Hearings, California": an office, not a town
            if not dateline and any(w in NAME_STOP and w not in GEO_WORDS for w in city_words):
                continue
            if not (dateline or _pattern_context(text, city_start, g)):
                continue
            if not dateline and (region_is_country or region.country not in ("US", "CA", "AU")):
                continue  # "X, Israel" with an unknown X: too weak outside a dateline
            city = Place(
                f"{country}/{parent_key}/city/{name}",
                name,
                None,
                country,
                "city",
                parent=parent_key,
            )
        state.hits.append(_Hit(city_start, name, [city], strong=True))
        state.hits.append(_Hit(m.start("state"), region.name, [region], strong=True))
        addresses.append((city_start, state_end))  # the names pass must not read it again
    return addresses


def _city_words(g: Gazetteer, words: list[str]) -> list[str]:
    """The words before "X, State" that name the city: what follows the last other place or
    sentence word ("Upper Peninsula of Michigan Caribou" -> "Caribou")."""
    start = 0
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            if i + n <= len(words) and _is_region_word(g, " ".join(words[i : i + n])):
                i += n
                start = i
                break
        else:
            w = words[i]
            if w in FUNCTION_WORDS or w in _rules().title_words or w in MONTHS or w in WEEKDAYS:
                start = i + 1
            i += 1
    out = words[start:][-3:]
    while out and not out[0][:1].isupper():
        out.pop(0)
    return out


def _is_region_word(g: Gazetteer, word: str) -> bool:
    return any(p.kind in ("state", "province", "country") for p in g.candidates(word))


def _titlecase(name: str) -> str:
    return " ".join(
        w if w.lower() in ("de", "del", "la", "of") else w[:1] + w[1:].lower() for w in name.split()
    )


def _is_dateline(text: str, start: int) -> bool:
    """A city at the start of a line or paragraph, or in "(City, ST)" opening one."""
    ls = text.rfind("\n", max(0, start - 8), start)
    if ls == -1 and start > 8:
        return False
    return text[ls + 1 : start].strip() in ("", "(")


def _pattern_context(text: str, start: int, g: Gazetteer) -> bool:
    """An unknown "X, State" is a city when introduced like one ("in X", "of X", a list)."""
    before = text[max(0, start - 40) : start]
    if re.search(
        r"(?:\b(?:in|of|from|at|near|to|based|headquartered|located|city|town|visit|and|&)\s+"
        r"|[;:,]\s+)$",
        before,
    ):
        return True
    # a list of "City, State" pairs without separators: "Caribou, Maine Stowe, Vermont"
    m = re.search(r"((?:[A-Z][\w.]* ){1,3})$", before)
    words = m.group(1).split() if m else []
    return any(_is_region_word(g, " ".join(words[k:])) for k in range(len(words)))


def _find_city(g: Gazetteer, name: str, country: str, parent: str | None) -> Place | None:
    for p in g.candidates(name):
        if (
            p.kind in ("city", "district")
            and p.country == country
            and (parent is None or p.parent in (None, parent))
        ):
            return p
    for p in g.candidates(name):
        if p.code and p.kind == "city" and p.country == country:
            return p
    return None


_COUNTY_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?"
_COUNTIES_LIST = re.compile(
    rf"((?:{_COUNTY_NAME},\s+)*{_COUNTY_NAME},?\s+(?:and|&)\s+{_COUNTY_NAME})\s+[Cc]ounties\b"
)
_CONDADO = re.compile(
    r"\b[Cc]ondados?\s+de\s+((?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)"
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)*(?:\s+y\s+[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)?)"
)
# "SANTA ANA – The ...", "CHICAGO — ...": a dateline city without a state
_DATELINE = re.compile(
    r"^[ \t(]*(?P<city>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})[ \t]*[–—]", re.M
)
_EP_MEMBER = re.compile(r"\((?:" + EP_GROUPS + r")\s*,\s*([A-Z]{2})\)")


def _scan_patterns(text: str, g: Gazetteer, state: _RegionState) -> list[tuple[int, int]]:
    """County lists ("Dallas, Collin and Tarrant counties"), EP member countries "(S&D, DE)",
    datelines without a state ("SANTA ANA –"). Returns the spans the names pass must skip."""
    spans = []
    for rx, needle in ((_COUNTIES_LIST, "ounties"), (_CONDADO, "ondado")):
        if needle not in text:
            continue
        for m in rx.finditer(text):
            spans.append(m.span(1))
            for part in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|y)\s+", m.group(1)):
                name = f"{part.strip().rstrip('.,;:')} County"
                cands = [p for p in g.candidates(name) if p.kind == "county"]
                if cands:
                    state.hits.append(_Hit(m.start(1), name, cands, strong=True))
    for m in _DATELINE.finditer(text):
        name = _titlecase(m.group("city"))
        places = [p for p in g.candidates(name) if p.kind in ("city", "state", "province")]
        if name == "Washington":
            places = [g.places["US-DC"]]  # the "WASHINGTON –" dateline is the capital
        if places:
            state.hits.append(_Hit(m.start("city"), name, places, strong=True))
    for m in _EP_MEMBER.finditer(text) if "(" in text else ():
        code = {"EL": "GR", "UK": "GB"}.get(m.group(1), m.group(1))
        place = g.places.get(code)
        if place is not None:
            state.hits.append(_Hit(m.start(1), code, [place], strong=True))
    return spans


# Population a city needs to count when nothing else in the release points to its country.
MIN_POPULATION_ALONE = 100_000
MIN_POPULATION_ALONE_MULTIWORD = 15_000


def _resolve_hits(state: _RegionState) -> None:
    """Pick one place per name using the other places of the release, then apply thresholds."""
    countries: set[str] = set()
    parents: set[str] = set()
    for h in state.hits:
        kinds = {(p.country, p.parent) for p in h.candidates}
        if len({c for c, _ in kinds}) == 1 and (h.strong or h.candidates[0].kind != "city"):
            countries.add(h.candidates[0].country)
            if len(h.candidates) == 1:
                only = h.candidates[0]
                if only.kind in ("state", "province"):
                    parents.add(only.key)
                if only.parent:
                    parents.add(only.parent)
    # patterns first (datelines, "City, State"): what they decide is context for the rest
    for strong_pass in (True, False):
        for h in state.hits:
            if h.strong != strong_pass:
                continue
            best = _choose(state, h, countries, parents)
            if best is not None:
                state.add(h.start, best)
                if strong_pass:
                    countries.add(best.country)
                    parents.update(k for k in (best.parent,) if k)


def _choose(state: _RegionState, h: _Hit, countries: set[str], parents: set[str]) -> Place | None:
    """The place a hit names given the release's countries and states, or None to drop it."""
    cands = h.candidates
    # a one-word city seen only in a Title Case Heading ("... from Humble Beginnings") is too
    # weak: in a heading every word is capitalised
    heading_only = h.heading and h.single and not h.strong and h.surface not in state.outside
    # "Benton has ..." after "the Benton Institute": the organisation, not the town
    org_short = h.single and h.surface in state.org_words and not h.strong
    if (heading_only or org_short) and all(p.kind == "city" for p in cands):
        return None
    if len(cands) == 1:
        best = cands[0]
    else:
        best = min(
            cands,
            key=lambda p: (
                p.key not in parents,
                p.country not in countries,
                _rank(p),  # the state Delaware before Delaware, Ohio
                not (p.parent and p.parent in parents),  # Arlington, Texas in a Texas release
                -p.population,
            ),
        )
    # a big city named like its province ("Istanbul", "Lisbon", "Zurich") is the city
    big = [
        p
        for p in cands
        if p.kind == "city" and p.country == best.country and p.population >= 400_000
    ]
    if best.kind in ("state", "province") and big:
        best = big[0]
    in_context = best.country in countries or (best.parent in parents)
    if not in_context and best.kind in ("state", "province"):
        # a foreign department against a big city, nothing deciding: "Santa Ana" is
        # Santa Ana, California (310,000 people) rather than El Salvador's department
        cities = [
            p
            for p in cands
            if p.kind == "city" and p.population >= 100_000 and p.country != best.country
        ]
        if cities:
            best = max(cities, key=lambda p: p.population)
    if best.kind == "city" and not h.strong and not best.code and not in_context:
        floor = MIN_POPULATION_ALONE if h.single else MIN_POPULATION_ALONE_MULTIWORD
        # a one-word name out of context must also be used as a place ("in Wuhan"), not
        # as a name ("Kennedy said")
        if best.population < floor or (h.single and not h.locative):
            return None
    return best


_PAIR = re.compile(
    r"\b([A-Z][a-z]+)[ \u00a0]+(?:[A-Z]\.[ \u00a0]+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b"
    r"(?![ \u00a0]+[A-Z])"
)


def _person_words(text: str, g: Gazetteer) -> set[str]:
    """Name words of people named "Given Surname" in the text ("Victoria Anderson") that are
    also place names, so that "Anderson" alone later on is not taken for the town."""
    out: set[str] = set()
    for m in _PAIR.finditer(text):
        given, surname = m.group(1), m.group(2)
        if given not in g.names and surname not in g.names:
            continue  # only names that are also places matter here
        if re.search(r"[A-Z][\w.]*[ \u00a0]$", text[max(0, m.start() - 30) : m.start()]):
            continue  # part of a longer capitalised run: "New Hampshire Taos"
        if given in NAME_STOP or given in _rules().title_words:
            continue
        if any(p.kind != "city" for p in g.candidates(given)):
            continue  # "Maine Stowe" in a list of places; but "George Martinez" is a person
        if f"{given} {surname}" in g.names or surname in NAME_STOP:
            continue
        out.update((given, surname))
    return out


@lru_cache(maxsize=4096)
def _title_regions(text: str) -> list[Place]:
    """The places in an office's words ("Orange County", "of South Jeolla Province")."""
    g = gazetteer()
    state = _RegionState()
    _scan_names(text, g, state, set(), [])
    for h in state.hits:
        h.heading = False  # a title's few words look like a heading; they are not one
        h.locative = True  # "Mayor of London": the office says it is a place
    _resolve_hits(state)
    return [place for _, place in sorted(state.chosen.values(), key=lambda sp: sp[0])]


def _rank(p: Place) -> int:
    return {"country": 0, "state": 1, "province": 1, "county": 2, "city": 3}.get(p.kind, 4)


def _regions(text: str, persons: Iterable[str] = ()) -> list[Place]:
    g = gazetteer()
    state = _RegionState()
    persons = set(persons)
    persons |= _person_words(text, g)
    skip = _scan_city_state(text, g, state, persons)
    skip += _scan_patterns(text, g, state)
    _scan_names(text, g, state, persons, skip)
    _resolve_hits(state)
    out: list[Place] = []
    seen: set[object] = set()
    for _, place in sorted(state.chosen.values(), key=lambda sp: sp[0]):
        # one facet value per place: same code, or same name for code-less places
        ident = place.code or (place.name, place.kind, place.country)
        if ident not in seen:
            seen.add(ident)
            out.append(place)
    return out


def extract_regions(text: str) -> list[dict[str, Any]]:
    """Places named in the text, canonical and in order of first mention."""
    officials = extract_officials(text)
    return [p.as_dict() for p in _regions(text, _person_tokens(officials))]


def _person_tokens(officials: list[dict[str, Any]]) -> set[str]:
    """Names and single name words of people: "Jordan" the senator is not the country."""
    out: set[str] = set()
    for o in officials:
        out.add(o["name"])
        out.update(w for w in o["name"].split() if len(w) > 2)
    return out


# --------------------------------------------------------------------------------------------
# Officials


@dataclass
class _Mention:
    name: str
    title: str
    start: int
    region_text: str = ""


_NAME_AT_START = re.compile(rf"[ \t\u00a0]*{HONORIFIC}?(?P<name>{NAME})")
_NAME_AT_END = re.compile(
    rf"(?P<name>{NAME})[ ]*,[ ]*(?P<art>(?:the|a|an|our|its|their|his|her){_SP})?"
    rf"(?P<mods>(?:[{UPPER}][\w&'’.-]*{_SP}){{0,6}})$"
)
_OF_TAIL = re.compile(
    rf"{_SP}(?:of|for|at|with|de|del){_SP}(?:the{_SP}|la{_SP}|el{_SP})?(?P<org>(?:[{UPPER}][\w&'’.-]*)"
    rf"(?:{_SP}(?:[{UPPER}][\w&'’.-]*|and|&|of|for|the))*)"
)
_CONTACT = re.compile(r"(?i)(?:media|press|news)?\s*contacts?\s*:?|public information officer")
# The signature of a presidential document or letter: "JOSEPH R. BIDEN JR." on its own line,
# after "Sincerely," or before "THE WHITE HOUSE,".
# "NOW, THEREFORE, I, JOSEPH R. BIDEN JR., President of the United States of America, ..."
_FIRST_PERSON = re.compile(
    r"\bI,[ \t]+(?P<name>[A-Z][A-Za-z.'’-]+(?:[ \t]+[A-Z][A-Za-z.'’-]*){1,4}),[ \t]+"
    r"(?P<title>President|Governor|Mayor|Prime Minister|Secretary|Chancellor)\b"
    r"(?:[ \t]+of[ \t]+(?:the[ \t]+)?(?P<of>[A-Z][\w.]*(?:[ \t]+(?:of|[A-Z][\w.]*))*))?"
)
_CAPS_NAME = r"[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]*){1,4}"
_SIGNATURE = re.compile(
    rf"Sincerely,[ \t]*\n\s*(?P<a>{_CAPS_NAME})[ \t]*$"
    rf"|^[ \t]*(?P<b>{_CAPS_NAME})[ \t]*\n\s*THE WHITE HOUSE"
    rf"|\n\n[ \t]*(?P<c>{_CAPS_NAME})[ \t]*\s*\Z",  # a memorandum's last line
    re.MULTILINE,
)


def _clean_name(raw: str) -> str:
    """Trim a captured name to the words that can be a person's name."""
    raw = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip(" ,")
    words = raw.split(" ")
    out: list[str] = []
    for w in words:
        bare = _POSSESSIVE.sub("", w) if w[-2:] in ("'s", "’s") else w
        if bare.rstrip(",") in ORG_SUFFIX and out:
            return ""  # "Queen Elizabeth Hospital": the name of a thing, not a person
        if bare.rstrip(",") in NAME_STOP and bare not in NAME_SUFFIXES:
            break
        if bare in _rules().title_words and bare not in NAME_SUFFIXES and len(bare) > 2:
            break
        out.append(bare.rstrip(","))
        if bare != w:
            break  # a possessive ends the name
    while out and re.fullmatch(r"[A-Z]\.?", out[-1]):
        out.pop()  # a trailing initial is the start of something else
    while out and out[0].lower() in {"de", "van", "von", "da", "del", "la", "le", "al"}:
        out.pop(0)
    if out and out[-1] in NAME_SUFFIXES and len(out) == 1:
        return ""
    name = " ".join(out)
    # "JOSEPH R. BIDEN JR." in a signature line
    if name.isupper() and len(name) > 3:
        name = " ".join(
            w if re.fullmatch(r"[A-Z]\.|II|III|IV", w) else w[:1] + w[1:].lower() for w in out
        )
    return name


def _valid_name(name: str, gaz: Gazetteer) -> bool:
    if not name or len(name) < 3:
        return False
    words = name.split()
    core = [w for w in words if w not in NAME_SUFFIXES and not re.fullmatch(r"[A-Z]\.", w)]
    if not core:
        return False
    # a lone word must look like a surname, not an acronym
    if len(words) == 1 and name.isupper():
        return False
    if len(words) > 1 and name in gaz.names:
        return False  # "San Francisco", "Santa Ana": a place after the comma, not a person
    return not any(p.kind in ("country", "state", "province") for p in gaz.candidates(name))


def _in_contact_block(text: str, start: int) -> bool:
    """A name in a media-contact block ("Media Contact: Jane Doe, Public Information ...")."""
    ls = text.rfind("\n", max(0, start - 400), start)
    window = text[max(0, ls - 120, start - 400) : start]
    lower = window.lower()
    return "contact" in lower and bool(_CONTACT.search(window[-160:]))


_FORMER_WORDS = ("former", "late", "ex-", "then-", "retired")


def _was_former(before: str) -> bool:
    """ "former Harris County prosecutor ...": a past office is not an office."""
    tail = before[-80:]
    low = tail.lower()
    return any(w in low for w in _FORMER_WORDS) and _FORMER.search(tail) is not None


_SPEECH = (
    r"(?:has|had|is|was|said|says|will|added|adds|noted|explained|stated|stressed|told|"
    r"announced|dijo|afirmó|señaló|agregó|explicó|declaró)"
)
# what may follow a name that a title introduced after a comma ("..., Dr Raymond Lai, said")
_NAME_END = rf"(?=[ \t]*[,.;:(]|[ \t]+{_SPEECH}\b|[ \t]*$)"


_PREFIX = re.compile(r"((?:(?:[A-Z][\w'’&-]*|U\.S\.|St\.)[ \t]+){1,4})$")
_FORMER = re.compile(
    r"\b(?:[Ff]ormer|[Ll]ate|[Ee]x-|[Tt]hen-|[Rr]etired)[ \t]*(?:[A-Z][\w.'’-]*[ \t]+){0,4}$"
)


def _find_mentions(text: str) -> list[_Mention]:
    """Every titled mention of a person, in text order (several per person before merging)."""
    gaz = gazetteer()
    mentions: list[_Mention] = []
    rules = _rules()
    lower = text.lower()
    words = _words_of(lower)
    for m in _anchored(text, lower, rules.title, words & rules.starts):
        before = text[max(0, m.start() - 160) : m.start()]
        # "former Harris County prosecutor Paul Darrow": a past office is not an office
        if _was_former(before):
            continue
        mention = _mention_at_title(text, m, before, gaz)
        if mention and not _in_contact_block(text, m.start()):
            mentions.append(mention)
    mentions += _plural_mentions(text, gaz, words)
    for m in (
        _POST_TITLE.finditer(text) if re.search(r"\bM[E]?P\b|\bMLA\b|\bMSP\b|\bTD\b", text) else ()
    ):
        words = m.group("name").split()
        while words and (words[0] in NAME_STOP or words[0].rstrip(".") in HONORIFIC_WORDS):
            words.pop(0)  # "The Hon Greg Hunt MP"
        name = _clean_name(" ".join(words))
        if len(name.split()) >= 2 and _valid_name(name, gaz):
            mentions.append(_Mention(name, m.group("title"), m.start()))
    mentions += _founder_mentions(text, gaz)
    for m in _FIRST_PERSON.finditer(text) if "I, " in text else ():
        name = _clean_name(m.group("name"))
        if len(name.split()) >= 2 and _valid_name(name, gaz):
            title = _title_label(m.group("title"))
            mentions.append(_Mention(name, title, m.start("name"), m.group("of") or ""))
    for m in _SIGNATURE.finditer(text):
        caps = m.group("a") or m.group("b") or m.group("c")
        # title case first, so that "FOR IMMEDIATE RELEASE" meets the stop words as "For ..."
        name = _clean_name(
            " ".join(
                w if re.fullmatch(r"[A-Z]\.|II|III|IV", w) else w.title() for w in caps.split()
            )
        )
        if len(name.split()) >= 2 and _valid_name(name, gaz):
            title = "President" if "WHITE HOUSE" in text.upper() else "Signatory"
            mentions.append(_Mention(name, title, m.start()))
    mentions.sort(key=lambda x: x.start)
    return mentions


def _mention_at_title(text: str, m: re.Match[str], before: str, gaz: Gazetteer) -> _Mention | None:
    """The person a title match introduces, if any, trying the constructions in turn."""
    title, s, e = m.group(0), m.start(), m.end()
    label = _title_label(title)
    capital = title[:1].isupper()
    head = m.group("head").lower()
    if not capital and head in LOWERCASE_NOT_TITLES:
        return None  # "a premier provider", "the speaker system"
    after = text[e : e + 200]
    tail = _OF_TAIL.match(after)

    def ok(name: str, rest: str = "") -> bool:
        return bool(name) and _valid_name(name, gaz) and not _followed_by_org(rest)

    # 1. title before the name: "Mayor Gong Zheng", "said rapporteur Ismail Ertug"
    nm = _NAME_AT_START.match(after)
    if nm and not after.startswith((",", " ,")):
        name = _heading_name(text, e + nm.start("name"), _clean_name(nm.group("name")))
        lone_ok = capital or (
            len(name.split()) >= 2
            and not re.search(r"\b(?:a|an|the|one|another|each|every)\s*$", before)
        )
        if head in NEEDS_FULL_NAME and len(name.split()) < 2 and not m.group("mods"):
            lone_ok = False  # "Youth Justice Action Month": "Justice" + a word
        if lone_ok and ok(name, after[nm.start("name") + len(name) :]):
            # the office's own words name its place: "Orange County Supervisor", "Shanghai Mayor"
            prefix = _PREFIX.search(before[-70:])
            return _Mention(name, label, e, (prefix.group(1) if prefix else "") + title)
    # 1b. the name closes an "of ..." run: "Secretary of Homeland Security Alejandro Mayorkas"
    comma_name = tail and re.match(
        rf"[ \t]*,[ \t]*{HONORIFIC}?{NAME}{_NAME_END}", after[tail.end() :]
    )
    if tail and capital and not comma_name:
        org_words = tail.group("org").split()
        name_words = _name_from_tail(org_words)
        name = _clean_name(" ".join(name_words))
        if name_words and ok(name, after[tail.end() :]):
            region = " ".join(org_words[: len(org_words) - len(name_words)])
            return _Mention(name, label, e, region)
    # 1c. "EP rapporteur on alternative fuels infrastructure Ismail Ertug (S&D, DE) said"
    long = tail is None and re.match(
        rf"{_SP}(?:on|for|of){_SP}(?:[a-z][\w-]*{_SP}){{1,8}}(?P<name>{NAME})"
        rf"(?=[ \t]*\(|[ \t]+{_SPEECH}\b)",
        after,
    )
    if long:
        name = _clean_name(long.group("name"))
        if len(name.split()) >= 2 and ok(name):
            return _Mention(name, label, e)
    # 2. name, then title: "Kim Yung-rok, the governor of ...", "Jane Roe, CEO of X",
    # "named Patrick Cornbill as the Federal Coordinating Officer"
    near = before[-110:]
    ap = ("," in near and _NAME_AT_END.search(near)) or (" as " in near and _NAME_AS.search(near))
    if ap and "\n" not in ap.group(0):
        name = _clean_name(ap.group("name"))
        if len(name.split()) >= 2 and ok(name):
            region = (ap.group("mods") or "") + (tail.group("org") if tail else "")
            return _Mention(name, label, s - len(ap.group(0)), region)
    # 3. "the Chief Infection Control Officer of the Hospital Authority, Dr Raymond Lai, said",
    # "As President of Atamian Honda in Tewksbury, MA, Reed Atamian has ..."
    rest = after[tail.end() :] if tail else after
    hk = re.match(
        rf"(?:{_SP}in{_SP}[A-Z][\w.'’-]*(?:{_SP}[A-Z][\w.'’-]*)*(?:,{_SP}[A-Z][\w.]*)?)?"
        rf"[ \t]*,[ \t]*{HONORIFIC}?(?P<name>{NAME}){_NAME_END}",
        rest,
    )
    # a lower-case title after an article: "El fiscal de distrito del condado de Dallas, John"
    after_article = re.search(r"\b(?:[Tt]he|[Ee]l|[Ll]a)[ \t]+$", before[-8:]) is not None
    if hk is None and after_article:
        # "the president of the company, John Smith, said", "El fiscal de distrito del condado
        # de Dallas, John Creuzot, dijo": the name and a speech verb close the phrase
        hk = re.match(
            rf"(?:{_SP}[\w'’.-]+){{0,7}}?[ \t]*,[ \t]*{HONORIFIC}?(?P<name>{NAME}),?"
            rf"[ \t]+{_SPEECH}\b",
            after,
        )
    if hk and (capital or after_article):
        name = _clean_name(hk.group("name"))
        if len(name.split()) >= 2 and ok(name):
            return _Mention(name, label, e, tail.group("org") if tail else "")
    return None


_NAME_AS = re.compile(
    rf"(?P<name>{NAME}){_SP}as{_SP}(?:the|a|an|its|our|their){_SP}"
    rf"(?P<mods>(?:[{UPPER}][\w&'’.-]*{_SP}){{0,6}})$"
)
_FOUNDED_BY = re.compile(
    rf"\b[Ff]ounded(?:{_SP}in{_SP}\d{{4}})?{_SP}by{_SP}(?:[a-z][\w-]*{_SP}){{0,4}}"
    rf"(?:(?:[A-Z][\w.'’-]*{_SP}){{0,4}}(?:prosecutor|attorney|executive|educator|"
    rf"entrepreneur|engineer|physician|doctor|veteran|lawyer|officer|agent){_SP}|,{_SP})?"
    rf"(?P<name>{NAME})"
)


def _founder_mentions(text: str, gaz: Gazetteer) -> list[_Mention]:
    """Company founders named in a "founded by" phrase ("founded by ... Paul Darrow")."""
    out = []
    for m in _FOUNDED_BY.finditer(text) if "ounded" in text else ():
        if re.match(r"[ \t]+in[ \t]+1[0-8]\d\d\b", text[m.end() : m.end() + 10]):
            continue  # "founded by Clara Barton in 1881": history, not an officer
        name = _clean_name(m.group("name"))
        if len(name.split()) >= 2 and _valid_name(name, gaz):
            out.append(_Mention(name, "Founder", m.start("name")))
    return out


def _plural_mentions(text: str, gaz: Gazetteer, words: set[str]) -> list[_Mention]:
    """Lists after a plural title: "Senators Cornyn, Coons, and Durbin"."""
    out = []
    rules = _rules()
    present = {p for p in rules.plural_starts if p.lower() in words}
    for m in _anchored(text, text, rules.plural, present):
        if _was_former(text[max(0, m.start() - 80) : m.start()]):
            continue
        mods = re.search(
            rf"((?:{TITLE_MODIFIER}{_SP})+)$", text[max(0, m.start() - 60) : m.start()]
        )
        title = _title_label((mods.group(1) if mods else "") + m.group("title").rstrip("s."))
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("list")):
            name = _clean_name(part)
            if name and _valid_name(name, gaz):
                out.append(_Mention(name, title, m.start("list")))
    return out


def _followed_by_org(rest: str) -> bool:
    """A "name" followed by "Hospital", "Foundation", ", Inc." ... names a thing ("Queen
    Elizabeth Hospital", "Reed Atamian Scholarship", "Portfolio Solutions Distributor, Inc.")."""
    if re.match(r",?[ \t\u00a0]*(?:Inc|LLC|Ltd|Corp|Co|PLC|GmbH|S\.A|N\.V|AG)\b", rest):
        return True
    m = re.match(r"[ \t\u00a0]+([A-Z][\w'’-]*)", rest)
    return bool(m and m.group(1) in ORG_SUFFIX)


_HEADING_VERB = re.compile(r"[A-Z][a-z]+(?:ing|es|s)$")


def _heading_name(text: str, at: int, name: str) -> str:
    """In a Title Case Heading a name runs into the next words ("Todd Spitzer Clears Newport",
    "Jake Sullivan Welcoming the ..."): keep the longest leading part of the name that the
    text also writes elsewhere, else drop trailing verb-like words."""
    words = name.split()
    if not words or not _title_case_line(text, at):
        return name
    ls = text.rfind("\n", 0, at) + 1
    le = text.find("\n", at)
    le = len(text) if le == -1 else le
    rest = text[:ls] + " " + text[le:]
    if len(words) == 1:
        # "DA Charges Former Employee": a lone heading word is a name only if the text
        # uses it elsewhere too
        return name if _has_word(rest, name) else ""
    for k in range(len(words), 0, -1):
        if _has_word(rest, " ".join(words[:k])):
            return " ".join(words[:k])
    while len(words) > 2 and _HEADING_VERB.fullmatch(words[-1]):
        words.pop()
    if len(words) == 2 and _HEADING_VERB.fullmatch(words[0]):
        return ""  # "DA Kicks Off Campaign": a verb, not a given name
    return " ".join(words)


def _name_from_tail(words: list[str]) -> list[str]:
    """The person at the end of an "of ..." run: "of Homeland Security Alejandro Mayorkas".

    At most two name words (plus initials and suffixes): the words before them name the office.
    """
    for i, w in enumerate(words):
        if w.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|St\.|Jr\.|Sr\.", w):
            words = [*words[:i], w.rstrip(".")]  # the sentence ends here
            break
    out: list[str] = []
    core = 0
    names = gazetteer().names
    for w in reversed(words):
        # the office's words end where a stop word, a title word or a place name is
        if (w in NAME_STOP and w not in NAME_SUFFIXES) or not w[:1].isupper() or w in names:
            break
        if w in _rules().title_words and w not in NAME_SUFFIXES:
            break
        if w not in NAME_SUFFIXES and not re.fullmatch(r"[A-Z]\.", w):
            if core == 2:
                # "President of the American Red Cross": no word marks where an office's
                # name ends and a person's begins, so it is not a person
                return []
            core += 1
        out.insert(0, w)
    if core < 2 or len(out) == len(words):
        return []
    return out


def _title_label(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return title[:1].upper() + title[1:]


def _merge(mentions: list[_Mention], text: str) -> list[_Mention]:
    """One entry per person under the fullest name ("Governor Kim" joins "Kim Yung-rok")."""
    people: list[_Mention] = []
    # people by the first and last words of their names: a match shares one of them, and the
    # index keeps merging linear in the number of mentions
    by_word: dict[str, list[int]] = {}

    def index(i: int) -> None:
        words = [w for w in people[i].name.split() if w not in NAME_SUFFIXES] or [""]
        for w in {words[0], words[-1]}:
            if i not in by_word.setdefault(w, []):
                by_word[w].append(i)

    for m in mentions:
        target = None
        mw = [w for w in m.name.split() if w not in NAME_SUFFIXES]
        if not mw:
            continue
        for i in sorted({*by_word.get(mw[0], []), *by_word.get(mw[-1], [])}):
            if _same_person(mw, m.title, people[i]):
                target = people[i]
                break
        if target is None:
            people.append(_Mention(m.name, m.title, m.start, m.region_text))
            index(len(people) - 1)
            continue
        if _fullness(m.name) > _fullness(target.name):
            target.name = m.name
            index(people.index(target))
        if not target.region_text and m.region_text:
            target.region_text = m.region_text
    # a surname alone gets the full name written elsewhere ("Mr. Sullivan" -> "Jake Sullivan"),
    # all surnames in one pass over the text
    lone = {p.name: p for p in people if " " not in p.name}
    if lone:
        forms: dict[str, set[str]] = {name: set() for name in lone}
        alternatives = "|".join(re.escape(n) for n in sorted(lone, key=len, reverse=True))
        pattern = rf"\b((?:[A-Z][a-z]+|[A-Z]{{2}})(?: [A-Z]\.)? ({alternatives}))\b(?!['’-])"
        rules = _rules()
        for m in re.finditer(pattern, text):
            given = m.group(1).split()[0]
            if given in NAME_STOP or given in rules.title_words or given in rules.plural_starts:
                continue
            # after a bullet a capitalised verb can precede it: "- Establishes Trump Accounts"
            if re.search(r"(?:^|\n)[ \t]*[-•*][ \t]*$", text[max(0, m.start() - 4) : m.start()]):
                continue
            forms[m.group(2)].add(m.group(1))
        for name, found in forms.items():
            if len(found) == 1:
                lone[name].name = found.pop()
    return people


def _same_person(words: list[str], title: str, p: _Mention) -> bool:
    """Whether a mention (its name words and title) names the person of ``p``."""
    pw = [w for w in p.name.split() if w not in NAME_SUFFIXES]
    if words == pw:
        return True
    if len(words) == 1 or len(pw) == 1:
        # a surname alone (or a Korean family name first): "Governor Kim" / "Kim Yung-rok"
        one, full = (words, pw) if len(words) == 1 else (pw, words)
        return one[0] in (full[0], full[-1])
    # same surname: the same person if given names agree or the offices do
    return words[-1] == pw[-1] and (words[0] == pw[0] or _same_office(title, p.title))


def _same_office(a: str, b: str) -> bool:
    heads = _rules().title_heads_lower
    wa = {w for w in a.lower().split() if w in heads}
    wb = {w for w in b.lower().split() if w in heads}
    return bool(wa & wb)


def _fullness(name: str) -> tuple[int, int]:
    return (len(name.split()), len(name))


def _official_dicts(people: list[_Mention]) -> list[dict[str, Any]]:
    out = []
    seen = set()
    for p in people:
        # One spelling per person across releases: "O’Neill" and "O'Neill" are one facet value.
        name = p.name.replace("’", "'")
        if name in seen:
            continue
        seen.add(name)
        region = None
        if p.region_text:
            places = _title_regions(p.region_text)
            if places:
                region = places[0].name
        out.append({"name": name, "title": p.title, "region": region})
    return out


def extract_officials(text: str) -> list[dict[str, Any]]:
    """People named with an official title, one entry each under their fullest name."""
    return _official_dicts(_merge(_find_mentions(text), text))


# --------------------------------------------------------------------------------------------


def extract(article: Article) -> Article:
    """Fill ``officials``, ``regions`` and ``years`` of ``article`` from its text; return it."""
    text = article.text
    people = _merge(_find_mentions(text), text)
    article.officials = _official_dicts(people)
    article.regions = [p.as_dict() for p in _regions(text, _person_tokens(article.officials))]
    years = set(extract_years(text))
    if article.date and _date_written_in_release(article):
        # the cleaner moves the release's own date line ("September 26, 2025", "Ends/Friday,
        # January 3, 2020") out of the body into ``date``; its year was still written there
        years.add(int(article.date[:4]))
    article.years = sorted(years)
    return article


def _date_written_in_release(article: Article) -> bool:
    """Whether the publication date was read from the release's own text (not a feed field)."""
    if article.date_source in ("text", "dateline"):
        return True
    # a JSONL record whose date its producer parsed from the page text
    return article.date_source == "record" and article.metadata.get("date_source") == "text"
