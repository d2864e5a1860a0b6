"""Pure parts of the app's components: sidebar state, figures text, table and report cells."""

import datetime as dt
from dataclasses import replace

import pandas as pd

from geo.aggregate import PeopleRange, ProvinceTotals, Summary
from geo.errors import Problem
from geo.reference.schema import DATE_MAX, DATE_MIN
from geo.view import ViewParams
from render.wording import people_text
from tests.factories import make_events
from webapp.cross_checks import claims_frame
from webapp.events_table import table_frame
from webapp.figures import headline_figures, secondary_returns
from webapp.sidebar import (
    DateSpan,
    bounded_span,
    date_span,
    presets,
    view_from_state,
    view_state,
)
from webapp.timeline import picked_date, timeline_chart
from webapp.uploads import report_csv, report_frame

TODAY = dt.date(2025, 6, 30)


def _events():
    return make_events(
        [
            {
                "date_start": "2023-10-09",
                "count_best": 500,
                "count_low": 501,
                "count_qualifier": "more_than",
                "count_text": "more than 500",
                "provinces": "CN-JL|CN-LN",
                "place_names": "Dandong|Tumen",
            },
            {
                "date_start": "2023-10-09",
                "count_best": 600,
                "count_qualifier": "about",
                "same_event_as": "e1",
                "source_org": "Second Org",
            },
            {
                "date_start": "2021-07-01",
                "date_end": "2021-07-31",
                "date_precision": "month",
                "count_best": 50,
                "count_qualifier": "about",
            },
            {
                "date_start": "2019-01-01",
                "date_end": "2019-05-08",
                "date_precision": "period",
                "location_text": "Beijing",
                "map_level": "outside",
                "source_url": "javascript:alert(1)",
            },
            {"date_start": "2020-01-22", "event_type": "policy", "count_qualifier": "unknown"},
        ]
    )


class TestPeopleText:
    def test_range_with_upper_bound(self):
        assert people_text(PeopleRange(730, 800, 1200)) == "730 to 1,200, best estimate 800"

    def test_no_upper_bound_is_not_invented(self):
        assert people_text(PeopleRange(730, 730, None)) == "at least 730"
        assert people_text(PeopleRange(620, 640, None)) == "at least 620, best estimate 640"

    def test_exact_total_is_one_number(self):
        assert people_text(PeopleRange(26, 26, 26)) == "26"
        assert people_text(PeopleRange(0, 0, 0)) == "none"

    def test_headline_figures_from_summary(self):
        summary = Summary(
            start=None,
            end=None,
            events=12,
            people=PeopleRange(1501, 1700, None),
            by_province={
                "CN-JL": ProvinceTotals(3, 0, PeopleRange(1, 1, 1)),
                "CN-LN": ProvinceTotals(2, 0, PeopleRange(1, 1, 1)),
                "KP-01": ProvinceTotals(0, 0, PeopleRange(0, 0, 0)),
            },
        )
        assert headline_figures(summary) == {
            "Events": "12",
            "People returned": "at least 1,501, best estimate 1,700",
            "Returned from Jilin": "none",
            "Returned from Liaoning": "none",
            "Chinese province not known": "none",
        }
        returns = replace(
            summary,
            returned_from={
                "CN-JL": ProvinceTotals(2, 1, PeopleRange(168, 168, None)),
                "CN-LN": ProvinceTotals(1, 1, PeopleRange(60, 60, None)),
                "CN-NM": ProvinceTotals(1, 0, PeopleRange(20, 20, 20)),
                "not_known": ProvinceTotals(0, 0, PeopleRange(0, 0, 0)),
            },
            returned_to={"KP-03": ProvinceTotals(1, 0, PeopleRange(50, 50, None))},
        )
        figures = headline_figures(returns)
        assert figures["Returned from Jilin"] == "at least 168 (2 events)"
        assert figures["Returned from Liaoning"] == "at least 60 (1 event)"
        names = {"KP-03": "North Pyongan"}
        assert secondary_returns(returns, names) == [
            "Returned from Inner Mongolia: 20 (1 event)",
            "Returned to North Pyongan: at least 50 (1 event)",
        ]


