"""Read the first visible sheet of an Excel workbook (.xlsx) into a ``RawTable``.

``geo.read.xlsx_scan`` inspects the archive first (zip bombs, which sheet is read, its declared
size); the sheet's XML is then streamed once, cell by cell, and every check is made on the sheet
that is read, in that one pass: the cells that hold a value (their values read by openpyxl's own
cell parser, saved values only), their extent (no value beyond ``MAX_SHEET_ROWS`` rows and
``MAX_SHEET_COLUMNS`` columns, whatever the ``<dimension>`` says), merged ranges and formulas
without a saved value. A row costs the cells it holds: it is never padded to the sheet's width.

Row numbers are the sheet's own row numbers (header = row 1 when the table starts at A1).
Cells become text: dates ``YYYY-MM-DD`` (date-times ``YYYY-MM-DD HH:MM:SS``), integral numbers
without ``.0``, booleans ``TRUE``/``FALSE``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from xml.etree.ElementTree import Element

import openpyxl.worksheet._reader
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries

from geo.budget import check_time
from geo.errors import Problem
from geo.parse import shorten
from geo.read.common import (
    MAX_CELL_CHARS,
    RawTable,
    TableBuilder,
    file_error,
    value_text,
)
from geo.read.xlsx_scan import (
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    RESAVE,
    WORKBOOK,
    XML_ERRORS,
    Book,
    SheetPart,
    check_declared_size,
    first_visible_sheet,
    read_book,
    stream_xml,
    string_text,
)
from geo.read.zip_scan import check_archive, check_directory

#: Most characters of text the cells of a sheet may hold together, about what a 20 MB CSV file
#: holds (shared strings let a long text fill many cells for a few bytes each).
MAX_TEXT_CHARS = 20_000_000
#: Most merged ranges, formulas without a saved value and cells whose value cannot be read a
#: sheet may have (each is a problem to report).
MAX_MERGED = 10_000
MAX_FORMULAS_WITHOUT_VALUE = 1_000
MAX_UNREADABLE = 1_000

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
    OverflowError,
    *XML_ERRORS,
)
_INLINE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}is"
_RANGE = re.compile(r"[A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?")


def read_xlsx(data: bytes, *, max_cell_chars: int = MAX_CELL_CHARS) -> RawTable:
    """Read the first visible worksheet of an .xlsx workbook.

    Parameters
    ----------
    data : bytes
        The whole file.
    max_cell_chars : int
        The longest cell; a longer one is an error Problem.

    Returns
    -------
    RawTable
        ``format="xlsx"``, ``encoding="utf-8"``. Problems name formula cells without a saved
        value (error), values that cannot be read (error) and merged ranges (warning: the
        value is only in the top-left cell).

    Raises
    ------
    geo.errors.InputFileError
        Not an .xlsx workbook, a zip bomb, repeated sheet names, a huge declared sheet, a value
        beyond the rows and columns read, no visible sheet, no header row, or more cells, text,
        merged ranges or formulas without a value than the limits.
    """
    try:
        with _open_zip(data) as archive:
            check_archive(archive, WORKBOOK)
            sheet = first_visible_sheet(archive)
            check_declared_size(archive, sheet)
            reader = _SheetReader(sheet, read_book(archive))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about dates out of range
                cells = stream_xml(archive, sheet.path, ("c",), wrap=False, small=False)
                for start, tag, element in cells:
                    reader.element(start, tag, element)
            table = reader.finish()
    except _BROKEN as exc:
        raise file_error(f"The workbook cannot be read ({exc}). {RESAVE}") from exc
    frame, problems = table.finish(max_cell_chars)
    problems = _scan_problems(reader, table) + problems
    if not table.rows:
        problems.append(Problem(0, "", "", "warning", f"Sheet '{sheet.name}' has no records."))
    count, first = reader.skipped
    if count:
        problems.append(
            Problem(
                0,
                "",
                str(first),
                "warning",
                f"{count:,} row(s) of sheet '{sheet.name}' repeat or go back to an earlier row "
                f"number in the file (the first is numbered {first}); they are not read. Open "
                "the file in Excel or LibreOffice and save it again.",
            )
        )
    return RawTable(frame, sorted(problems, key=lambda p: p.row), "utf-8", "xlsx")


class _SheetReader:
    """One pass over a sheet's XML: rows of cells with a value, merges, formulas, extent.

    Rows are numbered as openpyxl numbers them (``r``, else one more than the last row); a row
    numbered below one already read is not read, as openpyxl skips it, and counted
    (``skipped``: how many such rows held values, and the first one's number).
    """

    def __init__(self, sheet: SheetPart, book: Book) -> None:
        self.sheet = sheet
        self.table: TableBuilder | None = None
        self.formulas_without_value: list[str] = []
        self.unreadable: list[tuple[str, str]] = []
        self.merged: dict[str, None] = {}
        self.skipped: list[int] = [0, 0]
        self._parser = openpyxl.worksheet._reader.WorkSheetParser(
            None,
            book.strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book.date_styles,
            timedelta_formats=book.timedelta_styles,
        )
        self._in_data = False
        self._row = 0  # the current row's number; 0 outside rows
        self._next_row = 1  # rows numbered below this are skipped
        self._cells: dict[int, str] = {}
        self._skipped_values = False
        self._chars = 0

    def element(self, start: bool, tag: str, element: Element) -> None:
        """Take one event of ``xlsx_scan.stream_xml`` (cells come whole, at their end)."""
        if tag == "sheetData":
            self._in_data = start
        elif tag == "row" and self._in_data:
            if start:
                self._start_row(element.get("r"))
            else:
                self._end_row()
        elif tag == "c" and self._row:
            self._cell(element)
        elif tag == "mergeCell" and start:
            ref = element.get("ref", "")
            if _RANGE.fullmatch(ref):
                self.merged[ref.upper()] = None
                if len(self.merged) > MAX_MERGED:
                    raise file_error(
                        f"Sheet '{self.sheet.name}' has more than {MAX_MERGED:,} merged ranges, "
                        "the most this tool reads. Unmerge the cells, fill in each cell and "
                        "save again."
                    )

    def finish(self) -> TableBuilder:
        """Return the table read; refuse a sheet without a header row."""
        if self.table is None:
            raise file_error(
                f"Sheet '{self.sheet.name}' is empty: its first row must name the columns, e.g. "
                "event_id, date, count, place_names, source_url."
            )
        return self.table

    def _start_row(self, number: str | None) -> None:
        if number is None:
            row = self._parser.row_counter + 1
        else:
            try:
                row = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                row = int(value)
        self._parser.row_counter, self._parser.col_counter = row, 0
        self._row = row if row >= self._next_row else -1  # -1: skipped, cells not read
        self._next_row = max(self._next_row, row + 1)
        self._cells = {}
        self._skipped_values = False

    def _end_row(self) -> None:
        check_time()
        if self._row < 0 and self._skipped_values:
            self.skipped[0] += 1
            self.skipped[1] = self.skipped[1] or self._parser.row_counter
        if self._row > 0 and self._cells:
            cells = [""] * max(self._cells)
            for column, text in self._cells.items():
                cells[column - 1] = text
            self._add(self._row, cells)
        self._row = 0

    def _cell(self, element: Element) -> None:
        try:
            value, column = self._value(element)
        except (ValueError, OverflowError, IndexError) as exc:
            column = self._column_of(element)  # a malformed reference: the whole file
            self._parser.col_counter = column
            if self._row > 0:
                self.unreadable.append((self._coordinate(column), str(exc)))
            if len(self.unreadable) > MAX_UNREADABLE:
                raise file_error(
                    f"Sheet '{self.sheet.name}' has more than {MAX_UNREADABLE:,} cells whose value "
                    f"cannot be read (e.g. {self._coordinate(column)}: {shorten(str(exc), 80)}). "
                    f"{RESAVE}"
                ) from exc
            value = None
        if self._formula_without_value(element):
            self.formulas_without_value.append(self._coordinate(column))
            if len(self.formulas_without_value) > MAX_FORMULAS_WITHOUT_VALUE:
                raise file_error(
                    f"Sheet '{self.sheet.name}' has more than {MAX_FORMULAS_WITHOUT_VALUE:,} "
                    "formulas with no saved value (the file was written by a program that does "
                    "not calculate formulas). Open it in Excel or LibreOffice and save it again."
                )
        if value is None or value == "":
            return
        if self._row < 0:
            self._skipped_values = True
            return
        if column > MAX_SHEET_COLUMNS or self._row > MAX_SHEET_ROWS:
            coordinate = self._coordinate(column)
            raise file_error(
                f"Sheet '{self.sheet.name}' has a value in cell {coordinate}, outside the "
                f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns (A to "
                f"{get_column_letter(MAX_SHEET_COLUMNS)}) this tool reads. Delete what is "
                "beyond them (or copy the data to a new workbook) and save again.",
                coordinate,
            )
        text = cell_text(value)
        self._chars += len(text)
        if self._chars > MAX_TEXT_CHARS:
            raise file_error(
                f"Sheet '{self.sheet.name}' holds more than {MAX_TEXT_CHARS:,} characters of "
                "text in its cells (a text repeated in many cells counts each time), the most "
                "this tool reads. Split it into smaller files."
            )
        self._cells[column] = text

    def _value(self, element: Element) -> tuple[object, int]:
        """Return a cell's value, read as openpyxl reads it (plain inline text directly)."""
        if element.get("t") == "inlineStr":
            column = self._column_of(element)
            self._parser.col_counter = column
            text = next((child for child in element if child.tag == _INLINE), None)
            return (None if text is None else string_text(text)), column
        cell = self._parser.parse_cell(element)
        return cell["value"], cell["column"]

    def _column_of(self, element: Element) -> int:
        ref = element.get("r")
        return coordinate_to_tuple(ref)[1] if ref else self._parser.col_counter + 1

    def _coordinate(self, column: int) -> str:
        row = self._row if self._row > 0 else self._parser.row_counter
        return f"{get_column_letter(column)}{row}"

    def _add(self, number: int, cells: list[str]) -> None:
        if self.table is not None:
            self.table.add(number, cells)
        elif any(cell.strip() for cell in cells):
            while cells and not cells[-1].strip():
                cells.pop()
            self.table = TableBuilder(cells, label=_column_letter, header_row=number)

    @staticmethod
    def _formula_without_value(element: Element) -> bool:
        """Tell whether a cell holds a formula with no saved value (a string result may be '')."""
        children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
        if "f" not in children:
            return False
        value = children.get("v")
        return value is None or (not value.text and element.get("t") != "str")


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
    check_directory(data, WORKBOOK)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise file_error(f"The file is not an Excel workbook (.xlsx). {RESAVE}") from exc


def _cell_problem(coordinate: str, table: TableBuilder, message: str) -> Problem:
    """Return the error about one cell, at its row and under its column's header."""
    column, row = _split(coordinate)
    return Problem(row, table.name_of(column - 1), "", "error", message)


def _scan_problems(scan: _SheetReader, table: TableBuilder) -> list[Problem]:
    problems = [
        _cell_problem(
            coordinate,
            table,
            f"Cell {coordinate} holds a value that cannot be read ({shorten(reason, 120)}). "
            "Correct it in Excel or LibreOffice and save the file again.",
        )
        for coordinate, reason in scan.unreadable
    ]
    problems += [
        _cell_problem(
            coordinate,
            table,
            f"Cell {coordinate} holds a formula with no saved value (the file was written "
            "by a program that does not calculate formulas). Open it in Excel or "
            "LibreOffice and save it again.",
        )
        for coordinate in sorted(set(scan.formulas_without_value), key=_cell_order)
    ]
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
