"""Values at the edges of the libraries: refused at validation, never a crash of a later step.

Each break an attacker found (a count of 4,301 digits, Python's integer-digit limit; a
coordinate of 4,000 digits or ``1e400``; dates such as ``0001-01-01`` or ``9999`` that validated
and then crashed the app's date slider) is a named problem here, in ``load_events`` and through
the command line. A property test then generates edge values and checks that every row is an
event or named by an error, and that whatever validates survives the workspace's parquet save,
``build_view`` and the web map.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from geo.parse.counts import MAX_COUNT
from geo.parse.dates import ACCEPTED_DATES
from geo.pipeline import build_view, dataset_from_events
from geo.reference import load_reference
from geo.reference.schema import DATE_MAX, DATE_MIN
from geo.validate import load_events
from geo.view import ViewParams
from render.webmap.build import build_map
from tests.adversarial.corpus import csv_bytes
from webapp.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = f"is outside the dates this tool accepts ({ACCEPTED_DATES})"
NOT_DEGREES = "must be a number in decimal degrees (e.g. 40.1)"
TOO_LARGE = f"is larger than any count of people ({MAX_COUNT:,})"
WHOLE = f"must be a whole number of people from 0 to {MAX_COUNT:,} (e.g. 60)"
#: A row that validates without any problem: Dandong, on land, in the map area.
GOOD = {
    "event_id": "e1",
    "date": "2023-10-09",
    "count_text": "about 60",
    "lat": "40.12",
    "lon": "124.38",
    "source_url": "https://example.org/a",
}
HUGE = "9" * 4301  # one digit beyond Python's limit on reading an int from text
LONG_COORD = "4" * 4000

# (name, cells changed in GOOD, column named, a piece of the message)
BREAKS = [
    ("count of 4,301 digits", {"count_text": HUGE}, "count_text", TOO_LARGE),
    ("qualified count of 4,301 digits", {"count_text": f"about {HUGE}"}, "count_text",
     TOO_LARGE),
    ("range to 4,301 digits", {"count_text": f"50 to {HUGE}"}, "count_text", TOO_LARGE),
    ("count_best of 4,301 digits", {"count_best": HUGE, "count_qualifier": "exact"},
     "count_best", WHOLE),
    ("count_best of 400 digits", {"count_best": "9" * 400, "count_qualifier": "exact"},
     "count_best", WHOLE),
    ("lat of 4,000 digits", {"lat": LONG_COORD}, "lat", f"lat {NOT_DEGREES}"),
    ("lat 1e400", {"lat": "1e400"}, "lat", f"lat {NOT_DEGREES}"),
    ("lon -1e400", {"lon": "-1e400"}, "lon", f"lon {NOT_DEGREES}"),
    ("lat nan", {"lat": "nan"}, "lat", f"lat {NOT_DEGREES}"),
    ("lon inf", {"lon": "inf"}, "lon", f"lon {NOT_DEGREES}"),
    ("date 0001-01-01", {"date": "0001-01-01"}, "date", f"'0001-01-01' {OUTSIDE}"),
    ("date 9999", {"date": "9999"}, "date", f"'9999' {OUTSIDE}"),
    ("date 2101-01-01", {"date": "2101-01-01"}, "date", f"'2101-01-01' {OUTSIDE}"),
    ("date 1899-12-31", {"date": "1899-12-31"}, "date", f"'1899-12-31' {OUTSIDE}"),
    ("period into 9999", {"date": "2024/9999-12-31"}, "date", f"'9999-12-31' {OUTSIDE}"),
    ("source_published 0001-01-01", {"source_published": "0001-01-01"}, "source_published",
     f"source_published must be one date, e.g. 2024-04-26 (or 2024-04, 2024); '0001-01-01' "
     f"{OUTSIDE}"),
    ("source_published 9999", {"source_published": "9999"}, "source_published", OUTSIDE),
]  # fmt: skip


def _file(changes: dict[str, str]) -> bytes:
    cells = {**GOOD, **changes}
    if "count_best" in cells:
        del cells["count_text"]
    return csv_bytes([tuple(cells.values())], header=tuple(cells))


@pytest.mark.parametrize(("changes", "column", "message"), [b[1:] for b in BREAKS],
                         ids=[b[0] for b in BREAKS])  # fmt: skip
def test_each_break_is_a_named_problem(changes, column, message):
    result = load_events(_file(changes), "edge.csv")
    assert result.valid == 0 and result.rows == 1
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors, result.problems
    (problem,) = [p for p in errors if p.column == column and message in p.message]
    assert problem.row == 2
    cell = changes[column]
    assert len(problem.value) <= 60 and cell.startswith(problem.value.rstrip("…"))
    assert len(problem.message) < 300  # a message quotes a long value shortened


@pytest.mark.parametrize(("changes", "column", "message"), [b[1:] for b in BREAKS],
                         ids=[b[0] for b in BREAKS])  # fmt: skip
def test_each_break_through_the_command_line(changes, column, message, tmp_path, capsys):
    path = tmp_path / "edge.csv"
    path.write_bytes(_file(changes))
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "1 rows, 0 valid" in out
    assert column in out and message in " ".join(out.split())


def test_a_4301_digit_count_exits_1_in_a_subprocess(tmp_path):
    """The installed interpreter's integer-digit limit, in a real process: exit 1, no traceback."""
    path = tmp_path / "edge.csv"
    path.write_bytes(_file({"count_text": HUGE}))
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "count_text" in done.stdout
    assert TOO_LARGE in " ".join(done.stdout.split())


