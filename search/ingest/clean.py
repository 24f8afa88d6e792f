"""Turn raw press-release files (HTML pages, plain text, JSON Lines records) into articles.

HTML pages: BeautifulSoup reads the metadata (title, date, URL, site, language) and photo
captions; trafilatura, a maintained main-content extractor, finds the article text.
Plain text and record bodies, which are often a whole page's text with menus and sidebars,
go through ``select_main_lines``: broken lines are rejoined, each line is scored as prose or
boilerplate, and the best-scoring contiguous run of lines is kept.
Both paths then share ``finish``: trailers become fields, repeated paragraphs are kept once,
captions move to ``captions``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from bs4 import BeautifulSoup, Tag
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from search.ingest.article import Article
from search.ingest.dates import ENDS_TRAILER, date_from_lines, date_from_url, parse_date, parse_dmy
from search.ingest.text import fold, normalise, normalise_line

# --- line classification ---------------------------------------------------------------------

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
_TERMINAL = (".", "!", "?", '"', "”", "'", "’", ":", ";", ")")
_SENTENCE_END = _TERMINAL[:3]  # ".", "!", "?"
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
# Markers after which a release is over: "###", "-30-", "- END -", "ENDS", "NNNN".
_END_MARKER = re.compile(r"^(?:#\s*){3,}$|^-\s*30\s*-$|^-*\s*end(?:s)?\s*-*$|^NNNN$", re.I)
# The start of a media-contact block.
_CONTACT = re.compile(
    r"^(?:media|press|news)?\s*(?:contacts?|inquiries|enquiries)\s*:|^for (?:further|more) "
    r"information,? (?:please )?contact|^(?:media|press) (?:contacts?|relations|inquiries)\b",
    re.IGNORECASE,
)
_CONTACT_WORD = re.compile(r"\bcontact(?:o|s)?\s*:", re.IGNORECASE)
_PHONE_OR_EMAIL = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|[\w.+-]+@[\w-]+\.[\w.]+")
# "Source: SHINE Editor: Xu Fang" (the non-breaking spaces are folded by ``normalise``).
_SOURCE_EDITOR = re.compile(
    r"^(?:Source\s*[:：]\s*(?P<source>.+?))?\s*(?:Editor\s*[:：]\s*(?P<editor>.+?))?\s*$",
    re.IGNORECASE,
)
_TRAILER_START = re.compile(r"^(?:source|editor)\s*[:：]", re.IGNORECASE)
_ISSUED_AT = re.compile(r"^Issued at (?:HKT )?\d{1,2}:\d{2}$", re.IGNORECASE)
# A line that is only a date ("November 7, 2014", "Date: Nov. 7, 2014", "Posted on: ...").
_DATE_ONLY = re.compile(
    r"^(?:(?:date|published|posted(?: on)?|updated|released)\s*:?\s*)?[\w,./ -]{6,40}$",
    re.IGNORECASE,
)

# Photo captions are written in the present tense without a final full stop; these verbs and
# markers are what they describe ("shakes hands with", "poses for a photo").
_CAPTION_MARKER = re.compile(
    r"^(?:photo|caption|pictured|image)\b\s*[:：-]|\((?:photo|image|credit)\b[^)]*\)$"
    r"|\[photo[^\]]*\]$|\bphoto(?:graph)? (?:by|courtesy|credit)\b|\((?:left|right|centre|center)"
    r"\)|\bfrom left\b",
    re.IGNORECASE,
)
_CAPTION_VERB = re.compile(
    r"\b(?:shakes? hands|pose[sd]? for|poses|is pictured|are pictured|looks? on|waves? to"
    r"|cuts? the ribbon|greets|addresses the|speaks (?:at|to|during)"
    r"|delivers (?:a|his|her) speech)\b",
    re.IGNORECASE,
)


def word_count(line: str) -> int:
    return len(line.split())


def is_headline(line: str) -> bool:
    """Title Case or ALL CAPS with no final punctuation: a heading or a link to another story."""
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    if not words or line.endswith(_SENTENCE_END):
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75


def is_prose(line: str) -> bool:
    """A sentence or more of running text."""
    words = line.split()
    n = len(words)
    if n < 5:
        return False
    stop = sum(1 for w in words if w.lower().strip(",.;:\"'“”‘’()") in _STOPWORDS)
    if line.endswith(_TERMINAL) and stop >= 1:
        return True
    if n >= 12 and line.endswith(_SENTENCE_END) and not is_headline(line):
        return True  # a long sentence in a language whose function words are not listed
    return n >= 10 and stop / n >= 0.2 and not is_headline(line)


_ADVISORY_FIELD = re.compile(r"^(?:WHO|WHAT|WHEN|WHERE|WHY|VISUALS)\s*:\s*\S")


def line_score(line: str) -> int:
    """Positive for prose (its word count), negative for everything else."""
    if BOILERPLATE.match(line):
        return -8
    if line.endswith(("…", "...", "[…]")):  # a teaser of another story
        return -3
    if _ADVISORY_FIELD.match(line):  # a media advisory's "WHERE: ..." is its text
        return max(word_count(line), 3)
    if is_prose(line):
        return word_count(line)
    return -3


def _is_caption_after_title(line: str) -> bool:
    """An unpunctuated descriptive sentence right after a repeated title is its photo caption."""
    return (
        5 <= word_count(line) <= 60 and not line.endswith(_SENTENCE_END) and not is_headline(line)
    )


def is_caption(line: str) -> bool:
    """A photo caption: marked as one, or a present-tense photo description with no full stop."""
    if _CAPTION_MARKER.search(line) and word_count(line) <= 60:
        return True
    return (
        4 <= word_count(line) <= 60
        and not line.endswith(_SENTENCE_END)
        and bool(_CAPTION_VERB.search(line))
    )


# --- rejoining lines -------------------------------------------------------------------------

_CONNECTIVES = frozenset(
    "a an and or but of the to by for with from in on at as that than said says was were is are "
    "be been his her their its our your".split()
)


def _continues(prev: str, line: str) -> bool:
    """True when ``line`` carries on the sentence ``prev`` left open (a link broke it)."""
    if not prev or prev.endswith(_SENTENCE_END) or prev.endswith((".”", '."', "?”", "!”")):
        return False
    first = line[0]
    if first in ",.;:)!?’”":
        return True
    if first in "–—-" and len(line) > 2:  # "CHICAGO" / "– Cook County ...": a dateline
        return word_count(prev) <= 6 and not BOILERPLATE.match(prev)
    if first.islower() and not BOILERPLATE.match(line):
        return not BOILERPLATE.match(prev)
    last = prev.split()[-1].lower()
    return last in _CONNECTIVES and word_count(prev) >= 6


def _ends_broken(prev: str, line: str) -> bool:
    """A sentence cut by a paragraph break just before its last word or two."""
    return (
        word_count(prev) >= 8
        and not prev.endswith(_TERMINAL)
        and word_count(line) <= 2
        and line.endswith((".", '."', ".”"))
    )


def _is_fragment(line: str) -> bool:
    """A short unpunctuated piece such as a linked name ("Summer Stephan")."""
    return (
        bool(line)
        and word_count(line) <= 6
        and not line.endswith(_SENTENCE_END)
        and not (BOILERPLATE.match(line))
    )


def rejoin_lines(lines: list[str]) -> list[str]:
    """Join lines broken inside a sentence (by inline links or hard wrapping); keep blanks."""
    out: list[str] = []
    for line in lines:
        if line and len(out) >= 2 and not out[-1] and _ends_broken(out[-2], line):
            out.pop()  # "said prosecutor Leighton" / "" / "D'Antoni.": a break inside a name
            out[-1] = f"{out[-1]} {line}"
        elif line and out and out[-1] and _continues(out[-1], line):
            # "San Diego County District Attorney" / "Summer Stephan" / "announced today ...":
            # a sentence continuing in lower case pulls in the two fragments before it.
            if (
                line[0].islower()
                and len(out) >= 2
                and _is_fragment(out[-1])
                and _is_fragment(out[-2])
                and word_count(line) >= 8
            ):
                out[-2:] = [f"{out[-2]} {out[-1]}"]
            glue = "" if line[0] in ",.;:)!?’”" else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
    return out


def select_main_lines(lines: list[str]) -> list[str]:
    """The best-scoring contiguous run of non-empty lines (maximum subarray over line scores)."""
    items = [line for line in lines if line]
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, line in enumerate(items):
        if total <= 0:
            total, start = 0, i
        total += line_score(line)
        if total > best:
            best, best_span = total, (start, i + 1)
    if best == 0:
        # No prose at all: a tiny text is the release itself, a longer one is page furniture.
        kept = [line for line in items if not BOILERPLATE.match(line)]
        return kept if len(items) <= 5 else []
    start, end = best_span
    tail = items[end:]
    if len(tail) <= 6 and not any(BOILERPLATE.match(t) or t.endswith("…") for t in tail):
        end = len(items)  # the release's own ending: a signature, a list of participants
    return items[start:end]


# --- the shared finish -----------------------------------------------------------------------


@dataclass
class Draft:
    """What a format-specific reader found, before the shared clean-up."""

    title: str = ""
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    date: str | None = None
    date_source: str | None = None
    source: str | None = None
    editor: str | None = None
    url: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def take_trailers(draft: Draft) -> None:
    """Move ``Source:``/``Editor:`` and ``Ends/`` trailers into fields; cut at end markers."""
    kept: list[str] = []
    for i, line in enumerate(draft.lines):
        if ENDS_TRAILER.match(line) or _END_MARKER.match(line):
            m = ENDS_TRAILER.match(line)
            if draft.date is None and m and (found := parse_date(m.group("date"))):
                draft.date, draft.date_source = found, "text"
            # What follows the end marker is page furniture, except a Source/Editor trailer.
            for rest in draft.lines[i + 1 :]:
                _source_editor(draft, rest)
            break
        if _ISSUED_AT.match(line) or _source_editor(draft, line):
            continue
        kept.append(line)
    draft.lines = kept


def _source_editor(draft: Draft, line: str) -> bool:
    if not _TRAILER_START.match(line) or word_count(line) > 14:
        return False
    m = _SOURCE_EDITOR.match(line)
    if not m or not (m.group("source") or m.group("editor")):
        return False
    draft.source = m.group("source") or draft.source
    draft.editor = m.group("editor") or draft.editor
    return True


def drop_contact_blocks(lines: list[str]) -> list[str]:
    """Remove media-contact blocks: the opening line and the short lines that follow it."""
    out: list[str] = []
    in_block = False
    for line in lines:
        if _CONTACT.match(line):
            in_block = True
            continue
        if (
            in_block
            and (word_count(line) <= 8 or _PHONE_OR_EMAIL.search(line))
            and not (is_prose(line) and word_count(line) > 8)
        ):
            continue
        in_block = False
        if _PHONE_OR_EMAIL.fullmatch(line) or (
            "contact" in line.lower() and _PHONE_OR_EMAIL.search(line) and word_count(line) <= 30
        ):
            continue
        out.append(line)
    return out


def finish(draft: Draft, id: str, path: str) -> Article:
    """The shared clean-up: trailers, furniture, captions, repeats, lead; then the article."""
    title = normalise_line(draft.title)
    take_trailers(draft)
    title_key = fold(title)
    # Repeats to drop: the title anywhere; a paragraph already seen near the top (the seed's
    # repeated lead) or a whole repeated sentence. Short repeated list items stay.
    seen: dict[str, int] = {}
    captions = [c for c in (normalise_line(c) for c in draft.captions) if c]
    caption_keys = {fold(c) for c in captions}
    paragraphs: list[str] = []
    after_title = False
    lines = drop_contact_blocks(draft.lines)
    for i, line in enumerate(lines):
        key = fold(line)
        if key == title_key:
            after_title = True  # a repeated title: a photo caption may follow (the seed's layout)
            continue
        # A photo block repeats the title or the lead around its caption.
        repeats_next = i + 1 < len(lines) and fold(lines[i + 1]) in seen
        if (after_title or repeats_next) and _is_caption_after_title(line):
            captions.append(line)
            caption_keys.add(key)
            after_title = False
            continue
        after_title = False
        if not key or BOILERPLATE.match(line):
            continue
        if key in seen and (seen[key] < 3 or word_count(line) >= 12):
            continue
        if key in caption_keys:
            continue
        if _DATE_ONLY.match(line) and parse_date(line) and word_count(line) <= 7:
            continue  # a lone date line: the date is a field
        if is_caption(line):
            captions.append(line)
            caption_keys.add(key)
            continue
        seen.setdefault(key, len(paragraphs))
        paragraphs.append(line)
    body = "\n\n".join(paragraphs)
    return Article(
        id=id,
        path=path,
        title=title,
        date=draft.date,
        date_source=draft.date_source if draft.date else None,
        body=body,
        lead=paragraphs[0] if paragraphs else "",
        captions=list(dict.fromkeys(captions)),
        source=normalise_line(draft.source) if draft.source else None,
        editor=normalise_line(draft.editor) if draft.editor else None,
        url=draft.url or None,
        language=draft.language or detect_language(title, body),
        metadata=draft.metadata,
    )


# py3langid knows 97 languages, some rare enough to win on short texts ("ext" for Spanish);
# press releases come in a few dozen.
LANGUAGES = (
    "ar bg ca cs da de el en es et fa fi fr he hi hr hu id it ja ko lt lv ms nl no pl pt ro ru "
    "sk sl sr sv sw th tl tr uk ur vi zh"
).split()


@functools.cache
def _language_identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(LANGUAGES)
    return identifier


def detect_language(title: str, body: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), None for too little text."""
    sample = f"{title}\n{body[:2000]}"
    if len(sample.split()) < 3:
        return None
    return str(_language_identifier().classify(sample)[0])


