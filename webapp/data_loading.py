"""Cached loading for the app: ``geo.pipeline.load_dataset`` wrapped in ``st.cache_resource``.

Streamlit hashes the ``bytes`` argument, so the same content is validated and joined once per
process however often the app reruns; a changed file is picked up at once.

Datasets are cached with ``st.cache_resource``: shared, not copied. ``st.cache_data`` would
unpickle a fresh copy on every rerun — 0.5 s for 100,000 events, a quarter of the redraw
budget. Nothing in the app mutates them: ``geo.filter`` and ``geo.pipeline`` return new frames.

No cached value holds text in the page's language: a dataset's name and its problems are
stored in English and translated where they are shown, so one cache entry serves every
language. The spinners are ``st.spinner`` around the cached call, worded in the page's
language (a decorator's ``show_spinner`` text is fixed when the module is imported).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from geo.pipeline import Dataset, dataset_from_events, load_dataset, load_shipped_dataset
from geo.reference import Reference, load_reference, paths
from i18n import N_, _
from webapp.workspace import read_events

#: The shipped dataset's name (``Dataset.name``; shown translated, ``_(SHIPPED_NAME)``).
SHIPPED_NAME = N_("Shipped events (data/events.csv)")


@st.cache_resource(show_spinner=False)
def reference() -> Reference:
    """Return the shared, read-only reference data (loaded once per process)."""
    return load_reference()


@st.cache_resource(show_spinner=False, max_entries=8)
def _validated(content: bytes, filename: str, fmt: str) -> Dataset:
    return load_dataset(content, filename, reference=reference(), fmt=fmt)


def validated_dataset(content: bytes, filename: str, fmt: str = "auto") -> Dataset:
    """Return a file's content read as ``fmt``, validated and joined (``load_dataset``)."""
    with st.spinner(_("Validating…")):
        return _validated(content, filename, fmt)


@st.cache_resource(show_spinner=False, max_entries=1)
def _shipped(modified_ns: int) -> Dataset:
    return dataclasses.replace(load_shipped_dataset(), name=SHIPPED_NAME)


def shipped_dataset() -> Dataset:
    """Return the shipped ``data/events.csv``, validated and joined.

    ``geo.pipeline.load_shipped_dataset``, as the command line loads it (kept on disk across
    processes), cached in the process until the file is changed.
    """
    with st.spinner(_("Validating…")):
        return _shipped(paths.EVENTS_CSV.stat().st_mtime_ns)


@st.cache_resource(show_spinner=False, max_entries=8)
def _saved(content: bytes, name: str) -> Dataset:
    return dataset_from_events(read_events(content), name, reference=reference())


def saved_dataset(content: bytes, name: str) -> Dataset:
    """Return a saved dataset (its validated events as GeoParquet bytes) joined to the regions."""
    with st.spinner(_("Loading saved dataset…")):
        return _saved(content, name)
