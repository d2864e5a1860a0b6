"""Budgets on work, not only bytes: each break found by an attacker ends in a named problem.

Each hostile file is built here (``tests.adversarial.corpus``) and read twice: through
``geo.validate.load_events`` (the exact problem: row, column, words) and through the command
line in a child process, whose exit code, output, error stream and peak memory (its own
``ru_maxrss``, from ``os.wait4`` in a small wrapper process) are checked. The timeout only
guards against a hang; no test asserts a duration.

Before: 20,000 distinct GeoJSON keys (2.3 MB) took 143 s and 3.6 GB, 60,000 (7 MB) over 8 GB;
rows with a cell in column XFD were padded to 16,384 cells (3.2 MB: 409 s); a 5,000-digit
integer and a lone surrogate ended in tracebacks; of two sheets named ``S``, the hidden one was
read (999 people Excel does not show); csv.Sniffer took 27 s on 64 KB of ``,"``.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from geo import budget
from geo.errors import Problem, count_problems
from geo.read import common
from geo.read import xlsx as xlsx_reader
from geo.validate import load_events
from tests.adversarial.corpus import (
    HEADER,
    csv_one_field_rows,
    csv_quote_pairs,
    csv_unknown_places,
    geojson_distinct_keys,
    geojson_empty_objects,
    geojson_lone_surrogate,
    geojson_long_integer,
    kml_billion_laughs,
    kml_bytes,
    kml_placemark,
    kmz_bomb,
    replace_member,
    row,
    xlsx_bytes,
    xlsx_duplicate_sheet_names,
    xlsx_empty_far_cells,
    xlsx_far_column,
    xlsx_huge_dimension,
    xlsx_shared_text_repeated,
    xlsx_swapped_targets,
    zip_many_parts,
)

ROOT = Path(__file__).resolve().parents[2]
#: Peak memory of the command line, in MB; it starts at about 190 MB.
MAX_RSS_MB = 500
#: Not a speed limit: a hang guard.
HANG_SECONDS = 60

COLUMNS = "at most 200 distinct columns are read (the event schema has about 25)"
OUTSIDE = "outside the 1,000,000 rows and 200 columns (A to GR) this tool reads"
DIGITS = "holds a number of 5,000 digits; at most 100 digits are read"
SURROGATE = "holds an unpaired surrogate escape (\\ud800 to \\udfff in the JSON)"
DUPLICATE = "The workbook has more than one sheet named 'S' (hidden sheets count too)"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float


#: Runs a command and writes its peak RSS (KB) to argv[1]. The command is started from this
#: small process, not from the test: Linux counts a child's RSS at fork and exec (the parent's
#: pages) in its ru_maxrss, and a test worker may be large.
_WRAPPER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_cli(path: Path) -> Run:
    """Run ``border-map validate path`` in a child; return its outcome and its own peak RSS."""
    report = path.with_suffix(".maxrss")
    command = [sys.executable, "-m", "cli.main", "validate", str(path)]
    wrapper = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, str(report), *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: a hang ends with both processes
    )
    try:
        out, err = wrapper.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(wrapper.pid, signal.SIGKILL)
        wrapper.communicate()
        pytest.fail(f"border-map validate {path.name} still runs after {HANG_SECONDS} s")
    return Run(
        wrapper.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        int(report.read_text()) / 1024,  # KB on Linux
    )


def assert_cli_names(tmp_path: Path, name: str, data: bytes, *words: str) -> None:
    """The command line exits 1, prints the problem, no traceback, in bounded memory."""
    path = tmp_path / name
    path.write_bytes(data)
    run = run_cli(path)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.code == 1, (run.stdout[-2000:], run.stderr[-2000:])
    for word in words:
        assert word in run.stdout, run.stdout[-2000:]
    assert run.peak_mb < MAX_RSS_MB, f"peak {run.peak_mb:.0f} MB"


def refusal(data: bytes, name: str) -> Problem:
    result = load_events(data, name)
    assert (result.rows, result.valid) == (0, 0)
    [problem] = result.problems
    assert (problem.row, problem.column, problem.severity) == (0, "", "error")
    return problem


# Memory exhaustion: an XML bomb, a zip bomb -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        ("laughs.kml", lambda: kml_billion_laughs(9), ["declares XML entities"]),
        ("bomb.kmz", lambda: kmz_bomb(150), ["unpacks", "times larger than it is stored"]),
    ],
    ids=["billion laughs", "150 MB zip bomb"],
)
def test_kml_bombs_are_refused_in_bounded_memory(tmp_path, name, build, words):
    assert_cli_names(tmp_path, name, build(), *words)


# Memory exhaustion: one column per distinct GeoJSON property key ------------------------------


@pytest.mark.parametrize("features", [20_000, 60_000], ids=["2.3 MB", "7 MB"])
def test_distinct_property_keys_are_refused_at_the_201st(tmp_path, features):
    data = geojson_distinct_keys(features)
    assert len(data) > (2 if features == 20_000 else 7) * 10**6
    problem = refusal(data, "keys.geojson")
    assert problem.value == "event_id, k0000000, k0000001, k0000002, k0000003"
    assert problem.message == (
        "The file's features have more than 200 different property names (feature 200 adds "
        f"'k0000199'); {COLUMNS}. Delete the columns you do not need, or split the file, and "
        "save it again."
    )
    assert_cli_names(tmp_path, "keys.geojson", data, "more than 200 different property names")


def test_json_that_parses_into_far_more_memory_than_bytes_is_refused_before_parsing(tmp_path):
    data = geojson_empty_objects(500_001)  # 1.5 MB; ~35 MB of Python objects once parsed
    problem = refusal(data, "objects.geojson")
    assert problem.message.startswith(
        "The file's JSON opens 500,003 objects and arrays (counting '{' and '['); at most "
        "500,000 are read (a feature with a Point needs 4)."
    )


# CPU amplification: rows padded to the sheet's width -------------------------------------------


def test_a_value_in_column_xfd_under_a_small_dimension_is_refused(tmp_path):
    data = xlsx_far_column(rows=1_000, column="XFD", dimension="A1:F2")
    problem = refusal(data, "far.xlsx")
    assert problem.value == "XFD1"
    assert problem.message == (
        f"Sheet 'Sheet' has a value in cell XFD1, {OUTSIDE}. Delete what is beyond them (or "
        "copy the data to a new workbook) and save again."
    )
    assert_cli_names(tmp_path, "far.xlsx", data, "value in cell XFD1", "(A to GR)")


def test_a_value_in_column_gs_is_refused_and_gr_is_read():
    assert refusal(xlsx_far_column(rows=3, column="GS"), "far.xlsx").value == "GS1"
    result = load_events(xlsx_far_column(rows=3, column="GR"), "far.xlsx")
    assert result.valid == 3
    assert "columns not in the event schema are not used: x" in [p.message for p in result.problems]


def test_empty_formatted_cells_far_right_are_not_read_nor_padded():
    # Formatting whole rows leaves empty cells in column XFD: nothing to refuse, nothing to pad.
    result = load_events(xlsx_empty_far_cells(1_000), "styled.xlsx")
    assert (result.rows, result.valid, result.problems) == (1_000, 1_000, [])


def test_rows_are_not_padded_to_their_last_cell(monkeypatch):
    widths = []
    add_columns = common.TableBuilder.add_columns

    def spy(self, numbers, columns):
        widths.append(len(columns))
        add_columns(self, numbers, columns)

    monkeypatch.setattr(common.TableBuilder, "add_columns", spy)
    data = xlsx_empty_far_cells(5)  # each row ends with an empty cell in XFD
    assert load_events(data, "a.xlsx").valid == 5
    assert set(widths) == {len(HEADER)}  # was 16,384: padded to the row's last cell


def test_a_shared_text_repeated_in_many_cells_counts_in_each(tmp_path):
    data = xlsx_shared_text_repeated(cells=2_100, chars=10_000)  # 53 KB, 21,000,000 characters
    problem = refusal(data, "shared.xlsx")
    assert problem.message == (
        "Sheet 'Sheet' holds more than 20,000,000 characters of text in its cells (a text "
        "repeated in many cells counts each time), the most this tool reads. Split it into "
        "smaller files."
    )


def test_a_zip_directory_of_thousands_of_parts_is_refused_before_it_is_listed(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the archive was opened")

    data = zip_many_parts(30_000)
    monkeypatch.setattr(xlsx_reader.zipfile, "ZipFile", refuse)
    problem = refusal(data, "parts.xlsx")
    assert problem.message.startswith(
        "The workbook's zip directory takes 1.5 MB; at most 1 MB is accepted"
    )


def test_csv_sniffer_gets_a_bounded_sample(monkeypatch, tmp_path):
    samples = []
    sniff = csv.Sniffer.sniff

    def spy(self, sample, delimiters=None):
        samples.append(len(sample))
        return sniff(self, sample, delimiters)

    monkeypatch.setattr(csv.Sniffer, "sniff", spy)
    data = csv_quote_pairs()  # 64 KB of ,": the sniffer took 27 s on it
    result = load_events(data, "quotes.csv")
    assert samples and max(samples) <= 8 * 1024
    assert (result.rows, result.valid) == (49, 0)
    assert result.problems[0] == Problem(
        2, "", "", "error", "Row 2 has 331 fields, header has 2. Quote cells that contain the "
        "delimiter."
    )  # fmt: skip
    assert_cli_names(tmp_path, "quotes.csv", data, "Row 2 has 331 fields")


# Library edges: a 5,000-digit integer, a lone surrogate ----------------------------------------


def test_a_5000_digit_integer_is_an_error_of_its_cell(tmp_path):
    data = geojson_long_integer(5_000, "property")
    result = load_events(data, "long.geojson")
    assert (result.rows, result.valid) == (1, 0)
    assert Problem(1, "count_best", "1" * 59 + "…", "error", f"Property 'count_best' {DIGITS}. "
                   "Correct the value (write it as text in quotes if it is not a number) and "
                   "export the file again.") in result.problems  # fmt: skip
    assert_cli_names(tmp_path, "long.geojson", data, f"Property 'count_best' {DIGITS}")


def test_a_5000_digit_integer_nested_in_a_property_names_the_property():
    result = load_events(geojson_long_integer(5_000, "nested"), "long.geojson")
    assert result.valid == 0
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.row, problem.column) == (1, "tags")
    assert f"Property 'tags' {DIGITS}" in problem.message


def test_a_5000_digit_coordinate_is_a_point_without_numeric_coordinates(tmp_path):
    data = geojson_long_integer(5_000, "geometry")
    result = load_events(data, "long.geojson")
    assert result.valid == 0
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.row, problem.column) == (1, "")
    assert problem.value.startswith('["11111') and len(problem.value) <= 60
    assert problem.message == (
        "Feature 1 has a Point without two numeric coordinates [longitude, latitude]."
    )
    assert_cli_names(tmp_path, "long.geojson", data, "without two numeric coordinates")


def test_a_number_of_100_digits_is_read():
    result = load_events(geojson_long_integer(100, "nested"), "long.geojson")
    assert [p.severity for p in result.problems] == ["warning"]  # tags: not a schema column
    assert result.valid == 1


@pytest.mark.parametrize(
    ("where", "column", "value"),
    [("value", "source_title", "bad \ufffd text"), ("key", "not\ufffde", "x")],
)
def test_a_lone_surrogate_is_an_error_of_its_cell(tmp_path, where, column, value):
    data = geojson_lone_surrogate(where)
    result = load_events(data, "surrogate.geojson")
    assert (result.rows, result.valid) == (1, 0)
    assert Problem(1, column, value, "error", f"Property '{column}' {SURROGATE}, which is not a "
                   "character; it is read as \ufffd. Correct the text in the program that wrote "
                   "the file and export it again.") in result.problems  # fmt: skip
    assert_cli_names(tmp_path, "surrogate.geojson", data, f"Property '{column}' {SURROGATE}")


def test_a_lone_surrogate_in_a_geometry_type_is_shown_replaced(tmp_path):
    data = geojson_lone_surrogate("geometry")
    result = load_events(data, "surrogate.geojson")
    assert [(p.row, p.value, p.severity) for p in result.problems if p.value] == [
        (1, "Po\ufffdint", "warning")
    ]
    path = tmp_path / "surrogate.geojson"
    path.write_bytes(data)
    run = run_cli(path)
    assert "Traceback" not in run.stderr
    assert "Feature 1 has a Po\ufffdint geometry" in run.stdout


# Parser differential: which sheet is read ------------------------------------------------------


def test_two_sheets_of_one_name_are_refused(tmp_path):
    data = xlsx_duplicate_sheet_names("999")
    problem = refusal(data, "dup.xlsx")
    assert problem.value == "S"
    assert problem.message == (
        f"{DUPLICATE}: Excel shows one of them and other programs may read another. Rename or "
        "delete the extra sheet and save the workbook again."
    )
    assert_cli_names(tmp_path, "dup.xlsx", data, DUPLICATE)


def test_sheet_names_are_compared_ignoring_case():
    data = xlsx_duplicate_sheet_names()
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    data = replace_member(data, "xl/workbook.xml", book.replace(b'name="S"', b'name="s"', 1))
    problem = refusal(data, "dup.xlsx")
    assert problem.value == "S"
    assert problem.message.startswith("The workbook has more than one sheet named 'S'")


def test_the_sheet_is_found_by_its_relationship_not_its_file_name():
    data = xlsx_swapped_targets([HEADER, row(notes="shown by Excel")])
    result = load_events(data, "swapped.xlsx")
    assert result.problems == []
    assert result.events["notes"].tolist() == ["shown by Excel"]


def test_checks_run_on_the_sheet_read_not_on_a_hidden_one():
    # The hidden sheet (sheet1.xml) declares a huge range; the visible one has a merge.
    data = xlsx_bytes([row(), row(event_id="e2", date=None)], hidden_first=[("x",)], merge="B2:B3")
    hidden_huge = xlsx_huge_dimension()
    huge_xml = zipfile.ZipFile(io.BytesIO(hidden_huge)).read("xl/worksheets/sheet1.xml")
    data = replace_member(data, "xl/worksheets/sheet1.xml", huge_xml)
    result = load_events(data, "a.xlsx")
    assert [(p.row, p.column, p.value, p.severity) for p in result.problems] == [
        (2, "date", "B2:B3", "warning"),
        (3, "date", "", "error"),
    ]
    # ... and the same huge range on the visible sheet refuses the file, naming it.
    data = replace_member(data, "xl/worksheets/sheet2.xml", huge_xml)
    assert refusal(data, "a.xlsx").message.startswith(
        "Sheet 'Events' declares a used range of A1:XFD1048576"
    )


# Budgets shared by every reader --------------------------------------------------------------


def test_a_csv_header_of_201_names_is_refused():
    header = [f"c{n}" for n in range(201)]
    data = (",".join(header) + "\n" + ",".join("x" * 201) + "\n").encode()
    problem = refusal(data, "wide.csv")
    assert problem.message.startswith(f"The header row names 201 columns; {COLUMNS}.")
    assert problem.value.startswith("c0, c1, c2, c3, c4")


def test_a_csv_header_wider_than_any_sheet_is_refused():
    data = b"event_id,date" + b"," * 16_383 + b"\ne1,2024\n"
    assert refusal(data, "wide.csv").message.startswith(
        "The header row has 16,385 cells; at most 16,384 (the widest Excel sheet) are read."
    )


def test_unnamed_columns_cost_nothing_per_row():
    # 5,000 empty header cells (a sheet's formatting exported): read, one warning for the value.
    data = ("event_id,date,admin1_codes,source_url" + "," * 5_000 + "\n").encode()
    data += b"".join(b"e%d,2024,CN-JL,https://example.org/%d\n" % (n, n) for n in range(1_000))
    data += b"last,2024,CN-JL,https://e.org" + b"," * 4_000 + b"stray\n"
    result = load_events(data, "a.csv")
    assert result.valid == 1_001
    assert "Column 4004 has no name in the header row; 1 value in it is not read" in " ".join(
        p.message for p in result.problems
    )


@pytest.mark.parametrize("name", ["a.csv", "a.geojson", "a.xlsx", "a.kml"])
def test_cells_are_counted(monkeypatch, name):
    monkeypatch.setattr(common, "MAX_CELLS", 30)
    rows = [row(event_id=f"e{n}") for n in range(6)]  # 6 records × 6 columns
    limit = 30
    if name == "a.csv":  # as many cells as bytes: short rows padded cost no bytes
        data = ("\n".join([",".join(HEADER), *(f"e{n}" for n in range(40))]) + "\n").encode()
        limit = len(data)
    elif name == "a.xlsx":
        data = xlsx_bytes(rows)
    elif name == "a.kml":  # 6 placemarks × 9 columns (the reader's 8 and source_url)
        data = kml_bytes([kml_placemark(name=r[0]) for r in rows])
    else:
        import json

        data = json.dumps(
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": dict(zip(HEADER, r, strict=True)),
                 "geometry": None} for r in rows]}
        ).encode()  # fmt: skip
    problem = refusal(data, name)
    assert problem.message.startswith(f"The file has more than {limit} cells (")


# A problem budget: each kind of problem is listed for its first rows, the rest counted ---------


def test_bad_rows_list_each_problem_for_1000_rows_and_count_the_rest():
    result = load_events(csv_one_field_rows(3_000), "short.csv")
    assert (result.rows, result.valid) == (3_000, 0)
    assert count_problems(result.problems, "error") == 6_000  # no date, no source
    [dates] = [p for p in result.problems if p.column == "date" and p.more_rows]
    assert (dates.row, dates.more_rows, dates.severity) == (1_002, 1_999, "error")
    assert dates.message == (
        "no date given; date has the same kind of error in 1,999 more rows up to row 3,001, "
        "not listed one by one (only the first 1,000 rows of each are)"
    )
    assert [p.row for p in result.problems if p.column == "date"] == [*range(2, 1_003)]
    [short] = [p for p in result.problems if p.message.startswith("Row 1002 has 1 field")]
    assert short.more_rows == 1_999 and "the file has the same kind of warning" in short.message


def test_200000_bad_rows_through_the_command_line_in_bounded_memory(tmp_path):
    """Was 1,000,000 problems, about 1 GB in the command line."""
    counts, note = "200000 rows, 0 valid, 400000 errors", "198,999 more rows up to row 200,001"
    assert_cli_names(tmp_path, "short.csv", csv_one_field_rows(200_000), counts, note)


@pytest.mark.parametrize(("rows", "listed"), [(1_001, 1_001), (1_002, 1_001)])
def test_a_problem_is_listed_one_by_one_up_to_1001_rows(rows, listed):
    result = load_events(csv_one_field_rows(rows), "short.csv")
    dates = [p for p in result.problems if p.column == "date"]
    assert len(dates) == listed
    assert count_problems(dates) == rows
    assert [p.to_dict().get("more_rows") for p in dates[-1:]] == [1 if rows == 1_002 else None]


# A time budget: reading and validating one file ---------------------------------------------


def test_a_file_that_takes_longer_than_its_budget_is_refused(monkeypatch):
    monkeypatch.setattr(budget, "VALIDATION_SECONDS", 0.05)
    data = csv_unknown_places(20_000)
    problem = refusal(data, "slow.csv")
    assert problem.value == "0.05 s"
    assert problem.message == (
        "checking this file took longer than 0.05 s, the longest one file may take; split it "
        "into smaller files (or remove columns this tool does not read)"
    )


def test_the_same_file_validates_within_the_default_budget():
    data = csv_unknown_places(20_000)
    result = load_events(data, "slow.csv")
    assert result.rows == 20_000
    assert result.valid == 0
    assert count_problems(result.problems, "error") == 20_000  # each place is unknown


def test_the_command_line_names_a_spent_time_budget(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(common, "LOCAL", common.Limits(common.LOCAL_MAX_FILE_BYTES, 0.05))
    path = tmp_path / "slow.csv"
    path.write_bytes(csv_unknown_places(20_000))
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "0 rows, 0 valid, 1 errors" in out and "took longer than 0.05 s" in out
    assert "Traceback" not in out + err


def test_the_command_line_is_not_held_to_an_uploads_limits(monkeypatch, tmp_path, capsys):
    # The limits protect the app's server; on the command line the machine is the user's own.
    monkeypatch.setattr(budget, "VALIDATION_SECONDS", 0.05)
    path = tmp_path / "slow.csv"
    path.write_bytes(csv_unknown_places(20_000))
    assert refusal(path.read_bytes(), "slow.csv").value == "0.05 s"  # as an upload
    assert main(["validate", str(path)]) == 1  # every place is unknown: errors
    out, _ = capsys.readouterr()
    assert "20000 rows, 0 valid, 20000 errors" in out and "took longer" not in out


def test_the_command_line_refuses_a_file_past_its_size_limit(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(common, "LOCAL", common.Limits(2**20, 30.0))
    path = tmp_path / "big.csv"
    path.write_bytes(csv_unknown_places(40_000))
    assert path.stat().st_size > 2**20
    assert main(["summary", "--events", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "at most 1 MB is accepted. Split it into smaller files." in err
