"""Groups of copies: releases that are the same text published more than once.

The reindex finds the groups and stores them with the index (``groups.json`` in a Whoosh
generation); searches read them to show each group once. Only groups of two or more members
are listed; a release in none is its own group, whose id is its doc id.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GROUPS_FILE = "groups.json"


@dataclass(frozen=True)
class Groups:
    """Group id -> member doc ids, the representative first."""

    members: dict[str, tuple[str, ...]]
    _of: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for gid, ids in self.members.items():
            for doc_id in ids:
                self._of[doc_id] = gid

    def group_of(self, doc_id: str) -> str:
        """The group id of a document: its own id when it is in no group."""
        return self._of.get(doc_id, doc_id)

    def copies(self, doc_id: str) -> tuple[str, ...]:
        """The other members of the document's group, in order."""
        gid = self._of.get(doc_id)
        if gid is None:
            return ()
        return tuple(m for m in self.members[gid] if m != doc_id)

    @classmethod
    def empty(cls) -> Groups:
        return cls({})

    @classmethod
    def load(cls, path: Path) -> Groups:
        """The groups stored at ``path``; none when the file is missing."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls.empty()
        return cls({str(k): tuple(str(m) for m in v) for k, v in data.items()})

    def dump(self, path: Path) -> None:
        """Write the groups to ``path`` atomically, keys sorted (deterministic bytes)."""
        path = Path(path)
        text = json.dumps({k: list(v) for k, v in self.members.items()}, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".groups-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
