import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo.read.common import RawTable
from geo.reference import load_reference, paths
from geo.reference.places import Gazetteer
from geo.reference.schema import CRS, SCHEMA_COLUMNS, TEXT_COLUMNS
from geo.validate import load_events, validate_table
from tests.factories import shipped_validation

BASE = {
    "event_type": "forced_return",
    "date": "2024-04-26",
    "count": "about 60",
    "place": "Dandong",
    "source_url": "https://example.org/a",
}


def raw(rows: list[dict[str, str]], columns: list[str] | None = None) -> RawTable:
    """A RawTable as geo.read builds it: all-text cells plus the int row column."""
    columns = columns or list(dict.fromkeys(k for r in rows for k in r))
    frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], columns=columns)
    frame = frame.astype(str)
    frame["row"] = np.arange(2, len(rows) + 2)
    return RawTable(frame)


def one(**cells: str) -> dict[str, str]:
    return {**BASE, **cells}


def problems_of(result, severity=None):
    return [
        (p.row, p.column, p.value, p.message)
        for p in result.problems
        if severity is None or p.severity == severity
    ]


def errors_for(result, row):
    return [
        (p.column, p.message) for p in result.problems if p.row == row and p.severity == "error"
    ]


class TestNormalisedFrame:
    def test_dtypes_and_values(self):
        result = validate_table(raw([one()]), load_reference())
        events = result.events
        assert result.rows == 1 and result.valid == 1
        assert list(events.columns) == ["row", *SCHEMA_COLUMNS, "place_ids", "assumed", "geometry"]
        assert events.crs.to_string() == CRS
        assert isinstance(events.index, pd.RangeIndex)
        assert events["row"].dtype == np.int64
        for col in TEXT_COLUMNS:
            assert all(isinstance(v, str) for v in events[col]), col
        for col in ("date_start", "date_end"):
            assert events[col].dtype.kind == "M"
        for col in ("count_best", "count_low", "count_high"):
            assert str(events[col].dtype) == "Int64"
        assert events["lat"].dtype == float and events["lon"].dtype == float
        rec = events.iloc[0]
        assert rec["event_id"] == "row-2"
        assert rec["event_type"] == "forced_return"
        assert rec["date_start"] == pd.Timestamp("2024-04-26") == rec["date_end"]
        assert rec["date_precision"] == "day"
        assert (rec["count_best"], rec["count_low"]) == (60, 60)
        assert pd.isna(rec["count_high"])
        assert rec["count_qualifier"] == "about"
        assert rec["count_text"] == "about 60"
        assert rec["place_names"] == "Dandong"
        assert rec["place_ids"] == "cn-dandong"
        assert rec["admin1_codes"] == ""
        assert rec["geo_precision"] == "place"
        assert (rec["lat"], rec["lon"]) == (40.12917, 124.39472)
        assert rec["geometry"] == Point(124.39472, 40.12917)
        assert rec["same_event_as"] == "" and rec["notes"] == ""
        assert result.problems == []

    def test_to_dict(self):
        result = validate_table(raw([one(), one(date="n.d.")]), load_reference())
        d = result.to_dict()
        assert d["rows"] == 2 and d["valid"] == 1
        assert d["problems"][0]["row"] == 3
        assert d["problems"][0]["column"] == "date"
        assert d["problems"][0]["severity"] == "error"

    def test_no_rows(self):
        result = validate_table(raw([], columns=list(BASE)), load_reference())
        assert (result.rows, result.valid, result.problems) == (0, 0, [])


