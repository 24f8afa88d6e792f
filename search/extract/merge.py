"""Merging mentions: one entry per person, under the fullest name the release gives.

"Governor Kim" joins "Kim Yung-rok", "President Biden" joins "Joseph R. Biden Jr."; two people
with one surname stay apart unless their given names or their offices agree. A surname left
alone ("Mr. Sullivan") takes the one full name the text writes for it ("Jake Sullivan").
"""

from __future__ import annotations

import re

from search.extract.lexicon import NAME_STOP, title_words
from search.extract.mentions import Mention
from search.extract.names import NAME_SUFFIXES
from search.extract.titles import title_rules


def merge_mentions(mentions: list[Mention], text: str) -> list[Mention]:
    """One entry per person under the fullest name ("Governor Kim" joins "Kim Yung-rok")."""
    people = _People()
    for m in mentions:
        words = [w for w in m.name.split() if w not in NAME_SUFFIXES]
        if not words:
            continue
        target = people.find(words, m.title)
        if target is None:
            people.add(Mention(m.name, m.title, m.start, m.region_text))
            continue
        if _fullness(m.name) > _fullness(target.name):
            target.name = m.name
            people.index(people.people.index(target))
        if not target.region_text and m.region_text:
            target.region_text = m.region_text
    _complete_surnames(people.people, text)
    return people.people


class _People:
    """The people found so far, indexed by the first and last words of their names: a mention
    of one of them shares one of those words, and the index keeps merging linear."""

    def __init__(self) -> None:
        self.people: list[Mention] = []
        self.by_word: dict[str, list[int]] = {}

    def add(self, person: Mention) -> None:
        self.people.append(person)
        self.index(len(self.people) - 1)

    def index(self, i: int) -> None:
        """Index person ``i`` under the first and last words of their (new) name."""
        words = [w for w in self.people[i].name.split() if w not in NAME_SUFFIXES] or [""]
        last = words[-1].lower()
        for w in {words[0].lower(), last, last.rsplit("-", 1)[-1]}:
            if i not in self.by_word.setdefault(w, []):
                self.by_word[w].append(i)

    def find(self, words: list[str], title: str) -> Mention | None:
        """The person a mention (its name words and title) names, if already found."""
        first, last = words[0].lower(), words[-1].lower()
        for i in sorted({*self.by_word.get(first, []), *self.by_word.get(last, [])}):
            if _same_person(words, title, self.people[i]):
                return self.people[i]
        return None


def _complete_surnames(people: list[Mention], text: str) -> None:
    """A surname alone gets the full name written elsewhere ("Mr. Sullivan" -> "Jake
    Sullivan") when the text writes exactly one; all surnames in one pass over the text."""
    # "D.Tsogtbaatar" (an initial written against the name) is already a full name
    lone = {p.name: p for p in people if " " not in p.name and "." not in p.name}
    if not lone:
        return
    for name, found in _full_forms(lone, text).items():
        if len(found) == 1:
            lone[name].name = found.pop()


def _full_forms(lone: dict[str, Mention], text: str) -> dict[str, set[str]]:
    """Every "Given Surname" (or "Given I. Surname") the text writes for each lone surname."""
    forms: dict[str, set[str]] = {name: set() for name in lone}
    alternatives = "|".join(re.escape(n) for n in sorted(lone, key=len, reverse=True))
    pattern = rf"\b((?:[A-Z][a-z]+|[A-Z]{{2}})(?: [A-Z]\.)? ({alternatives}))\b(?!['’-])"
    rules = title_rules()
    for m in re.finditer(pattern, text):
        given = m.group(1).split()[0]
        if given in NAME_STOP or given in title_words() or given in rules.plural_starts:
            continue
        # after a bullet a capitalised verb can precede it: "- Establishes Trump Accounts"
        if re.search(r"(?:^|\n)[ \t]*[-•*][ \t]*$", text[max(0, m.start() - 4) : m.start()]):
            continue
        forms[m.group(2)].add(m.group(1))
    return forms


def _same_person(words: list[str], title: str, p: Mention) -> bool:
    """Whether a mention (its name words and title) names the person of ``p``."""
    # case apart: "Minister Hayashi" is "HAYASHI Yoshimasa" (a family name in capitals)
    words = [w.lower() for w in words]
    pw = [w.lower() for w in p.name.split() if w not in NAME_SUFFIXES]
    if words == pw:
        return True
    if len(words) == 1 or len(pw) == 1:
        # a surname alone (or a Korean family name first): "Governor Kim" / "Kim Yung-rok"
        one, full = (words, pw) if len(words) == 1 else (pw, words)
        # "Sen. Estrada" is "Jinggoy Ejercito-Estrada" (a compound surname's last part)
        return one[0] in (full[0], full[-1], full[-1].rsplit("-", 1)[-1])
    # same surname: the same person if given names agree or the offices do; but a patronymic
    # chain names the father, not a family ("Muqrin bin Abdulaziz", "Khalid bin Sultan bin
    # Abdulaziz" are brothers), so there the chain decides
    if words[-1] != pw[-1]:
        return False
    if _PATRONYMIC & {*words, *pw}:
        short, long = sorted((words, pw), key=len)
        return long[: len(short) - 1] == short[:-1]  # "Khalid bin Sultan [bin] Abdulaziz"
    return words[0] == pw[0] or _same_office(title, p.title)


_PATRONYMIC = frozenset({"bin", "bint", "ibn", "binti"})


def _same_office(a: str, b: str) -> bool:
    """Whether two titles share a title head ("Governor" in "Governor" and "Vice Governor")."""
    heads = title_rules().title_heads_lower
    wa = {w for w in a.lower().split() if w in heads}
    wb = {w for w in b.lower().split() if w in heads}
    return bool(wa & wb)


def _fullness(name: str) -> tuple[int, int]:
    """How full a name is: more words first, then more letters."""
    return (len(name.split()), len(name))
