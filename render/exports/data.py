"""The events of a view as CSV, XLSX or GeoJSON: reference rows with their claims, sources included.

Spreadsheet safety: every text cell of CSV and XLSX passes ``render.markup.neutralise``, the one
formula guard: a leading ``'`` when the text starts with ``= + - @``, tab, CR, LF, NUL or a
fullwidth ``＝ ＋ － ＠`` (also behind leading whitespace, zero-width characters or a byte order
mark), or already starts with ``'``; remove one leading ``'`` to recover the original. XLSX
also types every text cell as text (never a formula; CR and other control characters as OOXML
``_x000D_`` escapes). Numeric columns stay numeric; dates are ISO ``YYYY-MM-DD`` text (their
precision is in ``date_precision``).

Headers: in English the files' columns are the schema's names; in Korean and Chinese they are
translated (:data:`COLUMN_LABELS`) unless ``machine_headers`` is set, which keeps the schema's
names in any language so that the file reads back through ``border-map validate``. The view's
language (``data.view.lang``) words every text the exporter writes.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from geo.aggregate import PeopleRange, Summary
from geo.by_year import year_province_table
from geo.pipeline import ViewData
from geo.reference import Reference
from geo.reference.schema import COUNT_COLUMNS, DERIVED_COLUMNS, JOIN_COLUMNS, SCHEMA_COLUMNS
from geo.view import ViewParams
from i18n import N_, _, current_language, language
from render.exports import DATA_FORMATS
from render.markup import neutralise
from render.names import province_names
from render.sources import sources_table
from render.wording import SENSITIVE_LABELS, people_text, province_label, withheld_note, year_label

if TYPE_CHECKING:
    import pyarrow as pa

EXPORT_COLUMNS = (*SCHEMA_COLUMNS, *DERIVED_COLUMNS, *JOIN_COLUMNS)
NUMERIC_COLUMNS = (*COUNT_COLUMNS, "lat", "lon", "independent_sources", "lowest_claim",
                   "highest_claim")  # fmt: skip
BOOL_COLUMNS = ("shared", "in_map_area", "country_uncertain", "single_source")
#: How people read each exported column (Korean and Chinese headers; :func:`headers`).
COLUMN_LABELS = {
    "event_id": N_("Event ID"),
    "event_type": N_("Event type"),
    "date_start": N_("Start date"),
    "date_end": N_("End date"),
    "date_precision": N_("Date precision"),
    "count_best": N_("People (best estimate)"),
    "count_low": N_("People (low)"),
    "count_high": N_("People (high)"),
    "count_qualifier": N_("How the count is qualified"),
    "count_text": SENSITIVE_LABELS["count_text"],
    "location_text": SENSITIVE_LABELS["location_text"],
    "admin1_codes": N_("Province codes"),
    "place_names": N_("Place names"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "geo_precision": N_("Location precision"),
    "source_org": SENSITIVE_LABELS["source_org"],
    "source_title": SENSITIVE_LABELS["source_title"],
    "source_url": SENSITIVE_LABELS["source_url"],
    "source_published": N_("Source published"),
    "evidence_quote": SENSITIVE_LABELS["evidence_quote"],
    "notes": SENSITIVE_LABELS["notes"],
    "same_event_as": N_("Claim about event (ID)"),
    "cites": SENSITIVE_LABELS["cites"],
    "claim_scope": N_("Claim scope"),
    "place_ids": N_("Place IDs"),
    "assumed": N_("Assumed columns"),
    "provinces": N_("Provinces"),
    "shared": N_("In several provinces"),
    "sector_id": N_("Border sector"),
    "map_level": N_("Map level"),
    "in_map_area": N_("In the map area"),
    "country_uncertain": N_("Country uncertain"),
    "event_precision": N_("Event precision"),
    "places_from_claims": N_("Places from claims"),
    "conflict": N_("Conflicting claims"),
    "independent_sources": N_("Independent sources"),
    "single_source": N_("Single source"),
    "lowest_claim": N_("Lowest claim"),
    "highest_claim": N_("Highest claim"),
    # the by-year table (year_table_frame)
    "year": N_("Year (key)"),
    "province": N_("Province code"),
    "events": N_("Events"),
    "shared_events": N_("Events also in another province"),
    "people_low": N_("People (low)"),
    "people_best": N_("People (best estimate)"),
    "people_high": N_("People (high)"),
    "year_label": N_("Year"),
    "province_name": N_("Province"),
    "people": N_("People"),
    # the view sheet
    "parameter": N_("parameter"),
    "value": N_("value"),
}
#: The XLSX sheets' names (translated as :data:`COLUMN_LABELS` are).
SHEET_LABELS = {
    "events": N_("events"),
    "sources": N_("sources"),
    "by_year": N_("by year"),
    "view": N_("view"),
}
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")


def headers(columns: Iterable[str], machine_headers: bool = False) -> dict[str, str]:
    """Return column name -> header of an exported table in the current language.

    English, and any language with ``machine_headers``, keeps the column names (the schema's,
    which ``border-map validate`` reads); Korean and Chinese read :data:`COLUMN_LABELS`.
    """
    if machine_headers or current_language() == "en":
        return {c: c for c in columns}
    return {c: _(COLUMN_LABELS[c]) if c in COLUMN_LABELS else c for c in columns}


def _sheet_name(name: str, machine_headers: bool) -> str:
    """Return an XLSX sheet's name: ``name``, or its label in Korean and Chinese."""
    if machine_headers or current_language() == "en":
        return name
    return _(SHEET_LABELS[name])


