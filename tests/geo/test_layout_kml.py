"""KML and KMZ files load as events (the KML layout of geo.validate.layouts), no hand edits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from geo.errors import count_problems
from geo.parse.coords import OUTSIDE_MAP_AREA
from geo.pipeline import build_view, load_dataset
from geo.reference import load_reference
from geo.reference.schema import EVENT_TYPES
from geo.validate import load_events
from geo.view import ViewParams
from tests.adversarial.corpus import kml_bytes, kml_placemark, kmz_bytes

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
EVERYTHING = ViewParams(types=EVENT_TYPES)


@pytest.fixture(scope="module")
def my_maps():
    return load_dataset(REAL / "google_my_maps_layer.kmz", reference=load_reference())


@pytest.fixture(scope="module")
def earth():
    return load_dataset(REAL / "google_earth_pro.kml", reference=load_reference())


def by_name(events):
    return events.set_index("location_text")


def errors_by_row(dataset) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in dataset.problems:
        if p.severity == "error":
            found.setdefault(p.row, []).append(p.message)
    return found


def test_every_placemark_is_an_event_or_named_by_an_error(my_maps, earth):
    for dataset, rows in ((my_maps, 6), (earth, 6)):
        assert dataset.rows == rows
        events = set(dataset.events["row"])
        named = set(errors_by_row(dataset))
        assert events | named == set(range(1, rows + 1))
        assert not events & named
    assert set(my_maps.events["row"]) == {1, 2, 3, 4, 5}
    assert set(earth.events["row"]) == {1, 2, 3, 5}


def test_the_format_is_named(my_maps, earth):
    said = [p for p in my_maps.problems if p.row == 0 and p.message.startswith("read as")]
    assert [(p.value, p.severity) for p in said] == [
        ("a KMZ file (Google My Maps / Google Earth)", "warning")
    ]
    assert said[0].message.startswith(
        "read as a KMZ file (Google My Maps / Google Earth): name as location_text (the pin's "
        "label);"
    )
    assert any(p.message.startswith("read as a KML file (Google My Maps") for p in earth.problems)


def test_my_maps_spreadsheet_columns_land_in_the_schema(my_maps):
    events = by_name(my_maps.events)
    dandong = events.loc["Dandong"]
    assert (dandong.date_start.date(), dandong.date_end.date(), dandong.date_precision) == (
        dt.date(2023, 10, 9), dt.date(2023, 10, 9), "day",
    )  # fmt: skip
    assert (dandong.event_type, dandong.count_text, dandong.count_best) == (
        "forced_return", "about 600", 600,
    )  # fmt: skip
    assert (dandong.lat, dandong.lon, dandong.geo_precision) == (40.12917, 124.39472, "point")
    assert dandong.source_url == "https://example.org/fixture/mymaps-1"
    assert dandong.assumed == ""
    # the description repeats every column; only what is not read elsewhere stays in notes
    assert dandong.notes == (
        "Test fixture & invented row; Folder: Forced returns – test fixture / returns.xlsx"
    )
    changbai = events.loc["Changbai"]
    assert (changbai.event_type, changbai.date_precision, changbai.date_start.date()) == (
        "detention", "month", dt.date(2024, 4, 1),
    )  # fmt: skip


def test_pins_outside_the_map_area_are_counted_outside_not_refused(my_maps, earth):
    levels = by_name(my_maps.events)["map_level"].to_dict()
    assert levels == {"Dandong": "point", "Tumen": "point", "Changbai": "point",
                      "Seoul": "outside", "Beijing": "outside"}  # fmt: skip
    assert build_view(my_maps.events, EVERYTHING).summary.outside_map_area == 2
    far = by_name(earth.events).loc["Ulaanbaatar"]
    assert (far.map_level, far.row) == ("outside", 5)
    [warning] = [p for p in earth.problems if p.row == 5]
    assert (warning.severity, warning.column) == ("warning", "lat")
    assert warning.message.startswith(OUTSIDE_MAP_AREA)
    assert build_view(earth.events, EVERYTHING).summary.outside_map_area == 1


def test_a_pin_without_data_is_named(my_maps):
    date, source = errors_by_row(my_maps)[6]
    assert date.startswith("no date: give date_start, date_end or both; in a KML file")
    assert source.startswith("no source: give source_url (http/https) or source_org; in a KML")


def test_google_earth_times_sources_and_the_line(earth):
    events = by_name(earth.events)
    spans = {name: (r.date_start.date(), r.date_end.date(), r.date_precision)
             for name, r in events.iterrows()}  # fmt: skip
    assert spans == {
        "Hunchun": (dt.date(2023, 10, 9), dt.date(2023, 10, 9), "day"),
        "Helong": (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year"),
        "Ji'an": (dt.date(2024, 4, 1), dt.date(2024, 5, 15), "period"),
        "Ulaanbaatar": (dt.date(2024, 5, 2), dt.date(2024, 5, 2), "day"),
    }
    assert events["source_url"].to_dict() == {
        "Hunchun": "https://example.org/fixture/earth-1",
        "Helong": "https://example.org/fixture/earth-2",
        "Ji'an": "https://example.org/fixture/earth-3",
        "Ulaanbaatar": "https://example.org/fixture/earth-4",
    }
    assert events.loc["Hunchun", "notes"] == (
        "Test fixture (invented). About 50 people returned at the Quanhe crossing.\n"
        "Source: https://example.org/fixture/earth-1; TimeStamp: 2023-10-09T08:00:00+09:00; "
        "Folder: Border incidents.kml / Border incidents / 2023"
    )
    assert events["assumed"].eq("event_type").all()  # no type given: read as forced returns
    errors = errors_by_row(earth)
    assert errors[4][0].startswith("Placemark 4 ('Route along the Tumen') is a line, not a point")
    assert [e.split(";")[0] for e in errors[6]] == [
        "no date: give date_start, date_end or both",
        "no source: give source_url (http/https) or source_org",
    ]


def test_the_command_line_names_the_format(capsys):
    assert main(["validate", str(REAL / "google_my_maps_layer.kmz")]) == 1  # row 6 has errors
    out = " ".join(capsys.readouterr().out.split())
    assert "6 rows, 5 valid, 2 errors" in out
    assert "read as a KMZ file (Google My Maps / Google Earth)" in out


# --- ExtendedData and the placemark's own elements ------------------------------------------


def load(*placemarks: str, name: str = "layer.kml"):
    data = kml_bytes(placemarks)
    return load_events(kmz_bytes(data) if name.endswith(".kmz") else data, name)


def test_the_placemark_time_comes_first_and_an_extended_date_is_kept():
    result = load(
        kml_placemark(when="2024-04-26", date="2024-05-01"),
        kml_placemark(when="", **{"Date of incident": "2023-10"}),
    )
    first, second = result.events.itertuples()
    assert (first.date_start.date(), first.date_precision) == (dt.date(2024, 4, 26), "day")
    assert "date: 2024-05-01" in first.notes
    assert (second.date_start.date(), second.date_end.date(), second.date_precision) == (
        dt.date(2023, 10, 1), dt.date(2023, 10, 31), "month",
    )  # fmt: skip
    assert "2023-10" not in second.notes


def test_extended_date_start_and_end_columns_date_an_untimed_placemark():
    result = load(kml_placemark(when="", start_date="2024-01-02", end_date="2024-02-03"))
    [event] = result.events.itertuples()
    assert (event.date_start.date(), event.date_end.date(), event.date_precision) == (
        dt.date(2024, 1, 2), dt.date(2024, 2, 3), "period",
    )  # fmt: skip


def test_a_time_span_with_an_open_end():
    span = kml_placemark().replace(
        "<TimeStamp><when>2024-04-26</when></TimeStamp>",
        "<TimeSpan><begin>2024-04-26T09:00:00Z</begin></TimeSpan>",
    )
    [event] = load(span).events.itertuples()
    assert event.date_start.date() == dt.date(2024, 4, 26)
    assert pd.isna(event.date_end)
    assert "TimeSpan begin: 2024-04-26T09:00:00Z" in event.notes


def test_schema_columns_in_extended_data_are_used_and_the_rest_kept_in_notes():
    result = load(
        kml_placemark(
            event_type="detention",
            count_text="about 40",
            source_org="Fixture Org",
            latitude="40.5",
            longitude="124.38",
            비고="메모",
            Witness="A. N. Other",
            **{"Location (city, province)": "Dandong"},
        )
    )
    [event] = result.events.itertuples()
    assert (event.event_type, event.count_best) == ("detention", 40)
    assert event.source_org == "Fixture Org"
    assert (event.lat, event.lon) == (40.12, 124.38)  # the Point, where the pin is drawn
    assert event.place_names == "Dandong"
    assert event.notes == "latitude: 40.5; 메모; Witness: A. N. Other; Folder: Test"


def test_names_meaning_one_column_fill_it_in_turn_and_no_value_is_dropped():
    result = load(
        kml_placemark(when="", Date="2024-04-26"),
        kml_placemark(when="", 날짜="2023-10"),
    )
    first, second = result.events.itertuples()
    assert (first.date_start.date(), second.date_start.date()) == (
        dt.date(2024, 4, 26), dt.date(2023, 10, 1),
    )  # fmt: skip
    assert first.notes == second.notes == "Folder: Test"
    assert count_problems(result.problems, "error") == 0


def test_a_placemark_giving_two_names_of_one_column_is_an_error_not_a_guess():
    result = load(
        kml_placemark(name="Tumen", 인원="1,200", **{"Number of people": "1,300"}),
        kml_placemark(name="Dandong", 인원="600"),
        kml_placemark(name="Hyesan", **{"Number of people": "40"}),
        kml_placemark(name="Musan", when="", 일자="2024-04-26", 날짜="2024-04-27"),
    )
    assert list(result.events["location_text"]) == ["Dandong", "Hyesan"]
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in errors] == [
        (1, "Number of people", "1,300"), (4, "날짜", "2024-04-27"),
    ]  # fmt: skip
    assert errors[0].message.startswith(
        "placemark 1 gives both '인원' ('1,200') and 'Number of people' ('1,300'), which both "
        "mean 'count_text', so it is not read: keep one"
    )


def test_the_schema_name_wins_over_an_alias_whose_value_is_kept_in_notes():
    result = load(kml_placemark(인원="6", count_text="about 5"))
    [event] = result.events.itertuples()
    assert event.count_best == 5
    assert "인원: 6" in event.notes
    [warning] = [p for p in result.problems if p.row == 1 and p.column == "인원"]
    assert (warning.severity, warning.column, warning.value) == ("warning", "인원", "6")


def test_no_extended_date_is_dropped_when_the_file_gives_date_and_date_start():
    result = load(kml_placemark(when="", date="2024-04-26", date_start="2024-04-01"))
    [event] = result.events.itertuples()
    assert event.date_start.date() == dt.date(2024, 4, 26)
    assert "date_start: 2024-04-01" in event.notes


def test_a_placemark_with_no_link_and_no_source_column_is_named():
    result = load(kml_placemark(source_url=""), name="layer.kmz")
    assert result.valid == 0
    assert count_problems(result.problems, "error") == 1


def test_a_placemark_without_a_date_or_a_source_is_told_where_kml_gives_them():
    result = load_events(REAL / "google_earth_pro.kml")
    missing = {p.column: p.message for p in result.problems if p.row == 6}
    assert missing["date_start"].startswith("no date: give date_start, date_end or both; in a KML")
    assert "give the placemark a TimeStamp or TimeSpan" in missing["date_start"]
    assert "put the report's link (https://...) in the placemark's description" in missing[
        "source_url"
    ]
