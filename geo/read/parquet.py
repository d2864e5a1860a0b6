"""Read a Parquet or GeoParquet file into a ``RawTable``.

Each record is a row (``row`` = record index + 1, as for GeoJSON features); each column whose
values are text, numbers, booleans, dates or times becomes text cells as a person would write
them: whole numbers without ``.0``, booleans ``true``/``false``, dates ``YYYY-MM-DD``, times
``YYYY-MM-DD HH:MM:SS`` (a column of midnights reads as dates), a missing value or NaN ''.
Columns of other types (lists, structs, binary) are not read; one warning names each.

A GeoParquet file's geometry column (its ``geo`` metadata) gives ``lat``/``lon`` cells for its
Point geometries, unless the file already has coordinate columns (``lat``/``latitude``, ...):
then those are used and a warning says the geometry is not. Other geometry types are reported,
as for GeoJSON; a CRS other than longitude/latitude in degrees (OGC:CRS84, EPSG:4326) is
refused.

The work is bounded by the file's metadata before any value is read: at most ``MAX_COLUMNS``
columns, an uncompressed size of at most ``MAX_EXPANSION`` times the file's bytes (a
compression bomb is refused), and as many cells as uncompressed bytes (at least
``MAX_CELLS``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from geo.budget import check_time
from geo.errors import Problem
from geo.read import common
from geo.read.columns import match_columns
from geo.read.common import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    RESERVED,
    RawTable,
    file_error,
    long_cells,
    reserved_problem,
    text_column,
    too_many_cells,
    too_many_columns,
)

__all__ = ["ParquetSource", "read_parquet"]

#: Largest uncompressed size a Parquet file may declare, as a multiple of its bytes.
MAX_EXPANSION = 50
#: Records converted to text at a time.
BATCH_ROWS = 65_536
_LONLAT_IDS = ("OGC:CRS84", "EPSG:4326")
_LONLAT_NAMES = ("WGS 84", "WGS 84 (CRS84)")


def read_parquet(data: bytes, *, max_cell_chars: int = MAX_CELL_CHARS) -> RawTable:
    """Read a Parquet file's records as rows of text cells.

    Raises
    ------
    geo.errors.InputFileError
        Not a Parquet file, more than ``MAX_COLUMNS`` columns, a declared size past the
        limits in the module doc, or a GeoParquet CRS that is not longitude/latitude.
    """
    source = ParquetSource(io.BytesIO(data), len(data))
    return next(source.batches(max(1, source.rows), max_cell_chars=max_cell_chars))


class ParquetSource:
    """A Parquet file checked by its metadata (module doc), read as tables of its records.

    Parameters
    ----------
    file
        The file: a path or a binary file object.
    size
        Its bytes (the compression-bomb limit is a multiple of them).

    Raises
    ------
    geo.errors.InputFileError
        As :func:`read_parquet`.
    """

    def __init__(self, file: str | Path | BinaryIO, size: int) -> None:
        try:
            # Not pre-buffered: pre-buffered column chunks pile up while batches are read.
            self.parquet = pq.ParquetFile(file, pre_buffer=False)
        except (pa.ArrowException, OSError) as exc:
            raise file_error(
                "The file is not a Parquet file that can be read "
                f"({str(exc).splitlines()[0][:120]}). Save it again as Parquet."
            ) from exc
        schema = self.parquet.schema_arrow
        self.geometry = _geometry_column(schema)
        names = [name for name in schema.names if name != self.geometry]
        if len(names) > MAX_COLUMNS:
            raise too_many_columns(f"The file has {len(names):,} columns", names)
        metadata = self.parquet.metadata
        unpacked = sum(
            metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups)
        )
        if unpacked > MAX_EXPANSION * size:
            raise file_error(
                f"The file declares {unpacked / 2**20:,.0f} MB of data in {size / 2**20:,.1f} "
                f"MB, more than {MAX_EXPANSION} times its size: it is not read. Save it again "
                "without unusual compression."
            )
        cells = max(unpacked, common.MAX_CELLS)
        if metadata.num_rows * len(names) > cells:
            raise too_many_cells(metadata.num_rows, len(names), cells)
        #: Records in the file.
        self.rows: int = metadata.num_rows
        self.columns, skipped = _readable(schema, names, self.geometry)
        #: The whole file's problems, found from its schema.
        self.problems = [_skipped_problem(name, kind) for name, kind in skipped]
        if RESERVED in self.columns:
            self.columns.remove(RESERVED)
            self.problems.append(reserved_problem(0))
        if not self.rows:
            self.problems.append(Problem(0, "", "", "warning", "The file has no records."))

    def batches(
        self,
        records: int,
        *,
        columns: list[str] | None = None,
        max_cell_chars: int = MAX_CELL_CHARS,
    ) -> Iterator[RawTable]:
        """Yield the file's records as tables of ``records`` rows (the last may be fewer).

        Each table's ``row`` holds the file's record numbers (record index + 1) and its
        ``problems`` are those of its rows; the first table also holds the whole file's
        (``problems``), and is the only one, empty, of a file without records. Values are
        converted ``BATCH_ROWS`` records at a time whatever ``records`` is, so the tables hold
        the cells one table of the whole file holds. ``columns`` (default: all read) limits
        what is read; the geometry gives ``lat``/``lon`` only when every column is read.
        """
        read = self.columns if columns is None else [c for c in self.columns if c in columns]
        geometry = self.geometry if columns is None else None
        wanted = read + ([geometry] if geometry else [])
        texts: dict[str, list[pa.Array]] = {name: [] for name in wanted}
        held, start, first = 0, 0, True
        for batch in self.parquet.iter_batches(BATCH_ROWS, columns=wanted):
            check_time()
            for name in read:
                texts[name].append(_text(batch.column(name)))
            if geometry:
                texts[geometry].append(batch.column(geometry))
            held += len(batch)
            while held >= records:
                yield self._table(_take(texts, records), read, geometry, start, max_cell_chars,
                                  first)  # fmt: skip
                held, start, first = held - records, start + records, False
        if held or first:
            yield self._table(_take(texts, held), read, geometry, start, max_cell_chars, first)

    def _table(
        self,
        texts: dict[str, list[pa.Array]],
        read: list[str],
        geometry: str | None,
        start: int,
        max_cell_chars: int,
        first: bool,
    ) -> RawTable:
        """Return converted cells as a table (rows numbered from ``start + 1``)."""
        frame = pd.DataFrame({name: text_column(texts[name], []) for name in read}, columns=read)
        n = sum(len(piece) for piece in texts[read[0]]) if read else 0
        if geometry:
            n = sum(len(piece) for piece in texts[geometry])
        frame.index = pd.RangeIndex(n)
        problems: list[Problem] = list(self.problems) if first else []
        if geometry:
            problems.extend(_points(frame, geometry, texts[geometry], start))
        frame[RESERVED] = pd.Series(np.arange(start + 1, start + n + 1), dtype="int64")
        problems.extend(long_cells(frame, max_cell_chars))
        return RawTable(frame, sorted(problems, key=lambda p: p.row), "utf-8", "parquet")


def _take(texts: dict[str, list[pa.Array]], n: int) -> dict[str, list[pa.Array]]:
    """Remove and return the first ``n`` values of each column's pieces."""
    taken: dict[str, list[pa.Array]] = {}
    for name, pieces in texts.items():
        out, need = [], n
        while need and pieces:
            piece = pieces[0]
            if len(piece) <= need:
                out.append(pieces.pop(0))
                need -= len(piece)
            else:
                out.append(piece.slice(0, need))
                pieces[0] = piece.slice(need)
                need = 0
        taken[name] = out
    return taken


