"""The MP4 playback plays in Debian's Chromium (no app server: the file in a local page)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports import HOLD_SECONDS, STEP_SECONDS, write_export
from render.webmap.layers.events import mapped_references
from render.webmap.time_slider import slider_steps
from tests.factories import shipped_events

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", ["1920x1080", "1080x1080"])
def test_the_mp4_plays_in_chromium(page, tmp_path, size):
    view = ViewParams(start=dt.date(2020, 1, 1), end=dt.date(2024, 12, 31))
    data = build_view(shipped_events(), view)
    write_export(data, load_reference(), tmp_path / "playback.mp4", "mp4", size=size)
    html = tmp_path / "play.html"
    html.write_text('<video id="v" src="playback.mp4" preload="auto" muted></video>')
    page.goto(html.as_uri())
    page.wait_for_function("() => { const v = document.getElementById('v');"
                           " return v.readyState >= 1 || v.error !== null; }")  # fmt: skip
    video = page.evaluate(
        "() => { const v = document.getElementById('v'); return {duration: v.duration,"
        " ready: v.readyState, error: v.error && v.error.code, width: v.videoWidth,"
        " height: v.videoHeight}; }"
    )
    steps = len(slider_steps(mapped_references(data.events)))
    assert video["error"] is None
    assert video["ready"] >= 1
    assert video["duration"] == pytest.approx((steps - 1) * STEP_SECONDS + HOLD_SECONDS, abs=0.2)
    assert f"{video['width']}x{video['height']}" == size
    # It plays: the time moves on.
    page.evaluate("document.getElementById('v').play()")
    page.wait_for_function("document.getElementById('v').currentTime > 0.3")
