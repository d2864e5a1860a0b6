"""Attach events to the mapped provinces and border sectors (``docs/ARCHITECTURE.md``).

How each event is attached, by ``geo_precision``:

``place``
    The gazetteer's ``admin1_iso`` of every resolved ``place_ids`` entry (not point-in-polygon:
    the 1:10m lines put some riverside towns on the wrong bank); several provinces make the
    event shared. Drawn as a symbol (``map_level`` ``point``) at its point, nearest sector
    attached. When no place resolved, the event falls back to its mapped ``admin1_codes``
    (``admin1``).
``point``
    The province the point lies within (``assign_provinces``), nearest sector.
``admin1``
    Every mapped code in ``admin1_codes`` (shared when more than one), province shading.
``border``, ``country``
    The whole border (``map_level`` ``border``, no province).
empty
    Inferred from what the row has: place ids, else a point, else codes, else ``country``.

An event whose location lies wholly outside the mapped provinces (Beijing, Yunnan, places
missing from the gazetteer, a point outside every polygon, a ``border`` event coded only with
unmapped provinces such as the Mongolian border) gets ``map_level`` ``outside``: it is kept and
listed, never dropped. Codes partly inside the map keep only the mapped ones.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.grid_index import grid_for
from geo.reference import Reference
from geo.reference.schema import CRS
from geo.reference.sectors import METRIC_CRS


def _require_crs(frame: gpd.GeoDataFrame, what: str) -> None:
    if frame.crs is None or frame.crs != CRS:
        found = frame.crs.to_string() if frame.crs is not None else "none"
        raise ValueError(f"{what} must be in {CRS}; found CRS {found}")


def assign_provinces(
    lon: ArrayLike, lat: ArrayLike, provinces: gpd.GeoDataFrame
) -> NDArray[np.object_]:
    """Return the ``iso_3166_2`` code of the province each point lies within, or None.

    Uses a grid index cached per distinct set of polygons (``geo.grid_index``). Results equal
    ``geopandas.sjoin(points, provinces, predicate="within")``: a point exactly on a boundary,
    outside every polygon, or with a NaN coordinate gets None.

    Parameters
    ----------
    lon, lat
        Coordinates in degrees (EPSG:4326), same length.
    provinces
        Polygons with an ``iso_3166_2`` column, CRS EPSG:4326.

    Returns
    -------
    numpy.ndarray
        Object array of codes (``str``) or None, one per point.

    Examples
    --------
    >>> assign_provinces([129.5], [42.9], load_reference().provinces)  # doctest: +SKIP
    array(['CN-JL'], dtype=object)
    """
    _require_crs(provinces, "provinces")
    owner = grid_for(provinces.geometry.values).lookup(lon, lat)
    codes = np.concatenate([provinces["iso_3166_2"].to_numpy(dtype=object), [None]])
    return codes[owner]  # owner -1 picks the trailing None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def _mapped(codes: list[str], mapped: set[str]) -> str:
    """Join the mapped codes, de-duplicated in order of first appearance."""
    return "|".join(dict.fromkeys(c for c in codes if c in mapped))


def _per_distinct(values: pd.Series, func: Callable[[str], str]) -> NDArray[np.object_]:
    """Apply ``func`` once per distinct cell (many events share the same codes or places)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return np.array([func(v) for v in distinct], dtype=object)[codes]


def _effective_precision(events: gpd.GeoDataFrame, has_point: NDArray[np.bool_]) -> NDArray:
    has_places = events["place_ids"].ne("").to_numpy()
    has_codes = events["admin1_codes"].ne("").to_numpy()
    inferred = np.select(
        [has_places, has_point, has_codes],
        ["place", "point", "admin1"],
        default="country",
    )
    given = events["geo_precision"].to_numpy(dtype=object)
    return np.where(given == "", inferred, given)


