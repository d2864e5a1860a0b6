"""Benchmark: ``border-map summary --events`` a big CSV against a bare pandas + sjoin script.

Run: ``python bench/bench_summary.py [--rows 1000000] [--runs 3] [--keep DIR]``

A seeded CSV of ``--rows`` point events (forced returns with a count, an ISO date, a web
source and a point inside a Chinese or North Korean border province, away from the 10 km
border band where the map cannot tell the two countries apart) is written once. Then, in
turn (A B A B ...), two processes run on it:

- A: ``border-map summary --events FILE --json`` (read, validate, join, summarise);
- B, the baseline: a bare script that does ``pandas.read_csv`` + ``geopandas.points_from_xy``
  + ``geopandas.sjoin(predicate="within")`` against the shipped provinces + ``groupby``
  (events and people per province), and prints its totals as JSON.

Each run's wall time and peak resident memory (``ru_maxrss`` of the reaped child) are taken;
the ratio A/B is taken pair by pair and its median printed. Both must report the same events
and people per province, or the benchmark stops with the difference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ROOT / "data" / "admin1.geojson"
BORDER_PROVINCES = ("CN-JL", "CN-LN", "KP-01", "KP-03", "KP-09", "KP-10")

BARE = f"""
import json, sys
import geopandas as gpd, pandas as pd
frame = pd.read_csv(sys.argv[1])
points = gpd.GeoDataFrame(
    frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
)
provinces = gpd.read_file({str(PROVINCES)!r})[["iso_3166_2", "geometry"]]
joined = gpd.sjoin(points, provinces, predicate="within")
totals = joined.groupby("iso_3166_2").agg(events=("event_id", "size"), people=("count", "sum"))
print(json.dumps({{code: [int(row.events), int(row.people)] for code, row in totals.iterrows()}}))
"""


def event_columns(rows: int, seed: int = 15) -> dict[str, np.ndarray]:
    """Return ``rows`` seeded point events inside the border provinces, off the border band.

    Columns: ``lon``, ``lat`` (rounded to 5 decimals, as written), ``day`` (datetime64[D]) and
    ``count``.
    """
    from geo.join import border_points
    from geo.reference import load_reference

    reference = load_reference()
    provinces = reference.provinces.set_index("iso_3166_2").geometry
    area = shapely.union_all(provinces[list(BORDER_PROVINCES)].values)
    x0, y0, x1, y1 = area.bounds
    rng = np.random.default_rng(seed)
    lon, lat = np.empty(0), np.empty(0)
    while len(lon) < rows:
        # Rounded as written, so that the band test sees the points the file holds.
        x, y = rng.uniform(x0, x1, rows).round(5), rng.uniform(y0, y1, rows).round(5)
        keep = shapely.contains_xy(area, x, y)
        x, y = x[keep], y[keep]
        keep = ~border_points(x, y, reference).in_band
        lon, lat = np.concatenate([lon, x[keep]]), np.concatenate([lat, y[keep]])
    days = rng.integers(0, 365 * 20, rows).astype("timedelta64[D]") + np.datetime64("2005-01-01")
    return {"lon": lon[:rows], "lat": lat[:rows], "day": days, "count": rng.integers(1, 200, rows)}


def write_events(path: Path, rows: int, seed: int = 15) -> None:
    """Write ``rows`` seeded point events (``event_columns``) as a CSV file."""
    events = event_columns(rows, seed)
    lon, lat, days, counts = events["lon"], events["lat"], events["day"], events["count"]
    with path.open("w", encoding="utf-8") as f:
        f.write("event_id,event_type,date,count,lat,lon,source_url\n")
        for i in range(rows):
            f.write(
                f"ev{i},forced_return,{days[i]},{counts[i]},{lat[i]:.5f},{lon[i]:.5f},"
                f"https://example.org/report/{i % 9973}\n"
            )


def run(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``; return its wall seconds, peak RSS in MB and standard output."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status:
        raise SystemExit(f"{command[:3]} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def totals(summary_json: str) -> dict[str, list[int]]:
    """Return {province: [events, people]} from ``border-map summary --json``."""
    by_province = json.loads(summary_json)["by_province"]
    return {code: [v["events"], v["people_best"]] for code, v in by_province.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="directory for the CSV file")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_summary_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"events_{args.rows}.csv"
    if not path.exists():
        write_events(path, args.rows)
    script = folder / "bare_sjoin.py"
    script.write_text(BARE, encoding="utf-8")
    ours = [str(Path(sys.executable).with_name("border-map")), "summary", "--events", str(path),
            "--json"]  # fmt: skip
    bare = [sys.executable, str(script), str(path)]
    run(ours), run(bare)  # warm the disk cache and the file system
    rows = []
    for _ in range(args.runs):
        a, b = run(ours), run(bare)
        if totals(a[2]) != json.loads(b[2]):
            raise SystemExit(f"totals differ:\n{totals(a[2])}\n{json.loads(b[2])}")
        rows.append((a[0], b[0], a[1], b[1]))
    print(f"{args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MB; {args.runs} pairs; "
          "same events and people per province in every run")  # fmt: skip
    print("             summary     bare   ratio")
    for label, i, j in (("wall s", 0, 1), ("peak MB", 2, 3)):
        a_med = statistics.median(r[i] for r in rows)
        b_med = statistics.median(r[j] for r in rows)
        ratio = statistics.median(r[i] / r[j] for r in rows)
        print(f"{label:10s} {a_med:9.2f} {b_med:8.2f} {ratio:7.2f}x")


if __name__ == "__main__":
    main()
