"""Names of people: the shape of a name in text, and the checks that trim a captured name
("Queen Elizabeth Hospital" is a thing, "San Francisco" a place, "JOSEPH R. BIDEN JR." a
signature) or find where it begins and ends (a Title Case Heading, an "of ..." run)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from search.extract.lexicon import HONORIFIC_WORDS, NAME_STOP, ORG_SUFFIX, title_words
from search.extract.regions import Gazetteer, gazetteer
from search.extract.scan import LOWER, POSSESSIVE, UPPER, has_word, title_case_line

# Honorifics and forms of address, any number in a row: "His Excellency Mr.", "H.E. Dr.",
# "Dr. the Hon.", "Rt. Hon.", "Hon’ble", "Atty.", "Amb (Eng)".
_ADDRESS = (
    r"(?:His|Her|Their)[ \t]+(?:Royal[ \t]+)?(?:Excellency|Highness|Majesty|Majesties)"
    r"|H\.[ ]?E\.?|Rt\.?[ \t]+Hon\.?|the[ \t]+(?:Most[ \t]+|Right[ \t]+)?Hon(?:ou?rable|\.)?"
    r"|Hon['’]ble"
    r"|\((?:Eng|Dr|Rtd|Ret)\.?\)"
)
# (a group of its own, so that a "?" after it makes it optional, not lazy)
HONORIFIC = "(?:(?:(?:" + _ADDRESS + "|(?:" + "|".join(HONORIFIC_WORDS) + r")\.?)[ \t\u00a0]+)+)"
# Given names written short, as an initial is: "Ma. Cristina" (María), "Lars Chr. Lilleholt"
GIVEN_ABBREVIATION = r"(?:Ma|Chr|Wm|Jas|Thos|Chas)\."
# One token of a person's name: "Joseph", "R.", "O'Neill", "Yung-rok", "JB", "HAYASHI"
# (a family name in capitals before the given name), "D.Tsogtbaatar", "Al-Khalifa".
NAME_TOKEN = (
    rf"(?:{GIVEN_ABBREVIATION}(?=[ ][{UPPER}])"
    rf"|[{UPPER}]\.(?:[{UPPER}]\.)?(?:[{UPPER}][{LOWER}]+(?:-[{UPPER}{LOWER}]+)*)?"
    rf"|[{UPPER}]{{2,}}(?=[ ][{UPPER}][{LOWER}])"  # "JB Pritzker", "HAYASHI Yoshimasa"
    rf"|[{UPPER}]['’][{UPPER}][{LOWER}]+"  # "O'Neill", "D'Antoni"
    rf"|[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]+)?(?:['’][{UPPER}]?[{LOWER}]+)?"
    rf"(?:-[{UPPER}{LOWER}]+)*)"  # "Joseph", "McCaul", "DeGaetano", "Yung-rok"
)
PARTICLE = (
    r"(?:de|da|del|della|di|do|dos|das|du|van|von|der|den|la|le|las|los|y|e|bin|bint|binti"
    r"|al|Al|El|ibn|ter|ben)"
)
PARTICLE_WORDS = frozenset(PARTICLE[3:-1].split("|"))
SP = r"[ \t\u00a0]+"  # a name never spans lines
# A quoted nickname inside a name: Juan Miguel "Migz" F. Zubiri
_NICKNAME = rf"(?:{SP}[\"“][{UPPER}][{LOWER}]+[\"”])?"
# A whole name: up to four tokens, particles between them ("Ursula von der Leyen",
# "Khalid bin Ahmed bin Mohammed Al-Khalifa"), a suffix.
NAME = (
    rf"{NAME_TOKEN}(?:{_NICKNAME}{SP}(?:{PARTICLE}{SP}){{0,2}}{NAME_TOKEN}){{0,3}}"
    rf"(?:,?{SP}(?:Jr\.?|Sr\.?|II|III|IV)(?![\w]))?"
)
# Titles that are also common surnames, read as the surname after one given name
_TITLE_SURNAMES = frozenset({"King", "Bishop", "Judge", "Dean", "Prince", "Marshal"})
NAME_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"}


def _without_address_or_rank(words: list[str]) -> list[str]:
    """The words of a captured name without a leading address or hyphenated rank."""
    while len(words) > 2 and re.fullmatch(r"H\.E\.?|Rt\.?|Right|Most|Hon\.?|Honou?rable", words[0]):
        words = words[1:]  # "H.E Zhou Pingjian", "Rt Hon Mark Drakeford": an address
    while words and "-" in words[0] and words[0].split("-")[-1] in title_words():
        words = words[1:]  # "President Major-General (Ret'd) Jioji Konrote": a rank
    return words


def clean_name(raw: str) -> str:
    """Trim a captured name to the words that can be a person's name."""
    raw = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip(" ,")
    words = raw.split(" ")
    words = _without_address_or_rank(words)
    out: list[str] = []
    for i, w in enumerate(words):
        bare = POSSESSIVE.sub("", w) if w[-2:] in ("'s", "’s") else w
        if len(out) == 1 and i == len(words) - 1 and bare.rstrip(",") in _TITLE_SURNAMES:
            out.append(bare.rstrip(","))  # "Premier Dennis King": the title is his surname
            break
        if bare.rstrip(",") in ORG_SUFFIX and out:
            return ""  # "Queen Elizabeth Hospital": the name of a thing, not a person
        if bare.rstrip(",") in NAME_STOP and bare not in NAME_SUFFIXES:
            break
        patronym = bool(out) and out[-1] in ("bin", "bint", "ibn", "binti")
        # "Albert del Rosario": a particle inside a name, though "del" is in Spanish titles
        inner = bool(out) and bare in PARTICLE_WORDS
        if (
            bare in title_words()
            and bare not in NAME_SUFFIXES
            and len(bare) > 2
            and not (patronym or inner)
        ):
            break  # (but "Khalid bin Sultan": a given name after "bin")
        out.append(bare.rstrip(","))
        if bare != w:
            break  # a possessive ends the name
    while out and (re.fullmatch(r"[A-Z]\.?", out[-1]) or out[-1] in PARTICLE_WORDS):
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


