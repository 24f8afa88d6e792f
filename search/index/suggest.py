"""Did-you-mean: unknown query words corrected against the index's vocabulary."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from search.index.analysis import WORD, fold
from search.index.languages import CJK, alternatives
from search.index.query import FILTER_CLAUSE, OPERATORS, ParsedQuery


class Vocabulary:
    """Unstemmed words with their document frequencies, grouped by length for fuzzy lookup."""

    # In a large vocabulary, words seen in a single document are mostly typos and codes:
    # leaving them out makes suggestions both better and faster.
    LARGE = 20_000

    def __init__(self, frequencies: dict[str, int]):
        if len(frequencies) > self.LARGE:
            frequencies = {w: n for w, n in frequencies.items() if n > 1}
        by_length: dict[int, list[str]] = {}
        for word in frequencies:
            by_length.setdefault(len(word), []).append(word)
        self.by_length = by_length
        self.frequencies = frequencies

    def close(self, word: str, distance: int) -> list[tuple[str, int]]:
        """Words within ``distance`` edits of ``word``, as (word, distance)."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        out: list[tuple[str, int]] = []
        for length in range(len(word) - distance, len(word) + distance + 1):
            choices = self.by_length.get(length)
            if choices:
                found = process.extract(word, choices, scorer=DamerauLevenshtein.distance,
                                        score_cutoff=distance, limit=25)  # fmt: skip
                out.extend((choice, int(dist)) for choice, dist, _ in found)
        return out


def suggest(
    words: Sequence[str], known: Callable[[str], bool], vocabulary: Vocabulary, found: bool = False
) -> dict[str, str]:
    """Corrections for words the index does not know: the closest, then most frequent, word
    of the vocabulary that the index does know. When the search ``found`` releases, a word
    that is another form of a vocabulary word in some language is not corrected (it found
    them through its native forms)."""
    out: dict[str, str] = {}
    for word in words:
        # Chinese, Japanese and Korean words are found through segmentation: no edit distance.
        if len(word) < 3 or not word.isalpha() or CJK.search(word) or known(word):
            continue
        candidates = vocabulary.close(word, 1 if len(word) <= 4 else 2)
        if found and _inflection(word, [c for c, _dist in candidates[:25]]):
            continue  # another form of a word of the index ("inaugurar": "inauguró")
        candidates.sort(key=lambda c: (c[1], -vocabulary.frequencies[c[0]], c[0]))
        for candidate, _dist in candidates[:10]:
            if known(candidate):  # the vocabulary may still list words of deleted documents
                out[word] = candidate
                break
    return out


def _inflection(word: str, others: Sequence[str]) -> bool:
    """True when ``word`` has one stem with any of ``others`` in some language (the native
    forms they search); the word's own forms are found once."""
    forms = set(alternatives(word))
    return any(not forms.isdisjoint(alternatives(other)) for other in others)


def suggestion(
    parsed: ParsedQuery, known: Callable[[str], bool], vocabulary: Vocabulary, found: bool = False
) -> str | None:
    """The query with its unknown words corrected ("did you mean"), or None."""
    text = FILTER_CLAUSE.sub(" ", parsed.text)
    raw = [fold(w) for w in WORD.findall(text) if w not in OPERATORS]
    unknown = [w for w in dict.fromkeys(raw) if not known(w)]
    if not unknown:
        return None
    return apply_suggestion(text.strip(), suggest(unknown, known, vocabulary, found))


def apply_suggestion(text: str, corrections: dict[str, str]) -> str | None:
    """``text`` with corrected words replaced, keeping a leading capital; None if unchanged."""
    if not corrections:
        return None

    def repl(m: re.Match[str]) -> str:
        word = m.group()
        fixed = corrections.get(fold(word))
        if fixed is None:
            return word
        if word[:1].isupper():
            return fixed.upper() if word.isupper() and len(word) > 1 else fixed.capitalize()
        return fixed

    new = WORD.sub(repl, text)
    return new if new != text else None
