import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.filter import (
    date_mask,
    filter_events,
    is_reference,
    known_dates,
    reference_ids,
    reference_positions,
    spanning_events,
)
from geo.view import ViewParams
from tests.factories import make_events

D = dt.date
ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")


def _ids(frame) -> list[str]:
    return frame["event_id"].tolist()


def _dates(rows: list[tuple[str | None, str | None]]):
    return make_events(
        [
            {"event_id": f"d{i}", "date_start": start, "date_end": end}
            for i, (start, end) in enumerate(rows)
        ]
    )


@pytest.fixture(scope="module")
def dated():
    # d0 inside 2023; d1 straddles the start; d2 straddles the end; d3 before; d4 after;
    # d5 no start (ends inside); d6 no end (starts inside); d7 no start, ends before 2023;
    # d8 no end, starts after 2023.
    return _dates(
        [
            ("2023-03-01", "2023-03-31"),
            ("2022-12-01", "2023-01-31"),
            ("2023-12-15", "2024-01-15"),
            ("2022-01-01", "2022-12-31"),
            ("2024-01-01", "2024-01-01"),
            (None, "2023-06-01"),
            ("2023-06-01", None),
            (None, "2022-06-01"),
            ("2024-02-01", None),
        ]
    )


class TestDates:
    def test_overlap(self, dated):
        view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31), match="overlap")
        assert _ids(filter_events(dated, view)) == ["d0", "d1", "d2", "d5", "d6"]

    def test_start_is_the_default_and_places_each_event_by_its_start(self, dated):
        assert ViewParams().match == "start"
        view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31))
        # d1 started in 2022 (not here); d2 starts in 2023 (here, not in 2024); d5 has no
        # start and is placed at its end (2023-06-01).
        assert _ids(filter_events(dated, view)) == ["d0", "d2", "d5", "d6"]
        before = _ids(filter_events(dated, ViewParams(end=D(2022, 12, 31))))
        after = _ids(filter_events(dated, ViewParams(start=D(2024, 1, 1))))
        assert before == ["d1", "d3", "d7"] and after == ["d4", "d8"]

    def test_start_puts_every_event_in_exactly_one_of_adjacent_ranges(self, dated):
        ranges = [(None, D(2022, 12, 31)), (D(2023, 1, 1), D(2023, 6, 1)),
                  (D(2023, 6, 2), D(2023, 12, 31)), (D(2024, 1, 1), None)]  # fmt: skip
        found = [
            event
            for start, end in ranges
            for event in _ids(filter_events(dated, ViewParams(start=start, end=end)))
        ]
        assert sorted(found) == sorted(_ids(dated))

    def test_start_leaves_an_undated_event_out_of_every_bounded_range(self):
        events = _dates([(None, None), ("2023-05-01", "2023-05-01")])
        assert _ids(filter_events(events, ViewParams())) == ["d0", "d1"]
        assert _ids(filter_events(events, ViewParams(start=D(1900, 1, 1)))) == ["d1"]
        assert _ids(filter_events(events, ViewParams(end=D(2100, 12, 31)))) == ["d1"]

    def test_spanning_events_are_those_past_either_boundary(self, dated):
        view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31), match="overlap")
        assert _ids(spanning_events(filter_events(dated, view), view)) == ["d1", "d2"]
        assert _ids(spanning_events(dated, ViewParams())) == []

    def test_within(self, dated):
        view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31), match="within")
        # d5 and d6 are placed at the one date they have (known_dates), inside 2023
        assert _ids(filter_events(dated, view)) == ["d0", "d5", "d6"]

    def test_range_ends_are_inclusive_days(self):
        events = _dates([("2023-12-31", "2023-12-31"), ("2023-01-01", "2023-01-01")])
        for match in ("start", "overlap", "within"):
            view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31), match=match)
            assert _ids(filter_events(events, view)) == ["d0", "d1"]

    def test_open_start(self, dated):
        overlap = ViewParams(end=D(2022, 12, 31))
        # d5 (no start, ends 2023-06-01) is placed at its known date, not stretched back.
        assert _ids(filter_events(dated, overlap)) == ["d1", "d3", "d7"]
        within = ViewParams(end=D(2023, 6, 30), match="within")
        # A missing date is the known one (known_dates): d6 lies on 2023-06-01.
        assert _ids(filter_events(dated, within)) == ["d0", "d1", "d3", "d5", "d6", "d7"]

    def test_open_end(self, dated):
        within = ViewParams(start=D(2023, 6, 1), match="within")
        assert _ids(filter_events(dated, within)) == ["d2", "d4", "d5", "d6", "d8"]

    def test_missing_end_is_not_stretched_into_later_years(self):
        events = make_events(
            [
                {"event_id": "no-end", "date_start": "2004-10-26", "date_end": None},
                {
                    "event_id": "published",
                    "date_start": "2023-08-21",
                    "date_end": None,
                    "source_published": "2023-10-30",
                },
            ]
        )
        def overlap(**dates):
            return _ids(filter_events(events, ViewParams(match="overlap", **dates)))

        assert overlap(start=D(2020, 1, 1)) == ["published"]
        assert overlap(start=D(2023, 10, 30)) == ["published"]
        assert overlap(start=D(2023, 10, 31)) == []
        assert overlap(end=D(2004, 10, 26)) == ["no-end"]
        # By start date it is in the range of its start only.
        assert _ids(filter_events(events, ViewParams(start=D(2023, 10, 30)))) == []
        assert _ids(filter_events(events, ViewParams(start=D(2023, 8, 21)))) == ["published"]
        starts, ends = known_dates(events)
        assert ends.tolist() == [pd.Timestamp("2004-10-26"), pd.Timestamp("2023-10-30")]
        assert starts.tolist() == [pd.Timestamp("2004-10-26"), pd.Timestamp("2023-08-21")]

    def test_no_range_keeps_everything(self, dated):
        assert len(filter_events(dated, ViewParams(types=()))) == len(dated)
        assert len(filter_events(dated, ViewParams(match="within"))) == len(dated)
        assert len(filter_events(dated, ViewParams(match="overlap"))) == len(dated)

    def test_date_mask_rejects_unknown_match(self, dated):
        with pytest.raises(ValueError, match="'sometimes'"):
            date_mask(dated["date_start"], dated["date_end"], None, None, "sometimes")


