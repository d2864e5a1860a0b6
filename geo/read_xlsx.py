"""Read the first visible sheet of an Excel workbook (.xlsx) into a ``RawTable``.

Before openpyxl parses anything the archive is inspected: a zip bomb (absurd uncompressed size
or compression ratio) or a sheet declaring a huge used range is refused, the latter by reading
only the start of the sheet's XML. One streaming pass over the sheet's XML then finds formulas
without a saved value and merged ranges; openpyxl (read-only, saved values) reads the cells.

Row numbers are the sheet's own row numbers (header = row 1 when the table starts at A1).
Cells become text: dates ``YYYY-MM-DD`` (date-times ``YYYY-MM-DD HH:MM:SS``), integral numbers
without ``.0``, booleans ``TRUE``/``FALSE``.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.utils import get_column_letter, range_boundaries

from geo.errors import Problem
from geo.read_common import MAX_CELL_CHARS, MAX_ROWS, RawTable, Table, file_error

#: Most bytes the archive may unpack to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: Highest compression ratio accepted for a member bigger than ``BIG_MEMBER_BYTES``.
MAX_RATIO = 100
BIG_MEMBER_BYTES = 1024 * 1024
#: Largest used range a sheet may declare in its ``<dimension>``.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = 200

RESAVE = "Open it in Excel or LibreOffice and save it again as .xlsx, or save it as CSV UTF-8."
_XML_ERRORS = (ParseError, DefusedXmlException, ValueError)
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
    *_XML_ERRORS,
)


@dataclass
class SheetScan:
    """What the streaming pass over a sheet's XML found."""

    formulas_without_value: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)


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
            with archive.open(path) as stream:
                scan = scan_sheet(stream, name)
        table = _read_cells(data, name, max_rows)
    except _BROKEN as exc:
        raise file_error(f"The workbook cannot be read ({exc}). {RESAVE}") from exc
    frame, problems = table.finish(max_cell_chars)
    problems = _scan_problems(scan, table) + problems
    if not table.rows:
        problems.append(Problem(0, "", "", "warning", f"Sheet '{name}' has no records."))
    return RawTable(frame, sorted(problems, key=lambda p: p.row), "utf-8", "xlsx")


def _read_cells(data: bytes, name: str, max_rows: int) -> Table:
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


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb: too many bytes once unpacked, or an absurd compression ratio."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BIG_MEMBER_BYTES and ratio > MAX_RATIO:
            raise file_error(
                f"The workbook part {member.filename} unpacks {ratio:,.0f} times larger than it "
                f"is stored (at most {MAX_RATIO} is accepted): the file looks malformed or "
                f"malicious. {RESAVE}",
                member.filename,
            )
    if total > MAX_UNZIPPED_BYTES:
        raise file_error(
            f"The workbook unpacks to {total / 2**20:,.0f} MB; at most "
            f"{MAX_UNZIPPED_BYTES // 2**20} MB is accepted. Split it or save it as CSV UTF-8."
        )


def first_visible_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """Return the name and archive path of the first worksheet that is not hidden."""
    package_rels = _xml(archive, "_rels/.rels")
    book_path = next(
        (
            rel.get("Target", "").lstrip("/")
            for rel in _children(package_rels, "Relationship")
            if rel.get("Type", "").endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    book = _xml(archive, book_path)
    folder, book_file = posixpath.split(book_path)
    rels = _xml(archive, posixpath.join(folder, "_rels", book_file + ".rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in _children(rels, "Relationship")
        if rel.get("Type", "").endswith("/worksheet")
    }
    for sheet in _children(book, "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if sheet.get("state", "visible") == "visible" and rel_id in targets:
            target = targets[rel_id]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            return sheet.get("name", ""), posixpath.normpath(path)
    raise file_error(f"The workbook has no visible worksheet. {RESAVE}")


def scan_sheet(stream: IO[bytes], name: str) -> SheetScan:
    """Stream a sheet's XML: check its declared size, find value-less formulas and merges.

    Raises ``InputFileError`` as soon as the ``<dimension>`` (at the start of the sheet)
    declares more than ``MAX_SHEET_ROWS`` rows or ``MAX_SHEET_COLUMNS`` columns.
    """
    scan = SheetScan()
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "dimension":
                    _check_dimension(element.get("ref", ""), name)
                continue
            if tag == "c":
                formula = _child(element, "f")
                value = _child(element, "v")
                if formula is not None and (
                    value is None or (not value.text and element.get("t") != "str")
                ):
                    scan.formulas_without_value.add(element.get("r", ""))
                element.clear()
            elif tag == "row":
                element.clear()
            elif tag == "mergeCell":
                scan.merged.append(element.get("ref", ""))
    except _XML_ERRORS as exc:
        raise file_error(f"Sheet '{name}' is not valid XML ({exc}). {RESAVE}") from exc
    return scan


def cell_text(value: object) -> str:
    """Return a cell value as the text a person sees ('' for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
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


def _xml(archive: zipfile.ZipFile, path: str) -> Element:
    try:
        return fromstring(archive.read(path))
    except KeyError as exc:
        raise file_error(f"The file is not an Excel workbook (no {path}). {RESAVE}") from exc
    except (zipfile.BadZipFile, *_XML_ERRORS) as exc:
        raise file_error(f"The workbook part {path} cannot be read ({exc}). {RESAVE}") from exc


def _check_dimension(ref: str, name: str) -> None:
    try:
        _, _, max_col, max_row = range_boundaries(ref.split(":")[-1])
    except (ValueError, TypeError):
        return  # no usable declaration: the rows read are limited anyway
    if max_row > MAX_SHEET_ROWS or max_col > MAX_SHEET_COLUMNS:
        raise file_error(
            f"Sheet '{name}' declares a used range of {ref} ({max_row:,} rows, {max_col:,} "
            f"columns); at most {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns are "
            "read. Delete the unused rows and columns after your data (or copy the data to a "
            "new workbook) and save again.",
            ref,
        )


def _collect(rows: Iterable[tuple], name: str, max_rows: int) -> Table:
    table: Table | None = None
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(v) for v in values]
        if table is None:
            if any(cell.strip() for cell in cells):
                while cells and not cells[-1].strip():
                    cells.pop()
                table = Table(cells, max_rows, label=_column_letter)
            continue
        table.add(number, cells)
    if table is None:
        raise file_error(
            f"Sheet '{name}' is empty: its first row must name the columns, e.g. "
            "event_id, date, count, place_names, source_url."
        )
    return table


def _scan_problems(scan: SheetScan, table: Table) -> list[Problem]:
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, tag: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child.tag) == tag)


def _child(element: Element, tag: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == tag), None)
