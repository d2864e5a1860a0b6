"""Benchmark the playback export (GIF, MP4) against one PNG export of the same view.

Run: python bench/bench_animation.py [--repeat N]

For the 2020–2024 view of the shipped data it prints the median wall time of a GIF and an MP4
of the slider's playback at each frame size, of one PNG export of the same view (A4 landscape
at 300 dpi, the export panel's default), and the ratio of each playback to the PNG, all in one
process after one warm-up export of each. It also prints the number of slider steps (frames)
and the time per frame of the frames alone (drawn, not encoded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from geo.pipeline import build_view, load_shipped_dataset
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports import ANIMATION_FORMATS, ANIMATION_SIZES, write_export
from render.exports.playback import FRAME_SIZES, Playback
from render.printmap.layout import default_title

VIEW = ViewParams(start=dt.date(2020, 1, 1), end=dt.date(2024, 12, 31))


def median_of(repeat: int, task: Callable[[], object]) -> float:
    """Return the median wall seconds of ``repeat`` runs of ``task``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    regions = load_reference()
    data = build_view(load_shipped_dataset().events, VIEW)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def export(fmt: str, **options: object) -> Callable[[], object]:
            return lambda: write_export(data, regions, folder / f"out.{fmt}", fmt, **options)

        for fmt in ("png", *ANIMATION_FORMATS):  # warm up: fonts, caches, imports, ffmpeg
            export(fmt)()
        png = median_of(args.repeat, export("png"))
        print(f"PNG (A4, 300 dpi): {png:.2f} s")
        print(f"{'format':<6} {'size':<10} {'frames':>6} {'s/frame':>8} {'wall s':>7} {'ratio':>6}")
        for size in ANIMATION_SIZES:
            playback = Playback(data, regions, FRAME_SIZES[size], default_title())
            steps = len(playback.steps)
            frames = median_of(
                args.repeat, lambda p=playback: list(map(p.frame, range(len(p.steps))))
            )
            per_frame = frames / steps
            for fmt in ANIMATION_FORMATS:
                wall = median_of(args.repeat, export(fmt, size=size))
                print(f"{fmt:<6} {size:<10} {steps:>6} {per_frame:>8.3f} {wall:>7.2f} "
                      f"{wall / png:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
