"""Files in a known data set's layout (tests/data/real/, see its README) load as they are."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from geo.pipeline import load_dataset
from geo.reference import load_reference
from geo.validate import load_events
from tests.adversarial.corpus import csv_bytes

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.fixture(scope="module")
def acled_2023():
    return load_dataset(REAL / "acled_2023_layout.csv", reference=load_reference())


def by_id(events):
    return events.set_index("event_id")


def test_an_acled_export_is_recognised_and_every_row_is_an_event(acled_2023):
    assert (acled_2023.rows, len(acled_2023.events)) == (5, 5)
    said = [p for p in acled_2023.problems if p.row == 0 and p.value.startswith("an ACLED")]
    assert [p.value for p in said] == ["an ACLED export (2023 layout)"]
    assert said[0].message.startswith("read as an ACLED export (2023 layout): event_id_cnty as")
    assert said[0].severity == "warning"
    assert [p for p in acled_2023.problems if p.severity == "error"] == []


def test_acled_dates_follow_time_precision(acled_2023):
    events = by_id(acled_2023.events)
    spans = {i: (r.date_start.date(), r.date_end.date(), r.date_precision)
             for i, r in events.iterrows()}  # fmt: skip
    assert spans["TST0001"] == (dt.date(2023, 10, 9), dt.date(2023, 10, 9), "day")
    assert spans["TST0002"] == (dt.date(2024, 4, 23), dt.date(2024, 4, 29), "period")  # week
    assert spans["TST0003"] == (dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month")


def test_acled_places_points_provinces_and_the_world_outside(acled_2023):
    events = by_id(acled_2023.events)
    assert events["map_level"].to_dict() == {
        "TST0001": "point", "TST0002": "point",
        "TST0003": "admin1",  # geo_precision 3: its province, not the centroid as a point
        "TST0004": "outside", "TST0005": "outside",  # Iran; a South Korean centroid
    }  # fmt: skip
    assert events.loc["TST0003", "admin1_codes"] == "CN-JL"
    assert events.loc["TST0001", "location_text"] == "Dandong, Liaoning, China"
    assert events.loc["TST0001", "source_org"] == "Fixture Source"
    [far] = [p for p in acled_2023.problems if p.row == 5]
    assert (far.severity, far.column) == ("warning", "latitude")  # the column as written
    assert acled_2023.events["count_qualifier"].eq("unknown").all()  # fatalities are not people


def test_acled_columns_without_a_place_in_the_schema_are_kept_in_notes(acled_2023):
    notes = by_id(acled_2023.events).loc["TST0001", "notes"]
    assert notes.startswith("Test fixture in ACLED's layout, not an ACLED record")
    for kept in ("ACLED event_type: Strategic developments", "ACLED sub_event_type: Other",
                 "ACLED actor1: Police Forces of China (2012-)", "ACLED fatalities: 0",
                 "ACLED timestamp: 1700000000"):  # fmt: skip
        assert kept in notes
    assert acled_2023.events["event_type"].eq("forced_return").all()
    assert acled_2023.events["assumed"].eq("event_type").all()  # said, not silent


def test_the_classic_layout_reads_day_first_and_excel_dates_and_names_the_ambiguous():
    result = load_events(REAL / "acled_classic_layout.csv")
    said = [p.value for p in result.problems if p.row == 0]
    assert "an ACLED export (classic layout)" in said
    events = by_id(result.events)
    assert events.loc["TST1001", "date_start"].date() == dt.date(2021, 4, 18)  # 18/04/2021
    assert events.loc["TST1002", "date_start"].date() == dt.date(2024, 8, 5)  # 5-Aug-24
    [ambiguous] = [p for p in result.problems if p.severity == "error"]
    assert (ambiguous.row, ambiguous.column, ambiguous.value) == (4, "EVENT_DATE", "31-12-19")
    assert ambiguous.message.startswith("'31-12-19' is ambiguous: a two-digit year")
    assert "e.g. 2019-12-31 if it is day-month-year" in ambiguous.message


def _redated(name: str, dates: dict[str, str], **swap: str) -> bytes:
    """Return the fixture ``name`` with the dates of some rows (by event id) rewritten.

    ``swap`` replaces other cells of those rows (by header key), e.g. a time_precision.
    """
    rows = list(csv.reader(io.StringIO((REAL / name).read_text(encoding="utf-8"))))
    keys = [h.lower() for h in rows[0]]
    at = {key: keys.index(key) for key in ("event_id_cnty", "event_date", *swap)}
    for row in rows[1:]:
        if row[at["event_id_cnty"]] in dates:
            row[at["event_date"]] = dates[row[at["event_id_cnty"]]]
            for key, value in swap.items():
                row[at[key]] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _spans(result) -> dict[str, tuple[dt.date, dt.date, str]]:
    return {
        r.event_id: (r.date_start.date(), r.date_end.date(), r.date_precision)
        for r in result.events.itertuples()
    }


# Every form of one day the tool reads, as ACLED's own export writes it ("15 April 2024"), as
# Excel or a US locale re-saves it, or year first with slashes.
ONE_DAY = ["15 April 2024", "15 Apr 2024", "April 15, 2024", "2024/04/15", "15-Apr-24",
           "15/04/2024", "2024-04-15"]  # fmt: skip


@pytest.mark.parametrize("written", ONE_DAY)
@pytest.mark.parametrize("precision", ["1", "2", "3"])
def test_acled_time_precision_applies_to_every_date_form_read(written, precision):
    iso = load_events(_redated("acled_2023_layout.csv", {"TST0003": "2024-04-15"},
                               time_precision=precision), "acled.csv")  # fmt: skip
    result = load_events(_redated("acled_2023_layout.csv", {"TST0003": written},
                                  time_precision=precision), "acled.csv")  # fmt: skip
    assert _spans(result)["TST0003"] == _spans(iso)["TST0003"]
    assert [p for p in result.problems if p.severity == "error"] == []


def test_acled_dates_as_its_export_writes_them_span_what_the_iso_dates_do(acled_2023):
    written = {"TST0001": "09 October 2023", "TST0002": "26 April 2024",
               "TST0003": "15 April 2024"}  # fmt: skip
    result = load_events(_redated("acled_2023_layout.csv", written), "acled.csv")
    assert _spans(result) == _spans(acled_2023)
    assert _spans(result)["TST0002"] == (dt.date(2024, 4, 23), dt.date(2024, 4, 29), "period")


def test_the_classic_layout_applies_time_precision_to_a_written_out_date():
    month = {"TST1001": "15 April 2024", "TST1002": "15/04/2024"}
    result = load_events(_redated("acled_classic_layout.csv", month, time_precision="3"),
                         "acled.csv")  # fmt: skip
    april = (dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month")
    assert (_spans(result)["TST1001"], _spans(result)["TST1002"]) == (april, april)


def test_a_summary_counts_an_acled_event_dated_in_words_as_its_iso_date(tmp_path, capsys):
    """A week (time_precision 2) around 26 April is not within 10-20 April, however written."""
    worded = tmp_path / "acled.csv"
    worded.write_bytes(_redated("acled_2023_layout.csv", {"TST0002": "20 April 2024",
                                                          "TST0003": "15 April 2024"}))
    iso = tmp_path / "acled_iso.csv"
    iso.write_bytes(_redated("acled_2023_layout.csv", {"TST0002": "2024-04-20",
                                                       "TST0003": "2024-04-15"}))
    totals = []
    for path in (iso, worded):
        assert main(["summary", "--events", str(path), "--start", "2024-04-10",
                     "--end", "2024-04-20", "--match", "within", "--json"]) == 0  # fmt: skip
        totals.append(json.loads(capsys.readouterr().out))
    assert totals[1] == totals[0]


@pytest.mark.parametrize(
    ("written", "read"),
    [("15/04/2024", dt.date(2024, 4, 15)), ("5/5/2024", dt.date(2024, 5, 5)),
     ("31/12/2019", dt.date(2019, 12, 31))],
)  # fmt: skip
def test_an_acled_slash_date_whose_day_cannot_be_a_month_is_read_day_first(written, read):
    result = load_events(_redated("acled_2023_layout.csv", {"TST0001": written}), "acled.csv")
    assert _spans(result)["TST0001"] == (read, read, "day")


@pytest.mark.parametrize("name", ["acled_2023_layout.csv", "acled_classic_layout.csv"])
def test_an_ambiguous_acled_slash_date_is_refused_as_in_a_schema_file(name):
    """``10/9/2023`` is an Excel re-save: 10 September, or 9 October in a US locale."""
    first = "TST0001" if name.startswith("acled_2023") else "TST1001"
    result = load_events(_redated(name, {first: "10/9/2023"}), "acled.csv")
    assert first not in set(result.events["event_id"])
    [refused] = [p for p in result.problems if p.severity == "error" and p.row == 2]
    column = "event_date" if first == "TST0001" else "EVENT_DATE"
    assert (refused.row, refused.column, refused.value) == (2, column, "10/9/2023")
    schema = load_events(
        csv_bytes([("e1", "10/9/2023", "CN-JL", "https://example.org/a")],
                  header=("event_id", "date", "admin1_codes", "source_url")),
        "mine.csv",
    )  # fmt: skip
    [same] = [p for p in schema.problems if p.severity == "error" and p.column == "date"]
    assert refused.message == same.message
    assert refused.message == (
        "'10/9/2023' is ambiguous: 10 September or 9 October? write 2023-09-10 or 2023-10-09"
    )


def test_a_file_with_only_some_acled_columns_is_read_as_our_schema():
    header = ("event_id", "event_date", "date", "admin1_codes", "source_url", "event_type")
    row = ("e1", "2024-04-26", "2024-04-26", "CN-JL", "https://example.org/a", "policy")
    result = load_events(csv_bytes([row], header=header), "mine.csv")
    assert not [p for p in result.problems if "read as" in p.message]
    assert result.valid == 1


def test_the_command_line_names_the_layout(capsys):
    assert main(["validate", str(REAL / "acled_2023_layout.csv")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "5 rows, 5 valid, 0 errors" in out
    assert "read as an ACLED export (2023 layout)" in out


# --- Korean and Chinese spreadsheets ------------------------------------------------------

KOREAN = (
    "날짜,장소,인원,출처,비고\n"
    "2023년 10월 초,단둥,500명가량,연합뉴스,메모\n"
    "2024-04,혜산,수백 명,NK News,\n"
    "2024-05,Tumen,5백 명,데일리NK,\n"
)
CHINESE = (
    "日期,地点,人数,来源,备注\n"
    "2023年10月上旬,丹东,500名,新华社,\n"
    "2024-04,图们,数百人,RFA,无\n"
)


def test_a_korean_sheet_loads_under_its_own_headers():
    result = load_events(KOREAN.encode("utf-8"), "한국어.csv")
    assert (result.rows, result.valid) == (3, 3)
    assert [p.severity for p in result.problems] == ["warning"]  # only: no event_type column
    events = result.events
    assert events["place_ids"].tolist() == ["cn-dandong", "kp-hyesan", "cn-tumen"]
    assert events["count_qualifier"].tolist() == ["about", "unknown", "exact"]
    assert events["count_low"].tolist() == [500, 200, 500]
    assert events["source_org"].tolist() == ["연합뉴스", "NK News", "데일리NK"]
    assert events["notes"].tolist() == ["메모", "", ""]
    assert (events["date_start"][0].date(), events["date_end"][0].date()) == (
        dt.date(2023, 10, 1), dt.date(2023, 10, 10),  # 초: the month's first ten days
    )  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_chinese_sheet_loads_under_its_own_headers(encoding):
    result = load_events(CHINESE.encode(encoding), "中文.csv")
    assert (result.rows, result.valid) == (2, 2)
    assert result.events["place_ids"].tolist() == ["cn-dandong", "cn-tumen"]
    assert result.events["count_best"].tolist()[0] == 500
    assert result.events["count_low"].tolist() == [500, 200]
    assert result.events["source_org"].tolist() == ["新华社", "RFA"]


# --- UCDP GED and GDELT -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ucdp_ged.csv", "ucdp_ged.geojson"])
def test_a_ucdp_ged_file_gives_count_ranges_points_and_border_wide_rows(name):
    dataset = load_dataset(REAL / name, reference=load_reference())
    assert (dataset.rows, len(dataset.events)) == (3, 3)
    assert "a UCDP GED file" in [p.value for p in dataset.problems if p.row == 0]
    assert [p for p in dataset.problems if p.severity == "error"] == []
    events = by_id(dataset.events.astype({"event_id": str}))
    tumen = events.loc["900001"]
    assert (tumen.count_low, tumen.count_best, tumen.count_high) == (50, 60, 70)
    assert tumen.count_qualifier == "about"
    assert tumen.date_start.date() == tumen.date_end.date() == dt.date(2023, 10, 9)
    assert events["map_level"].to_dict() == {
        "900001": "point",
        "900002": "border",  # where_prec 6 in North Korea: border-wide, not a centroid point
        "900003": "outside",  # Baghdad: counted outside the map area, not refused
    }
    assert events.loc["900002", "count_qualifier"] == "exact"
    assert events.loc["900001", "source_org"] == "Fixture Source"
    assert "GED relid: TST-2023-3-1-1" in events.loc["900001", "notes"]


def test_a_gdelt_extract_never_draws_a_centroid_as_a_point():
    dataset = load_dataset(REAL / "gdelt_events_header.csv", reference=load_reference())
    assert (dataset.rows, len(dataset.events)) == (4, 4)
    assert "a GDELT events file (2.0 layout)" in [p.value for p in dataset.problems if p.row == 0]
    events = by_id(dataset.events.astype({"event_id": str}))
    assert events["map_level"].to_dict() == {
        "1100000001": "point",  # a city (ActionGeo_Type 4)
        "1100000002": "admin1",  # a province centroid (5): its province
        "1100000003": "border",  # North Korea's centroid (1): border-wide
        "1100000004": "outside",
    }
    assert events.loc["1100000002", "admin1_codes"] == "CN-JL"
    assert events.loc["1100000001", "date_start"].date() == dt.date(2023, 10, 9)
    assert events.loc["1100000001", "source_url"] == "https://example.org/gdelt/fixture-1"
    assert "GDELT eventcode: 174" in events.loc["1100000001", "notes"]


# --- Place cells as people write them ------------------------------------------------------


def test_place_cells_as_people_write_them():
    cells = {
        "Dandong, Liaoning": "cn-dandong",  # City, Province
        "Dandong, Liaoning, China": "cn-dandong",
        "Tumen (Jilin)": "cn-tumen",
        "단둥(丹东)": "cn-dandong",  # the same place in two scripts
        "Dandong, Hunchun": "cn-dandong|cn-hunchun",  # a list with commas
        "图们、珲春": "cn-tumen|cn-hunchun",
        "Sinuiju/Dandong": "kp-sinuiju|cn-dandong",
        # A leading country and/or province, suffixes, City, Province (issue 11)
        "중국 지린성 투먼시": "cn-tumen",
        "지린성 투먼": "cn-tumen",
        "吉林省图们市": "cn-tumen",
        "中国吉林省图们市": "cn-tumen",
        "辽宁丹东": "cn-dandong",
        "辽宁省丹东市": "cn-dandong",
        "图们市": "cn-tumen",
        "Tumen City": "cn-tumen",
        "Jilin Tumen": "cn-tumen",
        "Dandong City, Liaoning Province": "cn-dandong",
        "Hunchun County": "cn-hunchun",
        "단둥, 훈춘": "cn-dandong|cn-hunchun",
        "Tumen/Hunchun": "cn-tumen|cn-hunchun",
        "북한 량강도 혜산시": "kp-hyesan",
        "朝鲜两江道惠山": "kp-hyesan",
    }
    rows = [(f"e{i}", "2023-10-09", cell, "60", "https://example.org/a", "policy")
            for i, cell in enumerate(cells)]  # fmt: skip
    header = ("event_id", "date", "place", "count", "source_url", "event_type")
    result = load_events(csv_bytes(rows, header=header), "places.csv")
    assert result.problems == []
    assert result.events["place_ids"].tolist() == list(cells.values())


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("吉林省丹东市", "'Dandong' is in Liaoning (CN-LN), not in Jilin (CN-JL) as the cell says: "
                       "correct the place or the province"),
        ("Tumen (Liaoning)", "'Tumen' is in Jilin (CN-JL), not in Liaoning (CN-LN) as the cell "
                             "says: correct the place or the province"),
        ("중국 신의주", "'Sinuiju' is in North Korea, not in China as the cell says: correct the "
                   "place or the country"),
    ],
)  # fmt: skip
def test_a_place_outside_the_province_written_with_it_is_an_error_naming_both(cell, message):
    row = ("e1", "2023-10-09", cell, "60", "https://example.org/a", "policy")
    header = ("event_id", "date", "place", "count", "source_url", "event_type")
    result = load_events(csv_bytes([row], header=header), "places.csv")
    assert result.valid == 0
    [problem] = result.problems
    assert (problem.severity, problem.column, problem.value) == ("error", "place", cell)
    assert problem.message == message


def test_a_province_beside_places_none_is_in_is_a_warning_and_not_used():
    row = ("e1", "2023-10-09", "Dandong, Jilin", "60", "https://example.org/a", "policy")
    header = ("event_id", "date", "place", "count", "source_url", "event_type")
    result = load_events(csv_bytes([row], header=header), "places.csv")
    assert result.valid == 1 and result.events["place_ids"].tolist() == ["cn-dandong"]
    [problem] = result.problems
    assert problem.severity == "warning"
    assert problem.message.startswith(
        "'Jilin', the province Jilin (CN-JL), is not where the cell's places are ('Dandong' is "
        "in Liaoning (CN-LN)) and is not used: correct the province or the place"
    )


@pytest.mark.parametrize("cell", ["Liaoning", "China", "Tumen (somewhere)", "지린성"])
def test_a_province_or_country_alone_is_not_a_place(cell):
    row = ("e1", "2023-10-09", cell, "60", "https://example.org/a", "policy")
    header = ("event_id", "date", "place", "count", "source_url", "event_type")
    result = load_events(csv_bytes([row], header=header), "places.csv")
    assert result.valid == 0
    [problem] = result.problems
    assert problem.message.startswith(f"not in the gazetteer (data/places.csv): '{cell}'")


def test_a_file_without_a_header_row_is_named_as_such():
    data = b"2023-10-09,Dandong,60,https://example.org/a\n2024-04,Tumen,5,https://example.org/b\n"
    result = load_events(data, "no-header.csv")
    assert result.valid == 0
    [problem] = result.problems
    assert (problem.row, problem.severity, problem.value) == (0, "error", "2023-10-09")
    assert problem.message.startswith(
        "the first row looks like data ('2023-10-09'), not column names: the file has no header "
        "row"
    )


def test_unknown_headers_that_are_not_values_still_list_what_is_accepted():
    result = load_events(b"foo,bar\n1,2\n", "x.csv")
    assert [p.message.split(";")[0] for p in result.problems if p.severity == "error"] == [
        "the file has no column giving a date",
        "the file has no column giving a location",
        "the file has no column giving a source",
    ]


# --- A "messy" English sheet, as researchers write one --------------------------------------

MESSY = REAL.parent / "lang" / "messy_english.csv"  # see tests/data/lang/README.md


def test_a_messy_english_sheet_loads_nine_rows_in_ten_and_says_what_to_write():
    result = load_events(MESSY)
    assert (result.rows, result.valid) == (20, 18)
    link, season = [p for p in result.problems if p.severity == "error"]
    assert (link.row, link.column, season.row) == (8, "Source link", 16)
    assert link.message.endswith("write 'https://hrw.org/news/2022' if that is the page")
    events = by_id(result.events.assign(event_id=result.events["row"].astype(str)))
    assert events.loc["2", "date_precision"] == "period"  # early October 2023: 1-10 October
    assert events.loc["3", "count_low"] == 24 and events.loc["3", "place_ids"] == "cn-tumen"
    assert events.loc["2", "count_text"] == "60 (per HRW)"  # the source's words, kept


# --- GDELT's raw files: tab-separated, no header row ------------------------------------------


def test_a_raw_gdelt_file_without_a_header_reads_as_the_one_with_it():
    reference = load_reference()
    raw = load_dataset(REAL / "gdelt_events_raw.export.CSV", reference=reference)
    with_header = load_dataset(REAL / "gdelt_events_header.csv", reference=reference)
    notices = {p.value: p.message for p in raw.problems if p.row == 0}
    assert "the file has no header row; its 61 columns" in notices["a GDELT 2.0 events file"]
    assert "a GDELT events file (2.0 layout)" in notices
    assert (raw.rows, len(raw.events)) == (4, 4)
    columns = ["event_id", "date_start", "map_level", "admin1_codes", "source_url", "notes"]
    pd.testing.assert_frame_equal(
        raw.events[columns].reset_index(drop=True),
        with_header.events[columns].reset_index(drop=True),
    )


def test_a_raw_gdelt_file_numbers_its_first_line_row_one():
    lines = (REAL / "gdelt_events_raw.export.CSV").read_text().splitlines()
    broken = lines[0].replace("20231009", "2023100X", 1)  # no longer a GDELT record: a header
    result = load_events("\n".join([lines[1], broken]).encode(), "20240426.export.CSV")
    assert result.rows == 2
    bad = [p for p in result.problems if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in bad] == [(2, "SQLDATE", "2023100X")]


def test_a_gdelt_1_daily_file_of_58_columns_is_read_too():
    with (REAL / "gdelt_events_header.csv").open(newline="") as file:
        header, *rows = csv.reader(file)
    keep = [i for i, name in enumerate(header) if not name.endswith("ADM2Code")]
    raw = "\n".join("\t".join(row[i] for i in keep) for row in rows)
    result = load_events(raw.encode(), "20170102.export.CSV")
    assert "a GDELT 1.0 events file" in [p.value for p in result.problems if p.row == 0]
    assert "a GDELT events file" in [p.value for p in result.problems if p.row == 0]
    assert (result.rows, result.valid) == (4, 4)
    assert result.events["source_url"].tolist()[0] == "https://example.org/gdelt/fixture-1"


# --- Choosing the format: --format / the upload's "Read the file as" -------------------------


def test_schema_reads_a_data_set_file_in_this_tools_own_columns():
    result = load_events(REAL / "acled_2023_layout.csv", fmt="schema")
    assert result.valid == 0
    assert not [p for p in result.problems if p.message.startswith("read as")]
    assert any("no column giving a date" in p.message for p in result.problems)


def test_a_chosen_layout_reads_a_file_missing_the_columns_that_identify_it():
    with (REAL / "ucdp_ged.csv").open(newline="") as file:
        header, *rows = csv.reader(file)
    keep = [i for i, name in enumerate(header) if name not in ("relid", "date_prec")]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([row[i] for i in keep] for row in [header, *rows])
    trimmed = buffer.getvalue().encode()
    assert load_events(trimmed, "ged.csv").valid == 0  # not recognised: no relid
    result = load_events(trimmed, "ged.csv", fmt="ucdp-ged")
    assert (result.rows, result.valid) == (3, 3)
    assert "a UCDP GED file" in [p.value for p in result.problems if p.row == 0]
    assert result.events["count_low"].tolist() == load_events(REAL / "ucdp_ged.csv").events[
        "count_low"
    ].tolist()


def test_a_chosen_layout_the_file_is_not_in_is_one_clear_error():
    result = load_events(REAL / "gdelt_events_header.csv", fmt="acled")
    [problem] = result.problems
    assert (problem.row, problem.severity, problem.value) == (0, "error", "acled")
    assert problem.message.startswith(
        "the file was to be read as an ACLED export (format acled), but it lacks that layout's "
        "columns event_date, latitude, longitude (its columns: GLOBALEVENTID, SQLDATE"
    )
    assert "choose the format auto" in problem.message
    assert result.valid == 0


def test_the_command_line_reads_a_file_as_the_format_chosen(capsys):
    name = str(REAL / "acled_2023_layout.csv")
    assert main(["validate", "--format", "schema", name]) == 1
    assert "0 valid" in capsys.readouterr().out
    assert main(["summary", "--events", name, "--input-format", "acled", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == 5  # the one in Iran counted outside
    assert main(["validate", "--format", "gdelt", name]) == 1
    assert "to be read as a GDELT events file (format gdelt)" in capsys.readouterr().out


def test_a_layout_file_with_no_other_columns_or_no_rows_is_read():
    minimal = (
        "GLOBALEVENTID,SQLDATE,ActionGeo_Type,ActionGeo_Lat,ActionGeo_Long,SOURCEURL\n"
        "7,20231009,4,40.1292,124.3947,https://example.org/a\n"
    )
    result = load_events(minimal.encode(), "gdelt.csv")
    assert result.valid == 1 and result.events["notes"].tolist() == [""]
    header_only = (REAL / "acled_2023_layout.csv").read_text().splitlines()[0] + "\n"
    result = load_events(header_only.encode(), "acled.csv")
    assert (result.rows, result.valid) == (0, 0)
    assert "an ACLED export (2023 layout)" in [p.value for p in result.problems]


def test_extra_columns_join_into_notes_row_by_row_in_file_order():
    text = (
        "GLOBALEVENTID,SQLDATE,ActionGeo_Type,ActionGeo_Lat,ActionGeo_Long,SOURCEURL,B,A\n"
        "1,20231009,4,40.1292,124.3947,https://example.org/a,x,\n"
        "2,20231009,4,40.1292,124.3947,https://example.org/b,,y\n"
        "3,20231009,4,40.1292,124.3947,https://example.org/c,x,y\n"
        "4,20231009,4,40.1292,124.3947,https://example.org/d, x ,y\n"
    )
    notes = load_events(text.encode(), "gdelt.csv").events["notes"].tolist()
    assert notes == ["GDELT b: x", "GDELT a: y", "GDELT b: x; GDELT a: y", "GDELT b: x; GDELT a: y"]


def test_the_formats_offered_are_the_layouts_any_file_may_hold():
    from geo.validate.layouts import FORMATS, LAYOUTS

    assert FORMATS == ("auto", "schema", *(layout.key for layout in LAYOUTS if not layout.formats))