def valid_name(name: str, gaz: Gazetteer) -> bool:
    """Whether a cleaned name can be a person's: not an acronym, a place or a bare suffix."""
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


def followed_by_org(rest: str) -> bool:
    """A "name" followed by "Hospital", "Foundation", ", Inc." ... names a thing ("Queen
    Elizabeth Hospital", "Reed Atamian Scholarship", "Portfolio Solutions Distributor, Inc.")."""
    if re.match(r",?[ \t\u00a0]*(?:Inc|LLC|Ltd|Corp|Co|PLC|GmbH|S\.A|N\.V|AG)\b", rest):
        return True
    m = re.match(r"[ \t\u00a0]+([A-Z][\w'’-]*)", rest)
    return bool(m and m.group(1) in ORG_SUFFIX)


_HEADING_VERB = re.compile(r"[A-Z][a-z]+(?:ing|es|s)$")


def heading_name(text: str, at: int, name: str) -> str:
    """In a Title Case Heading a name runs into the next words ("Todd Spitzer Clears Newport",
    "Jake Sullivan Welcoming the ..."): keep the longest leading part of the name that the
    text also writes elsewhere, else drop trailing verb-like words."""
    words = name.split()
    if not words or not title_case_line(text, at):
        return name
    ls = text.rfind("\n", 0, at) + 1
    le = text.find("\n", at)
    le = len(text) if le == -1 else le
    rest = text[:ls] + " " + text[le:]
    if len(words) == 1:
        # "DA Charges Former Employee": a lone heading word is a name only if the text
        # uses it elsewhere too
        return name if has_word(rest, name) else ""
    for k in range(len(words), 0, -1):
        if has_word(rest, " ".join(words[:k])):
            return " ".join(words[:k])
    while len(words) > 2 and _HEADING_VERB.fullmatch(words[-1]):
        words.pop()
    if len(words) == 2 and _HEADING_VERB.fullmatch(words[0]):
        return ""  # "DA Kicks Off Campaign": a verb, not a given name
    return " ".join(words)