class TestColumns:
    def test_headers_match_ignoring_case_spaces_and_underscores(self):
        rows = [
            {
                "Event ID": "e1",
                " DATE_START ": "2024-04-26",
                "End Date": "2024-04-27",
                "Count Best": "5",
                "count-qualifier": "exact",
                "Province": "Jilin",
                "Latitude": "",
                "Longitude": "",
                "Source Org": "Org",
            }
        ]
        result = validate_table(raw(rows), load_reference())
        assert result.valid == 1, result.problems
        rec = result.events.iloc[0]
        assert rec["event_id"] == "e1"
        assert rec["date_end"] == pd.Timestamp("2024-04-27")
        assert rec["date_precision"] == "period"
        assert (rec["count_low"], rec["count_high"]) == (5, 5)
        assert rec["admin1_codes"] == "CN-JL"
        assert rec["geo_precision"] == "admin1"

    def test_unknown_columns_are_listed_in_a_warning(self):
        result = validate_table(raw([one(Colour="red", remarks="x")]), load_reference())
        assert result.valid == 1
        assert problems_of(result) == [
            (
                0,
                "",
                "Colour, remarks",
                "columns not in the event schema are not used: Colour, remarks",
            )
        ]
        assert "Colour" not in result.events.columns

    @pytest.mark.parametrize(
        ("drop", "need", "accepted"),
        [
            ("date", "a date", "date, date_start, start_date, date_end, end_date"),
            (
                "place",
                "a location",
                "place_names, place, places, place_name, admin1_codes, province",
            ),
            ("source_url", "a source", "source_url, url, source_org"),
        ],
    )
    def test_missing_required_group_is_a_whole_file_error(self, drop, need, accepted):
        row = {k: v for k, v in one().items() if k != drop}
        result = validate_table(raw([row, row]), load_reference())
        assert result.valid == 0
        [problem] = [p for p in result.problems if p.severity == "error"]
        assert problem.row == 0
        assert f"no column giving {need}" in problem.message
        listed = problem.message.split("accepted columns: ", 1)[1].split(" (any case")[0]
        assert set(accepted.split(", ")) <= set(listed.split(", ")), listed

    def test_clashing_columns(self):
        result = validate_table(raw([one(date_start="2024-04-26")]), load_reference())
        assert result.valid == 0
        assert "either a 'date' column or 'date_start'" in result.problems[0].message
        result = validate_table(raw([one(Place="Dandong")]), load_reference())
        assert result.valid == 0
        assert "both mean 'place_names'" in result.problems[0].message

    def test_a_column_named_as_the_schema_wins_over_an_alias_beside_it(self):
        """The CSV export writes admin1_codes and provinces (an alias): it reads back."""
        row = one(admin1_codes="CN-LN", provinces="Jilin", geo_precision="admin1", place="")
        result = validate_table(raw([row]), load_reference())
        assert result.valid == 1
        assert result.events["admin1_codes"].iloc[0] == "CN-LN"
        (warning,) = [p for p in result.problems if p.column == "provinces"]
        assert warning.severity == "warning" and warning.message == (
            "the column 'provinces' is not read: it means 'admin1_codes', which the column "
            "'admin1_codes' gives"
        )


class TestDates:
    @pytest.mark.parametrize(
        ("text", "start", "end", "precision"),
        [
            ("July 2021", "2021-07-01", "2021-07-31", "month"),
            ("2023", "2023-01-01", "2023-12-31", "year"),
            ("2024-01-01/2024-05-08", "2024-01-01", "2024-05-08", "period"),
        ],
    )
    def test_free_form_date_column(self, text, start, end, precision):
        rec = validate_table(raw([one(date=text)]), load_reference()).events.iloc[0]
        assert rec["date_start"] == pd.Timestamp(start)
        assert rec["date_end"] == pd.Timestamp(end)
        assert rec["date_precision"] == precision

    def test_start_and_end_columns(self):
        base = {k: v for k, v in BASE.items() if k != "date"}
        rows = [
            {**base, "date_start": "2024-04", "date_end": "2024-04"},
            {**base, "date_start": "", "date_end": "2012-03-02"},
            {**base, "date_start": "2004-10-26", "date_end": ""},
            {**base, "date_start": "2024-04-01", "date_end": "2024-04-30"},
            {**base, "date_start": "", "date_end": ""},
            {**base, "date_start": "2024-05-01", "date_end": "2024-04-01"},
            {**base, "date_start": "03/04/2024", "date_end": "2024-05-01"},
        ]
        result = validate_table(raw(rows), load_reference())
        events = result.events.set_index("row")
        assert list(events.index) == [2, 3, 4, 5]
        assert events.loc[2, "date_precision"] == "month"
        assert events.loc[2, "date_end"] == pd.Timestamp("2024-04-30")
        assert pd.isna(events.loc[3, "date_start"])
        assert events.loc[3, "date_precision"] == "period"
        assert pd.isna(events.loc[4, "date_end"])
        assert events.loc[5, "date_precision"] == "period"  # never invented as "month"
        assert errors_for(result, 6) == [
            ("date_start", "no date: give date_start, date_end or both")
        ]
        assert errors_for(result, 7) == [("date_end", "date_end is before date_start")]
        [(column, message)] = errors_for(result, 8)
        assert column == "date_start" and "ambiguous: 3 April or 4 March?" in message

    def test_given_precision_must_fit(self):
        cases = [
            ("2024-04-26", "2024-04-26", "day", True),
            ("2024-04-26", "2024-04-27", "day", False),
            ("2024-04-26", "", "day", False),
            ("2024-04-01", "2024-04-30", "month", True),
            ("2024-04-01", "2024-05-31", "month", False),
            ("2023-01-01", "2023-12-31", "YEAR", True),
            ("2023-01-01", "2023-12-30", "year", False),
            ("", "2023-12-30", "period", True),
            ("2023-01-01", "2023-12-30", "week", False),
        ]
        base = {k: v for k, v in BASE.items() if k != "date"}
        rows = [
            base | {"date_start": start, "date_end": end, "date_precision": precision}
            for start, end, precision, _ in cases
        ]
        result = validate_table(raw(rows), load_reference())
        events = result.events.set_index("row")
        for row, (_, _, precision, ok) in enumerate(cases, start=2):
            if ok:
                assert events.loc[row, "date_precision"] == precision.lower()
            else:
                assert [c for c, _ in errors_for(result, row)] == ["date_precision"], row


