"""Generators of broken and hostile input files, built in code (no fixture files).

Each builder returns the bytes of one file; the tests feed them to ``geo.validate.load_events``
(or the exporters) and assert the exact outcome.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Sequence

import openpyxl

#: A small header every family starts from: one location column and one source column.
HEADER = ("event_id", "date", "count_text", "admin1_codes", "source_url", "notes")
#: A row of HEADER that validates without any problem.
GOOD = ("e1", "2024-04-26", "60", "CN-JL", "https://example.org/a", "ok")

#: Text that must come out inert wherever it lands (HTML, JS, CSV/XLSX cells, PDF text).
HOSTILE = (
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '<img src=x onerror="window.__pwned=3">',
    "<svg onload=window.__pwned=4>",
    "${window.__pwned=5}",
    "`+(window.__pwned=6)+`",
    '\\"+(window.__pwned=7)+"\\',
    "'); window.__pwned=8; ('",
    "javascript:window.__pwned=9",
    "data:text/html,<script>window.__pwned=10</script>",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "{{7*7}} {% raw %}",
    "\u202eevil\u202c \u0007bell",
)
#: A link that must never become clickable as anything but http(s).
HOSTILE_LINKS = ("javascript:window.__pwned=11", "data:text/html,<b>x</b>", "vbscript:msgbox(1)")


def row(**changes: str) -> tuple[str, ...]:
    """Return GOOD with some cells changed (keys are HEADER names)."""
    cells = dict(zip(HEADER, GOOD, strict=True))
    cells.update(changes)
    return tuple(cells[h] for h in HEADER)


def csv_text(
    rows: Iterable[Sequence[str]],
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    newline: str = "\n",
) -> str:
    """Return CSV text; cells with the delimiter, quotes or line breaks are quoted."""

    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(c) for c in r) for r in [header, *rows]]
    return newline.join(lines) + newline


def csv_bytes(
    rows: Iterable[Sequence[str]],
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
    **options: str,
) -> bytes:
    """Return a CSV file's bytes in ``encoding`` (``utf-8-sig`` adds a BOM)."""
    return csv_text(rows, header, **options).encode(encoding)


def xlsx_bytes(
    rows: Iterable[Sequence[object]],
    header: Sequence[str] = HEADER,
    hidden_first: Sequence[Sequence[object]] | None = None,
    merge: str | None = None,
) -> bytes:
    """Return a workbook; ``hidden_first`` adds a hidden sheet before the events sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if hidden_first is not None:
        sheet.title = "Notes"
        for r in hidden_first:
            sheet.append(list(r))
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("Events")
    for r in [header, *rows]:
        sheet.append(list(r))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """Return the archive with one member's content replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = content if info.filename == name else source.read(info)
            target.writestr(info.filename, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(data: bytes, index: int = 1) -> bytes:
    """Return the XML of worksheet ``index`` of a workbook."""
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{index}.xml")


def xlsx_formula_without_value(column: str = "C", row_number: int = 2) -> bytes:
    """A workbook whose cell ``column+row`` holds a formula with no cached value."""
    data = xlsx_bytes([row(), row(event_id="e2", notes="second")])
    xml = sheet_xml(data).decode()
    ref = f"{column}{row_number}"
    start = xml.index(f'<c r="{ref}"')
    end = xml.index("</c>", start) + len("</c>")
    xml = xml[:start] + f'<c r="{ref}"><f>40+20</f></c>' + xml[end:]
    return replace_member(data, "xl/worksheets/sheet1.xml", xml.encode())


def xlsx_bomb(megabytes: int = 300) -> bytes:
    """A tiny workbook carrying a member that inflates to ``megabytes`` of zeros."""
    out = io.BytesIO(xlsx_bytes([row()]))
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def xlsx_huge_dimension(ref: str = "A1:XFD1048576") -> bytes:
    """A workbook whose sheet declares a huge used range (and holds malformed XML after it)."""
    data = xlsx_bytes([row()])
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + ref.encode() + b'"/><sheetData><row><c>' + b"<" * 1000
    )
    return replace_member(data, "xl/worksheets/sheet1.xml", xml)


def feature(properties: dict, geometry: dict | None) -> dict:
    """A GeoJSON Feature."""
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point(lon: float, lat: float) -> dict:
    """A GeoJSON Point geometry."""
    return {"type": "Point", "coordinates": [lon, lat]}


def geojson_bytes(features: list[dict], crs: str | None = None) -> bytes:
    """A FeatureCollection; ``crs`` adds the (old-style) named CRS member."""
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc, ensure_ascii=False).encode()


def props(**changes: str) -> dict:
    """GOOD as GeoJSON properties (without the location column, which the geometry gives)."""
    cells = dict(zip(HEADER, GOOD, strict=True))
    del cells["admin1_codes"]
    cells.update(changes)
    return cells


def raw_table(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER):
    """A ``RawTable`` of text cells as ``geo.read`` gives it (records from row 2)."""
    import pandas as pd

    from geo.read.common import RawTable

    frame = pd.DataFrame([list(r) for r in rows], columns=list(header), dtype=object)
    frame = frame.astype(str) if len(frame) else frame
    frame["row"] = range(2, len(frame) + 2)
    return RawTable(frame, [], "utf-8", "csv")


class Batch:
    """Many one-cell variants of GOOD validated as one file: row ``2 + i`` is ``texts[i]``.

    Validating one table per case costs ~0.1 s of pandas overhead; one table for all cases
    keeps the suite fast while each case still gets its own row, problems and event.
    """

    def __init__(self, column: str, texts: Sequence[str]) -> None:
        from geo.reference import load_reference
        from geo.validate import validate_table

        self.texts = list(texts)
        rows = [row(**{column: t, "event_id": f"e{i}", "notes": f"n{i}"}) for i, t in
                enumerate(self.texts)]  # fmt: skip
        self.result = validate_table(raw_table(rows), load_reference())

    def row(self, text: str) -> int:
        """Row number of ``text``."""
        return 2 + self.texts.index(text)

    def problems(self, text: str) -> list:
        """Problems of the row holding ``text``."""
        number = 2 + self.texts.index(text)
        return [p for p in self.result.problems if p.row == number]

    def event(self, text: str):
        """The event of the row holding ``text``, or None when an error excluded it."""
        events = self.result.events
        found = events[events["row"] == 2 + self.texts.index(text)]
        return None if found.empty else found.iloc[0]
