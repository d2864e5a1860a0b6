"""Benchmark: time from a page load to the map drawn, the app against a bare streamlit-folium page.

Starts two headless Streamlit servers: ``app.py`` on the shipped data, and a bare page (written
to a temporary folder) that draws the same layers — the outline basemap (countries), the
province shapes, the rivers, the gazetteer's places and the shipped events as circles — with
plain ``folium`` and ``st_folium``, Leaflet served locally as the app does. Debian Chromium
opens each page in a fresh browser context (no cache), alternating the two, and the time from
``goto`` to the first drawn map (paths in Leaflet's overlay pane) is taken. Prints the medians
and the ratio app / bare page (target: at most 1.5).

    python bench/bench_load.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.webmap.assets import asset_files  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.app_server import free_port, running_app, stop_process, wait_healthy  # noqa: E402
from tests.e2e.test_app_e2e import MAP_CONTENT_JS  # noqa: E402
from webapp.static_assets import copy_assets  # noqa: E402

#: The bare page: the same reference layers and events, no figures, sidebar, slider or legend.
BARE_PAGE = textwrap.dedent(
    """
    import folium
    import streamlit as st
    from streamlit_folium import st_folium

    from geo.pipeline import load_shipped_dataset
    from geo.reference.paths import ADMIN1_GEOJSON, COUNTRIES_GEOJSON, RIVERS_GEOJSON, PLACES_CSV
    from render.webmap.assets import localise
    import pandas as pd

    @st.cache_resource
    def layers():
        events = load_shipped_dataset().events
        return (COUNTRIES_GEOJSON.read_text(), ADMIN1_GEOJSON.read_text(),
                RIVERS_GEOJSON.read_text(), pd.read_csv(PLACES_CSV), events)

    countries, admin1, rivers, places, events = layers()
    fmap = folium.Map(location=[41.5, 127.5], zoom_start=6, tiles=None)
    folium.GeoJson(countries, style_function=lambda f: {"fillColor": "#f2efe9"}).add_to(fmap)
    folium.GeoJson(admin1, style_function=lambda f: {"fillColor": "#8fc98f"}).add_to(fmap)
    folium.GeoJson(rivers, style_function=lambda f: {"color": "#1f4e79"}).add_to(fmap)
    for place in places.itertuples():
        folium.CircleMarker([place.lat, place.lon], radius=3,
                            tooltip=str(place.name_en)).add_to(fmap)
    for event in events[events["lat"].notna()].itertuples():
        folium.CircleMarker([event.lat, event.lon], radius=8, popup=str(event.event_id),
                            color="#d95f02", fill=True).add_to(fmap)
    localise(fmap, "/app/static/vendor")
    st_folium(fmap, height=560, use_container_width=True, returned_objects=[])
    """
)


@contextlib.contextmanager
def bare_page(source: str = BARE_PAGE) -> Iterator[str]:
    """Serve the page ``source`` (Leaflet copied beside it) headless; yield its base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bare_page.py").write_text(source)
        copy_assets(asset_files(), folder / "static" / "vendor")
        port = free_port()
        command = [
            sys.executable, "-m", "streamlit", "run", "bare_page.py",
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.enableStaticServing", "true",
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                url = f"http://127.0.0.1:{port}"
                wait_healthy(url, process)
                yield url
            finally:
                stop_process(process)


#: Runs in every frame: notes (on the top page) when the map first has styled shapes drawn
#: (checked on each change of the page and every 10 ms, as the style sheet may come last), so
#: the time does not depend on how often the test driver polls a busy page.
MARK_DRAWN_JS = """(() => {
    const mark = () => {
        const pane = document.querySelector('.leaflet-overlay-pane');
        if (!pane || window.top.__bemMapDrawn || !pane.querySelector('path')) return;
        if (getComputedStyle(pane).zIndex === '400') window.top.__bemMapDrawn = Date.now();
    };
    new MutationObserver(mark).observe(document, {subtree: true, childList: true});
    const timer = setInterval(() => {
        mark();
        if (window.top.__bemMapDrawn) clearInterval(timer);
    }, 10);
})();"""


def time_to_map(browser, url: str) -> float:
    """Open ``url`` in a fresh context; return seconds from navigation to the map drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(MARK_DRAWN_JS)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(MAP_CONTENT_JS, timeout=120_000)
        drawn = page.evaluate("() => window.__bemMapDrawn - performance.timeOrigin")
        return drawn / 1000
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("needs Debian chromium at /usr/bin/chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    app_times: list[float] = []
    bare_times: list[float] = []
    with (
        tempfile.TemporaryDirectory() as workspace,
        running_app(Path(workspace)) as app_url,
        bare_page() as bare_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            time_to_map(browser, app_url), time_to_map(browser, bare_url)  # warm both servers
            for _ in range(args.repeats):
                app_times.append(time_to_map(browser, app_url))
                bare_times.append(time_to_map(browser, bare_url))
        finally:
            browser.close()
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    print(f"app:       median {app:.2f} s  runs {[round(t, 2) for t in app_times]}")
    print(f"bare page: median {bare:.2f} s  runs {[round(t, 2) for t in bare_times]}")
    print(f"ratio app / bare page: {app / bare:.2f} (target at most 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