def export_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Return the rows to export: schema, gazetteer and join columns; dates as ISO text.

    Counts (also ``independent_sources``, ``lowest_claim``, ``highest_claim``) stay nullable
    integers, coordinates floats, ``shared``, ``in_map_area``, ``country_uncertain`` and
    ``single_source`` booleans; every other column is text ('' when empty), ``conflict``
    saying how the event's claims disagree. Row order is the view's (claims follow their
    reference row).
    """
    columns = [c for c in EXPORT_COLUMNS if c in events.columns]
    frame = pd.DataFrame(events[columns]).reset_index(drop=True)
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.strftime("%Y-%m-%d").fillna("")
    for col in columns:
        if col in NUMERIC_COLUMNS or col in BOOL_COLUMNS:
            continue
        frame[col] = frame[col].fillna("").astype(str)
    return frame


#: The numeric columns of the by-year table.
YEAR_TABLE_NUMBERS = ("events", "shared_events", "people_low", "people_best", "people_high")


def year_table_frame(data: ViewData, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the view's by-year × Chinese province table (``geo.by_year``) to export.

    The table's columns (numbers stay numeric, ``people_high`` empty when there is no upper
    bound) plus ``year_label``, ``province_name`` and ``people`` in words
    (``render.wording``), so the file reads as the app does.
    """
    table = year_province_table(data.events)
    people = [
        people_text(PeopleRange(int(lo), int(be), None if pd.isna(hi) else int(hi)))
        for lo, be, hi in zip(
            table["people_low"], table["people_best"], table["people_high"], strict=True
        )
    ]
    return table.assign(
        year_label=table["year"].map(year_label),
        province_name=table["province"].map(lambda code: province_label(code, names)),
        people=people,
    )


