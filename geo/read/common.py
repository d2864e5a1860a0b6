"""What every reader of ``geo.read`` shares: limits, ``RawTable`` and the table builders.

The limits bound the *work* a file can cause, not only its bytes: a reader never does more than
a fixed amount of work per byte read, whatever the file declares. Distinct columns and cells
(records × columns) are counted as they are read, and the file is refused as soon as one passes
its limit, before the work is done. The number of records is bounded by the bytes (an upload's
``MAX_FILE_BYTES``, the command line's ``LOCAL_MAX_FILE_BYTES``) and the time (``UPLOAD``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from geo.errors import InputFileError, Problem
from geo.parse import shorten

#: Longest cell, in characters.
MAX_CELL_CHARS = 10_000
#: Largest file accepted in an upload to the app, in bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Largest file the command line reads, in bytes (it reads the whole file into memory).
LOCAL_MAX_FILE_BYTES = 4 * 1024**3
#: Most distinct named columns (CSV/XLSX header names, GeoJSON property names) a file may have;
#: the event schema has about 25 columns and their aliases.
MAX_COLUMNS = 200
#: Most cells a header row may have, named or not: the widest Excel sheet.
MAX_HEADER_CELLS = 16_384
#: Most cells (records × named columns) any file may hold, e.g. 200,000 records of 25 columns;
#: a larger file may hold as many cells as it has bytes (``TableBuilder``).
MAX_CELLS = 5_000_000
#: Cells are kept as Python strings for this many records, then packed into Arrow arrays (a
#: few bytes a cell instead of some 60), so memory stays near the size of the text read.
CHUNK_ROWS = 8192

#: The column ``read_table`` adds; a file's own column of that name is not read.
RESERVED = "row"

Format = Literal["csv", "xlsx", "geojson", "kml", "kmz", "parquet"]


@dataclass(frozen=True)
class Limits:
    """What reading and validating one file may cost: its bytes and seconds.

    ``seconds`` None means ``geo.budget.VALIDATION_SECONDS``; ``math.inf`` means no limit.
    """

    max_bytes: int
    seconds: float | None


#: A file uploaded to the app: bounded, so that one upload cannot hold the server (and every
#: other session on it) for long.
UPLOAD = Limits(MAX_FILE_BYTES, None)
#: A file given on the command line: the user's own machine and time (10^7 rows take minutes).
LOCAL = Limits(LOCAL_MAX_FILE_BYTES, math.inf)


@dataclass
class RawTable:
    """A user's file as text cells, before validation.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header name (every cell a ``str``, '' when empty) plus the int column
        ``row``: the row number a person sees (header = 1, first record = 2 for CSV/XLSX;
        feature index + 1 for GeoJSON, placemark index + 1 for KML/KMZ).
    problems : list of Problem
        Problems found while reading (short rows, extra fields, merged cells, ...).
    encoding : str
        The text encoding the file was decoded with (``"xlsx"`` files report ``"utf-8"``).
    format : {"csv", "xlsx", "geojson", "kml", "kmz", "parquet"}
        The format the file was read as.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    format: Format = "csv"


def file_error(message: str, value: str = "") -> InputFileError:
    """Return the ``InputFileError`` for a file that cannot be read at all (``row=0``)."""
    return InputFileError(Problem(0, "", value, "error", message))


def too_many_columns(found: str, names: Iterable[str] = ()) -> InputFileError:
    """Return the refusal of a file with more than ``MAX_COLUMNS`` distinct named columns.

    ``found`` says where, e.g. "The header row names 201 columns"; ``names`` are some of them.
    """
    example = ", ".join(shorten(name, 30) for name in list(names)[:5])
    return file_error(
        f"{found}; at most {MAX_COLUMNS} distinct columns are read (the event schema has about "
        "25). Delete the columns you do not need, or split the file, and save it again.",
        example,
    )


