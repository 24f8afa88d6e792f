"""Extraction: the officials, regions and years of a cleaned ``Article``.

Rules and gazetteers only (no statistical model), so one release costs a few milliseconds.
``extract(article)`` fills ``article.officials``, ``article.regions`` and ``article.years``
(``pipeline``). The modules, from the bottom up:

* ``regions``: the gazetteer (countries, subdivisions, US counties, cities, ``data/*.tsv``) and
  the query side's ``resolve_region``, ``alias_map`` and ``fold``; ``spellings``: other
  forms of names in its data ("Free State of Bavaria", "València").
* ``lexicon``: word lists that are rules (company, government, direction, stop words) and the
  office titles of ``data/official_titles.txt``; ``scan``: text helpers both sides share.
* Places: ``place_patterns`` ("SANTA ANA, Calif. –", "City, State", county lists, "(S&D, DE)")
  and ``place_names`` (gazetteer names over runs of capitalised words, kept or dropped by the
  words around them) make ``place_hits``; ``place_choice`` decides which place an ambiguous
  name is from the release's other places; ``places`` runs them in that order.
* Officials: ``names`` (the shape of a person's name), ``titles`` (the title patterns),
  ``mentions`` (the person a title introduces: "Mayor Gong Zheng", "Kim Yung-rok, the
  governor of ..."), ``officials`` (every source of mentions, and the facet entries) and
  ``merge`` (one entry per person under the fullest name).
* ``years``: four-digit years that are not phone, street, section or amount numbers.
"""

from search.extract.officials import extract_officials
from search.extract.pipeline import extract, extract_regions
from search.extract.years import extract_years

__all__ = ["extract", "extract_officials", "extract_regions", "extract_years"]
