"""Facets as small objects that know their values and render their own toggle links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.backend import FacetValue
from web.params import SearchParams

LABELS = {"region": "Region", "year": "Year", "official": "Official", "source": "Source"}


@dataclass
class FacetLink:
    """One facet value as shown: its count, whether it is selected, and the toggle link."""

    value: str | int
    count: int
    selected: bool
    href: str  # query string that toggles this value

    @property
    def label(self) -> str:
        return str(self.value)


@dataclass
class FacetView:
    """One facet of a search result: the values to list and the "more"/"fewer" links."""

    name: str
    links: list[FacetLink]
    hidden: int  # values not listed (behind "more")
    more_href: str | None
    fewer_href: str | None

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name.title())

    @property
    def selected(self) -> list[FacetLink]:
        return [link for link in self.links if link.selected]

    @property
    def id(self) -> str:
        return f"facet-{self.name}"


def facet_views(
    params: SearchParams, facets: dict[str, list[FacetValue]], shown: int, more: int
) -> list[FacetView]:
    """Facet views in display order; a facet's list is cut at ``shown`` unless expanded."""
    out = []
    for name, values in facets.items():
        # Selected values first so they are never hidden behind "more".
        ordered = [v for v in values if v.selected] + [v for v in values if not v.selected]
        if name == "year":
            ordered = values  # the chart shows every year in order
            limit = len(values)
        else:
            limit = more if params.more == name else shown
        listed = ordered[: max(limit, sum(v.selected for v in values))]
        links = [
            FacetLink(v.value, v.count, v.selected, params.toggled(name, v.value)) for v in listed
        ]
        hidden = len(values) - len(listed)
        out.append(
            FacetView(
                name=name,
                links=links,
                hidden=hidden,
                more_href=params.with_more(name) if hidden else None,
                fewer_href=params.with_more(None) if params.more == name else None,
            )
        )
    return out


@dataclass
class Bar:
    """One bar of a year chart (SVG coordinates precomputed so the template stays dumb)."""

    year: int
    count: int
    selected: bool
    href: str
    x: float
    y: float
    width: float
    height: float


def year_chart(
    links: list[FacetLink], width: int = 240, height: int = 80, max_bars: int = 60
) -> dict[str, Any]:
    """Bars for the year facet: one per year with matches, scaled to the largest count."""
    years = [link for link in links if isinstance(link.value, int)]
    if len(years) > max_bars:
        # Keep the most recent years; older ones remain reachable through the date range.
        keep = {id(link) for link in years[-max_bars:]} | {id(x) for x in years if x.selected}
        years = [link for link in years if id(link) in keep]
    peak = max((link.count for link in years), default=0) or 1
    slot = width / max(len(years), 1)
    gap = 1 if slot > 4 else 0
    bars = []
    for i, link in enumerate(years):
        h = max(2.0, (height - 14) * link.count / peak) if link.count else 1.0
        bars.append(
            Bar(
                year=int(link.value),
                count=link.count,
                selected=link.selected,
                href=link.href,
                x=round(i * slot, 2),
                y=round(height - 12 - h, 2),
                width=round(max(slot - gap, 1), 2),
                height=round(h, 2),
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "first": bars[0].year if bars else None,
        "last": bars[-1].year if bars else None,
        "peak": peak,
    }
