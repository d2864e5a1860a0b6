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

A saved dataset's version (``storage.store``) is cached by its content's sha256 and the format
it is read as (:func:`stored_dataset`), in the process and on disk (``webapp.events_cache``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from geo.errors import count_problems
from geo.pipeline import Dataset, dataset_from_events, load_dataset, load_shipped_dataset
from geo.reference import Reference, load_reference, paths
from geo.reference.schema import JOIN_COLUMNS
from i18n import N_, _
from storage.store import Store, VersionInfo
from webapp.events_cache import Counts, EventsCache

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


def validated_events(dataset: Dataset) -> gpd.GeoDataFrame:
    """Return a dataset's events as validation left them, before the join (for the disk cache).

    ``geo.join.join_events`` only adds ``geo.reference.schema.JOIN_COLUMNS``.
    """
    return dataset.events.drop(columns=[c for c in JOIN_COLUMNS if c in dataset.events])


def counts_of(dataset: Dataset) -> Counts:
    """Return a validated dataset's counts: records, valid events, problems."""
    return Counts(dataset.rows, len(dataset.events), count_problems(dataset.problems))


@dataclass(frozen=True)
class OpenedDataset:
    """A saved dataset's version as the app shows it, and what validating it found."""

    dataset: Dataset
    counts: Counts


@st.cache_resource(show_spinner=False, max_entries=8)
def _opened(
    sha256: str, read_as: str, name: str, _load: Callable[[], OpenedDataset]
) -> OpenedDataset:
    return _load()


def remember_opened(version: VersionInfo, name: str, loaded: Dataset) -> None:
    """Keep a just-saved upload's validated dataset as what ``version`` opens as (no rework)."""
    opened = OpenedDataset(dataclasses.replace(loaded, name=name), counts_of(loaded))
    _opened(version.sha256, version.read_as, name, lambda: opened)


def stored_dataset(
    store: Store, user: str | None, version: VersionInfo, name: str, cache: EventsCache
) -> OpenedDataset:
    """Return a saved version validated and joined, named ``name``.

    The caller has checked that ``user`` may see the dataset. Validated once per content and
    reading per process (``st.cache_resource``) and kept on disk across restarts
    (``webapp.events_cache``): only a version seen for the first time is read from the store
    (``Store.read_version``) and validated (:func:`validated_dataset`).
    """

    def load() -> OpenedDataset:
        hit = cache.get(version.sha256, version.read_as)
        if hit is not None:
            events, counts = hit
            joined = dataset_from_events(events, name, reference=reference())
            return OpenedDataset(dataclasses.replace(joined, rows=counts.rows), counts)
        content = store.read_version(user, version.dataset_id, version.number)
        loaded = _validated(content, version.filename, version.read_as)
        counts = counts_of(loaded)
        if not loaded.events.empty:
            cache.put(version.sha256, version.read_as, validated_events(loaded), counts)
        return OpenedDataset(dataclasses.replace(loaded, name=name), counts)

    with st.spinner(_("Loading saved dataset…")):
        return _opened(version.sha256, version.read_as, name, load)
