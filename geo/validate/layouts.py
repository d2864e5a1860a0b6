"""Files in the layout of a known data set, recognised by their headers and read as events.

ACLED exports, UCDP GED files (CSV, or GeoJSON as ogr2ogr writes it) and GDELT 2.0 events
files with their header are recognised; each layout's rules are in its function and its
``Layout.summary`` (the warning a user reads), and in docs/INPUT.md.

An ACLED export (the classic layout with ``gwno``/``ally_actor_1`` and the 2023 layout with
``disorder_type``/``civilian_targeting``) is recognised by its ``event_id_cnty``,
``event_date``, ``latitude``, ``longitude``, ``geo_precision`` and ``fatalities`` columns and
rewritten into schema columns before validation; one whole-file warning says so and what maps
to what. Nothing is dropped: ACLED's own columns the schema has no place for (its event and
sub-event types, actors, ``fatalities``, which counts deaths, not people returned) are kept in
``notes``.

- ``event_date``: ISO dates and ``31 December 2019`` as written; ``18/04/2001`` (day first, the
  classic export) and ``5-Aug-24`` (as Excel re-saves it) are read; ``31-12-19`` is ambiguous
  and left for the date check to name. ``time_precision`` 2 (a day within a week) becomes the
  week around the date, 3 (within a month) the date's month.
- ``geo_precision`` 1 and 2: the coordinates are the event's point (2: near the named place).
  3: the coordinates are a province's centroid, never drawn as a point: the row is placed in its
  ``admin1`` when that is a province of the map; elsewhere the point is kept (it lies outside
  the mapped provinces: counted as outside, not drawn), as is a point beyond the map area (e.g.
  in Iran: a warning, never a refusal).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.errors import Problem
from geo.read.columns import header_key
from geo.read.common import RESERVED, RawTable
from geo.reference import Reference
from geo.reference.schema import BORDER_COUNTRIES
from geo.validate.core import map_distinct

__all__ = ["FORMATS", "FORMAT_NAMES", "LAYOUTS", "Layout", "read_layout"]


@dataclass(frozen=True)
class Layout:
    """A data set's file layout: the header keys that identify it and how it is read."""

    key: str
    name: str
    #: The header keys that identify the layout (all of them: recognised with no choice made).
    required: frozenset[str]
    #: The header keys it cannot be read without, when a user chooses it.
    needs: frozenset[str]
    convert: Callable[[dict[str, pd.Series], Reference], dict[str, pd.Series]]
    summary: str
    #: (header keys that mark a variant, its label): the first whose keys the file has.
    variants: tuple[tuple[frozenset[str], str], ...] = ()
    #: Schema column -> the header key it is read from one to one: problems name that column.
    read_from: dict[str, str] = field(default_factory=dict, hash=False)

    def variant(self, keys: set[str]) -> str:
        """Return the layout's name as said to the user (with its variant, if told apart)."""
        label = next((label for marks, label in self.variants if marks & keys), "")
        return f"{self.name} ({label})" if label else self.name


_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EXCEL_DAY = re.compile(r"\d{1,2}-[A-Za-z]{3}-\d{2}")


def _acled_day(text: str) -> str:
    """Return an ACLED ``event_date`` as ISO where its form is known, else as written."""
    if found := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    if _EXCEL_DAY.fullmatch(text):
        try:
            return dt.datetime.strptime(text, "%d-%b-%y").date().isoformat()
        except ValueError:
            return text
    return text


def _acled_date(day: str, precision: str) -> str:
    """Return the date cell: the day, the week around it (precision 2) or its month (3)."""
    iso = _acled_day(day)
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if precision == "2":
        start, end = date - dt.timedelta(days=3), date + dt.timedelta(days=3)
        return f"{start.isoformat()}/{end.isoformat()}"
    if precision == "3":
        return f"{date:%Y-%m}"
    return iso


