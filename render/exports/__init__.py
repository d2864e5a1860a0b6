"""Exporters: static snapshots, offline HTML, data files, report pack."""
