"""The ``Draft``: what a format-specific reader found, before the shared clean-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Draft:
    """What a format-specific reader found, before the shared clean-up."""

    title: str = ""
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)  # the release's own, out of the body
    date: str | None = None
    date_source: str | None = None
    source: str | None = None
    editor: str | None = None
    url: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
