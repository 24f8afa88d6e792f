"""Text made safe to write out: valid Unicode that HTML, XML 1.0, JSON and CSV all accept.

Ingest cleans the text it indexes, but an index built before it did (or by another tool) may
still hold lone surrogates or control characters, and a URL may carry anything. Such text
cannot be encoded as UTF-8 (a lone surrogate: a 500) or is not allowed in XML (C0 controls,
U+FFFE/FFFF: a feed no reader parses). One rule, the same as ingest's: lone surrogates become
U+FFFD, control characters other than tab and newline and the Unicode non-characters go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

# Lone surrogates; C0 controls but tab and newline, DEL and C1 controls; non-characters
# (U+FDD0-U+FDEF and the last two code points of every plane).
_SURROGATE = re.compile("[\ud800-\udfff]")
_DROP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)
_UNSAFE = re.compile(f"{_SURROGATE.pattern}|{_DROP.pattern}")


def clean(text: str) -> str:
    """``text`` without lone surrogates (each a U+FFFD), controls or non-characters."""
    if not _UNSAFE.search(text):  # the usual case: one scan, no copy
        return text
    return _DROP.sub("", _SURROGATE.sub("\ufffd", text))


def is_clean(text: str) -> bool:
    """True when ``clean`` would leave ``text`` as it is."""
    return not _UNSAFE.search(text)


def clean_value(value: Any) -> Any:
    """``value`` with every string in it cleaned (dicts, lists and tuples walked); Markup kept."""
    if isinstance(value, Markup):
        return Markup(clean(str(value)))
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def ascii_filename(text: str, limit: int = 40) -> str:
    """``text`` as the ASCII letters, digits and dashes of a download file name ('' if none)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)[:limit].strip("-_")
