"""The web map's layout data (render.webmap.layout) and the HTML export's header."""

from __future__ import annotations

import html
import json
import re

import pytest
import shapely

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from i18n import language
from render.exports.html import render_page
from render.names import province_names
from render.webmap.build import build_map
from render.webmap.layers.events import event_payload
from render.webmap.layout import MapLayout, data_frame, land_extent, symbol_points
from render.wording import headline_figures, range_text
from tests.factories import make_events, shipped_events

DANDONG = {"lat": 40.12917, "lon": 124.39472, "provinces": "CN-LN", "place_ids": "cn-dandong"}


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def test_the_view_is_bounded_by_the_basemaps_land_box(regions):
    west, south, east, north = shapely.total_bounds(regions.countries.geometry.values)
    assert land_extent(regions) == [[south, west], [north, east]]


def test_the_frame_holds_the_border_and_every_symbol(regions):
    data = build_view(shipped_events(), ViewParams())
    features = event_payload(data.events, regions, "en")["pts"]["features"]
    points = symbol_points(features)
    assert len(points) == len(features) > 5
    (south, west), (north, east) = data_frame(regions, points)
    b_west, b_south, b_east, b_north = shapely.total_bounds(regions.border.geometry.values)
    assert west <= b_west and east >= b_east and south <= b_south and north >= b_north
    for lat, lon, reach in points:
        assert south <= lat <= north and west <= lon <= east
        assert reach >= 6  # at least the smallest circle (symbology.MIN_RADIUS_PX)


def test_symbols_spread_around_one_place_reach_past_their_radius():
    shared = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [124.4, 40.1]},
              "properties": {"i": 0, "s": "exact", "r": 10.0, "k": 0, "n": 3, "R": 20.0}}
    alone = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [128.2, 41.4]},
             "properties": {"i": 1, "s": "unbounded", "r": 10.0, "rh": 14.5}}  # fmt: skip
    assert symbol_points([shared, alone]) == [[40.1, 124.4, 42.0], [41.4, 128.2, 14.5]]


def test_the_map_fits_its_data_unless_it_opens_at_a_given_view(regions):
    data = build_view(make_events([{"date_start": "2024-04-26", "count_best": 60, **DANDONG}]),
                      ViewParams())  # fmt: skip
    for opening, fit in ((None, True), ((41.0, 127.0, 7), False)):
        fmap = build_map(data, regions, opening=opening)
        (layout,) = [e for e in fmap._children.values() if isinstance(e, MapLayout)]
        assert layout.options["fit"] is fit
        assert layout.options["points"] == [pytest.approx([40.12917, 124.39472, 11.6], abs=0.1)]


def test_the_html_export_has_a_header_with_title_dates_and_figures(regions):
    data = build_view(shipped_events(), ViewParams(lang="ko"))
    page = render_page(data, regions)
    header = re.search(r'<header class="bem-header">(.*?)</header>', page, re.DOTALL)
    assert header is not None
    text = html.unescape(re.sub(r"<[^>]+>", " ", header.group(1)))
    assert "북중 국경에서 기록된 사건" in text
    with language("ko"):
        assert range_text(data.view.start, data.view.end) in text
        figures = headline_figures(data.summary, province_names(regions.provinces, "ko"))
    for label, value in figures.items():
        assert label in text and value in text
    # The header comes before the map's container, whose layout script fills the rest.
    assert page.index('class="bem-header"') < page.index('class="folium-map"')
    options = json.loads(re.search(r"bemMapLayout\(\w+, (\{.*\})\);", page).group(1))
    assert options["fit"] is True
