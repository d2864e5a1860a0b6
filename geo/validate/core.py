"""Shared machinery of :mod:`geo.validate`: the cells checked, what a check found, the output.

``SchemaCells`` holds a read table's stripped cells by schema column; every check reads them
and returns its ``Findings`` (the normalised columns it produced, its problems and the rows its
errors exclude); ``assemble_events`` builds the events frame from all the findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as arrow_compute
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.budget import check_time
from geo.errors import LISTED_PER_CHECK, Problem, Severity, list_problems
from geo.parse import shorten
from geo.reference.schema import (
    COUNT_COLUMNS,
    CRS,
    DERIVED_COLUMNS,
    SCHEMA_COLUMNS,
    TEXT_COLUMNS,
)

__all__ = [
    "Distinct",
    "Findings",
    "SchemaCells",
    "Texts",
    "assemble_events",
    "empty_events",
    "map_distinct",
]

#: Texts of some rows, made on demand: given row positions, one text per position.
Texts = Callable[[NDArray[np.intp]], Iterable[str]]
#: A column's cells factorised: a code per cell (read-only) and the distinct cells, in order
#: of first appearance (``pandas.factorize``).
Distinct = tuple[NDArray[np.intp], pd.Index]


class SchemaCells:
    """The cells of a table being validated, stripped, by schema column; read-only for checks.

    ``found`` maps each schema column the file has to its header; ``rows`` holds the row
    numbers a person sees; ``n`` is the number of records.
    """

    def __init__(self, frame: pd.DataFrame, found: dict[str, str]) -> None:
        self.n = len(frame)
        self.found = found
        self.cells = {
            col: _stripped(frame[header]).reset_index(drop=True) for col, header in found.items()
        }
        self.rows = frame["row"].to_numpy(dtype="int64")
        self._empty = pd.Series(pa.repeat(pa.scalar("", pa.large_string()), self.n), dtype=str)
        self._distinct: dict[str, Distinct] = {}

    def distinct(self, column: str) -> Distinct:
        """Return the cells of ``column`` factorised, once per column (several checks ask)."""
        key = column if column in self.cells else ""  # every absent column: the same cells
        if key not in self._distinct:
            codes, uniques = pd.factorize(self.cell(column), use_na_sentinel=False)
            codes.flags.writeable = False
            self._distinct[key] = codes, uniques
        return self._distinct[key]

    def cell(self, column: str) -> pd.Series:
        """Return the stripped cells of ``column`` ('' everywhere when the file lacks it)."""
        return self.cells.get(column, self._empty)

    def choice(
        self, column: str, allowed: tuple[str, ...], default: str, found: Findings
    ) -> pd.Series:
        """Return a choice column's values (case, spaces, hyphens ignored), empty -> ``default``.

        A value outside ``allowed`` is an error added to ``found``.
        """
        codes, distinct = self.distinct(column)
        spelled = [re.sub(r"[\s\-]+", "_", value.lower()) for value in distinct]
        values = pa.array([v or default for v in spelled], pa.large_string()).take(codes)
        wrong = np.array([v not in allowed and v != "" for v in spelled], dtype=bool)[codes]
        found.add(
            wrong, column, self.cell(column), f"{column} must be one of: {', '.join(allowed)}"
        )
        return pd.Series(values, dtype=str)


#: Bytes that may begin or end a space ``str.strip`` removes: ASCII controls and space, and any
#: byte of a character past ASCII (U+00A0, U+3000, ...): a cell with neither end among them
#: has nothing to strip.
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[: ord(" ") + 1] = _MAY_BE_SPACE[0x7F:] = True


def _nothing_to_strip(texts: pa.Array | pa.ChunkedArray) -> bool:
    """Whether no cell of ``texts`` begins or ends with a byte of ``_MAY_BE_SPACE``.

    Read from the first and last byte of each cell in Arrow's buffers, without copying text.
    """
    chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
    for chunk in chunks:
        wide = pa.types.is_large_string(chunk.type)
        if chunk.null_count or not (wide or pa.types.is_string(chunk.type)):
            return False
        _, offsets, data = chunk.buffers()
        if data is None:
            continue  # no text at all
        every = np.frombuffer(offsets, np.int64 if wide else np.int32).astype(np.int64, copy=False)
        ends: NDArray[np.int64] = every[chunk.offset : chunk.offset + len(chunk) + 1]
        full = ends[1:] > ends[:-1]
        text = np.frombuffer(data, np.uint8)
        first, last = text[ends[:-1][full]], text[ends[1:][full] - 1]
        if _MAY_BE_SPACE[first].any() or _MAY_BE_SPACE[last].any():
            return False
    return True


def _stripped(cells: pd.Series) -> pd.Series:
    """Return the cells as text without leading and trailing spaces (the same cells if none)."""
    text = cells.astype(str)
    if _nothing_to_strip(pa.array(text)):
        return text
    stripped = text.str.strip()
    lengths = [arrow_compute.sum(arrow_compute.binary_length(pa.array(t))).as_py() for t in
               (text, stripped)]  # fmt: skip
    return text if lengths[0] == lengths[1] else stripped


class Findings:
    """What one check found: the normalised columns it produced and the problems in its cells.

    A check starts with ``Findings(t)``, reports with :meth:`add` and returns it;
    :func:`assemble_events` puts every check's columns together. An error excludes its row
    (``excluded``); a warning keeps it.
    """

    def __init__(self, t: SchemaCells) -> None:
        self._rows = t.rows
        self._headers = t.found
        self.columns: dict[str, pd.Series] = {}
        self.problems: list[Problem] = []
        self.excluded = np.zeros(t.n, dtype=bool)

    def add(
        self,
        mask: ArrayLike,
        column: str,
        values: pd.Series | Texts,
        message: str | pd.Series | Texts,
        severity: Severity = "error",
    ) -> None:
        """Record a problem for each row of ``mask``; an error also excludes the row.

        ``values`` and a per-row ``message`` may be given as a function of row positions
        returning their texts: then only the rows a report lists are ever worded.

        The problem's value is the cell as written, shortened (``geo.parse.shorten``)
        when it is long: a cell of thousands of characters is named by its first ones. The
        first ``geo.errors.LISTED_PER_CHECK`` rows are listed one by one, one more problem
        counts the rest (``geo.errors.list_problems``).
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        # Only the rows a report lists are read: the first ones, the next and the last.
        shown = np.unique(np.concatenate([rows[: LISTED_PER_CHECK + 1], rows[-1:]]))
        cells = {i: shorten(str(cell)) for i, cell in _texts_at(values, shown).items()}
        if isinstance(message, str):
            texts = dict.fromkeys(cells, message)
        else:
            texts = {i: str(text) for i, text in _texts_at(message, shown).items()}
        row_numbers = dict(zip(shown.tolist(), self._rows[shown].tolist(), strict=True))
        header = self._headers.get(column, column)

        def problem(i: int) -> Problem:
            return Problem(row_numbers[i], header, cells[i], severity, texts[i])

        self.problems.extend(list_problems(rows.tolist(), problem))
        if severity == "error":
            self.excluded |= mask


