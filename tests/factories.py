"""Build normalised and joined event frames in code, for tests of downstream modules."""

from __future__ import annotations

from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, box

from geo.claims import claim_columns
from geo.reference.schema import CLAIM_COLUMNS, COUNT_COLUMNS, CRS, TEXT_COLUMNS
from geo.reference.sectors import METRIC_CRS
from geo.validate import ValidationResult


@cache
def shipped_validation() -> ValidationResult:
    """Return ``data/events.csv`` validated, once per test process (read-only)."""
    from geo.reference import paths
    from geo.validate import load_events

    return load_events(paths.EVENTS_CSV)


@cache
def shipped_events() -> gpd.GeoDataFrame:
    """Return the shipped dataset's joined events, loaded once per test process (read-only)."""
    from geo.pipeline import load_shipped_dataset

    return load_shipped_dataset().events


_DEFAULTS: dict[str, Any] = {
    "event_type": "forced_return",
    "date_precision": "day",
    "count_qualifier": "exact",
    "geo_precision": "place",
    "source_org": "Test Org",
    "source_url": "https://example.org/report",
}

_JOIN_DEFAULTS: dict[str, Any] = {
    "provinces": "",
    "sector_id": "",
    "map_level": "point",
    "country_uncertain": False,
}


def make_events(rows: list[dict[str, Any]], joined: bool = True) -> gpd.GeoDataFrame:
    """Return a frame in the normalised (and, if ``joined``, joined) shape of docs/ARCHITECTURE.md.

    Each row needs at least ``date_start``; everything else has a plain default.
    """
    records = []
    for i, given in enumerate(rows):
        rec = {**_DEFAULTS, **given}
        rec.setdefault("row", i + 2)
        rec.setdefault("event_id", f"e{i + 1}")
        rec.setdefault("date_end", rec["date_start"])
        if "count_best" in rec and rec.get("count_qualifier") == "exact":
            rec.setdefault("count_low", rec["count_best"])
            rec.setdefault("count_high", rec["count_best"])
        if joined:
            rec = {**_JOIN_DEFAULTS, **rec}
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].fillna("").astype(str) if col in frame else ""
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col])
    for col in COUNT_COLUMNS:
        frame[col] = (frame[col] if col in frame else pd.Series([None] * len(frame))).astype(
            "Int64"
        )
    for col in ("lat", "lon"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce") if col in frame else float("nan")
    if joined:
        for col in ("provinces", "sector_id", "map_level"):
            frame[col] = frame[col].fillna("").astype(str)
        frame["shared"] = frame["provinces"].str.count(r"\|") > 0
        frame["in_map_area"] = frame["map_level"] != "outside"
        frame["country_uncertain"] = frame["country_uncertain"].fillna(False).astype(bool)
        if "event_precision" not in frame:
            frame["event_precision"] = frame["geo_precision"]
        claims = claim_columns(frame, {})  # the claims rules, without a gazetteer
        for col in CLAIM_COLUMNS:
            if col not in frame:
                frame[col] = claims[col]
    geometry = [
        Point(lon, lat) if pd.notna(lat) and pd.notna(lon) else None
        for lat, lon in zip(frame["lat"], frame["lon"], strict=True)
    ]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def synthetic_events(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """Return ``n`` normalised point events along the border, 2015–2024, seeded (not joined).

    Exact counts of 1 to 79 people at random points of the border's box, one a day at most
    3,650 days apart: the large dataset of bench/bench_app.py and of the scale tests.
    """
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 3650, n)
    lats = rng.uniform(40.0, 42.9, n)
    lons = rng.uniform(124.3, 130.6, n)
    counts = pd.array(rng.integers(1, 80, n), dtype="Int64")
    one = {"date_start": "2015-01-01", "count_best": 1, "count_text": "1", "lat": 0.0,
           "lon": 0.0, "geo_precision": "point", "event_id": ""}  # fmt: skip
    frame = make_events([one], joined=False).loc[np.zeros(n, dtype=int)].reset_index(drop=True)
    starts = pd.Timestamp("2015-01-01") + pd.to_timedelta(days, "D")
    frame["date_start"] = frame["date_end"] = starts
    frame["count_best"] = frame["count_low"] = frame["count_high"] = counts
    frame["count_text"] = counts.astype(str)
    frame["lat"], frame["lon"] = lats, lons
    frame["event_id"] = [f"syn-{i}" for i in range(n)]
    frame["row"] = np.arange(n) + 2
    return frame.set_geometry(gpd.points_from_xy(lons, lats, crs=CRS))


def square_provinces() -> gpd.GeoDataFrame:
    """Liaoning/Jilin north of North Pyongan/Chagang as one-degree squares near 41°N."""
    return gpd.GeoDataFrame(
        {
            "iso_3166_2": ["CN-LN", "CN-JL", "KP-03", "KP-04"],
            "name_en": ["Liaoning", "Jilin", "North Pyongan", "Chagang"],
            "name_local": ["辽宁", "吉林", "평안북도", "자강도"],
            "country_iso3": ["CHN", "CHN", "PRK", "PRK"],
        },
        geometry=[
            box(124, 41, 125, 42),
            box(125, 41, 126, 42),
            box(124, 40, 125, 41),
            box(125, 40, 126, 41),
        ],  # fmt: skip
        crs=CRS,
    )


def nearest_sectors_before_grid(lon, lat, sectors: gpd.GeoDataFrame) -> np.ndarray:
    """The nearest-sector search of geo.join before geo.sector_grid: the reference answers
    of its tests and the baseline of bench/bench_sectors.py."""
    coords, inverse = np.unique(np.column_stack([lon, lat]), axis=0, return_inverse=True)
    points = gpd.GeoSeries(gpd.points_from_xy(coords[:, 0], coords[:, 1]), crs=CRS)
    lines = sectors.geometry.to_crs(METRIC_CRS).values
    point_pos, sector_pos = shapely.STRtree(lines).query_nearest(
        points.to_crs(METRIC_CRS).values, all_matches=False
    )
    found = np.full(len(coords), "", dtype=object)
    found[point_pos] = sectors["sector_id"].to_numpy(dtype=object)[sector_pos]
    return found[inverse.ravel()]