def _nearest_sectors(lon: NDArray, lat: NDArray, sectors: gpd.GeoDataFrame) -> NDArray:
    """Return the ``sector_id`` of the sector nearest each point (metric CRS).

    Each distinct point is looked up once (events at one place share its coordinates).
    """
    coords, inverse = np.unique(np.column_stack([lon, lat]), axis=0, return_inverse=True)
    points = gpd.GeoSeries(gpd.points_from_xy(coords[:, 0], coords[:, 1]), crs=CRS)
    lines = sectors.geometry.to_crs(METRIC_CRS).values
    point_pos, sector_pos = shapely.STRtree(lines).query_nearest(
        points.to_crs(METRIC_CRS).values, all_matches=False
    )
    found = np.full(len(coords), "", dtype=object)
    found[point_pos] = sectors["sector_id"].to_numpy(dtype=object)[sector_pos]
    return found[inverse.ravel()]


def join_events(events: gpd.GeoDataFrame, reference: Reference) -> gpd.GeoDataFrame:
    """Return a copy of normalised ``events`` with the join columns added.

    Adds ``provinces`` (``|``-separated mapped codes), ``shared`` (more than one province),
    ``sector_id`` (nearest border sector of events drawn as symbols, else ''), ``map_level``
    (``point`` / ``admin1`` / ``border`` / ``outside``) and ``in_map_area``. See the module
    docstring for the rules.

    Parameters
    ----------
    events
        The normalised events frame (``geo.validate``), CRS EPSG:4326.
    reference
        Reference data from ``geo.reference.load_reference``: provinces, sectors, places.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``events`` with the columns of ``geo.reference.schema.JOIN_COLUMNS``.

    Raises
    ------
    ValueError
        When ``events`` is not in EPSG:4326.
    """
    _require_crs(events, "events")
    joined = events.copy()
    mapped = set(reference.provinces["iso_3166_2"])
    places = reference.places
    gazetteer = dict(zip(places["place_id"], places["admin1_iso"], strict=True))
    lon = joined["lon"].to_numpy(dtype=float)
    lat = joined["lat"].to_numpy(dtype=float)
    has_point = np.isfinite(lon) & np.isfinite(lat)
    precision = _effective_precision(joined, has_point)

    admin1 = _per_distinct(joined["admin1_codes"], lambda t: _mapped(_split(t), mapped))
    places = _per_distinct(
        joined["place_ids"], lambda t: _mapped([gazetteer.get(p, "") for p in _split(t)], mapped)
    )
    is_point = precision == "point"
    in_polygon = np.full(len(joined), "", dtype=object)
    if is_point.any():
        found = assign_provinces(lon[is_point], lat[is_point], reference.provinces)
        in_polygon[is_point] = np.where(pd.isna(found), "", found)
    is_place = precision == "place"
    is_admin1 = precision == "admin1"
    is_border = ~(is_point | is_place | is_admin1)
    unmapped_codes = (joined["admin1_codes"].ne("").to_numpy()) & (admin1 == "")

    provinces = np.select(
        [is_point, is_place & (places != ""), is_place | is_admin1],
        [in_polygon, places, admin1],
        default="",
    )
    drawn_at_point = (is_point | (is_place & (places != ""))) & has_point & (provinces != "")
    level = np.select(
        [drawn_at_point, provinces != "", is_border & ~unmapped_codes],
        ["point", "admin1", "border"],
        default="outside",
    )

    sector = np.full(len(joined), "", dtype=object)
    if drawn_at_point.any() and len(reference.sectors):
        sector[drawn_at_point] = _nearest_sectors(
            lon[drawn_at_point], lat[drawn_at_point], reference.sectors
        )

    joined["provinces"] = pd.array(provinces, dtype="str")
    joined["shared"] = joined["provinces"].str.contains("|", regex=False).astype(bool)
    joined["sector_id"] = pd.array(sector, dtype="str")
    joined["map_level"] = pd.array(level, dtype="str")
    joined["in_map_area"] = joined["map_level"] != "outside"
    return joined
