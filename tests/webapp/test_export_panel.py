"""The export panel in the app (Streamlit AppTest) and its pure helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo.view import ViewParams
from webapp.export_panel import file_stem, normalise_bounds

SCRIPT = """
import datetime as dt
from geo.pipeline import build_view
from tests.factories import shipped_events
from geo.reference import load_reference
from geo.view import ViewParams
from webapp.export_panel import render_export_panel

view = ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
data = build_view(shipped_events(), view)
bounds = {"_southWest": {"lat": 39.5, "lng": 123.5}, "_northEast": {"lat": 41.5, "lng": 126.5}}
render_export_panel(data, load_reference(), bounds=bounds, key_prefix="exp")
"""


@pytest.fixture
def app():
    at = AppTest.from_string(SCRIPT, default_timeout=120).run()
    assert not at.exception
    return at


def _downloads(at):
    return [(b.key, b.label) for b in at.get("download_button")]


def test_csv_is_made_and_offered_for_download(app):
    app.selectbox(key="exp_format").set_value("csv").run()
    assert _downloads(app) == []
    app.button(key="exp_make").click().run()
    assert not app.exception
    assert _downloads(app) == [
        ("exp_download", "Download border-map_2023-01-01_2023-12-31.csv")
    ]
    assert app.get("progress")[0].value == 100


def test_png_has_a_preview_and_a_sources_file(app):
    app.selectbox(key="exp_format").set_value("png").run()
    assert [r.key for r in app.radio] == ["exp_extent"]
    assert app.radio(key="exp_extent").options == [
        "The map as shown on screen",
        "The whole border region",
    ]
    app.selectbox(key="exp_dpi").set_value(150).run()
    app.button(key="exp_make").click().run()
    assert not app.exception
    assert [key for key, _ in _downloads(app)] == ["exp_download", "exp_download_sources"]
    assert len(app.get("image")) == 1


def test_a_view_of_all_dates_names_its_files_so():
    """The download buttons of a view open at both ends say "all-dates", not "start_end"."""
    at = AppTest.from_string(
        SCRIPT.replace(
            "ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))", "ViewParams()"
        ),
        default_timeout=120,
    ).run()
    at.selectbox(key="exp_format").set_value("png").run()
    at.selectbox(key="exp_dpi").set_value(150).run()
    at.button(key="exp_make").click().run()
    assert not at.exception
    assert _downloads(at) == [
        ("exp_download", "Download border-map_all-dates.png"),
        ("exp_download_sources", "Download the sources list (.txt)"),
    ]
    assert at.session_state["exp_made"].name == "border-map_all-dates.png"


def test_changing_an_option_drops_the_stale_file(app):
    app.selectbox(key="exp_format").set_value("geojson").run()
    app.button(key="exp_make").click().run()
    assert len(_downloads(app)) == 1
    app.selectbox(key="exp_format").set_value("xlsx").run()
    assert _downloads(app) == []


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (None, None),
        ((123.5, 39.5, 126.5, 41.5), (123.5, 39.5, 126.5, 41.5)),
        (
            {"_southWest": {"lat": 39.5, "lng": 123.5}, "_northEast": {"lat": 41.5, "lng": 126.5}},
            (123.5, 39.5, 126.5, 41.5),
        ),
        ({"_southWest": {"lat": 39.5}}, None),
        ((126.5, 39.5, 123.5, 41.5), None),
        ((-400, -100, 400, 100), (-180.0, -85.0, 180.0, 85.0)),
        ("nonsense", None),
    ],
)
def test_normalise_bounds(bounds, expected):
    assert normalise_bounds(bounds) == expected


@pytest.mark.parametrize(
    ("start", "end", "stem"),
    [
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "border-map_2023-01-01_2023-12-31"),
        (dt.date(2020, 1, 1), None, "border-map_from-2020-01-01"),
        (None, dt.date(2023, 12, 31), "border-map_until-2023-12-31"),
        (None, None, "border-map_all-dates"),
    ],
)
def test_file_stem_says_which_dates(start, end, stem):
    """An open range is named by what the file holds, never by the words "start" or "end"."""
    assert file_stem(ViewParams(start=start, end=end)) == stem
