"""The first page of a session stops below the map; the rest follows on the next run."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from webapp.page_order import REST_KEY

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_first_run_draws_down_to_the_map_and_the_next_run_everything():
    at = AppTest.from_file(APP)
    at.run(timeout=120)
    assert not at.exception
    assert [m.label for m in at.metric]  # the figures above the map are drawn
    assert any(c.proto.component_name.endswith("st_folium") for c in at.get("component_instance"))
    assert not at.tabs and not at.get("vega_lite_chart")  # no table, timeline or export
    assert at.session_state[REST_KEY] is False
    at.run(timeout=120)  # the map's first report reruns the page
    assert [t.label for t in at.tabs] == ["Events", "Cross-checks", "Export"]
    assert at.get("vega_lite_chart")  # the timeline
    assert at.session_state[REST_KEY] is True


def test_a_links_notice_stays_on_the_page_the_map_reruns_until_the_view_changes():
    at = AppTest.from_file(APP)
    at.query_params["basemap"] = "google"
    at.run(timeout=120)
    assert "basemap='google'" in at.warning[0].value
    at.run(timeout=120)  # the map's first report reruns the page
    assert "basemap='google'" in at.warning[0].value
    at.radio(key="match").set_value("overlap").run(timeout=120)
    assert not [w for w in at.warning if "basemap" in w.value]