# --- plain text and records ------------------------------------------------------------------


def _raw_lines(text: str) -> list[str]:
    return rejoin_lines(normalise(text).split("\n"))


def _date_from_text(draft: Draft, lines: list[str], main: list[str]) -> None:
    """Fill a missing date from date lines, the headline's own date line, then the URL."""
    lines = [ln for ln in lines if ln]
    if draft.date is None and (found := date_from_lines(lines)):
        draft.date, draft.date_source = found
    if draft.date is None and (near := date_near_title(lines, draft.title, main)):
        draft.date, draft.date_source = near
    if draft.date is None and (found_url := date_from_url(draft.url)):
        draft.date, draft.date_source = found_url, "url"


def date_near_title(lines: list[str], title: str, main: list[str]) -> tuple[str, str] | None:
    """The date printed with the headline in page text: on its line or just above it.

    Pages print "June 5, 2026: <headline>", or a published and a modified timestamp above the
    headline, or a date line just above the main text; the earliest such date is the
    publication date. Returns ``(date, source)``: ``meta`` for a printed machine timestamp.
    """
    key = fold(title)
    with_title = (
        {i for i, line in enumerate(lines) if key in fold(line)} if word_count(key) >= 3 else set()
    )
    anchors = set(with_title)
    if main and main[0] in lines:
        anchors.add(lines.index(main[0]))
    for i in sorted(anchors):
        holds_title = i in with_title or (key and key in fold(lines[i]))
        found = [(parse_date(lines[i]), "text")] if holds_title else []
        found += [
            (parse_date(above), "meta" if _TIMESTAMP.match(above) else "text")
            for above in lines[max(0, i - 3) : i]
            if _is_lone_date(above)
        ]
        if dated := sorted(f for f in found if f[0]):
            return dated[0]
    return None


