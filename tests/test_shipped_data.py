"""The shipped data files: the curated events table and the reference layers.

Reads ``data/`` only (never the research folder). The validator-based check of
``events.csv`` lives with ``geo.validate``'s tests.
"""

import csv
import datetime as dt
import re
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import pytest

from geo.reference import paths
from geo.reference.schema import (
    COUNT_QUALIFIERS,
    CRS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    SCHEMA_COLUMNS,
)

HRW_670_REPORT = "2024-05-08-report-hrw-670-since-2020"
HRW_406_REPORT = "2025-10-15-report-hrw406"
HRW_1076_REPORT = "2025-10-15-report-hrw1076"

#: The 17 distinct forced-return events and their reference rows (data/README.md).
FORCED_RETURN_REFERENCES = {
    "2004-10-26-forced-return-beijing-62-nysun",
    "2013-01-forced-return-yanji-12-women-chosun",
    "2013-05-28-forced-return-laos-beijing-9-hrw",
    "2013-11-07-forced-return-beijing-5-scmp",
    "2014-08-forced-return-29-amnesty",
    "2018-11-forced-return-sinuiju-laborers-dailynk",
    "2021-07-14-forced-return-rfa",
    "2023-08-29-forced-return-hrw2024",
    "2023-09-18-forced-return-hrw2024",
    "2023-10-09-forced-return-hrw2024",
    "2024-01-forced-return-helong-workers-yonhap",
    "2024-04-26-forced-return-hrw",
    "2024-forced-return-trafficked-women-south-yonhap",
    "2024-2025-forced-return-forced-marriage-women-hrw-rtp",
    "2024-2025-forced-return-inner-mongolia-women-hrw-rtp",
    "2025-09-forced-return-28-women-segye",
    "2024-01-01-forced_return-yahoohkhacker",
}


