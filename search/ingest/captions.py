"""Photo captions among text lines: marked as captions, or photo descriptions by their wording."""

from __future__ import annotations

import re

from search.ingest.lines import SENTENCE_END, is_headline, word_count

# Photo captions are written in the present tense without a final full stop; these verbs and
# markers are what they describe ("shakes hands with", "poses for a photo").
_CAPTION_MARKER = re.compile(
    r"^(?:photo|caption|pictured|image)\b\s*[:：-]|\((?:photo|image|credit)\b[^)]*\)$"
    r"|\[photo[^\]]*\]$|\bphoto(?:graph)? (?:by|courtesy|credit)\b|\((?:left|right|centre|center)"
    r"\)|\bfrom left\b",
    re.IGNORECASE,
)
_BULLETS = frozenset("-–—•*·▪●")
_CAPTION_VERB = re.compile(
    r"\b(?:shakes? hands|pose[sd]? for|poses|is pictured|are pictured|looks? on|waves? to"
    r"|cuts? the ribbon|greets|addresses the|speaks (?:at|to|during)"
    r"|delivers (?:a|his|her) speech)\b",
    re.IGNORECASE,
)


def is_caption_after_title(line: str) -> bool:
    """An unpunctuated descriptive sentence right after a repeated title is its photo caption;
    a list's item ("- Easy setup for all your Apple devices") never is one."""
    if line[:1] in _BULLETS:
        return False
    return 5 <= word_count(line) <= 60 and not line.endswith(SENTENCE_END) and not is_headline(line)


def is_caption(line: str) -> bool:
    """A photo caption: marked as one, or a present-tense photo description with no full stop."""
    if _CAPTION_MARKER.search(line) and word_count(line) <= 60:
        return True
    return (
        4 <= word_count(line) <= 60
        and not line.endswith(SENTENCE_END)
        and bool(_CAPTION_VERB.search(line))
    )
