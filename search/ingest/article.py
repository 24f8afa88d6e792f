"""The normalised article every stage passes along, and the rejection record for bad input."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from search.ingest.safe import safe_text, safe_value

_TEXT_FIELDS = ("id", "path", "title", "date", "date_source", "body", "lead", "source",
                "editor", "url", "language")  # fmt: skip


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
    # The release's own date lines ("Doha, May 11", "Updated: 2020-08-17"), kept out of the body
    # (the date is a field) but read by the extractor: they are written in the release.
    date_lines: list[str] = field(default_factory=list)
    source: str | None = None
    editor: str | None = None
    url: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    officials: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    # The fields that held unsafe characters when the article was made (``to_dict`` leaves
    # it out: it describes the input, not the release).
    repaired: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Make every string safe (see ``search.ingest.safe``) and note which fields changed."""
        repaired = []
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and (clean := safe_text(value)) is not value:
                setattr(self, name, clean)
                repaired.append(name)
        for name in ("captions", "date_lines", "metadata"):
            clean_value, changed = safe_value(getattr(self, name))
            if changed:
                setattr(self, name, clean_value)
                repaired.append(name)
        if repaired:
            self.repaired = tuple(repaired)

    def to_dict(self) -> dict[str, Any]:
        """The article's fields as plain JSON values (lists and dicts copied one level deep:
        ``dataclasses.asdict``'s recursive copy cost 3% of a reindex)."""
        out: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, list):
                value = [dict(v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                value = dict(value)
            out[name] = value
        return out

    @property
    def text(self) -> str:
        """Title and body (the lead is the body's first paragraph): what the extractor reads."""
        return "\n\n".join(p for p in (self.title, self.body) if p)


@dataclass(frozen=True)
class Rejection:
    """A file (or one record of it) that could not be turned into an article."""

    path: str
    reason: str

    def __post_init__(self) -> None:
        # Frozen: the safe strings go in through object.__setattr__.
        object.__setattr__(self, "path", safe_text(self.path))
        object.__setattr__(self, "reason", safe_text(self.reason))

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


_FIELD_NAMES = tuple(f.name for f in fields(Article) if f.name != "repaired")
