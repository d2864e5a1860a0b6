"""``border-map validate`` reads 10^5-row mixed files exactly as the code before the speed work.

The expectations in ``tests/data/golden/*_100000.json.gz`` were written by the validation of
commit 2865ffa (before the speed work of branch ``perf-validate``) with
``python tests/geo/test_validate_golden_large.py``, from two seeded files of 100,000 records:
``mixed_csv(100_000)`` (the kinds of good and bad cells of ``test_validate_golden``, about one
row in thirty valid) and the file of ``bench/bench_validate.py`` (realistic cells, about a
third of the rows with an error). Each holds the rows and valid rows, every problem (row,
column, value, severity, message: the lists capped at 1,000 rows per check and the counts of
the rest), the events' dtypes and a SHA-256 of the events frame as CSV (every normalised value).

``mixed_100000.json.gz`` was written again once, for one rule changed on purpose (see
``test_validate_golden``): a claim naming no kept reference row is an error. Only its
``same_event_as`` problems changed (the 1,001 warnings became errors, 1,001 errors were added)
and 1,177 claims were refused (2,920 valid rows became 1,743). The swapped-coordinates
message was reworded since (its text only).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from geo.read.common import LOCAL
from geo.validate import ValidationResult, load_events
from tests.geo.test_validate_golden import mixed_csv

GOLDEN = Path(__file__).parent.parent / "data" / "golden"
ROOT = Path(__file__).parent.parent.parent
ROWS = 100_000


def bench_csv(rows: int) -> bytes:
    """Return the seeded CSV that ``bench/bench_validate.py`` measures."""
    path = ROOT / "bench" / "bench_validate.py"
    spec = importlib.util.spec_from_file_location("bench_validate", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        bench.write_csv(path, rows)
        return path.read_bytes()


FILES = {"mixed": lambda: mixed_csv(ROWS), "bench": lambda: bench_csv(ROWS)}


def summary(result: ValidationResult) -> dict[str, Any]:
    """Return what the golden files hold of a validation (see the module docstring)."""
    events = result.events.drop(columns="geometry")
    return {
        "rows": result.rows,
        "valid": result.valid,
        "dtypes": {column: str(dtype) for column, dtype in events.dtypes.items()},
        "events_sha256": hashlib.sha256(events.to_csv(index=False).encode()).hexdigest(),
        "problems": [[p.row, p.column, p.value, p.severity, p.message] for p in result.problems],
    }


def validate(name: str) -> dict[str, Any]:
    """Validate one of ``FILES`` as ``border-map validate`` does (local limits, no shapes)."""
    return summary(load_events(FILES[name](), "events.csv", limits=LOCAL, geometry=False))


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_large_mixed_file_has_the_same_events_and_problems_as_before(name: str) -> None:
    expected = json.loads(gzip.decompress((GOLDEN / f"{name}_{ROWS}.json.gz").read_bytes()))
    got = validate(name)
    assert (got["rows"], got["valid"]) == (expected["rows"], expected["valid"])
    assert len(got["problems"]) == len(expected["problems"])
    pairs = zip(got["problems"], expected["problems"], strict=True)
    for position, (mine, theirs) in enumerate(pairs):
        assert mine == theirs, f"problem {position}"
    assert got["dtypes"] == expected["dtypes"]
    assert got["events_sha256"] == expected["events_sha256"]


if __name__ == "__main__":  # write the expectations (only from the code they pin)
    sys.path.insert(0, str(ROOT))
    for file in FILES:
        text = json.dumps(validate(file), ensure_ascii=False, separators=(",", ":"))
        (GOLDEN / f"{file}_{ROWS}.json.gz").write_bytes(gzip.compress(text.encode(), 9, mtime=0))
