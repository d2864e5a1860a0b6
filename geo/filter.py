"""Filter joined events by a view: date range, event types, provinces.

Rules
-----
Dates
    ``start`` (default): the event's start date lies in the view's range, so each event is
    in exactly one of any set of adjacent ranges and their totals add up (UCDP and ACLED
    count this way). An event with no start is placed at its end (``known_dates``: the only
    date its source gives, the same first day the time slider and timeline use); an event
    with neither date is *undated*: it is in a view only when both ends of the range are
    open, and the by-year table lists it as "date not known", never in a year.
    ``overlap``: the event's ``[date_start, date_end]`` overlaps the view's range; an event
    spanning a boundary counts in both ranges (``spanning_events`` lists them).
    ``within``: it lies entirely inside the range. ``view.start``/``view.end`` of None leave
    that side open. A missing date is never stretched to infinity (a 2004 event with no
    end date must not appear in every later year): in every mode, and in the reports'
    cross-checks, the event is placed at the dates it has (``known_dates``), so the same
    event is in the same years in the figures, the by-year table, the timeline and the
    cross-checks.
Types
    ``event_type`` in ``view.types``; an empty ``view.types`` selects every type.
Provinces
    With ``view.provinces`` empty, no province filter. Otherwise an event matches when any of
    its ``provinces`` is selected; border-wide, outside and country-uncertain events (which
    have no province) are then excluded.
Claims
    A claim row (``same_event_as`` set) is included exactly when its reference row is, so an
    event and every source's claim about it always travel together. A claim whose reference
    row is not in the frame is judged on its own.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.reference.schema import MATCH_MODES
from geo.view import ViewParams


def is_reference(events: pd.DataFrame) -> pd.Series:
    """Return a boolean Series: the row is an event's reference row (``same_event_as == ''``)."""
    return events["same_event_as"].eq("")


def date_mask(
    starts: pd.Series,
    ends: pd.Series,
    start: dt.date | pd.Timestamp | None,
    end: dt.date | pd.Timestamp | None,
    match: str = "start",
) -> pd.Series:
    """Return which ``[starts, ends]`` intervals match ``[start, end]`` (rules in the module doc).

    Parameters
    ----------
    starts, ends
        Event start and end dates (datetime64, NaT for unknown; start <= end when both
        are known, as validation ensures).
    start, end
        The range's first and last day (inclusive); None leaves that side open.
    match
        ``"start"`` (``starts`` in the range; a missing start never is), ``"overlap"`` or
        ``"within"`` (``geo.reference.schema.MATCH_MODES``).

    Returns
    -------
    pandas.Series
        Boolean, aligned with ``starts``.
    """
    if match not in MATCH_MODES:
        raise ValueError(f"match is {match!r}; expected one of {', '.join(MATCH_MODES)}")
    if match == "start":  # the start date lying within the range
        ends, match = starts, "within"
    keep = pd.Series(True, index=starts.index)
    overlap = match == "overlap"
    if start is not None:
        first = pd.Timestamp(start).normalize()
        keep &= (ends.ge(first) | ends.isna()) if overlap else starts.ge(first)
    if end is not None:
        after = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
        keep &= (starts.lt(after) | starts.isna()) if overlap else ends.lt(after)
    return keep.astype(bool)


def known_dates(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each event's start and end with missing dates filled from what is known.

    The one rule placing an event with a missing date, for every date filter, the reports'
    cross-checks, the by-year table, the time slider and the timeline. A missing start becomes
    the end (the only date the source gives); a missing end becomes
    the source's publication date when that is a full date (the event cannot be reported
    before it happens), else the start.

    Parameters
    ----------
    events
        Frame with ``date_start``, ``date_end`` and ``source_published``.

    Returns
    -------
    tuple of pandas.Series
        Starts and ends (datetime64; NaT only where both dates are missing).
    """
    published = pd.to_datetime(
        events["source_published"].where(events["source_published"].str.len().eq(10)),
        format="%Y-%m-%d",
        errors="coerce",
    ).astype(events["date_end"].dtype)
    ends = events["date_end"].fillna(published).fillna(events["date_start"])
    starts = events["date_start"].fillna(events["date_end"])
    return starts, ends


def _own_match(events: gpd.GeoDataFrame, view: ViewParams) -> NDArray[np.bool_]:
    starts, ends = known_dates(events)
    keep = date_mask(starts, ends, view.start, view.end, view.match)
    if view.types:
        keep &= events["event_type"].isin(list(view.types))
    keep = keep.to_numpy(dtype=bool)
    if view.provinces:
        selected = set(view.provinces)
        codes, distinct = pd.factorize(events["provinces"], use_na_sentinel=False)
        hit = np.array([not selected.isdisjoint(p.split("|")) for p in distinct], dtype=bool)
        keep = keep & hit[codes]
    return keep


def reference_positions(events: pd.DataFrame) -> NDArray[np.intp]:
    """Return, per row, the position of its reference row.

    A reference row, a claim whose ``same_event_as`` is not an ``event_id`` in the frame, and
    a claim pointing at another claim are their own reference. A claim points at the first row
    with that ``event_id``. Only the claims are looked up (most files have none).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    own = np.arange(len(events))
    target = events["same_event_as"].fillna("")
    claims = np.flatnonzero(target.ne("").to_numpy(dtype=bool))
    if not len(claims):
        return own
    ids = pa.array(events["event_id"], type=pa.large_string())
    wanted = pa.array(target.iloc[claims], type=pa.large_string())
    found = pc.index_in(wanted, value_set=ids).fill_null(-1).to_numpy()
    hit = found >= 0
    rows, pos = claims[hit], found[hit]
    to_reference = target.iloc[pos].eq("").to_numpy(dtype=bool)
    own[rows[to_reference]] = pos[to_reference]
    return own


def reference_ids(events: pd.DataFrame) -> pd.Series:
    """Return each row's reference ``event_id`` (see ``reference_positions``)."""
    ids = events["event_id"].to_numpy(dtype=object)
    return pd.Series(ids[reference_positions(events)], index=events.index, dtype="str")


def filter_events(events: gpd.GeoDataFrame, view: ViewParams) -> gpd.GeoDataFrame:
    """Return the joined events passing ``view``'s filters, claims with their reference row.

    Parameters
    ----------
    events
        Joined events (``geo.join.join_events``).
    view
        Date range, match mode, types and provinces to apply.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows in their original order and index (a copy).
    """
    keep = _own_match(events, view)[reference_positions(events)]
    if keep.all():  # copy-on-write: nothing is copied until either frame is changed
        return events.copy(deep=False)
    return events[keep]


def spanning_events(events: pd.DataFrame, view: ViewParams) -> pd.DataFrame:
    """Return the events that run past the view's range: those ``overlap`` counts twice.

    An event whose known dates (``known_dates``) start before ``view.start`` or end after
    ``view.end`` is also in the neighbouring range, so with ``overlap`` the totals of adjacent
    ranges do not add up; these are the events that make the difference. An open side of the
    range has no neighbour and spans nothing.

    Parameters
    ----------
    events
        Events selected by the view (any rows; filter the counted ones first).
    view
        The view whose range's boundaries are looked at.

    Returns
    -------
    pandas.DataFrame
        The spanning rows of ``events``, in their order (a copy).
    """
    starts, ends = known_dates(events)
    spans = pd.Series(False, index=events.index)
    if view.start is not None:
        spans |= starts.lt(pd.Timestamp(view.start).normalize())
    if view.end is not None:
        spans |= ends.ge(pd.Timestamp(view.end).normalize() + pd.Timedelta(days=1))
    return events[spans.to_numpy(dtype=bool)].copy()
