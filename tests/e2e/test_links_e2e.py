"""Complete links and the timeline linked to the map (issue 14), in headless Chromium.

A link carries the zoom, centre, slider date, mode and dataset; the address bar and the export
panel's link follow the map when the user moves its slider or zooms; a click on the timeline
moves the map's slider, and the timeline draws the slider's date. Few page loads, several
checks each (the browser suite is slow).
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.e2e.steps import STEP_MS, open_tab, retried, wait_idle
from tests.e2e.test_app_e2e import MAP_IFRAME, UPLOAD_CSV, open_app

pytestmark = pytest.mark.e2e
#: JavaScript returning the map's zoom, centre, date label and mode (null while it loads).
MAP_STATE_JS = f"""() => {{
    const frame = document.querySelector('{MAP_IFRAME}');
    const w = frame && frame.contentWindow;
    const date = w && w.document.querySelector('.bem-date');
    if (!w || !w.map || !date) return null;
    const c = w.map.getCenter();
    return {{zoom: w.map.getZoom(), lat: c.lat, lng: c.lng, date: date.textContent,
             mode: w.document.querySelector('.bem-mode').value, probe: w.bemProbe || null}};
}}"""
TIMELINE = "[class*=st-key-timeline]"


def save_upload(workspace) -> str:
    """Save a copy of UPLOAD_CSV in the app's store as the local user; return its dataset id."""
    from storage.store import open_store
    from webapp.app_store import LOCAL_USER

    content = UPLOAD_CSV.replace("example.org", "example.net").encode()
    store = open_store(workspace)
    try:
        return store.create_dataset(store.ensure_user(LOCAL_USER).id, content, "links.csv").id
    finally:
        store.close()


def map_state(page) -> dict:
    page.wait_for_function(f"() => ({MAP_STATE_JS})() !== null", timeout=60_000)
    return page.evaluate(MAP_STATE_JS)


def wait_for_query(page, *parts: str) -> None:
    """Wait until the address bar's query holds every ``name=value`` of ``parts``."""
    page.wait_for_function(
        "(parts) => parts.every(p => decodeURIComponent(location.search).includes(p))",
        arg=list(parts),
        timeout=60_000,
    )


def wait_for_map_date(page, text: str, timeout: int = 60_000) -> dict:
    """Wait until the map's date label holds ``text`` and the run is over; return its state."""
    page.wait_for_function(
        f"(text) => {{ const s = ({MAP_STATE_JS})(); return s && s.date.includes(text); }}",
        arg=text,
        timeout=timeout,
    )
    wait_idle(page)
    return map_state(page)


def slider_rule_label(page, expected: str) -> None:
    """Wait until the timeline's label of the slider's rule ("Map: ...") is ``expected``.

    Each click gives the chart a new key (``timeline-<n>``); while a rerun replaces it, the
    page may hold the old chart too, so the newest one is read.
    """
    page.wait_for_function(
        """(want) => {
            const charts = [...document.querySelectorAll('[class*="st-key-timeline-"]')];
            const number = (e) => Number(/st-key-timeline-(\\d+)/.exec(e.className)[1]);
            const newest = charts.sort((a, b) => number(b) - number(a))[0];
            const texts = newest ? [...newest.querySelectorAll('svg text')]
                .map(t => t.textContent).filter(t => t.startsWith('Map: ')) : [];
            return texts.length === 1 && texts[0] === want;
        }""",
        arg=expected,
        timeout=30_000,
    )