def test_edges_of_the_accepted_dates_validate():
    changes = [{"date": "1900-01-01"}, {"date": "2100-12-31", "event_id": "e2"},
               {"date": "1900/2100", "event_id": "e3", "source_published": "2100-12"}]  # fmt: skip
    rows = [tuple({**GOOD, **c, "source_published": c.get("source_published", "")}.values())
            for c in changes]  # fmt: skip
    result = load_events(csv_bytes(rows, header=(*GOOD, "source_published")), "edges.csv")
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.events["date_start"].min().date() == DATE_MIN
    assert result.events["date_end"].max().date() == DATE_MAX


@pytest.mark.parametrize("option", ["--start", "--end"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2101-01-01", "1899-12-31"])
def test_command_line_dates_outside_the_range_are_usage_errors(option, value, capsys):
    assert main(["summary", option, value]) == 2
    err = capsys.readouterr().err
    assert ACCEPTED_DATES in err and value in err and "Traceback" not in err


def test_command_line_start_0001_exits_2_in_a_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "summary", "--start", "0001-01-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert f"'0001-01-01' {OUTSIDE}" in done.stderr and "Traceback" not in done.stderr


def test_command_line_accepts_the_edges_of_the_range(capsys):
    assert main(["summary", "--start", "1900-01-01", "--end", "2100-12-31", "--json"]) == 0


# Property test: edge values anywhere; every row an event or a named error; what validates
# survives the parquet save, build_view and the web map.

DIGITS = st.builds(lambda d, n: d * n, st.sampled_from("0123456789"), st.integers(1, 5000))
FLOATS = st.floats(allow_nan=True, allow_infinity=True).map(repr)
EDGE_NUMBERS = st.one_of(
    DIGITS,
    FLOATS,
    st.sampled_from(["1e400", "-1e400", "nan", "-nan", "inf", "-inf", "1e-400", "0x1F",
                     "1_000", "٤٢", "1,000,000,000", "1000000001", "0" * 4000 + "60",
                     "60.000", "1" + "0" * 9, "-0", "+40.12"]),
)  # fmt: skip
DAYS = st.one_of(
    st.dates(),
    st.dates(DATE_MIN - dt.timedelta(days=3), DATE_MIN + dt.timedelta(days=3)),
    st.dates(DATE_MAX - dt.timedelta(days=3), DATE_MAX + dt.timedelta(days=3)),
)
EDGE_DATES = st.one_of(
    DAYS.map(dt.date.isoformat),
    st.integers(1, 9999).map("{:04d}".format),
    st.builds(lambda a, b: f"{a.isoformat()}/{b.isoformat()}", DAYS, DAYS),
    st.sampled_from(["1899-12", "2101-01", "9999-12-31", "0001-01-01", "December 1899"]),
)
ACCEPTED_DAYS = st.one_of(
    st.dates(DATE_MIN, DATE_MAX),
    st.sampled_from([DATE_MIN, DATE_MAX, DATE_MIN + dt.timedelta(days=1)]),
)
IN_RANGE = st.one_of(
    ACCEPTED_DAYS.map(dt.date.isoformat),
    st.integers(DATE_MIN.year, DATE_MAX.year).map(str),
    st.lists(ACCEPTED_DAYS, min_size=2, max_size=2).map(
        lambda d: f"{min(d).isoformat()}/{max(d).isoformat()}"
    ),
)
COUNTS = st.one_of(
    st.integers(0, MAX_COUNT).map(str),
    st.sampled_from(["1,000,000,000", "0" * 4000 + "60", "about 1000000000", "0"]),
)
EDGE_COUNTS = st.one_of(
    EDGE_NUMBERS,
    st.builds(lambda q, n: f"{q} {n}", st.sampled_from(["about", "over", "up to"]), DIGITS),
    st.builds(lambda a, b: f"{a} to {b}", DIGITS, DIGITS),
)
#: Cells that validate (at the edges of what is accepted, too) ...
VALID = {
    "date": IN_RANGE,
    "count_text": COUNTS,
    "count_best": st.integers(0, MAX_COUNT).map(str),
    "lat": st.sampled_from(["40.12", "40.120000000000000000000001"]),
    "lon": st.sampled_from(["124.38", "124.3800000000000000000001"]),
    "source_published": st.one_of(st.just(""), ACCEPTED_DAYS.map(dt.date.isoformat)),
}
#: ... and edge values for the same columns, some accepted, most refused.
EDGES = {
    "date": EDGE_DATES,
    "count_text": EDGE_COUNTS,
    "count_best": EDGE_NUMBERS,
    "lat": EDGE_NUMBERS,
    "lon": EDGE_NUMBERS,
    "source_published": EDGE_DATES,
}


def _rows(columns: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    """A row of valid cells with up to two replaced by edge values."""
    base = st.fixed_dictionaries({c: VALID[c] for c in columns})
    edit = st.sampled_from(columns).flatmap(lambda c: EDGES[c].map(lambda v: (c, v)))
    return st.builds(lambda row, edits: {**row, **dict(edits)}, base, st.lists(edit, max_size=2))


TEXT_ROW = _rows(("date", "count_text", "lat", "lon", "source_published"))
NUMBER_ROW = _rows(("date", "count_best", "lat", "lon"))
EDGE_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _table(rows: list[dict[str, str]]) -> bytes:
    columns = tuple(rows[0])
    header = ("event_id", *columns, "admin1_codes", "source_url")
    body = [
        (f"e{i}", *(r[c] for c in columns), "CN-LN", "https://example.org/a")
        for i, r in enumerate(rows)
    ]
    return csv_bytes(body, header=header)


def _check_and_survive(content: bytes) -> None:
    reference = load_reference()
    result = load_events(content, "edges.csv", reference=reference)
    rows_with_errors = {p.row for p in result.problems if p.severity == "error"}
    kept = set(result.events["row"].tolist())
    assert kept | rows_with_errors == set(range(2, result.rows + 2))
    assert not kept & rows_with_errors
    assert all(len(p.value) <= 60 for p in result.problems)
    events = result.events
    for column in ("date_start", "date_end"):
        known = events[column].dropna()
        assert ((known >= np.datetime64(DATE_MIN)) & (known <= np.datetime64(DATE_MAX))).all()
    for column in ("count_best", "count_low", "count_high"):
        assert (events[column].dropna() <= MAX_COUNT).all()
    for column in ("lat", "lon"):
        assert np.isfinite(events[column].dropna().to_numpy(float)).all()
    if not len(events):
        return
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp))
        saved = workspace.save(content, "edges.csv", events, result.rows, len(result.problems))
        reloaded = workspace.load_events(saved.dataset_id)
    dataset = dataset_from_events(reloaded, "edges", reference=reference)
    for view in (ViewParams(), ViewParams(start=DATE_MIN, end=DATE_MAX, match="within")):
        data = build_view(dataset.events, view)
        build_map(data, reference).get_root().render()


@EDGE_SETTINGS
@given(st.lists(TEXT_ROW, min_size=1, max_size=6))
def test_edge_values_in_text_columns_are_events_or_named_errors_and_survive(rows):
    _check_and_survive(_table(rows))


@EDGE_SETTINGS
@given(st.lists(NUMBER_ROW, min_size=1, max_size=6))
def test_edge_values_in_number_columns_are_events_or_named_errors_and_survive(rows):
    _check_and_survive(_table(rows))


def test_rows_at_the_edges_survive_save_view_and_map():
    rows = [
        {"date": "1900-01-01", "count_text": "1,000,000,000", "lat": "40.12", "lon": "124.38",
         "source_published": "1900"},
        {"date": "2100-12-31", "count_text": "0" * 4000 + "60", "lat": "", "lon": "",
         "source_published": "2100-12-31"},
        {"date": "1900/2100", "count_text": "50 to 1,000,000,000", "lat": "", "lon": "",
         "source_published": ""},
    ]  # fmt: skip
    content = _table(rows)
    assert load_events(content, "edges.csv").valid == 3
    _check_and_survive(content)


def test_the_documented_limits_are_the_ones_in_the_code():
    from geo.parse import SHOWN_CHARS
    from geo.view import MAX_QUERY_ITEMS, MAX_QUERY_VALUE

    doc = " ".join((ROOT / "docs" / "INPUT.md").read_text(encoding="utf-8").split())
    assert f"Dates from {ACCEPTED_DATES} only" in doc
    assert f"longer than {MAX_QUERY_VALUE:,} characters" in doc
    assert f"more than {MAX_QUERY_ITEMS} items" in doc
    assert f"its first {SHOWN_CHARS} characters" in doc
    assert f"above {MAX_COUNT:,} are refused" in doc
