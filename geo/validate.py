"""Validate a read table and normalise it into the events frame of docs/ARCHITECTURE.md.

Every row ends either in ``events`` or named by at least one error ``Problem``; warnings keep
the row and say what was read. Checks run column by column over whole Series; parsing runs
once per distinct value. The rules, beyond the column matching of :mod:`geo.columns`:

- Dates: a lone ``date`` (or ``date_start``) column holds whole dates read by
  :func:`geo.dates.parse_date` ("2024-04" is the month). With ``date_start`` and ``date_end``
  columns an empty cell is an open end (NaT); both empty is an error. A given
  ``date_precision`` must fit the dates, else it is derived (never finer than the text).
- Counts: numeric ``count_*`` columns, when present, are authoritative and ``count_text`` is
  kept as the source's words; otherwise ``count_text`` (alias ``count``) is read by
  :func:`geo.counts.parse_count`. Empty cells are completed by the count rule (``exact`` ->
  low = best = high, ...); an empty qualifier is derived when the numbers say it (a warning
  when only ``count_best`` is given), else it is an error.
- Location: ``admin1_codes`` accepts codes and province names (all normalised to upper-case
  codes; unknown ones are errors); ``place_names`` resolve through the gazetteer into
  ``place_ids``, unknown names are warnings with a suggestion, or an error when they are the
  row's only location and ``geo_precision`` is empty. ``geo_precision`` must fit what the row
  has; an empty cell is derived (point, place, admin1, else country) with a warning. Points
  are checked by :func:`geo.coords.check_points`.
- Sources: ``source_url`` (http/https only) or ``source_org`` is required.
- Links and duplicates: a repeated ``event_id`` is an error naming the first row;
  ``same_event_as`` must not name its own row (error) and should name an ``event_id`` of the
  file (warning); rows equal after case and space folding are warned about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import paths
from geo.columns import match_columns
from geo.coords import check_points
from geo.counts import MAX_COUNT, CountParseError, parse_count
from geo.dates import parse_date
from geo.errors import InputFileError, Problem
from geo.places import load_gazetteer, load_provinces
from geo.read import read_table
from geo.read_common import RawTable
from geo.schema import (
    COUNT_COLUMNS,
    COUNT_QUALIFIERS,
    CRS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    SCHEMA_COLUMNS,
    TEXT_COLUMNS,
)

__all__ = ["ValidationResult", "load_events", "load_shipped_events", "validate_table"]

_WHOLE_NUMBER = r"\d+|\d{1,3}(?:,\d{3})+|\d+\.0+"
#: A link with an http or https scheme and a host; nothing else is accepted as source_url.
_WEB_LINK = r"(?i)https?://[^/?#\s]+"


@dataclass
class ValidationResult:
    """The valid events of a file and every problem found in it."""

    events: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def valid(self) -> int:
        """Number of rows kept as events."""
        return len(self.events)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"rows", "valid", "problems": [...]}``, ready for JSON."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "problems": [p.to_dict() for p in self.problems],
        }


class _Collector:
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


def _map_distinct(values: pd.Series, func: Callable[[str], tuple], width: int) -> list[pd.Series]:
    """Apply ``func`` once per distinct value; return one Series per item of its tuples."""
    codes, uniques = pd.factorize(values)
    table = np.empty((len(uniques), width), dtype=object)
    for i, value in enumerate(uniques):
        table[i] = func(value)
    return [pd.Series(table[codes, j], index=values.index, dtype=object) for j in range(width)]


def _empty_events() -> gpd.GeoDataFrame:
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


class _Table:
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
        self.problems = _Collector(self.rows, found)

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


def _check_ids(t: _Table) -> None:
    ids = t.cell("event_id")
    generated = "row-" + pd.Series(t.rows).astype(str)
    missing = ids == ""
    if "event_id" in t.found:
        t.problems.add(
            missing, "event_id", ids, "event_id empty; generated as row-<row number>", "warning"
        )
    ids = ids.where(~missing, generated)
    first = pd.Series(t.rows).groupby(ids.to_numpy()).transform("first")
    dup = ids.duplicated(keep="first")
    t.problems.add(
        dup, "event_id", ids, "duplicate event_id; first used on row " + first.astype(str)
    )
    t.out["event_id"] = ids


def _parse_dates(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Start, end, precision ('' if none) and error message ('' if none) of each cell."""
    codes, uniques = pd.factorize(cells)
    start = np.full(len(uniques), None, dtype=object)
    end = np.full(len(uniques), None, dtype=object)
    precision = np.full(len(uniques), "", dtype=object)
    errors = np.full(len(uniques), "", dtype=object)
    for i, text in enumerate(uniques):
        if not text:
            continue
        try:
            value = parse_date(text)
        except ValueError as err:
            errors[i] = str(err)
            continue
        start[i], end[i], precision[i] = value.start, value.end, value.precision
    return (
        pd.Series(pd.to_datetime(start[codes]), dtype="datetime64[us]"),
        pd.Series(pd.to_datetime(end[codes]), dtype="datetime64[us]"),
        pd.Series(precision[codes], dtype=object),
        pd.Series(errors[codes], dtype=object),
    )


