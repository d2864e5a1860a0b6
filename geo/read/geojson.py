"""Read a GeoJSON FeatureCollection (or a single Feature) into a ``RawTable``.

Each feature is a row (``row`` = feature index + 1); its properties are the cells (the union of
all features' property names, in first-seen order). A Point geometry becomes ``lat``/``lon``
text cells, unless the properties already give the coordinates (``lat``/``latitude``,
``lon``/``lng``/``longitude``, matched as ``geo.read.columns`` matches headers): then the properties
are kept, empty ones filled from the Point, and a warning names any that disagree with it.
Other geometry types are reported, not reduced to a point.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from geo.errors import Problem
from geo.read.columns import match_columns
from geo.read.common import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    RESERVED,
    RawTable,
    file_error,
    long_cells,
    reserved_problem,
    value_text,
)

WGS84_NAMES = ("CRS84", "EPSG::4326", "EPSG:4326", "WGS84", "WGS 84")
EXPORT = "Export the layer as GeoJSON in WGS84 / EPSG:4326 (longitude, latitude in degrees)."
#: Coordinates considered equal when they differ by less than this many degrees.
TOLERANCE = 1e-6
_TOO_DEEP = "The file's JSON is nested too deeply to be GeoJSON features. " + EXPORT


def read_geojson(
    data: bytes, encoding: str, *, max_rows: int = MAX_ROWS, max_cell_chars: int = MAX_CELL_CHARS
) -> RawTable:
    """Read GeoJSON features as rows of text cells.

    Parameters
    ----------
    data, encoding, max_rows, max_cell_chars
        As for :func:`geo.read.csv.read_csv`, ``max_rows`` counting features.

    Returns
    -------
    RawTable
        ``format="geojson"``.

    Raises
    ------
    geo.errors.InputFileError
        Invalid or too deeply nested JSON (the message names the line and column), not a
        FeatureCollection or Feature, a projected CRS, most coordinates outside ±180/±90, or
        more than ``max_rows`` features.
    """
    document = _parse(data.decode(encoding))
    try:
        return _table(document, encoding, max_rows, max_cell_chars)
    except RecursionError as exc:
        raise file_error(_TOO_DEEP) from exc


def _table(document: Any, encoding: str, max_rows: int, max_cell_chars: int) -> RawTable:
    features = _features(document)
    if len(features) > max_rows:
        raise file_error(
            f"The file has {len(features):,} features; at most {max_rows:,} are read. "
            "Split it into smaller files."
        )
    _check_crs(document)
    problems: list[Problem] = []
    rows = [_feature_cells(number, feature, problems) for number, feature in enumerate(features, 1)]
    points = [point for _, point in rows]
    _check_range(points)
    problems.extend(_row_problems_outside(points))
    names = list(dict.fromkeys(name for cells, _ in rows for name in cells))
    if RESERVED in names:
        names.remove(RESERVED)
        problems.append(reserved_problem(0))
    coordinates = _coordinate_columns(names)
    frame = pd.DataFrame(
        {name: pd.Series([cells.get(name, "") for cells, _ in rows], dtype=str) for name in names},
        columns=names,
    )
    for axis, column in coordinates.items():
        problems.extend(_merge_axis(frame, column, axis, points, column in names))
    frame[RESERVED] = pd.Series(range(1, len(rows) + 1), dtype="int64")
    problems.extend(long_cells(frame, max_cell_chars))
    if not rows:
        problems.append(Problem(0, "", "", "warning", "The file has no features."))
    return RawTable(frame, sorted(problems, key=lambda p: p.row), encoding, "geojson")


def json_text(value: Any) -> str:
    """Return a property value as text ('' for null; nested values as compact JSON)."""
    return value_text(value, true="true", false="false", other=_scalar_or_json)


def _scalar_or_json(value: Any) -> str:
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise file_error(
            f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "It may be cut off; export it again.",
            text[max(exc.pos - 20, 0) : exc.pos + 20],
        ) from exc
    except RecursionError as exc:
        raise file_error(_TOO_DEEP) from exc


def _features(document: Any) -> list[Any]:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return document["features"]
    if kind == "Feature":
        return [document]
    raise file_error(
        "The file is JSON but not a GeoJSON FeatureCollection or Feature"
        + (f" (its type is '{kind}')" if isinstance(kind, str) else "")
        + ". "
        + EXPORT
    )


def _check_crs(document: dict) -> None:
    crs = document.get("crs")
    if not isinstance(crs, dict):
        return
    properties = crs.get("properties")
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if not any(known.lower() in name.lower() for known in WGS84_NAMES):
        raise file_error(
            f"The file declares the coordinate reference system '{name or crs}': its "
            "coordinates look projected (e.g. metres). " + EXPORT,
            name,
        )


def _feature_cells(
    number: int, feature: Any, problems: list[Problem]
) -> tuple[dict[str, str], tuple[float, float] | None]:
    if not isinstance(feature, dict):
        problems.append(
            Problem(number, "", "", "error", f"Feature {number} is not a GeoJSON Feature object.")
        )
        return {}, None
    properties = feature.get("properties")
    cells = (
        {str(key): json_text(value) for key, value in properties.items()}
        if isinstance(properties, dict)
        else {}
    )
    geometry = feature.get("geometry")
    if geometry is None:
        return cells, None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind != "Point":
        problems.append(
            Problem(
                number,
                "",
                str(kind or ""),
                "warning",
                f"Feature {number} has a {kind or 'malformed'} geometry: only Point geometries "
                "are used as event locations; the row is kept with its other location columns.",
            )
        )
        return cells, None
    point = _point(geometry.get("coordinates"))
    if point is None:
        problems.append(
            Problem(
                number,
                "",
                json_text(geometry.get("coordinates")),
                "error",
                f"Feature {number} has a Point without two numeric coordinates [longitude, "
                "latitude].",
            )
        )
    return cells, point


def _point(coordinates: Any) -> tuple[float, float] | None:
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    lon, lat = coordinates[0], coordinates[1]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat))
    if not numbers or not all(math.isfinite(v) for v in (lon, lat)):
        return None
    return lon, lat


def _outside(point: tuple[float, float]) -> bool:
    lon, lat = point
    return not (-180 <= lon <= 180 and -90 <= lat <= 90)


def _check_range(points: list[tuple[float, float] | None]) -> None:
    known = [p for p in points if p is not None]
    outside = [p for p in known if _outside(p)]
    if outside and len(outside) * 2 > len(known):
        lon, lat = outside[0]
        swapped = all(not _outside((b, a)) for a, b in outside)
        cause = (
            "the coordinates look like [latitude, longitude]; GeoJSON writes [longitude, "
            "latitude]. "
            if swapped
            else "the coordinates look projected (e.g. metres). "
        )
        raise file_error(
            f"{len(outside):,} of {len(known):,} points lie outside longitude ±180 / latitude "
            f"±90 (e.g. {json_text(lon)}, {json_text(lat)}): " + cause + EXPORT,
            f"{json_text(lon)}, {json_text(lat)}",
        )


def _coordinate_columns(names: list[str]) -> dict[str, str]:
    """Return the column holding each axis: the property that gives it, else lat/lon."""
    found = match_columns(names).found
    return {"lat": found.get("lat", "lat"), "lon": found.get("lon", "lon")}


def _merge_axis(
    frame: pd.DataFrame,
    column: str,
    axis: str,
    points: list[tuple[float, float] | None],
    from_properties: bool,
) -> list[Problem]:
    index = 1 if axis == "lat" else 0
    geometry = [json_text(p[index]) if p is not None else "" for p in points]
    if not from_properties:
        frame[column] = pd.Series(geometry, dtype=str)
        return []
    problems = []
    values = frame[column].tolist()
    for position, (value, point) in enumerate(zip(values, points, strict=True)):
        if point is None:
            continue
        if value.strip() == "":
            values[position] = geometry[position]
        elif not _same(value, point[index]):
            number = position + 1
            problems.append(
                Problem(
                    number,
                    column,
                    value,
                    "warning",
                    f"Property '{column}' ({value}) differs from the Point geometry's {axis} "
                    f"({geometry[position]}); the property is used.",
                )
            )
    frame[column] = pd.Series(values, dtype=str)
    return problems


def _same(text: str, number: float) -> bool:
    try:
        return abs(float(text) - number) < TOLERANCE
    except ValueError:
        return False


def _row_problems_outside(points: list[tuple[float, float] | None]) -> list[Problem]:
    return [
        Problem(
            number,
            "",
            f"{json_text(p[0])}, {json_text(p[1])}",
            "error",
            f"Feature {number}'s Point ({json_text(p[0])}, {json_text(p[1])}) lies outside "
            "longitude ±180 / latitude ±90.",
        )
        for number, p in enumerate(points, 1)
        if p is not None and _outside(p)
    ]
