"""Files in the layout of a known data set, recognised by their headers and read as events.

ACLED exports, UCDP GED files (CSV, or GeoJSON as ogr2ogr writes it) and GDELT 2.0 events
files with their header are recognised; each layout's rules are in its function and its
``Layout.summary`` (the warning a user reads), and in docs/INPUT.md. A KML or KMZ file
(``geo.read.kml``) is always read in the KML layout: its placemark's own elements (name, times,
Point) first, ExtendedData columns named like schema columns filling what they leave empty,
everything else in ``notes``.

An ACLED export (the classic layout with ``gwno``/``ally_actor_1`` and the 2023 layout with
``disorder_type``/``civilian_targeting``) is recognised by its ``event_id_cnty``,
``event_date``, ``latitude``, ``longitude``, ``geo_precision`` and ``fatalities`` columns and
rewritten into schema columns before validation; one whole-file warning says so and what maps
to what. Nothing is dropped: ACLED's own columns the schema has no place for (its event and
sub-event types, actors, ``fatalities``, which counts deaths, not people returned) are kept in
``notes``.

- ``event_date``: every form of a day the date check reads (ISO, ``31 December 2019`` as
  ACLED's export writes it, ``December 31, 2019``, ``2019/12/31``), ``18/04/2001`` (day first,
  the classic export) when the day is over 12 or equals the month, and ``5-Aug-24`` (as Excel
  re-saves it); ``10/9/2023`` (10 September, or 9 October as a US locale re-saves it) and
  ``31-12-19`` are ambiguous and left for the date check to name, as in any file.
  ``time_precision`` 2 (a day within a week) becomes the week around the date, 3 (within a
  month) the date's month, whatever form the day is written in.
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
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from geo.budget import check_time
from geo.errors import Problem
from geo.parse.dates import DateParseError, parse_date
from geo.read.columns import header_key, match_columns
from geo.read.common import RESERVED, RawTable
from geo.read.kml_columns import (
    BEGIN,
    DESCRIPTION,
    END,
    FOLDER,
    KML_COLUMNS,
    LAT,
    LON,
    NAME,
    WHEN,
)
from geo.reference import Reference
from geo.reference.schema import BORDER_COUNTRIES, INPUT_FORMATS
from geo.validate.core import map_distinct

__all__ = ["FORMATS", "FORMAT_NAMES", "LAYOUTS", "Layout", "LayoutReading", "read_layout"]


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
    #: The file formats (``RawTable.format``) it is for; empty: any. A layout for one file
    #: format is told by the file itself, not offered as a choice (``FORMATS``).
    formats: frozenset[str] = frozenset()
    #: Schema column -> where a file of this layout gives it, added to a missing value's
    #: problem ("no date: ...; in a KML file, ...").
    advice: dict[str, str] = field(default_factory=dict, hash=False)

    def variant(self, keys: set[str]) -> str:
        """Return the layout's name as said to the user (with its variant, if told apart)."""
        label = next((label for marks, label in self.variants if marks & keys), "")
        return f"{self.name} ({label})" if label else self.name


_EXCEL_DAY = re.compile(r"\d{1,2}-[A-Za-z]{3}-\d{2}")


def _acled_day(text: str) -> dt.date | None:
    """Return the day of an ACLED ``event_date``, or None when it is not one day read.

    Every form the date check reads (``geo.parse.dates``: ISO, ``15 April 2024`` as ACLED's
    export writes it, ``April 15, 2024``, ``2024/04/15``, ...), a day-first ``15/04/2024`` that
    can be no other day, and ``15-Apr-24`` as Excel re-saves it. Anything else (``10/9/2023``,
    ambiguous; a month; not a date) is None: the cell is kept as written for the date check to
    read or name.
    """
    if _EXCEL_DAY.fullmatch(text):
        try:
            return dt.datetime.strptime(text, "%d-%b-%y").date()
        except ValueError:
            return None
    try:
        value = parse_date(text, day_first=True)
    except DateParseError:
        return None
    return value.start if value.precision == "day" else None


def _acled_date(day: str, precision: str) -> str:
    """Return the date cell: the day, the week around it (precision 2) or its month (3).

    ``time_precision`` is applied to every form of a day read (``_acled_day``), so a row says
    the same however its date is written; any other cell is returned as written.
    """
    date = _acled_day(day)
    if date is None:
        return day
    iso = date.isoformat()
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


#: The KML reader's own columns, by header key.
_KML_KEYS = {header_key(column): column for column in KML_COLUMNS}
#: Schema columns the KML layout fills itself (from the placemark, then ExtendedData).
_KML_OWN = {"date", "date_start", "date_end", "lat", "lon", "location_text", "geo_precision",
            "source_url", "notes"}  # fmt: skip
_KML_DAY = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(T\S*)?")
_LINK = re.compile(r"https?://[^\s<>\"']+")


def _kml_day(text: str) -> str:
    """Return the date of a KML time as written (``2023-10-09T08:00:00Z`` -> ``2023-10-09``)."""
    found = _KML_DAY.fullmatch(text)
    return found[1] if found else text


