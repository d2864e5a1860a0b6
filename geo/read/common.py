"""What every reader of ``geo.read`` shares: limits, ``RawTable`` and ``TableBuilder``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from geo.errors import InputFileError, Problem

#: Most records a file may hold (header and empty rows not counted).
MAX_ROWS = 200_000
#: Longest cell, in characters.
MAX_CELL_CHARS = 10_000
#: Largest file accepted, in bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024

#: The column ``read_table`` adds; a file's own column of that name is not read.
RESERVED = "row"

Format = Literal["csv", "xlsx", "geojson"]


@dataclass
class RawTable:
    """A user's file as text cells, before validation.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header name (every cell a ``str``, '' when empty) plus the int column
        ``row``: the row number a person sees (header = 1, first record = 2 for CSV/XLSX;
        feature index + 1 for GeoJSON).
    problems : list of Problem
        Problems found while reading (short rows, extra fields, merged cells, ...).
    encoding : str
        The text encoding the file was decoded with (``"xlsx"`` files report ``"utf-8"``).
    format : {"csv", "xlsx", "geojson"}
        The format the file was read as.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    format: Format = "csv"


def file_error(message: str, value: str = "") -> InputFileError:
    """Return the ``InputFileError`` for a file that cannot be read at all (``row=0``)."""
    return InputFileError(Problem(0, "", value, "error", message))


def shorten(value: str, limit: int = 60) -> str:
    """Return ``value`` cut to ``limit`` characters (with an ellipsis) for a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
    found = []
    for name in frame.columns.drop(RESERVED, errors="ignore"):
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

    Parameters
    ----------
    header : list of str
        The header cells as written in the file.
    max_rows : int
        Most records accepted; one more raises ``InputFileError``.
    label : callable, optional
        Turns a 0-based column index into the words used in messages (``"column 3"``,
        ``"column C"``).
    header_row : int, optional
        The header's row number, for the problems about it.
    """

    def __init__(
        self,
        header: list[str],
        max_rows: int,
        label: Callable[[int], str] = column_label,
        header_row: int = 1,
    ) -> None:
        self.max_rows = max_rows
        self.header_row = header_row
        self.problems: list[Problem] = []
        self._label = label
        names = [cell.strip() for cell in header]
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
        self._unread = [index for index, name in enumerate(names) if not name]
        self._width = len(names)
        self._names = names
        self.columns = [names[i] for i in self._keep]
        self._cells: list[list[str]] = [[] for _ in self._keep]
        self._unread_values: dict[int, int] = {}
        self.rows: list[int] = []

    def name_of(self, index: int) -> str:
        """Return the name of the column at 0-based ``index`` ('' when it is not read)."""
        return self._names[index] if index in self._keep else ""

    def add(self, row: int, cells: list[str]) -> None:
        """Add the record at file row ``row`` (missing cells at the end read as '')."""
        if not any(cells):
            return
        if len(self.rows) >= self.max_rows:
            raise file_error(
                f"The file has more than {self.max_rows:,} records, the most this tool reads. "
                "Split it into smaller files."
            )
        self.rows.append(row)
        if len(cells) < self._width:
            cells = cells + [""] * (self._width - len(cells))
        for column, index in zip(self._cells, self._keep, strict=True):
            column.append(cells[index])
        if self._unread or len(cells) > self._width:
            for index in self._unread + list(range(self._width, len(cells))):
                if cells[index]:
                    self._unread_values[index] = self._unread_values.get(index, 0) + 1

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
        frame = pd.DataFrame(
            {
                name: pd.Series(cells, dtype=str)
                for name, cells in zip(self.columns, self._cells, strict=True)
            },
            columns=self.columns,
        )
        frame[RESERVED] = pd.Series(self.rows, dtype="int64")
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
