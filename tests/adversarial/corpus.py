"""Generators of broken and hostile input files, built in code (no fixture files).

Each builder returns the bytes of one file; the tests feed them to ``geo.validate.load_events``
(or the exporters) and assert the exact outcome.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

import openpyxl

#: A small header every family starts from: one location column and one source column (and an
#: event type, so no row's type is assumed).
HEADER = ("event_id", "date", "count_text", "admin1_codes", "source_url", "notes", "event_type")
#: A row of HEADER that validates without any problem.
GOOD = ("e1", "2024-04-26", "60", "CN-JL", "https://example.org/a", "ok", "forced_return")

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


KML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">'
)


def kml_placemark(name: str = "Dandong", lon: float = 124.38, lat: float = 40.12,
                  when: str = "2024-04-26", **data: str) -> str:  # fmt: skip
    """One point Placemark; ``data`` are its ExtendedData values (GOOD's source by default)."""
    data = {"source_url": "https://example.org/a", **data}
    extended = "".join(
        f'<Data name="{escape(key)}"><value>{escape(value)}</value></Data>'
        for key, value in data.items()
    )
    return (
        f"<Placemark><name>{escape(name)}</name><TimeStamp><when>{when}</when></TimeStamp>"
        f"<ExtendedData>{extended}</ExtendedData>"
        f"<Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"
    )


def kml_bytes(placemarks: Iterable[str], prolog: str = "") -> bytes:
    """A KML document of ``placemarks`` (XML text) in one Document; ``prolog`` before <kml>."""
    head = KML_HEAD.replace("\n", "\n" + prolog) if prolog else KML_HEAD
    body = "<Document><name>Test</name>" + "".join(placemarks) + "</Document></kml>"
    return (head + body).encode()


def kmz_bytes(kml: bytes, name: str = "doc.kml", members: dict[str, bytes] | None = None) -> bytes:
    """A KMZ archive: ``kml`` as ``name``, then the other ``members`` (name: content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, kml)
        for member, content in (members or {}).items():
            archive.writestr(member, content)
    return out.getvalue()


def kml_billion_laughs(levels: int = 9) -> bytes:
    """A KML whose placemark name expands an entity defined ten times per level ("XML bomb")."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    prolog = "<!DOCTYPE kml [" + "".join(entities) + "]>\n"
    laughs = kml_placemark(name="LAUGHS").replace("LAUGHS", f"&lol{levels};")
    return kml_bytes([laughs], prolog)


def kmz_bomb(megabytes: int = 5) -> bytes:
    """A KMZ whose doc.kml inflates to ``megabytes`` (a placemark, then spaces)."""
    padding = " " * (megabytes << 20)
    return kmz_bytes(kml_bytes([kml_placemark(), padding]))


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


# Work per byte, library edges and parser differentials --------------------------------------
# Small files that cost a reader far more work or memory than their size (one column per
# distinct key, rows padded to the sheet's width), values at the edge of a library (a number
# Python will not convert, a string pyarrow cannot encode), and files two parsers read
# differently (two sheets of one name). Each must end in a named problem, never a traceback,
# in bounded time and memory.

#: A GeoJSON feature as ``geojson_distinct_keys`` writes it: one property key of its own.
_KEYED_FEATURE = (
    '{{"type":"Feature","properties":{{"event_id":"e{n}","k{n:07d}":"x"}},'
    '"geometry":{{"type":"Point","coordinates":[126.9,41.8]}}}}'
)


def geojson_distinct_keys(features: int = 20_000) -> bytes:
    """A FeatureCollection whose every feature carries a property key no other feature has.

    A reader building one column per key across all features does ``features²`` work: 20,000
    features (2.3 MB) took 143 s and 3.6 GB before the column limit.
    """
    body = ",".join(_KEYED_FEATURE.format(n=n) for n in range(features))
    return ('{"type":"FeatureCollection","features":[' + body + "]}").encode()


def geojson_raw(properties: str = "", geometry: str = "") -> bytes:
    """A one-feature FeatureCollection written as text (values ``json.dumps`` cannot write).

    ``properties`` is appended to ``props()`` (JSON text, ``"key":value,...``); ``geometry``
    replaces the Point (126.9, 41.8).
    """
    members = json.dumps(props())[1:-1] + ("," + properties if properties else "")
    geometry = geometry or '{"type":"Point","coordinates":[126.9,41.8]}'
    feature = '{"type":"Feature","properties":{' + members + '},"geometry":' + geometry + "}"
    return ('{"type":"FeatureCollection","features":[' + feature + "]}").encode()


def geojson_long_integer(digits: int = 5_000, where: str = "property") -> bytes:
    """A feature holding an integer of ``digits`` digits (Python refuses to convert > 4,300).

    ``where``: ``"property"`` (a ``notes`` value), ``"nested"`` (inside a list property),
    ``"geometry"`` (the Point's longitude).
    """
    number = "1" * digits
    if where == "geometry":
        return geojson_raw("", '{"type":"Point","coordinates":[' + number + ",41.8]}")
    if where == "nested":
        return geojson_raw('"tags":[1,' + number + "]")
    return geojson_raw('"count_best":' + number)


def geojson_lone_surrogate(where: str = "value") -> bytes:
    r"""A feature holding a lone UTF-16 surrogate escape ``\ud800`` (valid JSON, no character).

    ``where``: ``"value"`` (the ``notes`` property), ``"key"`` (a property name), ``"geometry"``
    (the geometry's type).
    """
    if where == "key":
        return geojson_raw('"not\\ud800e":"x"')
    if where == "geometry":
        return geojson_raw("", '{"type":"Po\\ud800int","coordinates":[126.9,41.8]}')
    return geojson_raw('"source_title":"bad \\ud800 text"')


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_rows_xml(rows: Sequence[Sequence[str]], extra: str = "", dimension: str = "") -> str:
    """Worksheet XML of inline-string rows (row 1 = the first row); ``extra`` ends each row."""
    from openpyxl.utils import get_column_letter

    body = "".join(
        f'<row r="{number}">'
        + "".join(_inline(f"{get_column_letter(i + 1)}{number}", c) for i, c in enumerate(cells))
        + extra.format(row=number)
        + "</row>"
        for number, cells in enumerate(rows, start=1)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_MAIN}">{declared}<sheetData>{body}</sheetData></worksheet>'


def xlsx_far_column(rows: int = 1_000, column: str = "XFD", dimension: str = "A1:F2") -> bytes:
    """A workbook whose every row also holds a cell in ``column`` (XFD: 16,384), under a small
    declared ``<dimension>``: a reader padding rows to the widest cell does 16,384 cells a row.

    1,000 rows (56 KB) took 14 s before; 30,000 (3.2 MB) 409 s.
    """
    table = [HEADER, *[row(event_id=f"e{n}") for n in range(rows)]]
    xml = sheet_rows_xml(table, extra=_inline(column + "{row}", "x"), dimension=dimension)
    return replace_member(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", xml.encode())


def xlsx_duplicate_sheet_names(hidden_count: str = "999") -> bytes:
    """A workbook with a hidden sheet and a visible sheet both named ``S`` (hidden first).

    Excel shows the visible sheet; openpyxl's ``workbook["S"]`` returns the hidden one, whose
    row counts ``hidden_count`` people: 999 people mapped that Excel does not show.
    """
    data = xlsx_bytes([row(count_text="60")], hidden_first=[HEADER, row(count_text=hidden_count)])
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    book = book.replace(b'name="Notes"', b'name="S"').replace(b'name="Events"', b'name="S"')
    return replace_member(data, "xl/workbook.xml", book)


def xlsx_empty_far_cells(rows: int = 1_000) -> bytes:
    """A valid workbook whose every row also has an *empty* formatted cell in column XFD (as
    formatting a whole row can leave): nothing to read there, and nothing to pad."""
    table = [HEADER, *[row(event_id=f"e{n}", notes=f"n{n}") for n in range(rows)]]
    xml = sheet_rows_xml(table, extra='<c r="XFD{row}" s="0"/>')
    return replace_member(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", xml.encode())


def shared_strings_rels(data: bytes) -> bytes:
    """Return the workbook's relationships with a ``sharedStrings.xml`` part added."""
    return (
        zipfile.ZipFile(io.BytesIO(data))
        .read("xl/_rels/workbook.xml.rels")
        .replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    )


def xlsx_shared_text_repeated(cells: int = 2_100, chars: int = 10_000) -> bytes:
    """A small workbook whose ``notes`` cells all point to one shared string of ``chars``
    characters: a few bytes a cell, ``cells × chars`` characters once read."""
    data = xlsx_bytes([row()])
    table = [HEADER, *[row(event_id=f"e{n}", notes="SHARED") for n in range(cells)]]
    shared = '<c r="{0}" t="s"><v>0</v></c>'
    xml = re.sub(r'<c r="(\w+)" t="inlineStr"><is><t>SHARED</t></is></c>',
                 lambda m: shared.format(m.group(1)), sheet_rows_xml(table))  # fmt: skip
    strings = f'<sst xmlns="{_MAIN}"><si><t>{"x" * chars}</t></si></sst>'
    data = replace_member(data, "xl/worksheets/sheet1.xml", xml.encode())
    data = replace_member(data, "xl/_rels/workbook.xml.rels", shared_strings_rels(data))
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def xlsx_swapped_targets(hidden_rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook whose visible sheet ``Events`` is stored in ``sheet1.xml`` and whose hidden
    sheet ``Notes`` in ``sheet2.xml``: file order and sheet order disagree.

    Written by openpyxl with the hidden sheet first, then the two relationship targets swapped,
    so the sheet Excel shows, ``Events``, holds ``hidden_rows`` (written as ``Notes``).
    """
    data = xlsx_bytes([row(notes="written as Events")], hidden_first=hidden_rows)
    rels = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels")
    swapped = (
        rels.replace(b"sheet1.xml", b"sheetX.xml")
        .replace(b"sheet2.xml", b"sheet1.xml")
        .replace(b"sheetX.xml", b"sheet2.xml")
    )
    assert swapped != rels
    return replace_member(data, "xl/_rels/workbook.xml.rels", swapped)


def zip_many_parts(parts: int = 30_000) -> bytes:
    """A workbook with ``parts`` empty extra parts: its zip directory alone is over 1 MB."""
    out = io.BytesIO(xlsx_bytes([row()]))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for number in range(parts):
            archive.writestr(f"x/{number:x}", b"")
    return out.getvalue()


def geojson_empty_objects(count: int = 500_001) -> bytes:
    """A FeatureCollection of ``count`` empty objects ``{}``: 3 bytes each in the file, some 70
    in memory once parsed."""
    return ('{"type":"FeatureCollection","features":[' + ",".join(["{}"] * count) + "]}").encode()


def csv_quote_pairs(lines: int = 49, pairs: int = 660) -> bytes:
    """A CSV file whose records are ``,"`` pairs: 64 KB in its first 50 lines, the sample the
    delimiter is sniffed on; ``csv.Sniffer``'s quote guessing takes time growing with the
    square of its sample (27 s on this one)."""
    return b"event_id,date\n" + (b',"' * pairs + b"\n") * lines


#: The header of the two files below: the columns a file needs, no more.
_NEEDED = "event_id,date,count_text,place_names,source_url\n"


def csv_one_field_rows(rows: int) -> bytes:
    """A CSV whose records are one field each: a short row, no date, no source, in every row.

    200,000 such rows (1.4 MB) made 1,000,000 problems, about 1 GB in the command line.
    """
    return (_NEEDED + "".join(f"x{i}\n" for i in range(rows))).encode()


def csv_unknown_places(rows: int) -> bytes:
    """A CSV whose every row names a place of its own the gazetteer lacks (fuzzy-matched)."""
    return (_NEEDED + "".join(f"e{i},2024-04,60,Nowhere {i},https://example.org/a\n"
                              for i in range(rows))).encode()  # fmt: skip
