"""The map's JavaScript files, the one-line templates calling them, and HTML carried as Markup."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from markupsafe import Markup

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render import symbology as sym
from render.markup import escape_html, link_html
from render.webmap.build import build_map
from render.webmap.controls import ControlTexts
from render.webmap.layers.events import EventsLayer
from render.webmap.layers.places import PlaceLabels
from render.webmap.layers.template import TEMPLATES_DIR, ScriptElement, js_source
from render.webmap.layers.tiles import TileFallback
from render.webmap.layers.vector import VectorLayer
from render.webmap.layout import MapLayout
from render.webmap.legend import Legend, legend_html
from render.webmap.popups import popup_html, tooltip_html
from render.webmap.time_slider import TimeSlider
from render.webmap.view_report import ViewReport
from tests.factories import make_events

SCRIPTS = sorted(TEMPLATES_DIR.glob("*.js"))
ELEMENTS = (
    ControlTexts, EventsLayer, Legend, MapLayout, PlaceLabels, TileFallback, TimeSlider,
    VectorLayer, ViewReport,
)
NODE = shutil.which("node")
ROW = {"event_id": "e1", "event_type": "forced_return", "date_start": None, "date_end": None,
       "date_precision": "day", "count_text": "<b>60</b>", "source_org": "<i>Org</i>",
       "source_url": "javascript:alert(1)", "evidence_quote": "{{ 7*7 }}"}  # fmt: skip


@pytest.fixture(scope="module")
def regions():
    return load_reference()


@pytest.fixture(scope="module")
def fmap(regions):
    rows = [{"date_start": "2024-04-26", "count_best": 60, "lat": 40.129, "lon": 124.395,
             "provinces": "CN-LN"}]  # fmt: skip
    # Web tiles, so that every element (their fallback too) is on the map.
    return build_map(build_view(make_events(rows), ViewParams(basemap="osm")), regions)


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_script_files_are_plain_javascript(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\{[{%#]|[%#]\}", text), "no template syntax in a .js file"
    assert js_source(path.name) == text
    functions = re.findall(r"^function (bem\w+)\(", text, flags=re.MULTILINE)
    assert len(functions) == 1 and f"/* exported {functions[0]} */" in text
    if NODE:
        subprocess.run([NODE, "--check", str(path)], check=True, capture_output=True)


def test_each_element_calls_its_file_in_one_line(fmap):
    fmap.get_root().render()
    elements = [e for e in fmap._children.values() if isinstance(e, ScriptElement)]
    assert {type(e) for e in elements} == set(ELEMENTS)
    for element in elements:
        script = str(element._template.module.script(element, {}))
        assert script.startswith(element.js_code)
        call = script[len(element.js_code) :].strip()
        assert "\n" not in call and re.search(r"\bbem\w+\(", call), call[:200]


def test_script_files_hold_no_symbology_of_their_own():
    events = js_source("events_layer.js")
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", events), "colours come from symbology"
    assert not re.search(r"(fillOpacity|weight|opacity|dashArray)\s*:\s*[\d\"]", events)
    assert "Math.sqrt" in events and "d.cells.scale" in events  # cells only, scale passed


def test_page_writes_each_function_once_and_calls_it(fmap):
    page = fmap.get_root().render()
    for path in SCRIPTS:
        (name,) = re.findall(r"^function (bem\w+)\(", path.read_text(), flags=re.MULTILINE)
        assert page.count(f"function {name}(") == 1, name
        assert page.count(f"{name}(") >= 2, name  # defined and called


def test_streamlit_folium_gets_every_function_with_its_calls(fmap):
    """st_folium collects each element's script macro on its own (not the page's scripts)."""
    from streamlit_folium import generate_leaflet_string

    fmap.get_root().render()
    script = generate_leaflet_string(fmap)
    for path in SCRIPTS:
        (name,) = re.findall(r"^function (bem\w+)\(", path.read_text(), flags=re.MULTILINE)
        assert script.count(f"function {name}(") == 1, name
    if NODE:
        subprocess.run([NODE, "--check", "-"], input=script.encode(), check=True,
                       capture_output=True)  # fmt: skip


def test_payload_carries_the_symbology(fmap):
    page = fmap.get_root().render()
    assert '"sym":{"styles":' in page
    assert f'"radius":{{"min":{sym.MIN_RADIUS_PX}}}' in page


class TestMarkup:
    def test_escape_html_returns_markup_and_keeps_markup(self):
        escaped = escape_html("<b>&</b>")
        assert isinstance(escaped, Markup) and escaped == "&lt;b&gt;&amp;&lt;/b&gt;"
        assert escape_html(escaped) == escaped  # already HTML: not escaped twice
        assert escape_html(Markup("<br>")) == "<br>"
        assert isinstance(escape_html(None), Markup)

    def test_html_builders_return_markup(self):
        assert isinstance(link_html("https://x.org", "x"), Markup)
        assert isinstance(link_html("javascript:x()", "x"), Markup)
        popup = popup_html(ROW, [ROW], "<script>")
        tip = tooltip_html(ROW, "<script>")
        assert isinstance(popup, Markup) and isinstance(tip, Markup)
        assert "<script" not in popup + tip and "<b>60" not in popup and "<i>" not in popup
        assert "&lt;script&gt;" in tip and "{{ 7*7 }}" in popup
        assert isinstance(legend_html(["forced_return"], cells=None, outside=0), Markup)

    def test_elements_refuse_plain_strings_as_html(self):
        with pytest.raises(TypeError, match="Markup"):
            VectorLayer({"type": "FeatureCollection", "features": []}, "<b>x</b>", {})
        with pytest.raises(TypeError, match="Markup"):
            VectorLayer({"type": "FeatureCollection", "features": []}, Markup("x"), {},
                        extra={"CN-LN": {"tip": "<img src=x>"}})  # fmt: skip
        with pytest.raises(TypeError, match="Markup"):
            Legend("<b>legend</b>")
        VectorLayer({"type": "FeatureCollection", "features": []}, Markup("x"), {},
                    extra={"CN-LN": {"tip": escape_html("<img src=x>")}})  # fmt: skip
