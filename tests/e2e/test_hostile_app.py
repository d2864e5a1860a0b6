"""A hostile upload in the running app: no injected script runs, in the page or any frame.

The upload goes into the app server shared by the browser tests (``app_server`` in
tests/conftest.py, ``streamlit run`` in a temporary workspace); a fresh browser context is a
fresh session, and the upload becomes its dataset. The uploaded CSV carries script payloads in
every text column, in unknown column headers (shown in a warning) and in invalid cells (shown in
the problem report). Every payload sets ``window.__pwned`` or opens a dialog; the test checks
both in the page and in every frame (the map is an iframe), after the popups of the map's events
are opened.
"""

from __future__ import annotations

import pytest

from tests.adversarial.corpus import HOSTILE, csv_text
from tests.e2e.steps import retried, upload, wait_idle
from tests.e2e.test_app_e2e import MAP_CONTENT_JS, MAP_IFRAME, open_app

pytestmark = pytest.mark.e2e

TEXT_COLUMNS = ("location_text", "source_org", "source_title", "evidence_quote", "notes")
BAD_HEADER = '<img src=x onerror="window.__pwned=20">'
PLACES = ("Dandong", "Sinuiju", "Hyesan", "Tumen", "Yanji", "Hoeryong")


def hostile_upload() -> str:
    header = ("event_id", "date", "count", "place_names", "source_url", *TEXT_COLUMNS,
              BAD_HEADER)  # fmt: skip
    rows = [
        (f"{text}#{i}", f"2024-04-{i + 1:02d}", f"about {i + 1}", PLACES[i % 6],
         "https://example.org/a", *([text] * len(TEXT_COLUMNS)), text)
        for i, text in enumerate(HOSTILE)
    ]  # fmt: skip
    # Invalid cells: their values are shown in the problem report.
    rows.append(("bad1", HOSTILE[0], HOSTILE[2], HOSTILE[3], "javascript:window.__pwned=21",
                 *([""] * len(TEXT_COLUMNS)), ""))  # fmt: skip
    return csv_text(rows, header)


def pwned(page) -> list:
    """``window.__pwned`` of the page and of every frame that has one."""
    found = []
    for frame in page.frames:
        try:
            value = frame.evaluate("() => window.__pwned")
        except Exception:  # a frame navigated away meanwhile
            continue
        if value is not None:
            found.append((frame.url, value))
    return found


def test_hostile_upload_runs_no_script(page, app_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, app_url)
    upload(page, "hostile.csv", hostile_upload().encode())
    valid = f"{len(HOSTILE)} of {len(HOSTILE) + 1} rows valid"
    page.get_by_text(valid).first.wait_for(timeout=90_000)
    page.get_by_text("Dataset: hostile.csv").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_function(MAP_CONTENT_JS, timeout=60_000)
    # The map's page does not scroll (it fits its frame): bring the frame on screen to click.
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    frame = page.frame_locator(MAP_IFRAME).first
    events = frame.locator("path.bem-event")
    popups = []
    # Every circle is clicked: where events share a place, a click may open the popup of the
    # circle on top, so clicking only some of them may miss every payload.
    popup = frame.locator(".leaflet-popup-content").first
    for i in range(events.count()):

        def open_popup(i: int = i) -> None:  # a click the page drops while redrawing: again
            events.nth(i).click(force=True)
            popup.wait_for(timeout=10_000)

        retried(page, open_popup)
        popups.append(popup.inner_text())
    assert len(popups) >= 6
    assert any("window.__pwned" in text for text in popups), popups  # shown as text
    assert frame.locator(".leaflet-popup-content img, .leaflet-popup-content svg").count() == 0
    assert frame.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert pwned(page) == []
    assert dialogs == []
    assert page.watch.blocked == []