def safe_csv_bytes(frame: pd.DataFrame, header: Mapping[str, str] | None = None) -> bytes:
    """Return ``frame`` as CSV bytes with every text cell passed through ``neutralise``.

    The one way this project writes CSV (data exports, the report pack, the app's validation
    report): UTF-8 with BOM so that Excel reads Hangul and Chinese correctly; RFC 4180 CRLF
    records, so a cell holding CR or LF is quoted and each record stays one CSV row. ``header``
    maps column names to the headers written (:func:`headers`); default the names.
    """
    safe = frame.copy()
    for col in safe.columns:
        if col not in NUMERIC_COLUMNS and col not in BOOL_COLUMNS:
            safe[col] = safe[col].map(neutralise)
    if header:
        safe = safe.rename(columns=dict(header))
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_safe_csv(frame: pd.DataFrame, out: Path, header: Mapping[str, str] | None = None) -> None:
    """Write ``frame`` to ``out`` as ``safe_csv_bytes`` does."""
    Path(out).write_bytes(safe_csv_bytes(frame, header))


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def xlsx_text(text: str) -> str:
    """Return ``text`` escaped for an XLSX cell as OOXML defines (``_xHHHH_``).

    Control characters XML cannot carry, and CR (which XML readers turn into LF), become
    ``_x000D_``-style escapes that Excel reads back as the character; a literal ``_xHHHH_``
    is protected as ``_x005F_xHHHH_``.
    """
    text = _OOXML_ESCAPE.sub(r"_x005F\g<0>", text)
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _sheet(
    workbook: Workbook,
    title: str,
    frame: pd.DataFrame,
    numeric: set[str],
    header: Mapping[str, str] | None = None,
) -> None:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    header_row = []
    names = header or {}
    for col in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(names.get(col, col)))
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)
    text_columns = [c not in numeric for c in frame.columns]
    for record in frame.itertuples(index=False):
        row = []
        for value, is_text in zip(record, text_columns, strict=True):
            value = _cell_value(value)
            if value is not None and (is_text or isinstance(value, str)):
                row.append(_text_cell(sheet, str(value)))
            else:
                row.append(WriteOnlyCell(sheet, value=value))
        sheet.append(row)


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    """Return a cell holding ``text`` (formula-guarded) typed as text, never a formula."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = xlsx_text(str(neutralise(text)))
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _write_xlsx(
    frame: pd.DataFrame,
    data: ViewData,
    out: Path,
    names: dict[str, str] | None = None,
    machine_headers: bool = False,
) -> None:
    workbook = Workbook(write_only=True)

    def sheet(name: str, table: pd.DataFrame, numeric: set[str]) -> None:
        header = headers(table.columns, machine_headers)
        _sheet(workbook, _sheet_name(name, machine_headers), table, numeric, header)

    sheet("events", frame, {*NUMERIC_COLUMNS, *BOOL_COLUMNS})
    _sheet(workbook, _sheet_name("sources", machine_headers),
           sources_table(data.events, machine_headers=machine_headers), set())  # fmt: skip
    sheet("by_year", year_table_frame(data, names), set(YEAR_TABLE_NUMBERS))
    view = pd.DataFrame(
        [("query", data.view.query_string()), *data.view.to_query().items(),
         *withheld_rows(data.withheld)],
        columns=["parameter", "value"],
    )  # fmt: skip
    sheet("view", view, set())
    workbook.save(out)


def withheld_rows(withheld: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return the view sheet's rows on the columns withheld for publication (none: [])."""
    note = withheld_note(withheld)
    if note is None:
        return []
    return [("withheld", ", ".join(withheld)), ("withheld_note", _("{sentence}.").format(
        sentence=note))]  # fmt: skip


def about_view(data: ViewData) -> dict[str, Any]:
    """Return what a GeoJSON or GeoParquet file says of its view: query, summary, withheld."""
    about: dict[str, Any] = {"view": data.view.query_string(), "summary": data.summary.to_dict()}
    note = withheld_note(data.withheld)
    if note is not None:
        about |= {"withheld": list(data.withheld), "withheld_note": note}
    return about


def geojson_dict(data: ViewData) -> dict:
    """Return the view's events as a GeoJSON FeatureCollection (RFC 7946) dict.

    Features are points where the event has coordinates, else ``geometry: null`` (province,
    border and country events). The foreign member ``border_events_map`` holds the view's
    query string and summary (:func:`about_view`; also the columns withheld for publication).
    """
    frame = export_frame(data.events)
    features = []
    for record in frame.to_dict("records"):
        props = {k: _cell_value(v) for k, v in record.items()}
        lat, lon = props.get("lat"), props.get("lon")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {
        "type": "FeatureCollection",
        "features": features,
        "border_events_map": about_view(data),
    }


def write_geoparquet(data: ViewData, out: Path) -> None:
    """Write the view's events as GeoParquet: the columns of ``export_frame``, point geometry.

    Events without coordinates have no geometry (null). The schema metadata
    ``border_events_map`` holds :func:`about_view`, as the GeoJSON's foreign member does.
    """
    write_geoparquet_parts([data.events], data.view, data.summary, out, about=about_view(data))