def _joined(parts: list[tuple[str, pd.Series]], separator: str, index: pd.Index) -> pd.Series:
    """Join each row's non-empty cells with ``separator``, each after its label (may be '').

    ``index`` is the rows' (there may be no parts, or no rows).

    Each distinct combination of cells is joined once (an export's 20-odd extra columns
    repeat a few values: actors, types, regions), so 50,000 rows cost little more than their
    distinct combinations; joining cell by cell took 2 s.
    """
    if not parts or not len(index):
        return pd.Series("", index=index, dtype=object)
    codes, labelled = [], []
    for label, values in parts:
        column_codes, uniques = pd.factorize(values.str.strip())
        texts = np.asarray(uniques, dtype=object)
        labelled.append([label + text if text else "" for text in texts.tolist()])
        codes.append(column_codes)
    combination = codes[0]
    for column_codes in codes[1:]:  # one int per distinct combination so far, always < rows
        combination = pd.factorize(combination * (column_codes.max() + 1) + column_codes)[0]
    _, first_rows = np.unique(combination, return_index=True)
    joined = np.array(
        [
            separator.join(text for column, column_codes in zip(labelled, codes, strict=True)
                           if (text := column[column_codes[row]]))
            for row in first_rows.tolist()
        ],
        dtype=object,
    )  # fmt: skip
    return pd.Series(joined[combination], index=index, dtype=object)


def _then(first: pd.Series, second: pd.Series, separator: str) -> pd.Series:
    """Return ``first`` and ``second`` joined by ``separator`` where both are non-empty."""
    a, b = first.to_numpy(dtype=object), second.to_numpy(dtype=object)
    both = np.where(a == "", b, np.where(b == "", a, a + separator + b))
    return pd.Series(both, index=first.index, dtype=object)


def _per_distinct(values: pd.Series, func: Callable[[str], str]) -> pd.Series:
    """Return ``func`` of each cell, computed once per distinct value (``map_distinct``)."""
    return map_distinct(values, lambda value: (func(value),), 1)[0]


def _located(
    lat: pd.Series, lon: pd.Series, province: pd.Series, by_province: pd.Series,
    border_wide: pd.Series | None = None,
) -> dict[str, pd.Series]:  # fmt: skip
    """Return the location columns: the point, else the province, else border-wide.

    A row placed by its province or as border-wide keeps no coordinates: a centroid is never
    drawn as a point.
    """
    wide = pd.Series(False, index=lat.index) if border_wide is None else border_wide
    point = ~by_province & ~wide
    precision = pd.Series("point", index=lat.index).where(~by_province, "admin1")
    return {
        "lat": lat.where(point, ""),
        "lon": lon.where(point, ""),
        "admin1_codes": province.where(by_province, ""),
        "geo_precision": precision.where(~wide, "country"),
    }


#: ACLED columns read into the schema; every other column goes to ``notes``.
_ACLED_READ = {"event_id_cnty", "event_date", "time_precision", "latitude", "longitude",
               "geo_precision", "location", "admin1", "country", "source", "notes"}  # fmt: skip


def _getter(cells: dict[str, pd.Series]) -> Callable[[str], pd.Series]:
    """Return ``cell(key)``: the stripped cells of ``key`` ('' everywhere when absent)."""
    index = next(iter(cells.values())).index

    def cell(key: str) -> pd.Series:
        return cells[key].str.strip() if key in cells else pd.Series("", index=index, dtype=str)

    return cell


def _extras(cells: dict[str, pd.Series], prefix: str, read: set[str]) -> list:
    """Return the columns not read into the schema, labelled for ``notes``."""
    return [(f"{prefix} {key}: ", values) for key, values in cells.items() if key not in read]


def _acled(cells: dict[str, pd.Series], reference: Reference) -> dict[str, pd.Series]:
    """Return the schema columns of an ACLED export's cells (keyed by header key)."""
    cell = _getter(cells)
    index = cell("event_date").index
    precision = cell("geo_precision")
    province = _per_distinct(cell("admin1"), lambda n: reference.province_codes.resolve(n) or "")
    by_province = (precision == "3") & (province != "")
    extras = _extras(cells, "ACLED", _ACLED_READ)
    return {
        "event_id": cell("event_id_cnty"),
        "date": _per_distinct(
            cell("event_date") + "|" + cell("time_precision"),
            lambda both: _acled_date(*both.rsplit("|", 1)),
        ),
        **_located(cell("latitude"), cell("longitude"), province, by_province),
        "location_text": _joined(
            [("", cell(k)) for k in ("location", "admin1", "country")], ", ", index
        ),
        "source_org": cell("source"),
        "notes": _then(cell("notes"), _joined(extras, "; ", index), "; "),
    }


#: UCDP GED columns read into the schema; every other column goes to ``notes``.
_GED_READ = {"id", "date_start", "date_end", "best", "low", "high", "latitude", "longitude",
             "where_prec", "where_description", "adm_1", "adm_2", "country", "source_office",
             "source_article"}  # fmt: skip