# A machine timestamp printed from the page's metadata: "2021-12-10 11:26:47".
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def _is_lone_date(line: str) -> bool:
    """A line that holds a date and little else ("September 26, 2025", "2024-05-23 15:32")."""
    return word_count(line) <= 6 and parse_date(line) is not None


def clean_text(text: str, id: str, path: str) -> Article:
    """A plain-text release: the first non-empty line is the title."""
    lines = _raw_lines(text)
    nonempty = [i for i, line in enumerate(lines) if line]
    if not nonempty:
        return finish(Draft(), id, path)
    draft = Draft(title=lines[nonempty[0]])
    rest = lines[nonempty[0] + 1 :]
    draft.lines = select_main_lines(rest)
    _date_from_text(draft, rest, draft.lines)
    draft.lines = _with_trailers(draft.lines, rest)
    return finish(draft, id, path)


def is_real_title(title: str) -> bool:
    """False for empty titles and ones that are page furniture or a date/contact line."""
    title = normalise_line(title)
    if not title or BOILERPLATE.match(title) or _CONTACT.search(title):
        return False
    return not (parse_date(title) and word_count(title) <= 8) and not _CONTACT_WORD.search(title)


def _title_from_lines(lines: list[str], main: list[str]) -> str:
    """The headline before (or at the top of) the main text: the last headline-like line."""
    first = main[0] if main else ""
    if (
        is_real_title(first)
        and not first.endswith(_SENTENCE_END)
        and 3 <= word_count(first) <= 25
        and len(main) > 1
    ):
        return first  # a headline opening the main text
    start = lines.index(first) if first in lines else len(lines)
    for line in reversed([ln for ln in lines[:start] if ln][-6:]):
        if is_real_title(line) and not is_prose(line) and word_count(line) >= 3:
            return line
    return ""


