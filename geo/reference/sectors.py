"""Border sectors: the China–DPRK border line split by the pair of provinces on either side.

Each sector is the part of a Chinese province's boundary lying within ``SHARED_EDGE_M``
metres of a North Korean province, line-merged; lengths are measured in ``METRIC_CRS``
(WGS 84 / UTM 52N) and every sector carries a zone of ``BUFFER_KM`` kilometres either side
of its line, used to group events by border stretch. The whole border carries the narrower
``BORDER_BAND_KM`` band, where the line is too coarse to tell the two countries apart.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from geo.reference.schema import CRS

METRIC_CRS = "EPSG:32652"


@cache
def to_metric() -> Transformer:
    """Return the transformer from ``CRS`` (lon/lat) to ``METRIC_CRS`` (x, y; made once)."""
    return Transformer.from_crs(CRS, METRIC_CRS, always_xy=True)
SHARED_EDGE_M = 25.0
MIN_SECTOR_KM = 0.5
BUFFER_KM = 10.0
#: Half-width of the zone either side of the China–DPRK line where Natural Earth's 1:10M line
#: cannot tell which country a point is in (``geo.join``). Measured at the 20 border places of
#: data/places.csv (``bench/border_offsets.py``, table in data/README.md): 6 GeoNames town
#: points lie on the wrong side of the NE line, at most 0.58 km from it (Sanhe); 1.5 km is that
#: plus about 1 km for stretches with no town to measure.
BORDER_BAND_KM = 1.5

#: English names used in sector names ("Liaoning–North Pyongan").
ENGLISH_NAMES = {
    "CN-JL": "Jilin",
    "CN-LN": "Liaoning",
    "KP-01": "Pyongyang",
    "KP-02": "South Pyongan",
    "KP-03": "North Pyongan",
    "KP-04": "Chagang",
    "KP-05": "South Hwanghae",
    "KP-06": "North Hwanghae",
    "KP-07": "Kangwon",
    "KP-08": "South Hamgyong",
    "KP-09": "North Hamgyong",
    "KP-10": "Ryanggang",
    "KP-13": "Rason",
    "RU-PRI": "Primorsky",
}

SECTOR_COLUMNS = (
    "sector_id",
    "cn_code",
    "kp_code",
    "name_en",
    "name_ko",
    "name_zh",
    "length_km",
    "geometry",
    "buffer",
)
#: Korean and Chinese sector names join the provinces' ``name_ko`` / ``name_zh``.
LOCAL_NAME_COLUMNS = ("name_ko", "name_zh")


def _local_names(provinces: gpd.GeoDataFrame, column: str) -> dict[str, str]:
    """Return code -> ``column`` of ``provinces``, the English sector name where it is empty."""
    values = provinces[column] if column in provinces else [None] * len(provinces)
    return {
        code: value if isinstance(value, str) and value else ENGLISH_NAMES[code]
        for code, value in zip(provinces["iso_3166_2"], values, strict=True)
    }


def _shared_line(a: shapely.Geometry, b: shapely.Geometry) -> shapely.Geometry:
    """Return the part of ``a``'s boundary within ``SHARED_EDGE_M`` of ``b`` (metric CRS)."""
    shared = shapely.intersection(shapely.boundary(a), shapely.buffer(b, SHARED_EDGE_M))
    lines = shapely.get_parts(shared)
    lines = lines[shapely.get_type_id(lines) == shapely.GeometryType.LINESTRING]
    return shapely.line_merge(shapely.multilinestrings(lines)) if len(lines) else None


def compute_sectors(provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Split the China–DPRK border into sectors, one per pair of facing provinces.

    Parameters
    ----------
    provinces
        Provinces with ``iso_3166_2``, ``country_iso3`` and polygons, CRS EPSG:4326
        (``name_ko`` / ``name_zh`` optional).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``sector_id`` (``"CN-LN|KP-03"``), ``cn_code``, ``kp_code``, ``name_en``
        (``"Liaoning–North Pyongan"``), ``name_ko`` / ``name_zh`` (the provinces' names,
        ``"랴오닝성–평안북도"``, ``"辽宁省–平安北道"``; English where a province has none),
        ``length_km``, ``geometry`` (the border line piece)
        and ``buffer`` (a ``BUFFER_KM`` zone around it), both EPSG:4326, ordered west to east.
    """
    metric = provinces.to_crs(METRIC_CRS)
    local = {column: _local_names(provinces, column) for column in LOCAL_NAME_COLUMNS}
    china = metric[metric["country_iso3"] == "CHN"]
    korea = metric[metric["country_iso3"] == "PRK"]
    records = []
    for cn_code, cn_geom in zip(china["iso_3166_2"], china.geometry, strict=True):
        near = korea[korea.geometry.distance(cn_geom) <= SHARED_EDGE_M]
        for kp_code, kp_geom in zip(near["iso_3166_2"], near.geometry, strict=True):
            line = _shared_line(cn_geom, kp_geom)
            if line is None or line.length < MIN_SECTOR_KM * 1000:
                continue
            records.append(
                {
                    "sector_id": f"{cn_code}|{kp_code}",
                    "cn_code": cn_code,
                    "kp_code": kp_code,
                    "name_en": f"{ENGLISH_NAMES[cn_code]}–{ENGLISH_NAMES[kp_code]}",
                    **{c: f"{names[cn_code]}–{names[kp_code]}" for c, names in local.items()},
                    "length_km": round(line.length / 1000, 1),
                    "geometry": line,
                    "buffer": shapely.buffer(line, BUFFER_KM * 1000),
                }
            )
    sectors = gpd.GeoDataFrame(records, columns=list(SECTOR_COLUMNS), crs=METRIC_CRS)
    sectors["buffer"] = gpd.GeoSeries(sectors["buffer"], crs=METRIC_CRS).to_crs(CRS)
    sectors = sectors.to_crs(CRS)
    order = np.argsort(shapely.get_x(shapely.centroid(sectors.geometry.values)), kind="stable")
    return sectors.iloc[order].reset_index(drop=True)


def whole_border(sectors: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the whole China–DPRK border as a one-row frame.

    Columns ``name_en``, ``length_km``, ``geometry`` (the line) and a second geometry column
    ``band``: the zone of ``BORDER_BAND_KM`` either side of the line (EPSG:4326).
    """
    line = shapely.line_merge(shapely.union_all(sectors.geometry.values))
    length = float(sectors["length_km"].sum())
    band = gpd.GeoSeries([line], crs=CRS).to_crs(METRIC_CRS).buffer(BORDER_BAND_KM * 1000)
    return gpd.GeoDataFrame(
        {
            "name_en": ["China–DPRK border"],
            "length_km": [round(length, 1)],
            "band": band.to_crs(CRS).values,
        },
        geometry=[line],
        crs=CRS,
    )
