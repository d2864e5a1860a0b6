"""Benchmark: geo.validate.load_events on large CSV files against pandas.read_csv(dtype=str).

Run: ``python bench/bench_validate.py [--rows 10000 100000] [--big-mb 195] [--runs 3] [--keep DIR]
[--upload | --default-pool]``

By default the call is the one ``border-map validate`` makes (local limits, no shapely points:
issue 15's "border-map validate on 10^5 rows, at most 2x read_csv"), in a process set up as the
command sets itself up: Arrow allocating from the system heap (``cli.main._system_allocator``).
``--default-pool`` makes the same call with Arrow's default allocator (mimalloc), as this bench
measured before 3 December 2026; ``--upload`` measures the app's upload path instead (upload
limits, points built for the map, Arrow's default allocator, as the app runs).

For each size a seeded CSV is written (realistic cells: ISO and worded dates, qualified
counts, known and unknown places, points, links and notes; about a third of the rows carry
an error, so the problem-reporting path is measured too).
``--big-mb`` adds one file of about that many MB (the upload limit is 200 MB), reached by
longer notes, not more rows. Each measurement runs in a fresh child process (spawned, so
nothing is shared): the wall time of the call, the process's peak resident set size
(ru_maxrss) and its rise over the RSS after the imports and a warm-up on a 10-row file.

While the call runs, a heartbeat thread in the same child asks for the GIL every 5 ms; the
longest gap between its beats is how long another user's Streamlit session (a thread of the
same server process) could be kept waiting. The CPU time (user and system) of the call is
measured too: on a shared machine it varies less than the wall time.

The baseline is ``pandas.read_csv(path, dtype=str, keep_default_na=False)`` of the same file,
in its own child: reading the text without checking anything. Each file is measured in
``--runs`` pairs (validate first, then the baseline first, in turn); the figures are medians, and
the time ratio is the median of each pair's validate / baseline (steadier on a shared machine);
so is the CPU ratio, and each pair's time ratio is listed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

PLACES = ["Dandong", "Sinuiju", "Hyesan", "Tumen", "Yanji", "Hoeryong", "Changbai", "Ji'an",
          "Atlantis", "Dandongg", "丹东", "단둥"]  # fmt: skip
DATES = ["2024-04-26", "2023", "April 2021", "2019-01-01/2019-03-31", "26 April 2024",
         "2024年4月", "03/04/2024", "n.d."]  # fmt: skip
COUNTS = ["60", "about 60", "more than 500", "50 to 60", "1,200", "up to 600", "", "many"]
HEADER = "event_id,event_type,date,count_text,place_names,admin1_codes,lat,lon,source_url,notes"


def write_csv(path: Path, rows: int, note_chars: int = 40, seed: int = 7) -> None:
    """Write a seeded events CSV of ``rows`` records; notes of about ``note_chars`` chars."""
    rng = random.Random(seed)
    filler = "Witness reports of a transfer at the border crossing; " * (note_chars // 36 + 2)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        for i in range(rows):
            point = rng.random() < 0.3
            lat, lon = (f"{rng.uniform(40, 43):.4f}", f"{rng.uniform(124, 130):.4f}") if point \
                else ("", "")  # fmt: skip
            note = filler[: rng.randint(note_chars // 2, note_chars * 3 // 2)].replace(",", ";")
            f.write(
                f'ev{i},forced_return,"{rng.choice(DATES)}","{rng.choice(COUNTS)}",'
                f'"{rng.choice(PLACES)}",{rng.choice(["", "CN-LN", "CN-JL", "KP-09"])},{lat},{lon},'
                f'https://example.org/report/{i % 997},"{note}"\n'
            )


def _cpu_s() -> float:
    """Return the process's CPU seconds so far, user and system (page faults included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(kind: str, path: str, warm: str, upload: bool, conn, command_pool: bool = False) -> None:
    import pandas as pd

    if command_pool:  # as border-map validate runs: cli.main.main sets this first
        from cli.main import _system_allocator

        _system_allocator()

    from geo.read.common import LOCAL, UPLOAD
    from geo.validate import load_events

    limits = UPLOAD if upload else LOCAL

    def run(p: str):
        if kind == "validate":
            result = load_events(p, limits=limits, geometry=upload)
            return result.rows, result.valid, len(result.problems)
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
        return len(frame), len(frame), 0

    run(warm)
    rss_before = _rss_mb()
    gaps: list[float] = []
    done = threading.Event()

    def heartbeat() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beat = threading.Thread(target=heartbeat, daemon=True)
    beat.start()
    cpu = _cpu_s()
    start = time.perf_counter()
    counts = run(path)
    elapsed = time.perf_counter() - start
    cpu = _cpu_s() - cpu
    done.set()
    beat.join()
    conn.send((elapsed, _rss_mb(), _rss_mb() - rss_before, max(gaps, default=0.0), counts, cpu))
    conn.close()