def _clock(times: pd.Series) -> pd.Series:
    """Return the KML times that carry a time of day (kept in notes), '' elsewhere."""
    return times.where(times.str.fullmatch(_KML_DAY.pattern) & times.str.contains("T"), "")


def _first_link(text: str) -> str:
    """Return the first http(s) link in ``text`` ('' if none), without closing punctuation."""
    found = _LINK.search(text)
    if not found:
        return ""
    link = found[0].rstrip(".,;:!?")
    while link.endswith(")") and link.count(")") > link.count("("):
        link = link[:-1]
    return link


def _unrepeated(description: pd.Series, data: list[tuple[str, pd.Series]]) -> pd.Series:
    """Return the descriptions without the lines that repeat an ExtendedData value.

    Google My Maps writes each of a layer's columns into the description too, as
    ``column: value`` lines; those values are read from ExtendedData already.
    """
    columns = [(name, values.tolist()) for name, values in data]
    kept = []
    for i, text in enumerate(description.tolist()):
        check_time()
        shown = {f"{name}: {values[i]}".strip() for name, values in columns}
        kept.append("\n".join(line for line in text.split("\n") if line not in shown))
    return pd.Series(kept, index=description.index, dtype=object)


def _dates(
    own: dict[str, pd.Series], given: Callable[[str], pd.Series], targets: set[str]
) -> tuple[pd.Series, pd.Series, list[tuple[str, pd.Series]]]:
    """Return date_start, date_end and the times kept in notes.

    The placemark's TimeStamp (both ends) or TimeSpan dates it; a placemark without either
    takes its dates from ExtendedData (``date``, else ``date_start`` and ``date_end``). The
    notes keep the times of day, and a TimeSpan beside a TimeStamp.
    """
    when, begin, end = own[WHEN], own[BEGIN], own[END]
    stamped = when != ""
    timed = stamped | (begin != "") | (end != "")
    when_day = _per_distinct(when, _kml_day)
    start = when_day.where(stamped, _per_distinct(begin, _kml_day))
    finish = when_day.where(stamped, _per_distinct(end, _kml_day))
    if "date" in targets or "date_end" not in targets:
        single = given("date") if "date" in targets else given("date_start")
        data_start = data_end = single
    else:
        data_start, data_end = given("date_start"), given("date_end")
    notes = [
        ("TimeStamp: ", _clock(when)),
        ("TimeSpan begin: ", _clock(begin).where(~stamped, begin)),
        ("TimeSpan end: ", _clock(end).where(~stamped, end)),
    ]
    return start.where(timed, data_start), finish.where(timed, data_end), notes


def _targets(names: list[str]) -> dict[str, list[str]]:
    """Return the ExtendedData names meaning each schema column (or ``date``), in file order.

    Several names may mean one column: each layer of a Google My Maps map has its own columns
    (``Date`` in one, ``날짜`` in another). A name written as the schema writes it comes first,
    as in a CSV file; a placemark giving two other names of one column is an error of its row
    (the reader's, :func:`geo.read.columns.placemark_names`).
    """
    targets: dict[str, list[str]] = {}
    for name in names:
        for target in match_columns([name]).found:
            targets.setdefault(target, []).append(name)
    return {
        target: sorted(found, key=lambda name: header_key(name) != target)
        for target, found in targets.items()
    }


def _kml(cells: dict[str, pd.Series], reference: Reference) -> dict[str, pd.Series]:
    """Return the schema columns of a KML/KMZ file's placemarks (``geo.read.kml``).

    The placemark's own elements come first; ExtendedData fills what they leave empty (the
    first value given, when several names mean one column). An ExtendedData value that is not
    the value its column holds is kept in notes, as is every name the schema does not have.
    """
    cell = _getter(cells)
    own = {column: cell(key) for key, column in _KML_KEYS.items()}
    data = {
        str(values.name): values.str.strip()
        for key, values in cells.items()
        if key not in _KML_KEYS
    }
    targets = _targets(list(data))
    empty = cell("")  # no column has an empty key: '' in every row

    def given(target: str) -> pd.Series:
        values = empty
        for name in targets.get(target, []):
            values = values.where(values != "", data[name])
        return values

    start, end, time_notes = _dates(own, given, set(targets))
    point, named = own[LAT] != "", own[NAME] != ""
    precision, source, description = given("geo_precision"), given("source_url"), own[DESCRIPTION]
    columns = {target: given(target) for target in targets if target not in _KML_OWN}
    columns |= {
        "date_start": start,
        "date_end": end,
        "lat": own[LAT].where(point, given("lat")),
        "lon": own[LON].where(point, given("lon")),
        "geo_precision": precision.where(precision != "", point.map({True: "point", False: ""})),
        "location_text": own[NAME].where(named, given("location_text")),
        "source_url": source.where(source != "", _per_distinct(description, _first_link)),
    }
    held = columns | {"date": start}
    meaning = {name: target for target, names in targets.items() for name in names}
    extras = []
    for name, values in data.items():
        target = meaning.get(name)
        if target == "notes":
            extras.append(("", values))
        elif target is None:
            extras.append((f"{name}: ", values))
        else:  # kept where it is not the value its column holds
            extras.append((f"{name}: ", values.where(values != held[target], "")))
    return columns | {
        "notes": _joined(
            [
                ("", _unrepeated(description, list(data.items()))),
                *time_notes,
                *extras,
                ("Folder: ", own[FOLDER]),
            ],
            "; ",
            description.index,
        )
    }


