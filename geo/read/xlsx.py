"""Read the first visible sheet of an Excel workbook (.xlsx) into a ``RawTable``.

``geo.read.xlsx_scan`` inspects the archive first (zip bombs, the sheet's declared size, merged
ranges, formulas without a saved value); openpyxl (read-only, saved values) then reads the cells.

Row numbers are the sheet's own row numbers (header = row 1 when the table starts at A1).
Cells become text: dates ``YYYY-MM-DD`` (date-times ``YYYY-MM-DD HH:MM:SS``), integral numbers
without ``.0``, booleans ``TRUE``/``FALSE``.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from geo.errors import Problem
from geo.read.common import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    RawTable,
    TableBuilder,
    file_error,
    value_text,
)
from geo.read.xlsx_scan import (
    RESAVE,
    XML_ERRORS,
    SheetScan,
    check_archive,
    first_visible_sheet,
    scan_sheet,
)

# What a damaged workbook makes zipfile, zlib or openpyxl raise (encrypted members raise
# RuntimeError, unknown compression methods NotImplementedError).
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    *XML_ERRORS,
)


def read_xlsx(
    data: bytes, *, max_rows: int = MAX_ROWS, max_cell_chars: int = MAX_CELL_CHARS
) -> RawTable:
    """Read the first visible worksheet of an .xlsx workbook.

    Parameters
    ----------
    data : bytes
        The whole file.
    max_rows, max_cell_chars : int
        Limits; more records raise ``InputFileError``, a longer cell is an error Problem.

    Returns
    -------
    RawTable
        ``format="xlsx"``, ``encoding="utf-8"``. Problems name formula cells without a saved
        value (error) and merged ranges (warning: the value is only in the top-left cell).

    Raises
    ------
    geo.errors.InputFileError
        Not an .xlsx workbook, a zip bomb, a huge declared sheet, no visible sheet, no header
        row, or more than ``max_rows`` records.
    """
    try:
        with _open_zip(data) as archive:
            check_archive(archive)
            name, path = first_visible_sheet(archive)
            scan = scan_sheet(archive, path, name)
        table = _read_cells(data, name, max_rows)
    except _BROKEN as exc:
        raise file_error(f"The workbook cannot be read ({exc}). {RESAVE}") from exc
    frame, problems = table.finish(max_cell_chars)
    problems = _scan_problems(scan, table) + problems
    if not table.rows:
        problems.append(Problem(0, "", "", "warning", f"Sheet '{name}' has no records."))
    return RawTable(frame, sorted(problems, key=lambda p: p.row), "utf-8", "xlsx")


def _read_cells(data: bytes, name: str, max_rows: int) -> TableBuilder:
    """Read the sheet's saved values with openpyxl (read-only: streamed, bounded memory)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook[name]
            sheet.reset_dimensions()  # read what is there, not what the file declares
            return _collect(sheet.iter_rows(values_only=True), name, max_rows)
        finally:
            workbook.close()


def cell_text(value: object) -> str:
    """Return a cell value as the text a person sees ('' for an empty cell)."""
    return value_text(value, true="TRUE", false="FALSE", other=_date_or_str)


def _date_or_str(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(
            "This is an old Excel 97-2003 (.xls) file or a password-protected workbook. Remove "
            "any password and save it as Excel Workbook (.xlsx) or CSV UTF-8."
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise file_error(f"The file is not an Excel workbook (.xlsx). {RESAVE}") from exc


def _collect(rows: Iterable[tuple], name: str, max_rows: int) -> TableBuilder:
    table: TableBuilder | None = None
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(v) for v in values]
        if table is None:
            if any(cell.strip() for cell in cells):
                while cells and not cells[-1].strip():
                    cells.pop()
                table = TableBuilder(cells, max_rows, label=_column_letter, header_row=number)
            continue
        table.add(number, cells)
    if table is None:
        raise file_error(
            f"Sheet '{name}' is empty: its first row must name the columns, e.g. "
            "event_id, date, count, place_names, source_url."
        )
    return table


def _scan_problems(scan: SheetScan, table: TableBuilder) -> list[Problem]:
    problems = []
    for coordinate in sorted(scan.formulas_without_value, key=_cell_order):
        column, row = _split(coordinate)
        problems.append(
            Problem(
                row,
                table.name_of(column - 1),
                "",
                "error",
                f"Cell {coordinate} holds a formula with no saved value (the file was written "
                "by a program that does not calculate formulas). Open it in Excel or "
                "LibreOffice and save it again.",
            )
        )
    for ref in scan.merged:
        first = ref.split(":")[0]
        column, row = _split(first)
        problems.append(
            Problem(
                row,
                table.name_of(column - 1),
                ref,
                "warning",
                f"Cells {ref} are merged: the value is read only in the top-left cell {first}; "
                "the other cells are read as empty. Unmerge them and fill in each cell.",
            )
        )
    return problems


def _split(coordinate: str) -> tuple[int, int]:
    try:
        min_col, min_row, _, _ = range_boundaries(coordinate)
    except (ValueError, TypeError):
        return 0, 0
    return min_col, min_row


def _cell_order(coordinate: str) -> tuple[int, int]:
    column, row = _split(coordinate)
    return row, column


def _column_letter(index: int) -> str:
    return f"column {get_column_letter(index + 1)}"
