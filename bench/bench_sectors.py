"""Benchmark: nearest border sector by the sectors' grid (geo.sector_grid) against before.

Run: ``python bench/bench_sectors.py [--sizes 100000 1000000] [--join-size 100000] [--repeat 3]``

The former search (``before``, geo.join until the grid) reprojected every distinct point with
``GeoSeries.to_crs`` and asked an STRtree of the sectors' lines for the nearest. For each size,
seeded random points over the provinces' bounds get a sector both ways in the same process;
answers must be identical. Times are the best of ``--repeat`` runs; the grid is built once
beforehand (its build time, and the time to read it back from a pickle as the disk cache does,
are printed first). A second table times the whole ``geo.join.join_events`` on point events
with the former search and with the grid (only events drawn at a point, in a province or on
the border, get a sector).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from functools import partial
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geo.join  # noqa: E402
from bench.bench_join import best_time, point_events, random_points  # noqa: E402
from geo.grid_index import padded_cells  # noqa: E402
from geo.join import join_events  # noqa: E402
from geo.reference import Reference, load_reference  # noqa: E402
from geo.sector_grid import SectorGrid, metric_lines, sector_grid_for  # noqa: E402
from tests.factories import nearest_sectors_before_grid  # noqa: E402


def with_grid(lon: np.ndarray, lat: np.ndarray, grid: SectorGrid, ids: np.ndarray) -> np.ndarray:
    return ids[grid.nearest(lon, lat)]


def _before_in_join(lon: np.ndarray, lat: np.ndarray, reference: Reference) -> np.ndarray:
    return nearest_sectors_before_grid(lon, lat, reference.sectors)


def grid_summary(reference: Reference, repeat: int) -> SectorGrid:
    lines = metric_lines(reference.sectors.geometry)
    bounds = reference.provinces.total_bounds
    build_s, grid = best_time(partial(SectorGrid.build, lines, bounds), repeat)
    kept = pickle.dumps(grid, protocol=pickle.HIGHEST_PROTOCOL)
    read_s, _ = best_time(partial(pickle.loads, kept), 3 * repeat)
    shared = float((grid.cells.reshape(grid.ny + 2, grid.nx + 2)[1:-1, 1:-1] < 0).mean())
    print(
        f"grid: {grid.nx} x {grid.ny} cells, {shared:.1%} shared by zones, "
        f"{len(grid.candidate_sets)} candidate sets; build {build_s:.2f} s (once, then kept on "
        f"disk: {len(kept) / 2**20:.1f} MB, read back in {read_s * 1000:.1f} ms)\n"
    )
    return grid


def sector_table(reference: Reference, sizes: list[int], repeat: int) -> None:
    sector_grid_for(reference.sectors.geometry, reference.provinces.total_bounds)
    grid = grid_summary(reference, repeat)
    ids = np.append(reference.sectors["sector_id"].to_numpy(dtype=object), "")
    header = (
        f"{'points':>9} | {'before s':>8} | {'grid s':>7} | {'speed-up':>8} | {'same':>4} | "
        f"{'in shared cells':>15}"
    )
    print(f"{header}\n{'-' * len(header)}")
    for n in sizes:
        lon, lat = random_points(n, reference.provinces.total_bounds)
        former = partial(nearest_sectors_before_grid, lon, lat, reference.sectors)
        old_s, old = best_time(former, repeat)
        new_s, new = best_time(partial(with_grid, lon, lat, grid, ids), repeat)
        same = bool(np.array_equal(old, new))
        cell = padded_cells(lon, lat, grid.x0, grid.y0, grid.size, grid.nx, grid.ny)
        shared = float((grid.cells[cell] < 0).mean())
        print(
            f"{n:>9,} | {old_s:>8.3f} | {new_s:>7.3f} | {old_s / new_s:>7.0f}x | "
            f"{'yes' if same else 'NO':>4} | {shared:>15.1%}"
        )
        if not same:
            raise SystemExit(f"sectors differ for {n} points")


def join_table(reference: Reference, n: int, repeat: int) -> None:
    events = point_events(*random_points(n, reference.provinces.total_bounds))
    with mock.patch.object(geo.join, "_nearest_sectors", _before_in_join):
        old_s, old = best_time(partial(join_events, events, reference), repeat)
    new_s, new = best_time(partial(join_events, events, reference), repeat)
    same = bool(old["sector_id"].equals(new["sector_id"]))
    with_sector = int(new["sector_id"].ne("").sum())
    header = (
        f"{'points':>9} | {'with a sector':>13} | {'join_events before s':>20} | "
        f"{'with grid s':>11} | {'same':>4}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    print(
        f"{n:>9,} | {with_sector:>13,} | {old_s:>20.3f} | {new_s:>11.3f} | "
        f"{'yes' if same else 'NO':>4}"
    )
    if not same:
        raise SystemExit("join_events sectors differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6])
    parser.add_argument("--join-size", type=int, default=10**5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reference = load_reference()
    sector_table(reference, args.sizes, args.repeat)
    join_table(reference, args.join_size, args.repeat)


if __name__ == "__main__":
    main()