NUMERIC_OK = [
    (("60", "", "", "exact"), (60, 60, 60, "exact")),
    (("60", "", "", "about"), (60, 60, None, "about")),
    (("500", "500", "", "more_than"), (500, 500, None, "more_than")),
    (("600", "", "", "up_to"), (600, None, 600, "up_to")),
    (("", "600", "2000", "unknown"), (None, 600, 2000, "unknown")),
    (("", "", "", "unknown"), (None, None, None, "unknown")),
    (("", "", "", ""), (None, None, None, "unknown")),
    (("", "600", "2,000", ""), (None, 600, 2000, "unknown")),
    (("7", "7", "7", ""), (7, 7, 7, "exact")),
    (("7", "", "", "EXACT"), (7, 7, 7, "exact")),
    (("12.0", "", "", "exact"), (12, 12, 12, "exact")),
]
NUMERIC_BAD = [
    (("-5", "", "", "exact"), "count_best", "whole number"),
    (("2.5", "", "", "about"), "count_best", "whole number"),
    (("many", "", "", "about"), "count_best", "whole number"),
    (("60", "70", "", "about"), "count_low", "count_low <= count_best"),
    (("60", "", "50", "up_to"), "count_low", "count_low <= count_best"),
    (("60", "", "", "roughly"), "count_qualifier", "must be one of"),
    (("60", "", "", "unknown"), "count_best", "takes no count_best"),
    (("", "", "", "about"), "count_best", "needed for this count_qualifier"),
    (("60", "50", "70", "exact"), "count_qualifier", "exact count has"),
    (("60", "50", "70", ""), "count_qualifier", "count_qualifier is needed"),
]


def numeric_row(best="", low="", high="", qualifier="", text=""):
    row = {k: v for k, v in BASE.items() if k != "count"}
    return row | {
        "count_best": best,
        "count_low": low,
        "count_high": high,
        "count_qualifier": qualifier,
        "count_text": text,
    }