class TestSidebarState:
    def test_span_runs_from_first_date_to_today(self):
        assert date_span(_events(), today=TODAY) == DateSpan(dt.date(2019, 1, 1), TODAY)

    def test_presets(self):
        events = _events()
        span = date_span(events, today=TODAY)
        found = presets(events, span, today=TODAY)
        assert list(found) == [
            "All",
            "Since border closure (2020)",
            "2023",
            "2021",
            "2020",
            "2019",
            "Last 12 months",
        ]
        assert found["All"] == (dt.date(2019, 1, 1), TODAY)
        assert found["2023"] == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        assert found["Since border closure (2020)"] == (dt.date(2020, 1, 1), TODAY)
        assert found["Last 12 months"] == (dt.date(2024, 7, 1), TODAY)

    def test_view_round_trips_through_widget_state(self):
        span = DateSpan(dt.date(2019, 1, 1), TODAY)
        view = ViewParams(
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 12, 31),
            types=("forced_return", "report"),
            provinces=("CN-JL",),
            match="within",
            mode="date",
            basemap="osm",
            lang="ko",
            present=True,
        )
        assert view_from_state(view_state(view, span), span) == view

    def test_full_span_means_no_date_filter(self):
        span = DateSpan(dt.date(2019, 1, 1), TODAY)
        state = view_state(ViewParams(), span)
        assert state["date_range"] == (span.first, span.last)
        assert view_from_state(state, span) == ViewParams()


def _dated(*days: str) -> pd.DataFrame:
    """Events dated ``days`` (any year 1 to 9999, as a saved dataset may hold them)."""
    events = make_events([{"date_start": "2023-01-01"} for _ in days])
    stamps = pd.Series([pd.Timestamp(d) for d in days]).astype("datetime64[us]")
    events["date_start"] = events["date_end"] = stamps
    return events


class TestSliderSpanStaysWithinTheAcceptedDates:
    """Streamlit's date slider refuses equal bounds and dates far from 1970: never give it one."""

    def test_the_edges_of_the_range_are_the_span(self):
        span = date_span(_dated("1900-01-01", "2100-12-31"), today=TODAY)
        assert span == DateSpan(DATE_MIN, DATE_MAX)

    def test_dates_beyond_the_range_are_clamped(self):
        # A dataset saved before dates were bounded may still hold them.
        span = date_span(_dated("0001-01-01", "9999-12-31"), today=TODAY)
        assert span == DateSpan(DATE_MIN, DATE_MAX)
        assert set(presets(_dated("0001-01-01", "9999-12-31"), span, today=TODAY)) == {
            "All",
            "Since border closure (2020)",
            "Last 12 months",
        }

    def test_one_day_at_the_end_of_the_range_is_widened(self):
        span = date_span(_dated("2100-12-31"), today=TODAY)
        assert span == DateSpan(DATE_MAX - dt.timedelta(days=1), DATE_MAX)

    def test_one_day_today_is_widened(self):
        assert date_span(_dated(TODAY.isoformat()), today=TODAY) == DateSpan(
            TODAY, TODAY + dt.timedelta(days=1)
        )

    def test_bounded_span_orders_clamps_and_widens(self):
        assert bounded_span(dt.date(1, 1, 1), dt.date(1, 1, 1)) == DateSpan(
            DATE_MIN, DATE_MIN + dt.timedelta(days=1)
        )
        assert bounded_span(dt.date(9999, 1, 1), dt.date(2000, 1, 1)) == DateSpan(
            dt.date(2000, 1, 1), DATE_MAX
        )


class TestTable:
    def test_one_line_per_event_with_claims_and_outside_rows(self):
        frame = table_frame(_events(), {"CN-JL": "Jilin", "CN-LN": "Liaoning"})
        assert list(frame["Event id"]) == ["e1", "e3", "e4", "e5"]
        first = frame.iloc[0]
        assert first["Date"] == "9 October 2023"
        assert first["Type"] == "Forced return"
        assert first["Count"] == "more than 500"
        assert first["Places"] == "Dandong, Tumen"
        assert first["Province(s)"] == "Jilin, Liaoning"
        assert first["Other claims"] == 1
        assert frame.iloc[1]["Date"] == "July 2021"
        assert frame.iloc[1]["Count"] == "about 50"
        outside = frame.iloc[2]
        assert outside["Date"] == "1 January – 8 May 2019"
        assert outside["Map"] == "outside the map area"
        assert outside["Places"] == "Beijing"
        assert pd.isna(outside["Link"])  # javascript: links are never made clickable
        assert frame.iloc[3]["Count"] == "number not stated"
        assert frame.iloc[3]["Type"] == "Policy measure"

    def test_local_place_names_leave_no_place_out(self):
        """In Korean, a row naming places the gazetteer lacks shows every name as written."""
        from geo.join import join_events
        from geo.reference import load_reference
        from tests.factories import shipped_validation
        from webapp.events_table import place_names

        regions = load_reference()
        events = join_events(shipped_validation().events, regions)
        frame = table_frame(events, {}, place_names(regions.places, "ko")).set_index("Event id")
        assert frame.loc["2013-05-28-forced-return-laos-beijing-9-hrw", "Places"] == (
            "Kunming, Beijing, Pyongyang"  # only Pyongyang is in the gazetteer
        )
        assert "단둥" in set(frame["Places"])  # a row whose places are all known: in Korean

    def test_claims_listed_reference_first(self):
        claims = claims_frame(_events())
        assert list(claims["Source"]) == ["Test Org", "Second Org"]
        assert list(claims["Role"]) == ["reference", "other claim"]
        assert list(claims["Count"]) == ["more than 500", "about 600"]


