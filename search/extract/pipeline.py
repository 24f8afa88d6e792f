"""The extraction of one release: its officials, then its places (the officials' names are
not places: "Jordan" the senator), then the years it mentions."""

from __future__ import annotations

from typing import Any

from search.extract.native_names import native_name
from search.extract.officials import extract_officials
from search.extract.places import person_tokens, places_in, written_places
from search.extract.regions import Place
from search.extract.years import extract_years
from search.ingest.article import Article


def extract_regions(text: str) -> list[dict[str, Any]]:
    """Places named in the text, canonical and in order of first mention."""
    officials = extract_officials(text)
    return [p.as_dict() for p in places_in(text, person_tokens(officials))]


def extract(article: Article) -> Article:
    """Fill ``officials``, ``regions`` and ``years`` of ``article`` from its text; return it."""
    # Photo captions name the people in the photo ("Minister-President X welcomes Governor Y"),
    # date lines the place and year of the release ("Doha, May 11, 2023"): both are read after
    # the text, so that the text's own spellings come first.
    text = "\n\n".join([article.text, *article.captions, *article.date_lines])
    article.officials = extract_officials(text, article.language)
    persons = person_tokens(article.officials)
    article.regions = [
        region_dict(p, written) for p, written in written_places(text, persons, article.language)
    ]
    years = set(extract_years(text))
    if article.date and _date_written_in_release(article):
        # the cleaner moves the release's own date line ("September 26, 2025", "Ends/Friday,
        # January 3, 2020") out of the body into ``date``; its year was still written there
        years.add(int(article.date[:4]))
    article.years = sorted(years)
    return article


def region_dict(place: Place, written: str | None) -> dict[str, Any]:
    """A place as the facet reports it (its English name), with its own-language name where
    that differs ("native": "上海市"), and the name as the release writes it where the release
    writes another ("written": "杭州市")."""
    out = place.as_dict()
    native = native_name(place.key)
    if native and native != place.name:
        out["native"] = native
    if written and written != place.name:
        out["written"] = written
    return out


def _date_written_in_release(article: Article) -> bool:
    """Whether the publication date was read from the release's own text (not a feed field)."""
    if article.date_source in ("text", "dateline"):
        return True
    # a JSONL record whose date its producer parsed from the page text
    return article.date_source == "record" and article.metadata.get("date_source") == "text"