def _with_trailers(main: list[str], lines: list[str]) -> list[str]:
    """``main`` plus the trailers (Source/Editor, Ends/) among the last lines of ``lines``.

    Trailers may sit below the selected run, after page furniture.
    """
    trailers = [
        ln
        for ln in lines[-6:]
        if ln and ln not in main and (_TRAILER_START.match(ln) or ENDS_TRAILER.match(ln))
    ]
    return main + trailers


_RECORD_FIELDS = {"id", "title", "body", "date", "url", "source", "agency", "publisher", "language"}


def clean_record(record: dict[str, Any], id: str, path: str) -> Article:
    """A JSON Lines record with ``title`` and ``body`` (which may be raw page text)."""
    url = record.get("url") if isinstance(record.get("url"), str) else None
    draft = Draft(title=record.get("title") or "", url=url)
    record_date = parse_date(str(record["date"])) if record.get("date") else None
    if record_date:
        draft.date, draft.date_source = record_date, "record"
    for key in ("agency", "publisher", "source"):
        if isinstance(record.get(key), str) and record[key].strip():
            draft.source = record[key]
            break
    if isinstance(record.get("language"), str):
        draft.language = record["language"]
    draft.metadata = {k: v for k, v in record.items() if k not in _RECORD_FIELDS}
    lines = _raw_lines(record.get("body") or "")
    draft.lines = select_main_lines(lines)
    if not is_real_title(draft.title):
        # Some exports put the release's date line in the title ("April 30, 2021 Contact: ...").
        if draft.date is None and (dated := parse_date(draft.title)):
            draft.date, draft.date_source = dated, "text"
        lines = [normalise_line(draft.title), *lines]
        draft.title = _title_from_lines(lines, draft.lines)
    _date_from_text(draft, lines, draft.lines)
    draft.lines = _with_trailers(draft.lines, lines)
    return finish(draft, id, path)


