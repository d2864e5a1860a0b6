"""Parsers of single cell values: dates, counts, coordinates."""
