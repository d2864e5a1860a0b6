"""Benchmark: issue 10's hostile files through ``border-map validate``, against a valid file.

Run: ``python bench/bench_hostile.py [--repeat 3]``

Each file the attack used (tests/adversarial/corpus.py, at its largest size) is validated by
the command line in a child process, as a user would run it; so is a valid events file of about
the same size (bench/bench_validate.py's generator), the baseline. For each run: the exit code,
the wall time, the child's own peak resident memory (``ru_maxrss`` from ``os.wait4``) and the
first problem line. Ratios are hostile / baseline of the same size class, so a noisy machine
shows as both moving together. Before the budgets, the 2.3 MB GeoJSON took 143 s and 3.6 GB,
the XLSX of 30,000 rows (3.2 MB as the attack wrote it) 409 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_validate import write_csv  # noqa: E402
from tests.adversarial.corpus import (  # noqa: E402
    csv_one_field_rows,
    geojson_distinct_keys,
    geojson_lone_surrogate,
    geojson_long_integer,
    xlsx_duplicate_sheet_names,
    xlsx_far_column,
)

EDGE_HEADER = "event_id,date,count_text,lat,lon,source_url\n"
EDGE_ROW = "e1,2023-10-09,about 60,40.12,124.38,https://example.org/a"


def _edge(column: str, value: str) -> bytes:
    cells = dict(zip(EDGE_HEADER.strip().split(","), EDGE_ROW.split(","), strict=True))
    return (EDGE_HEADER + ",".join({**cells, column: value}.values()) + "\n").encode()


#: name -> the file's bytes (the attack's largest variant)
HOSTILE: dict[str, Callable[[], bytes]] = {
    "keys-2.3MB.geojson": lambda: geojson_distinct_keys(20_000),
    "keys-7MB.geojson": lambda: geojson_distinct_keys(60_000),
    "far-column-1000-rows.xlsx": lambda: xlsx_far_column(1_000),
    "far-column-30000-rows.xlsx": lambda: xlsx_far_column(30_000),
    "count-4301-digits.csv": lambda: _edge("count_text", "9" * 4301),
    "integer-5000-digits.geojson": lambda: geojson_long_integer(5_000),
    "coordinate-4000-digits.csv": lambda: _edge("lat", "4" * 4000),
    "lone-surrogate.geojson": lambda: geojson_lone_surrogate(),
    "date-0001-01-01.csv": lambda: _edge("date", "0001-01-01"),
    "date-9999.csv": lambda: _edge("date", "9999"),
    "duplicate-sheets.xlsx": lambda: xlsx_duplicate_sheet_names(),
    "short-rows-200000.csv": lambda: csv_one_field_rows(200_000),
}


def run_validate(path: Path) -> tuple[int, float, float, str]:
    """Return (exit code, wall seconds, peak RSS MB, first problem line) of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "validate", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    lines = output.decode("utf-8", "replace").splitlines()
    problem = lines[2].strip() if len(lines) > 2 else (lines[0] if lines else "")
    return os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024, problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'file':30} {'size':>8} {'exit':>4} {'s (median)':>10} {'peak MB':>8} "
              f"{'÷ valid':>8}  first problem")  # fmt: skip
        baselines: dict[int, float] = {}
        for name, build in HOSTILE.items():
            path = folder / name
            path.write_bytes(build())
            size = path.stat().st_size
            size_class = max(1, round(size / 2**20))
            if size_class not in baselines:  # a valid CSV of about the same size
                valid = folder / f"valid-{size_class}MB.csv"
                write_csv(valid, rows=max(10, size_class * 2**20 // 130))
                baselines[size_class] = statistics.median(
                    run_validate(valid)[1] for _ in range(args.repeat)
                )
            runs = [run_validate(path) for _ in range(args.repeat)]
            code, _, _, problem = runs[-1]
            wall = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            print(f"{name:30} {size / 2**20:7.2f}M {code:>4} {wall:10.2f} {peak:8.0f} "
                  f"{wall / baselines[size_class]:8.2f}  {problem[:90]}")  # fmt: skip


if __name__ == "__main__":
    main()