def too_many_cells(records: int, columns: int, limit: int | None = None) -> InputFileError:
    """Return the refusal of a file with more than ``limit`` (``MAX_CELLS``) cells."""
    limit = MAX_CELLS if limit is None else limit
    return file_error(
        f"The file has more than {limit:,} cells ({records:,} records × {columns:,} "
        "columns), the most this tool reads. Delete the columns you do not need or split the "
        "file into smaller files."
    )


def text_column(chunks: list[pa.Array], tail: list[str]) -> pd.Series:
    """Return one text column (pandas ``str`` dtype) from packed ``chunks`` and a ``tail``.

    The column is one contiguous array, as pandas makes it from a list (pandas works faster,
    and with less memory, on one chunk than on many).
    """
    arrays = [*chunks, pack(tail)] if tail or not chunks else chunks
    return pd.Series(arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays), dtype=str)


def pack(cells: Sequence[str]) -> pa.Array:
    """Return ``cells`` as one Arrow string array (a few bytes a cell instead of some 60)."""
    return pa.array(cells, type=pa.large_string())


def reserved_problem(row: int) -> Problem:
    """Return the warning for a file column named like the reserved ``row`` column."""
    return Problem(
        row,
        RESERVED,
        "",
        "warning",
        f"The column '{RESERVED}' is not read: that name is reserved for the row number this "
        "tool adds. Rename the column to use it.",
    )


def long_cells(frame: pd.DataFrame, limit: int) -> list[Problem]:
    """Return an error for every cell of ``frame`` longer than ``limit`` characters."""
    import pyarrow.compute as pc  # slow to import: only once a table is read

    found = []
    for name in frame.columns.drop(RESERVED, errors="ignore"):
        text = pa.array(frame[name])
        if pa.types.is_null(text.type) or (
            pc.max(pc.binary_length(text)).as_py() or 0
        ) <= limit:  # no more characters than bytes: none is too long
            continue
        lengths = frame[name].str.len()
        for position in lengths.index[lengths > limit]:
            value = frame[name].iat[position]
            found.append(
                Problem(
                    int(frame[RESERVED].iat[position]) if RESERVED in frame else position + 1,
                    name,
                    shorten(value),
                    "error",
                    f"The cell holds {len(value):,} characters; at most {limit:,} are "
                    "accepted. Shorten it or move long text to a source document.",
                )
            )
    return found


class SparseColumns:
    """Cells collected record by record, column by column (only the cells a record has).

    For records that name their own values (GeoJSON properties, KML ExtendedData): adding a
    record costs the values it has; the distinct names are counted as they come (at most
    ``MAX_COLUMNS``), and the full table (records × names) is made once, when ``MAX_CELLS``
    allows it. A value named like ``RESERVED`` is not kept (``reserved`` says one was seen).

    Parameters
    ----------
    record, names : str
        How messages call a record and its names: ``"feature"``, ``"property names"``.
    """

    def __init__(self, record: str, names: str) -> None:
        self.count = 0
        self.reserved = False
        self._record = record
        self._names = names
        self._cells: dict[str, tuple[list[int], list[str]]] = {}

    def add(self, cells: dict[str, str]) -> None:
        """Add the next record's cells, by name."""
        for name, text in cells.items():
            if name == RESERVED:
                self.reserved = True
                continue
            column = self._cells.get(name)
            if column is None:
                if len(self._cells) >= MAX_COLUMNS:
                    raise too_many_columns(
                        f"The file's {self._record}s have more than {MAX_COLUMNS} different "
                        f"{self._names} ({self._record} {self.count + 1} adds "
                        f"'{shorten(name)}')",
                        self._cells,
                    )
                column = self._cells[name] = ([], [])
            column[0].append(self.count)
            column[1].append(text)
        self.count += 1

    @property
    def names(self) -> list[str]:
        """The distinct names, in the order first seen."""
        return list(self._cells)

    def frame(self) -> pd.DataFrame:
        """Return the text columns ('' where a record has no value), once.

        Raises ``InputFileError`` when records × names passes ``MAX_CELLS``.
        """
        names = self.names
        if self.count * len(names) > MAX_CELLS:
            raise too_many_cells(self.count, len(names))
        columns = {}
        for name in names:
            positions, texts = self._cells.pop(name)
            if len(positions) == self.count:
                cells = texts
            else:
                cells = [""] * self.count
                for position, text in zip(positions, texts, strict=True):
                    cells[position] = text
            columns[name] = text_column([pack(cells)], [])
        return pd.DataFrame(columns, columns=names)


