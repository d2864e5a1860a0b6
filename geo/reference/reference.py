"""The shipped reference data: provinces, border sectors, countries, rivers, places, land.

``load_reference()`` reads each file of ``data/`` once per process and returns the same
``Reference`` on every call; validation, the join and the map all take what they need from it.
Its frames are shared: callers must treat them as read-only (copy before changing).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.disk_cache import disk_cached, file_checksum
from geo.reference import paths
from geo.reference.places import Gazetteer, ProvinceCodes
from geo.reference.schema import CRS
from geo.reference.sectors import compute_sectors, whole_border

__all__ = [
    "DISPLAY_TOLERANCE_DEG",
    "Reference",
    "build_reference",
    "load_reference",
    "read_layer",
    "read_places",
    "simplify_coverage",
]

#: Simplification tolerance of ``display_provinces`` in degrees (about 1 km).
DISPLAY_TOLERANCE_DEG = 0.01


@dataclass(frozen=True)
class Reference:
    """Reference data, all in EPSG:4326. Shared and cached: never mutate the frames.

    Attributes
    ----------
    provinces
        ``iso_3166_2``, ``name_en``, ``name_local``, ``country_iso3`` (and the file's other
        properties), exact polygons from ``admin1.geojson``.
    display_provinces
        The same rows, simplified for drawing with shared edges kept shared (no gaps or
        overlaps between neighbours).
    sectors
        Border sectors, see ``geo.reference.sectors.compute_sectors``.
    border
        The whole China–DPRK border line as a one-row frame (``name_en``, ``length_km``).
    countries, rivers
        ``countries.geojson`` and ``rivers.geojson``.
    places
        ``places.csv``: text columns as ``str``, ``lat``/``lon`` as float.
    gazetteer
        ``places`` as a :class:`~geo.reference.places.Gazetteer` (place names -> ``place_id``).
    province_codes
        The codes accepted in ``admin1_codes`` and the province names that resolve to them,
        from ``provinces`` (:class:`~geo.reference.places.ProvinceCodes`).
    land
        The union of ``countries`` (prepared): a point in none of them is in the sea.
    """

    provinces: gpd.GeoDataFrame
    display_provinces: gpd.GeoDataFrame
    sectors: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    places: pd.DataFrame
    gazetteer: Gazetteer
    province_codes: ProvinceCodes
    land: shapely.Geometry


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoJSON layer, requiring EPSG:4326 (set when the file declares no CRS).

    Raises
    ------
    ValueError
        When the file declares another CRS.
    """
    frame = gpd.read_file(path)
    if frame.crs is None:
        return frame.set_crs(CRS)
    if frame.crs != CRS:
        raise ValueError(f"{path.name}: CRS is {frame.crs.to_string()}; only {CRS} is accepted")
    return frame


def simplify_coverage(
    provinces: gpd.GeoDataFrame, tolerance: float = DISPLAY_TOLERANCE_DEG
) -> gpd.GeoDataFrame:
    """Return ``provinces`` simplified without opening gaps or overlaps between neighbours.

    The polygons are first cleaned into an exact coverage (``shapely.coverage_clean``: shared
    edges get identical vertices, slivers go to one side), then simplified as a coverage
    (``shapely.coverage_simplify``), which simplifies each shared edge once for both sides.
    """
    cleaned = shapely.coverage_clean(provinces.geometry.values)
    simplified = shapely.coverage_simplify(cleaned, tolerance)
    return provinces.set_geometry(gpd.GeoSeries(simplified, index=provinces.index, crs=CRS))


def read_places(path: Path) -> pd.DataFrame:
    """Read the gazetteer: every column as ``str`` except ``lat``/``lon`` (float)."""
    places = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("lat", "lon"):
        places[column] = places[column].astype(float)
    return places


def build_reference(
    provinces: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame,
    rivers: gpd.GeoDataFrame,
    places: pd.DataFrame,
) -> Reference:
    """Return the ``Reference`` of these layers, deriving everything else from them.

    Parameters
    ----------
    provinces
        Polygons with ``iso_3166_2``, ``name_en``, ``country_iso3`` (``name_local`` and
        ``name_alt`` optional), EPSG:4326.
    countries, rivers
        EPSG:4326 layers; the countries' union is the land.
    places
        The gazetteer frame as :func:`read_places` returns it.
    """
    sectors = compute_sectors(provinces)
    land = shapely.union_all(countries.geometry.values)
    shapely.prepare(land)
    return Reference(
        provinces=provinces,
        display_provinces=simplify_coverage(provinces),
        sectors=sectors,
        border=whole_border(sectors),
        countries=countries,
        rivers=rivers,
        places=places,
        gazetteer=Gazetteer.from_places(places),
        province_codes=ProvinceCodes.from_provinces(provinces),
        land=land,
    )


@cache
def load_reference() -> Reference:
    """Return the ``Reference`` of ``data/`` (cached: the same object every call).

    Built once from the files and kept on disk for later processes (``geo.disk_cache``: the
    sectors, the simplified provinces and the land union take most of a second to derive).
    The returned frames are shared by every caller; do not mutate them.
    """
    reference = disk_cached("reference", file_checksum(paths.REFERENCE_FILES), _read_reference)
    shapely.prepare(reference.land)  # a kept geometry comes back unprepared
    return reference


def _read_reference() -> Reference:
    """Read ``data/`` and derive its ``Reference``."""
    return build_reference(
        provinces=read_layer(paths.ADMIN1_GEOJSON),
        countries=read_layer(paths.COUNTRIES_GEOJSON),
        rivers=read_layer(paths.RIVERS_GEOJSON),
        places=read_places(paths.PLACES_CSV),
    )
