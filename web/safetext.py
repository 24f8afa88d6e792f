"""Text made safe to write out: valid Unicode that HTML, XML 1.0, JSON and CSV all accept.

Ingest cleans the text it indexes, but an index built before it did (or by another tool) may
still hold lone surrogates or control characters, and a URL may carry anything. Such text
cannot be encoded as UTF-8 (a lone surrogate: a 500) or is not allowed in XML (C0 controls,
U+FFFE/FFFF: a feed no reader parses). The characters are ingest's (``search.ingest.safe``):
lone surrogates become U+FFFD, control characters other than tab and newline and the Unicode
non-characters go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from search.ingest.safe import UNSAFE


def _replace(match: re.Match[str]) -> str:
    # A lone surrogate shows as U+FFFD, so a reader sees that something stood there.
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def clean(text: str) -> str:
    """``text`` without lone surrogates (each a U+FFFD), controls or non-characters."""
    if UNSAFE.search(text) is None:  # the usual case: one scan, no copy
        return text
    return UNSAFE.sub(_replace, text)


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
