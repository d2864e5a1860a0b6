"""Hostile text from an uploaded file through every export: inert in CSV, XLSX, GeoJSON, HTML,
PNG and PDF. The file goes the real way: read -> validate -> join -> view -> exporter."""

import csv
import html
import io
import json
import re
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from geo.pipeline import build_view, load_dataset
from geo.reference import load_reference
from geo.validate import load_events
from geo.view import ViewParams
from render.exports.data import export_data
from render.exports.html import render_page
from render.exports.pack import export_pack
from render.exports.static import export_static
from tests.adversarial.corpus import HOSTILE, HOSTILE_LINKS, csv_bytes
from tests.factories import shipped_events

TEXT_COLUMNS = ("location_text", "source_org", "source_title", "evidence_quote", "notes")
HEADER = ("event_id", "date", "count_text", "place_names", "admin1_codes", "source_url",
          "same_event_as", *TEXT_COLUMNS)  # fmt: skip
ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
PLACES = ("Dandong", "Sinuiju", "Hyesan", "Tumen", "Yanji", "Hoeryong")


#: What validation keeps of each hostile text (cells are stripped of outer white space).
KEPT = [h.strip() for h in HOSTILE]
URL = "https://example.org/?q=<b>&x=\"'"


def hostile_file(texts=HOSTILE) -> bytes:
    rows = []
    for i, text in enumerate(texts):
        cells = [text] * len(TEXT_COLUMNS)
        rows.append((f"{text}#{i}", f"2024-04-{i + 1:02d}", f"about {i + 1}", PLACES[i % 6],
                     "", URL, "", *cells))  # fmt: skip
    for i, link in enumerate(HOSTILE_LINKS):
        rows.append((f"link{i}", "2024-05-01", "3", "Dandong", "", link, f"{HOSTILE[0]}#0",
                     "", "", "", "", ""))  # fmt: skip
    return csv_bytes(rows, header=HEADER)


@pytest.fixture(scope="module")
def validated():
    return load_events(hostile_file(), "hostile.csv")


@pytest.fixture(scope="module")
def data():
    events = load_dataset(hostile_file(), "hostile.csv").events
    return build_view(events, ViewParams(types=ALL_TYPES))


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def test_hostile_text_is_kept_verbatim_by_validation(validated):
    events = validated.events
    assert len(events) == len(HOSTILE)
    for col in TEXT_COLUMNS:
        assert events[col].tolist() == KEPT
    # Non-web links are refused by name; the rows are not silently kept with them.
    bad = [(p.row, p.column, p.value) for p in validated.problems if p.severity == "error"]
    assert bad == [(len(HOSTILE) + 2 + i, "source_url", link)
                   for i, link in enumerate(HOSTILE_LINKS)]  # fmt: skip


def test_view_holds_every_hostile_event(data):
    assert sorted(data.events["notes"]) == sorted(KEPT)


def test_csv_export_neutralises_formulas(data, tmp_path):
    out = export_data(data, tmp_path / "events.csv", fmt="csv")
    text = out.read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    for record in records:
        for col in (*TEXT_COLUMNS, "event_id"):
            assert not record[col].startswith(("=", "+", "-", "@", "\t", "\r")), record[col]
    notes = {r["notes"] for r in records}
    assert '\'=HYPERLINK("http://evil.example","x")' in notes
    assert {"'+1+1", "'-2+3", "'@SUM(A1)", "'=1+1"} <= notes
    assert "<script>window.__pwned=1</script>" in notes  # text, as written


def test_xlsx_export_has_no_formula_cells(data, tmp_path):
    out = export_data(data, tmp_path / "events.xlsx", fmt="xlsx")
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(archive.read(n) for n in sheets)
    assert re.search(rb"<(?:\w+:)?f[\s>/]", xml) is None
    import openpyxl

    book = openpyxl.load_workbook(out)
    values = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert '\'=HYPERLINK("http://evil.example","x")' in values  # neutralised, as in CSV
    assert all(c.data_type != "f" for ws in book.worksheets for r in ws.iter_rows() for c in r)


def test_geojson_export_round_trips_the_text(data, tmp_path):
    out = export_data(data, tmp_path / "events.geojson", fmt="geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    notes = sorted(f["properties"]["notes"] for f in doc["features"])
    assert notes == sorted(KEPT)


class TestHtml:
    @pytest.fixture(scope="class")
    def page_text(self, data, regions):
        return render_page(data, regions)

    def test_no_hostile_markup_survives(self, page_text):
        for needle in ("<script>window.__pwned", "<img src=x onerror", "<svg onload",
                       "</script><script>window"):  # fmt: skip
            assert needle not in page_text
        assert "javascript:window" not in page_text.replace("javascript:window.__pwned=9", "")

    def test_every_inline_script_is_allowed_by_hash_and_nothing_else(self, page_text):
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                         page_text)  # fmt: skip
        assert meta, "exported HTML carries a CSP"
        parts = html.unescape(meta.group(1)).split("; ")
        policy = {part.split()[0]: part.split()[1:] for part in parts}
        assert policy["default-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
        assert all(s.startswith("'sha256-") for s in policy["script-src"])
        scripts = re.findall(r"<script(?:\s[^>]*)?>", page_text)
        assert all("src=" not in s for s in scripts)  # everything inlined
        assert len(policy["script-src"]) >= 1
        assert "connect-src" not in policy and "frame-src" not in policy
        assert not re.search(r"\son[a-z]+\s*=", page_text.split("<body", 1)[1].split("<script")[0])


def test_png_and_pdf_exports_carry_text_not_links(data, regions, tmp_path):

    [png, _] = export_static(data, regions, tmp_path / "map.png", fmt="png", dpi=50)
    assert png.read_bytes().startswith(b"\x89PNG")
    [pdf] = export_static(data, regions, tmp_path / "map.pdf", fmt="pdf")
    raw = pdf.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/Launch" not in raw
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "@SUM(A1)" in text and "window.__pwned=8" in text
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            uri = annot.get_object().get("/A", {}).get("/URI", "")
            assert str(uri).startswith(("http://", "https://")), uri


def test_dollar_signs_in_text_are_printed_literally(data, regions, tmp_path):
    [pdf] = export_static(data, regions, tmp_path / "map.pdf", fmt="pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "${window.__pwned=5}" in text


def test_small_pixel_size_png(regions, tmp_path):
    [png, _] = export_static(
        build_view(shipped_events(), ViewParams()), regions, tmp_path / "m.png", size_px=(800, 600)
    )
    with Image.open(png) as image:
        assert image.size == (800, 600)
        assert image.convert("L").getextrema()[0] < 100  # dark ink: a drawn page


def test_report_pack_csvs_are_neutralised(data, regions, tmp_path):
    out = export_pack(data, regions, tmp_path / "pack.zip")
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                for record in csv.reader(io.StringIO(text)):
                    for cell in record:
                        assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
