import datetime as dt
import json

import pytest

from geo.aggregate import (
    PeopleRange,
    ProvinceTotals,
    Summary,
    claims_for,
    is_about_returns,
    verdict_of,
)
from geo.join import join_events
from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.wording import verdict_text
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
                "events_high": None,
                "reported_qualifier": "more_than",
                "verdict": "falls_short",
                "difference": 670 - 589,
                "event_ids": ["up-to", "out", "jl", "unknown", "shared"],  # in date order
                # Every row cites the same page, but the report lists no components, so the
                # page does not tell which events it leaves out.
                "explaining_event_ids": [],
                "listed_event_ids": [],
            }
        ]

    def test_events_are_selected_whatever_the_views_match_mode(self, events):
        for match in ("overlap", "within"):
            view = ViewParams(start=D(2023, 10, 1), end=D(2023, 10, 31), match=match)
            (check,) = build_view(events, view).summary.cross_checks
            assert (check.events_count, check.events_low) == (5, 589)

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


#: A report, the events it lists, and the events its publisher reported apart from it.
SEPARATE = [
    {"event_id": "r670", "event_type": "report", "date_start": "2020-01-01",
     "date_end": "2024-05-08", "count_best": 670, "count_low": 670,
     "count_qualifier": "more_than", "count_text": "more than 670",
     "source_org": "Human Rights Watch", "source_url": "https://hrw.example/2024",
     "source_published": "2024-05-08", "evidence_quote": "forcibly returned more than 670"},
    {"event_id": "oct", "date_start": "2023-10-09", "count_best": 500, "count_low": 500,
     "count_qualifier": "more_than", "source_url": "https://hrw.example/2024",
     "notes": "Component of r670."},
    {"event_id": "jul", "date_start": "2021-07-14", "count_best": 170,
     "count_qualifier": "exact", "source_url": "https://rfa.example/jul",
     "notes": "Reference row; component of r670"},  # the marker in any case
    # Given in the report's own release beside the figure, not in it: (a).
    {"event_id": "apr", "date_start": "2024-04-26", "count_best": 60, "count_low": 60,
     "count_qualifier": "about", "source_url": "https://hrw.example/2024"},
    # Listed by a later report of the same organisation (through a claim of each): (b).
    {"event_id": "jan", "date_start": "2024-01-01", "date_end": "2024-01-31",
     "count_best": 108, "count_qualifier": "exact", "source_url": "https://news.example/a"},
    {"event_id": "jan-claim", "date_start": "2024-01-01", "date_end": "2024-01-31",
     "count_best": 108, "count_qualifier": "exact", "same_event_as": "jan",
     "source_url": "https://news.example/b", "notes": "Component of r406-repost."},
    {"event_id": "r406", "event_type": "report", "date_start": "2024-01-01",
     "date_end": "2025-09-30", "count_best": 406, "count_low": 406,
     "count_qualifier": "at_least", "count_text": "at least 406",
     "source_org": "Human Rights Watch", "source_url": "https://hrw.example/2025",
     "source_published": "2025-10-15", "evidence_quote": "forcibly returned at least 406"},
    {"event_id": "r406-repost", "event_type": "report", "date_start": "2024-01-01",
     "date_end": "2025-10-15", "count_best": 406, "count_low": 406,
     "count_qualifier": "at_least", "same_event_as": "r406",
     "source_org": "Human Rights Watch (repost on tolerance.ca)",
     "source_url": "https://repost.example/406", "evidence_quote": "returned at least 406"},
    # Listed by a later report of another organisation: not reported separately.
    {"event_id": "other", "date_start": "2022-05-01", "count_best": 5,
     "count_qualifier": "exact", "source_url": "https://news.example/c",
     "notes": "Component of segye"},
    {"event_id": "segye", "event_type": "report", "date_start": "2022-01-01",
     "date_end": "2022-12-31", "count_best": 5, "count_low": 5,
     "count_qualifier": "more_than", "source_org": "Segye Ilbo reporting the HRW release",
     "source_url": "https://segye.example/1", "source_published": "2025-10-19",
     "evidence_quote": "returned 5", "notes": "Aggregate of returns"},
]  # fmt: skip


