r"""Read a GeoJSON FeatureCollection (or a single Feature) into a ``RawTable``.

Each feature is a row (``row`` = feature index + 1); its properties are the cells (the union of
all features' property names, in first-seen order). A Point geometry becomes ``lat``/``lon``
text cells, unless the properties already give the coordinates (``lat``/``latitude``,
``lon``/``lng``/``longitude``, matched as ``geo.read.columns`` matches headers): then the properties
are kept, empty ones filled from the Point, and a warning names any that disagree with it.
Other geometry types are reported, not reduced to a point.

The work is bounded before and while parsing: the objects/arrays and values the JSON holds are
counted first (``{``, ``[`` and ``,``: memory grows with them, not with the bytes), property
names are counted as features are read (``MAX_COLUMNS``), and the table is built column by
column from the cells features have, so a file whose every feature has its own property is
refused, not expanded to features × names cells. Values at the edge of the libraries become
problems of the cell holding them: an integer longer than ``MAX_NUMBER_DIGITS`` digits (Python
refuses to convert those over 4,300) and an unpaired UTF-16 surrogate escape such as ``\ud800``
(no character; Arrow and UTF-8 output cannot hold it).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pandas as pd

from geo.errors import Problem
from geo.parse import shorten
from geo.read.columns import match_columns
from geo.read.common import (
    MAX_CELL_CHARS,
    RESERVED,
    RawTable,
    SparseColumns,
    file_error,
    long_cells,
    reserved_problem,
    value_text,
)

WGS84_NAMES = ("CRS84", "EPSG::4326", "EPSG:4326", "WGS84", "WGS 84")
EXPORT = "Export the layer as GeoJSON in WGS84 / EPSG:4326 (longitude, latitude in degrees)."
#: Coordinates considered equal when they differ by less than this many degrees.
TOLERANCE = 1e-6
#: Most JSON objects and arrays (``{`` and ``[``, also counted inside texts) a file may hold;
#: a feature with a Point needs 4. Parsed JSON takes up to ~115 bytes per object or array.
MAX_JSON_CONTAINERS = 500_000
#: Most JSON values (``,`` counted, also inside texts) a file may hold; a feature with ten
#: properties and a Point needs about 15. Parsed JSON takes up to ~55 bytes per value.
MAX_JSON_VALUES = 2_000_000
#: Longest JSON integer read, in digits (no count, coordinate or identifier comes near it).
MAX_NUMBER_DIGITS = 100
_TOO_DEEP = "The file's JSON is nested too deeply to be GeoJSON features. " + EXPORT
_SURROGATE = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"


def read_geojson(data: bytes, encoding: str, *, max_cell_chars: int = MAX_CELL_CHARS) -> RawTable:
    """Read GeoJSON features as rows of text cells.

    Parameters
    ----------
    data, encoding, max_cell_chars
        As for :func:`geo.read.csv.read_csv`.

    Returns
    -------
    RawTable
        ``format="geojson"``.

    Raises
    ------
    geo.errors.InputFileError
        Invalid or too deeply nested JSON (the message names the line and column), more JSON
        objects/arrays or values than ``MAX_JSON_CONTAINERS``/``MAX_JSON_VALUES``, not a
        FeatureCollection or Feature, a projected CRS, most coordinates outside ±180/±90, more
        than ``MAX_COLUMNS`` property names or more than ``MAX_CELLS`` cells.
    """
    document = _parse(_bounded_text(data, encoding))
    try:
        return _table(document, encoding, max_cell_chars)
    except RecursionError as exc:
        raise file_error(_TOO_DEEP) from exc


class LongNumber:
    """A JSON integer of more than ``MAX_NUMBER_DIGITS`` digits, kept as the text written."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def _table(document: Any, encoding: str, max_cell_chars: int) -> RawTable:
    features = _features(document)
    _check_crs(document)
    problems: list[Problem] = []
    table = SparseColumns("feature", "property names")
    points: list[tuple[float, float] | None] = []
    for index, feature in enumerate(features):
        cells, point = _feature_cells(index + 1, feature, problems, max_cell_chars)
        features[index] = None  # read: let the parsed feature go
        table.add(cells)
        points.append(point)
    _check_range(points)
    problems.extend(_row_problems_outside(points))
    if table.reserved:
        problems.append(reserved_problem(0))
    names = table.names
    coordinates = _coordinate_columns(names)
    frame = table.frame()
    for axis, column in coordinates.items():
        problems.extend(_merge_axis(frame, column, axis, points, column in names))
    frame[RESERVED] = pd.Series(range(1, table.count + 1), dtype="int64")
    problems.extend(long_cells(frame, max_cell_chars))
    if not table.count:
        problems.append(Problem(0, "", "", "warning", "The file has no features."))
    return RawTable(frame, sorted(problems, key=lambda p: p.row), encoding, "geojson")


def json_text(value: Any) -> str:
    """Return a property value as text ('' for null; nested values as compact JSON).

    An integer too long to read (``LongNumber``) is its digits (quoted inside nested JSON).
    """
    return value_text(value, true="true", false="false", other=_scalar_or_json)


def _scalar_or_json(value: Any) -> str:
    if isinstance(value, int | float | str | LongNumber):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _clean(text: str) -> str:
    """Return ``text`` with each unpaired surrogate replaced by U+FFFD."""
    return _SURROGATE.sub(_REPLACEMENT, text)


