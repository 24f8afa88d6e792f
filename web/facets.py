"""Facets as small objects that know their values and render their own toggle links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.index.backend import FacetValue
from search.index.languages import display_name
from web.params import SearchParams

LABELS = {"region": "Region", "year": "Year", "official": "Official", "source": "Source",
          "language": "Language"}  # fmt: skip


@dataclass
class FacetLink:
    """One facet value as shown: its count, whether it is selected, and the toggle link."""

    value: str | int
    count: int
    selected: bool
    href: str  # query string that toggles this value
    facet: str = ""

    @property
    def label(self) -> str:
        if self.facet == "language":  # "zh": "中文 / Chinese"
            return display_name(str(self.value))
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
    params: SearchParams,
    facets: dict[str, list[FacetValue]],
    shown: int,
    more: int,
    totals: dict[str, int] | None = None,
) -> list[FacetView]:
    """Facet views in display order; a facet's list is cut at ``shown`` unless expanded.

    ``totals`` counts each facet's distinct values where the backend listed only the top ones.
    """
    out = []
    for name, values in facets.items():
        if name == "year":
            listed = values  # the chart shows every year in order
        else:
            limit = more if params.more == name else shown
            if params.values(name):
                # Selected values first so they are never hidden behind "more".
                chosen = [v for v in values if v.selected]
                listed = (
                    chosen + [v for v in values if not v.selected][: max(0, limit - len(chosen))]
                )
            else:  # nothing selected here (the usual case): no need to look at every value
                listed = values[:limit]
        links = [
            FacetLink(v.value, v.count, v.selected, params.toggled(name, v.value), name)
            for v in listed
        ]
        hidden = max(len(values), (totals or {}).get(name, 0)) - len(listed)
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
    href: str | None  # None for a year without matches inside the charted span
    x: float
    y: float
    width: float
    height: float


def year_chart(
    links: list[FacetLink], width: int = 240, height: int = 80, max_bars: int = 60
) -> dict[str, Any]:
    """Bars for the year facet, one slot per year from the first to the last with matches.

    Years without matches inside the span get an empty slot (no link), so gaps show as gaps.
    Beyond ``max_bars`` years only the most recent are drawn (older ones stay reachable
    through the date range); bars never grow wider than a few pixels more than their label.
    """
    by_year = {int(link.value): link for link in links if isinstance(link.value, int)}
    if not by_year:
        return {"bars": [], "width": width, "height": height, "first": None, "last": None}
    last = max(by_year)
    first = max(min(by_year), last - max_bars + 1)
    years = list(range(first, last + 1))
    extra = sorted(y for y, link in by_year.items() if y < first and link.selected)
    years = extra + years
    peak = max((by_year[y].count for y in years if y in by_year), default=0) or 1
    slot = min(width / len(years), 24)
    gap = 1 if slot > 4 else 0
    plot = height - 12
    bars = []
    for i, year in enumerate(years):
        link = by_year.get(year)
        n = link.count if link else 0
        h = max(2.0, (plot - 2) * n / peak) if n else 1.0
        bars.append(
            Bar(
                year=year,
                count=n,
                selected=bool(link and link.selected),
                href=link.href if link else None,
                x=round(i * slot, 2),
                y=round(plot - h, 2),
                width=round(max(slot - gap, 1), 2),
                height=round(h, 2),
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "plot": plot,
        "first": years[0],
        "last": years[-1],
        "right": round(len(years) * slot, 2),
    }