def measure(kind: str, path: Path, warm: Path, upload: bool, command_pool: bool = False) -> tuple:
    """Run one measurement in a fresh child: (seconds, peak MB, rise MB, stall s, counts).

    ``command_pool``: the child allocates as ``border-map validate`` does (only asked of the
    validate child; the baseline keeps Arrow's default allocator, as a bare script would).
    """
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    pool = command_pool and kind == "validate"
    proc = ctx.Process(target=_child, args=(kind, str(path), str(warm), upload, child, pool))
    proc.start()
    proc.join()
    if not parent.poll():
        raise RuntimeError(f"the {kind} child failed (exit code {proc.exitcode})")
    return parent.recv()


def _medians(runs: list[tuple]) -> tuple[float, ...]:
    """Return the median of each measured figure (seconds, peak, rise, stall) over ``runs``."""
    return tuple(statistics.median(run[i] for run in runs) for i in range(4))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--big-mb", type=float, default=195.0)
    parser.add_argument("--keep", type=Path, default=None, help="directory for the CSV files")
    parser.add_argument("--runs", type=int, default=3, help="pairs of runs per file")
    way = parser.add_mutually_exclusive_group()
    way.add_argument(
        "--upload", action="store_true", help="the app's upload path instead of the command's"
    )
    way.add_argument(
        "--default-pool",
        action="store_true",
        help="the command's call with Arrow's default allocator, not the one the command sets",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_validate_"))
    folder.mkdir(parents=True, exist_ok=True)
    warm = folder / "warm.csv"
    write_csv(warm, 10)
    cases = [(f"{n:,} rows", n, 40) for n in args.rows]
    if args.big_mb:
        rows = 190_000  # the size comes from longer notes, not more rows
        note = int(args.big_mb * 2**20 / rows) - 110
        cases.append((f"~{args.big_mb:.0f} MB", rows, note))
    print(f"{'file':>12} {'MB':>7} | {'validate s':>10} {'peak MB':>8} {'rise MB':>8} "
          f"{'stall s':>8} | {'read_csv s':>10} {'peak MB':>8} {'rise MB':>8} | "
          f"{'time x':>6} {'cpu x':>6} {'rise x':>6} | rows valid problems | "
          "time x of each pair")  # fmt: skip
    for label, rows, note in cases:
        path = folder / f"events_{rows}_{note}.csv"
        if not path.exists():
            write_csv(path, rows, note)
        size = path.stat().st_size / 2**20
        validated, baselines = [], []
        for run in range(args.runs):  # pairs, in alternating order
            for kind in ("validate", "baseline")[:: 1 if run % 2 == 0 else -1]:
                command_pool = not (args.upload or args.default_pool)
                measured = measure(kind, path, warm, args.upload, command_pool)
                (validated if kind == "validate" else baselines).append(measured)
        v_time, v_peak, v_rise, v_stall = _medians(validated)
        b_time, b_peak, b_rise, _ = _medians(baselines)
        counts = validated[0][4]
        ratio = statistics.median(v[0] / b[0] for v, b in zip(validated, baselines, strict=True))
        cpu = statistics.median(v[5] / b[5] for v, b in zip(validated, baselines, strict=True))
        spread = sorted(v[0] / b[0] for v, b in zip(validated, baselines, strict=True))
        print(f"{label:>12} {size:7.1f} | {v_time:10.2f} {v_peak:8.0f} {v_rise:8.0f} "
              f"{v_stall:8.3f} | {b_time:10.2f} {b_peak:8.0f} {b_rise:8.0f} | "
              f"{ratio:6.2f} {cpu:6.2f} {v_rise / max(b_rise, 1):6.1f} | "
              f"{counts[0]:,} {counts[1]:,} {counts[2]:,} | "
              f"{' '.join(f'{x:.2f}' for x in spread)}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