def _whole_text(values: pd.Series) -> bool:
    """Whether ``values`` is already text with no missing value (Arrow knows without a pass)."""
    return values.dtype == "str" and pa.chunked_array(pa.array(values)).null_count == 0


def _texts_at(texts: pd.Series | Texts, positions: NDArray[np.intp]) -> dict[int, Any]:
    found = texts(positions) if callable(texts) else texts.iloc[positions]
    values = found.tolist() if isinstance(found, pd.Series | np.ndarray) else list(found)
    return dict(zip(positions.tolist(), values, strict=True))


def map_distinct(
    values: pd.Series, func: Callable[[str], tuple], width: int, distinct: Distinct | None = None
) -> list[pd.Series]:
    """Apply ``func`` once per distinct value; return one Series per item of its tuples.

    An item that is text for every distinct value is an Arrow text column, one that is a
    number or None a float column (NaN for None); others stay Python objects. ``distinct``:
    ``values`` already factorised (``SchemaCells.distinct``).
    """
    codes, uniques = pd.factorize(values) if distinct is None else distinct
    table = np.empty((len(uniques), width), dtype=object)
    for i, value in enumerate(uniques):
        check_time()
        table[i] = func(value)
    return [_per_cell(table[:, j].tolist(), codes, values.index) for j in range(width)]


def _per_cell(distinct: list[Any], codes: NDArray[np.intp], index: pd.Index) -> pd.Series:
    """Return the values of the distinct cells taken for every cell (``codes``)."""
    if all(type(value) is str for value in distinct):
        return pd.Series(pa.array(distinct, pa.large_string()).take(codes), index=index, dtype=str)
    if all(
        value is None or (isinstance(value, int | float) and not isinstance(value, bool))
        for value in distinct
    ):
        numbers = np.array([np.nan if value is None else value for value in distinct], float)
        return pd.Series(numbers[codes], index=index)
    return pd.Series(np.array(distinct, dtype=object)[codes], index=index, dtype=object)


def empty_events() -> gpd.GeoDataFrame:
    """Return an events frame with no rows and the normalised columns and dtypes."""
    frame = pd.DataFrame({"row": pd.Series(dtype="int64")})
    for col in SCHEMA_COLUMNS + DERIVED_COLUMNS:
        frame[col] = pd.Series(dtype=object)
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(str)
    for col in ("date_start", "date_end"):
        frame[col] = pd.Series(dtype="datetime64[us]")
    for col in COUNT_COLUMNS:
        frame[col] = pd.Series(dtype="Int64")
    for col in ("lat", "lon"):
        frame[col] = pd.Series(dtype=float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)


def assemble_events(
    t: SchemaCells,
    findings: Sequence[Findings],
    excluded: NDArray[np.bool_],
    *,
    geometry: bool = True,
) -> gpd.GeoDataFrame:
    """Return the normalised events frame of the rows not ``excluded``.

    Each schema column comes from the check that produced it, else from the stripped cells.
    ``geometry`` False leaves the geometry column empty (None; ``lat``/``lon`` still hold the
    points), for callers that read the coordinates only: a million shapely points take
    seconds and hundreds of MB.
    """
    keep = None if not excluded.any() else ~excluded
    positions = None if keep is None else np.flatnonzero(keep)
    out = {col: values for found in findings for col, values in found.columns.items()}
    columns: dict[str, Any] = {"row": t.rows if keep is None else t.rows[keep]}
    kept: dict[tuple[int, bool], Any] = {}  # cells shared by columns (the empty ones) kept once
    for col in SCHEMA_COLUMNS + DERIVED_COLUMNS:
        source = out[col] if col in out else t.cell(col)
        key = (id(source), col in TEXT_COLUMNS)
        if key in kept:
            columns[col] = kept[key].copy()  # Arrow text: a new array of the same cells
            continue
        values = pd.Series(source)
        if col in TEXT_COLUMNS and not _whole_text(values):
            values = values.fillna("").astype(str)
        array = values.array
        columns[col] = kept[key] = array if positions is None else array.take(positions)
    frame = pd.DataFrame(columns, copy=False)  # the checks made these arrays for it
    shapes = np.full(len(frame), None, dtype=object)
    if geometry:
        lat, lon = frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
        has = ~np.isnan(lat) & ~np.isnan(lon)
        shapes[has] = shapely.points(lon[has], lat[has])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=CRS), crs=CRS)
