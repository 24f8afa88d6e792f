"""Language-aware terms: CJK text segmented into words, European words stemmed in their language.

The English analysis (``search.index.analysis``: Porter stems of folded words) stays what every
document's ``title``/``lead``/``body`` fields hold. A release in another language also gets its
*native* terms in a field of their own (``native``): the words of Chinese, Japanese and Korean
text as a segmenter cuts them (a verb by its dictionary form, particles and endings left out),
the words of other languages stemmed by their own Snowball stemmer. A query does not say its
language, so each query word is analysed in every language and the alternatives are OR-ed
(``search.index.query``); only non-English documents have native terms, so the alternatives
cannot change what an English release matches or scores.

Segmenters (measured in ``bench/multilingual.py``, reasons in docs/search.md "Languages"):
rjieba for Chinese, fugashi with unidic-lite for Japanese, kiwipiepy for Korean; PyStemmer for
the Snowball stemmers. Each loads on first use in a process, never for English-only work.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from search.index.analysis import WORD, fold

# Languages with a Snowball stemmer (PyStemmer's names), by ISO 639-1 code. English is not
# here: its terms are the ones every document already has.
STEMMED = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "es": "spanish", "et": "estonian", "fi": "finnish", "fr": "french",
    "hi": "hindi", "hu": "hungarian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip
SEGMENTED = ("zh", "ja", "ko")
_LATIN_STEMMED = tuple(code for code in STEMMED if code not in ("ar", "el", "hi", "ru"))
# Display names: the language's own name and the English one.
NAMES = {
    "en": "English", "zh": "中文 / Chinese", "ja": "日本語 / Japanese", "ko": "한국어 / Korean",
    "es": "Español / Spanish", "fr": "Français / French", "de": "Deutsch / German",
    "it": "Italiano / Italian", "pt": "Português / Portuguese", "nl": "Nederlands / Dutch",
    "ru": "Русский / Russian", "ar": "العربية / Arabic", "sv": "Svenska / Swedish",
    "pl": "Polski / Polish", "tr": "Türkçe / Turkish", "id": "Bahasa Indonesia / Indonesian",
    "vi": "Tiếng Việt / Vietnamese", "th": "ไทย / Thai", "uk": "Українська / Ukrainian",
}  # fmt: skip
NATIVE_FIELD = "native"
PART_GAP = 16  # positions between title, lead and body: a phrase never spans two of them

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = r"\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
CJK = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")
_HAN_RE = re.compile(f"[{_HAN}]")
_LATIN = re.compile(r"[a-zà-ɏ]", re.IGNORECASE)
_WORDLIKE = re.compile(r"\w")

# Japanese (UniDic) parts of speech that carry no content: particles, auxiliaries, symbols.
_JA_SKIP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})
# Korean (Sejong tags, kiwipiepy): particles J*, endings E*, affixes XS*/XP*, symbols S* (but
# foreign words SL, hanja SH and numbers SN), auxiliary and copula verbs, bound nouns.
_KO_KEEP = re.compile(r"N[NRP]|NNG|NNP|V[VA]|XR|M[AM]\w*|IC|S[LHN]")
_KO_SKIP = frozenset({"NNB", "VX", "VCP", "VCN"})


def display_name(code: str) -> str:
    """The facet label of a language code: its own name and the English one."""
    return NAMES.get(code, code)


def is_native(language: str | None) -> bool:
    """True when releases in ``language`` get native terms (not English, and analysable)."""
    return language in STEMMED or language in SEGMENTED


# --- the analysers, each loaded once per process on first use ------------------------------


@functools.cache
def _stemmer(language: str) -> Callable[[str], str]:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer(STEMMED[language]).stemWord


@functools.cache
def _chinese() -> Any:
    import rjieba

    return rjieba.tokenize


@functools.cache
def _japanese() -> Any:
    import fugashi

    return fugashi.Tagger()  # finds unidic-lite's dictionary by itself


@functools.cache
def _korean() -> Any:
    from kiwipiepy import Kiwi

    # Without the multi-word dictionary (names such as "조코 위도도" as one token) the model
    # loads in 1.8 s of CPU instead of 4 s, in every worker that meets a Korean release; the
    # name's words are then indexed one by one, and a query is cut the same way.
    return Kiwi(load_multi_dict=False)


Span = tuple[str, int, int]  # (term, start, end) with offsets into the analysed text


def _zh_spans(text: str, index: bool) -> Iterator[Span]:
    # Indexed in jieba's search mode: a long word also gives the dictionary words inside it
    # (电缆厂: 电缆), so a query for the shorter word finds it.
    for word, start, end in _chinese()(text, "search" if index else "default"):
        if _WORDLIKE.search(word):
            yield fold(word), start, end


def _ja_spans(text: str, index: bool) -> Iterator[Span]:
    pos = 0
    for node in _japanese()(text):
        surface = node.surface
        start = text.find(surface, pos)
        if start < 0:  # the tagger normalised something: keep offsets monotonic
            start = pos
        pos = start + len(surface)
        feature = node.feature
        if feature.pos1 in _JA_SKIP_POS or feature.pos2 == "非自立可能":
            continue  # する, いる, くる after a noun or て: the content word carries the meaning
        base = getattr(feature, "orthBase", None)
        if _WORDLIKE.search(surface):
            yield fold(base if base and base != "*" else surface), start, pos


def _ko_spans(text: str, index: bool) -> Iterator[Span]:
    for token in _korean().tokenize(text):
        tag = token.tag.split("-")[0]  # kiwipiepy marks irregular verbs "VV-I"
        if tag in _KO_SKIP or not _KO_KEEP.fullmatch(tag):
            continue
        form, start, end = fold(token.form), token.start, token.start + token.len
        yield form, start, end
        if index and tag in ("NNG", "NNP") and len(form) > 2 and form == text[start:end]:
            # A compound noun the analyser kept whole (서울특별시, 경상북도지사): its heads and
            # tails too, so 서울 or 경상북도 finds it.
            for cut in range(2, len(form) - 1):
                yield form[:cut], start, start + cut
                yield form[-cut:], end - cut, end


def _stem_spans(language: str) -> Callable[[str], Iterator[Span]]:
    stem = _stemmer(language)

    def spans(text: str) -> Iterator[Span]:
        for m in WORD.finditer(text):
            yield fold(stem(m.group().lower())), m.start(), m.end()

    return spans


def spans(text: str, language: str, index: bool = False) -> Iterator[Span]:
    """The native terms of ``text`` in ``language`` with their character offsets; ``index``
    adds, for CJK, the words inside compounds (overlapping spans, see ``native_terms``)."""
    if language == "zh":
        return _zh_spans(text, index)
    if language == "ja":
        return _ja_spans(text, index)
    if language == "ko":
        return _ko_spans(text, index)
    return _stem_spans(language)(text)


def native_terms(parts: list[str], language: str) -> list[tuple[str, int]]:
    """(term, position) of the texts of one release, ``PART_GAP`` positions between parts."""
    out: list[tuple[str, int]] = []
    pos = -1
    for text in parts:
        if not text:
            continue
        last_end = -1
        for term, start, end in spans(text, language, index=True):
            if start >= last_end:  # a word inside a compound shares the compound's position
                pos += 1
            last_end = max(last_end, end)
            out.append((term, pos))
        pos += PART_GAP
    return out


# --- the query side: each word in every language ---------------------------------------------


def _script_languages(word: str) -> tuple[str, ...]:
    """The languages a query word may be in, by its script."""
    if _HANGUL_RE.search(word):
        return ("ko",)
    if _KANA_RE.search(word):
        return ("ja",)
    if _HAN_RE.search(word):
        return ("zh", "ja")
    if _LATIN.search(word) or word.isascii():
        return _LATIN_STEMMED
    return tuple(STEMMED)


def alternatives(text: str) -> list[tuple[str, ...]]:
    """The native forms of one query word (or phrase) across languages, without repeats: each
    a tuple of terms (one term, or a phrase when a segmenter cuts a CJK run into words)."""
    languages: list[str] = []
    for word in WORD.findall(text):
        languages += [lang for lang in _script_languages(word) if lang not in languages]
    out: list[tuple[str, ...]] = []
    for language in languages:
        found = tuple(term for term, _s, _e in spans(text, language))
        if found and found not in out:
            out.append(found)
    return out