class TestTypesAndProvinces:
    @pytest.fixture(scope="class")
    @classmethod
    def events(cls):
        return make_events(
            [
                {"event_id": "jl", "date_start": "2023-01-01", "provinces": "CN-JL"},
                {"event_id": "both", "date_start": "2023-01-01", "provinces": "CN-JL|CN-LN"},
                {"event_id": "ln-det", "date_start": "2023-01-01", "provinces": "CN-LN",
                 "event_type": "detention"},
                {"event_id": "border", "date_start": "2023-01-01", "map_level": "border"},
                {"event_id": "out", "date_start": "2023-01-01", "map_level": "outside"},
            ]
        )  # fmt: skip

    def test_types(self, events):
        assert _ids(filter_events(events, ViewParams())) == ["jl", "both", "border", "out"]
        detentions = ViewParams(types=("detention",))
        assert _ids(filter_events(events, detentions)) == ["ln-det"]

    def test_empty_types_select_all(self, events):
        assert len(filter_events(events, ViewParams(types=()))) == 5

    def test_any_selected_province_matches(self, events):
        view = ViewParams(types=ALL_TYPES, provinces=("CN-LN",))
        assert _ids(filter_events(events, view)) == ["both", "ln-det"]

    def test_selected_provinces_exclude_border_and_outside(self, events):
        view = ViewParams(types=ALL_TYPES, provinces=("CN-JL", "CN-LN"))
        assert _ids(filter_events(events, view)) == ["jl", "both", "ln-det"]

    def test_returns_copy_with_original_index(self, events):
        out = filter_events(events, ViewParams(types=("detention",)))
        assert out.index.tolist() == [2]
        out.loc[2, "notes"] = "changed"
        assert events.loc[2, "notes"] == ""


