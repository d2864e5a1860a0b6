import html
import re

import pandas as pd
import pytest

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.cells import AGGREGATE_THRESHOLD
from render.exports.html import export_html, render_page
from render.symbology import radius_px, symbol_for, symbol_kinds
from render.webmap.build import build_map
from render.webmap.layers.events import event_payload
from tests.factories import make_events

ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
DANDONG = {"lat": 40.12917, "lon": 124.39472, "provinces": "CN-LN", "place_ids": "cn-dandong"}
HOSTILE = "<img src=x onerror=window.__pwned=1>${window.__pwned=1}`</script>{{ 6*7 }}zz"


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def sample_events():
    return make_events(
        [
            {"event_id": "dd", "date_start": "2024-04-26", "count_best": 60, "count_low": 60,
             "count_qualifier": "about", "count_text": "about 60", "place_names": "Dandong",
             "source_org": "Daily NK", "evidence_quote": "about 60 were sent back", **DANDONG},
            {"event_id": "dd-claim", "date_start": "2024-04-26", "count_best": 200,
             "count_low": 200, "count_qualifier": "more_than", "count_text": "over 200",
             "source_org": "RFA", "source_published": "2024-04-30",
             "source_url": "https://www.rfa.org/x", "same_event_as": "dd", **DANDONG},
            {"event_id": "oct", "date_start": "2023-10-09", "count_best": 500, "count_low": 500,
             "count_qualifier": "more_than", "count_text": "more than 500", **DANDONG},
            {"event_id": "jl", "date_start": "2021-07-01", "date_end": "2021-07-31",
             "date_precision": "month", "count_best": 50, "count_qualifier": "exact",
             "geo_precision": "admin1", "map_level": "admin1", "provinces": "CN-JL"},
            {"event_id": "bd", "date_start": "2022-01-01", "date_end": "2022-05-31",
             "date_precision": "period", "count_low": 10, "count_high": 30,
             "count_qualifier": "unknown", "geo_precision": "border", "map_level": "border"},
            {"event_id": "far", "date_start": "2022-03-01", "count_best": 3,
             "map_level": "outside", "geo_precision": "admin1", "admin1_codes": "CN-YN"},
            {"event_id": "rep", "event_type": "report", "date_start": "2024-05-01",
             "count_best": 670, "count_low": 670, "count_qualifier": "more_than", **DANDONG},
        ]
    )  # fmt: skip


#: A report row: an aggregate claim, never drawn.
REPORT = {"event_type": "report", "date_start": "2019-01-01", "event_id": "report-row",
          "count_best": 1, "count_low": 1, "count_qualifier": "at_least", **DANDONG}  # fmt: skip


def view_data(events=None, **view):
    params = ViewParams(types=ALL_TYPES, **view)
    return build_view(sample_events() if events is None else events, params)


@pytest.fixture(scope="module")
def page(regions):
    return render_page(view_data(), regions)


class TestSymbols:
    @pytest.mark.parametrize(
        ("qualifier", "low", "best", "high", "style"),
        [
            ("exact", 12, 12, 12, "exact"),
            ("about", 60, 60, None, "approx"),
            ("more_than", 500, 500, None, "unbounded"),
            ("at_least", 24, 24, None, "unbounded"),
            ("up_to", None, 600, 600, "upto"),
            ("unknown", 50, None, 60, "range"),
            ("unknown", None, None, None, "unknown"),
        ],
    )
    def test_uncertainty_styles_differ(self, qualifier, low, best, high, style):
        assert symbol_for(qualifier, low, best, high).kind == style
        one = [pd.Series([v], dtype="Int64") for v in (low, best, high)]
        assert symbol_kinds(pd.Series([qualifier]), *one).tolist() == [style]

    def test_area_proportional_to_people(self):
        assert radius_px(400) / radius_px(100) == pytest.approx(2.0)
        assert radius_px(0) == radius_px(1)  # the minimum keeps tiny events visible


class TestPayload:
    def test_reference_rows_drawn_by_map_level(self, regions):
        data = view_data()
        payload = event_payload(data.events, regions, "en")
        assert len(payload["ev"]) == 4  # not the claim, the report, or the outside event
        points = payload["pts"]["features"]
        assert [f["properties"]["s"] for f in points] == ["unbounded", "approx"]
        assert list(payload["adm"]["ev"]) == ["CN-JL"]
        assert len(payload["bor"]["ev"]) == 1
        low_high = [e[1:4] for e in payload["ev"]]
        assert [10, 10, 30] in low_high  # the border range: low, best (= low), high
        assert [500, 500, None] in low_high  # "more than 500" has no upper bound

    def test_several_events_at_one_place_are_spread(self, regions):
        payload = event_payload(view_data().events, regions, "en")
        props = [f["properties"] for f in payload["pts"]["features"]]
        assert sorted(p["k"] for p in props) == [0, 1]
        assert {p["n"] for p in props} == {2}

    def test_claims_in_popup(self, regions):
        payload = event_payload(view_data().events, regions, "en")
        popup = next(e[5] for e in payload["ev"] if "Daily NK" in e[5])
        assert "26 April 2024" in popup and "People: about 60<" in popup
        # The claim's count is worded from its columns, the source's words in brackets after it.
        assert "more than 200 (over 200)" in html.unescape(popup)
        assert "RFA</b>, published 2024-04-30" in popup
        assert 'href="https://www.rfa.org/x" target="_blank" rel="noopener noreferrer"' in popup
        assert '<q class="bem-quote">about 60 were sent back</q>' in popup
        assert "Where: Dandong" in popup

    def test_place_names_follow_language(self, regions):
        payload = event_payload(view_data().events, regions, "zh")
        assert any("丹东" in e[6] for e in payload["ev"])

    def test_aggregates_past_threshold(self, regions):
        rows = [
            {"date_start": f"2020-01-{1 + i % 28:02d}", "count_best": 1, "lat": 40 + i * 1e-4,
             "lon": 124.4, "provinces": "CN-LN"}
            for i in range(60)
        ]  # fmt: skip
        payload = event_payload(view_data(make_events(rows)).events, regions, "en", aggregate=True)
        cells = payload["pts"]["features"]
        assert [c["properties"]["g"] for c in cells] == [[0, 28]]  # one cell, 28 days
        assert payload["ev"]["count"] == 28  # events coalesced per cell and day: no popups
        assert AGGREGATE_THRESHOLD >= 1000


