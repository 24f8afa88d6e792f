"""The normalised article every stage passes along, and the rejection record for bad input."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One cleaned press release.

    The cleaner fills the first block; the extractor fills ``officials``, ``regions``
    and ``years``.
    """

    id: str
    path: str
    title: str = ""
    date: str | None = None  # ISO YYYY-MM-DD publication date, never invented
    date_source: str | None = None  # meta, jsonld, time, dateline, url, record, text
    body: str = ""  # clean paragraphs separated by blank lines
    lead: str = ""
    captions: list[str] = field(default_factory=list)
    source: str | None = None
    editor: str | None = None
    url: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    officials: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def text(self) -> str:
        """Title and body (the lead is the body's first paragraph): what the extractor reads."""
        return "\n\n".join(p for p in (self.title, self.body) if p)


@dataclass(frozen=True)
class Rejection:
    """A file (or one record of it) that could not be turned into an article."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}
