"""Print map extents: the land is drawn to the map's every edge (no blank slanted wedge)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import shapely
from matplotlib.figure import Figure
from shapely.geometry import box

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.printmap.map import (
    basemap_cover,
    border_extent,
    draw_map,
    inside_basemap,
    projected_extent,
)
from tests.factories import make_events


@pytest.fixture(scope="module")
def regions():
    return load_reference()


@pytest.fixture(scope="module")
def cover(regions):
    return basemap_cover(regions)


def _whole_box(regions):
    return tuple(float(v) for v in shapely.total_bounds(regions.countries.geometry.values))


@pytest.mark.parametrize("aspect", [16 / 9, 1.0, 0.7])
def test_the_whole_basemap_box_would_leave_wedges_and_is_shrunk_inside(regions, cover, aspect):
    # Projected, the basemap's longitude/latitude box slants: its bounding rectangle, which
    # the page would show, reaches past it where nothing is drawn.
    extent = projected_extent(_whole_box(regions), aspect)
    assert not box(*extent).within(cover)
    inside = inside_basemap(extent, regions)
    assert box(*inside).within(cover)
    width, height = inside[2] - inside[0], inside[3] - inside[1]
    assert width / height == pytest.approx(aspect)
    assert box(*inside).area > 0.4 * cover.area  # shrunk no more than it has to be


def test_an_extent_inside_the_basemap_is_kept(regions):
    extent = projected_extent(border_extent(regions), 1.4)
    assert inside_basemap(extent, regions) == extent


def test_a_centre_off_the_basemap_moves_inside(regions, cover):
    xmin, ymin, xmax, ymax = cover.bounds
    off = (xmin - 4e5, ymin - 3e5, xmin - 2e5, ymin - 1e5)  # wholly off the basemap
    inside = inside_basemap(off, regions)
    assert box(*inside).within(cover) and box(*inside).area > 0


def test_the_drawn_map_has_land_or_sea_at_every_corner(regions, cover):
    rows = [{"date_start": "2024-04-26", "count_best": 60, "lat": 40.129, "lon": 124.395}]
    data = build_view(make_events(rows), ViewParams())
    fig = Figure(figsize=(16, 9))
    ax = fig.add_axes((0, 0, 1, 1))
    draw_map(ax, data, regions, projected_extent(_whole_box(regions), 16 / 9))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert box(x0, y0, x1, y1).within(cover)
    for corner in [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]:
        assert cover.contains(shapely.Point(corner))