class TestReportedSeparately:
    @pytest.fixture(scope="class")
    def checks(self):
        events = make_events(SEPARATE)
        view = ViewParams(start=D(2020, 1, 1), end=D(2025, 12, 31))
        return {c.event_id: c for c in build_view(events, view).summary.cross_checks}

    def test_listed_separate_and_unexplained_events(self, checks):
        hrw = checks["r670"]
        assert hrw.event_ids == ("jul", "other", "oct", "jan", "apr")
        assert hrw.listed_event_ids == ("jul", "oct")
        assert hrw.explaining_event_ids == ("jan", "apr")
        assert (hrw.events_low, hrw.verdict, hrw.difference) == (843, "exceeds", 173)
        assert hrw.explained_people.low == 168

    def test_verdict_names_the_events_reported_separately(self, checks):
        assert verdict_text(checks["r670"]) == (
            "events exceed the report by 173: these events were reported separately: "
            "January 2024 (108); 26 April 2024 (about 60); without them, events still exceed "
            "the report by 5"
        )

    def test_later_report_lists_its_own_and_leaves_out_the_rest(self, checks):
        hrw = checks["r406"]
        assert hrw.event_ids == ("jan", "apr") and hrw.listed_event_ids == ("jan",)
        assert hrw.explaining_event_ids == ()  # apr's page is the 2024 release, not this one
        assert verdict_text(hrw) == (
            "events fall short by 238: the report covers returns not in the dataset"
        )

    def test_events_account_for_the_figure(self, checks):
        segye = checks["segye"]
        assert (segye.verdict, segye.difference, segye.listed_event_ids) == (
            "consistent",
            0,
            ("other",),
        )
        assert verdict_text(segye) == "events account for 5 of the reported 5+: consistent"


@pytest.mark.parametrize(
    ("low", "high", "events_low", "expected"),
    [
        (670, None, 838, ("exceeds", 168)),
        (670, None, 670, ("consistent", 0)),
        (670, None, 600, ("falls_short", 70)),
        (None, 600, 500, ("consistent", 0)),
        (None, 600, 700, ("exceeds", 100)),
        (600, 2000, 1000, ("consistent", 0)),
        (4809, 4809, 0, ("falls_short", 4809)),
    ],
)
def test_verdict_of(low, high, events_low, expected):
    assert verdict_of(low, high, events_low) == expected


class TestToDict:
    def test_exact_keys_and_json(self, events):
        data = build_view(events, YEAR_2023).summary.to_dict()
        assert list(data) == [
            "start", "end", "events", "people_low", "people_best", "people_high",
            "by_province", "outside_map_area", "country_uncertain", "assumed_event_type",
            "cross_checks", "match", "returned", "returned_from", "returned_to",
            "spanning_boundary",
            "conflicting_events", "people_lowest_claims", "people_highest_claims",
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

    def test_an_event_with_no_end_is_checked_at_its_known_dates(self, joined):
        """The 2004 return (no end, no publication date) lies in 2004 for the cross-checks too."""
        beijing = "2004-10-26-forced-return-beijing-62-nysun"
        checks = build_view(joined, ViewParams()).summary.cross_checks
        nkdb = next(c for c in checks if c.period == (None, "2023-12-11"))
        assert beijing in [e.event_id for e in nkdb.events]
        year = ViewParams(start=D(2004, 1, 1), end=D(2004, 12, 31), match="within")
        assert beijing in set(build_view(joined, year).events["event_id"])

    def test_events_left_out_of_a_reports_list_are_taken_out_again(self, joined):
        """The verdict adds up: the total without the unlisted events is compared once more."""
        checks = build_view(joined, ViewParams()).summary.cross_checks
        [hrw_406] = [c for c in checks if c.reported_low == 406]
        assert (hrw_406.events_low, hrw_406.verdict, hrw_406.difference) == (414, "exceeds", 8)
        assert [e.event_id for e in hrw_406.unlisted] == ["2024-04-26-forced-return-hrw"]
        assert verdict_text(hrw_406) == (
            "events exceed the report by 8: not among the cases the report lists: 26 April 2024 "
            "(about 60); without them, events fall short by 52"
        )

    def test_hrw_670_cross_check(self, joined):
        view = ViewParams(start=D(2020, 1, 1), end=D(2023, 12, 31), match="within")
        checks = {c.event_id: c.to_dict() for c in build_view(joined, view).summary.cross_checks}
        hrw = checks["2024-05-08-report-hrw-670-since-2020"]
        assert hrw["period"] == ["2020-01-01", "2024-05-08"]
        assert hrw["reported_low"] == 670
        # The four returns HRW counted plus January 2024 (108) and 26 April 2024 (60).
        assert (hrw["events_count"], hrw["events_low"]) == (6, 670 + 108 + 60)
        assert (hrw["verdict"], hrw["difference"]) == ("exceeds", 168)
        assert hrw["explaining_event_ids"] == [
            "2024-01-forced-return-helong-workers-yonhap",
            "2024-04-26-forced-return-hrw",
        ]
        detained = "2021-07-22-report-hrw-1170-detained"
        assert detained in set(joined["event_id"]) and detained not in checks
