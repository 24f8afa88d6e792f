"""Text made safe where it enters an article: valid Unicode, no controls, no non-characters.

Every string that becomes part of an ``Article`` or a ``Rejection`` (title, body, captions,
ids, metadata, file names) passes through here once. Lone surrogates (which no encoder
accepts: a JSON record may hold ``"\\ud800"``), control characters other than newline and tab
(which XML forbids and terminals obey) and Unicode non-characters are removed; controls that
separate words (vertical tab, form feed, NEL, CR...) become a space so words stay apart.
"""

from __future__ import annotations

import os
import re
from typing import Any

# What is safe, as a negated class (``web.safetext`` uses the same class for what it writes
# out): the regex engine tests one character against a set of ranges faster than against a
# list of unsafe ones with the astral non-characters spelled out (3 ms instead of 0.1 ms for a
# 10 KB release). The unsafe: C0 and C1 controls but tab and newline, DEL, surrogates,
# U+FDD0-U+FDEF and the last two code points of every plane.
_ASTRAL = "".join(f"{chr(plane << 16)}-{chr((plane << 16) + 0xFFFD)}" for plane in range(1, 17))
UNSAFE = re.compile(f"[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd{_ASTRAL}]")
_AS_SPACE = frozenset("\x0b\x0c\r\x1c\x1d\x1e\x1f\x85")


def _replace(match: re.Match[str]) -> str:
    return " " if match.group() in _AS_SPACE else ""


def safe_text(text: str) -> str:
    """``text`` without lone surrogates, controls (but ``\\n``, ``\\t``) or non-characters."""
    if UNSAFE.search(text) is None:  # the common case: one scan, no copy
        return text
    return UNSAFE.sub(_replace, text)


def is_safe(text: str) -> bool:
    """True when ``safe_text`` would leave ``text`` unchanged."""
    return UNSAFE.search(text) is None


def safe_value(value: Any) -> tuple[Any, bool]:
    """A metadata value (str, list, dict, nested) made safe, and whether anything changed."""
    if isinstance(value, str):
        clean = safe_text(value)
        return clean, clean is not value
    if isinstance(value, list):
        items = [safe_value(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, val in value.items():
            clean_key, key_changed = safe_value(key) if isinstance(key, str) else (key, False)
            clean_val, val_changed = safe_value(val)
            out[clean_key] = clean_val
            changed = changed or key_changed or val_changed
        return out, changed
    return value, False


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_name(name: str) -> str:
    """A file name as text: undecodable bytes and controls written as ``\\xNN`` escapes.

    Unlike ``safe_text`` nothing is dropped, so two different names stay different.
    """
    if UNSAFE.search(name) is None:
        return name
    # os.walk gives undecodable bytes as surrogate escapes: back to bytes, then escaped.
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return UNSAFE.sub(_escape, text)