def _ged(cells: dict[str, pd.Series], reference: Reference) -> dict[str, pd.Series]:
    """Return the schema columns of a UCDP GED file's cells (CSV or GeoJSON properties)."""
    cell = _getter(cells)
    index = cells["date_start"].index
    precision = pd.to_numeric(cell("where_prec"), errors="coerce").fillna(1)
    province = _per_distinct(cell("adm_1"), lambda n: reference.province_codes.resolve(n) or "")
    by_province = (precision >= 4) & (province != "")
    border_wide = (
        ~by_province & (precision >= 5) & cell("country").str.lower().isin(BORDER_COUNTRIES)
    )
    best, low, high = cell("best"), cell("low"), cell("high")
    return {
        "event_id": cell("id"),
        "date_start": cell("date_start").str.slice(0, 10),  # "2009-02-20 00:00:00.000"
        "date_end": cell("date_end").str.slice(0, 10),
        "count_best": best,
        "count_low": low,
        "count_high": high,
        "count_qualifier": pd.Series("about", index=index).where(
            (low != best) | (high != best), "exact"
        ),
        **_located(cell("latitude"), cell("longitude"), province, by_province, border_wide),
        "location_text": _joined(
            [("", cell(k)) for k in ("where_description", "adm_2", "adm_1", "country")],
            ", ",
            index,
        ),
        "source_org": cell("source_office"),
        "source_title": cell("source_article"),
        "notes": _joined(_extras(cells, "GED", _GED_READ), "; ", index),
    }


#: GDELT columns read into the schema; every other column goes to ``notes``.
_GDELT_READ = {"globaleventid", "sqldate", "actiongeo_type", "actiongeo_fullname",
               "actiongeo_countrycode", "actiongeo_lat", "actiongeo_long", "sourceurl"}  # fmt: skip


def _gdelt_day(text: str) -> str:
    """Return ``SQLDATE`` (``20231009``) as ISO, or as written when it is not such a date."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return text


def _gdelt(cells: dict[str, pd.Series], reference: Reference) -> dict[str, pd.Series]:
    """Return the schema columns of a GDELT events file's cells."""
    cell = _getter(cells)
    index = cell("sqldate").index
    kind = cell("actiongeo_type")
    place = cell("actiongeo_fullname")

    def province_of(full_name: str) -> str:
        parts = [p.strip() for p in full_name.split(",")]
        return next((c for p in parts[:-1] if (c := reference.province_codes.resolve(p))), "")

    province = _per_distinct(place, province_of)
    # Types 1 (a country) and 2, 5 (a state or province) are centroids, never exact points.
    by_province = kind.isin(["2", "5"]) & (province != "")
    border_wide = (kind == "1") & cell("actiongeo_countrycode").str.lower().isin(BORDER_COUNTRIES)
    return {
        "event_id": cell("globaleventid"),
        "date": _per_distinct(cell("sqldate"), _gdelt_day),
        **_located(
            cell("actiongeo_lat"), cell("actiongeo_long"), province, by_province, border_wide
        ),
        "location_text": place,
        "source_url": cell("sourceurl"),
        "notes": _joined(_extras(cells, "GDELT", _GDELT_READ), "; ", index),
    }


