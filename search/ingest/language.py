"""The language of an article's text, by py3langid limited to the languages releases come in."""

from __future__ import annotations

import functools
import re

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# py3langid knows 97 languages, some rare enough to win on short texts ("ext" for Spanish);
# press releases come in a few dozen.
LANGUAGES = (
    "ar bg ca cs da de el en es et fa fi fr he hi hr hu id it ja ko lt lv ms nl no pl pt ro ru "
    "sk sl sr sv sw th tl tr uk ur vi zh"
).split()
# Chinese, Japanese and Korean write words without spaces (Korean between phrases): their
# characters count as words for the "too little text" test.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@functools.cache
def _language_identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(LANGUAGES)
    return identifier


def detect_language(title: str, body: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), None for too little text."""
    sample = f"{title}\n{body[:2000]}"
    if len(sample.split()) < 3 and len(_UNSPACED.findall(sample)) < 6:
        return None
    return str(_language_identifier().classify(sample)[0])