class TestCounts:
    @pytest.fixture(scope="class")
    @classmethod
    def numeric(cls):
        """All numeric cases validated as one table: case i is on row i + 2."""
        cases = [cells for cells, _ in NUMERIC_OK] + [cells for cells, _, _ in NUMERIC_BAD]
        return validate_table(raw([numeric_row(*cells) for cells in cases]), load_reference())

    @pytest.mark.parametrize(("index", "expected"), list(enumerate(e for _, e in NUMERIC_OK)))
    def test_numeric_columns(self, numeric, index, expected):
        row = index + 2
        assert errors_for(numeric, row) == []
        rec = numeric.events.set_index("row").loc[row]
        got = tuple(
            None if pd.isna(rec[c]) else int(rec[c])
            for c in ("count_best", "count_low", "count_high")
        )
        assert (*got, rec["count_qualifier"]) == expected

    @pytest.mark.parametrize(
        ("index", "column", "fragment"),
        [(i + len(NUMERIC_OK), c, f) for i, (_, c, f) in enumerate(NUMERIC_BAD)],
    )
    def test_numeric_errors(self, numeric, index, column, fragment):
        row = index + 2
        assert row not in set(numeric.events["row"])
        assert any(column == c and fragment in m for c, m in errors_for(numeric, row))

    def test_best_only_without_qualifier_is_read_as_exact_with_a_warning(self):
        result = validate_table(raw([numeric_row("60")]), load_reference())
        assert result.valid == 1
        assert problems_of(result) == [
            (2, "count_qualifier", "", "count_qualifier empty; read as exact")
        ]
        assert result.events.iloc[0]["count_high"] == 60

    def test_count_text_is_not_reparsed_when_numbers_are_given(self):
        row = numeric_row("50", "50", "", "more_than", text="50여명 (some words)")
        result = validate_table(raw([row]), load_reference())
        assert result.valid == 1 and result.problems == []
        rec = result.events.iloc[0]
        assert rec["count_text"] == "50여명 (some words)"
        assert rec["count_qualifier"] == "more_than"

    def test_count_text_column_is_parsed_when_no_numbers(self):
        rows = [one(count="50 to 60"), one(count="many"), one(count="")]
        result = validate_table(raw(rows), load_reference())
        events = result.events.set_index("row")
        assert (events.loc[2, "count_low"], events.loc[2, "count_high"]) == (50, 60)
        assert pd.isna(events.loc[2, "count_best"])
        assert events.loc[4, "count_qualifier"] == "unknown"
        [(column, message)] = errors_for(result, 3)
        assert column == "count" and "is not a count" in message


