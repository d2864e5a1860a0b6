"""Read the first visible sheet of an Excel workbook (.xlsx) into a ``RawTable``.

``geo.read.xlsx_scan`` inspects the archive first (zip bombs, which sheet is read, its declared
size) and puts the sheet's XML in its plain form (most sheets already are). Regular
expressions over that XML then refuse, before any value is read, what python-calamine could be
made to spend on: values beyond ``MAX_SHEET_ROWS`` rows and ``MAX_SHEET_COLUMNS`` columns
(whatever the ``<dimension>`` says), a used range of more than ``MAX_RANGE_CELLS`` cells
(calamine keeps every cell of it, empty or not), shared strings repeated into more text than
``MAX_TEXT_CHARS``. Only then does python-calamine read the values (saved values only), from a
workbook holding just that sheet's XML, its shared strings and styles: the bytes it reads are
the bytes checked. While it reads (it does not hold the GIL), other regular expressions find
what it does not tell: merged ranges, formulas without a saved value, error values (``#N/A``)
and numbers it reads otherwise than openpyxl did (or that cannot be read). Rows are then
converted a few hundred at a time, column by column.

Row numbers are the sheet's own row numbers (header = row 1 when the table starts at A1).
Cells become text: dates ``YYYY-MM-DD`` (date-times ``YYYY-MM-DD HH:MM:SS``), integral numbers
without ``.0``, booleans ``TRUE``/``FALSE``, error values as written (``#N/A``).

A date is read at the precision its cell shows, which calamine does not tell: a cell whose
number format shows no day (``yyyy-mm``, ``mmm-yy``, ``yyyy``: Excel makes a typed
``2023-10`` or ``Oct 2023`` such a cell) is the month ``2023-10`` or the year ``2024``. The
styles saying so are found in the styles part (``xlsx_scan.day_less_styles``), and only when
there are any is the sheet scanned for the cells that have them. In a column read as a date
(``date``, ``date_start``, ``date_end``, ``source_published`` or one of their names) a
date-time is read as its day, and a warning on its row names the date and time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from geo.budget import check_time
from geo.errors import Problem
from geo.parse import shorten
from geo.read.columns import schema_column
from geo.read.common import (
    MAX_CELL_CHARS,
    RawTable,
    TableBuilder,
    file_error,
    pack,
    value_text,
)
from geo.read.xlsx_scan import (
    MAIN,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    RESAVE,
    WORKBOOK,
    XML_ERRORS,
    BookParts,
    SheetPart,
    book_parts,
    cell_position,
    check_declared_size,
    column_letters,
    column_number,
    day_less_styles,
    far_cells,
    first_visible_sheet,
    plain_sheet,
    plain_strings,
    read_part,
    string_spans,
)
from geo.read.zip_scan import check_archive, check_directory

#: Most characters of text the cells of a sheet may hold together, about what a 20 MB CSV file
#: holds (shared strings let a long text fill many cells for a few bytes each).
MAX_TEXT_CHARS = 20_000_000
#: Most cells from A1 to a sheet's last value (rows × columns, empty ones too): calamine holds
#: each in some 32 bytes. Twice the most cells a table may hold (``common.MAX_CELLS``).
MAX_RANGE_CELLS = 10_000_000
#: Most merged ranges, formulas without a saved value and cells whose value cannot be read a
#: sheet may have (each is a problem to report).
MAX_MERGED = 10_000
MAX_FORMULAS_WITHOUT_VALUE = 1_000
MAX_UNREADABLE = 1_000
#: Rows taken from calamine at a time: few enough that the lists calamine makes for them are
#: freed before Python's garbage collector moves them to its oldest generation (which would
#: make it scan every object of the process, some 50 ms).
BATCH_ROWS = 256

# What a damaged workbook makes zipfile, zlib or calamine raise (encrypted members raise
# RuntimeError, unknown compression methods NotImplementedError).
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    RuntimeError,
    NotImplementedError,
    OverflowError,
    CalamineError,
    *XML_ERRORS,
)
_DATES = (dt.date, dt.time, dt.timedelta)
_EXACT = 2.0**53  # whole numbers below this are written without ".0"
#: The columns whose date-times are read as their day (each holds one date).
_DATE_COLUMNS = frozenset({"date", "date_start", "date_end", "source_published"})
_RANGE = re.compile(r"[A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?")

# Regular expressions over a sheet in the plain form (``xlsx_scan``): every cell tag is
# ``<c r="A1" ...>``, so a cell's tag is the last ``<c `` before anything inside it.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"([^>]*)>')
_TYPE = re.compile(rb' t="([^"]*)"')
_VALUE = re.compile(rb"<(?:v|t)(?:\s[^>]*)?>[^<]")  # a value or inline text, not empty
_NONEMPTY = re.compile(rb"<(?:v|is)[\s>]")  # what calamine may read as a value
_TWO_LETTERS = re.compile(rb'<c r="[A-Z]{2}')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]+"[^>]*(?<!/)>')
# a formula without a saved value (what follows it is no <v> holding text)
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)(?!\s*<v(?:\s[^>]*)?>[^<])")
# a <v> that is not a number calamine and openpyxl read alike (a shared string's index is one)
_NUMBER = (  # possessive: nothing to try again, and faster
    rb"[-+]?+(?:[0-9]{1,15}+|(?:[0-9]++\.[0-9]*+|\.[0-9]++)(?:[eE][-+]?+[0-9]++)?+"
    rb"|[0-9]++[eE][-+]?+[0-9]++)"
)
_ODD_VALUE = re.compile(rb"<v(?:\s[^>]*+)?+>(?!" + _NUMBER + rb"</v>)([^<]*+)")
_INTEGER_VALUE = re.compile(rb"<v(?:\s[^>]*)?>\s*\+?([0-9]+)")
_MERGE = re.compile(rb'<mergeCell\s[^>]*?ref="([^"]*)"')
_WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships">{}<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


@dataclass
class _Scan:
    """What the scan of a sheet found (coordinates like ``B2``)."""

    merged: dict[str, None] = field(default_factory=dict)
    formulas_without_value: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: (row, column) -> the text of a cell, instead of calamine's reading of it
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    skipped: tuple[int, int] = (0, 0)
    #: (row, column, 'month' or 'year') of the cells whose style shows a date without a day
    shown: list[tuple[int, int, str]] = field(default_factory=list)
    #: (row, column, date and time) of the date-times of date columns, read as their day
    timed: list[tuple[int, int, str]] = field(default_factory=list)


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
        beyond the rows and columns read, a used range of too many cells, no visible sheet, no
        header row, or more cells, text, merged ranges or formulas without a value than the
        limits.
    """
    try:
        with _open_zip(data) as archive:
            check_archive(archive, WORKBOOK)
            sheet = first_visible_sheet(archive)
            check_declared_size(archive, sheet)
            xml, scan = _sheet_xml(archive, sheet)
            parts = book_parts(archive)
            book, count_text = _calamine_book(archive, sheet, xml, parts)
            styles = day_less_styles(archive, parts.styles)
        with ThreadPoolExecutor(1) as pool:  # calamine reads without the GIL while ...
            values = pool.submit(_calamine_sheet, book)
            _scan_cells(xml, sheet.name, scan)  # ... the cells are scanned
            if styles:
                _scan_styles(xml, styles, scan)
            del xml, book
            table = _read_values(values.result(), sheet, scan, count_text)
    except _BROKEN as exc:
        raise file_error(
            f"The workbook cannot be read ({shorten(str(exc), 200)}). {RESAVE}"
        ) from exc
    frame, problems = table.finish(max_cell_chars)
    problems = _scan_problems(scan, table) + problems
    if not table.records:
        problems.append(Problem(0, "", "", "warning", f"Sheet '{sheet.name}' has no records."))
    count, first = scan.skipped
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


