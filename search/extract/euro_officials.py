"""Officials in Spanish, French and German releases: the offices of each language and the
orders in which they meet a name.

Offices are words of the language, lower case in running text ("el alcalde", "la préfète")
and compounds in German ("Ministerpräsident", "Handelsdelegierten", "Bürgermeisterin"), with
their feminine and plural forms. A name (given names in title case, a family name in title
case or in capitals: "Isabelle LE GUELLEC", "Jérôme BERTRAND-HARDY") meets an office:

* right after it ("Bundeskanzler Olaf Scholz", "el gobernador Sergio Uñac", "Landtagspräsident
  Mag. Edmund Freibauer"), or after the place it governs ("le maire de Lyon Grégory Doucet");
* after the office's complement and a comma ("el alcalde de Madrid, José Luis Martínez-Almeida",
  "Der Regierende Bürgermeister von Berlin, Klaus Wowereit,");
* before it, after a comma ("Emilio Ablanedo, subdelegado del Gobierno", "Anne Hiltpold et
  Carole-Anne Kast, conseillères d'Etat");
* in a list after a plural office ("embajadores en Chile, Carlos Abihaggle, y en Bolivia,
  Horacio Antonio Macedo").
"""

from __future__ import annotations

import re

from search.extract.lexicon import NAME_STOP, title_words
from search.extract.mentions import Mention
from search.extract.regions import Gazetteer
from search.extract.scan import LOWER, UPPER

_OFFICES = {
    "es": r"(?:vice|sub)?(?:president[ea]|ministr[oa]|canciller|gobernador[a]?|alcalde(?:sa)?"
    r"|embajador[a]?|delegad[oa]|secretari[oa]|director[a]?|coordinador[a]?|jef[ea]"
    r"|conseller[a]?|consejer[oa]|concejal[a]?|diputad[oa]|senador[a]?|intendente|c[óo]nsul"
    r"|prefect[oa]|viceministr[oa]|subsecretari[oa]|portavoz|rey|reina)(?:es|s)?",
    "fr": r"(?:vice-|sous-)?(?:pr[ée]sidente?|ministre|ambassadeur|ambassadrice|maire"
    r"|pr[ée]f[èe]te?|conseill[eè]re?|conseiller|directeur|directrice|secr[ée]taire"
    r"|commissaire|consule?|s[ée]nat(?:eur|rice)|d[ée]put[ée]e?|gouverneur|d[ée]l[ée]gu[ée]e?"
    r"|chancel(?:ier|i[èe]re)|bourgmestre|porte-parole|premier ministre|premi[èe]re ministre"
    r"|adjointe?)s?",
    "de": r"(?:[A-ZÄÖÜ][a-zäöüß]*(?:präsident|minister|kanzler|bürgermeister|sekretär"
    r"|direktor|botschafter|konsul|delegierte|beauftragte|landrat|landrätin|gouverneur|senator"
    r"|stadtrat|stadträtin"
    r"|regierungsrat|staatsrat|landeshauptmann|landeshauptfrau|oberbürgermeister)"
    r"|Präsident|Minister|Kanzler|Bürgermeister|Sekretär|Direktor|Botschafter|Konsul"
    r"|Delegierte|Beauftragte|Landrat|Landrätin|Gouverneur|Senator|Staatssekretär"
    r"|Landeshauptmann)"
    r"(?:innen|in|en|n|s|r)?",
}
_HONORIFIC = (
    r"(?:(?:Dr|Mag|Prof|Ing|Dipl|Sr|Sra|Srta|Mme|Mlle|M|Me|Pr)\.|Madame|Monsieur|Mesdames"
    r"|Messieurs|Herr|Frau|Don|Doña|Dña\.)"
)
_TOKEN = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)*"  # "Jin-sok", "Jean-Yves"
_CAPS = rf"[{UPPER}]{{2,}}(?:-[{UPPER}]{{2,}})*"
_PARTICLE = r"(?:de|del|de la|de los|della|la|le|Le|La|von|van|der|du|da|dos|zu|los|las)"
# a person's name: a given name in title case, then names in title case or capitals
NAME_EU = (
    rf"{_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:{_TOKEN}|{_CAPS}(?:[ \t]+{_CAPS})*))"
    r"{1,4}"
)  # "Ursula von der Leyen", "María de los Ángeles Pérez"
_SP = r"[ \t\u00a0]+"
# what may follow a name: punctuation, a conjunction before a lower-case word, a verb
_END = (
    r"(?=[ \t]*(?:[,.;:)(]|$)|[ \t]+(?:y|et|und|e|o|ou|oder)[ \t]+[^A-ZÀ-Þ\s]"
    r"|[ \t]+[a-zäöüéèáíóúñç])"
)
_ARTICLE = (
    r"(?:(?:el|la|los|las|le|les|l['’]|der|die|des|dem|den|del|al|du|au|un|une|una|un)[ \t]*)"
)