def name_from_tail(words: list[str]) -> list[str]:
    """The person at the end of an "of ..." run: "of Homeland Security Alejandro Mayorkas",
    "to the United Arab Emirates (UAE) Mohamed Hussain Shareef".

    The words before the name name the office. Where a stop word, a title word, a place or
    a bracketed acronym marks where the office ends, the name may have up to three words
    (one if it is written "D.Tsogtbaatar"); with no such mark, at most two.
    """
    for i, w in enumerate(words):
        if w.rstrip(".") in HONORIFIC_WORDS:
            continue  # "for Foreign Affairs Mr. Pradeep Kumar Gyawali": no sentence end
        if w.endswith(".") and not re.fullmatch(
            r"(?:[A-Z]\.)+|St\.|Jr\.|Sr\.|" + GIVEN_ABBREVIATION, w
        ):
            words = [*words[:i], w.rstrip(".")]  # the sentence ends here
            break
    gaz = gazetteer()
    addressed = _name_after_address(words, gaz)
    if addressed:
        return addressed
    for k in (2, 3, 1):  # "Given Surname" is the most common shape, then three, then one
        start = _start_of_last_words(words, k)
        if start is None or start == 0 or not _ends_office(words, start - 1, gaz.names):
            continue
        name = words[start:]
        if k == 1 and not re.fullmatch(r"[A-Z]\.[A-Z][\w-]+", name[-1]):
            continue
        if k == 3 and words[start - 1] in ("and", "&", "of", "the"):
            continue  # "Minister of Oceans and Fisheries Oh Jin-seok": "Fisheries" is the office
        if all(_can_be_name_word(w, gaz) for w in name):
            return name
    return []


def _name_after_address(words: list[str], gaz: Gazetteer) -> list[str]:
    """After a form of address the office has ended, so the name may be long: "of Foreign
    Affairs Sheikh Mohammed bin Abdulrahman bin Jassim Al-Thani", "of the National Guard
    Prince Miteb bin Abdullah bin Abdulaziz"."""
    for i in range(len(words) - 2, 0, -1):
        if words[i].rstrip(".") in HONORIFIC_WORDS:
            name = words[i + 1 :]
            core = [w for w in name if w not in PARTICLE_WORDS]
            if 2 <= len(core) <= 5 and all(_can_be_name_word(w, gaz) for w in name):
                return name
            return []
    return []


def _start_of_last_words(words: list[str], k: int) -> int | None:
    """Where the last ``k`` name words begin (initials and suffixes do not count)."""
    core = 0
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w not in NAME_SUFFIXES and w not in PARTICLE_WORDS and not re.fullmatch(r"[A-Z]\.", w):
            core += 1
            if core == k:
                return i
    return None


def _can_be_name_word(word: str, gaz: Gazetteer) -> bool:
    """A word of a person's name: capitalised, no stop or title word, no country
    ("Vladimir", a city and a region, is also a given name; "Mongolia" is not)."""
    if word in PARTICLE_WORDS:
        return True  # "Khalid bin Sultan", "Francisco de la Torre"
    if not word[:1].isupper() or (word in NAME_STOP and word not in NAME_SUFFIXES):
        return False
    if word in title_words() and word not in NAME_SUFFIXES:
        return False
    return not any(p.kind == "country" for p in gaz.candidates(word))


