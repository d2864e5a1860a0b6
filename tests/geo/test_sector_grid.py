import pickle

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString

import geo.join
from geo.disk_cache import cache_folder
from geo.grid_index import padded_cells
from geo.join import join_events
from geo.reference import load_reference
from geo.reference.schema import CRS
from geo.reference.sectors import METRIC_CRS
from geo.sector_grid import SectorGrid, metric_lines, nearest_exact, sector_grid_for
from tests.factories import make_events
from tests.factories import nearest_sectors_before_grid as before_grid


@pytest.fixture(scope="module")
def shipped():
    reference = load_reference()
    grid = sector_grid_for(reference.sectors.geometry, reference.provinces.total_bounds)
    ids = np.append(reference.sectors["sector_id"].to_numpy(dtype=object), "")
    return reference, grid, ids


def _metres(lines, lon, lat) -> np.ndarray:
    """Distances of the points to every line in the metric CRS (points by lines)."""
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=CRS).to_crs(METRIC_CRS).values
    return shapely.distance(np.asarray(points)[:, None], lines[None, :])


def _tied(metres: np.ndarray) -> np.ndarray:
    ordered = np.sort(metres, axis=1)
    return ordered[:, 0] == ordered[:, 1]


def test_same_as_before_on_random_points(shipped):
    reference, grid, ids = shipped
    xmin, ymin, xmax, ymax = reference.provinces.total_bounds
    rng = np.random.default_rng(15)
    lon, lat = rng.uniform(xmin, xmax, 200_000), rng.uniform(ymin, ymax, 200_000)
    assert np.array_equal(
        ids[grid.nearest(lon, lat)], before_grid(lon, lat, reference.sectors)
    )
    cell = padded_cells(lon, lat, grid.x0, grid.y0, grid.size, grid.nx, grid.ny)
    shared = grid.cells[cell] < 0
    assert 0.01 < shared.mean() < 0.05  # most points answered by their cell alone
    # Points exactly as far from two sectors (beyond the end CN-LN|KP-04 and CN-JL|KP-04
    # share) were among them: they get the STRtree's answer.
    metres = _metres(grid.lines, lon[shared], lat[shared])
    assert _tied(metres).sum() > 100


def _boundary_pairs(lon, lat, sectors, steps: int = 45):
    """Bisect between points of different sectors down to pairs about 1e-13 degree apart."""
    a = np.column_stack([lon[:-1], lat[:-1]])
    b = np.column_stack([lon[1:], lat[1:]])
    label_a = before_grid(a[:, 0], a[:, 1], sectors)
    differ = label_a != before_grid(b[:, 0], b[:, 1], sectors)
    a, b, label_a = a[differ], b[differ], label_a[differ]
    for _ in range(steps):
        middle = (a + b) / 2
        same = before_grid(middle[:, 0], middle[:, 1], sectors) == label_a
        a[same], b[~same] = middle[same], middle[~same]
    both = np.vstack([a, b])
    return both[:, 0], both[:, 1]


def test_same_as_before_at_zone_boundaries(shipped):
    reference, grid, ids = shipped
    xmin, ymin, xmax, ymax = reference.provinces.total_bounds
    rng = np.random.default_rng(16)
    near = rng.uniform([124, 40], [131, 43], (1500, 2))  # along the border: several zones
    wide = rng.uniform([xmin, ymin], [xmax, ymax], (1500, 2))
    points = np.vstack([near, wide])
    lon, lat = _boundary_pairs(points[:, 0], points[:, 1], reference.sectors)
    assert len(lon) > 1000 and np.abs(np.diff(lon.reshape(2, -1), axis=0)).max() < 1e-9
    assert np.array_equal(
        ids[grid.nearest(lon, lat)], before_grid(lon, lat, reference.sectors)
    )


def test_same_as_before_on_cell_edges_outside_and_nan(shipped):
    reference, grid, ids = shipped
    rng = np.random.default_rng(17)
    on_edges = (
        grid.x0 + rng.integers(0, grid.nx + 1, 20_000) * grid.size,
        grid.y0 + rng.integers(0, grid.ny + 1, 20_000) * grid.size,
    )
    outside = (rng.uniform(100, 160, 20_000), rng.uniform(20, 60, 20_000))
    nan = ([np.nan, 125.0, np.nan], [41.0, np.nan, np.nan])
    for lon, lat in (on_edges, outside, nan):
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        assert np.array_equal(
            ids[grid.nearest(lon, lat)], before_grid(lon, lat, reference.sectors)
        )
    assert list(ids[grid.nearest(*nan)]) == ["", "", ""]


def test_exact_ties_get_the_strtree_answer():
    """Two lines meeting at a right angle: every point south-east of the corner ties."""
    west = LineString([(125.0, 41.0), (125.5, 41.0)])
    north = LineString([(125.5, 41.0), (125.5, 41.5)])
    rng = np.random.default_rng(18)
    lon, lat = rng.uniform(124.5, 126.5, 20_000), rng.uniform(40.5, 42.0, 20_000)
    for order in ([west, north], [north, west]):
        lines = metric_lines(gpd.GeoSeries(order, crs=CRS))
        grid = SectorGrid.build(lines, (124.5, 40.5, 126.5, 42.0), cells=64, coarse=8)
        found = grid.nearest(lon, lat)
        assert np.array_equal(found, nearest_exact(lines, lon, lat))
        assert _tied(_metres(lines, lon, lat)).sum() > 1000


def test_grid_kept_per_process_and_on_disk(shipped):
    reference, grid, _ = shipped
    assert sector_grid_for(reference.sectors.geometry, reference.provinces.total_bounds) is grid
    assert list(cache_folder().glob("sector_grid-*.pickle"))
    kept = pickle.loads(pickle.dumps(grid))
    lon, lat = np.linspace(124, 131, 5000), np.linspace(40, 43, 5000)
    assert np.array_equal(kept.nearest(lon, lat), grid.nearest(lon, lat))
    assert grid.cells.dtype == np.int8  # six sectors, a dozen candidate sets


def test_join_events_same_through_grid_or_directly(shipped, monkeypatch):
    reference, _, _ = shipped
    rng = np.random.default_rng(19)
    lon, lat = rng.uniform(124, 131, 3000), rng.uniform(40, 43, 3000)
    rows = [{"date_start": "2024-01-01", "geo_precision": "point", "lon": x, "lat": y}
            for x, y in zip(lon, lat, strict=True)]  # fmt: skip
    events = make_events(rows, joined=False)
    direct = join_events(events, reference)["sector_id"]
    monkeypatch.setattr(geo.join, "SECTOR_GRID_MIN_POINTS", 0)
    through_grid = join_events(events, reference)["sector_id"]
    assert (direct != "").sum() > 1000
    assert direct.equals(through_grid)