def _dates_from_columns(t: _Table) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Start, end and derived precision from ``date_start``/``date_end``."""
    parsed = {}
    for col in ("date_start", "date_end"):
        *parsed[col], errors = _parse_dates(t.cell(col))
        t.problems.add(errors != "", col, t.cell(col), errors)
    start, _, start_precision = parsed["date_start"]
    _, end, _ = parsed["date_end"]
    same_text = (t.cell("date_start") == t.cell("date_end")) & start.notna()
    day = (start_precision == "day") & (start == end)
    derived = np.where(same_text, start_precision, np.where(day, "day", "period"))
    none = (t.cell("date_start") == "") & (t.cell("date_end") == "")
    column = "date_start" if "date_start" in t.found else "date_end"
    t.problems.add(none, column, t.cell(column), "no date: give date_start, date_end or both")
    return start, end, pd.Series(derived, dtype=object)


def _check_dates(t: _Table) -> None:
    # A lone date or date_start column holds whole dates ("2024-04" is the month); with both
    # date_start and date_end columns, an empty cell is an open end (NaT).
    single = "date" if "date" in t.found else "date_start"
    if single in t.found and "date_end" not in t.found:
        start, end, derived, errors = _parse_dates(t.cell(single))
        cells = t.cell(single)
        t.problems.add(errors != "", single, cells, errors)
        t.problems.add(cells == "", single, cells, "no date given")
    else:
        start, end, derived = _dates_from_columns(t)
    t.problems.add(start > end, "date_end", t.cell("date_end"), "date_end is before date_start")
    precision = t.choice("date_precision", DATE_PRECISIONS, "")
    both = start.notna() & end.notna()
    fits = pd.Series(True, index=start.index)
    fits[precision == "day"] = both & (start == end)
    fits[precision == "month"] = (
        both & (start.dt.day == 1) & (end == start + pd.offsets.MonthEnd(0))
    )
    fits[precision == "year"] = (
        both
        & (start.dt.day_of_year == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    )
    t.problems.add(
        ~fits.fillna(False).astype(bool),
        "date_precision",
        t.cell("date_precision"),
        "date_precision does not fit the dates: day needs start = end, month a whole month, "
        "year a whole year; use period otherwise",
    )
    t.out["date_start"], t.out["date_end"] = start, end
    t.out["date_precision"] = precision.where(precision != "", derived)


def _whole_numbers(t: _Table, column: str) -> pd.Series:
    """Return a count column as float (NaN when empty); non-whole-number cells are errors."""
    cells = t.cell(column)
    ok = cells.str.fullmatch(_WHOLE_NUMBER)
    numbers = pd.to_numeric(cells.where(ok, "").str.replace(",", ""), errors="coerce")
    numbers = numbers.astype(float)
    ok &= ~(numbers > MAX_COUNT)
    t.problems.add(
        (cells != "") & ~ok,
        column,
        cells,
        f"{column} must be a whole number of people from 0 to {MAX_COUNT:,} (e.g. 60)",
    )
    return numbers.where(ok)


def _counts_from_numbers(t: _Table) -> dict[str, pd.Series]:
    """Read counts from ``count_best``/``count_low``/``count_high`` (+ ``count_qualifier``)."""
    best, low, high = (_whole_numbers(t, c) for c in COUNT_COLUMNS)
    qualifier = t.choice("count_qualifier", COUNT_QUALIFIERS, "")
    b, lo, hi = best.notna(), low.notna(), high.notna()
    empty = qualifier == ""
    exact_like = b & (~lo | (low == best)) & (~hi | (high == best))
    derived = np.select(
        [~b & ~lo & ~hi, exact_like, ~b & lo & hi], ["unknown", "exact", "unknown"], default=""
    )
    q_cells = t.cell("count_qualifier")
    t.problems.add(
        empty & (derived == ""),
        "count_qualifier",
        q_cells,
        "count_qualifier is needed for these counts (exact, about, more_than, at_least, up_to "
        "or unknown)",
    )
    t.problems.add(
        empty & (derived == "exact") & (~lo | ~hi),
        "count_qualifier",
        q_cells,
        "count_qualifier empty; read as exact",
        "warning",
    )
    qualifier = qualifier.where(~empty, pd.Series(derived, dtype=object))
    order = (lo & b & (low > best)) | (b & hi & (best > high)) | (lo & hi & (low > high))
    t.problems.add(
        order,
        "count_low",
        t.cell("count_low"),
        "counts must satisfy count_low <= count_best <= count_high",
    )
    t.problems.add(
        (qualifier == "unknown") & b,
        "count_best",
        t.cell("count_best"),
        "count_qualifier unknown takes no count_best: give only count_low/count_high for a range",
    )
    t.problems.add(
        qualifier.isin(("exact", "about", "more_than", "at_least", "up_to")) & ~b,
        "count_best",
        t.cell("count_best"),
        "count_best is needed for this count_qualifier",
    )
    t.problems.add(
        (qualifier == "exact") & ((lo & (low != best)) | (hi & (high != best))),
        "count_qualifier",
        q_cells,
        "an exact count has count_low = count_best = count_high",
    )
    fill_low = qualifier.isin(("exact", "about", "more_than", "at_least"))
    fill_high = qualifier.isin(("exact", "up_to"))
    return {
        "count_best": best,
        "count_low": low.where(lo | ~fill_low, best),
        "count_high": high.where(hi | ~fill_high, best),
        "count_qualifier": qualifier,
    }


def _count_fields(text: str) -> tuple[int | None, int | None, int | None, str, str]:
    """Return best, low, high, qualifier and an error message ('' if none) of a count text."""
    try:
        value = parse_count(text)
    except CountParseError as err:
        return None, None, None, "unknown", str(err)
    return value.best, value.low, value.high, value.qualifier, ""


def _counts_from_text(t: _Table) -> dict[str, pd.Series]:
    """Read counts from ``count_text`` (or its alias ``count``) with :func:`parse_count`."""
    cells = t.cell("count_text")
    *numbers, parsed, errors = _map_distinct(cells, _count_fields, 5)
    t.problems.add(errors != "", "count_text", cells, errors)
    out = {
        col: pd.to_numeric(s).astype(float) for col, s in zip(COUNT_COLUMNS, numbers, strict=True)
    }
    given = t.choice("count_qualifier", COUNT_QUALIFIERS, "")
    t.problems.add(
        (given != "") & (errors == "") & (given != parsed),
        "count_qualifier",
        t.cell("count_qualifier"),
        "count_qualifier does not match count_text (read as " + parsed + ")",
    )
    out["count_qualifier"] = parsed
    return out


def _check_counts(t: _Table) -> None:
    numeric = any(c in t.found for c in COUNT_COLUMNS)
    counts = _counts_from_numbers(t) if numeric else _counts_from_text(t)
    for col in COUNT_COLUMNS:
        t.out[col] = counts[col].round().astype("Int64")
    t.out["count_qualifier"] = counts["count_qualifier"]
    t.out["count_text"] = t.cell("count_text")


def _names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


def _unknown_message(kind: str, names: list[tuple[str, str | None]]) -> str:
    parts = [f"{name!r}" + (f" (did you mean {hint!r}?)" if hint else "") for name, hint in names]
    return f"{kind}: " + ", ".join(parts)


def _resolve_places(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return ``place_ids``, a message naming unknown places ('' if none) and the first id."""
    gazetteer = load_gazetteer()

    def resolve(cell: str) -> tuple[str, str, str]:
        ids, unknown = [], []
        for name in _names(cell):
            place_id = gazetteer.resolve(name)
            if place_id is None:
                unknown.append((name, gazetteer.suggest(name)))
            elif place_id not in ids:
                ids.append(place_id)
        message = _unknown_message("not in the gazetteer (data/places.csv)", unknown)
        return "|".join(ids), message if unknown else "", ids[0] if ids else ""

    ids, message, first = _map_distinct(cells, resolve, 3)
    return ids.astype(str), message.astype(str), first.astype(str)