# a name right after an office; a place the office governs, then (perhaps) a name
_DIRECT_NAME = re.compile(rf"{_SP}(?:{_HONORIFIC}{_SP})?(?P<name>{NAME_EU}){_END}")
_PLACE_THEN_NAME = re.compile(
    rf"{_SP}(?:de|du|von|del|de la|d['’])[ \t]*(?P<run>(?:{_TOKEN}[ \t]+){{1,6}}{_TOKEN})"
)
_RULES: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}


def _rules(language: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The compiled patterns of a language: an office, a name after a comma, a name before an
    office ("X, subdelegado")."""
    if language not in _RULES:
        # (case apart only in the office's words: "El Canciller", "el canciller")
        office = _OFFICES[language] if language == "de" else f"(?i:{_OFFICES[language]})"
        _RULES[language] = (
            re.compile(rf"(?<![\w-])(?P<office>{office})(?![\w-])"),
            re.compile(rf"[ \t]*,[ \t]*(?:{_HONORIFIC}{_SP})?(?P<name>{NAME_EU}){_END}"),
            re.compile(
                rf"(?:{_HONORIFIC}{_SP})?(?P<names>{NAME_EU}(?:[ \t]*(?:,|y|et|und)[ \t]*"
                rf"{NAME_EU})*)[ \t]*,[ \t]*(?i:{_ARTICLE})?(?P<office>{office})(?![\w-])"
            ),
        )
    return _RULES[language]


def euro_mentions(text: str, language: str, gaz: Gazetteer) -> list[Mention]:
    """The officials named with an office of ``language`` ("es", "fr" or "de"); ``gaz`` holds
    the names of places in that language (``full_gazetteer("latin")``)."""
    if language not in _OFFICES:
        return []
    # a line broken inside a sentence ("Horacio\nAntonio Macedo"): one space, same offsets
    text = re.sub(r"(?<=\S)\n(?=\S)", " ", text)
    places = gaz.foreign.get(language, {})  # "Reino Unido" is no person
    office_rx, comma_name, name_office = _rules(language)
    out: list[Mention] = []
    for m in office_rx.finditer(text):
        out += [
            x for x in _after_office(text, m, comma_name, gaz, language) if x.name not in places
        ]
    for m in name_office.finditer(text):
        names = re.split(r"[ \t]*(?:,|\by\b|\bet\b|\bund\b)[ \t]*", m.group("names"))
        for name in names:
            if _valid(name, gaz) and name not in places:
                out.append(Mention(name.strip(), m.group("office"), m.start()))
    return out


def _after_office(
    text: str, m: re.Match[str], comma_name: re.Pattern[str], gaz: Gazetteer, language: str
) -> list[Mention]:
    """The person(s) an office introduces: right after it, after its place, or after its
    complement and a comma (several for a plural office)."""
    title = m.group("office")
    after = text[m.end() : m.end() + 260]
    direct = _DIRECT_NAME.match(after)
    if direct and _valid(direct.group("name"), gaz):
        return [Mention(direct.group("name"), title, m.end())]
    place_name = _PLACE_THEN_NAME.match(after)
    if place_name:
        found = _name_after_place(place_name.group("run"), gaz)
        if found:
            return [Mention(found, title, m.end(), place_name.group("run"))]
    # (a sentence ends after a word, not after "M." or "Dr.": "en France, M. Kazuhiko ...")
    sentence = re.split(r"(?<=[a-zà-ÿ0-9]{2}[.!?])[ \t]+(?=[A-ZÀ-Þ])|\n", after, maxsplit=1)[0]
    plural = (language != "de" and title.lower().endswith("s")) or title.endswith("innen")
    out = []
    for c in comma_name.finditer(sentence):
        name = c.group("name")
        if _valid(name, gaz) and not _continues_list(sentence, c.end()):
            out.append(Mention(name, title, m.end(), sentence[: c.start()]))
            if not plural:
                break
    return out


def _continues_list(sentence: str, end: int) -> bool:
    """ "Política Industrial y Producción": a list of capitalised words, not a name."""
    return re.match(r"[ \t]+(?:y|et|und)[ \t]+[A-ZÀ-Þ]", sentence[end:]) is not None


def _name_after_place(run: str, gaz: Gazetteer) -> str | None:
    """ "Lyon Grégory Doucet" -> "Grégory Doucet": a place, then a name of two words or more."""
    words = run.split()
    for k in range(len(words) - 2, 0, -1):
        if " ".join(words[:k]) in gaz.names:
            name = " ".join(words[k:])
            return name if _valid(name, gaz) else None
    return None


def _valid(name: str, gaz: Gazetteer) -> bool:
    """Two words or more, none a stop word or a place, not all in capitals."""
    words = name.split()
    if len(words) < 2 or name.isupper():
        return False
    if any(w in NAME_STOP for w in words) or words[0] in title_words():
        return False  # "General de Relaciones Internacionales"
    if name in gaz.names:
        return False
    # "Chile, Carlos": a country is no given name ("Isabel" is a province, and a given name)
    return not any(p.kind == "country" for p in gaz.candidates(words[0]))