class TestLocation:
    def test_province_names_and_codes(self):
        rows = [
            one(place="", province="Jilin|Liaoning"),
            one(place="", province="north hamgyong"),
            one(place="", province="cn-bj|KP-14"),
            one(place="", province="CN-XX"),
            one(place="", province="Ryangang"),
            one(place="", province="Yanggang|지린성|辽宁省"),  # South Korean, Korean, Chinese
        ]
        result = validate_table(raw(rows), load_reference())
        events = result.events.set_index("row")
        assert events.loc[2, "admin1_codes"] == "CN-JL|CN-LN"
        assert events.loc[3, "admin1_codes"] == "KP-09"
        assert events.loc[4, "admin1_codes"] == "CN-BJ|KP-14"
        assert set(events["geo_precision"]) == {"admin1"}
        assert pd.isna(events.loc[2, "lat"]) and events.loc[2, "geometry"] is None
        [(column, message)] = errors_for(result, 5)
        assert column == "province" and "'CN-XX'" in message
        [(column, message)] = errors_for(result, 6)
        assert "'Ryangang' (did you mean 'Ryanggang'?)" in message
        assert events.loc[7, "admin1_codes"] == "KP-10|CN-JL|CN-LN"

    def test_places_resolve_any_listed_spelling(self):
        result = validate_table(raw([one(place="신의주|Ji’an|dandong")]), load_reference())
        rec = result.events.iloc[0]
        assert rec["place_ids"] == "kp-sinuiju|cn-jian|cn-dandong"
        assert rec["place_names"] == "신의주|Ji’an|dandong"
        assert (rec["lat"], rec["lon"]) == (40.10056, 124.39806)

    def test_unknown_place_alone_is_an_error_with_a_suggestion(self):
        result = validate_table(raw([one(place="Dandon")]), load_reference())
        assert result.valid == 0
        [(column, message)] = errors_for(result, 2)
        assert column == "place"
        assert "'Dandon' (did you mean 'Dandong'?)" in message

    def test_unknown_place_beside_a_province_is_a_warning(self):
        result = validate_table(raw([one(place="Kunming", province="CN-YN")]), load_reference())
        assert result.valid == 1
        rec = result.events.iloc[0]
        assert (rec["geo_precision"], rec["place_ids"], rec["admin1_codes"]) == (
            "admin1",
            "",
            "CN-YN",
        )
        [(row, column, value, message)] = problems_of(result, "warning")
        assert (row, column, value) == (2, "place", "Kunming")

    @pytest.mark.parametrize(
        ("province", "fate"),
        [("", "listed, not mapped"), ("CN-YN", "mapped by its admin1_codes")],
    )
    def test_unknown_place_with_given_place_precision_is_kept_as_given(self, province, fate):
        row = one(place="Hangzhou", province=province, geo_precision="place")
        result = validate_table(raw([row]), load_reference())
        assert result.valid == 1
        rec = result.events.iloc[0]
        assert (rec["geo_precision"], rec["place_ids"]) == ("place", "")
        assert pd.isna(rec["lat"]) and rec["geometry"] is None
        assert problems_of(result) == [
            (
                2,
                "place",
                "Hangzhou",
                "not in the gazetteer (data/places.csv): 'Hangzhou'; no place found, so the row "
                f"is {fate}",
            )
        ]

    def test_partly_known_places(self):
        result = validate_table(raw([one(place="Dandong|Kunming")]), load_reference())
        rec = result.events.iloc[0]
        assert (rec["place_ids"], rec["geo_precision"]) == ("cn-dandong", "place")
        assert result.problems[0].severity == "warning"

    def test_bad_points(self):
        cases = [
            ("124.4", "40.1", "look swapped"),
            ("100", "40", "look swapped"),
            ("95", "200", "within -90..90"),
            ("40.1", "", "give both lat and lon"),
            ("", "124.4", "give both lat and lon"),
            ("39.0", "123.0", "in the sea"),
            ("0", "0", "0, 0 is where a missing point defaults to"),
            ("40,1", "124.4", "must be a number"),
        ]
        rows = [
            one(place="", latitude=lat, longitude=lon, province="CN-LN", notes=str(i))
            for i, (lat, lon, _) in enumerate(cases)
        ]
        result = validate_table(raw(rows), load_reference())
        assert result.valid == 0
        for row, (_, _, fragment) in enumerate(cases, start=2):
            assert any(fragment in m for _, m in errors_for(result, row)), (row, fragment)

    def test_a_point_beyond_the_map_area_is_kept_and_counted_outside(self):
        from geo.join import join_events

        row = one(place="", latitude="51.5", longitude="-0.1", province="")
        result = validate_table(raw([row]), load_reference())
        assert problems_of(result, "error") == []
        [(number, column, _, message)] = problems_of(result, "warning")
        assert (number, column) == (2, "latitude") and "kept and counted as outside it" in message
        joined = join_events(result.events, load_reference())
        assert joined["map_level"].tolist() == ["outside"]

    def test_good_point(self):
        result = validate_table(
            raw([one(place="Dandong", latitude="40.2", longitude="124.3")]), load_reference()
        )
        rec = result.events.iloc[0]
        assert (rec["lat"], rec["lon"], rec["geo_precision"]) == (40.2, 124.3, "point")
        assert rec["geometry"] == Point(124.3, 40.2)
        assert rec["place_ids"] == "cn-dandong"

    def test_geo_precision_must_fit(self):
        cases = [
            ({"geo_precision": "point"}, None, "needs lat and lon"),
            ({"geo_precision": "admin1"}, None, "needs admin1_codes"),
            ({"geo_precision": "border"}, "border", None),
            ({"geo_precision": "Country"}, "country", None),
            ({"geo_precision": "town"}, None, "must be one of"),
            ({"geo_precision": "place", "place": ""}, None, "needs a place_names entry"),
        ]
        rows = [one(notes=str(i), **cells) for i, (cells, _, _) in enumerate(cases)]
        result = validate_table(raw(rows), load_reference())
        events = result.events.set_index("row")
        for row, (_, precision, error) in enumerate(cases, start=2):
            if error:
                assert row not in events.index
                assert any(error in m for c, m in errors_for(result, row) if c == "geo_precision")
            else:
                assert events.loc[row, "geo_precision"] == precision

    def test_empty_geo_precision_is_derived_with_a_warning(self):
        rows = [one(geo_precision=""), one(geo_precision="", place="")]
        result = validate_table(raw(rows), load_reference())
        assert list(result.events["geo_precision"]) == ["place", "country"]
        assert [p.message for p in result.problems] == [
            "geo_precision empty; derived as place",
            "geo_precision empty; derived as country",
        ]


