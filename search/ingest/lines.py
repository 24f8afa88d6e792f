"""What a line of page text is: prose, a headline, or page furniture (menus, sharing links)."""

from __future__ import annotations

import re

_STOPWORDS = frozenset(
    # English, then the commonest function words of Spanish, German, French, Portuguese,
    # Italian and Vietnamese: prose in any of them must not look like a menu.
    "a an and are as at be been by for from has have he her his in is it its of on or our that "
    "the their they this to was we were which will with who would said after into over than "
    "also not more about all can other its these those while during "
    "de la el en y que los las del por con una para se al lo su "
    "der die das und ist mit von den zu im für auf dem des ein eine sich nicht "
    "le les des et est du une pour dans qui sur par pas au "
    "da do os as um em no na dos das pelo "
    "il di che della per non gli nel "
    "và của là các có được trong cho những với một đã này khi từ".split()
)
TERMINAL = (".", "!", "?", "。", "！", "？", '"', "”", "'", "’", ":", ";", ")", "」", "』")
SENTENCE_END = TERMINAL[:6]  # full stops, exclamation and question marks, Latin and CJK
# Chinese and Japanese write words without spaces: their Han and kana characters are counted
# as words of two characters each (the usual length of a word in both), Korean spaces its words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACED_WORD = re.compile(r"\S*?[^\W_]\S*")
# Whole lines that are navigation, sharing or page furniture, never article text.
BOILERPLATE = re.compile(
    r"^(?:skip to (?:main )?content|go to main content|scroll to top|back to top|toggle navigation"
    r"|(?:main |dept )?menu|home|search(?: for)?|news(?:room)?|press(?: releases?| room)?"
    r"|share(?: this(?: page| article| story)?| on \w+)?|tweet|print(?: this page)?|e-?mail"
    r"|facebook|twitter|x|linkedin|instagram|youtube|whatsapp|wechat|weibo|rss|feedburner"
    r"|follow us(?: on .*)?|stay connected|subscribe|sign up|newsletter(?: sign-?up)?"
    r"|read more|view all|more news|related (?:news|articles|stories|content|links)|recent posts"
    r"|latest (?:news|releases|posts)|contact(?: us)?|privacy policy|terms of use|sitemap"
    r"|accessibility|text only|font size:?|select language|translate|you are here:?|author"
    r"|published|posted|click here.*|\d+ min read|link to:.*|a|—|–|-|\||/|:|\d{1,2}"
    r"|please leave this field (?:empty|blank)\.?|are you a human\?.*|(?:name|e-?mail)\s*\*"
    r"|required"
    r"|©.*|copyright .*|all rights reserved\.?)$",
    re.IGNORECASE,
)


def word_count(line: str) -> int:
    """Words in ``line``; a run of Chinese or Japanese counts a word per two characters."""
    if line.isascii():
        return len(line.split())
    unspaced = len(_UNSPACED.findall(line))
    if not unspaced:
        return len(line.split())
    # the spaced tokens around the runs that hold a letter or digit ([^\W_] is str.isalnum)
    rest = len(_SPACED_WORD.findall(_UNSPACED.sub(" ", line)))
    return rest + (unspaced + 1) // 2


def is_headline(line: str) -> bool:
    """Title Case or ALL CAPS with no final punctuation: a heading or a link to another story."""
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    if not words or line.endswith(SENTENCE_END):
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75


def is_prose(line: str) -> bool:
    """A sentence or more of running text."""
    return prose_words(line) > 0


def prose_words(line: str) -> int:
    """The word count of a line of running text (a sentence or more), 0 for any other line."""
    words = line.split()
    n = len(words) if line.isascii() else word_count(line)  # (the cleaner's commonest call)
    if n < 5:
        return 0
    stop = sum(1 for w in words if w.lower().strip(",.;:\"'“”‘’()") in _STOPWORDS)
    if line.endswith(TERMINAL) and stop >= 1:
        return n
    if n >= 12 and line.endswith(SENTENCE_END) and not is_headline(line):
        return n  # a long sentence in a language whose function words are not listed
    return n if n >= 10 and stop / n >= 0.2 and not is_headline(line) else 0


# Lower-case words inside a person's name ("Khalid bin Ahmed", "Ursula von der Leyen") and inside
# an office ("Minister for International Relations and the Welsh Language").
_NAME_PARTICLES = frozenset(
    "bin binti ibn al el van von der den de da du del della la le y".split()
)
_OFFICE_LINKS = (
    frozenset("of for to the and in on at de du des la le el y".split()) | _NAME_PARTICLES
)


def is_name_and_office(line: str) -> bool:
    """A header or signature line "Name, Office": "Rt Hon Mark Drakeford, First Minister of Wales".

    Both parts are capitalised words (with the particles of names and the links of offices),
    the name at least two of them; no sentence, no menu item.
    """
    if len(line) > 160 or line.endswith((*SENTENCE_END, ",")) or line.isupper():
        return False  # a sentence, a headline broken over lines, or one in capitals
    name, comma, office = line.partition(", ")
    name_words, office_words = name.split(), office.split()
    if not comma or not 2 <= len(name_words) <= 7 or not 1 <= len(office_words) <= 16:
        return False
    return (
        all(_capitalised(w) or w in _NAME_PARTICLES for w in name_words)
        and all(_capitalised(w) or w in _OFFICE_LINKS for w in office_words)
        and _capitalised(office_words[0])
    )


def _capitalised(word: str) -> bool:
    return word[0].isupper() or (word[0] in "(“\"'" and len(word) > 1 and word[1].isupper())
