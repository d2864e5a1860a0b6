"""The shipped reference layers: provinces, border sectors, countries, rivers and places.

``load_regions()`` reads ``data/`` once per process and returns the same ``Regions`` on every
call. Its frames are shared: callers must treat them as read-only (copy before changing).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.reference import paths
from geo.reference.schema import CRS
from geo.reference.sectors import compute_sectors, whole_border

#: Simplification tolerance of ``display_provinces`` in degrees (about 1 km).
DISPLAY_TOLERANCE_DEG = 0.01


@dataclass(frozen=True)
class Regions:
    """Reference layers, all in EPSG:4326. Shared and cached: never mutate the frames.

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
    """

    provinces: gpd.GeoDataFrame
    display_provinces: gpd.GeoDataFrame
    sectors: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    places: pd.DataFrame


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


@cache
def load_regions() -> Regions:
    """Load the shipped reference layers (cached: the same object on every call).

    The returned frames are shared by every caller; do not mutate them.
    """
    provinces = read_layer(paths.ADMIN1_GEOJSON)
    sectors = compute_sectors(provinces)
    return Regions(
        provinces=provinces,
        display_provinces=simplify_coverage(provinces),
        sectors=sectors,
        border=whole_border(sectors),
        countries=read_layer(paths.COUNTRIES_GEOJSON),
        rivers=read_layer(paths.RIVERS_GEOJSON),
        places=read_places(paths.PLACES_CSV),
    )