class TestOtherColumns:
    @pytest.mark.parametrize(
        ("url", "advice"),
        [
            ("javascript:alert(1)", " (or name the organisation in source_org)"),
            ("data:text/html,x", " (or name the organisation in source_org)"),
            ("ftp://example.org/a", " (or name the organisation in source_org)"),
            ("Human Rights Watch", " (or name the organisation in source_org)"),
            ("example.org", "; write 'https://example.org' if that is the page"),
            ("hrw.org/news/2023", "; write 'https://hrw.org/news/2023' if that is the page"),
            ("https:// example.org", " (or name the organisation in source_org)"),
            ("https://\u3000example.org", " (or name the organisation in source_org)"),
            ("https:///path", " (or name the organisation in source_org)"),
        ],
    )
    def test_source_url_must_be_http(self, url, advice):
        result = validate_table(raw([one(source_url=url)]), load_reference())
        assert result.valid == 0
        assert problems_of(result) == [
            (2, "source_url", url, "source_url must be an http:// or https:// link" + advice)
        ]

    @pytest.mark.parametrize("url", ["HTTPS://EXAMPLE.ORG/a", "Http://example.org", "https://x"])
    def test_web_links_in_any_case_are_accepted(self, url):
        result = validate_table(raw([one(source_url=url)]), load_reference())
        assert (result.valid, result.problems) == (1, [])

    def test_a_source_is_required(self):
        result = validate_table(
            raw([one(source_url="", source_org=""), one(source_url="", source_org="HRW")]),
            load_reference(),
        )
        assert list(result.events["row"]) == [3]
        assert errors_for(result, 2) == [
            ("source_url", "no source: give source_url (http/https) or source_org")
        ]

    def test_source_published(self):
        rows = [
            one(source_published="2024-05-08"),
            one(source_published="May 2024"),
            one(source_published="2024-01/2024-02"),
        ]
        result = validate_table(raw(rows), load_reference())
        assert list(result.events["source_published"]) == ["2024-05-08", "2024-05"]
        assert errors_for(result, 4)[0][0] == "source_published"

    def test_event_type(self):
        rows = [
            one(event_type="Detention"),
            one(event_type=""),
            one(event_type="raid"),
            one(event_type="Forced return"),
        ]
        result = validate_table(raw(rows), load_reference())
        assert list(result.events["event_type"]) == ["detention", "forced_return", "forced_return"]
        assert problems_of(result, "warning") == [
            (3, "event_type", "", "event_type empty; read as forced_return")
        ]
        assert "event_type must be one of: forced_return" in errors_for(result, 4)[0][1]
        assert list(result.events["assumed"]) == ["", "event_type", ""]

    def test_no_event_type_column_is_an_assumption_said_once_and_kept_per_row(self):
        rows = [one(), one(event_id="b")]
        result = validate_table(raw(rows, [c for c in rows[0] if c != "event_type"]),
                                load_reference())  # fmt: skip
        assert list(result.events["event_type"]) == ["forced_return"] * 2
        assert list(result.events["assumed"]) == ["event_type"] * 2
        [file_warning] = [p for p in result.problems if p.row == 0]
        assert (file_warning.severity, file_warning.value) == ("warning", "forced_return")
        assert file_warning.message == (
            "the file has no event_type column: each of its 2 rows is read as forced_return (a "
            "forced return of North Koreans from China); add an event_type column (forced_return, "
            "detention, policy, diplomatic, report) to say otherwise"
        )

    def test_event_ids_and_same_event_links(self):
        rows = [
            one(event_id="a"),
            one(event_id="b", same_event_as="a", count="over 200"),
            one(event_id="a", count="1"),
            one(event_id="c", same_event_as="zzz", count="2"),
            one(event_id="d", same_event_as="d", count="3"),
            one(event_id="", count="4"),
        ]
        result = validate_table(raw(rows), load_reference())
        assert list(result.events["event_id"]) == ["a", "b", "row-7"]
        assert errors_for(result, 4) == [("event_id", "duplicate event_id; first used on row 2")]
        assert errors_for(result, 5) == [
            ("same_event_as", "same_event_as names no event_id in this file, so this claim would "
             "count in no total; correct it, or empty it to count this row as an event of its own")
        ]  # fmt: skip
        assert errors_for(result, 6) == [
            ("same_event_as", "same_event_as names the row's own event_id")
        ]
        assert problems_of(result, "warning") == [
            (7, "event_id", "", "event_id empty; generated as row-<row number>"),
        ]

    def test_a_claim_must_name_a_kept_reference_row(self):
        """Only reference rows count: a claim naming a refused row or a claim is refused too."""
        rows = [
            one(event_id="a", date="2024-13-01"),
            one(event_id="b", same_event_as="a", count="60"),
            one(event_id="c"),
            one(event_id="d", same_event_as="c", count="70"),
            one(event_id="e", same_event_as="d", count="80"),
        ]
        result = validate_table(raw(rows), load_reference())
        assert list(result.events["event_id"]) == ["c", "d"]
        assert errors_for(result, 3) == [
            ("same_event_as", "same_event_as names the event_id of row 2, which is refused (see "
             "its errors), so this claim would count in no total; correct that row")
        ]  # fmt: skip
        assert errors_for(result, 6) == [
            ("same_event_as", "same_event_as names the event_id of row 5, itself a claim (its "
             "same_event_as is filled), so this claim would count in no total; name the event "
             "that row names")
        ]  # fmt: skip
        assert result.valid == len(result.events) == 2

    def test_duplicate_rows_are_warned_about(self):
        rows = [
            one(event_id="a", notes="Same  Words"),
            one(event_id="b", notes="same words "),
            one(event_id="c"),
        ]
        result = validate_table(raw(rows), load_reference())
        assert result.valid == 3
        assert problems_of(result) == [(3, "", "b", "same content as row 2 (a duplicate row?)")]


