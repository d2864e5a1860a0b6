"""Shared machinery of :mod:`geo.validate`: one table's cells, its problems, the output frame.

``Table`` holds a read table's stripped cells by schema column, the normalised columns built
so far (``out``) and a ``Collector`` of problems that marks the rows an error excludes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import Problem
from geo.reference.schema import COUNT_COLUMNS, CRS, SCHEMA_COLUMNS, TEXT_COLUMNS

__all__ = ["Collector", "Table", "assemble_events", "empty_events", "map_distinct"]


class Collector:
    """Problems of one table, and which rows an error excludes."""

    def __init__(self, rows: np.ndarray, headers: dict[str, str]) -> None:
        self.rows = rows
        self.headers = headers
        self.problems: list[Problem] = []
        self.bad = np.zeros(len(rows), dtype=bool)

    def add(
        self,
        mask: Any,
        column: str,
        values: pd.Series,
        message: str | pd.Series,
        severity: str = "error",
    ) -> None:
        """Record a problem for each row of ``mask``; an error also excludes the row."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        texts = message.to_numpy()[idx] if isinstance(message, pd.Series) else [message] * len(idx)
        header = self.headers.get(column, column)
        for i, value, text in zip(idx, values.to_numpy()[idx], texts, strict=True):
            self.problems.append(Problem(int(self.rows[i]), header, str(value), severity, text))
        if severity == "error":
            self.bad |= mask


def map_distinct(values: pd.Series, func: Callable[[str], tuple], width: int) -> list[pd.Series]:
    """Apply ``func`` once per distinct value; return one Series per item of its tuples."""
    codes, uniques = pd.factorize(values)
    table = np.empty((len(uniques), width), dtype=object)
    for i, value in enumerate(uniques):
        table[i] = func(value)
    return [pd.Series(table[codes, j], index=values.index, dtype=object) for j in range(width)]


def empty_events() -> gpd.GeoDataFrame:
    """Return an events frame with no rows and the normalised columns and dtypes."""
    frame = pd.DataFrame({"row": pd.Series(dtype="int64")})
    for col in SCHEMA_COLUMNS + ("place_ids",):
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


class Table:
    """One table being validated: its cells by schema column and the problems found."""

    def __init__(self, frame: pd.DataFrame, found: dict[str, str]) -> None:
        self.n = len(frame)
        self.found = found
        self.cells = {
            col: frame[header].astype(str).str.strip().reset_index(drop=True)
            for col, header in found.items()
        }
        self.rows = frame["row"].to_numpy(dtype="int64")
        self.out: dict[str, Any] = {"row": self.rows}
        self.problems = Collector(self.rows, found)

    def cell(self, column: str) -> pd.Series:
        """Return the stripped cells of ``column`` ('' everywhere when the file lacks it)."""
        if column not in self.cells:
            self.cells[column] = pd.Series([""] * self.n, dtype=str)
        return self.cells[column]

    def choice(self, column: str, allowed: tuple[str, ...], default: str) -> pd.Series:
        """Return a choice column's values (case, spaces, hyphens ignored), empty -> ``default``."""
        values = self.cell(column).str.lower().str.replace(r"[\s\-]+", "_", regex=True)
        given = values != ""
        self.problems.add(
            given & ~values.isin(allowed),
            column,
            self.cell(column),
            f"{column} must be one of: {', '.join(allowed)}",
        )
        return values.where(given, default)


def assemble_events(t: Table) -> gpd.GeoDataFrame:
    """Return the normalised events frame of the rows no error excluded."""
    keep = ~t.problems.bad
    columns: dict[str, Any] = {"row": t.rows[keep]}
    for col in SCHEMA_COLUMNS + ("place_ids",):
        values = pd.Series(t.out[col] if col in t.out else t.cell(col))[keep]
        if col in TEXT_COLUMNS:
            values = values.fillna("").astype(str)
        columns[col] = values.array
    frame = pd.DataFrame(columns)
    lat, lon = frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
    has = ~np.isnan(lat) & ~np.isnan(lon)
    geometry = np.full(len(frame), None, dtype=object)
    geometry[has] = shapely.points(lon[has], lat[has])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)
