"""Benchmark: geo.read.read_table on a large workbook against python-calamine alone.

Run: ``python bench/bench_xlsx.py [--rows 20000] [--runs 5] [--shared-strings] [--keep DIR]``

A seeded workbook of ``--rows`` records × 10 columns is written with openpyxl (realistic
cells: identifiers, event types, dates as date cells and as text, counts as numbers and as
words, place names in three scripts, province codes, coordinates for about a third of the
rows, links and notes; some cells empty). openpyxl writes text as inline strings;
``--shared-strings`` moves it into a shared strings table, as Excel writes it.

Each run is a fresh child process (spawned, so nothing is shared) that imports both, warms
both up on a 10-row workbook, then times one call of each on the bytes of the file, one right
after the other (calamine first in odd runs, ``read_table`` first in even ones): the wall
time and the process's CPU time. The baseline is ``python_calamine.CalamineWorkbook
.from_filelike(...).get_sheet_by_index(0).to_python()``: reading the values without checking
anything. Printed: the medians over ``--runs`` runs, their ratio and the median of each run's
own ratio (the steadier figure on a machine shared with other work); the target of issue 15
is ``read_table`` at most 2x calamine alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing as mp
import random
import re
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

HEADER = ["event_id", "event_type", "date", "count_text", "place_names", "admin1_codes", "lat",
          "lon", "source_url", "notes"]  # fmt: skip
PLACES = ["Dandong", "Sinuiju", "Hyesan", "Tumen", "Yanji", "丹东", "단둥", "Changbai"]
COUNTS = [60, 1200, 7, "about 60", "more than 500", "50 to 60", None]
NOTES = "Witness reports of a transfer at the border crossing; later confirmed by two sources."


def write_workbook(path: Path, rows: int, seed: int = 7) -> None:
    """Write a seeded events workbook of ``rows`` records."""
    import openpyxl

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Events")
    sheet.append(HEADER)
    start = dt.date(2000, 1, 1)
    for i in range(rows):
        point = rng.random() < 0.3
        day = start + dt.timedelta(days=rng.randint(0, 9000))
        sheet.append([
            f"ev{i}",
            "forced_return" if rng.random() < 0.8 else None,
            day if rng.random() < 0.7 else day.strftime("%B %Y"),
            rng.choice(COUNTS),
            rng.choice(PLACES),
            rng.choice(["CN-LN", "CN-JL", "KP-09", None]),
            round(rng.uniform(40, 43), 4) if point else None,
            round(rng.uniform(124, 130), 4) if point else None,
            f"https://example.org/report/{i % 997}",
            NOTES[: rng.randint(10, len(NOTES))] if rng.random() < 0.8 else None,
        ])  # fmt: skip
    workbook.save(path)


def share_strings(path: Path) -> None:
    """Move the inline strings of the workbook's sheet into a shared strings table."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    strings: dict[str, int] = {}

    def shared(found: re.Match[str]) -> str:
        index = strings.setdefault(found[2], len(strings))
        return f'<c r="{found[1]}" t="s"><v>{index}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    inline = r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>'
    parts[sheet] = re.sub(inline, shared, parts[sheet].decode()).encode()
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{table}</sst>'.encode()
    relationship = (
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].decode().replace("</Relationships>", relationship).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)


def _child(order: tuple[str, ...], path: str, warm: str, conn) -> None:
    from python_calamine import CalamineWorkbook

    from geo.read import read_table

    def run(kind: str, data: bytes) -> int:
        if kind == "read_table":
            return len(read_table(data, "events.xlsx").frame)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return len(sheet.to_python()) - 1

    for kind in order:
        run(kind, Path(warm).read_bytes())
    data = Path(path).read_bytes()
    found = {}
    for kind in order:
        start, cpu = time.perf_counter(), time.process_time()
        records = run(kind, data)
        found[kind] = (time.perf_counter() - start, time.process_time() - cpu, records)
    conn.send(found)
    conn.close()


def measure(order: tuple[str, ...], path: Path, warm: Path) -> dict[str, tuple[float, float, int]]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(order, str(path), str(warm), child))
    proc.start()
    proc.join()
    if not parent.poll():
        raise RuntimeError(f"the child failed (exit code {proc.exitcode})")
    return parent.recv()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shared-strings", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="directory for the workbooks")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_xlsx_"))
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "_shared" if args.shared_strings else ""
    warm, path = folder / f"warm{suffix}.xlsx", folder / f"events_{args.rows}{suffix}.xlsx"
    for target, rows in ((warm, 10), (path, args.rows)):
        if not target.exists():
            write_workbook(target, rows)
            if args.shared_strings:
                share_strings(target)
    size = path.stat().st_size / 2**20
    kind = ", shared strings" if args.shared_strings else ""
    print(f"{args.rows:,} rows × {len(HEADER)} columns, {size:.1f} MB{kind}; {args.runs} runs each")
    wall: dict[str, list[float]] = {"calamine": [], "read_table": []}
    cpu: dict[str, list[float]] = {"calamine": [], "read_table": []}
    for run in range(args.runs):
        order = ("calamine", "read_table") if run % 2 == 0 else ("read_table", "calamine")
        for kind, (elapsed, used, records) in measure(order, path, warm).items():
            assert records == args.rows, (kind, records)
            wall[kind].append(elapsed)
            cpu[kind].append(used)
    for label, times in (("wall", wall), ("CPU", cpu)):
        base, ours = (statistics.median(times[k]) for k in ("calamine", "read_table"))
        pairs = statistics.median(o / b for o, b in zip(times["read_table"], times["calamine"],
                                                          strict=True))  # fmt: skip
        runs = {k: ", ".join(f"{t:.3f}" for t in v) for k, v in times.items()}
        print(f"{label:>4}: calamine alone {base:.3f} s, read_table {ours:.3f} s: "
              f"{ours / base:.2f}x (median of each run's ratio {pairs:.2f}x)\n"
              f"      runs: calamine {runs['calamine']}\n"
              f"            read_table {runs['read_table']}")  # fmt: skip
    print("target of issue 15: read_table at most 2.0x calamine alone")


if __name__ == "__main__":
    main()