def _ends_office(words: list[str], i: int, names: Mapping[str, object]) -> bool:
    """Whether ``words[i]`` belongs to the office before a name: a stop word, a title word,
    a lower-case word or bracketed acronym "(UAE)", or the last word of a place ("Russian
    Federation", "Mongolia")."""
    word = words[i]
    if word in PARTICLE_WORDS:
        return False  # inside a name: "Khalid bin Sultan"
    if (word in NAME_STOP and word not in NAME_SUFFIXES) or not word[:1].isupper():
        return True
    if word in title_words() and word not in NAME_SUFFIXES:
        return True
    return any(" ".join(words[j : i + 1]) in names for j in range(max(0, i - 3), i + 1))


# One syllable of a romanised Korean or Chinese given name: "Tae", "ho", "Yung", "rok", "Jae"
_SYLLABLE = re.compile(
    r"[A-Z]?[a-z]?(?:yeo|ae|eo|eu|ui|oe|wa|wo|ya|yo|yu|a|e|i|o|u)(?:ng|n|m|k|l|p|t)?",
    re.IGNORECASE,
)
_INITIAL = re.compile(rf"[{UPPER}]\.")
_ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})


@lru_cache(maxsize=8192)  # a pure function of the name, and officials recur
def canonical_name(name: str) -> str:
    """One spelling of a person's name, computed from the name alone, so that the variants
    releases write are one facet value: spaces folded, capitals that mark a family name in
    title case ("HAYASHI Yoshimasa" -> "Hayashi Yoshimasa", "KANG" -> "Kang"), a romanised
    two-syllable given name hyphenated with its second syllable in lower case ("Tae-Ho",
    "Tae Ho" -> "Tae-ho"), one leading initial against the name ("D. Tsogtbaatar" ->
    "D.Tsogtbaatar", as Mongolian names are written), several initials spaced ("A.S.K." ->
    "A. S. K."). Names in other scripts are left as written."""
    name = " ".join(name.replace("’", "'").split())
    if not re.search("[A-Za-z]", name):
        return name
    words = [_title_if_capitals(w) for w in name.split(" ")]
    words = _initials(words)
    if (
        len(words) == 3
        and all(len(w) <= 4 and _SYLLABLE.fullmatch(w) for w in words[1:])
        and len(words[0]) <= 5
    ):
        words = [words[0], f"{words[1]}-{words[2].lower()}"]  # "Kang Tae Ho" -> "Kang Tae-ho"
    return " ".join(_given_syllables(w) for w in words)


def _title_if_capitals(word: str) -> str:
    """ "HAYASHI" -> "Hayashi", "BERTRAND-HARDY" -> "Bertrand-Hardy"; initials ("JB", "D."),
    numerals and suffixes stay."""
    bare = word.rstrip(".,")
    if not bare.isupper() or word in _ROMAN or bare in ("JR", "SR"):
        return word.title() if bare in ("JR", "SR") else word
    if len(bare.replace("-", "")) < 3 or "." in bare:
        return word
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def _initials(words: list[str]) -> list[str]:
    """One leading initial goes against the name; several initials are spaced."""
    split: list[str] = []
    for w in words:
        parts = re.findall(rf"[{UPPER}]\.|[^.]+\.?", w) if _INITIAL.match(w) else [w]
        split.extend(p for p in parts if p)
    leading = 0
    while leading < len(split) - 1 and _INITIAL.fullmatch(split[leading]):
        leading += 1
    if leading == 1 and len(split) == 2:
        return [split[0] + split[1]]  # "D. Tsogtbaatar" -> "D.Tsogtbaatar"
    if leading == 0:
        return words  # middle initials as written ("Iskander K.Aziziov")
    return split


def _given_syllables(word: str) -> str:
    """ "Tae-Ho" -> "Tae-ho": a romanised given name of two syllables (not "Jean-Yves")."""
    parts = word.split("-")
    if (
        len(parts) == 2
        and all(_SYLLABLE.fullmatch(p) for p in parts)
        and parts[1][:1].isupper()
        and parts[0] not in ("Al", "El", "Abu", "Bin", "Ben", "Bint")  # "El-Sisi"
    ):
        return f"{parts[0]}-{parts[1].lower()}"
    return word