class TestClaims:
    @pytest.fixture(scope="class")
    @classmethod
    def events(cls):
        return make_events(
            [
                {"event_id": "ref", "date_start": "2023-10-09", "provinces": "CN-JL"},
                # A claim dated and placed differently still follows its reference row.
                {"event_id": "claim-late", "date_start": "2023-11-30", "provinces": "KP-10",
                 "same_event_as": "ref"},
                {"event_id": "claim-same", "date_start": "2023-10-09", "same_event_as": "ref"},
                {"event_id": "old-ref", "date_start": "2020-01-01"},
                # This claim alone would match 2023, but its reference row does not.
                {"event_id": "old-claim", "date_start": "2023-10-09", "same_event_as": "old-ref"},
                {"event_id": "orphan", "date_start": "2023-10-09", "same_event_as": "missing"},
            ]
        )  # fmt: skip

    def test_is_reference(self, events):
        assert is_reference(events).tolist() == [True, False, False, True, False, False]

    def test_reference_ids(self, events):
        assert reference_ids(events).tolist() == [
            "ref", "ref", "ref", "old-ref", "old-ref", "orphan",
        ]  # fmt: skip

    def test_claims_follow_their_reference(self, events):
        view = ViewParams(start=D(2023, 10, 1), end=D(2023, 10, 31), match="within")
        assert _ids(filter_events(events, view)) == ["ref", "claim-late", "claim-same", "orphan"]

    def test_claims_follow_reference_under_province_filter(self, events):
        view = ViewParams(provinces=("KP-10",))
        assert _ids(filter_events(events, view)) == []
        view = ViewParams(provinces=("CN-JL",))
        assert _ids(filter_events(events, view)) == ["ref", "claim-late", "claim-same"]

    def test_claim_of_a_claim_is_judged_on_its_own(self):
        events = make_events(
            [
                {"event_id": "a", "date_start": "2020-01-01"},
                {"event_id": "b", "date_start": "2020-01-01", "same_event_as": "a"},
                {"event_id": "c", "date_start": "2023-01-01", "same_event_as": "b"},
            ]
        )
        assert reference_ids(events).tolist() == ["a", "a", "c"]
        view = ViewParams(start=D(2023, 1, 1), end=D(2023, 12, 31))
        assert _ids(filter_events(events, view)) == ["c"]

    def test_a_claim_points_at_the_first_row_with_its_id(self):
        events = make_events(
            [
                {"event_id": "x", "date_start": "2020-01-01", "same_event_as": "y"},
                {"event_id": "a", "date_start": "2020-01-01"},
                {"event_id": "a", "date_start": "2021-01-01"},
                {"event_id": "b", "date_start": "2021-01-01", "same_event_as": "a"},
                {"event_id": "y", "date_start": "2022-01-01"},
                {"event_id": "c", "date_start": "2021-01-01", "same_event_as": "x"},
            ]
        )
        # x's target y is a reference; c's target x is a claim, so c is its own.
        assert reference_positions(events).tolist() == [4, 1, 2, 1, 4, 5]

    def test_reference_positions_match_a_plain_python_lookup(self):
        rng = np.random.default_rng(3)
        ids = [f"e{i}" for i in rng.integers(0, 40, 300)]
        targets = [f"e{i}" if i < 50 else "" for i in rng.integers(0, 100, 300)]
        events = make_events(
            [{"event_id": i, "date_start": "2020-01-01", "same_event_as": t}
             for i, t in zip(ids, targets, strict=True)]
        )  # fmt: skip
        first = {}
        for pos, event_id in enumerate(ids):
            first.setdefault(event_id, pos)
        expected = [
            first[t] if t and t in first and targets[first[t]] == "" else pos
            for pos, t in enumerate(targets)
        ]
        assert reference_positions(events).tolist() == expected

    def test_empty_frame(self):
        events = make_events([{"date_start": "2023-01-01"}]).iloc[0:0]
        assert reference_ids(events).tolist() == []
        assert filter_events(events, ViewParams(provinces=("CN-JL",))).empty

    def test_whole_event_selected_when_reference_matches(self):
        events = make_events(
            [
                {"event_id": "a", "date_start": "2021-07-14"},
                {"event_id": "b", "date_start": "2021-07-01", "date_end": "2021-07-31",
                 "same_event_as": "a"},
            ]
        )  # fmt: skip
        view = ViewParams(start=D(2021, 7, 14), end=D(2021, 7, 14), match="within")
        assert _ids(filter_events(events, view)) == ["a", "b"]


def test_datetime_units_and_timestamps():
    events = _dates([("2023-05-01", "2023-05-01")])
    events["date_start"] = events["date_start"].astype("datetime64[s]")
    events["date_end"] = pd.to_datetime(["2023-05-01 18:30"]).astype("datetime64[ns]")
    view = ViewParams(start=D(2023, 5, 1), end=D(2023, 5, 1), match="within")
    assert _ids(filter_events(events, view)) == ["d0"]