_KML_SUMMARY = (
    "name as location_text (the pin's label); the placemark's TimeStamp (when) or TimeSpan "
    "(begin, end) as the dates (the day as written, a time of day kept in notes), else an "
    "ExtendedData date column; the Point as lat/lon (geo_precision point); ExtendedData "
    "columns named like schema columns or their aliases as those columns; the first link in "
    "the description as source_url when no source_url column gives one; the description, "
    "the other ExtendedData values and the folder are kept in notes"
)

#: Where a KML placemark gives what a row needs (added to the problem of a missing value).
_KML_ADVICE = {
    "date_start": "in a KML file, give the placemark a TimeStamp or TimeSpan (Google Earth: "
    "Properties, Date/Time) or a date column in its data (Google My Maps: the layer's table)",
    "source_url": "in a KML file, put the report's link (https://...) in the placemark's "
    "description, or a source link column in its data",
}


def _kml_layout(fmt: str) -> Layout:
    """Return the layout of placemarks read from a ``.kml`` or ``.kmz`` file (``fmt``)."""
    return Layout(
        fmt,
        f"a {fmt.upper()} file (Google My Maps / Google Earth)",
        frozenset(_KML_KEYS),
        frozenset(_KML_KEYS),
        _kml,
        _KML_SUMMARY,
        formats=frozenset({fmt}),
        advice=_KML_ADVICE,
    )


LAYOUTS = (
    _kml_layout("kml"),
    _kml_layout("kmz"),
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


#: What a user may choose a file to be read as (``geo.reference.schema.INPUT_FORMATS``, kept
#: there so that the command line offers them without importing validation).
FORMATS = INPUT_FORMATS
#: How each of ``FORMATS`` is named to a user ("read as ...").
FORMAT_NAMES = {
    "auto": "detected from its headers",
    "schema": "this tool's own columns",
    **{layout.key: layout.name for layout in LAYOUTS},
}


@dataclass(frozen=True)
class LayoutReading:
    """A table as read in a layout: its schema columns, what was said, how to restate problems.

    ``table`` is the file rewritten into schema columns (the file itself when no layout was
    used); ``problems`` the whole-file warning naming the layout, or the error of a layout
    chosen for a file not in it.
    """

    table: RawTable
    problems: list[Problem]
    layout: Layout | None = None
    #: The file's headers by header key.
    headers: dict[str, str] = field(default_factory=dict)

    def restate(self, problem: Problem) -> Problem:
        """Return ``problem`` as the user's file says it.

        A schema column read one to one from a column of the file is named as the file names
        it (``SQLDATE``, not ``date``); a missing value the layout gives elsewhere says where.
        """
        if self.layout is None:
            return problem
        key = self.layout.read_from.get(problem.column)
        column = self.headers.get(key, problem.column) if key else problem.column
        advice = self.layout.advice.get(problem.column)
        if advice and not problem.value:
            return replace(problem, column=column, message=f"{problem.message}; {advice}")
        return replace(problem, column=column)


def read_layout(raw: RawTable, reference: Reference, fmt: str = "auto") -> LayoutReading:
    """Return ``raw`` read as a data set's layout, when its headers or the user say it is one.

    ``fmt`` (one of ``FORMATS``) is the user's choice: with ``"auto"`` the headers decide;
    ``"schema"`` reads the file as it is; a layout's key reads it in that layout even when
    some of the columns that identify it are missing, and a file without the ones it cannot
    be read without (``Layout.needs``) gets a whole-file error instead.
    """
    frame = raw.frame
    headers = {header_key(h): h for h in frame.columns if h != RESERVED}
    if fmt == "schema":
        return LayoutReading(raw, [])
    keys = set(headers)
    if fmt == "auto":
        layout = next(
            (
                layout
                for layout in LAYOUTS
                if layout.required <= keys and (not layout.formats or raw.format in layout.formats)
            ),
            None,
        )
        if layout is None:
            return LayoutReading(raw, [])
    else:
        layout = next(layout for layout in LAYOUTS if layout.key == fmt)
        if not layout.needs <= keys:
            return LayoutReading(raw, [_not_in_layout(layout, headers)])
    cells = {key: frame[h] for key, h in headers.items()}
    rewritten = pd.DataFrame(layout.convert(cells, reference)).astype(str)
    rewritten[RESERVED] = frame[RESERVED].to_numpy()
    name = layout.variant(set(headers))
    said = Problem(0, "", name, "warning", f"read as {name}: {layout.summary}")
    table = RawTable(rewritten, raw.problems, raw.encoding, raw.format)
    return LayoutReading(table, [said], layout, headers)


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
