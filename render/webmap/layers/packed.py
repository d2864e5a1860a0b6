"""Events coalesced per place and first day, packed in compact columns for the browser.

Past ``render.cells.AGGREGATE_THRESHOLD`` point events the map sends, instead of one row per event,
one *group* per place (a grid cell, a set of provinces, the border) and first day: its number
of events and the sums of their low, best and high people (high ``None`` when any of them has
no upper bound), so the counts stay exact while the page's size is bounded by places × days,
not by events. Groups are ordered by place, then day (undated first); each column is a run of
LEB128 varints in base64, decoded by ``unpack`` in ``templates/events_layer.js``.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pandas as pd

#: The packed columns, in the order ``events_layer.js`` reads them; one absent is all zeros.
COLUMNS = ("day", "n", "best", "low", "high", "open")


def varints(values: np.ndarray) -> bytes:
    """Return non-negative integers as LEB128 varints (7 bits a byte, low bits first).

    Examples
    --------
    >>> varints(np.array([0, 1, 127, 128, 300])).hex()
    '00017f8001ac02'
    """
    v = np.asarray(values, dtype=np.uint64)
    length = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        length += v >= np.uint64(1 << (7 * k))
    start = np.cumsum(length) - length
    owner = np.repeat(np.arange(len(v)), length)
    place = np.arange(int(length.sum())) - start[owner]
    low = (v[owner] >> (7 * place).astype(np.uint64)) & np.uint64(0x7F)
    more = (place < length[owner] - 1).astype(np.uint64) << np.uint64(7)
    return (low | more).astype(np.uint8).tobytes()


def zigzag(values: np.ndarray) -> np.ndarray:
    """Return signed integers as non-negative ones: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ..."""
    v = np.asarray(values, dtype=np.int64)
    return np.where(v < 0, -2 * v - 1, 2 * v)


def coalesce(place: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
    """Return one group per place and first day, ordered by place, then day (undated first).

    Parameters
    ----------
    place
        Each event's place (non-negative integers; an event may be listed at several).
    rows
        ``[first day, low, best, high]`` of each listed event (``events.event_rows``: NaN for
        no day and for no upper bound).

    Returns
    -------
    pandas.DataFrame
        ``place``, ``day`` (NaN: undated), ``n`` (events), ``low``, ``best``, ``high`` (sums;
        NaN when an event of the group has no upper bound).
    """
    frame = pd.DataFrame(
        {
            "place": np.asarray(place, dtype=np.int64),
            "day": rows[:, 0],
            "low": rows[:, 1],
            "best": rows[:, 2],
            "high": np.nan_to_num(rows[:, 3]),
            "open": np.isnan(rows[:, 3]),
        }
    )
    groups = frame.groupby(["place", "day"], sort=True, dropna=False).agg(
        n=("low", "size"), low=("low", "sum"), best=("best", "sum"), high=("high", "sum"),
        open=("open", "any"),
    ).reset_index()  # fmt: skip
    groups["high"] = groups["high"].where(~groups["open"])
    # Undated first within a place (groupby puts NaN last).
    day = groups["day"].fillna(-np.inf).to_numpy()
    groups = groups.iloc[np.lexsort((day, groups["place"].to_numpy()))]
    return groups.drop(columns="open").reset_index(drop=True)


def pack(groups: pd.DataFrame) -> dict[str, Any]:
    """Return :func:`coalesce`'s groups as ``events_layer.js`` reads them.

    ``count`` groups; ``base`` the day before the first; per column of :data:`COLUMNS` not all
    zero, its varints in base64: ``day`` twice the zigzagged step from the previous group's
    offset (from 0; a day ``d`` has the offset ``d - base``, no day 0), plus 1 when the group
    has more than one event; ``n`` the events of those groups only (most groups hold one);
    ``best`` people, ``low`` and ``high`` their zigzagged differences from ``best``, ``open``
    1 when the group's high is unbounded.
    """
    day = groups["day"].to_numpy(dtype=float)
    base = int(np.nanmin(day)) - 1 if np.isfinite(day).any() else 0
    offset = np.where(np.isnan(day), 0, day - base).astype(np.int64)
    best = groups["best"].to_numpy(dtype=np.int64)
    is_open = groups["high"].isna().to_numpy()
    high = groups["high"].fillna(0).to_numpy(dtype=np.int64)
    n = groups["n"].to_numpy(dtype=np.int64)
    columns = {
        "day": 2 * zigzag(np.diff(offset, prepend=0)) + (n > 1),
        "n": n[n > 1],
        "best": best,
        "low": zigzag(best - groups["low"].to_numpy(dtype=np.int64)),
        "high": np.where(is_open, 0, zigzag(high - best)),
        "open": is_open.astype(np.int64),
    }
    packed: dict[str, Any] = {"count": len(groups), "base": base}
    for name in COLUMNS:
        if columns[name].any():  # "n" of no group: all groups hold one event
            packed[name] = base64.b64encode(varints(columns[name])).decode("ascii")
    return packed


def ranges(place: np.ndarray, places: int) -> np.ndarray:
    """Return ``[start, end)`` of each place's groups in :func:`coalesce`'s order."""
    bounds = np.searchsorted(np.asarray(place), np.arange(places + 1))
    return np.column_stack([bounds[:-1], bounds[1:]])
