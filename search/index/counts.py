"""What a reindex did, counted by document id from the old and the new manifest."""

from __future__ import annotations

from typing import Any


def document_counts(
    old_files: dict[str, dict[str, Any]],
    new_files: dict[str, dict[str, Any]],
    unchanged: list[str],
) -> dict[str, int]:
    """Documents added, updated (indexed again), removed and unchanged, from the manifests' ids.

    Files are hashed, not records: every document of a changed file counts as updated. Ids
    are compared across files, so a renamed file updates its documents.
    """
    kept = {doc_id for rel in unchanged for doc_id in new_files[rel]["ids"]}
    before = {doc_id for entry in old_files.values() for doc_id in entry["ids"]} - kept
    after = {doc_id for entry in new_files.values() for doc_id in entry["ids"]} - kept
    return {
        "added": len(after - before),
        "updated": len(after & before),
        "removed": len(before - after),
        "unchanged": len(kept),
    }
