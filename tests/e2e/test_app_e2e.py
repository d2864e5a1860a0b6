"""End to end: `streamlit run app.py` on a free port, driven by headless Debian Chromium.

All tests share one server (``app_server`` / ``app_url`` in tests/conftest.py, one per test
session). The shared ``page`` fixture gives each test a fresh browser context (a fresh app
session), blocks and records every non-local request and saves a screenshot of every failing
test to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.app_server import running_app  # noqa: F401  (bench/bench_app.py imports it here)
from tests.e2e.steps import choose, drag_slider, open_tab, upload, wait_idle
from webapp.export_panel import EXTENT_SCREEN, NO_BOUNDS_NOTE

pytestmark = pytest.mark.e2e  # tests/conftest.py also marks every test using the browser
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: JavaScript returning the map's drawn content (panes of the Leaflet map inside the iframe).
MAP_CONTENT_JS = f"""() => {{
    const frame = document.querySelector('{MAP_IFRAME}');
    const doc = frame && frame.contentDocument;
    const pane = doc && doc.querySelector('.leaflet-map-pane');
    const overlay = doc && doc.querySelector('.leaflet-overlay-pane');
    const styled = overlay && doc.defaultView.getComputedStyle(overlay).zIndex === '400';
    return styled && pane.querySelectorAll('path').length ? pane.innerHTML : '';
}}"""
UPLOAD_CSV = (
    "date,count,place,source_url\n"
    "2023-10-09,about 60,Dandong,https://example.org/a\n"
    "2024-04,more than 200,Tumen,https://example.org/b\n"
)


def expected_figures(
    start: str | None = None, end: str | None = None, lang: str = "en"
) -> dict[str, str]:
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference import load_reference
    from geo.view import ViewParams
    from i18n import language
    from render.names import province_names
    from tests.factories import shipped_validation
    from webapp.figures import headline_figures

    view = ViewParams(
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
        lang=lang,
    )
    regions = load_reference()
    joined = join_events(shipped_validation().events, regions)
    with language(lang):  # the page is in the view's language
        names = province_names(regions.provinces, lang)
        return headline_figures(build_view(joined, view).summary, names)


def expected_upload_figures() -> dict[str, str]:
    """Headline figures of UPLOAD_CSV through the CLI's code path (default view)."""
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference import load_reference
    from geo.validate import load_events
    from geo.view import ViewParams
    from webapp.figures import headline_figures

    events = load_events(UPLOAD_CSV.encode(), "mine.csv").events
    data = build_view(join_events(events, load_reference()), ViewParams())
    return headline_figures(data.summary)


def wait_for_figures(page, figures: dict[str, str], timeout: float = 60_000) -> None:
    """Wait until the headline figures read ``figures`` (``timeout`` in milliseconds)."""
    page.wait_for_function(
        """(want) => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                     .map(e => e.innerText.trim()).join('|') === want""",
        arg="|".join(figures.values()),
        timeout=timeout,
    )


def open_app(page, url: str) -> None:
    """Open the page and wait until the figures and the drawn map are there."""
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
    page.wait_for_function(MAP_CONTENT_JS, timeout=60_000)


def choose_dataset(page, label: str) -> None:
    """Pick the dataset whose label contains ``label`` in the sidebar's Dataset box."""
    choose(page, "dataset", label, exact=False)