def value_text(value: object, *, true: str, false: str, other: Callable[[Any], str]) -> str:
    """Return a value a reader found as the text a person sees.

    '' for None (an empty cell, a JSON null), ``true``/``false`` for a bool, a whole float
    without its ``.0`` (``7.0`` -> ``"7"``), ``other(value)`` for anything else.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return other(value)


def column_label(index: int) -> str:
    """Return a 0-based column index as a person counts it: ``"column 3"``."""
    return f"column {index + 1}"


class TableBuilder:
    """Header and records of a tabular file, collected record by record.

    The header cells are stripped. A column without a header name (an empty header cell, or
    cells right of the last name) is not read; a warning says how many values it held. When
    several columns share a name only the first is read and an error names both. Records whose
    cells are all empty are skipped (they carry no data) but still count for the row numbers
    of the records after them.

    The work per record is bounded by the cells it holds plus the named columns (at most
    ``MAX_COLUMNS``): a short record is not padded to the header's width, and the cells kept
    (records × named columns) are counted against ``MAX_CELLS``. Cells are packed into Arrow
    arrays every ``CHUNK_ROWS`` records.

    Parameters
    ----------
    header : list of str
        The header cells as written in the file.
    label : callable, optional
        Turns a 0-based column index into the words used in messages (``"column 3"``,
        ``"column C"``).
    header_row : int, optional
        The header's row number, for the problems about it.
    file_bytes : int, optional
        The file's size: a file may hold as many cells as it has bytes (a cell of a regular
        text file costs at least its delimiter), and ``MAX_CELLS`` whatever its size.

    Raises
    ------
    geo.errors.InputFileError
        When the header has more than ``MAX_HEADER_CELLS`` cells or names more than
        ``MAX_COLUMNS`` columns (a repeated name counts each time).
    """

    def __init__(
        self,
        header: list[str],
        label: Callable[[int], str] = column_label,
        header_row: int = 1,
        file_bytes: int = 0,
    ) -> None:
        if len(header) > MAX_HEADER_CELLS:
            raise file_error(
                f"The header row has {len(header):,} cells; at most {MAX_HEADER_CELLS:,} (the "
                "widest Excel sheet) are read. Delete the empty columns after your data and "
                "save again."
            )
        self.max_cells = max(MAX_CELLS, file_bytes)
        self.header_row = header_row
        self.problems: list[Problem] = []
        self._label = label
        names = [cell.strip() for cell in header]
        named = [name for name in names if name]
        if len(named) > MAX_COLUMNS:  # duplicates count: each would be a problem
            raise too_many_columns(f"The header row names {len(named):,} columns", named)
        self._keep: list[int] = []
        first_seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if name == RESERVED:
                self.problems.append(reserved_problem(header_row))
            elif name in first_seen:
                self.problems.append(_duplicate(name, first_seen[name], index, label, header_row))
            elif name:
                first_seen[name] = index
                self._keep.append(index)
        self._kept = frozenset(self._keep)
        self._named = frozenset(index for index, name in enumerate(names) if name)
        self._names = names
        self.columns = [names[i] for i in self._keep]
        self._cells: list[list[str]] = [[] for _ in self._keep]
        self._chunks: list[list[pa.Array]] = [[] for _ in self._keep]
        self._unread_values: dict[int, int] = {}
        #: Records kept so far; their row numbers, as arrays and as the latest ints added.
        self.records = 0
        self._row_chunks: list[NDArray[np.int64]] = []
        self._rows: list[int] = []

    def name_of(self, index: int) -> str:
        """Return the name of the column at 0-based ``index`` ('' when it is not read)."""
        return self._names[index] if index in self._kept else ""

    def add(self, row: int, cells: list[str]) -> None:
        """Add the record at file row ``row`` (missing cells at the end read as '')."""
        if not any(cells):
            return
        self._check_cells(self.records + 1)
        self._rows.append(row)
        self.records += 1
        present = len(cells)
        for column, index in zip(self._cells, self._keep, strict=True):
            column.append(cells[index] if index < present else "")
        for index, cell in enumerate(cells):
            if cell and index not in self._named:
                self._unread_values[index] = self._unread_values.get(index, 0) + 1
        if self.records % CHUNK_ROWS == 0:
            for chunks, column in zip(self._chunks, self._cells, strict=True):
                chunks.append(pack(column))
                column.clear()

    def add_columns(
        self, rows: NDArray[np.int64], cells: Sequence[pa.Array | pa.ChunkedArray]
    ) -> None:
        """Add records given as whole columns: ``cells`` holds one string array per header cell.

        The same rules as :meth:`add`, computed per column: records whose cells are all empty
        are skipped, the limits are checked before any cell is kept. Columns missing at the end
        (a sheet's used range narrower than its header) read as ''.
        """
        import pyarrow.compute as pc  # slow to import: only for files read as whole columns

        filled = [pc.greater(pc.binary_length(column), 0) for column in cells]
        kept = reduce(pc.or_, filled) if filled else pa.array(np.zeros(len(rows), dtype=bool))
        added = int(pc.sum(kept).as_py() or 0)
        self._check_cells(self.records + added)
        for index, column in enumerate(filled):
            if index not in self._named:
                count = int(pc.sum(pc.and_(column, kept)).as_py() or 0)
                if count:
                    self._unread_values[index] = self._unread_values.get(index, 0) + count
        every = added == len(rows)
        for position, index in enumerate(self._keep):
            if self._cells[position]:
                self._chunks[position].append(pack(self._cells[position]))
                self._cells[position].clear()
            if index >= len(cells):
                self._chunks[position].append(pack([""] * added))
                continue
            column = (cells[index] if every else cells[index].filter(kept)).cast(pa.large_string())
            chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
            self._chunks[position].extend(chunk for chunk in chunks if len(chunk))
        self._flush_rows()
        self._row_chunks.append(rows if every else rows[np.asarray(kept, dtype=bool)])
        self.records += added

    def _flush_rows(self) -> None:
        if self._rows:
            self._row_chunks.append(np.array(self._rows, dtype=np.int64))
            self._rows.clear()

    def _check_cells(self, records: int) -> None:
        if records * len(self._keep) > self.max_cells:
            raise too_many_cells(records, len(self._keep), self.max_cells)

    def finish(self, max_cell_chars: int) -> tuple[pd.DataFrame, list[Problem]]:
        """Return the frame (text columns plus ``row``) and every problem found."""
        problems = list(self.problems)
        for index, count in sorted(self._unread_values.items()):
            problems.append(
                Problem(
                    self.header_row,
                    "",
                    "",
                    "warning",
                    f"{_upper_first(self._label(index))} has no name in the header row; "
                    f"{_values(count)} in it {'is' if count == 1 else 'are'} not read. Give it "
                    "a name (e.g. notes) to use it.",
                )
            )
        columns = {}
        for position, name in enumerate(self.columns):  # a column at a time: its chunks go
            chunks, cells = self._chunks[position], self._cells[position]
            self._chunks[position], self._cells[position] = [], []
            columns[name] = text_column(chunks, cells)
            del chunks, cells
        frame = pd.DataFrame(columns, columns=self.columns)
        self._flush_rows()
        rows = np.concatenate(self._row_chunks) if self._row_chunks else np.zeros(0, np.int64)
        frame[RESERVED] = pd.Series(rows, dtype="int64", copy=False)
        problems.extend(long_cells(frame, max_cell_chars))
        return frame, problems


def _duplicate(name: str, first: int, index: int, label: Callable[[int], str], row: int) -> Problem:
    return Problem(
        row,
        name,
        name,
        "error",
        f"{_upper_first(label(first))} and {label(index)} are both named '{name}'; only "
        f"{label(first)} is read. Rename or remove {label(index)}.",
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count:,} values"