def test_mixed_file_every_row_is_kept_or_named_by_an_error():
    rows = [
        one(event_id="ok-1"),
        one(event_id="bad-date", date="03/04/2024"),
        one(event_id="ok-2", date="April 2024", count="more than 500", place="", province="Jilin"),
        one(event_id="bad-count", count="2.5"),
        one(event_id="bad-place", place="Dandon"),
        one(event_id="ok-3", count="", place="Kunming", province="Yunnan"),
        one(event_id="bad-url", source_url="javascript:alert(1)"),
        one(event_id="bad-point", place="", latitude="124.4", longitude="40.1"),
        one(event_id="ok-4", place="", latitude="42.0", longitude="128.0"),
        one(event_id="bad-type", event_type="raid"),
        one(event_id="ok-1"),
    ]
    result = validate_table(raw(rows), load_reference())
    kept = set(result.events["row"])
    errors = {(p.row, p.column) for p in result.problems if p.severity == "error"}
    assert kept == {2, 4, 7, 10}
    assert errors == {
        (3, "date"),
        (5, "count"),
        (6, "place"),
        (8, "source_url"),
        (9, "latitude"),
        (11, "event_type"),
        (12, "event_id"),
    }
    for row in range(2, 13):
        assert (row in kept) != (row in {r for r, _ in errors}), row
    assert list(result.events["event_id"]) == ["ok-1", "ok-2", "ok-3", "ok-4"]
    assert [p.row for p in result.problems] == sorted(p.row for p in result.problems)


def test_read_errors_exclude_their_rows():
    table = raw([one(), one(count="5")])
    from geo.errors import Problem

    table.problems.append(Problem(3, "", "", "error", "row has 7 fields, header has 4"))
    result = validate_table(table, load_reference())
    assert list(result.events["row"]) == [2]
    assert result.problems[0].message == "row has 7 fields, header has 4"


def test_load_events_reads_bytes():
    data = "Date,Count,Place,Source URL\n2024-04-26,about 60,Dandong,https://example.org/a\n"
    result = load_events(data.encode("utf-8"), "events.csv")
    assert result.valid == 1
    assert result.events.iloc[0]["place_ids"] == "cn-dandong"


@pytest.mark.skipif(not paths.EVENTS_CSV.exists(), reason="data/events.csv not written yet")
class TestShippedEvents:
    def test_loads_150_rows_without_errors(self):
        result = shipped_validation()
        assert result.rows == 150
        assert result.valid == 150
        assert [p for p in result.problems if p.severity == "error"] == []
        assert result.events["event_id"].is_unique

    def test_shipped_values(self):
        events = shipped_validation().events.set_index("event_id")
        ref = events.loc["2024-04-26-forced-return-hrw"]
        assert ref["admin1_codes"] == "CN-JL|CN-LN"
        assert (ref["count_best"], ref["count_low"], ref["count_qualifier"]) == (60, 60, "about")
        assert pd.isna(ref["count_high"])
        assert ref["date_start"] == pd.Timestamp("2024-04-26")
        assert set(events["geo_precision"]) <= {"place", "admin1", "border", "country"}
        located = events[events["place_ids"] != ""]
        assert located["lat"].notna().all()


