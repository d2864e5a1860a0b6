"""Cached loading: validation and the regions join, keyed on the file's content.

Streamlit hashes the ``bytes`` argument, so the same content is validated and joined once per
process however often the app reruns; a changed file is picked up at once.

The joined frames are cached with ``st.cache_resource``: shared, not copied. ``st.cache_data``
would unpickle a fresh copy on every rerun — 0.5 s for 100,000 events, a quarter of the redraw
budget. Nothing in the app mutates them: ``geo.filter`` and ``geo.pipeline`` return new frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import streamlit as st

from geo.errors import Problem
from geo.reference.paths import EVENTS_CSV
from webapp.workspace import read_events


@dataclass
class LoadedDataset:
    """A validated dataset, joined to the regions, with what validation found."""

    events: gpd.GeoDataFrame
    rows: int
    problems: list[Problem] = field(default_factory=list)


@st.cache_resource(show_spinner=False)
def regions():
    """Return the shared, read-only regions (loaded once per process)."""
    from geo.reference.regions import load_regions

    return load_regions()


def _join(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from geo.join import join_events

    return join_events(events, regions())


@st.cache_resource(show_spinner="Validating…", max_entries=8)
def validate_content(content: bytes, filename: str) -> LoadedDataset:
    """Validate a file's content and join it to the regions.

    A file that cannot be read at all gives no events and the one problem saying why.
    """
    from geo.validate import load_events

    result = load_events(content, filename)
    return LoadedDataset(_join(result.events), result.rows, list(result.problems))


def shipped_dataset() -> LoadedDataset:
    """Return the shipped ``data/events.csv``, validated and joined (cached by content)."""
    return validate_content(EVENTS_CSV.read_bytes(), EVENTS_CSV.name)


@st.cache_resource(show_spinner="Loading saved dataset…", max_entries=8)
def saved_content(content: bytes) -> gpd.GeoDataFrame:
    """Return a saved dataset's validated events (GeoParquet bytes) joined to the regions."""
    return _join(read_events(content))
