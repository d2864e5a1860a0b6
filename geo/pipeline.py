"""One view's data: the filtered events and their summary, computed once for every consumer.

The map, the app, every exporter and the CLI take a ``ViewData``, so they always agree with
``border-map summary``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.aggregate import Summary, summarise
from geo.filter import filter_events
from geo.join import join_events
from geo.reference import paths
from geo.reference.regions import load_regions
from geo.validate import load_events
from geo.view import ViewParams

_MAX_CACHED = 4
_JOINED: OrderedDict[str, gpd.GeoDataFrame] = OrderedDict()


@dataclass(frozen=True)
class ViewData:
    """A view, the joined events passing its filters (claims included), and their summary."""

    view: ViewParams
    events: gpd.GeoDataFrame
    summary: Summary


def build_view_data(joined_events: gpd.GeoDataFrame, view: ViewParams) -> ViewData:
    """Filter ``joined_events`` by ``view`` and summarise them.

    Parameters
    ----------
    joined_events
        All joined events (``geo.join.join_events``).
    view
        The filters to apply.

    Returns
    -------
    ViewData
        ``events``: rows passing the filters, each reference row with all its claims (see
        ``geo.filter``); ``summary``: ``geo.aggregate.summarise`` of the same view.
    """
    return ViewData(
        view=view,
        events=filter_events(joined_events, view),
        summary=summarise(joined_events, view),
    )


def load_joined_events(
    source: str | Path | bytes | None = None, filename: str | None = None
) -> gpd.GeoDataFrame:
    """Read, validate and join an events file (default: the shipped ``data/events.csv``).

    Cached by file content (the last few files): a changed file is read again. The returned
    frame is shared; do not mutate it. Validation problems are not returned here: use
    ``geo.validate.load_events`` to report them.
    """
    if source is None:
        source = paths.EVENTS_CSV
    content = source if isinstance(source, bytes) else Path(source).read_bytes()
    key = hashlib.sha256(content).hexdigest() + "|" + (filename or "")
    joined = _JOINED.get(key)
    if joined is None:
        events = load_events(source, filename).events
        joined = join_events(events, load_regions())
        _JOINED[key] = joined
        if len(_JOINED) > _MAX_CACHED:
            _JOINED.popitem(last=False)
    else:
        _JOINED.move_to_end(key)
    return joined


def load_view_data(
    view: ViewParams, source: str | Path | bytes | None = None, filename: str | None = None
) -> ViewData:
    """Return the ``ViewData`` of ``view`` over an events file (default: the shipped one).

    Parameters
    ----------
    view
        The filters to apply.
    source
        A path or the file's bytes; None for ``data/events.csv``.
    filename
        The file's name when ``source`` is bytes (tells its format).

    Returns
    -------
    ViewData
        See ``build_view_data``.
    """
    return build_view_data(load_joined_events(source, filename), view)
