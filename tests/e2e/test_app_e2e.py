"""End to end: `streamlit run app.py` on a free port, driven by headless Debian Chromium.

The shared ``page`` fixture (tests/conftest.py) blocks and records every non-local request and
saves a screenshot of every failing test to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp.export_panel import EXTENT_SCREEN, NO_BOUNDS_NOTE

ROOT = Path(__file__).resolve().parents[2]
APP_FILE = "app.py"
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


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok`` (fails if the server exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        time.sleep(0.2)  # polling interval, not a wait for readiness
    raise TimeoutError(f"{url} not healthy after {timeout} s")


@contextlib.contextmanager
def running_app(workspace: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` headless on a free port; yield its base URL."""
    port = free_port()
    env = {**os.environ, "BORDER_MAP_WORKSPACE": str(workspace)}
    command = [
        sys.executable, "-m", "streamlit", "run", APP_FILE,
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, process)
        except (RuntimeError, TimeoutError) as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}; server output:\n{log.read()[-4000:].decode()}") from exc
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def app_url(browser, workspace) -> Iterator[str]:
    with running_app(workspace) as url:
        yield url


def expected_figures(start: str | None = None, end: str | None = None) -> dict[str, str]:
    from geo.join import join_events
    from geo.pipeline import build_view_data
    from geo.reference.regions import load_regions
    from geo.validate import load_shipped_events
    from geo.view import ViewParams
    from webapp.figures import headline_figures

    view = ViewParams(
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
    )
    joined = join_events(load_shipped_events().events, load_regions())
    return headline_figures(build_view_data(joined, view).summary.to_dict())


def expected_upload_figures() -> dict[str, str]:
    """Headline figures of UPLOAD_CSV through the CLI's code path (default view)."""
    from geo.join import join_events
    from geo.pipeline import build_view_data
    from geo.reference.regions import load_regions
    from geo.validate import load_events
    from geo.view import ViewParams
    from webapp.figures import headline_figures

    events = load_events(UPLOAD_CSV.encode(), "mine.csv").events
    data = build_view_data(join_events(events, load_regions()), ViewParams())
    return headline_figures(data.summary.to_dict())


def wait_for_figures(page, figures: dict[str, str]) -> None:
    """Wait until the headline figures read ``figures``."""
    page.wait_for_function(
        """(want) => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                     .map(e => e.innerText.trim()).join('|') === want""",
        arg="|".join(figures.values()),
        timeout=60_000,
    )


def open_app(page, url: str) -> None:
    """Open the page and wait until the figures and the drawn map are there."""
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
    page.wait_for_function(MAP_CONTENT_JS, timeout=60_000)


def wait_idle(page) -> None:
    """Wait until the script run has finished (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-test-script-state]');
            const state = app && app.getAttribute('data-test-script-state');
            return state && !['initial', 'running', 'rerunRequested'].includes(state);
        }""",
        timeout=300_000,
    )


def choose_dataset(page, label: str) -> None:
    wait_idle(page)
    page.locator(".st-key-dataset").click()
    page.get_by_role("option", name=label, exact=False).click()


def shown_figures(page) -> dict[str, str]:
    """Return the headline metrics, label -> value, read in one step from the page."""
    wait_idle(page)
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
            m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
            m.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
        ])"""
    )
    return dict(pairs)


def map_content(page) -> str:
    return page.evaluate(MAP_CONTENT_JS)


def drag_start_thumb(page, fraction: float) -> None:
    """Drag the date slider's start thumb to ``fraction`` of the track and release it."""
    wait_idle(page)
    slider = page.locator(".st-key-date_range")
    slider.scroll_into_view_if_needed()
    box, thumb_box = slider.bounding_box(), slider.get_by_role("slider").first.bounding_box()
    y = thumb_box["y"] + thumb_box["height"] / 2
    # The thumb's box also spans its value label; grab it near its left edge.
    page.mouse.move(thumb_box["x"] + 4, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
    page.mouse.up()


def test_map_renders_without_third_party_requests(page, app_url):
    open_app(page, app_url)
    frame = page.frame_locator(MAP_IFRAME)
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(".leaflet-tile").count() == 0  # basemap "none": no tiles
    assert shown_figures(page) == expected_figures()
    assert page.watch.blocked == []


def test_moving_the_date_slider_changes_figures_and_map(page, app_url):
    open_app(page, app_url)
    figures, drawn = shown_figures(page), map_content(page)
    drag_start_thumb(page, 0.93)
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
    page.get_by_role("tab", name="Export").click()
    # Zooming reruns only the map's fragment; the next page rerun (here: a new title) reads
    # the extent it reported. The browser reports it asynchronously, so allow a few reruns.
    for attempt in range(10):
        page.locator(".st-key-export_title input").fill(f"Zoomed in ({attempt})")
        page.locator(".st-key-export_title input").press("Enter")
        wait_idle(page)
        if page.get_by_text(NO_BOUNDS_NOTE).count() == 0:
            break
    assert page.get_by_text(NO_BOUNDS_NOTE).count() == 0
    assert page.locator(".st-key-export_extent").get_by_text(EXTENT_SCREEN).count() == 1
    assert shown_figures(page) == expected_figures()
    assert page.watch.blocked == []


def test_link_with_query_parameters_restores_the_view(page, app_url):
    open_app(page, f"{app_url}/?start=2023-01-01&end=2023-12-31&lang=ko&mode=date")
    assert shown_figures(page) == expected_figures("2023-01-01", "2023-12-31")
    slider = page.locator(".st-key-date_range")
    assert "2023-01-01" in slider.inner_text() and "2023-12-31" in slider.inner_text()
    assert "start=2023-01-01" in page.url and "lang=ko" in page.url
    assert page.watch.blocked == []


def test_invalid_link_value_shows_a_notice(page, app_url):
    open_app(page, f"{app_url}/?basemap=google")
    assert "basemap='google'" in page.get_by_test_id("stAlert").first.inner_text()
    assert shown_figures(page) == expected_figures()


def test_upload_round_trip_survives_a_restart(page, browser, tmp_path):
    workspace = tmp_path / "workspace"
    csv = tmp_path / "mine.csv"
    csv.write_text(UPLOAD_CSV, encoding="utf-8")
    with running_app(workspace) as url:
        open_app(page, url)
        page.locator(".st-key-upload input[type=file]").set_input_files(str(csv))
        page.get_by_text("2 of 2 rows valid").wait_for(timeout=60_000)
        wait_for_figures(page, expected_upload_figures())
        page.wait_for_function(MAP_CONTENT_JS, timeout=30_000)
        page.get_by_text("Dataset: mine.csv").wait_for(timeout=30_000)
    with running_app(workspace) as url:  # a restarted server finds the saved upload
        open_app(page, url)
        choose_dataset(page, "mine.csv")
        wait_for_figures(page, expected_upload_figures())
        page.wait_for_function(MAP_CONTENT_JS, timeout=30_000)
        assert shown_figures(page)["Events"] == "2"
    assert page.watch.blocked == []
