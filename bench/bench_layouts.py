"""Benchmark: reading an ACLED-layout CSV against the same events in this project's schema.

Run: ``python bench/bench_layouts.py [--rows 50000] [--repeat 3]``

The same seeded events are written twice: as an ACLED export (2023 layout, 31 columns) and in
the event schema (all 25 columns of ``data/events.csv``, empty where ACLED gives nothing).
``geo.validate.load_events`` reads each, alternately, ``--repeat`` times in this process; the
ratio of the medians is ACLED / schema. Issue 11 asks for at most 1.5.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.reference import load_reference  # noqa: E402
from geo.reference.schema import SCHEMA_COLUMNS  # noqa: E402
from geo.validate import load_events  # noqa: E402

ACLED = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
         "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
         "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
         "source,source_scale,notes,fatalities,tags,timestamp").split(",")  # fmt: skip
#: The schema file: every column of data/events.csv, those an ACLED row has no value for empty.
SCHEMA = list(SCHEMA_COLUMNS)
TOWNS = [("Dandong", "Liaoning", 40.1292, 124.3947), ("Tumen", "Jilin", 42.9667, 129.8167),
         ("Hunchun", "Jilin", 42.8679, 130.3581), ("Changbai", "Jilin", 41.4197, 128.1961),
         ("Ji'an", "Jilin", 41.1231, 126.1861)]  # fmt: skip


def write_files(folder: Path, rows: int, seed: int = 11) -> tuple[Path, Path]:
    """Write the same events as an ACLED export and in the schema; return both paths."""
    rng = random.Random(seed)
    acled_path, schema_path = folder / "acled.csv", folder / "schema.csv"
    with acled_path.open("w", newline="") as a, schema_path.open("w", newline="") as s:
        acled, schema = csv.writer(a), csv.writer(s)
        acled.writerow(ACLED)
        schema.writerow(SCHEMA)
        for i in range(rows):
            town, province, lat, lon = rng.choice(TOWNS)
            day = f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            jitter = rng.uniform(-0.01, 0.01)
            point = (f"{lat + jitter:.4f}", f"{lon - jitter:.4f}")
            note = f"Transfer of detainees reported near {town} ({i})."
            acled.writerow([f"TST{i}", day, day[:4], "1", "Strategic developments",
                            "Strategic developments", "Other", "Police Forces of China", "", "1",
                            "Civilians (North Korea)", "", "7", "17", "Civilian targeting", "156",
                            "East Asia", "China", province, town, "", town, *point, "1",
                            "Fixture Source", "Other", note, "0", "", "1700000000"])  # fmt: skip
            given = {"event_id": f"TST{i}", "event_type": "forced_return", "date_start": day,
                     "date_end": day, "date_precision": "day", "lat": point[0], "lon": point[1],
                     "geo_precision": "point", "location_text": f"{town}, {province}, China",
                     "source_org": "Fixture Source", "notes": note}  # fmt: skip
            schema.writerow([given.get(column, "") for column in SCHEMA])
    return acled_path, schema_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reference = load_reference()
    with tempfile.TemporaryDirectory() as tmp:
        acled_path, schema_path = write_files(Path(tmp), args.rows)
        times: dict[str, list[float]] = {"acled": [], "schema": []}
        for _ in range(args.repeat):
            for name, path in (("schema", schema_path), ("acled", acled_path)):
                start = time.perf_counter()
                result = load_events(path, reference=reference)
                times[name].append(time.perf_counter() - start)
                assert result.valid == args.rows, (name, result.problems[:3])
    acled, schema = statistics.median(times["acled"]), statistics.median(times["schema"])
    print(f"{args.rows:,} rows: ACLED layout {acled:.2f} s, schema {schema:.2f} s "
          f"(medians of {args.repeat}); ACLED / schema = {acled / schema:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
