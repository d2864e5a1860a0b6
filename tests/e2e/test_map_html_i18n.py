"""The exported HTML map in Korean and Chinese, in headless Chromium: slider, controls, popups."""

import pytest

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports.html import export_html
from tests.e2e.test_map_html import ALL_TYPES, DANDONG, HYESAN, label, open_map, symbols, total
from tests.factories import make_events

pytestmark = pytest.mark.e2e

#: Per language: the slider's label and total at the last step and the first, the mode and
#: play button's texts, Leaflet's zoom and layer button titles, a popup's people line.
EXPECTED = {
    "ko": {"html": "ko", "last": "2024년 4월 26일까지", "total": "지도상 사건 3건 · 인원: ",
           "first": "2021년 7월까지", "one": "지도상 사건 1건 · 인원: ", "date": "이 날짜만",
           "play": "재생", "zoom": "확대", "layers": "레이어", "people": "인원: "},
    "zh": {"html": "zh-Hans", "last": "截至2024年4月26日", "total": "地图上3起事件 · 人数：",
           "first": "截至2021年7月", "one": "地图上1起事件 · 人数：", "date": "仅此日期",
           "play": "播放", "zoom": "放大", "layers": "图层", "people": "人数："},
}  # fmt: skip


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def _data(lang):
    rows = [
        {"event_id": "a", "date_start": "2021-07-01", "date_end": "2021-07-31",
         "date_precision": "month", "count_best": 50, **DANDONG},
        {"event_id": "b", "date_start": "2023-10-09", "count_best": 500, "count_low": 500,
         "count_qualifier": "more_than", **HYESAN},
        {"event_id": "c", "date_start": "2024-04-26", "count_best": 60, "count_low": 60,
         "count_qualifier": "about", **DANDONG},
    ]  # fmt: skip
    return build_view(make_events(rows), ViewParams(types=ALL_TYPES, lang=lang))


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_map_speaks_the_language(page, regions, tmp_path, lang):
    want = EXPECTED[lang]
    open_map(page, export_html(_data(lang), regions, tmp_path / "map.html"))
    assert page.get_attribute("html", "lang") == want["html"]
    assert page.get_attribute(".leaflet-container", "lang") == want["html"]
    assert label(page) == want["last"]
    assert total(page).startswith(want["total"])
    slider = page.locator(".bem-range")
    slider.focus()
    page.keyboard.press("Home")
    assert label(page) == want["first"]
    assert total(page).startswith(want["one"])
    assert symbols(page) == 1
    assert page.locator(".bem-mode option[value=date]").inner_text() == want["date"]
    assert want["play"] in page.inner_text(".bem-play")
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == want["zoom"]
    assert page.get_attribute(".leaflet-control-zoom-in", "aria-label") == want["zoom"]
    assert page.get_attribute(".leaflet-control-layers-toggle", "title") == want["layers"]
    page.locator("path.bem-event").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert want["people"] in popup.inner_text()
    close = page.locator(".leaflet-popup-close-button").get_attribute("aria-label")
    assert close and "popup" not in close
    assert page.watch.blocked == [] and page.watch.console_errors == []
