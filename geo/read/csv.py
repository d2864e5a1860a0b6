"""Read delimited text (CSV, TSV, semicolon-separated) into a ``RawTable``.

Row numbers count **records**, not physical lines: the header is row 1 and the first record
row 2 (in GDELT's raw files, which have no header by design, the first record is row 1), and a
quoted cell spanning several lines is still one row — so the numbers match the row numbers a
spreadsheet shows for the same file. Blank records count too but are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice

import numpy as np
import pyarrow as pa
import pyarrow.compute as arrow_compute
import pyarrow.csv as arrow_csv

from geo.errors import Problem
from geo.read.common import (
    MAX_CELL_CHARS,
    RawTable,
    TableBuilder,
    file_error,
)
from geo.read.headerless import known_header

DELIMITERS = ",;\t"
_SEP_LINE = re.compile("sep=([,;\t])\r?\n")
_SNIFF_LINES = 50
_SNIFF_CHARS = 64 * 1024
#: Characters given to ``csv.Sniffer``, whose quote guessing takes time growing with the square
#: of its sample (64 KB of ``,"`` took 27 s; 8 KB takes under half a second).
_SNIFFER_CHARS = 8 * 1024


def read_csv(data: bytes, encoding: str, *, max_cell_chars: int = MAX_CELL_CHARS) -> RawTable:
    """Read delimited text, the delimiter sniffed among comma, semicolon and tab.

    Every cell stays text exactly as written ('N/A', 'null', '007' included). Short records
    are padded with '' (a warning names the row); a record with more fields than the header is
    an error naming the row, except when *every* record has one extra empty trailing field
    (a trailing delimiter), which is tolerated with one warning. An Excel ``sep=;`` first line
    sets the delimiter and is not a row (Excel does not show it either).

    Parameters
    ----------
    data : bytes
        The whole file.
    encoding : str
        The codec to decode it with (see ``geo.read.encoding.detect_encoding``).
    max_cell_chars : int
        The longest cell; a longer one is an error Problem.

    Returns
    -------
    RawTable
        ``format="csv"``.

    Raises
    ------
    geo.errors.InputFileError
        Empty file, undecodable quoting, more than ``MAX_COLUMNS`` named columns or more cells
        than the file has bytes (and ``MAX_CELLS``).
    """
    head = _head(data, encoding)
    declared = _SEP_LINE.match(head)
    delimiter = declared.group(1) if declared else sniff_delimiter(head)
    lines = _QuoteCounter(_text(data, encoding))
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=False)
    records = _numbered(reader, first=0 if declared else 1)
    if declared:
        next(records)  # Excel's "sep=;" line, which Excel does not show as a row
    _, header = next(records, (1, []))
    if not any(cell.strip() for cell in header):
        raise file_error(
            "The file is empty or its first row is blank: the first row must name the "
            "columns, e.g. event_id,date,count,place_names,source_url."
        )
    supplied = known_header(header)
    if supplied:  # the first line is a record: GDELT's raw files have no header
        records = chain([(1, header)], records)
        header = list(supplied.columns)
    table = TableBuilder(header, file_bytes=len(data))
    skip = 1 + bool(declared) - bool(supplied)
    columns = (
        None if _multiline(header) else _arrow_columns(data, encoding, delimiter, len(header), skip)
    )
    if columns is None:
        overlong = _fill(table, records, len(header), lines)
    else:
        first = 1 if supplied else 2
        table.add_columns(np.arange(first, first + len(columns[0]), dtype=np.int64), columns)
        del columns  # the table holds them now, and lets each go once it is one array
        overlong = []
    frame, problems = table.finish(max_cell_chars)
    problems = overlong + problems
    if supplied:
        problems.append(
            Problem(
                0,
                "",
                supplied.name,
                "warning",
                f"the file has no header row; its {len(header)} columns and first values are "
                f"those of {supplied.name}, so the columns are read in the order of its "
                "codebook and the first line is row 1",
            )
        )
    if not table.records:
        problems.append(Problem(0, "", "", "warning", "The file has a header row but no records."))
    return RawTable(frame, sorted(problems, key=lambda p: p.row), encoding, "csv")


def sniff_delimiter(sample: str) -> str:
    """Return the delimiter of ``sample`` (the start of a file): comma, semicolon or tab.

    A first line that splits on tabs into a record of a header-less layout (GDELT) is tab
    separated.
    ``csv.Sniffer`` (given the first ``_SNIFFER_CHARS`` characters) decides when its answer
    occurs in the header line; otherwise the delimiter occurring most often in the header line
    (outside quotes) wins, comma on a tie.
    """
    first_line = sample.splitlines()[0] if sample else ""
    if known_header(first_line.split("\t")):  # GDELT's raw files: commas in their place names
        return "\t"
    header_line = _outside_quotes(first_line)
    try:
        sniffed = csv.Sniffer().sniff(sample[:_SNIFFER_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and sniffed in header_line:
        return sniffed
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _arrow_columns(
    data: bytes, encoding: str, delimiter: str, width: int, skip: int
) -> list[pa.ChunkedArray] | None:
    """Return the records after the first ``skip`` as one text array per column, or None.

    Arrow's parser splits cells exactly as ``csv.reader`` does (quotes, doubled quotes, stray
    quotes, line endings), in compiled code. It is used only for a regular file: every record
    holding ``width`` fields and no cell holding a line break (a quote left open would make
    one). Anything else returns None, and the record-by-record reader, which numbers such
    rows in its messages, reads the file.
    """
    text = "utf8" if codecs.lookup(encoding).name == "utf-8" else encoding
    names = [f"c{index}" for index in range(width)]
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            # One thread: on a server's few shared cores, Arrow's threads cost more than they
            # gain (measured 0.07 s instead of 0.12 s for 10^5 records, 0.30 s for 10^6).
            read_options=arrow_csv.ReadOptions(
                column_names=names, skip_rows=skip, encoding=text, use_threads=False
            ),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=lambda row: "error",
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    columns = table.columns
    if _breaks_in_cells(data, encoding, skip + table.num_rows, columns):
        return None
    return columns


def _breaks_in_cells(
    data: bytes, encoding: str, records: int, columns: list[pa.ChunkedArray]
) -> bool:
    """Whether a cell holds a line break (``records`` counts the lines skipped too).

    In an encoding where a line break is one byte no other character contains (UTF-8, the
    Korean, Chinese and Western ones), the file's line breaks are counted: with no break in a
    cell there is one per record (the last may lack its own, and a quote left open in the last
    record takes its break into a cell). Otherwise every cell is searched.
    """
    if codecs.lookup(encoding).name.startswith("utf-16"):
        return any(
            arrow_compute.any(arrow_compute.match_substring_regex(c, "[\r\n]")).as_py()
            for c in columns
        )
    returns = data.count(b"\r") if b"\r" in data else 0  # finding none is quicker than counting
    breaks = data.count(b"\n") + (returns - data.count(b"\r\n") if returns else 0)
    terminated = records if data.endswith((b"\n", b"\r")) else records - 1
    last = [str(column[-1]) for column in columns if len(column)]  # its break may be a cell's
    return breaks > terminated or any("\n" in cell or "\r" in cell for cell in last)


def _multiline(cells: list[str]) -> bool:
    return any("\n" in cell or "\r" in cell for cell in cells)


def _outside_quotes(line: str) -> str:
    return "".join(part for index, part in enumerate(line.split('"')) if index % 2 == 0)


class _QuoteCounter:
    """Lines of a text stream, counting the quote characters that went by."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.quotes = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.quotes += line.count('"')
        return line