# --- HTML ------------------------------------------------------------------------------------

_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "publication_date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.issued", "citation_publication_date", "sailthru.date",
    "parsely-pub-date", "article.published", "available",
)  # fmt: skip
_CAPTION_CLASS = re.compile(r"(?:^|[-_])(?:caption|credit)(?:$|[-_]|text)", re.IGNORECASE)


def _is_caption_tag(tag: Tag) -> bool:
    """``<figcaption>``, ``itemprop=caption`` or a class such as ``wp-caption-text``."""
    if tag.name == "figcaption" or tag.get("itemprop") == "caption":
        return True
    classes = tag.get("class")
    return bool(classes) and any(_CAPTION_CLASS.search(c) for c in classes)


_TITLE_SPLIT = re.compile(r"\s+[|–—:•»-]+\s+")


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.lower(), content.strip())
    return found


def _jsonld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
    return items


def _html_title(soup: BeautifulSoup, meta: dict[str, str], ld: list[dict[str, Any]]) -> str:
    page_title = normalise_line(soup.title.get_text()) if soup.title else ""
    claimed = [meta.get("og:title", ""), meta.get("twitter:title", ""), page_title]
    claimed += [str(i["headline"]) for i in ld if isinstance(i.get("headline"), str)]
    claimed_keys = [fold(c) for c in claimed if c]
    for h1 in soup.find_all("h1"):
        text = normalise_line(h1.get_text(" "))
        if text and any(fold(text) in c or c in fold(text) for c in claimed_keys):
            return text
    for candidate in (*claimed[:2], *claimed[3:]):
        if candidate:
            return normalise_line(candidate)
    if page_title:  # drop a site-name suffix: keep the longest part
        return max(_TITLE_SPLIT.split(page_title), key=len)
    first_h1 = soup.find("h1")
    return normalise_line(first_h1.get_text(" ")) if first_h1 else ""


