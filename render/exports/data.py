"""The events of a view as CSV, XLSX or GeoJSON: reference rows with their claims, sources included.

Spreadsheet safety: every text cell of CSV and XLSX passes ``render.markup.neutralise``, the one
formula guard: a leading ``'`` when the text starts with ``= + - @``, tab, CR, LF, NUL or a
fullwidth ``＝ ＋ － ＠`` (also behind leading whitespace, zero-width characters or a byte order
mark), or already starts with ``'``; remove one leading ``'`` to recover the original. XLSX
also types every text cell as text (never a formula; CR and other control characters as OOXML
``_x000D_`` escapes). Numeric columns stay numeric; dates are ISO ``YYYY-MM-DD`` text (their
precision is in ``date_precision``).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from geo.aggregate import PeopleRange
from geo.by_year import year_province_table
from geo.pipeline import ViewData
from geo.reference.schema import COUNT_COLUMNS, DERIVED_COLUMNS, JOIN_COLUMNS, SCHEMA_COLUMNS
from render.exports import DATA_FORMATS
from render.markup import neutralise
from render.sources import sources_table
from render.wording import people_text, province_label, year_label

EXPORT_COLUMNS = (*SCHEMA_COLUMNS, *DERIVED_COLUMNS, *JOIN_COLUMNS)
NUMERIC_COLUMNS = (*COUNT_COLUMNS, "lat", "lon", "independent_sources", "lowest_claim",
                   "highest_claim")  # fmt: skip
BOOL_COLUMNS = ("shared", "in_map_area", "country_uncertain", "single_source")
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")


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


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return ``frame`` as CSV bytes with every text cell passed through ``neutralise``.

    The one way this project writes CSV (data exports, the report pack, the app's validation
    report): UTF-8 with BOM so that Excel reads Hangul and Chinese correctly; RFC 4180 CRLF
    records, so a cell holding CR or LF is quoted and each record stays one CSV row.
    """
    safe = frame.copy()
    for col in safe.columns:
        if col not in NUMERIC_COLUMNS and col not in BOOL_COLUMNS:
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_safe_csv(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` to ``out`` as ``safe_csv_bytes`` does."""
    Path(out).write_bytes(safe_csv_bytes(frame))


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


def _sheet(workbook: Workbook, title: str, frame: pd.DataFrame, numeric: set[str]) -> None:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    header = []
    for col in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(col))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
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


def _write_xlsx(frame: pd.DataFrame, data: ViewData, out: Path) -> None:
    workbook = Workbook(write_only=True)
    _sheet(workbook, "events", frame, {*NUMERIC_COLUMNS, *BOOL_COLUMNS})
    _sheet(workbook, "sources", sources_table(data.events), set())
    _sheet(workbook, "by_year", year_table_frame(data), set(YEAR_TABLE_NUMBERS))
    view = pd.DataFrame(
        [("query", data.view.query_string()), *data.view.to_query().items()],
        columns=["parameter", "value"],
    )
    _sheet(workbook, "view", view, set())
    workbook.save(out)


def geojson_dict(data: ViewData) -> dict:
    """Return the view's events as a GeoJSON FeatureCollection (RFC 7946) dict.

    Features are points where the event has coordinates, else ``geometry: null`` (province,
    border and country events). The foreign member ``border_events_map`` holds the view's
    query string and summary.
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
        "border_events_map": {
            "view": data.view.query_string(),
            "summary": data.summary.to_dict(),
        },
    }


def export_data(data: ViewData, out: Path, *, fmt: str = "csv") -> Path:
    """Write the events of a view (reference rows and their claims, with sources) to a file.

    Parameters
    ----------
    data
        The view's ``ViewData``.
    out
        File to write.
    fmt
        ``csv`` (UTF-8 with BOM, formula-neutralised text), ``xlsx`` (sheets ``events``,
        ``sources``, ``by_year`` (``year_table_frame``), ``view``) or ``geojson``.

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
    if fmt == "csv":
        write_safe_csv(export_frame(data.events), out)
    elif fmt == "xlsx":
        _write_xlsx(export_frame(data.events), data, out)
    else:
        text = json.dumps(geojson_dict(data), ensure_ascii=False, default=str)
        out.write_text(text, encoding="utf-8")
    return out
