"""Groups of copies on Typesense: each release's ``group`` field, grouped hits, copies.

The reindex gives every document a ``group`` field (``search.index.groups``): the group id,
or the release's own id when it is in no group. A collapsed search asks ``group_by=group``:
Typesense then returns groups (``found`` and the facet counts count groups too) with their
best-ranked matching members; the hit shows the group's representative when it is among them
(the group id is ``group_id`` of the representative's id), else the best-ranked member.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from search.backends.typesense.documents import key
from search.backends.typesense.query import quote
from search.backends.typesense.segments import doc_and_score
from search.index.backend import Copy
from search.index.groups import group_id

GROUP_FIELD = "group"
# Matching members returned per group, to find the representative among them: a group with
# more matches than this shows its best-ranked one when the representative is not among them.
GROUP_HITS = 10
MAX_ROWS = 250  # Typesense's largest page
Row = tuple[dict[str, Any], float | None]
Search = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def grouped_params() -> dict[str, Any]:
    """What a search adds to return groups of copies instead of releases."""
    return {"group_by": GROUP_FIELD, "group_limit": GROUP_HITS}


def grouped_rows(reply: dict[str, Any], ranked: bool) -> list[Row]:
    """A grouped reply's rows: per group, the representative when it matched, else the best,
    with the best-ranked member's score."""
    out = []
    for group in reply.get("grouped_hits", []):
        hits = group.get("hits") or []
        if not hits:
            continue
        best = doc_and_score(hits[0], ranked)
        gid = str((group.get("group_key") or [""])[0])
        shown = best[0]
        if len(hits) > 1 or shown.get("id") != gid:
            docs = [best[0]] + [doc_and_score(h, False)[0] for h in hits[1:]]
            shown = next((d for d in docs if group_id(str(d.get("id"))) == gid), best[0])
        out.append((shown, best[1]))
    return out


def copies_of(
    search: Search, collection: str, docs: list[dict[str, Any]]
) -> list[tuple[Copy, ...]]:
    """The other members of each article's group: two searches (the articles' groups, then
    the members of those that are groups of two or more)."""
    ids = [str(d.get("id")) for d in docs]
    if not ids:
        return []
    keys = [key(i) for i in ids]
    reply = search([{
        "collection": collection, "q": "*", "per_page": MAX_ROWS,
        "filter_by": f"id:=[{','.join(keys)}]", "include_fields": f"id,{GROUP_FIELD}",
    }])[0]  # fmt: skip
    group_of = {h["document"]["id"]: h["document"].get(GROUP_FIELD) for h in reply.get("hits", [])}
    groups = {group_of.get(k) for k, i in zip(keys, ids, strict=True)} - {None, *ids}
    members = _members(search, collection, sorted(str(g) for g in groups)) if groups else {}
    out = []
    for doc_id, k in zip(ids, keys, strict=True):
        gid = group_of.get(k)
        found = [m for m in members.get(str(gid), []) if m.id != doc_id]
        out.append(tuple(found))
    return out


def _members(search: Search, collection: str, groups: list[str]) -> dict[str, list[Copy]]:
    """The members of ``groups`` as copies: the representative first, then by date and id."""
    out: dict[str, list[Copy]] = {}
    page, seen = 1, 0
    expr = f"{GROUP_FIELD}:=[{','.join(quote(g) for g in groups)}]"
    while True:
        reply = search([{
            "collection": collection, "q": "*", "filter_by": expr, "page": page,
            "per_page": MAX_ROWS, "include_fields": f"doc,{GROUP_FIELD}",
        }])[0]  # fmt: skip
        hits = reply.get("hits", [])
        for hit in hits:
            copy = Copy.from_fields(json.loads(hit["document"]["doc"]))
            out.setdefault(str(hit["document"].get(GROUP_FIELD)), []).append(copy)
        seen += len(hits)
        if not hits or seen >= int(reply.get("found", 0)):
            break
        page += 1
    for gid, copies in out.items():
        copies.sort(key=_order(gid))
    return out


def _order(gid: str) -> Callable[[Copy], tuple[bool, bool, str, str]]:
    """The representative first, then by date (undated last) and id."""
    return lambda c: (group_id(c.id) != gid, c.date is None, c.date or "", c.id)