def test_huge_counts_are_refused_not_crashed():
    result = validate_table(raw([one(count="99999999999999999999")]), load_reference())
    assert result.valid == 0
    assert "larger than any count" in result.problems[0].message
    row = {k: v for k, v in BASE.items() if k != "count"} | {"count_best": "1" + "0" * 20}
    result = validate_table(raw([row]), load_reference())
    assert result.valid == 0
    assert result.problems[0].column == "count_best"


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "2024-04-26",
            "April 2024",
            "about 60",
            "50-60",
            "Dandong",
            "Jilin",
            "CN-LN",
            "40.1",
            "124.4",
            "https://x.org",
            "javascript:x",
            "place",
            "point",
            "e1",
            "1.200",
            "03/04/2024",
        ]
    ),
)
COLUMNS = [
    "event_id",
    "date",
    "count",
    "place",
    "province",
    "lat",
    "lon",
    "geo_precision",
    "source_url",
    "same_event_as",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({c: CELL for c in COLUMNS}), min_size=1, max_size=6))
def test_any_cells_give_events_or_errors_never_an_exception(rows):
    result = validate_table(raw(rows, columns=COLUMNS), load_reference())
    kept = set(result.events["row"])
    named = {p.row for p in result.problems if p.severity == "error"}
    assert kept | named == set(range(2, len(rows) + 2))
    assert not kept & named


def test_a_lone_date_start_column_holds_whole_dates():
    base = {k: v for k, v in BASE.items() if k != "date"}
    rows = [base | {"date_start": "2024-04-26"}, base | {"date_start": "2024-04"}]
    events = validate_table(raw(rows), load_reference()).events
    assert list(events["date_end"]) == [pd.Timestamp("2024-04-26"), pd.Timestamp("2024-04-30")]
    assert list(events["date_precision"]) == ["day", "month"]


def test_locations_are_checked_against_the_reference_passed_in():
    shipped = load_reference()
    places = pd.DataFrame(
        {
            "place_id": ["xx-atlantis"],
            "name_en": ["Atlantis"],
            "name_local": [""],
            "alt_names": [""],
            "lat": [38.5],
            "lon": [123.5],
        }
    )
    other = dataclasses.replace(
        shipped, gazetteer=Gazetteer.from_places(places), land=box(123, 38, 124, 39)
    )
    rows = [one(place="Atlantis"), one(place="", latitude="38.5", longitude="123.5")]
    shipped_result = validate_table(raw(rows), shipped)
    assert shipped_result.valid == 0
    result = validate_table(raw(rows), other)
    assert result.problems == []
    assert result.events["place_ids"].tolist() == ["xx-atlantis", ""]
    assert result.events["lat"].tolist() == [38.5, 38.5]
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    assert load_events(data, "a.csv", reference=other).valid == 2


def test_python_space_class_is_what_python_reads_as_space():
    # Checks run some regular expressions in Arrow (RE2), whose \s is ASCII only.
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.parse import PYTHON_SPACE

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    in_class = pc.match_substring_regex(pa.array(chars), f"^[{PYTHON_SPACE}]$").to_pylist()
    expected = [re.fullmatch(r"\s", char) is not None for char in chars]
    assert in_class == expected
    assert sum(expected) == 29


_SPACES_AND_NOT = [" ", "\t", "\n", "\x1c", "\x85", "\xa0", "\u2003", "\u3000", "\u200b", "\x7f",
                   "\x00", "a", "Z", "é", "丹", "단", "-"]  # fmt: skip


@given(st.lists(st.text(st.sampled_from(_SPACES_AND_NOT), max_size=4), min_size=1, max_size=6))
def test_cells_are_stripped_as_str_strip_strips_them(cells):
    from geo.validate.core import _stripped

    series = pd.Series(cells, dtype=str)
    assert _stripped(series).tolist() == series.str.strip().tolist()
