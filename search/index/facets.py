"""How facet values are listed, whichever engine counted them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from search.index.backend import FacetValue


def by_count(counts: Mapping[Any, int], limit: int | None = None) -> list[tuple[Any, int]]:
    """Values with a count, most frequent first, equal counts in value order; ``limit`` kept."""
    items = sorted(((v, n) for v, n in counts.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))
    return items[:limit] if limit is not None else items


def facet_list(
    ordered: Iterable[tuple[Any, int]],
    selected: Sequence[Any],
    count_of: Callable[[Any], int],
    by_value: bool = False,
) -> list[FacetValue]:
    """The listed values in ``ordered``'s order, then every selected value not among them
    (``count_of`` gives its count: a selection stays visible, and can be undone, even at 0);
    sorted by value instead for a chart (years)."""
    out = [FacetValue(value, int(count), value in selected) for value, count in ordered]
    listed = {v.value for v in out}
    out += [FacetValue(value, count_of(value), True) for value in selected if value not in listed]
    if by_value:
        out.sort(key=lambda v: (isinstance(v.value, str), v.value))
    return out