def write_geoparquet_parts(
    parts: Iterable[pd.DataFrame],
    view: ViewParams,
    summary: Summary,
    out: Path,
    *,
    about: dict[str, Any] | None = None,
) -> None:
    """Write a view's events given part by part, in order, as :func:`write_geoparquet` does.

    Each part is written as it comes (``border-map export`` of a Parquet file,
    ``geo.stream.view_events``), so memory holds one part: first to a file beside ``out``,
    then copied to ``out`` one row group at a time under the metadata of every part (the
    ``geo`` bounding box and geometry types cover them all). ``about``: the file's
    ``border_events_map`` metadata (default: the view's query string and summary).
    """
    import pyarrow.parquet as pq

    draft = out.with_name(f".{out.name}.part")
    geo: dict[str, Any] = {}
    bounds = np.array([np.inf, np.inf, -np.inf, -np.inf])
    kinds: set[str] = set()
    try:
        writer: pq.ParquetWriter | None = None
        for part in parts:
            table = _geoparquet_table(part)
            geo = json.loads(table.schema.metadata[b"geo"])
            column = geo["columns"][geo["primary_column"]]
            kinds.update(column.get("geometry_types", []))
            box = np.asarray(column.get("bbox", [np.nan] * 4), dtype=float)
            if np.isfinite(box).all():
                bounds = np.r_[np.minimum(bounds[:2], box[:2]), np.maximum(bounds[2:], box[2:])]
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(draft, schema)
            writer.write_table(table.replace_schema_metadata(schema.metadata).cast(schema))
        if writer is None:
            return
        writer.close()
        column = geo["columns"][geo["primary_column"]]
        column["geometry_types"] = sorted(kinds)
        column.pop("bbox", None)
        if np.isfinite(bounds).all():
            column["bbox"] = bounds.tolist()
        about = about or {"view": view.query_string(), "summary": summary.to_dict()}
        metadata = {**schema.metadata, b"geo": json.dumps(geo)}
        metadata[b"border_events_map"] = json.dumps(about)
        written = pq.ParquetFile(draft)
        with pq.ParquetWriter(out, schema.with_metadata(metadata)) as final:
            for group in range(written.num_row_groups):
                final.write_table(written.read_row_group(group).replace_schema_metadata(metadata))
    finally:
        draft.unlink(missing_ok=True)


def _geoparquet_table(events: pd.DataFrame) -> pa.Table:
    """Return events as a GeoParquet table (``export_frame`` columns, point geometry)."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    frame = export_frame(events)
    lat, lon = frame["lat"].to_numpy(dtype=float), frame["lon"].to_numpy(dtype=float)
    points = gpd.points_from_xy(lon, lat)
    points[np.isnan(lat) | np.isnan(lon)] = None
    buffer = io.BytesIO()
    gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326").to_parquet(buffer, index=False)
    return pq.read_table(buffer)


def export_data(
    data: ViewData,
    out: Path,
    *,
    fmt: str = "csv",
    machine_headers: bool = False,
    regions: Reference | None = None,
) -> Path:
    """Write the events of a view (reference rows and their claims, with sources) to a file.

    Parameters
    ----------
    data
        The view's ``ViewData``.
    out
        File to write.
    fmt
        ``csv`` (UTF-8 with BOM, formula-neutralised text), ``xlsx`` (sheets ``events``,
        ``sources``, ``by_year`` (``year_table_frame``), ``view``), ``geojson`` or
        ``parquet`` (GeoParquet, :func:`write_geoparquet`).
    machine_headers
        Keep the schema's column names (and the sheets' names) in Korean and Chinese too,
        instead of translated headers: a file to read back (``border-map validate``). English
        files always have them. GeoJSON keys are always the column names.
    regions
        ``geo.reference.Reference``, for the province names of the XLSX by-year sheet in the
        view's language (default the English names).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ValueError
        ``fmt`` is not one of ``DATA_FORMATS``.
    """
    if fmt not in DATA_FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(DATA_FORMATS)}")
    out = Path(out)
    lang = data.view.lang
    with language(lang):
        if fmt == "csv":
            frame = export_frame(data.events)
            write_safe_csv(frame, out, headers(frame.columns, machine_headers))
            return out
        if fmt == "xlsx":
            names = province_names(regions.provinces, lang) if regions is not None else None
            _write_xlsx(export_frame(data.events), data, out, names, machine_headers)
            return out
    if fmt == "parquet":
        write_geoparquet(data, out)
        return out
    text = json.dumps(geojson_dict(data), ensure_ascii=False, default=str)
    out.write_text(text, encoding="utf-8")
    return out
