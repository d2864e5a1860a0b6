"""The export panel's playback formats (GIF, MP4) in the app (Streamlit AppTest)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest
from test_export_panel import SCRIPT


@pytest.fixture
def app():
    at = AppTest.from_string(SCRIPT, default_timeout=180).run()
    assert not at.exception
    return at


def test_gif_offers_sizes_and_pace_and_previews(app):
    app.selectbox(key="exp_format").set_value("gif").run()
    assert app.selectbox(key="exp_size").options == [
        "1920×1080 (slides)",
        "1080×1080 (social posts)",
    ]
    assert app.selectbox(key="exp_seconds").value == 1.2
    app.selectbox(key="exp_size").set_value("1080x1080").run()
    app.button(key="exp_make").click().run()
    assert not app.exception
    made = app.session_state["exp_made"]
    assert made.name == "border-map_2023-01-01_2023-12-31.gif" and made.mime == "image/gif"
    with Image.open(io.BytesIO(made.data)) as gif:
        assert gif.size == (1080, 1080) and gif.n_frames >= 2
    assert len(app.get("image")) == 1


def test_mp4_is_made_for_download(app):
    app.selectbox(key="exp_format").set_value("mp4").run()
    app.button(key="exp_make").click().run()
    assert not app.exception
    made = app.session_state["exp_made"]
    assert made.mime == "video/mp4" and made.data[4:8] == b"ftyp"
    assert [b.key for b in app.get("download_button")] == ["exp_download", "exp_download_sources"]
    assert len(app.get("video")) == 1


def test_a_view_with_too_many_steps_says_so(app, monkeypatch):
    monkeypatch.setattr("render.exports.playback.MAX_PLAYBACK_STEPS", 1)
    app.selectbox(key="exp_format").set_value("gif").run()
    app.button(key="exp_make").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "This view has 3 time slider steps; a playback shows at most 1: choose a shorter date "
        "range."  # the 2023 view
    ]
    assert app.get("download_button") == []
