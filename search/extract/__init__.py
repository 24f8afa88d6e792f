"""Extraction: the officials, regions and years of a cleaned ``Article``."""

from search.extract.extractor import extract, extract_officials, extract_regions, extract_years

__all__ = ["extract", "extract_officials", "extract_regions", "extract_years"]
