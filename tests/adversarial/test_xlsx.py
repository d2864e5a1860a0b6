"""XLSX end to end: formulas, hidden sheets, merges, serial dates, bombs and huge sheets."""

import datetime as dt
import tracemalloc

import pytest

from geo.errors import Problem
from geo.read import xlsx as read_xlsx
from geo.validate import load_events
from tests.adversarial.corpus import (
    row,
    xlsx_bomb,
    xlsx_bytes,
    xlsx_formula_without_value,
    xlsx_huge_dimension,
)

RESAVE = "Open it in Excel or LibreOffice and save it again"


def load(data):
    return load_events(data, "events.xlsx")


def test_formula_without_a_saved_value_names_the_cell_and_excludes_the_row():
    result = load(xlsx_formula_without_value("C", 2))
    assert result.events["event_id"].tolist() == ["e2"]
    assert result.problems == [
        Problem(2, "count_text", "", "error", "Cell C2 holds a formula with no saved value (the "
                "file was written by a program that does not calculate formulas). Open it in "
                "Excel or LibreOffice and save it again.")
    ]  # fmt: skip


def test_hidden_first_sheet_is_skipped():
    data = xlsx_bytes([row(notes="visible")], hidden_first=[("secret", "x"), ("1", "2")])
    result = load(data)
    assert result.problems == []
    assert result.events["notes"].tolist() == ["visible"]


def test_merged_cells_warn_and_name_the_empty_cells():
    result = load(xlsx_bytes([row(), row(event_id="e2", date=None)], merge="B2:B3"))
    assert result.problems == [
        Problem(2, "date", "B2:B3", "warning", "Cells B2:B3 are merged: the value is read only "
                "in the top-left cell B2; the other cells are read as empty. Unmerge them and "
                "fill in each cell."),
        Problem(3, "date", "", "error", "no date given"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "start", "precision"),
    [
        (dt.datetime(2024, 4, 26), dt.date(2024, 4, 26), "day"),
        (dt.date(2021, 7, 1), dt.date(2021, 7, 1), "day"),
        ("2024-04", dt.date(2024, 4, 1), "month"),
        (2023, dt.date(2023, 1, 1), "year"),
    ],
)
def test_date_cells(value, start, precision):
    result = load(xlsx_bytes([row(date=value)]))
    assert result.problems == []
    assert result.events.loc[0, "date_start"].date() == start
    assert result.events.loc[0, "date_precision"] == precision


def test_serial_number_in_a_date_column_is_named():
    result = load(xlsx_bytes([row(date=45000)]))
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "date", "45000")]
    assert "looks like a spreadsheet serial number" in result.problems[0].message


def test_numbers_and_leading_zero_text():
    result = load(xlsx_bytes([row(event_id="007", count_text=1200), row(event_id=8, notes=0.5)]))
    assert result.problems == []
    assert result.events["event_id"].tolist() == ["007", "8"]
    assert result.events["count_best"].tolist() == [1200, 60]
    assert result.events["notes"].tolist() == ["ok", "0.5"]


class _Refuse:
    @staticmethod
    def from_filelike(*args, **kwargs):
        raise AssertionError("the workbook was parsed")


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail if python-calamine is asked to read the workbook's values."""
    monkeypatch.setattr(read_xlsx, "CalamineWorkbook", _Refuse)


def _refused_with_bounded_memory(data):
    tracemalloc.start()
    try:
        result = load(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert (result.rows, result.valid) == (0, 0)
    [problem] = result.problems
    assert (problem.row, problem.severity) == (0, "error")
    return problem


def test_compression_bomb_is_refused_before_parsing_with_bounded_memory(no_parsing):
    data = xlsx_bomb(150)
    assert len(data) < 2**20
    problem = _refused_with_bounded_memory(data)
    assert problem.value == "xl/media/image1.png"
    assert problem.message.startswith("The workbook part xl/media/image1.png unpacks 1,0")
    assert "times larger than it is stored (at most 100 is accepted)" in problem.message


def test_huge_declared_sheet_is_refused_before_parsing(no_parsing):
    problem = _refused_with_bounded_memory(xlsx_huge_dimension("A1:XFD1048576"))
    assert problem.value == "A1:XFD1048576"
    assert problem.message.startswith(
        "Sheet 'Sheet' declares a used range of A1:XFD1048576 (1,048,576 rows, 16,384 "
        "columns); at most 1,000,000 rows and 200 columns are read."
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"PK\x03\x04" + b"\0" * 100, "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003 (.xls)"),
        (b"event_id,date\n1,2024\n", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks(data, fragment):
    [problem] = load(data).problems
    assert problem.row == 0 and fragment in problem.message
