"""Read and check explicit lat/lon points, all rows at once (shapely's vectorised ``contains_xy``).

:func:`read_degrees` reads the cells: a decimal number, finite as a 64-bit float. Anything else
(words, ``41,8``, ``nan``, ``inf``, ``1e400``, thousands of digits) is unreadable, never an
exception. :func:`check_points` then says why a readable pair is not a usable point (a code into
``POINT_PROBLEMS``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as arrow_compute
import shapely
from numpy.typing import NDArray

from geo.grid_index import grid_for

__all__ = [
    "MAP_AREA",
    "OUTSIDE_MAP_AREA",
    "OUTSIDE_MAP_AREA_CODE",
    "OUTSIDE_MAP_AREA_MESSAGE",
    "POINT_PROBLEMS",
    "check_points",
    "read_degrees",
]

#: (lon_min, lat_min, lon_max, lat_max) of ``countries.geojson``, the area the map covers.
MAP_AREA = (115.0, 33.0, 136.0, 50.0)
#: How a point beyond ``MAP_AREA`` is named (a warning: the row is kept, counted as outside).
OUTSIDE_MAP_AREA = "point is outside the map area"
#: The whole message of a point beyond ``MAP_AREA``.
OUTSIDE_MAP_AREA_MESSAGE = (
    f"{OUTSIDE_MAP_AREA} (lon {MAP_AREA[0]:g}–{MAP_AREA[2]:g}, lat {MAP_AREA[1]:g}–{MAP_AREA[3]:g})"
)


def read_degrees(cells: pd.Series) -> pd.Series:
    """Return the cells as float degrees; NaN where a cell is empty or not a finite number.

    Parameters
    ----------
    cells : pandas.Series of str
        Stripped cells ('' when empty).

    Returns
    -------
    pandas.Series of float
        Same index. Unreadable and non-finite values (``nan``, ``inf``, ``1e400``, a number of
        thousands of digits, which a float holds only as infinity) are NaN, like empty cells;
        tell them apart by the cell being non-empty.
    """
    values = _arrow_numbers(cells)
    if values is None:  # a cell Arrow does not read as a number: each cell on its own
        numbers = pd.to_numeric(cells.where(cells != "", None), errors="coerce")
        values = np.asarray(numbers, dtype=float)
    return pd.Series(np.where(np.isfinite(values), values + 0.0, np.nan), index=cells.index)


def _arrow_numbers(cells: pd.Series) -> np.ndarray | None:
    """Return the cells as floats (NaN when empty) in one pass, or None if one is not a number.

    Arrow reads a subset of what ``pandas.to_numeric`` reads, the same way (no spaces, no
    Unicode digits); ``-0`` becomes ``0.0`` by the caller.
    """
    text = pa.array(cells, type=pa.large_string())
    empty = arrow_compute.equal(text, "")
    try:
        numbers = arrow_compute.cast(
            arrow_compute.if_else(empty, pa.scalar(None, pa.large_string()), text), pa.float64()
        )
    except pa.ArrowInvalid:
        return None
    return numbers.to_numpy(zero_copy_only=False)


def _in_area(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = MAP_AREA
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


#: Why a lat/lon pair is not a usable point, by the code ``check_points`` gives it ('' for 0).
POINT_PROBLEMS = np.array(
    [
        "",
        "give both lat and lon, or neither",
        "lat/lon 0, 0 is where a missing point defaults to; leave both empty or give the "
        "event's point",
        "lat/lon look swapped: lat is the north-south number (33–50 here), lon the east-west "
        "one (115–136)",
        "lat must be within -90..90 and lon within -180..180",
        OUTSIDE_MAP_AREA_MESSAGE,
        "point is in the sea (not on land in the map area)",
    ],
    dtype=object,
)
#: The code of a point beyond ``MAP_AREA`` in ``POINT_PROBLEMS``.
OUTSIDE_MAP_AREA_CODE = 5


def check_points(lat: pd.Series, lon: pd.Series, land: shapely.Geometry) -> NDArray[np.intp]:
    """Return, per row, why a lat/lon pair is not a usable point: a code into ``POINT_PROBLEMS``.

    Parameters
    ----------
    lat, lon : pandas.Series of float
        Decimal degrees, NaN where the cell is empty (same index).
    land : shapely.Geometry
        The land of the map area (``geo.reference.Reference.land``, prepared).

    Returns
    -------
    numpy.ndarray of int
        0 when the pair is usable or absent; else the code of: only one of the two given;
        0, 0 (a missing point's default); a pair that is valid or lands in the map area only
        when swapped ("looks swapped"); out of range; outside the map area (lon 115–136,
        lat 33–50, ``OUTSIDE_MAP_AREA_CODE``); in the sea (not within ``land``).
    """
    la, lo = lat.to_numpy(float), lon.to_numpy(float)
    has_la, has_lo = ~np.isnan(la), ~np.isnan(lo)
    both = has_la & has_lo
    in_range = (np.abs(la) <= 90) & (np.abs(lo) <= 180)
    in_area = _in_area(lo, la)
    swapped = both & ~in_area & (_in_area(la, lo) | (~in_range & (np.abs(lo) <= 90)))
    check = both & in_area
    on_land = np.zeros(len(la), dtype=bool)
    if check.any():  # many points: the land's grid answers most without a polygon test
        on_land[check] = grid_for([land]).lookup(lo[check], la[check]) == 0
    return np.select(
        [
            has_la ^ has_lo,
            both & (la == 0) & (lo == 0),
            swapped,
            both & ~in_range,
            both & ~in_area,
            check & ~on_land,
        ],
        np.arange(1, len(POINT_PROBLEMS)),
        default=0,
    )