def test_a_link_opens_the_map_where_it_was_left_and_the_address_follows_it(page, app_server):
    dataset = save_upload(app_server.workspace)
    query = f"mode=date&dataset={dataset}&at=2024-04-30&zoom=8&centre=42.100,128.200"
    open_app(page, f"{app_server.url}/?{query}")
    wait_idle(page)
    state = map_state(page)
    assert state["zoom"] == 8
    # Leaflet puts the centre on a whole pixel: about 0.005 degrees at zoom 8.
    assert state["lat"] == pytest.approx(42.10, abs=5e-3)
    assert state["lng"] == pytest.approx(128.20, abs=5e-3)
    assert state["date"] == "April 2024"  # the last step on or before 30 April 2024
    assert state["mode"] == "date"
    assert page.locator(".st-key-mode").get_by_role("radio", name="This date only").is_checked()
    assert page.get_by_text("Dataset: links.csv").count() == 1
    assert page.get_by_test_id("stAlert").count() == 0
    wait_for_query(page, *query.split("&"))

    # The slider, released one step back, and a zoom reach the address bar; the map is the
    # same page all along (its reports rerun the link and the timeline, not the map).
    page.evaluate(f"() => {{ document.querySelector('{MAP_IFRAME}').contentWindow.bemProbe = 1; }}")
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".bem-range").press("ArrowLeft")
    wait_for_query(page, "at=2023-10-09", f"dataset={dataset}", "mode=date")
    frame.locator(".leaflet-control-zoom-in").click()
    wait_for_query(page, "zoom=9", "at=2023-10-09")
    wait_idle(page)
    state = map_state(page)
    assert (state["zoom"], state["date"], state["probe"]) == (9, "9 October 2023", 1)

    # The link to copy is absolute, from the address the browser used, and complete.
    open_tab(page, "Export")
    link = page.locator(".st-key-view_link code").inner_text().strip()
    origin = page.evaluate("location.origin")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page.locator(".st-key-view_link code").hover()
    page.locator(".st-key-view_link").get_by_role("button", name="Copy to clipboard").click()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert link.startswith(origin + "/?")
    assert link == unquote(page.url)
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    assert {"mode": "date", "dataset": dataset, "at": "2023-10-09", "zoom": "9"}.items() <= (
        query.items()
    )
    lat, lon = (float(v) for v in query["centre"].split(","))  # zoomed in about the centre
    assert lat == pytest.approx(42.10, abs=0.01) and lon == pytest.approx(128.20, abs=0.01)
    assert page.watch.blocked == []


def test_the_timeline_moves_the_slider_and_shows_its_date(page, app_url):
    unknown = "f" * 22
    open_app(page, f"{app_url}/?dataset={unknown}")
    wait_idle(page)
    notice = page.get_by_test_id("stAlert").first.inner_text()
    assert f"Ignored dataset={unknown}: there is no dataset with this id that you may see" in notice
    assert page.get_by_text("Dataset: Shipped events (data/events.csv)").count() == 1
    state = map_state(page)
    timeline = page.locator(TIMELINE).first
    timeline.scroll_into_view_if_needed()
    slider_rule_label(page, "Map: " + state["date"].removeprefix("Up to "))

    # A click in the year 2021 (right of its axis label, above the axis): the slider goes to
    # the last event of 2021, and the rule follows.
    def click_2021() -> None:
        year = timeline.locator("svg text", has_text="2021").first.bounding_box(timeout=STEP_MS)
        assert year is not None
        page.mouse.click(year["x"] + year["width"] / 2 + 12, year["y"] - 14)
        wait_for_map_date(page, "2021", timeout=STEP_MS)

    retried(page, click_2021)  # a click landing while a rerun redraws the chart is lost
    state = map_state(page)
    wait_for_query(page, "at=2021-12-31")
    assert state["date"] == "Up to 14 July 2021"
    slider_rule_label(page, "Map: 14 July 2021")

    # A click on an event: the slider goes to its day.
    def click_event() -> None:
        timeline.locator("g.mark-symbol path").first.click(force=True, timeout=STEP_MS)
        wait_for_map_date(page, "2013", timeout=STEP_MS)

    retried(page, click_event)
    state = map_state(page)
    assert state["date"] == "Up to 28 May 2013"
    wait_for_query(page, "at=2013-05-28")
    slider_rule_label(page, "Map: 28 May 2013")
    assert page.watch.blocked == []