def _resolve_codes(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return ISO 3166-2 codes for codes or province names, and an error message, per cell."""
    provinces = load_provinces()

    def resolve(cell: str) -> tuple[str, str]:
        codes, unknown = [], []
        for name in _names(cell):
            code = provinces.resolve(name)
            if code is None:
                unknown.append((name, provinces.suggest(name)))
            elif code not in codes:
                codes.append(code)
        message = (
            _unknown_message("unknown province code or name", unknown)
            + "; give ISO 3166-2 codes (CN-JL, KP-09) or names (Jilin, North Hamgyong), "
            "several separated by |"
        )
        return "|".join(codes), message if unknown else ""

    codes, message = _map_distinct(cells, resolve, 2)
    return codes.astype(str), message.astype(str)


def _coordinates(t: _Table) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Explicit lat, lon (NaN when absent or wrong) and whether the pair is a usable point."""
    numbers = {}
    for col in ("lat", "lon"):
        cells = t.cell(col)
        numbers[col] = pd.to_numeric(cells.where(cells != "", None), errors="coerce")
        numbers[col] = numbers[col].astype(float)
        t.problems.add(
            (cells != "") & numbers[col].isna(),
            col,
            cells,
            f"{col} must be a number in decimal degrees (e.g. 40.1)",
        )
    lat, lon = numbers["lat"], numbers["lon"]
    messages = check_points(lat, lon)
    pair = t.cell("lat") + ", " + t.cell("lon")
    t.problems.add(messages != "", "lat", pair, messages)
    point = lat.notna() & lon.notna() & (messages == "")
    return lat.where(point), lon.where(point), point


def _check_location(t: _Table) -> None:
    place_ids, unknown_places, first = _resolve_places(t.cell("place_names"))
    codes, bad_codes = _resolve_codes(t.cell("admin1_codes"))
    t.problems.add(bad_codes != "", "admin1_codes", t.cell("admin1_codes"), bad_codes)
    lat, lon, point = _coordinates(t)
    has_place, has_codes = place_ids != "", codes != ""
    cells = t.cell("geo_precision")
    given = t.choice("geo_precision", GEO_PRECISIONS, "")
    derived = pd.Series(
        np.select([point, has_place, has_codes], ["point", "place", "admin1"], "country"),
        dtype=object,
    )
    unknown = unknown_places != ""
    # Only unknown place names: an error, unless geo_precision says the row is located by them.
    only_unknown = unknown & ~point & ~has_place & ~has_codes
    unlocated = only_unknown & (given == "")
    t.problems.add(
        unlocated,
        "place_names",
        t.cell("place_names"),
        unknown_places + "; the row has no other location (correct the name, add "
        "admin1_codes or lat/lon, or set geo_precision to place to keep the row listed but "
        "not mapped)",
    )
    fallback = pd.Series(
        np.where(has_codes, "mapped by its admin1_codes", "listed, not mapped"), dtype=object
    )
    unplaced = (given == "place") & ~has_place & ~point & unknown
    t.problems.add(
        unplaced,
        "place_names",
        t.cell("place_names"),
        unknown_places + "; no place found, so the row is " + fallback,
        "warning",
    )
    t.problems.add(
        unknown & ~unlocated & ~unplaced,
        "place_names",
        t.cell("place_names"),
        unknown_places,
        "warning",
    )
    needs = {
        "point": (point, "geo_precision point needs lat and lon"),
        "place": (
            has_place | unplaced,
            "geo_precision place needs a place_names entry found in the gazetteer",
        ),
        "admin1": (has_codes, "geo_precision admin1 needs admin1_codes"),
    }
    for precision, (ok, message) in needs.items():
        t.problems.add((given == precision) & ~ok, "geo_precision", cells, message)
    if "geo_precision" in t.found:
        t.problems.add(
            (given == "") & ~unlocated,
            "geo_precision",
            cells,
            "geo_precision empty; derived as " + derived,
            "warning",
        )
    precision = given.where(given != "", derived)
    gazetteer = load_gazetteer().frame
    known = first.isin(gazetteer.index)
    place_lat = first.map(gazetteer["lat"].astype(float)).where(known)
    place_lon = first.map(gazetteer["lon"].astype(float)).where(known)
    t.out["lat"] = lat.where(point, place_lat).astype(float)
    t.out["lon"] = lon.where(point, place_lon).astype(float)
    t.out["place_ids"] = place_ids
    t.out["admin1_codes"] = codes
    t.out["place_names"] = t.cell("place_names")
    t.out["location_text"] = t.cell("location_text")
    t.out["geo_precision"] = precision


def _check_sources(t: _Table) -> None:
    urls, orgs = t.cell("source_url"), t.cell("source_org")
    column = "source_url" if "source_url" in t.found else "source_org"
    t.problems.add(
        (urls == "") & (orgs == ""),
        column,
        t.cell(column),
        "no source: give source_url (http/https) or source_org",
    )
    web = urls.str.match(_WEB_LINK)
    t.problems.add(
        (urls != "") & ~web,
        "source_url",
        urls,
        "source_url must be an http:// or https:// link",
    )
    published = t.cell("source_published")
    start, _, precision, errors = _parse_dates(published)
    t.problems.add(
        (published != "") & ((errors != "") | (precision == "period")),
        "source_published",
        published,
        "source_published must be one date, e.g. 2024-04-26 (or 2024-04, 2024)",
    )
    iso = start.dt.strftime("%Y-%m-%d").fillna("")
    t.out["source_published"] = pd.Series(
        np.select(
            [precision == "day", precision == "month", precision == "year"],
            [iso, iso.str[:7], iso.str[:4]],
            "",
        ),
        dtype=object,
    )


def _check_links(t: _Table) -> None:
    ids = t.out["event_id"]
    same = t.cell("same_event_as")
    given = same != ""
    t.problems.add(
        given & (same == ids),
        "same_event_as",
        same,
        "same_event_as names the row's own event_id",
    )
    known = set(ids.tolist())
    found = np.zeros(t.n, dtype=bool)
    found[given.to_numpy()] = [v in known for v in same[given]]
    t.problems.add(
        given & (same != ids) & ~found,
        "same_event_as",
        same,
        "same_event_as names no event_id in this file",
        "warning",
    )


def _check_duplicates(t: _Table) -> None:
    columns = [t.cells[c] for c in t.found if c != "event_id"]
    if not columns or not t.n:
        return
    text = columns[0].str.cat(columns[1:], sep="\x00").str.lower()
    spaced = text.str.contains("  ", regex=False)
    for char in "\t\n\r\xa0":
        spaced |= text.str.contains(char, regex=False)
    text[spaced] = text[spaced].str.replace(r"\s+", " ", regex=True)
    first = pd.Series(t.rows).groupby(text.to_numpy()).transform("first")
    t.problems.add(
        text.duplicated(keep="first").to_numpy(),
        "",
        t.out["event_id"],
        "same content as row " + first.astype(str) + " (a duplicate row?)",
        "warning",
    )


def _assemble(t: _Table) -> gpd.GeoDataFrame:
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


def validate_table(raw: RawTable) -> ValidationResult:
    """Validate a read table and normalise its valid rows.

    Parameters
    ----------
    raw : RawTable
        From ``geo.read.read_table``: all-text cells plus the int ``row`` column.

    Returns
    -------
    ValidationResult
        ``events`` in the normalised shape of docs/ARCHITECTURE.md; ``problems`` with the read
        problems first, then whole-file problems, then row problems in row order.
    """
    frame = raw.frame
    read_problems = list(raw.problems)
    columns = match_columns([c for c in frame.columns if c != "row"])
    problems = read_problems + columns.problems
    if not columns.usable:
        return ValidationResult(_empty_events(), problems, len(frame))
    t = _Table(frame, columns.found)
    _check_ids(t)
    t.out["event_type"] = t.choice("event_type", EVENT_TYPES, "forced_return")
    if "event_type" in t.found:
        t.problems.add(
            t.cell("event_type") == "",
            "event_type",
            t.cell("event_type"),
            "event_type empty; read as forced_return",
            "warning",
        )
    _check_dates(t)
    _check_counts(t)
    _check_location(t)
    _check_sources(t)
    _check_links(t)
    _check_duplicates(t)
    read_errors = {p.row for p in read_problems if p.severity == "error" and p.row > 0}
    t.problems.bad |= np.isin(t.rows, list(read_errors))
    row_problems = sorted(t.problems.problems, key=lambda p: p.row)
    return ValidationResult(_assemble(t), problems + row_problems, len(frame))


def load_events(source: str | Path | bytes, filename: str | None = None) -> ValidationResult:
    """Read a file (``geo.read.read_table``) and validate it.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes (an upload).
    filename : str, optional
        The file's name, used to tell its format when ``source`` is bytes.

    Returns
    -------
    ValidationResult
        With no events and the read error when the file cannot be read at all.
    """
    try:
        raw = read_table(source, filename)
    except InputFileError as err:
        return ValidationResult(_empty_events(), [err.problem], 0)
    return validate_table(raw)


@cache
def load_shipped_events() -> ValidationResult:
    """Validate ``data/events.csv`` (cached: do not mutate the result's frame)."""
    return load_events(paths.EVENTS_CSV)
