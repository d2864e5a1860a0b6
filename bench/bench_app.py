"""Benchmark: time from releasing the date slider to the map's new content, in a real browser.

Runs ``streamlit run app.py`` headless, drives Debian Chromium with Playwright, and measures
(median of a few drags) for the shipped data — the baseline of this run — and for 100,000
synthetic events saved in a temporary workspace. Prints seconds, the ratio to the baseline and
the ratio to the budget (1 s shipped, 2 s for 100,000 events).

    python bench/bench_app.py [--events 100000] [--repeats 3] [--shipped-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.test_app_e2e import (  # noqa: E402
    MAP_CONTENT_JS,
    choose_dataset,
    drag_start_thumb,
    running_app,
    wait_idle,
)
from tests.factories import make_events  # noqa: E402
from webapp.workspace import Workspace  # noqa: E402

CHANGED_JS = f"""([figures, drawn]) => {{
    const v = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
        .map(e => e.innerText).join('|');
    const now = ({MAP_CONTENT_JS})();
    return v && v !== figures && now && now !== drawn;
}}"""
FIGURES_JS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => e.innerText).join('|')"""


def synthetic_events(n: int, seed: int = 7):
    """Return ``n`` normalised point events along the border, 2015–2025, seeded."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 3650, n)
    starts = np.datetime64("2015-01-01") + days.astype("timedelta64[D]")
    lats = rng.uniform(40.0, 42.9, n)
    lons = rng.uniform(124.3, 130.6, n)
    counts = rng.integers(1, 80, n)
    rows = [
        {
            "date_start": str(starts[i]),
            "count_best": int(counts[i]),
            "count_text": str(int(counts[i])),
            "lat": float(lats[i]),
            "lon": float(lons[i]),
            "geo_precision": "point",
            "event_id": f"syn-{i}",
        }
        for i in range(n)
    ]
    return make_events(rows, joined=False)


def time_redraws(page, fractions: list[float]) -> list[float]:
    """Drag the slider to each fraction; return seconds from release to new figures and map."""
    times = []
    for fraction in fractions:
        figures, drawn = page.evaluate(FIGURES_JS), page.evaluate(MAP_CONTENT_JS)
        drag_start_thumb(page, fraction)
        released = time.perf_counter()
        page.wait_for_function(CHANGED_JS, arg=[figures, drawn], timeout=120_000, polling=20)
        times.append(time.perf_counter() - released)
        wait_idle(page)
    return times


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
        workspace = Workspace(Path(tmp))
        made = time.perf_counter()
        events = synthetic_events(args.events)
        saved = workspace.save(b"bench", "synthetic.csv", events, rows=len(events), problems=0)
        print(f"made {len(events):,} synthetic events in {time.perf_counter() - made:.1f} s")
        with running_app(Path(tmp)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                page.goto(url)
                page.wait_for_function(MAP_CONTENT_JS, timeout=120_000)
                shipped = time_redraws(page, fractions)
                if args.shipped_only:
                    print(f"shipped data: median {statistics.median(shipped):.2f} s  runs "
                          f"{[round(t, 2) for t in shipped]}")
                    return 0
                choose_dataset(page, saved.filename)
                page.get_by_text(f"Dataset: {saved.filename}").wait_for(timeout=300_000)
                page.wait_for_function(MAP_CONTENT_JS, timeout=300_000)
                large = time_redraws(page, fractions)
            except Exception:
                page.screenshot(path=str(ROOT / "test-artifacts" / "bench_app_failure.png"))
                raise
            finally:
                browser.close()
    base, big = statistics.median(shipped), statistics.median(large)
    print(f"shipped data: median {base:.2f} s  runs {[round(t, 2) for t in shipped]}")
    print(f"{args.events:,} events: median {big:.2f} s  runs {[round(t, 2) for t in large]}")
    print(f"ratio {args.events:,} events / shipped baseline: {big / base:.2f}")
    print(f"ratio to budget: shipped {base / 1.0:.2f} of 1 s, large {big / 2.0:.2f} of 2 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
