"""Benchmark: ``border-map summary`` of a big Parquet file, streamed in batches (``geo.stream``).

Run: ``python bench/bench_stream.py [--rows 1000000 10000000] [--keep DIR] [--baseline-rows N]``

For each size a seeded Parquet file of point events (``bench_summary.event_columns``: forced
returns with a count, an ISO date, a web source and a point in a border province, off the
border band) is written in row groups of 10^6, then ``border-map summary --events FILE --json``
runs in a child process; its wall time and peak resident memory (``ru_maxrss`` of the reaped
child) are printed. Streaming holds one batch (``geo.stream.STREAM_ROWS``) at a time, so the
peak should stay nearly flat from 10^6 to 10^7 rows (it grows by the 16 bytes an event id and
16 a row's content hash take, ``geo.validate.earlier``).

At ``--baseline-rows`` (10^6 by default; 0: none) two more children run on the same file: the
whole-file path (``load_dataset`` + ``build_view``, what ``summary`` did before) and the bare
baseline of ``bench_summary`` reading the Parquet file (``pandas.read_parquet`` +
``points_from_xy`` + ``sjoin(within)`` + ``groupby``); all three must give the same events and
people per province.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from bench_summary import BARE, event_columns, run, totals

ROOT = Path(__file__).resolve().parent.parent
GROUP_ROWS = 1_000_000

WHOLE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from cli.main import terminal_json
from geo.pipeline import build_view, load_dataset
from geo.read.common import LOCAL
from geo.view import ViewParams
dataset = load_dataset(Path(sys.argv[1]), limits=LOCAL)
print(terminal_json(build_view(dataset.events, ViewParams()).summary.to_dict()))
"""


def write_parquet(path: Path, rows: int) -> None:
    """Write ``rows`` seeded events as Parquet, one row group of ``GROUP_ROWS`` at a time."""
    with pq.ParquetWriter(path, _schema()) as writer:
        for start in range(0, rows, GROUP_ROWS):
            n = min(GROUP_ROWS, rows - start)
            events = event_columns(n, seed=15 + start // GROUP_ROWS)
            numbers = np.arange(start, start + n)
            table = pa.table(
                {
                    "event_id": pa.array(np.char.add("ev", numbers.astype(str))),
                    "event_type": pa.array(["forced_return"] * n).dictionary_encode(),
                    "date": pa.array(events["day"].astype(str)),
                    "count": pa.array(events["count"]),
                    "lat": pa.array(events["lat"]),
                    "lon": pa.array(events["lon"]),
                    "source_url": pa.array(
                        np.char.add("https://example.org/report/", (numbers % 9973).astype(str))
                    ),
                },
                schema=_schema(),
            )
            writer.write_table(table)


def _schema() -> pa.Schema:
    return pa.schema(
        [
            ("event_id", pa.string()),
            ("event_type", pa.dictionary(pa.int32(), pa.string())),
            ("date", pa.string()),
            ("count", pa.int64()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("source_url", pa.string()),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--baseline-rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="directory for the files")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_stream_"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bare_sjoin.py").write_text(
        BARE.replace("pd.read_csv", "pd.read_parquet"), encoding="utf-8"
    )
    (folder / "whole_file.py").write_text(WHOLE, encoding="utf-8")
    border_map = str(Path(sys.executable).with_name("border-map"))
    print(f"{'rows':>12} {'MB':>6} {'path':<28} {'wall s':>8} {'peak MB':>8}")
    for rows in args.rows:
        path = folder / f"events_{rows}.parquet"
        if not path.exists():
            write_parquet(path, rows)
        size = path.stat().st_size / 2**20
        seconds, peak, out = run([border_map, "summary", "--events", str(path), "--json"])
        print(f"{rows:>12,} {size:6.0f} {'summary (streamed)':<28} {seconds:8.1f} {peak:8.0f}")
        if rows != args.baseline_rows:
            continue
        for label, script in (("whole file (load_dataset)", "whole_file.py"),
                              ("bare pandas + sjoin", "bare_sjoin.py")):  # fmt: skip
            other = run([sys.executable, str(folder / script), str(path)])
            ratios = f"streamed: {seconds / other[0]:.2f}x time, {peak / other[1]:.2f}x peak"
            print(f"{'':>12} {'':>6} {label:<28} {other[0]:8.1f} {other[1]:8.0f}   ({ratios})")
            found = totals(other[2]) if script == "whole_file.py" else json.loads(other[2])
            if totals(out) != found:
                raise SystemExit(f"totals differ from {label}:\n{totals(out)}\n{found}")
    print("the streamed summary's events and people per province equal the baselines'")


if __name__ == "__main__":
    main()
