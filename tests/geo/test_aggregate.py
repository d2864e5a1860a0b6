import datetime as dt
import json

import pytest

from geo.aggregate import PeopleRange, ProvinceTotals, Summary, claims_for, is_about_returns
from geo.join import join_events
from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from tests.factories import make_events, shipped_validation

D = dt.date
YEAR_2023 = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31))


@pytest.fixture(scope="module")
def events():
    return make_events(
        [
            # Shared between two provinces: once in totals, in both breakdowns.
            {"event_id": "shared", "date_start": "2023-10-09", "provinces": "CN-JL|CN-LN",
             "count_best": 500, "count_low": 500, "count_qualifier": "more_than"},
            {"event_id": "shared-claim", "date_start": "2023-10-09", "provinces": "CN-JL",
             "count_best": 600, "count_qualifier": "exact", "same_event_as": "shared"},
            {"event_id": "jl", "date_start": "2023-08-29", "provinces": "CN-JL",
             "count_best": 80, "count_qualifier": "exact"},
            # Unknown size: adds nothing to low/best, removes the upper bound.
            {"event_id": "unknown", "date_start": "2023-09-18", "provinces": "CN-LN",
             "count_qualifier": "unknown"},
            {"event_id": "up-to", "date_start": "2023-03-01", "map_level": "border",
             "count_best": 40, "count_high": 40, "count_qualifier": "up_to"},
            {"event_id": "out", "date_start": "2023-05-01", "map_level": "outside",
             "count_best": 9, "count_qualifier": "exact"},
            {"event_id": "detention", "date_start": "2023-05-01", "event_type": "detention",
             "provinces": "CN-JL", "count_best": 7, "count_qualifier": "exact"},
            {"event_id": "old", "date_start": "2019-01-01", "provinces": "CN-JL",
             "count_best": 5, "count_qualifier": "exact"},
            {"event_id": "hrw-670", "event_type": "report", "date_start": "2020-01-01",
             "date_end": "2024-05-08", "count_best": 670, "count_low": 670,
             "count_qualifier": "more_than", "count_text": "more than 670",
             "source_org": "Human Rights Watch", "map_level": "border",
             "evidence_quote": "has forcibly returned more than 670 North Koreans"},
            {"event_id": "stock", "event_type": "report", "date_start": "2023-10-13",
             "count_best": 2000, "count_low": 2000, "count_qualifier": "more_than",
             "count_text": "more than 2,000", "map_level": "border",
             "evidence_quote": "2,000 are detained and face forced repatriation",
             "notes": "Stock estimate of people detained."},
            {"event_id": "no-figure", "event_type": "report", "date_start": "2023-09-21",
             "count_qualifier": "unknown", "map_level": "border",
             "evidence_quote": "forcible repatriations of reportedly 2,000"},
            {"event_id": "before", "event_type": "report", "date_start": "2002-01-01",
             "date_end": "2002-12-31", "count_best": 4809, "count_qualifier": "exact",
             "map_level": "border", "evidence_quote": "repatriated a total of 4,809"},
        ]
    )  # fmt: skip


class TestTotals:
    def test_reference_rows_only_and_reports_never_events(self, events):
        summary = build_view(events, YEAR_2023).summary
        # shared, jl, unknown, up-to, out (not the claim, detention, old, or reports)
        assert summary.events == 5
        assert summary.people.low == 500 + 80 + 0 + 0 + 9
        assert summary.people.best == 500 + 80 + 0 + 40 + 9
        assert summary.people.high is None

    def test_upper_bound_when_every_event_has_one(self, events):
        view = ViewParams(start=D(2023, 8, 1), end=D(2023, 8, 31))
        summary = build_view(events, view).summary
        assert (summary.events, summary.people.low, summary.people.high) == (1, 80, 80)

    def test_best_falls_back_to_low(self):
        events = make_events(
            [
                {"date_start": "2024-04-26", "count_low": 50, "count_high": 60,
                 "count_qualifier": "unknown"},
            ]
        )  # fmt: skip
        summary = build_view(events, ViewParams()).summary
        assert (summary.people.low, summary.people.best, summary.people.high) == (50, 50, 60)

    def test_by_province_counts_shared_event_in_each(self, events):
        by_province = build_view(events, YEAR_2023).summary.by_province
        assert by_province == {
            "CN-JL": ProvinceTotals(2, 1, PeopleRange(580, 580, None)),
            "CN-LN": ProvinceTotals(2, 1, PeopleRange(500, 500, None)),
        }

    def test_outside_map_area(self, events):
        assert build_view(events, YEAR_2023).summary.outside_map_area == 1

    def test_types_and_provinces_from_view(self, events):
        detentions = build_view(events, YEAR_2023.with_changes(types=("detention",))).summary
        assert (detentions.events, detentions.people.low) == (1, 7)
        liaoning = build_view(events, YEAR_2023.with_changes(provinces=("CN-LN",))).summary
        assert (liaoning.events, liaoning.people.low, liaoning.outside_map_area) == (2, 500, 0)

    def test_empty_selection(self, events):
        summary = build_view(events, ViewParams(start=D(1990, 1, 1), end=D(1990, 12, 31))).summary
        assert (summary.events, summary.people.low, summary.people.high) == (0, 0, 0)
        assert summary.by_province == {} and summary.cross_checks == ()