def _numbered(records: Iterator[list[str]], first: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) per record, numbering from ``first``."""
    row = first
    while True:
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            raise file_error(
                f'Row {row} cannot be read ({exc}); a quote (") may be left open in it. Close '
                "the quote or remove it."
            ) from exc
        yield row, cells
        row += 1


def _fill(
    table: TableBuilder, records: Iterator[tuple[int, list[str]]], width: int, lines: _QuoteCounter
) -> list[Problem]:
    """Add every record to ``table``; return the field-count problems.

    A record with an odd number of quotes and a line break in a cell ran into the end of the
    file inside a quoted cell: an unclosed quote, refused rather than read as one huge cell.
    """
    problems: list[Problem] = []
    trailing_rows: list[int] = []
    records_seen = 0
    quotes_before = lines.quotes
    for row, cells in records:
        quotes, quotes_before = lines.quotes - quotes_before, lines.quotes
        if quotes % 2 and any("\n" in cell or "\r" in cell for cell in cells):
            raise file_error(
                f'Row {row} opens a quote (") that is never closed, so the rest of the file '
                "would be read into one cell. Close the quote or remove it."
            )
        if not cells:
            continue
        records_seen += 1
        if len(cells) == width + 1 and cells[-1] == "":
            trailing_rows.append(row)
            cells = cells[:-1]
        elif len(cells) > width:
            problems.append(
                Problem(
                    row,
                    "",
                    "",
                    "error",
                    f"Row {row} has {len(cells)} fields, header has {width}. "
                    "Quote cells that contain the delimiter.",
                )
            )
            cells = cells[:width]
        elif len(cells) < width:
            problems.append(
                Problem(
                    row,
                    "",
                    "",
                    "warning",
                    f"Row {row} has {_fields(len(cells))}, header has {width}; the "
                    "missing cells at the end are read as empty.",
                )
            )
        table.add(row, cells)
    if trailing_rows and len(trailing_rows) == records_seen:
        problems.append(
            Problem(
                0,
                "",
                "",
                "warning",
                "Every row ends with an extra empty field (a delimiter at the "
                "end of each line); it is ignored.",
            )
        )
    else:
        problems.extend(
            Problem(
                row,
                "",
                "",
                "error",
                f"Row {row} has {width + 1} fields, header has {width}. "
                "Quote cells that contain the delimiter.",
            )
            for row in trailing_rows
        )
    return problems


def _text(data: bytes, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def _head(data: bytes, encoding: str) -> str:
    start = data[: _SNIFF_CHARS * 4].decode(encoding, errors="ignore")
    lines = list(islice(io.StringIO(start, newline=""), _SNIFF_LINES))
    if len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    return "".join(lines)[:_SNIFF_CHARS]


def _fields(count: int) -> str:
    return "1 field" if count == 1 else f"{count} fields"
