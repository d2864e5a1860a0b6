"""Benchmark: geo.join.assign_provinces (grid index) against geopandas.sjoin(predicate="within").

Run: ``python bench/bench_join.py [--sizes 10000 100000 1000000] [--repeat 3]``

A second table times the whole ``geo.join.join_events`` on the same points as point events,
and its border-band step (``geo.join.border_points``) alone, also for the same number of
points all lying near the China–DPRK line (the band's worst case).

For each size, random points (seeded) over the provinces' bounds are assigned a province by
both methods in the same process. Times are the best of ``--repeat`` runs (three times as
many for the grid, whose runs are short enough to be skewed by other processes); the grid is built
once beforehand (its build time is printed separately, it is cached per set of polygons).
The sjoin baseline gets its points GeoDataFrame prepared outside the timed call. Assignments
must be identical. Peak memory of one call of each method is measured in a forked child
process (after a 100-point warm-up call, so that lazily mapped library code is not counted),
twice: Python-level allocations (tracemalloc, includes NumPy buffers) and the rise
of the process's peak resident set size (ru_maxrss, includes GEOS/C allocations).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import resource
import time
import tracemalloc
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.grid_index import GridIndex, grid_for
from geo.join import assign_provinces, border_points, join_events
from geo.reference import load_reference
from geo.reference.schema import COUNT_COLUMNS, CRS, TEXT_COLUMNS


def random_points(n: int, bounds: np.ndarray, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(bounds[0], bounds[2], n), rng.uniform(bounds[1], bounds[3], n)


def sjoin_codes(points: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> np.ndarray:
    hits = gpd.sjoin(points, provinces, predicate="within")
    if hits.index.has_duplicates:
        raise AssertionError("a point fell within two provinces")
    codes = np.full(len(points), None, dtype=object)
    codes[hits.index.to_numpy()] = hits["iso_3166_2"].to_numpy(dtype=object)
    return codes


def best_time(func, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _measure_child(method: str, n: int, bounds: np.ndarray, provinces, conn) -> None:
    lon, lat = random_points(n, bounds)
    if method == "sjoin":
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=CRS)
        call = partial(sjoin_codes, points, provinces)
        warm_up = partial(sjoin_codes, points.iloc[:100], provinces)
    else:
        call = partial(assign_provinces, lon, lat, provinces)
        warm_up = partial(assign_provinces, lon[:100], lat[:100], provinces)
    warm_up()  # fault in the code pages a forked child maps lazily; they are not data
    gc.collect()
    rss_before = _max_rss_mb()
    tracemalloc.start()
    call()
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    conn.send((traced_peak, _max_rss_mb() - rss_before))
    conn.close()


def peak_memory(method: str, n: int, bounds: np.ndarray, provinces) -> tuple[float, float]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_measure_child, args=(method, n, bounds, provinces, child))
    proc.start()
    result = parent.recv()
    proc.join()
    return result


def point_events(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoDataFrame:
    """Normalised point events (one claim each), the columns ``join_events`` reads."""
    n = len(lon)
    text = {column: "" for column in TEXT_COLUMNS}
    counts = {column: pd.array([None] * n, dtype="Int64") for column in COUNT_COLUMNS}
    return gpd.GeoDataFrame(
        {
            **text,
            **counts,
            "event_id": [f"e{i}" for i in range(n)],
            "geo_precision": "point",
            "lon": lon,
            "lat": lat,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=CRS,
    )


def near_the_border(n: int, reference, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Points along the China–DPRK line, scattered about 0.5 km either side of it."""
    rng = np.random.default_rng(seed)
    line = reference.border.geometry.iloc[0]
    along = shapely.line_interpolate_point(line, rng.uniform(0, 1, n), normalized=True)
    xy = shapely.get_coordinates(along) + rng.normal(0, 0.005, (n, 2))
    return xy[:, 0], xy[:, 1]


def join_table(sizes: list[int], bounds: np.ndarray, repeat: int) -> None:
    reference = load_reference()
    join_events(point_events(*random_points(100, bounds)), reference)  # builds the grids
    header = (
        f"{'points':>9} | {'join_events s':>13} | {'band s':>7} | {'in band':>7} | "
        f"{'band s, all near the line':>25}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for n in sizes:
        lon, lat = random_points(n, bounds)
        join_s, _ = best_time(partial(join_events, point_events(lon, lat), reference), repeat)
        band_s, found = best_time(partial(border_points, lon, lat, reference), 3 * repeat)
        near_s, _ = best_time(partial(border_points, *near_the_border(n, reference), reference),
                              repeat)  # fmt: skip
        print(
            f"{n:>9,} | {join_s:>13.4f} | {band_s:>7.4f} | {int(found.in_band.sum()):>7,} | "
            f"{near_s:>25.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    provinces = load_reference().provinces[["iso_3166_2", "geometry"]]
    bounds = provinces.total_bounds
    build_s, _ = best_time(partial(GridIndex.build, provinces.geometry.values), args.repeat)
    grid = grid_for(provinces.geometry.values)  # cached from here on
    boundary_share = float((grid.cell_owner == -2).sum() / (grid.nx * grid.ny))
    print(
        f"grid: {grid.nx} x {grid.ny} cells, {boundary_share:.1%} crossed by a boundary, "
        f"build {build_s * 1000:.0f} ms (once per set of polygons, then cached)\n"
    )
    header = (
        f"{'points':>9} | {'sjoin s':>8} | {'grid s':>8} | {'speed-up':>8} | {'same':>4} | "
        f"{'sjoin MB (py/rss)':>17} | {'grid MB (py/rss)':>16}"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        lon, lat = random_points(n, bounds)
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=CRS)
        base_s, base = best_time(partial(sjoin_codes, points, provinces), args.repeat)
        grid_s, ours = best_time(partial(assign_provinces, lon, lat, provinces), 3 * args.repeat)
        same = bool(np.array_equal(base, ours))
        base_py, base_rss = peak_memory("sjoin", n, bounds, provinces)
        grid_py, grid_rss = peak_memory("grid", n, bounds, provinces)
        print(
            f"{n:>9,} | {base_s:>8.4f} | {grid_s:>8.4f} | {base_s / grid_s:>7.1f}x | "
            f"{'yes' if same else 'NO':>4} | {base_py:>7.1f} / {base_rss:>7.1f} | "
            f"{grid_py:>6.1f} / {grid_rss:>7.1f}"
        )
        if not same:
            raise SystemExit(f"assignments differ for {n} points")
    join_table(args.sizes, bounds, args.repeat)


if __name__ == "__main__":
    main()