class TestCrossChecks:
    def test_report_about_returns_compared_with_events_in_its_period(self, events):
        checks = build_view(events, YEAR_2023).summary.cross_checks
        assert [c.to_dict() for c in checks] == [
            {
                "event_id": "hrw-670",
                "claim": "more than 670",
                "source_org": "Human Rights Watch",
                "period": ["2020-01-01", "2024-05-08"],
                "reported_low": 670,
                "reported_high": None,
                # shared (500), jl (80), unknown (0), up-to (0/40), out (9); not old (2019)
                "events_low": 589,
                "events_best": 629,
                "events_count": 5,
            }
        ]

    def test_only_reports_overlapping_the_view(self, events):
        view = ViewParams(start=D(2002, 6, 1), end=D(2002, 6, 30))
        checks = build_view(events, view).summary.cross_checks
        assert [c.event_id for c in checks] == ["before"]

    def test_is_about_returns(self, events):
        reports = events[events["event_type"].eq("report")]
        assert dict(zip(reports["event_id"], is_about_returns(reports), strict=True)) == {
            "hrw-670": True,
            "stock": False,
            "no-figure": True,  # about returns, but without a figure: no cross-check
            "before": True,
        }


class TestToDict:
    def test_exact_keys_and_json(self, events):
        data = build_view(events, YEAR_2023).summary.to_dict()
        assert list(data) == [
            "start", "end", "events", "people_low", "people_best", "people_high",
            "by_province", "outside_map_area", "country_uncertain", "assumed_event_type",
            "cross_checks", "conflicting_events", "people_lowest_claims", "people_highest_claims",
        ]  # fmt: skip
        assert (data["start"], data["end"]) == ("2023-01-01", "2023-12-31")
        assert json.loads(json.dumps(data)) == data

    def test_open_range_is_null(self):
        summary = Summary(start=None, end=None, events=0, people=PeopleRange(0, 0, 0))
        data = summary.to_dict()
        assert (data["start"], data["end"]) == (None, None)
        assert data["by_province"] == {} and data["cross_checks"] == []


class TestClaimsFor:
    def test_reference_first(self, events):
        assert claims_for(events, "shared")["event_id"].tolist() == ["shared", "shared-claim"]
        assert claims_for(events, "shared-claim")["event_id"].tolist() == [
            "shared",
            "shared-claim",
        ]

    def test_single_and_unknown(self, events):
        assert claims_for(events, "jl")["event_id"].tolist() == ["jl"]
        assert claims_for(events, "nope").empty

    def test_claim_listed_before_its_reference_in_file(self):
        events = make_events(
            [
                {"event_id": "c", "date_start": "2024-04-26", "same_event_as": "r"},
                {"event_id": "r", "date_start": "2024-04-26"},
            ]
        )
        assert claims_for(events, "c")["event_id"].tolist() == ["r", "c"]


class TestShippedData:
    """The issue's acceptance checks on data/events.csv."""

    @pytest.fixture(scope="class")
    def joined(self):
        return join_events(shipped_validation().events, load_reference())

    def test_670_returns_2020_to_2023(self, joined):
        view = ViewParams(start=D(2020, 1, 1), end=D(2023, 12, 31), match="within")
        summary = build_view(joined, view).summary
        assert summary.people.low == 670
        assert summary.events == 4

    def test_26_april_2024_once_and_shared(self, joined):
        view = ViewParams(start=D(2024, 4, 26), end=D(2024, 4, 26), match="within")
        summary = build_view(joined, view).summary
        assert (summary.events, summary.people.low, summary.people.best) == (1, 60, 60)
        for code in ("CN-JL", "CN-LN"):
            assert summary.by_province[code] == ProvinceTotals(1, 1, PeopleRange(60, 60, None))

    def test_hrw_670_cross_check(self, joined):
        view = ViewParams(start=D(2020, 1, 1), end=D(2023, 12, 31), match="within")
        checks = {c.event_id: c.to_dict() for c in build_view(joined, view).summary.cross_checks}
        hrw = checks["2024-05-08-report-hrw-670-since-2020"]
        assert hrw["period"] == ["2020-01-01", "2024-05-08"]
        assert hrw["reported_low"] == 670
        # The four returns HRW counted plus January 2024 (108) and 26 April 2024 (60).
        assert (hrw["events_count"], hrw["events_low"]) == (6, 670 + 108 + 60)
        detained = "2021-07-22-report-hrw-1170-detained"
        assert detained in set(joined["event_id"]) and detained not in checks
