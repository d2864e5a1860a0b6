"""Benchmark: time from releasing the date slider to the map's new content, in a real browser.

Runs ``streamlit run app.py`` headless, drives Debian Chromium with Playwright, and measures
(median of a few drags) for the shipped data — the baseline of this run — and for 100,000
synthetic events saved in a temporary workspace. Prints seconds, the ratio to the baseline and
the ratio to the budget (1 s shipped, 2 s for 100,000 events), and what each rerun sent: the
bytes of the server's websocket messages from the release until the run ended (budget 1 MB).

    python bench/bench_app.py [--events 100000] [--repeats 3] [--shipped-only]
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

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.app_server import save_validated  # noqa: E402
from tests.e2e.steps import drag_start_thumb, wait_idle  # noqa: E402
from tests.e2e.test_app_e2e import (  # noqa: E402
    MAP_CONTENT_JS,
    choose_dataset,
    running_app,
)
from tests.e2e.test_app_scale_e2e import Received  # noqa: E402
from tests.factories import synthetic_events  # noqa: E402

CHANGED_JS = f"""([figures, drawn]) => {{
    const v = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
        .map(e => e.innerText).join('|');
    const now = ({MAP_CONTENT_JS})();
    return v && v !== figures && now && now !== drawn;
}}"""
FIGURES_JS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => e.innerText).join('|')"""


def time_redraws(page, fractions: list[float], received: Received) -> tuple[list[float], list[int]]:
    """Drag the slider to each fraction; return seconds from release to new figures and map,
    and the bytes each rerun sent.

    A drag the browser dropped (no redraw within 5 s and the thumb back at its old date, as
    ``tests.e2e.steps.drag_slider`` tells) is made again, as a user would, and timed from
    that release; each one is printed.
    """
    times, sent = [], []
    slider = page.locator(".st-key-date_range")
    for fraction in fractions:
        figures, drawn = page.evaluate(FIGURES_JS), page.evaluate(MAP_CONTENT_JS)
        shown = slider.inner_text()
        for attempt in range(3):
            drag_start_thumb(page, fraction)
            released, before = time.perf_counter(), received.bytes
            try:
                page.wait_for_function(CHANGED_JS, arg=[figures, drawn], timeout=5_000, polling=20)
                break
            except PlaywrightTimeoutError:
                if slider.inner_text() != shown or attempt == 2:
                    page.wait_for_function(
                        CHANGED_JS, arg=[figures, drawn], timeout=120_000, polling=20
                    )
                    break
            print(f"  the drag to {fraction} was dropped (the thumb sprang back): dragged again")
        times.append(time.perf_counter() - released)
        wait_idle(page)
        sent.append(received.bytes - before)
    return times, sent


def _report(name: str, times: list[float], sent: list[int]) -> None:
    print(f"{name}: median {statistics.median(times):.2f} s  runs {[round(t, 2) for t in times]}"
          f"  sent per rerun {[f'{b / 1e6:.2f} MB' for b in sent]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--shipped-only", action="store_true", help="time the shipped data only (no large set)"
    )
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("needs Debian chromium at /usr/bin/chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    fractions = [0.9, 0.8, 0.95, 0.85, 0.93][: args.repeats]
    with tempfile.TemporaryDirectory() as tmp:
        made = time.perf_counter()
        events = synthetic_events(args.events)
        name = save_validated(Path(tmp), "synthetic.csv", b"bench", events)
        print(f"made {len(events):,} synthetic events in {time.perf_counter() - made:.1f} s")
        with running_app(Path(tmp)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            received = Received(page)
            try:
                opened = time.perf_counter()
                page.goto(url)
                page.wait_for_function(MAP_CONTENT_JS, timeout=120_000)
                print(f"shipped data: map {time.perf_counter() - opened:.1f} s after opening")
                shipped, shipped_sent = time_redraws(page, fractions, received)
                if args.shipped_only:
                    _report("shipped data", shipped, shipped_sent)
                    return 0
                chosen = time.perf_counter()
                choose_dataset(page, name)
                page.get_by_text(f"Dataset: {name}").wait_for(timeout=300_000)
                page.wait_for_function(MAP_CONTENT_JS, timeout=300_000)
                print(f"{args.events:,} events: map {time.perf_counter() - chosen:.1f} s "
                      "after choosing the dataset")
                large, large_sent = time_redraws(page, fractions, received)
            except Exception:
                page.screenshot(path=str(ROOT / "test-artifacts" / "bench_app_failure.png"))
                raise
            finally:
                browser.close()
    base, big = statistics.median(shipped), statistics.median(large)
    _report("shipped data", shipped, shipped_sent)
    _report(f"{args.events:,} events", large, large_sent)
    print(f"ratio {args.events:,} events / shipped baseline: {big / base:.2f}")
    print(f"ratio to budget: shipped {base / 1.0:.2f} of 1 s, large {big / 2.0:.2f} of 2 s, "
          f"largest rerun {max(large_sent) / 1e6:.2f} of 1 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