def _html_date(
    soup: BeautifulSoup, meta: dict[str, str], ld: list[dict[str, Any]]
) -> tuple[str | None, str | None]:
    for key in _DATE_META:
        if found := parse_date(meta.get(key)) or parse_dmy(meta.get(key)):
            return found, "meta"
    for item in ld:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if isinstance(item.get(key), str) and (found := parse_date(item[key])):
                return found, "jsonld"
    for time in soup.find_all("time"):
        value = time.get("datetime")
        found = parse_date(value if isinstance(value, str) else None) or parse_date(
            time.get_text(" ")
        )
        if found:
            return found, "time"
    return None, None


def _canonical_url(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    url = href if isinstance(href, str) and href.startswith("http") else meta.get("og:url")
    return url or None


_BODY_MARK = re.compile(
    r"^(?:pressrelease|press-release|article-?body|articlebody|story-body|entry-content"
    r"|post-content|news-content|release-body)$",
    re.IGNORECASE,
)


def _marked_body_lines(soup: BeautifulSoup) -> list[str]:
    """The main lines of the one element the page marks as its article body, if exactly one."""
    marked = soup.find_all(
        lambda tag: (
            tag.get("itemprop") == "articleBody"
            or bool(_BODY_MARK.match(str(tag.get("id") or "")))
            or any(_BODY_MARK.match(c) for c in tag.get("class") or [])
        )
    )
    if len(marked) != 1:
        return []
    return select_main_lines(_raw_lines(marked[0].get_text("\n")))


def _covers_more(marked: list[str], extracted: list[str]) -> bool:
    """True when ``marked`` holds nearly all of ``extracted`` plus a prose paragraph it lacks."""
    marked_words = set(fold(" ".join(marked)).split())
    extracted_text = fold(" ".join(extracted))
    extracted_words = extracted_text.split()
    if not extracted_words:
        return bool(marked_words)
    covered = sum(1 for w in extracted_words if w in marked_words) / len(extracted_words)
    missing = [
        line for line in marked if word_count(line) >= 15 and fold(line) not in extracted_text
    ]
    return covered >= 0.95 and any(is_prose(line) for line in missing)


def _is_table_layout(lines: list[str]) -> bool:
    """True when most text sits in table rows and a row holds whole paragraphs.

    Data tables (standings, figures) have many short rows and stay as they are.
    """
    rows = [line for line in lines if line.startswith("|")]
    total = sum(len(line) for line in lines)
    in_rows = sum(len(row) for row in rows)
    return in_rows > total / 2 and any(len(row) > 500 for row in rows)


def _fallback_text(soup: BeautifulSoup) -> list[str]:
    """Page text without furniture elements, for pages trafilatura finds no article in."""
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form"]):
        tag.decompose()
    root = soup.body or soup
    return select_main_lines(_raw_lines(root.get_text("\n")))


def clean_html(html: str, id: str, path: str) -> Article:
    """A raw saved HTML page: metadata and captions by BeautifulSoup, text by trafilatura."""
    soup = BeautifulSoup(html, "lxml")
    meta, ld = _meta(soup), _jsonld(soup)
    draft = Draft(title=_html_title(soup, meta, ld), url=_canonical_url(soup, meta))
    draft.date, draft.date_source = _html_date(soup, meta, ld)
    lang = soup.html.get("lang") if soup.html else None
    draft.language = lang.split("-")[0].lower() if isinstance(lang, str) and lang else None
    draft.source = meta.get("og:site_name") or _publisher(ld)
    draft.captions = [c.get_text(" ") for c in soup.find_all(_is_caption_tag)]
    if meta.get("description"):
        draft.metadata["description"] = meta["description"]
    text = trafilatura.extract(
        html, favor_precision=True, include_comments=False, include_tables=True, deduplicate=False
    )
    lines = normalise(text).split("\n") if text else []
    marked = _marked_body_lines(soup)
    if marked and _covers_more(marked, lines):
        # The page names its article container and trafilatura left part of it out (text
        # outside <p> elements, as on Hong Kong government pages): trust the page.
        lines = marked
    if _is_table_layout(lines):
        # An old table-layout page: trafilatura flattens the layout table into cells and loses
        # the paragraphs, while the page text keeps them for the line scorer.
        lines = []
    draft.lines = lines or _fallback_text(soup)
    lines = [ln for ln in draft.lines if ln]
    _date_from_text(draft, lines, lines)
    draft.lines = lines
    return finish(draft, id, path)


def _publisher(ld: list[dict[str, Any]]) -> str | None:
    for item in ld:
        pub = item.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            return pub["name"]
    return None