@pytest.fixture(scope="module")
def header() -> list[str]:
    with open(paths.EVENTS_CSV, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with open(paths.EVENTS_CSV, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def by_id(rows) -> dict[str, dict[str, str]]:
    return {r["event_id"]: r for r in rows}


def _is_reference(row: dict[str, str]) -> bool:
    return row["same_event_as"] == ""


class TestEventsTable:
    def test_columns_in_schema_order(self, header):
        assert header == list(SCHEMA_COLUMNS)

    def test_150_claims_with_unique_ids(self, rows):
        ids = [r["event_id"] for r in rows]
        assert len(rows) == 150
        assert len(set(ids)) == 150
        assert all(ids)

    def test_rows_per_type(self, rows):
        counts = pd.Series([r["event_type"] for r in rows]).value_counts().to_dict()
        assert counts == {
            "forced_return": 44,
            "detention": 41,
            "report": 32,
            "diplomatic": 22,
            "policy": 11,
        }

    def test_allowed_values(self, rows):
        for r in rows:
            assert r["event_type"] in EVENT_TYPES, r["event_id"]
            assert r["date_precision"] in DATE_PRECISIONS, r["event_id"]
            assert r["count_qualifier"] in COUNT_QUALIFIERS, r["event_id"]
            assert r["geo_precision"] in GEO_PRECISIONS + ("",), r["event_id"]

    def test_empty_geo_precision_only_on_unlocated_diplomatic_rows(self, rows):
        empty = [r for r in rows if r["geo_precision"] == ""]
        assert len(empty) == 21
        assert {r["event_type"] for r in empty} == {"diplomatic"}
        assert not any(r["admin1_codes"] or r["place_names"] for r in empty)

    def test_dates_are_iso_and_ordered(self, rows):
        for r in rows:
            start, end = r["date_start"], r["date_end"]
            assert start or end, r["event_id"]
            for value in (start, end, r["source_published"]):
                if value:
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (r["event_id"], value)
                    dt.date.fromisoformat(value)
            if start and end:
                assert start <= end, r["event_id"]
            if r["date_precision"] == "day":
                assert start == end, r["event_id"]

    def test_counts_follow_the_count_rule(self, rows):
        for r in rows:
            best, low, high = r["count_best"], r["count_low"], r["count_high"]
            for value in (best, low, high):
                assert value == "" or re.fullmatch(r"\d+", value), (r["event_id"], value)
            expected = {
                "exact": (best, best),
                "about": (best, ""),
                "more_than": (best, ""),
                "at_least": (best, ""),
                "up_to": ("", best),
            }
            if r["count_qualifier"] == "unknown":
                assert best == "", r["event_id"]
                assert bool(low) == bool(high), r["event_id"]
                if low:
                    assert "Range" in r["notes"] and int(low) < int(high), r["event_id"]
            else:
                assert best, r["event_id"]
                assert (low, high) == expected[r["count_qualifier"]], r["event_id"]

    def test_admin1_codes_are_iso_3166_2(self, rows):
        codes = {c for r in rows for c in r["admin1_codes"].split("|") if c}
        assert all(re.fullmatch(r"(CN|KP)-[A-Z0-9]{2}", c) for c in codes), codes
        assert {"CN-JL", "CN-LN"} <= codes

    def test_border_precision_means_the_china_dprk_border(self, rows):
        other_border = [
            r["event_id"]
            for r in rows
            if r["geo_precision"] == "border"
            and any(w in r["location_text"] for w in ("Mongolia", "Laos", "Vietnam"))
        ]
        assert other_border == []
        curated = [r for r in rows if "Curation (border-events-map)" in r["notes"]]
        assert {r["admin1_codes"] for r in curated} == {"CN-NM", "CN-NM|CN-HE", "CN-YN"}
        assert len(curated) == 4

    def test_no_explicit_points(self, rows):
        assert all(r["lat"] == "" and r["lon"] == "" for r in rows)

    def test_every_row_has_a_source(self, rows):
        for r in rows:
            assert r["source_url"] or r["source_org"], r["event_id"]
            if r["source_url"]:
                parts = urlsplit(r["source_url"])
                assert parts.scheme in ("http", "https"), r["source_url"]
                assert parts.netloc, r["source_url"]

    def test_no_cell_starts_like_a_spreadsheet_formula(self, rows):
        for r in rows:
            for column, value in r.items():
                assert not value.startswith(("=", "+", "-", "@")), (r["event_id"], column)


class TestSameEvent:
    def test_links_point_to_reference_rows_of_the_same_type(self, rows, by_id):
        for r in rows:
            target = r["same_event_as"]
            if target:
                assert target in by_id, r["event_id"]
                assert _is_reference(by_id[target]), (r["event_id"], target)
                assert by_id[target]["event_type"] == r["event_type"], r["event_id"]
                assert target != r["event_id"]

    def test_reference_rows_per_type(self, rows):
        refs = pd.Series([r["event_type"] for r in rows if _is_reference(r)])
        assert refs.value_counts().to_dict() == {
            "forced_return": 17,
            "detention": 31,
            "report": 29,
            "diplomatic": 22,
            "policy": 9,
        }

    def test_seventeen_forced_return_events(self, rows):
        refs = {
            r["event_id"] for r in rows if r["event_type"] == "forced_return" and _is_reference(r)
        }
        assert refs == FORCED_RETURN_REFERENCES

    def test_hrw_670_since_2020_is_the_sum_of_reference_returns(self, rows, by_id):
        in_window = [
            r
            for r in rows
            if r["event_type"] == "forced_return"
            and _is_reference(r)
            and r["date_start"] >= "2020-01-01"
            and "" < r["date_end"] <= "2023-12-31"
        ]
        assert {r["event_id"] for r in in_window} == {
            "2021-07-14-forced-return-rfa",
            "2023-08-29-forced-return-hrw2024",
            "2023-09-18-forced-return-hrw2024",
            "2023-10-09-forced-return-hrw2024",
        }
        assert sum(int(r["count_low"]) for r in in_window) == 670
        assert by_id[HRW_670_REPORT]["count_low"] == "670"
        # Each of HRW's four components is, or points to, one of these reference rows.
        components = [r for r in rows if f"Component of {HRW_670_REPORT}" in r["notes"]]
        assert len(components) == 4
        reached = {r["same_event_as"] or r["event_id"] for r in components}
        assert reached == {r["event_id"] for r in in_window}

    def test_26_april_2024(self, rows, by_id):
        ref = by_id["2024-04-26-forced-return-hrw"]
        assert _is_reference(ref)
        assert ref["admin1_codes"] == "CN-JL|CN-LN"
        assert (ref["count_best"], ref["count_qualifier"]) == ("60", "about")
        claims = {r["event_id"] for r in rows if r["same_event_as"] == ref["event_id"]}
        assert claims == {
            "2024-04-26-forced-return-kbs",
            "2024-04-26-forced-return-nkinsider-rfa",
            "2024-04-26-forced-return-nkinsider-yonhap",
        }

    def test_9_october_2023_mass_return(self, rows):
        claims = {
            r["event_id"] for r in rows if r["same_event_as"] == "2023-10-09-forced-return-hrw2024"
        }
        assert len(claims) == 14
        assert {
            "2023-10-forced-return-asiapress-yanggang",
            "2023-10-forced-return-kim-cheol-ok-afp",
            "2023-10-forced-return-kim-cheol-ok-nknews",
        } <= claims

    def test_beijing_2004_detention_and_return_are_separate_events(self, by_id):
        assert _is_reference(by_id["2004-10-26-detention-beijing-65-chicagotribune"])
        assert _is_reference(by_id["2004-10-26-forced-return-beijing-62-nysun"])

    def test_1986_protocol_is_one_instrument(self, by_id):
        donga = by_id["1986-policy-border-convention-donga"]
        assert donga["same_event_as"] == "1986-policy-border-protocol-hrw"
        assert _is_reference(by_id["1998-policy-border-protocol-cecc"])

    def test_report_claims_are_hrw_406_and_1076_restated(self, rows, by_id):
        claims = {
            r["event_id"]: r["same_event_as"]
            for r in rows
            if r["event_type"] == "report" and not _is_reference(r)
        }
        assert claims == {
            "2025-10-15-report-hrw-406-since-2024": HRW_406_REPORT,
            "2026-03-11-report-hrwdispatch406": HRW_406_REPORT,
            "2025-10-15-report-redcensor-1076-since-2020": HRW_1076_REPORT,
        }

    def test_hrw_406_and_1076_windows_end_in_september_2025(self, by_id):
        for report_id, start, low in (
            (HRW_406_REPORT, "2024-01-01", "406"),
            (HRW_1076_REPORT, "2020-01-01", "1076"),
        ):
            report = by_id[report_id]
            assert report["source_url"].startswith("https://www.hrw.org/")
            assert (report["date_start"], report["date_end"]) == (start, "2025-09-30")
            assert (report["count_low"], report["count_high"]) == (low, "")
            assert report["count_qualifier"] == "at_least"
        assert by_id["2026-03-11-report-hrwdispatch406"]["date_end"] == "2025-09-30"

    def test_2024_2026_curation_is_recorded(self, rows):
        readme = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
        marker = "Curation (border-events-map, 2024-2026 update)"
        curated = [r for r in rows if marker in r["notes"]]
        # 22 rows from the research file; 2 existing rows changed (406 window, 28 conflict).
        assert len(curated) == 22 + 2
        for r in curated:
            assert f"`{r['event_id']}`" in readme, r["event_id"]

    def test_readme_lists_every_forced_return_reference(self):
        readme = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
        missing = [i for i in FORCED_RETURN_REFERENCES if i not in readme]
        assert not missing


def test_readme_carries_the_required_credits():
    readme = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "Made with Natural Earth" in readme
    assert (
        "Place data © GeoNames (https://www.geonames.org), CC BY 4.0; "
        "subset and fields selected for this project." in readme
    )
    assert "`iso3166-2` (MIT)" in readme
    for name in (
        "events.csv",
        "admin1.geojson",
        "countries.geojson",
        "rivers.geojson",
        "places.csv",
    ):
        assert f"## `{name}`" in readme


class TestReferenceLayers:
    def test_admin1(self):
        gdf = gpd.read_file(paths.ADMIN1_GEOJSON)
        assert gdf.crs.to_string() == CRS
        assert len(gdf) == 14
        assert gdf["iso_3166_2"].is_unique
        assert {"CN-JL", "CN-LN", "KP-01", "KP-13", "RU-PRI"} <= set(gdf["iso_3166_2"])
        assert {"name_en", "name_local", "country_iso3"} <= set(gdf.columns)
        assert gdf.geometry.is_valid.all()

    def test_countries(self):
        gdf = gpd.read_file(paths.COUNTRIES_GEOJSON)
        assert gdf.crs.to_string() == CRS
        assert sorted(gdf["iso3"]) == ["CHN", "JPN", "KOR", "MNG", "PRK", "RUS"]
        assert gdf.geometry.is_valid.all()

    def test_rivers(self):
        gdf = gpd.read_file(paths.RIVERS_GEOJSON)
        assert gdf.crs.to_string() == CRS
        assert sorted(gdf["name_en"]) == ["Tumen", "Yalu"]
        assert set(gdf.geom_type) == {"LineString"}

    def test_places(self):
        places = pd.read_csv(paths.PLACES_CSV, dtype=str, keep_default_na=False)
        assert len(places) == 33
        assert places["place_id"].is_unique
        assert list(places.columns[:10]) == [
            "place_id",
            "name_en",
            "name_local",
            "name_ko",
            "name_zh",
            "alt_names",
            "country_iso3",
            "admin1_iso",
            "lat",
            "lon",
        ]
        lat = places["lat"].astype(float)
        lon = places["lon"].astype(float)
        assert lat.between(33, 50).all() and lon.between(115, 136).all()
        assert places["country_iso3"].value_counts().to_dict() == {"CHN": 16, "PRK": 17}
        assert {"Dandong", "Sinuiju", "Hunchun", "Tumen"} <= set(places["name_en"])