def test_timeline_draws_spans_points_and_annotations():
    events = _events()
    refs = events[events["same_event_as"] == ""]
    spec = timeline_chart(refs, dt.date(2023, 1, 1), None).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    # shade, years, events: spans, days, rings (a day known as a bound only), annotations
    assert marks == ["rect", "rect", "bar", "circle", "point", "tick"]


def test_timeline_is_linked_to_the_map_slider():
    events = _events()
    refs = events[events["same_event_as"] == ""]
    slider = (dt.date(2023, 10, 9), "9 October 2023")
    spec = timeline_chart(refs, None, None, slider=slider).to_dict()
    layers = spec["layer"]
    assert [layer["mark"]["type"] for layer in layers][-2:] == ["rule", "text"]
    (label,) = [r["label"] for d in spec["datasets"].values() for r in d if "label" in r
                and str(r["label"]).startswith("Map:")]  # fmt: skip
    assert label == "Map: 9 October 2023"
    # Every event mark and the year bands can be clicked: a point selection on "at".
    picks = {p["name"]: p["select"] for p in spec["params"]}
    assert set(picks) == {"pick_year", "pick_span", "pick_day", "pick_ring", "pick_note"}
    assert all(p["fields"] == ["at"] and p["on"] == "click" for p in picks.values())
    years = [r for d in spec["datasets"].values() for r in d if "year" in r]
    assert {"year": "2023", "at": "2023-12-31"}.items() <= years[-1].items()
    day = [r for d in spec["datasets"].values() for r in d if r.get("label") == "e1"]
    assert day[0]["at"] == "2023-10-09"
    # The size legend sits under the chart, where it is not cut off.
    sized = [layer for layer in layers if "size" in layer.get("encoding", {})]
    assert [layer["mark"]["type"] for layer in sized] == ["circle", "point"]  # one scale
    assert all(layer["encoding"]["size"]["legend"]["orient"] == "bottom" for layer in sized)


def test_a_click_on_the_timeline_picks_a_date():
    assert picked_date({"pick_day": [{"at": "2023-10-09"}], "pick_year": []}) == dt.date(
        2023, 10, 9
    )
    assert picked_date({"pick_year": [{"at": "2021-12-31"}]}) == dt.date(2021, 12, 31)
    assert picked_date({"pick_day": [{"at": "not a day"}], "pick_note": []}) is None
    assert picked_date({}) is None


def test_timeline_words_dates_counts_and_types_as_everywhere_else():
    events = _events()
    refs = events[events["same_event_as"] == ""]
    spec = timeline_chart(refs, None, None).to_dict()
    rows = [r for data in spec["datasets"].values() for r in data if "date" in r]
    by_label = {r["label"]: r for r in rows}
    assert by_label["e1"]["date"] == "9 October 2023"
    assert by_label["e1"]["count"] == "more than 500"
    assert by_label["e1"]["row"] == "Forced return"
    assert by_label["e3"]["date"] == "July 2021"
    assert by_label["e5"]["row"] == "Policy measure / Diplomatic event"
    assert by_label["e5"]["count"] == "number not stated"


def test_report_csv_neutralises_formulas():
    problems = [
        Problem(3, "count", "=HYPERLINK(1)", "error", "not a count: use e.g. 'about 60'"),
        Problem(4, "notes", "\n=1+1", "warning", "-line break first"),
        Problem(5, "notes", "\0@SUM(A1)", "warning", "x"),
    ]
    assert list(report_frame(problems).columns) == ["row", "column", "value", "severity", "problem"]
    text = report_csv(problems).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and text.startswith("row,column,value,severity,problem")
    # The same guard as the data exports: line feeds and NUL first are neutralised too.
    assert "'\n=1+1" in text and "'\0@SUM(A1)" in text and "'-line break first" in text


def test_claims_empty_when_no_event_has_several_sources():
    events = _events().iloc[2:4]  # index not starting at 0, no claims
    assert claims_frame(events).empty