def shown_figures(page) -> dict[str, str]:
    """Return the headline metrics, label -> value, read in one step from the page.

    Waits for all three metrics: right after a rerun starts, Streamlit may briefly show the
    page without them.
    """
    wait_idle(page)
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stMetricValue"]').length >= 3""",
        timeout=60_000,
    )
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
            m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
            m.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
        ])"""
    )
    return dict(pairs)


def map_content(page) -> str:
    return page.evaluate(MAP_CONTENT_JS)


def test_map_renders_without_third_party_requests(page, app_url):
    open_app(page, app_url)
    frame = page.frame_locator(MAP_IFRAME)
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(".leaflet-tile").count() == 0  # basemap "none": no tiles
    assert shown_figures(page) == expected_figures()
    assert page.watch.blocked == []


def test_the_timeline_and_table_follow_the_map_on_their_own(page, app_url):
    """A first page draws the map first; its report brings the timeline and the table."""
    open_app(page, app_url)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1, timeout=30_000)
    table = page.get_by_role("tabpanel", name="Events").get_by_test_id("stDataFrame")
    expect(table).to_have_count(1, timeout=30_000)
    from geo.pipeline import build_view, load_shipped_dataset
    from geo.view import ViewParams
    from webapp.events_table import table_frame

    rows = len(table_frame(build_view(load_shipped_dataset().events, ViewParams()).events, {}))
    expect(page.get_by_text(f"{rows} records, one line per event")).to_have_count(1)
    assert page.watch.blocked == []


def test_fields_of_a_closed_tab_or_panel_are_there_when_it_opens_again(page, app_url):
    open_app(page, app_url)
    open_tab(page, "Export")
    title = page.locator(".st-key-export_title input")
    title.fill("For the board")
    title.press("Enter")
    expect(title).to_have_value("For the board")
    wait_idle(page)
    open_tab(page, "Events")
    expect(title).to_have_count(0)
    open_tab(page, "Export")
    expect(title).to_have_value("For the board", timeout=30_000)

    page.locator(".st-key-story_panel summary").click()
    slide = page.locator(".st-key-slide_title input")
    slide.fill("Draft slide")
    slide.press("Tab")
    wait_idle(page)
    page.locator(".st-key-story_panel summary").click()  # closed
    expect(slide).to_have_count(0)
    page.locator(".st-key-story_panel summary").click()  # open again
    expect(slide).to_have_value("Draft slide", timeout=30_000)
    assert page.watch.blocked == []


def test_moving_the_date_slider_changes_figures_and_map(page, app_url):
    open_app(page, app_url)
    figures, drawn = shown_figures(page), map_content(page)
    drag_slider(page, 0.93)
    page.wait_for_function(
        """([before]) => {
            const v = [...document.querySelectorAll('[data-testid="stMetricValue"]')];
            return v.length && v[0].innerText !== before;
        }""",
        arg=[figures["Events"]],
        timeout=30_000,
    )
    page.wait_for_function(
        f"([before]) => {{ const now = ({MAP_CONTENT_JS})(); return now && now !== before; }}",
        arg=[drawn],
        timeout=30_000,
    )
    assert "start=" in page.url
    query = dict(p.split("=", 1) for p in page.url.split("?", 1)[1].split("&"))
    assert shown_figures(page) == expected_figures(query["start"], query.get("end"))
    assert page.watch.blocked == []


def test_export_uses_the_map_extent_shown_on_screen(page, app_url):
    open_app(page, app_url)
    page.frame_locator(MAP_IFRAME).locator(".leaflet-control-zoom-in").click()
    open_tab(page, "Export")
    # Zooming reruns only the map's fragment; the next page rerun (here: a new title) reads
    # the extent it reported. The browser reports it asynchronously, and a title typed while
    # a run starts can be folded into the next, so allow a few titles, each given time to run.
    note = page.get_by_text(NO_BOUNDS_NOTE)
    for attempt in range(6):
        page.locator(".st-key-export_title input").fill(f"Zoomed in ({attempt})")
        page.locator(".st-key-export_title input").press("Enter")
        try:
            expect(note).to_have_count(0, timeout=10_000)
            break
        except AssertionError:
            continue
    expect(note).to_have_count(0)
    wait_idle(page)
    assert page.locator(".st-key-export_extent").get_by_text(EXTENT_SCREEN).count() == 1
    assert shown_figures(page) == expected_figures()
    assert page.watch.blocked == []


def test_link_with_query_parameters_restores_the_view(page, app_url):
    open_app(page, f"{app_url}/?start=2023-01-01&end=2023-12-31&lang=ko&mode=date")
    assert shown_figures(page) == expected_figures("2023-01-01", "2023-12-31", lang="ko")
    slider = page.locator(".st-key-date_range")
    assert "2023-01-01" in slider.inner_text() and "2023-12-31" in slider.inner_text()
    assert "start=2023-01-01" in page.url and "lang=ko" in page.url
    assert page.watch.blocked == []


def test_invalid_link_value_shows_a_notice(page, app_url):
    open_app(page, f"{app_url}/?basemap=google")
    assert "basemap='google'" in page.get_by_test_id("stAlert").first.inner_text()
    assert shown_figures(page) == expected_figures()


@pytest.mark.restarts_app  # run after the other browser tests (tests/conftest.py)
def test_upload_round_trip_survives_a_restart(page, app_server):
    open_app(page, app_server.url)
    upload(page, "mine.csv", UPLOAD_CSV.encode())
    page.get_by_text("2 of 2 rows valid").wait_for(timeout=60_000)
    wait_for_figures(page, expected_upload_figures())
    page.wait_for_function(MAP_CONTENT_JS, timeout=30_000)
    page.get_by_text("Dataset: mine.csv").wait_for(timeout=30_000)
    app_server.restart()  # the restarted server finds the saved upload in its workspace
    open_app(page, app_server.url)
    choose_dataset(page, "mine.csv")
    wait_for_figures(page, expected_upload_figures())
    page.wait_for_function(MAP_CONTENT_JS, timeout=30_000)
    assert shown_figures(page)["Events"] == "2"
    assert page.watch.blocked == []


def test_conflicting_claims_of_26_april_2024_in_the_popup_and_figures(page, app_url):
    open_app(page, f"{app_url}/?start=2024-04-26&end=2024-04-26")
    assert page.get_by_text("1 event has conflicting claims; over every").count() == 1
    frame = page.frame_locator(MAP_IFRAME).first
    events = frame.locator("path.bem-event")
    texts = []
    for i in range(events.count()):
        events.nth(i).dispatch_event("click")  # symbols may lie outside the map's frame
        popup = frame.locator(".leaflet-popup-content").first
        popup.wait_for(timeout=10_000)
        texts.append(popup.inner_text())
        if "Sources disagree" in texts[-1]:
            break
    text = texts[-1]
    assert "26 April 2024" in text
    assert "Sources disagree: counts disagree: “50 to 60” (NK Insider) vs “over 200”" in text
    rows = frame.locator(".leaflet-popup-content table.bem-claims tr")
    cells = [[c.inner_text() for c in r.locator("th, td").all()] for r in rows.all()]
    assert cells[0] == ["Source", "Said", "Number", "Date", "Place"]
    assert ["KBS World", "over 200", "more than 200", "26 April 2024", "Changbai"] in cells
    assert ["Human Rights Watch", "about 60", "about 60", "26 April 2024", "—"] in cells
    assert "Support: 4 independent sources" in text
    assert page.watch.blocked == []