LAYOUTS = (
    Layout(
        "acled",
        "an ACLED export",
        frozenset(
            {"event_id_cnty", "event_date", "latitude", "longitude", "geo_precision", "fatalities"}
        ),  # fmt: skip
        frozenset({"event_date", "latitude", "longitude"}),
        _acled,
        "event_id_cnty as event_id, event_date (with time_precision) as the date, latitude and "
        "longitude as the point (geo_precision 3: the admin1 province instead), location, "
        "admin1 and country as location_text, source as source_org; ACLED's event types, "
        "actors and fatalities (deaths, not people returned) are kept in notes",
        variants=(
            (frozenset({"gwno", "ally_actor_1"}), "classic layout"),
            (frozenset({"disorder_type", "civilian_targeting"}), "2023 layout"),
        ),
        read_from={"event_id": "event_id_cnty", "date": "event_date", "lat": "latitude",
                   "lon": "longitude", "source_org": "source"},  # fmt: skip
    ),
    Layout(
        "ucdp-ged",
        "a UCDP GED file",
        frozenset(
            {"relid", "where_prec", "date_prec", "date_start", "date_end", "best", "low", "high"}
        ),  # fmt: skip
        frozenset({"date_start", "date_end", "latitude", "longitude"}),
        _ged,
        "id as event_id, date_start and date_end as the dates, best, low and high as the count "
        "range, latitude and longitude as the point (where_prec 4 and up: the adm_1 province, "
        "or a border-wide event in China or North Korea), where_description, adm_2, adm_1 and "
        "country as location_text, source_office as source_org, source_article as "
        "source_title; the other GED columns are kept in notes",
        read_from={"event_id": "id", "date_start": "date_start", "date_end": "date_end",
                   "count_best": "best", "count_low": "low", "count_high": "high",
                   "lat": "latitude", "lon": "longitude", "source_org": "source_office",
                   "source_title": "source_article"},  # fmt: skip
    ),
    Layout(
        "gdelt",
        "a GDELT events file",
        frozenset(
            {
                "globaleventid",
                "sqldate",
                "actiongeo_type",
                "actiongeo_lat",
                "actiongeo_long",
                "sourceurl",
            }
        ),  # fmt: skip
        frozenset({"sqldate", "actiongeo_lat", "actiongeo_long"}),
        _gdelt,
        "GLOBALEVENTID as event_id, SQLDATE as the date, ActionGeo_Lat and ActionGeo_Long as "
        "the point for a city or landmark (ActionGeo_Type 3, 4); a province centroid (2, 5) "
        "as its province, a country centroid (1) in China or North Korea as a border-wide "
        "event, never as a point; ActionGeo_FullName as location_text, SOURCEURL as "
        "source_url; the other GDELT columns are kept in notes",
        variants=((frozenset({"actiongeo_adm2code"}), "2.0 layout"),),
        read_from={"event_id": "globaleventid", "date": "sqldate", "lat": "actiongeo_lat",
                   "lon": "actiongeo_long", "source_url": "sourceurl"},  # fmt: skip
    ),
)


#: What a user may choose a file to be read as: its headers decide ("auto"), this tool's own
#: schema whatever the headers ("schema"), or one data set's layout.
FORMATS = ("auto", "schema", *(layout.key for layout in LAYOUTS))
#: How each of ``FORMATS`` is named to a user ("read as ...").
FORMAT_NAMES = {
    "auto": "detected from its headers",
    "schema": "this tool's own columns",
    **{layout.key: layout.name for layout in LAYOUTS},
}


def read_layout(
    raw: RawTable, reference: Reference, fmt: str = "auto"
) -> tuple[RawTable, list[Problem], dict[str, str]]:
    """Return ``raw`` rewritten into schema columns when it is read as a data set's layout.

    ``fmt`` (one of ``FORMATS``) is the user's choice: with ``"auto"`` the headers decide;
    ``"schema"`` reads the file as it is; a layout's key reads it in that layout even when
    some of the columns that identify it are missing, and a file without the ones it cannot
    be read without (``Layout.needs``) gets a whole-file error instead.

    Also returns the problems (the whole-file warning naming the layout) and, for the schema
    columns read one to one from a column of the file, that column's header as written: the
    problems found in them name the user's column (``SQLDATE``, not ``date``).
    """
    frame = raw.frame
    headers = {header_key(h): h for h in frame.columns if h != RESERVED}
    if fmt == "schema":
        return raw, [], {}
    keys = set(headers)
    if fmt == "auto":
        layout = next((layout for layout in LAYOUTS if layout.required <= keys), None)
        if layout is None:
            return raw, [], {}
    else:
        layout = next(layout for layout in LAYOUTS if layout.key == fmt)
        if not layout.needs <= keys:
            return raw, [_not_in_layout(layout, headers)], {}
    cells = {key: frame[h] for key, h in headers.items()}
    rewritten = pd.DataFrame(layout.convert(cells, reference)).astype(str)
    rewritten[RESERVED] = frame[RESERVED].to_numpy()
    name = layout.variant(set(headers))
    said = Problem(0, "", name, "warning", f"read as {name}: {layout.summary}")
    written = {column: headers[key] for column, key in layout.read_from.items() if key in headers}
    return RawTable(rewritten, raw.problems, raw.encoding, raw.format), [said], written


def _not_in_layout(layout: Layout, headers: dict[str, str]) -> Problem:
    """Return the whole-file error of a file chosen to be read in a layout it is not in."""
    missing = sorted(layout.needs - set(headers))
    found = ", ".join(list(headers.values())[:8]) or "none"
    return Problem(
        0,
        "",
        layout.key,
        "error",
        f"the file was to be read as {layout.name} (format {layout.key}), but it lacks that "
        f"layout's columns {', '.join(missing)} (its columns: {found}); choose the format "
        "auto to let the headers decide, or schema to read it in this tool's own columns",
    )
