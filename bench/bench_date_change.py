"""Benchmark: a date change to the new map drawn, the app against a bare streamlit-folium page.

Issue 15: on the shipped data, a date change should bring the new map in at most 1.5x the time
a bare streamlit-folium page takes. Two headless Streamlit servers run: ``app.py`` on the
shipped data, and the bare page of ``bench_load.py`` (the same reference layers and the
shipped events as circles, Leaflet served locally) with a year select box that filters the
circles. In one Debian Chromium page each, the same years are chosen in turn — the app's
"Date presets" box, the bare page's year box — and the time from the click on the year to the
map's new content (the drawn paths of Leaflet's panes) is taken. Prints the medians and the
median of each pair's ratio app / bare page. ``--circles-only`` compares with a bare page
that draws the chosen year's circles on an empty map instead (no countries, provinces,
rivers or places: the smallest page a date change can redraw).

    python bench/bench_date_change.py [--repeats 6] [--circles-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import BARE_PAGE, bare_page  # noqa: E402

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.app_server import running_app  # noqa: E402
from tests.e2e.steps import wait_idle  # noqa: E402
from tests.e2e.test_app_e2e import MAP_CONTENT_JS  # noqa: E402
from tests.e2e.test_app_scale_e2e import Received  # noqa: E402

#: The years chosen in turn (each has shipped events with a point: every change redraws circles).
YEARS = ("2023", "2021", "2024", "2020", "2012", "2013", "2017", "2014")
#: The bare page with a year box: only the chosen year's events are drawn.
LAYERS_READ = "countries, admin1, rivers, places, events = layers()\n"
BARE_DATE_PAGE = BARE_PAGE.replace(
    LAYERS_READ,
    LAYERS_READ
    + f"year = st.selectbox('Year', ['All', *{list(YEARS)!r}], key='year')\n"
    + "if year != 'All':\n"
    + "    events = events[events['date_start'].dt.year == int(year)]\n",
)
assert BARE_DATE_PAGE != BARE_PAGE, "bench_load.BARE_PAGE no longer reads its layers this way"
#: ``--circles-only``: the year's events as circles on an empty map, no reference layers (the
#: smallest page a date change can redraw).
CIRCLES_PAGE = "\n".join(
    line
    for line in BARE_DATE_PAGE.splitlines()
    if not line.startswith(("folium.GeoJson", "for place in", "    folium.CircleMarker([place"))
    and "tooltip=str(place.name_en)" not in line
)
CHANGED_JS = f"([drawn]) => {{ const now = ({MAP_CONTENT_JS})(); return now && now !== drawn; }}"


def time_change(page, box: str, year: str, received: Received) -> tuple[float, int]:
    """Choose ``year`` in the select box ``.st-key-<box>``; return seconds to the new map and
    the bytes the server sent for the change (until the page is idle)."""
    wait_idle(page)
    before = received.bytes
    drawn = page.evaluate(MAP_CONTENT_JS)
    page.locator(f".st-key-{box}").click()
    page.keyboard.type(year)  # the list shows the options in view only: filter it
    option = page.get_by_role("option", name=year, exact=True)
    option.wait_for(timeout=30_000)
    start = time.perf_counter()
    option.click()
    page.wait_for_function(CHANGED_JS, arg=[drawn], timeout=120_000, polling=10)
    seconds = time.perf_counter() - start
    wait_idle(page)
    return seconds, received.bytes - before


def opened(browser, url: str) -> tuple[object, Received]:
    """Return a page at ``url`` once its map is drawn, and its count of received bytes."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    received = Received(page)
    page.goto(url)
    page.wait_for_function(MAP_CONTENT_JS, timeout=120_000)
    wait_idle(page)
    return page, received


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=6, help="date changes per page")
    parser.add_argument(
        "--circles-only", action="store_true", help="bare page: the circles, no reference layers"
    )
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("needs Debian chromium at /usr/bin/chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    years = [YEARS[i % len(YEARS)] for i in range(args.repeats + 1)]
    app_times: list[float] = []
    bare_times: list[float] = []
    app_sent: list[int] = []
    bare_sent: list[int] = []
    with (
        tempfile.TemporaryDirectory() as workspace,
        running_app(Path(workspace)) as app_url,
        bare_page(CIRCLES_PAGE if args.circles_only else BARE_DATE_PAGE) as bare_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            app, bare = opened(browser, app_url), opened(browser, bare_url)
            time_change(app[0], "preset", years[0], app[1])  # warm up
            time_change(bare[0], "year", years[0], bare[1])
            for year in years[1:]:
                seconds, sent = time_change(app[0], "preset", year, app[1])
                app_times.append(seconds), app_sent.append(sent)
                seconds, sent = time_change(bare[0], "year", year, bare[1])
                bare_times.append(seconds), bare_sent.append(sent)
        finally:
            browser.close()
    ratios = [a / b for a, b in zip(app_times, bare_times, strict=True)]
    print(f"years:     {years[1:]}")
    print(f"app:       median {statistics.median(app_times):.2f} s  "
          f"runs {[round(t, 2) for t in app_times]}")  # fmt: skip
    print(f"bare page: median {statistics.median(bare_times):.2f} s  "
          f"runs {[round(t, 2) for t in bare_times]}")  # fmt: skip
    print(f"sent per change: app median {statistics.median(app_sent) / 1e3:.0f} KB, "
          f"bare page {statistics.median(bare_sent) / 1e3:.0f} KB")  # fmt: skip
    print(f"ratio app / bare page: median {statistics.median(ratios):.2f} of pairs "
          "(issue 15: at most 1.5)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
