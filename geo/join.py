"""Attach events to the mapped provinces and border sectors (``docs/ARCHITECTURE.md``).

How each event is attached, by ``geo_precision``:

``place``
    The gazetteer's ``admin1_iso`` of every resolved ``place_ids`` entry (not point-in-polygon:
    the 1:10m lines put some riverside towns on the wrong bank); several provinces make the
    event shared. Drawn as a symbol (``map_level`` ``point``) at its point, nearest sector
    attached. When no place resolved, the event falls back to its mapped ``admin1_codes``
    (``admin1``).
``point``
    The province the point lies within (``assign_provinces``), nearest sector. Within
    ``BORDER_BAND_KM`` of the China–DPRK line (and not in Russia) that line cannot be
    trusted (Natural Earth puts Hyesan in China and Changbai in North Korea): the nearest
    gazetteer place decides the country and province when it lies within
    ``PLACE_RADIUS_KM`` and the nearest place of the other country is at least
    ``NEARER_FACTOR`` times as far (so a town's own coordinates give that town, but a
    point in the river between two facing towns gives neither). Otherwise the event is
    ``country_uncertain``: no province (counted in neither country), drawn at its point and
    attached to its nearest sector (``border_points``).
``admin1``
    Every mapped code in ``admin1_codes`` (shared when more than one), province shading.
``border``, ``country``
    The whole border (``map_level`` ``border``, no province).
empty
    Inferred from what the row has: place ids, else a point, else codes, else ``country``.

Claims
    A reference row that names no place and gives no point, while other claims
    about the same event name gazetteer places, takes those places (``places_from_claims``,
    ``geo.claims``): it is attached like a ``place`` event to all their provinces (and to
    the mapped provinces its own ``admin1_codes`` name), drawn at them and counted once;
    ``event_precision`` says ``place``. The claims' conflicts and independent sources are
    added as columns (``geo.reference.schema.CLAIM_COLUMNS``).

An event whose location lies wholly outside the mapped provinces (Beijing, Yunnan, places
missing from the gazetteer, a point outside every polygon, a ``border`` event coded only with
unmapped provinces such as the Mongolian border) gets ``map_level`` ``outside``: it is kept and
listed, never dropped. Codes partly inside the map keep only the mapped ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.claims import claim_columns, split_ids
from geo.grid_index import grid_for
from geo.reference import Reference
from geo.reference.schema import CLAIM_COLUMNS, CRS
from geo.reference.sectors import to_metric
from geo.sector_grid import metric_lines, nearest_exact, sector_grid_for

#: A gazetteer place decides a border-band point's country when it lies within this distance
#: of the point: sources' coordinates for one town differ from GeoNames' by up to about 2.6 km
#: (``ne_popplace_offset_km`` in data/places.csv).
PLACE_RADIUS_KM = 3.0
#: ... and the nearest place of the other country is at least this many times as far. Facing
#: towns are 2.0 (Tumen–Namyang) to 4.4 km (Linjiang–Junggang) apart: a town's own point
#: (0 km) decides, the river between them (about equally far from both) does not.
NEARER_FACTOR = 2.0
#: Fewer points than this are measured directly (``geo.sector_grid.nearest_exact``, about 10 µs
#: a point); more are looked up in the sectors' grid, built once (about 2 s) and kept on disk.
SECTOR_GRID_MIN_POINTS = 10_000


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


@dataclass(frozen=True)
class BorderPoints:
    """Which points lie in the China–DPRK border band, and what decides their country.

    Attributes
    ----------
    in_band
        The point lies within ``BORDER_BAND_KM`` of the line, not in Russia's polygon.
    province
        For points in the band: the ``admin1_iso`` of the gazetteer place that decides the
        country, '' when none does (``uncertain``); '' outside the band.
    cn_place, kp_place
        Names (``name_en``) of the nearest Chinese and North Korean gazetteer places.
    cn_km, kp_km
        Their distances in km (NaN outside the band).
    """

    in_band: NDArray[np.bool_]
    province: NDArray[np.object_]
    cn_place: NDArray[np.object_]
    kp_place: NDArray[np.object_]
    cn_km: NDArray[np.float64]
    kp_km: NDArray[np.float64]

    @property
    def uncertain(self) -> NDArray[np.bool_]:
        """Return which points lie in the band with no place deciding their country."""
        return self.in_band & (self.province == "")




def _nearest(
    x: NDArray[np.float64], y: NDArray[np.float64], px: NDArray, py: NDArray
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return, per point, the position of the nearest of the places ``px, py`` and its km.

    Vectorised over chunks of points (a points-by-places distance matrix of a few MB each).
    """
    pos = np.zeros(len(x), dtype=np.intp)
    km = np.zeros(len(x))
    step = max(1, 2**20 // max(1, len(px)))
    for start in range(0, len(x), step):
        part = slice(start, start + step)
        metres = np.hypot(x[part, None] - px[None, :], y[part, None] - py[None, :])
        pos[part] = metres.argmin(axis=1)
        km[part] = np.take_along_axis(metres, pos[part, None], axis=1)[:, 0] / 1000
    return pos, km


def border_points(lon: ArrayLike, lat: ArrayLike, reference: Reference) -> BorderPoints:
    """Return which points lie in the China–DPRK border band and who decides their country.

    The band test is the grid index of ``reference.border["band"]`` (vectorised); only the
    points in it are measured against the gazetteer (rules in the module docstring).

    Parameters
    ----------
    lon, lat
        Coordinates in degrees (EPSG:4326), same length; NaN is never in the band.
    reference
        Reference data: the border band, provinces and places.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    n = len(lon)
    band = reference.border["band"].values
    if shapely.is_empty(band).all():  # provinces with no China–DPRK border between them
        in_band = np.zeros(n, dtype=bool)
    else:
        in_band = grid_for(band).lookup(lon, lat) == 0
    provinces = reference.provinces
    if in_band.any():
        owner = grid_for(provinces.geometry.values).lookup(lon[in_band], lat[in_band])
        russian = np.append(provinces["country_iso3"].to_numpy(dtype=object) == "RUS", False)
        in_band[in_band] = ~russian[owner]  # owner -1 (no polygon) picks the trailing False
    result = BorderPoints(
        in_band=in_band,
        province=np.full(n, "", dtype=object),
        cn_place=np.full(n, "", dtype=object),
        kp_place=np.full(n, "", dtype=object),
        cn_km=np.full(n, np.nan),
        kp_km=np.full(n, np.nan),
    )
    places = reference.places
    if not in_band.any() or places.empty:
        return result
    x, y = to_metric().transform(lon[in_band], lat[in_band])
    px, py = to_metric().transform(places["lon"].to_numpy(), places["lat"].to_numpy())
    country_of = dict(zip(provinces["iso_3166_2"], provinces["country_iso3"], strict=True))
    country = places["admin1_iso"].map(country_of)
    nearest = {}
    for iso3, names, km in (("CHN", result.cn_place, result.cn_km),
                            ("PRK", result.kp_place, result.kp_km)):  # fmt: skip
        of_country = np.flatnonzero(country.eq(iso3).to_numpy())
        if not len(of_country):
            continue
        pos, km[in_band] = _nearest(x, y, px[of_country], py[of_country])
        nearest[iso3] = of_country[pos]
        names[in_band] = places["name_en"].to_numpy(dtype=object)[nearest[iso3]]
    if len(nearest) < 2:
        return result
    cn_km, kp_km = result.cn_km[in_band], result.kp_km[in_band]
    near_km = np.minimum(cn_km, kp_km)
    decided = (near_km <= PLACE_RADIUS_KM) & (np.maximum(cn_km, kp_km) >= NEARER_FACTOR * near_km)
    pos = np.where(cn_km <= kp_km, nearest["CHN"], nearest["PRK"])
    codes = places["admin1_iso"].to_numpy(dtype=object)[pos]
    result.province[in_band] = np.where(decided, codes, "")
    return result


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


def _nearest_sectors(lon: NDArray, lat: NDArray, reference: Reference) -> NDArray[np.object_]:
    """Return the ``sector_id`` of the sector nearest each point (distances in the metric CRS).

    Many points are looked up in the sectors' grid over the provinces' bounds
    (``geo.sector_grid``), a few measured directly; both give the same answers.
    """
    sectors = reference.sectors
    if len(lon) < SECTOR_GRID_MIN_POINTS:
        nearest = nearest_exact(metric_lines(sectors.geometry), lon, lat)
    else:
        grid = sector_grid_for(sectors.geometry, reference.provinces.total_bounds)
        nearest = grid.nearest(lon, lat)
    ids = np.append(sectors["sector_id"].to_numpy(dtype=object), "")
    return ids[nearest]  # -1 (a NaN coordinate) picks the trailing ''


def join_events(events: gpd.GeoDataFrame, reference: Reference) -> gpd.GeoDataFrame:
    """Return a copy of normalised ``events`` with the join columns added.

    Adds ``provinces`` (``|``-separated mapped codes), ``shared`` (more than one province),
    ``sector_id`` (nearest border sector of events drawn as symbols, else ''), ``map_level``
    (``point`` / ``admin1`` / ``border`` / ``outside``), ``in_map_area`` and
    ``country_uncertain`` (a point on the China–DPRK border whose country the map cannot
    tell: no province, drawn at its point, in its sector), ``event_precision`` (the geo
    precision used) and what the claims about each event say together
    (``geo.reference.schema.CLAIM_COLUMNS``). See the module docstring.

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
    joined = events.copy(deep=False)  # copy-on-write: the given frame is never changed
    mapped = set(reference.provinces["iso_3166_2"])
    gazetteer = dict(zip(reference.places["place_id"], reference.places["admin1_iso"], strict=True))
    claims = claim_columns(joined, gazetteer)
    from_claims = claims["places_from_claims"].ne("").to_numpy()
    place_ids = joined["place_ids"].where(~from_claims, claims["places_from_claims"])
    lon = joined["lon"].to_numpy(dtype=float).copy()
    lat = joined["lat"].to_numpy(dtype=float).copy()
    own_point = np.isfinite(lon) & np.isfinite(lat)
    if from_claims.any():
        coords = reference.places.set_index("place_id")
        first = [split_ids(ids)[0] for ids in place_ids[from_claims]]
        lon[from_claims] = coords.loc[first, "lon"].to_numpy(dtype=float)
        lat[from_claims] = coords.loc[first, "lat"].to_numpy(dtype=float)
    precision = np.where(from_claims, "place", _effective_precision(joined, own_point))
    has_point = np.isfinite(lon) & np.isfinite(lat)

    admin1 = _per_distinct(joined["admin1_codes"], lambda t: _mapped(split_ids(t), mapped))
    places = _per_distinct(
        place_ids, lambda t: _mapped([gazetteer.get(p, "") for p in split_ids(t)], mapped)
    )
    if from_claims.any():  # the claims' places, and any province the reference row names
        places[from_claims] = [
            _mapped(split_ids(p) + split_ids(a), mapped)
            for p, a in zip(places[from_claims], admin1[from_claims], strict=True)
        ]
    is_point = precision == "point"
    in_polygon = np.full(len(joined), "", dtype=object)
    uncertain = np.zeros(len(joined), dtype=bool)
    if is_point.any():
        found = assign_provinces(lon[is_point], lat[is_point], reference.provinces)
        border = border_points(lon[is_point], lat[is_point], reference)
        found = np.where(border.in_band, border.province, found)
        in_polygon[is_point] = np.where(pd.isna(found), "", found)
        uncertain[is_point] = border.uncertain
    is_place = precision == "place"
    is_admin1 = precision == "admin1"
    is_border = ~(is_point | is_place | is_admin1)
    unmapped_codes = (joined["admin1_codes"].ne("").to_numpy()) & (admin1 == "")

    provinces = np.select(
        [is_point, is_place & (places != ""), is_place | is_admin1],
        [in_polygon, places, admin1],
        default="",
    )
    drawn_at_point = (
        (is_point | (is_place & (places != ""))) & has_point & ((provinces != "") | uncertain)
    )
    levels = pa.array(["point", "admin1", "border", "outside"], pa.large_string())
    level = levels.take(  # taken from the four texts: no array of a million Python strings
        np.select([drawn_at_point, provinces != "", is_border & ~unmapped_codes], [0, 1, 2], 3)
    )

    sector = np.full(len(joined), "", dtype=object)
    if drawn_at_point.any() and len(reference.sectors):
        sector[drawn_at_point] = _nearest_sectors(
            lon[drawn_at_point], lat[drawn_at_point], reference
        )

    joined["provinces"] = pd.array(provinces, dtype="str")
    joined["shared"] = joined["provinces"].str.contains("|", regex=False).astype(bool)
    joined["sector_id"] = pd.array(sector, dtype="str")
    joined["map_level"] = pd.array(level, dtype="str")
    joined["in_map_area"] = joined["map_level"] != "outside"
    joined["country_uncertain"] = uncertain
    joined["event_precision"] = pd.array(precision, dtype="str")
    for column in CLAIM_COLUMNS:
        joined[column] = claims[column]
    return joined