class TestRenderedMap:
    def test_layers_and_controls(self, page):
        for name in (
            '"Provinces: people in range"',
            '"Border sectors"',
            '"Events"',
            '"Places and crossings"',
        ):
            assert name in page
        assert "L.control.layers(" in page
        assert '"imperial":true' in page  # the scale bar (ControlTexts), miles in English
        assert 'aria-label", "Event date"' in page or '"Event date"' in page
        assert "Liaoning–North Pyongan" in page
        assert "Yalu River" in page and "Tumen River" in page

    def test_no_external_requests(self, page):
        assert not re.search(r"<script[^>]+src=", page)
        assert not re.search(r"<link[^>]+href=", page)
        for host in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "d3js", "tile.open"):
            assert host not in page

    def test_csp_allows_only_the_page_scripts(self, page):
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
        assert "default-src &#39;none&#39;" in csp
        assert "unsafe-inline&#39;; img" in csp  # styles only
        assert csp.count("sha256-") == len(re.findall(r"<script", page))
        assert "img-src data:;" in csp

    def test_tiles_with_attribution(self, regions):
        page = render_page(view_data(basemap="osm"), regions)
        assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
        assert "openstreetmap.org/copyright" in page
        assert "img-src data: https://tile.openstreetmap.org;" in page

    def test_slider_steps_and_mode(self, regions):
        page = render_page(view_data(mode="date"), regions)
        steps = re.search(r'"steps":(\[\[.*?\]\])', page).group(1)
        order = [steps.index(label) for label in ("July 2021", "January–May 2022", "26 April 2024")]
        assert order == sorted(order)
        assert '"mode":"date"' in page

    def test_hostile_text_is_escaped(self, regions):
        fields = ["event_id", "count_text", "location_text", "place_names", "source_org",
                  "source_title", "evidence_quote", "notes"]  # fmt: skip
        row = {f: f"{f}:{HOSTILE}" for f in fields}
        row.update(date_start="2024-01-01", count_best=5, source_url="javascript:window.__pwned=1",
                   source_published=HOSTILE, **{k: v for k, v in DANDONG.items()})  # fmt: skip
        page = render_page(view_data(make_events([row])), regions)
        assert "<img src=x" not in page
        assert "zz42" not in page  # not evaluated as a template
        assert "&lt;img src=x onerror=window.__pwned=1&gt;" in page.replace("\\u0026", "&")
        assert 'href="javascript' not in page
        scripts = re.findall(r"<script(?:\s[^>]*)?>(.*?)</script>", page, flags=re.S)
        assert all("</script" not in s.lower() for s in scripts)

    def test_view_without_events(self, regions):
        page = render_page(view_data(make_events([REPORT])), regions)
        assert '"steps":[]' in page and "No events in this range" in page

    def test_map_object_has_only_leaflet(self, regions):
        m = build_map(view_data(), regions)
        html = m.get_root().render()
        links = re.findall(r'(?:src|href)="(https://cdn[^"]+)"', html)
        assert links and all("leaflet@1.9.3" in u for u in links)

    def test_export_writes_file(self, regions, tmp_path):
        out = export_html(view_data(), regions, tmp_path / "map.html")
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_localised_map_links_only_local_files(regions):
    from render.webmap.assets import localise

    m = localise(build_map(view_data(), regions), "/app/static/vendor")
    links = set()
    stack = [m]
    while stack:  # every element's links, as streamlit-folium collects them
        element = stack.pop()
        links |= {url for _, url in getattr(element, "default_js", [])}
        links |= {url for _, url in getattr(element, "default_css", [])}
        stack.extend(element._children.values())
    assert links == {"/app/static/vendor/leaflet.js", "/app/static/vendor/leaflet.css"}


def test_map_opens_at_the_views_slider_date_and_a_partial_opening(regions):
    import datetime as dt

    from render.webmap.time_slider import TimeSlider

    rows = [{"date_start": d, "count_best": 5, "lat": 40.1, "lon": 124.4, "provinces": "CN-LN"}
            for d in ("2021-07-14", "2023-10-09", "2024-04-26")]  # fmt: skip
    view = ViewParams(at=dt.date(2024, 1, 1))
    m = build_map(build_view(make_events(rows), view), regions, opening=(None, None, 9))
    (slider,) = [e for e in m._children.values() if isinstance(e, TimeSlider)]
    assert slider.options["start"] == 1  # 9 October 2023: the last step on or before the date
    assert m.options["zoom"] == 9  # the zoom given, the border region's centre
    assert 41 < m.location[0] < 43 and 124 < m.location[1] < 131