def _geometry_column(schema: pa.Schema) -> str | None:
    """Return the GeoParquet primary geometry column, None for plain Parquet."""
    raw = (schema.metadata or {}).get(b"geo")
    if raw is None:
        return None
    try:
        geo = json.loads(raw)
        column = str(geo["primary_column"])
        crs = geo["columns"][column].get("crs", "OGC:CRS84")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if crs is not None and not _lonlat(crs):
        name = crs.get("name", "") if isinstance(crs, dict) else str(crs)
        raise file_error(
            f"The file's geometry is in the coordinate reference system '{str(name)[:80]}', not "
            "longitude/latitude in degrees. Save it again in WGS84 / EPSG:4326.",
            str(name)[:80],
        )
    return column if column in schema.names else None


def _lonlat(crs: object) -> bool:
    """Whether a GeoParquet ``crs`` (PROJJSON or text) is longitude/latitude in degrees."""
    if isinstance(crs, dict):
        ids = crs.get("id")
        if isinstance(ids, dict):
            return f"{ids.get('authority')}:{ids.get('code')}".upper() in _LONLAT_IDS
        return str(crs.get("name", "")) in _LONLAT_NAMES
    return str(crs).upper() in _LONLAT_IDS


def _readable(
    schema: pa.Schema, names: list[str], geometry: str | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Split the columns into those read as text and (name, type) of those not read."""
    read: list[str] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        kind = schema.field(name).type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        textual = (
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_integer(kind)
            or pa.types.is_floating(kind)
            or pa.types.is_boolean(kind)
            or pa.types.is_decimal(kind)
            or pa.types.is_temporal(kind)
            or pa.types.is_null(kind)
        )
        if textual:
            read.append(name)
        else:
            skipped.append((name, str(kind)))
    return read, skipped


def _skipped_problem(name: str, kind: str) -> Problem:
    return Problem(
        0,
        name,
        kind,
        "warning",
        f"Column '{name}' holds values of type {kind}, which are not read as cells; only text, "
        "numbers, booleans, dates and times are.",
    )


def _text(column: pa.Array) -> pa.Array:
    """Return one column's values as text cells ('' when missing)."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    kind = column.type
    if pa.types.is_floating(kind):
        whole = pc.and_(pc.is_finite(column), pc.equal(column, pc.round(column)))
        as_int = pc.cast(pc.if_else(whole, column, 0), pa.int64(), safe=False)
        text = pc.if_else(
            whole, pc.cast(as_int, pa.large_string()), pc.cast(column, pa.large_string())
        )
        text = pc.if_else(pc.is_nan(column), "", text)
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_timestamp(kind):
        seconds = pc.cast(column, pa.timestamp("s", kind.tz), safe=False)  # local wall time
        midnight = pc.all(pc.equal(pc.strftime(seconds, "%H:%M:%S"), "00:00:00")).as_py()
        text = pc.strftime(seconds, "%Y-%m-%d" if midnight is not False else "%Y-%m-%d %H:%M:%S")
    elif pa.types.is_date(kind):
        text = pc.strftime(column, "%Y-%m-%d")
    else:
        text = pc.cast(column, pa.large_string())
    return pc.fill_null(pc.cast(text, pa.large_string()), "")


def _disagree(frame: pd.DataFrame, given: dict[str, str], x: np.ndarray, y: np.ndarray) -> bool:
    """Whether a point's coordinate columns differ from its geometry (beyond 1e-6 degrees)."""
    for axis, geometry in (("lat", y), ("lon", x)):
        if axis not in given:
            return bool(np.isfinite(geometry).any())
        written = pd.to_numeric(frame[given[axis]], errors="coerce").to_numpy(dtype=float)
        both = np.isfinite(geometry)
        if (np.isnan(written[both]) | (np.abs(written[both] - geometry[both]) > 1e-6)).any():
            return True
    return False


def _points(
    frame: pd.DataFrame, geometry: str, chunks: list[pa.Array], start: int = 0
) -> list[Problem]:
    """Add ``lat``/``lon`` cells from Point geometries; return the problems of the others.

    ``start`` is the number of records before the frame's first.
    """
    wkb = np.concatenate([np.asarray(chunk.to_pylist(), dtype=object) for chunk in chunks]) \
        if chunks else np.array([], dtype=object)  # fmt: skip
    shapes = shapely.from_wkb(wkb, on_invalid="ignore")
    kinds = shapely.get_type_id(shapes)
    point = (kinds == 0) & ~shapely.is_empty(shapes)
    names = shapely.geometry.base.GEOMETRY_TYPES
    problems = [
        Problem(
            start + int(position) + 1,
            geometry,
            names[kinds[position]],
            "warning",
            f"Record {start + position + 1} has a {names[kinds[position]]} geometry"
            ": only Point geometries are used as event locations; the row is kept "
            "with its other location columns.",
        )
        for position in np.flatnonzero((kinds > 0) & ~shapely.is_empty(shapes))
    ]
    x = np.where(point, shapely.get_x(shapes), np.nan)
    y = np.where(point, shapely.get_y(shapes), np.nan)
    given = match_columns(list(frame.columns)).found
    if "lat" in given or "lon" in given:
        if _disagree(frame, given, x, y):
            problems.append(
                Problem(
                    0,
                    geometry,
                    "",
                    "warning",
                    f"The file's coordinate columns and its geometry column ('{geometry}') give "
                    "different points; the coordinate columns are used, the geometry is not.",
                )
            )
        return problems
    for axis, values in (("lat", y), ("lon", x)):
        text = pc.cast(pa.array(values, from_pandas=True), pa.large_string())
        frame[axis] = text_column([pc.fill_null(text, "")], [])
    return problems