def _sheet_xml(archive: zipfile.ZipFile, sheet: SheetPart) -> tuple[bytes, _Scan]:
    """Return the sheet's XML in the plain form, its extent checked (``_check_extent``)."""
    xml = archive.read(sheet.path)
    far = far_cells(xml)
    scan = _Scan()
    if far is None:
        del xml
        xml, skipped, first = plain_sheet(archive, sheet)
        far, scan.skipped = far_cells(xml), (skipped, first)
        if far is None:  # cannot happen: plain_sheet writes the plain form
            raise ValueError("the sheet cannot be written plainly")
    _check_extent(xml, *far, sheet.name)
    return xml, scan


def _scan_cells(xml: bytes, name: str, scan: _Scan) -> None:
    """Collect what calamine does not tell: formulas without value, odd values, merges."""
    for found in _FORMULA.finditer(xml):
        cell = _cell_at(xml, found.start())
        rest = xml[found.end() : xml.find(b"</c>", found.end())]
        if cell is None or (cell[2] == b"str" and b"<v" in rest):
            continue  # a formula whose result is an empty string has its value
        scan.formulas_without_value.append(column_letters(cell[1]) + str(cell[0]))
        if len(scan.formulas_without_value) > MAX_FORMULAS_WITHOUT_VALUE:
            raise file_error(
                f"Sheet '{name}' has more than {MAX_FORMULAS_WITHOUT_VALUE:,} formulas with no "
                "saved value (the file was written by a program that does not calculate "
                "formulas). Open it in Excel or LibreOffice and save it again."
            )
    for found in _ODD_VALUE.finditer(xml):
        cell = _cell_at(xml, found.start())
        if cell is not None and found[1]:
            _odd_value(cell, html.unescape(found[1].decode("utf-8", "replace")), name, scan)
    tail = max(xml.rfind(b"</sheetData>"), 0)
    for found in _MERGE.finditer(xml, tail):
        ref = found[1].decode("utf-8", "replace")
        if _RANGE.fullmatch(ref):
            scan.merged[ref.upper()] = None
            if len(scan.merged) > MAX_MERGED:
                raise file_error(
                    f"Sheet '{name}' has more than {MAX_MERGED:,} merged ranges, the most this "
                    "tool reads. Unmerge the cells, fill in each cell and save again."
                )


