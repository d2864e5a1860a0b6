"""Many events on the print map: summed per grid cell as on the web map, with the cells' legend."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from geo.pipeline import build_view, dataset_from_events
from geo.reference import load_reference
from geo.view import ViewParams
from i18n.formats import number
from render import symbology as sym
from render.cells import AGGREGATE_THRESHOLD
from render.printmap.layout import draw_symbol_legend
from render.printmap.map import border_extent, draw_map, projected_extent
from render.webmap.layers.events import event_payload
from tests.factories import synthetic_events


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def drawn_map(data, regions):
    fig = Figure(figsize=(8, 6))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    drawn = draw_map(ax, data, regions, projected_extent(border_extent(regions), 8 / 6))
    return ax, drawn


def circles(ax):
    """Offsets of the filled circles of the events' layer (zorder 6) on ``ax``."""
    fills = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_zorder() == 6]
    return np.concatenate([c.get_offsets() for c in fills]) if fills else np.empty((0, 2))


def test_many_events_are_summed_per_cell_as_on_the_web_map(regions):
    events = synthetic_events(AGGREGATE_THRESHOLD * 3)
    data = build_view(dataset_from_events(events, "many", reference=regions).events, ViewParams())
    web = event_payload(data.events, regions, "en")
    assert web["agg"]
    ax, drawn = drawn_map(data, regions)
    assert drawn["cells"] == pytest.approx(web["cells"])  # same fullest cell, same scale
    assert len(circles(ax)) == len(web["pts"]["features"])  # a circle per cell, not per event
    assert drawn["off_frame"] >= 0


def test_few_events_keep_one_symbol_each(regions):
    events = synthetic_events(200)
    data = build_view(dataset_from_events(events, "few", reference=regions).events, ViewParams())
    ax, drawn = drawn_map(data, regions)
    assert drawn["cells"] is None
    assert len(circles(ax)) >= 150  # one per event (some have a ring too, drawn apart)


def test_the_legend_shows_the_cells_sizes_and_what_they_sum():
    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    scale = sym.cell_radius_scale(12_000)
    draw_symbol_legend(ax, {"scale": scale, "largest": 12_000.0})
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "People in a grid cell (circle area)"
    sizes = sym.cell_legend_sizes(12_000, scale)
    assert texts[1 : 1 + len(sizes)] == [number(n) for n in sizes]
    assert "circles sum the events in 0.25°" in " ".join(texts[-1].split())
    assert "How sure the count is" not in texts
    radii = sorted(p.get_radius() for p in ax.patches)
    assert radii[-1] == pytest.approx(sym.cell_radius_px(sizes[-1], scale) * 0.75)
