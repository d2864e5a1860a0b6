"""Map build time and HTML size: shipped data, then 10^3, 10^4 and 10^5 synthetic events.

Run: ``python bench/bench_map.py``. Prints, per dataset, the time to build and render the
page (median of a few runs), the page size with Leaflet inlined and without it (the map's own
payload), and the ratio of each figure to the shipped data's, measured in the same process.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.pipeline import build_view, load_shipped_dataset  # noqa: E402
from geo.reference import load_reference  # noqa: E402
from geo.reference.schema import CRS, TEXT_COLUMNS  # noqa: E402
from geo.view import ViewParams  # noqa: E402
from render.exports.html import render_page  # noqa: E402
from render.webmap import assets  # noqa: E402

VIEW = ViewParams(types=("forced_return", "detention", "policy", "diplomatic", "report"))

SHIPPED = load_shipped_dataset().events


def synthetic(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """Return ``n`` joined reference events: points along the border, some province/border."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(124.3, 130.6, n)
    lat = 40.1 + (lon - 124.3) * 0.55 + rng.normal(0, 0.15, n)
    level = rng.choice(["point", "admin1", "border"], n, p=[0.9, 0.07, 0.03])
    days = pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    best = rng.integers(1, 300, n)
    qualifier = rng.choice(["exact", "about", "more_than", "up_to"], n)
    frame = pd.DataFrame(
        {
            "row": np.arange(2, n + 2),
            "event_id": [f"s{i}" for i in range(n)],
            "event_type": "forced_return",
            "date_start": days,
            "date_end": days,
            "date_precision": "day",
            "count_best": pd.array(best, dtype="Int64"),
            "count_low": pd.array(np.where(qualifier == "up_to", 0, best), dtype="Int64"),
            "count_high": pd.array(best, dtype="Int64"),
            "count_qualifier": qualifier,
            "lat": lat,
            "lon": lon,
            "map_level": level,
            "provinces": np.where(lon < 126.0, "CN-LN", "CN-JL"),
            "geo_precision": np.where(level == "point", "point", level),
            "source_org": "Synthetic",
            "source_url": "https://example.org/",
            "evidence_quote": "A synthetic quote of about thirty words " * 3,
        }
    )
    frame.loc[frame["count_qualifier"].isin(["about", "more_than"]), "count_high"] = pd.NA
    frame.loc[frame["count_qualifier"] == "up_to", "count_low"] = pd.NA
    for column in TEXT_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame["sector_id"] = ""
    frame["shared"] = False
    frame["in_map_area"] = True
    frame["country_uncertain"] = False
    points = gpd.points_from_xy(frame["lon"], frame["lat"])
    return gpd.GeoDataFrame(frame, geometry=points, crs=CRS)


def measure(data, regions, runs: int) -> tuple[float, int, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        page = render_page(data, regions)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(page.encode()), len(assets.strip_inlined(page).encode())


def main() -> None:
    regions = load_reference()
    rows = [("shipped", build_view(SHIPPED, VIEW), 5)]
    for n in (10**3, 10**4, 10**5):
        data = build_view(synthetic(n), VIEW)
        rows.append((f"{n:,} synthetic", data, 3 if n < 10**5 else 1))
    base = None
    header = ("data", "events", "build s", "x", "HTML KB", "no-lib KB", "x")
    print("{:>18} {:>7} {:>8} {:>6} {:>8} {:>9} {:>6}".format(*header))
    for name, data, runs in rows:
        seconds, size, own = measure(data, regions, runs)
        base = base or (seconds, own)
        print(
            f"{name:>18} {len(data.events):>7} {seconds:>8.3f} {seconds / base[0]:>6.1f} "
            f"{size / 1024:>8.0f} {own / 1024:>9.0f} {own / base[1]:>6.1f}"
        )


if __name__ == "__main__":
    main()
