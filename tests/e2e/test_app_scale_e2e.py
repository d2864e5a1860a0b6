"""End to end: what a rerun sends. The map is not sent again for a rerun that keeps it, and
100,000 events redraw after a date change with less than a megabyte and exact slider totals.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from geo.pipeline import build_view, dataset_from_events
from geo.reference import load_reference
from geo.view import view_from_query
from i18n.formats import number
from render.symbology import MAX_CELL_RADIUS_PX
from render.webmap.layers.events import mapped_references
from tests.e2e.app_server import save_validated
from tests.e2e.steps import choose, drag_slider, open_tab, wait_idle
from tests.e2e.test_app_e2e import (
    MAP_CONTENT_JS,
    MAP_IFRAME,
    choose_dataset,
    expected_figures,
    open_app,
    shown_figures,
    wait_for_figures,
)
from tests.factories import synthetic_events
from tests.render.test_published import published_map

pytestmark = pytest.mark.e2e
#: Marks the map's page; a page loaded again (the map drawn again) has lost the mark.
MARK_JS = f"() => {{ document.querySelector('{MAP_IFRAME}').contentWindow.__kept = 1; }}"
KEPT_JS = f"() => document.querySelector('{MAP_IFRAME}').contentWindow.__kept === 1"
EVENTS = 100_000


class Received:
    """The bytes of the websocket messages the page received (Streamlit's deltas)."""

    def __init__(self, page, keep: bool = False) -> None:
        self.bytes = 0
        self.frames: list[bytes] | None = [] if keep else None
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload: str | bytes) -> None:
        frame = payload.encode() if isinstance(payload, str) else payload
        self.bytes += len(frame)
        if self.frames is not None:
            self.frames.append(frame)


def test_a_date_change_sends_only_what_changed_of_the_map(page, app_url):
    """The map's code and geometry come once from the app's files, never in a rerun's delta."""
    regions = load_reference()
    m, files, layers = published_map(regions)
    page_text = m.get_root().render()  # events' province and border shapes stay in the page
    starts = [
        json.dumps(layer.data["features"][0]["geometry"]["coordinates"])[:60].replace(" ", "")
        for layer in layers
    ]
    fixed = [b"function bemEventsLayer(", b"function bemVectorLayer("] + [
        start.encode() for start in starts if start not in page_text
    ]
    assert len(fixed) >= 4  # the code, countries, rivers
    received = Received(page, keep=True)
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(r.url) if "/vendor/data/" in r.url else 0)
    open_app(page, app_url)
    wait_idle(page)
    assert [url.rsplit("/", 1)[1] for url in fetched] == list(files)  # the map's one script
    drawn, before = page.evaluate(MAP_CONTENT_JS), received.bytes
    choose(page, "preset", "2023")
    wait_for_figures(page, expected_figures("2023-01-01", "2023-12-31"))
    page.wait_for_function(
        f"(drawn) => {{ const now = ({MAP_CONTENT_JS})(); return now && now !== drawn; }}",
        arg=drawn,
    )
    wait_idle(page)
    sent = received.bytes - before
    frame = page.frame_locator(MAP_IFRAME)
    outlines = frame.locator(".leaflet-bem-base-pane path")
    assert outlines.count() > len(regions.display_provinces)  # countries and outlines drawn
    assert frame.locator("path.bem-event").count() > 0
    for marker in fixed:
        assert not any(marker in f for f in received.frames), marker
    assert sent < 150_000, sent  # with the map's code and geometry in it: over 300 KB
    assert len(fetched) <= 2  # the new map loads its script again (revalidated), once


def test_a_rerun_that_keeps_the_view_does_not_send_the_map_again(page, app_url):
    received = Received(page)
    open_app(page, app_url)
    wait_idle(page)
    page.evaluate(MARK_JS)
    before = received.bytes
    open_tab(page, "Export")
    page.get_by_role("button", name="Make the file").wait_for()
    wait_idle(page)
    open_tab(page, "Events")
    page.get_by_text("records, one line per event", exact=False).wait_for()
    wait_idle(page)
    assert page.evaluate(KEPT_JS)  # the same map page, never loaded again
    assert received.bytes - before < 100_000  # the map alone is over 200 KB


@pytest.fixture(scope="module")
def large(app_server):
    """100,000 synthetic events saved in the app's workspace, and their joined events."""
    events = synthetic_events(EVENTS)
    name = save_validated(app_server.workspace, "scale-100000.csv", b"scale", events)
    return name, dataset_from_events(events, "scale", reference=load_reference())


def test_100000_events_redraw_with_under_a_megabyte_and_exact_slider_totals(page, app_url, large):
    filename, dataset = large
    received = Received(page)
    open_app(page, app_url)
    wait_idle(page)
    chosen = received.bytes
    choose_dataset(page, filename)
    page.get_by_text(f"Dataset: {filename}").wait_for(timeout=180_000)
    page.wait_for_function(MAP_CONTENT_JS, timeout=180_000)
    wait_idle(page)
    assert received.bytes - chosen < 1_000_000  # every event of the dataset in the view
    before, figures = received.bytes, shown_figures(page)
    drag_slider(page, 0.4)
    page.wait_for_function(
        """(events) => {
            const value = document.querySelector('[data-testid="stMetricValue"]');
            return value && value.innerText.trim() !== events;
        }""",
        arg=figures["Events"], timeout=120_000,
    )  # fmt: skip
    page.wait_for_function(MAP_CONTENT_JS, timeout=120_000)
    wait_idle(page)
    assert received.bytes - before < 1_000_000
    view, _ = view_from_query(dict(parse_qsl(urlsplit(page.url).query)))  # the app's view
    assert view.start is not None
    refs = mapped_references(build_view(dataset.events, view).events)
    frame = page.frame_locator(MAP_IFRAME)
    assert frame.locator("path.bem-cell").count() > 0
    radii = frame.locator("path.bem-cell").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width / 2)"
    )  # the slider at its last step: every cell at its largest
    assert MAX_CELL_RADIUS_PX - 1 <= max(radii) <= MAX_CELL_RADIUS_PX + 1  # not over the map
    total = frame.locator(".bem-total")
    assert total.inner_text().startswith(f"{number(len(refs))} events on the map")
    frame.get_by_label("Event date").focus()
    page.keyboard.press("Home")
    first = refs[refs["date_start"] == refs["date_start"].min()]
    people = number(int(first["count_best"].sum()))
    assert total.inner_text() == f"{number(len(first))} events on the map · people: {people}"