def _scan_styles(xml: bytes, styles: dict[int, str], scan: _Scan) -> None:
    """Collect the cells whose style shows a date without a day (``day_less_styles``)."""
    numbers = b"|".join(str(style).encode() for style in sorted(styles))
    if len(styles) > 32:  # one pattern for any style, rather than a long alternation
        numbers = b"[0-9]+"
    for found in re.finditer(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + numbers + rb')"', xml):
        shown = styles.get(int(found[3]))
        if shown is not None:
            scan.shown.append((int(found[2]), column_number(found[1].decode()), shown))
    scan.shown.sort()


def _check_extent(xml: bytes, rows: int, far: list[int], name: str) -> None:
    """Refuse a value beyond the rows and columns read, or a used range of too many cells.

    ``rows`` is the last row's number and ``far`` where the cells numbered beyond it or right
    of ``MAX_SHEET_COLUMNS`` are (``xlsx_scan.far_cells``): each is looked at. Then the used
    range is at most that many rows × ``MAX_SHEET_COLUMNS`` columns (or 26 when no reference
    has two letters; its columns counted when that bound passes ``MAX_RANGE_CELLS``).
    """
    columns = MAX_SHEET_COLUMNS
    for start in far:
        body = _cell_body(xml, start)
        if _NONEMPTY.search(body) is None:
            continue  # no value: calamine does not read it
        cell = _CELL.match(xml, start)
        assert cell is not None  # the plain form
        column, row = column_number(cell[1].decode()), int(cell[2])
        if (column > MAX_SHEET_COLUMNS or row > MAX_SHEET_ROWS) and _VALUE.search(body):
            coordinate = column_letters(column) + str(row)
            raise file_error(
                f"Sheet '{name}' has a value in cell {coordinate}, outside the "
                f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns (A to "
                f"{column_letters(MAX_SHEET_COLUMNS)}) this tool reads. Delete what is beyond "
                "them (or copy the data to a new workbook) and save again.",
                coordinate,
            )
        rows, columns = max(rows, row), max(columns, column)
    if rows * columns > MAX_RANGE_CELLS and columns == MAX_SHEET_COLUMNS:
        if _TWO_LETTERS.search(xml) is None:  # every cell in columns A to Z
            columns = 26
    if rows * columns > MAX_RANGE_CELLS:
        letters = set(_CELL_COLUMN.findall(xml))
        columns = max(map(column_number, map(bytes.decode, letters)), default=0)
    if rows * columns > MAX_RANGE_CELLS:
        raise file_error(
            f"Sheet '{name}' has cells as far as row {rows:,} and column "
            f"{column_letters(columns)}: {rows * columns:,} cells from A1, counting the empty "
            f"ones; at most {MAX_RANGE_CELLS:,} are read. Delete the rows and columns you do "
            "not need (or copy the data to a new workbook) and save again."
        )


def _cell_at(xml: bytes, position: int) -> tuple[int, int, bytes] | None:
    """Return the row, column and type (``t``) of the cell holding ``position``, or None."""
    start = xml.rfind(b"<c ", 0, position)
    found = _CELL.match(xml, start) if start >= 0 else None
    if found is None or xml.find(b"</c>", start, position) >= 0:
        return None
    types = _TYPE.findall(found[3])
    return int(found[2]), column_number(found[1].decode()), types[-1] if types else b"n"


def _cell_body(xml: bytes, start: int) -> bytes:
    """Return what the cell whose tag starts at ``start`` holds (b'' for ``<c .../>``)."""
    end = xml.index(b">", start)
    if xml[end - 1 : end] == b"/":
        return b""
    return xml[end + 1 : xml.find(b"</c>", end)]


def _odd_value(cell: tuple[int, int, bytes], text: str, name: str, scan: _Scan) -> None:
    """Read a value calamine would read otherwise than openpyxl, or that cannot be read.

    Numbers as openpyxl casts them (``int``, or ``float`` with a point or an exponent),
    booleans as ``bool(int(text))``, error values as their text; an unreadable value is an
    error of its cell and reads as empty.
    """
    row, column, kind = cell
    try:
        if kind == b"e":
            value: object = text
        elif kind == b"b":
            value = bool(int(text))
        elif kind == b"s":
            int(text)
            return  # an index with spaces: calamine reads it
        elif kind == b"n":
            value = float(text) if any(c in text for c in ".Ee") else int(text)
        else:
            return  # text, a date or inline text: calamine reads it
    except (ValueError, OverflowError) as exc:
        coordinate = column_letters(column) + str(row)
        scan.unreadable.append((coordinate, str(exc)))
        if len(scan.unreadable) > MAX_UNREADABLE:
            raise file_error(
                f"Sheet '{name}' has more than {MAX_UNREADABLE:,} cells whose value cannot be "
                f"read (e.g. {coordinate}: {shorten(str(exc), 80)}). {RESAVE}"
            ) from exc
        value = None
    scan.texts[row, column] = cell_text(value)


def _calamine_book(
    archive: zipfile.ZipFile, sheet: SheetPart, xml: bytes, parts: BookParts
) -> tuple[io.BytesIO, bool]:
    """Return a workbook of the sheet's plain XML, the shared strings and the styles alone.

    Refuses shared strings that could fill the cells with more than ``MAX_TEXT_CHARS``
    characters (a character takes one to four bytes: refused when the strings the cells name
    take four times as many bytes; the text read is counted exactly unless the XML and the
    strings the cells name are too small to hold more: the second value returned says).
    """
    strings = b"" if parts.strings is None else read_part(archive, parts.strings, small=False)
    spans = string_spans(strings) if strings else []
    if spans is None:
        strings = plain_strings(archive, parts.strings or "")
        spans = string_spans(strings) or []
    # each value (<v>, at least 7 bytes) may name the longest string; else count them
    shared = len(xml) // 7 * max(spans) if spans else 0
    if shared > 4 * MAX_TEXT_CHARS:
        shared = xml.count(b"<v") * max(spans)
    if shared > 4 * MAX_TEXT_CHARS:
        indexes = map(int, _INTEGER_VALUE.findall(xml))
        shared = sum(spans[i] for i in indexes if i < len(spans))
        if shared > 4 * MAX_TEXT_CHARS:
            raise _too_much_text(sheet.name)
    styles = b"" if parts.styles is None else read_part(archive, parts.styles)
    relationships = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as book:
        book.writestr("xl/worksheets/sheet1.xml", xml)
        for kind, path, content in (("sharedStrings", "sharedStrings.xml", strings),
                                    ("styles", "styles.xml", styles)):  # fmt: skip
            if content:
                book.writestr(f"xl/{path}", content)
                relationships.append((f"rId{len(relationships) + 1}", kind, path))
        pr = '<workbookPr date1904="1"/>' if parts.date1904 else ""
        book.writestr("xl/workbook.xml", _WORKBOOK.format(pr))
        book.writestr("xl/_rels/workbook.xml.rels", _relationships(relationships))
        book.writestr(
            "_rels/.rels", _relationships([("rId1", "officeDocument", "xl/workbook.xml")])
        )
    # a cell's text is shorter than its XML (<c r="A1" s="1"><v>1.5</v></c> is 1900-01-01
    # 12:00:00), unless it names a shared string
    out.seek(0)
    return out, len(xml) + shared > MAX_TEXT_CHARS


def _relationships(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{_RELS}{kind}" Target="{target}"/>'
        for rid, kind, target in entries
    )
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    return f'<Relationships xmlns="{ns}">{items}</Relationships>'


def _calamine_sheet(book: io.BytesIO) -> CalamineSheet:
    return CalamineWorkbook.from_filelike(book).get_sheet_by_index(0)


def _read_values(
    values: CalamineSheet, sheet: SheetPart, scan: _Scan, count_text: bool
) -> TableBuilder:
    """Take calamine's values ``BATCH_ROWS`` rows at a time into a table of text."""
    table: TableBuilder | None = None
    chars = 0
    start = values.start
    offset = start[1] if start else 0  # calamine's rows start at this column
    texts = sorted(scan.texts.items())
    rows: Iterator[Sequence[object]] = iter(values.iter_rows()) if start else iter(())
    dates: list[int] = []  # the date columns (0 is A)
    for first in itertools.count(1, BATCH_ROWS):
        chunk = list(itertools.islice(rows, BATCH_ROWS))
        if not chunk:
            break
        check_time()
        columns: list[Sequence[object]] = list(zip(*chunk, strict=False))  # as wide
        _replace(columns, texts, first, first + len(chunk), offset)
        _show(columns, scan.shown, first, first + len(chunk), offset)
        cells = [("",) * len(chunk)] * offset + [_texts(column) for column in columns]
        numbers = range(first, first + len(chunk))
        skip = 0
        if table is None:
            table, skip, dates = _header(cells, numbers)
        if dates:
            _days(columns, cells, dates, offset, numbers, skip, scan.timed)
        if count_text:
            chars += sum(sum(map(len, column)) for column in cells)
            if chars > MAX_TEXT_CHARS:
                raise _too_much_text(sheet.name)
        if skip:
            cells, numbers = [column[skip:] for column in cells], numbers[skip:]
        if table is not None:
            table.add_columns(np.asarray(numbers, dtype=np.int64), [pack(c) for c in cells])
    if table is None:
        raise file_error(
            f"Sheet '{sheet.name}' is empty: its first row must name the columns, e.g. "
            "event_id, date, count, place_names, source_url."
        )
    return table


def _replace(
    columns: list[Sequence[object]],
    texts: list[tuple[tuple[int, int], str]],
    first: int,
    end: int,
    offset: int,
) -> None:
    """Put the scan's texts of rows ``first`` to ``end - 1`` in place of calamine's values.

    Not in place of dates: a number in a date format is a date.
    """
    for (row, column), text in texts[bisect.bisect_left(texts, ((first, 0), "")) :]:
        if row >= end:
            break
        index = column - 1 - offset
        if 0 <= index < len(columns) and not isinstance(columns[index][row - first], _DATES):
            columns[index] = cells = list(columns[index])
            cells[row - first] = text


def _show(
    columns: list[Sequence[object]],
    shown: list[tuple[int, int, str]],
    first: int,
    end: int,
    offset: int,
) -> None:
    """Put the month or year in place of the dates whose cells show no day (``_Scan.shown``)."""
    for row, column, precision in shown[bisect.bisect_left(shown, (first,)) :]:
        if row >= end:
            break
        index = column - 1 - offset
        if 0 <= index < len(columns):
            value = columns[index][row - first]
            if isinstance(value, dt.date):
                if not isinstance(columns[index], list):
                    columns[index] = list(columns[index])
                cells = columns[index]
                assert isinstance(cells, list)
                text = f"{value.year:04d}" if precision == "year" else f"{value:%Y-%m}"
                cells[row - first] = text


def _days(
    columns: list[Sequence[object]],
    cells: list[Sequence[str]],
    dates: list[int],
    offset: int,
    numbers: range,
    since: int,
    timed: list[tuple[int, int, str]],
) -> None:
    """Read the date-times of the date columns as their day, from row ``numbers[since]`` on.

    Each is recorded in ``timed`` (row, column, the date and time), for a warning.
    """
    for column in dates:
        index = column - offset
        if not 0 <= index < len(columns) or dt.datetime not in set(map(type, columns[index])):
            continue
        values, texts = columns[index], list(cells[column])
        for i in range(since, len(values)):
            value = values[i]
            if type(value) is dt.datetime and value.time() != dt.time():
                texts[i] = value.date().isoformat()
                timed.append((numbers[i], column + 1, cell_text(value)))
        cells[column] = texts


def _texts(values: Sequence[Any]) -> Sequence[str]:
    """Return one column's values as text (``cell_text``, faster for the usual columns)."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return values
    if kinds <= {str, float}:  # numbers, and '' for empty cells
        return [
            value if type(value) is str
            else str(int(value)) if value.is_integer() and -_EXACT < value < _EXACT
            else repr(value)
            for value in values
        ]  # fmt: skip
    if kinds <= {str, dt.date}:
        return [value if type(value) is str else value.isoformat() for value in values]
    return [value if type(value) is str else cell_text(value) for value in values]


def _header(
    columns: list[Sequence[str]], numbers: range
) -> tuple[TableBuilder | None, int, list[int]]:
    """Return the table named by the first row with a value, how many rows it ends.

    And its date columns (``_DATE_COLUMNS``, or one of their names), 0 for column A.
    """
    for position, cells in enumerate(zip(*columns, strict=True)):
        if any(cell.strip() for cell in cells):
            header = list(cells)
            while header and not header[-1].strip():
                header.pop()
            table = TableBuilder(header, label=_column_letter, header_row=numbers[position])
            dates = [i for i, name in enumerate(header) if schema_column(name) in _DATE_COLUMNS]
            return table, position + 1, dates
    return None, len(numbers), []


def cell_text(value: object) -> str:
    """Return a cell value as the text a person sees ('' for an empty cell)."""
    return value_text(value, true="TRUE", false="FALSE", other=_date_or_str)


def _date_or_str(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _too_much_text(name: str) -> Exception:
    return file_error(
        f"Sheet '{name}' holds more than {MAX_TEXT_CHARS:,} characters of text in its cells (a "
        "text repeated in many cells counts each time), the most this tool reads. Split it "
        "into smaller files."
    )


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


def _scan_problems(scan: _Scan, table: TableBuilder) -> list[Problem]:
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
    for row, column, text in scan.timed:
        coordinate, day = column_letters(column) + str(row), text.split(" ")[0]
        problems.append(
            Problem(
                row,
                table.name_of(column - 1),
                text,
                "warning",
                f"Cell {coordinate} holds the date and time {text}: it is read as the day {day}, "
                "without its time of day.",
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
        return cell_position(coordinate.split(":")[0])
    except ValueError:
        return 0, 0


def _cell_order(coordinate: str) -> tuple[int, int]:
    column, row = _split(coordinate)
    return row, column


def _column_letter(index: int) -> str:
    return f"column {column_letters(index + 1)}"
