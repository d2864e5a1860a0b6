"""One path from a file to a view: load a dataset once, then build each view from it.

``load_dataset`` reads, validates and joins an events file (uncached: the app wraps it in
``st.cache_resource``, the CLI calls it directly). ``build_view`` filters a dataset's events by
a view once and summarises what passed. The map, the app, every exporter and the CLI take the
resulting ``ViewData``, so they always agree with ``border-map summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.aggregate import Summary, summarise
from geo.disk_cache import disk_cached, file_checksum
from geo.errors import Problem
from geo.filter import filter_events
from geo.read.common import UPLOAD, Limits
from geo.reference import Reference, load_reference, paths
from geo.view import ViewParams


@dataclass(frozen=True)
class Dataset:
    """A named events dataset: its valid events joined to the regions, and what was wrong.

    Attributes
    ----------
    name
        What the user calls it (the file name).
    events
        Validated events (``geo.validate``) joined to the regions (``geo.join``). Shared: do
        not mutate it.
    rows
        Records in the file.
    problems
        Every problem validation found (read problems first).
    """

    name: str
    events: gpd.GeoDataFrame
    rows: int
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Return the problems that excluded rows (or the whole file)."""
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class ViewData:
    """A view, the joined events passing its filters (claims included), and their summary.

    ``withheld``: the columns whose text was left out for publication (``geo.withhold``),
    which every output built from the view says in its data note; () for a full view.
    """

    view: ViewParams
    events: gpd.GeoDataFrame
    summary: Summary
    withheld: tuple[str, ...] = ()


def load_dataset(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    reference: Reference | None = None,
    fmt: str = "auto",
    limits: Limits = UPLOAD,
    geometry: bool = True,
) -> Dataset:
    """Read, validate and join an events file.

    Parameters
    ----------
    source
        A path, or the file's bytes (an upload).
    filename
        The file's name when ``source`` is bytes (tells its format and names the dataset).
    reference
        The reference data; None loads the shipped one.
    fmt
        What to read the file as (``geo.validate.layouts.FORMATS``); its headers decide by
        default.
    limits
        The file's largest size and longest validation (an upload's by default; see
        ``geo.validate.load_events``).
    geometry
        False leaves the events' geometry column empty (``lat``/``lon`` hold the points): for
        a caller that only summarises them, e.g. ``border-map summary``.

    Returns
    -------
    Dataset
        With no events and the one problem saying why when the file cannot be read at all.
    """
    from geo.join import join_events  # validation and the join: not for a cached dataset
    from geo.validate import load_events

    reference = reference or load_reference()
    result = load_events(
        source, filename, reference=reference, fmt=fmt, limits=limits, geometry=geometry
    )
    name = filename or (Path(source).name if not isinstance(source, bytes) else "upload")
    return Dataset(
        name=name,
        events=join_events(result.events, reference),
        rows=result.rows,
        problems=tuple(result.problems),
    )


def dataset_from_events(
    events: gpd.GeoDataFrame, name: str, *, reference: Reference | None = None
) -> Dataset:
    """Return already validated events (e.g. a saved upload) joined to the regions.

    Parameters
    ----------
    events
        Events in the normalised shape ``geo.validate`` produces.
    name
        What the user calls the dataset.
    reference
        The reference data; None loads the shipped one.
    """
    from geo.join import join_events

    events = join_events(events, reference or load_reference())
    return Dataset(name=name, events=events, rows=len(events))


def load_shipped_dataset(reference: Reference | None = None) -> Dataset:
    """Return the shipped ``data/events.csv`` as a dataset (see ``load_dataset``).

    With the shipped reference (``reference`` None), the result is kept on disk for later
    processes (``geo.disk_cache``), checked against the bytes of the events and reference files.
    """
    if reference is not None:
        return load_dataset(paths.EVENTS_CSV, reference=reference)
    files = (paths.EVENTS_CSV, *paths.REFERENCE_FILES)
    return disk_cached(
        "shipped-events", file_checksum(files), lambda: load_dataset(paths.EVENTS_CSV)
    )


def build_view(events: gpd.GeoDataFrame, view: ViewParams) -> ViewData:
    """Filter a dataset's joined events by ``view`` once, and summarise what passed.

    Parameters
    ----------
    events
        All joined events of a dataset (``Dataset.events``).
    view
        The filters to apply.

    Returns
    -------
    ViewData
        ``events``: rows passing the filters, each reference row with all its claims (see
        ``geo.filter``); ``summary``: ``geo.aggregate.summarise`` of those rows.
    """
    selected = filter_events(events, view)
    return ViewData(view=view, events=selected, summary=summarise(selected, view, events))
