"""A link's notices stay on the page while its view is shown; they go once the view changes."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_a_links_notice_stays_through_reruns_until_the_view_changes():
    at = AppTest.from_file(APP)
    at.query_params["basemap"] = "google"
    at.run(timeout=120)
    assert "basemap='google'" in at.warning[0].value
    at.run(timeout=120)  # a rerun of the page (the map's report of a new slider mode)
    assert "basemap='google'" in at.warning[0].value
    at.radio(key="match").set_value("overlap").run(timeout=120)
    assert not [w for w in at.warning if "basemap" in w.value]