def _shown(value: Any) -> str:
    """Return a value from the file as a message shows it: text, shortened, printable."""
    return _clean(shorten(json_text(value)))


def _nested(value: Any, limit: int) -> tuple[LongNumber | None, bool]:
    """Return a ``LongNumber`` in a property value and whether it holds over ``limit`` values.

    The value may be nested (lists, objects); at most ``limit`` values are looked at.
    """
    if isinstance(value, LongNumber):
        return value, False
    if not isinstance(value, dict | list):
        return None, False
    found = None
    stack = [value]
    for _ in range(limit + 1):
        if not stack:
            return found, False
        item = stack.pop()
        if isinstance(item, LongNumber):
            found = found or item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found, bool(stack)


def _bounded_text(data: bytes, encoding: str) -> str:
    """Decode the file, refusing JSON whose parsing would take memory out of proportion.

    Parsed JSON takes ~100 bytes per object or array and ~60 per value, however short they
    are written (``{}`` is 3 bytes): the brackets and commas are counted (inside texts too,
    which only over-counts) before parsing.
    """
    text = data.decode(encoding)
    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS:
        raise file_error(
            f"The file's JSON opens {containers:,} objects and arrays (counting '{{' and '['); "
            f"at most {MAX_JSON_CONTAINERS:,} are read (a feature with a Point needs 4). Remove "
            "detailed geometries (polygons, lines) and nested values, or split the file."
        )
    values = text.count(",")
    if values > MAX_JSON_VALUES:
        raise file_error(
            f"The file's JSON holds {values:,} values (counting ','); at most "
            f"{MAX_JSON_VALUES:,} are read (a feature with ten properties needs about 15). "
            "Remove detailed geometries and properties you do not need, or split the file."
        )
    return text


def _integer(text: str) -> int | LongNumber:
    """Read a JSON integer; one longer than ``MAX_NUMBER_DIGITS`` digits stays text."""
    if len(text) - text.startswith("-") > MAX_NUMBER_DIGITS:
        return LongNumber(text)
    return int(text)


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_int=_integer)
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
        + (f" (its type is '{_shown(kind)}')" if isinstance(kind, str) else "")
        + ". "
        + EXPORT
    )


def _check_crs(document: dict) -> None:
    crs = document.get("crs")
    if not isinstance(crs, dict):
        return
    properties = crs.get("properties")
    name = _shown(properties.get("name", "")) if isinstance(properties, dict) else ""
    if not any(known.lower() in name.lower() for known in WGS84_NAMES):
        raise file_error(
            f"The file declares the coordinate reference system '{name or _shown(crs)}': its "
            "coordinates look projected (e.g. metres). " + EXPORT,
            name,
        )


def _feature_cells(
    number: int, feature: Any, problems: list[Problem], max_cell_chars: int
) -> tuple[dict[str, str], tuple[float, float] | None]:
    if not isinstance(feature, dict):
        problems.append(
            Problem(number, "", "", "error", f"Feature {number} is not a GeoJSON Feature object.")
        )
        return {}, None
    properties = feature.get("properties")
    cells = (
        dict(
            _property_cell(number, key, value, problems, max_cell_chars)
            for key, value in properties.items()
        )
        if isinstance(properties, dict)
        else {}
    )
    geometry = feature.get("geometry")
    if geometry is None:
        return cells, None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind != "Point":
        shown = _shown(kind) if kind else ""
        problems.append(
            Problem(
                number,
                "",
                shown,
                "warning",
                f"Feature {number} has a {shown or 'malformed'} geometry: only Point geometries "
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
                _shown(geometry.get("coordinates")),
                "error",
                f"Feature {number} has a Point without two numeric coordinates [longitude, "
                "latitude].",
            )
        )
    return cells, point


def _property_cell(
    number: int, key: str, value: Any, problems: list[Problem], max_cell_chars: int
) -> tuple[str, str]:
    """Return a property's column name and cell text; name a value the libraries cannot hold.

    An integer of more than ``MAX_NUMBER_DIGITS`` digits, an unpaired surrogate (in the name
    or the value; read as U+FFFD) and a nested value of more values than a cell has characters
    (not written out as JSON: its text would be longer still) are errors of the cell.
    """
    name = _clean(key)
    long, too_many = _nested(value, max_cell_chars)
    if too_many:
        problems.append(
            Problem(
                number,
                name,
                "",
                "error",
                f"Property '{shorten(name)}' holds a list or object of more than "
                f"{max_cell_chars:,} values, longer than a cell may be ({max_cell_chars:,} "
                "characters). Keep only what the events need and export the file again.",
            )
        )
        return name, ""
    text = json_text(value)
    if long is not None:
        digits = len(long.text) - long.text.startswith("-")
        problems.append(
            Problem(
                number,
                name,
                shorten(long.text),
                "error",
                f"Property '{shorten(name)}' holds a number of {digits:,} digits; at most "
                f"{MAX_NUMBER_DIGITS} digits are read. Correct the value (write it as text in "
                "quotes if it is not a number) and export the file again.",
            )
        )
    if name != key or _SURROGATE.search(text):
        text = _clean(text)
        problems.append(
            Problem(
                number,
                name,
                shorten(text),
                "error",
                f"Property '{shorten(name)}' holds an unpaired surrogate escape (\\ud800 to "
                "\\udfff in the JSON), which is not a character; it is read as \ufffd. Correct "
                "the text in the program that wrote the file and export it again.",
            )
        )
    return name, text


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
