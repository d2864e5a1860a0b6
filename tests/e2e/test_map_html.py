"""The exported HTML map in headless Chromium with every non-local request blocked."""

import io
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from playwright.sync_api import expect

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render import symbology as sym
from render.exports.html import export_html
from tests.factories import make_events, shipped_events

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
DANDONG = {"lat": 40.12917, "lon": 124.39472, "provinces": "CN-LN", "place_ids": "cn-dandong"}
HYESAN = {"lat": 41.40167, "lon": 128.17778, "provinces": "KP-10", "place_ids": "kp-hyesan"}
#: A report row: an aggregate claim, never drawn.
REPORT = {"event_type": "report", "date_start": "2019-01-01", "event_id": "report-row",
          "count_best": 1, "count_low": 1, "count_qualifier": "at_least", **DANDONG}  # fmt: skip
PWN = "window.__pwned=1"
HOSTILE = (
    f"<img src=x onerror={PWN}>${{{PWN}}}`\\`</script><script>{PWN}</script>"
    f"{{{{ 6*7 }}}}<a href='javascript:{PWN}'>x</a>"
)


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def open_map(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector(".bem-bar input[type=range]")


def label(page) -> str:
    return page.inner_text(".bem-date")


def total(page) -> str:
    return page.inner_text(".bem-total")


def symbols(page) -> int:
    return page.locator("path.bem-event").count()


def test_shipped_map_renders_offline(page, regions, tmp_path):
    view = ViewParams(types=ALL_TYPES)
    out = export_html(build_view(shipped_events(), view), regions, tmp_path / "map.html")
    open_map(page, out)
    page.wait_for_timeout(300)  # let Leaflet finish drawing before the screenshot
    ARTIFACTS.mkdir(exist_ok=True)
    png = page.screenshot(path=str(ARTIFACTS / "map_shipped.png"))
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # Province classes: symbology's colours at its opacity over the land (some tinted by the
    # outline of province-level events, hence the tolerance).
    over_land = [
        np.array(to_rgb(c)) * sym.SHADING_OPACITY
        + np.array(to_rgb(sym.LAND_COLOUR)) * (1 - sym.SHADING_OPACITY)
        for c in sym.SHADING_COLOURS
    ]
    shading = sum(int((abs(rgb - 255 * c).max(axis=-1) < 10).sum()) for c in over_land)
    border = int(((r < 60) & (g < 60) & (b < 60)).sum())  # sector lines
    land = int((rgb == (244, 241, 234)).all(axis=-1).sum())  # country fill
    river = int(((abs(r - 31) < 12) & (abs(g - 120) < 12) & (abs(b - 180) < 12)).sum())
    assert shading > 20_000 and border > 500 and land > 50_000 and river > 50
    assert symbols(page) > 5
    assert page.locator(".bem-label:visible").count() > 10
    assert page.get_by_label("Event date").count() == 1
    assert page.watch.blocked == []
    assert page.watch.console_errors == []


def slider_data():
    return build_view(
        make_events(
            [
                {"event_id": "a", "date_start": "2021-07-01", "date_end": "2021-07-31",
                 "date_precision": "month", "count_best": 50, **DANDONG},
                {"event_id": "b", "date_start": "2023-10-09", "count_best": 500,
                 "count_low": 500, "count_qualifier": "more_than", **HYESAN},
                {"event_id": "c", "date_start": "2024-04-26", "count_best": 60,
                 "count_low": 60, "count_qualifier": "about", **DANDONG},
            ]
        ),
        ViewParams(types=ALL_TYPES),
    )  # fmt: skip


def test_slider_steps_in_a_row_reach_the_app_as_one_report(page, regions, tmp_path):
    """The app reruns once, for the step the slider was left at (time_slider.js report())."""
    open_map(page, export_html(slider_data(), regions, tmp_path / "map.html"))
    page.evaluate("""() => {
        window.__GLOBAL_DATA__ = {selected_tags: []};  // what streamlit-folium would send
        window.__reports = [];
        const map = Object.values(window).find(v => v instanceof L.Map);
        map.on('moveend', () => window.__reports.push(
            Object.assign({}, window.__GLOBAL_DATA__.selected_tags)));
    }""")
    page.get_by_label("Event date").focus()
    for key in ("Home", "ArrowRight", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
    assert label(page) == "Up to 9 October 2023"
    page.wait_for_function("() => window.__reports.length > 0")
    page.wait_for_timeout(800)  # twice the quiet time: no report is still to come
    reports = page.evaluate("() => window.__reports")
    assert reports == [{"at": "2023-10-09", "mode": "cumulative"}]


def test_slider_steps_event_by_event(page, regions, tmp_path):
    open_map(page, export_html(slider_data(), regions, tmp_path / "map.html"))
    assert label(page) == "Up to 26 April 2024"
    assert total(page) == "3 events on the map · people: at least 610"
    assert symbols(page) == 3
    slider = page.get_by_label("Event date")
    slider.focus()
    page.keyboard.press("Home")
    assert label(page) == "Up to July 2021"
    assert total(page) == "1 event on the map · people: 50"
    assert symbols(page) == 1
    page.keyboard.press("ArrowRight")
    assert label(page) == "Up to 9 October 2023"
    assert total(page) == "2 events on the map · people: at least 550"
    assert symbols(page) == 2
    page.keyboard.press("End")
    assert symbols(page) == 3
    page.get_by_label("Slider mode").select_option("date")
    assert label(page) == "26 April 2024"
    assert total(page) == "1 event on the map · people: at least 60"
    assert symbols(page) == 1
    assert slider.get_attribute("aria-valuetext") == "26 April 2024"
    assert page.locator("[aria-live=polite] .bem-date").count() == 1
    assert page.watch.blocked == [] and page.watch.console_errors == []


def test_play_advances(page, regions, tmp_path):
    open_map(page, export_html(slider_data(), regions, tmp_path / "map.html"))
    page.get_by_role("button", name="Play").click()  # from the end it restarts at the first date
    assert label(page) == "Up to July 2021"
    expect(page.locator(".bem-date")).to_contain_text("Oct")  # polls; no eval under the CSP
    assert symbols(page) == 2
    page.get_by_role("button", name="Pause").click()
    assert page.watch.console_errors == []


def test_hostile_text_executes_nothing(page, regions, tmp_path):
    text_fields = ["count_text", "location_text", "place_names", "source_org", "source_title",
                   "source_published", "evidence_quote", "notes"]  # fmt: skip
    bad = {f: f"{f}:{HOSTILE}" for f in text_fields}
    rows = [
        {**bad, "event_id": HOSTILE, "date_start": "2024-01-01", "count_best": 5,
         "source_url": f"javascript:{PWN}", **DANDONG, "place_ids": ""},
        {**bad, "event_id": "claim", "same_event_as": HOSTILE, "date_start": "2024-01-01",
         "count_best": 7, "source_url": f"javascript:{PWN}", **DANDONG, "place_ids": ""},
    ]  # fmt: skip
    data = build_view(make_events(rows), ViewParams(types=ALL_TYPES))
    open_map(page, export_html(data, regions, tmp_path / "map.html"))
    event = page.locator("path.bem-event").first
    event.hover()
    event.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "evidence_quote:<img src=x onerror=window.__pwned=1>${window.__pwned=1}`" in text
    assert "{{ 6*7 }}" in text and "</script><script>" in text
    assert popup.locator("a").count() == 0  # javascript: links are never links
    assert page.locator(".leaflet-popup img, .leaflet-tooltip img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.watch.console_errors == []


def test_many_events_are_aggregated_and_the_slider_still_works(page, regions, tmp_path):
    rows = [
        {"event_id": f"m{i}", "date_start": f"20{10 + i % 12}-0{1 + i % 9}-1{i % 10}",
         "count_best": 1 + i % 40, "lat": 40.2 + (i % 50) * 0.04, "lon": 124.5 + (i % 60) * 0.08,
         "provinces": "CN-LN"}
        for i in range(2500)
    ]  # fmt: skip
    data = build_view(make_events(rows), ViewParams(types=ALL_TYPES))
    open_map(page, export_html(data, regions, tmp_path / "map.html"))
    cells = symbols(page)
    assert 0 < cells < 500 and page.locator("path.bem-cell").count() == cells
    assert total(page).startswith("2,500 events")  # numbers as i18n.formats writes them
    page.get_by_label("Event date").focus()
    page.keyboard.press("Home")
    assert label(page) == "Up to 10 January 2010"
    assert 0 < symbols(page) < cells
    assert page.watch.blocked == [] and page.watch.console_errors == []


def test_web_tiles_are_the_only_third_party_requests(page, regions, tmp_path):
    data = slider_data()
    data = build_view(data.events, ViewParams(types=ALL_TYPES, basemap="osm"))
    open_map(page, export_html(data, regions, tmp_path / "map.html"))
    expect(page.locator(".leaflet-tile").first).to_be_attached()
    page.wait_for_timeout(300)  # the tile requests are issued after the tiles are added
    assert page.watch.blocked
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in page.watch.blocked)
    assert "OpenStreetMap" in page.inner_text(".leaflet-control-attribution")


def test_empty_view(page, regions, tmp_path):
    data = build_view(make_events([REPORT]), ViewParams(types=ALL_TYPES))
    open_map(page, export_html(data, regions, tmp_path / "map.html"))
    assert label(page) == "No events in this range"
    assert page.get_by_label("Event date").is_disabled()
    assert page.watch.console_errors == []
