"""What the claims about one event say together (``geo.claims``, applied by ``geo.join``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.claims import claim_range, event_conflict, place_attribution, source_keys
from geo.join import join_events
from geo.pipeline import build_view, load_dataset
from geo.reference import load_reference
from geo.view import ViewParams
from tests.factories import make_events, shipped_events

D = dt.date
MASS_RETURN = "2023-10-09-forced-return-hrw2024"
APRIL_2024 = "2024-04-26-forced-return-hrw"


@pytest.fixture(scope="module")
def shipped():
    return shipped_events().set_index("event_id")


class TestMassReturnOf9October2023:
    """HRW's reference row names no place; the other claims name the crossings."""

    def test_placed_at_the_crossings_the_claims_name(self, shipped):
        event = shipped.loc[MASS_RETURN]
        assert event["place_names"] == "" and event["geo_precision"] == "country"
        assert event["event_precision"] == "place" and event["map_level"] == "point"
        places = event["places_from_claims"].split("|")
        for place in ("cn-dandong", "cn-tumen", "cn-hunchun", "cn-changbai", "cn-nanping"):
            assert place in places
        provinces = event["provinces"].split("|")
        assert {"CN-JL", "CN-LN"} <= set(provinces)
        assert {"KP-03", "KP-09"} <= set(provinces)  # Sinuiju, Onsong: returned to
        assert event["shared"]

    def test_each_place_names_its_sources(self, shipped):
        rows = shipped_events()
        claims = rows[rows["event_id"].eq(MASS_RETURN) | rows["same_event_as"].eq(MASS_RETURN)]
        named = dict(
            place_attribution(claims.to_dict("records"), ["cn-tumen", "cn-changbai"])
        )
        assert named["cn-tumen"] == [
            "Daily NK", "The Economist", "Korea JoongAng Daily", "Radio Free Asia",
            "rapidnewshub.com",
        ]  # fmt: skip
        assert named["cn-changbai"] == [
            "Korea JoongAng Daily", "Radio Free Asia", "rapidnewshub.com",
        ]  # fmt: skip

    def test_counted_once_in_jilin_and_liaoning(self):
        view = ViewParams(start=D(2023, 10, 9), end=D(2023, 10, 9))
        summary = build_view(shipped_events(), view).summary
        assert summary.events == 1
        assert (summary.people.low, summary.people.high) == (500, None)
        for code in ("CN-JL", "CN-LN"):
            assert summary.by_province[code].events == 1
            assert summary.by_province[code].people.low == 500

    def test_support_and_spread(self, shipped):
        event = shipped.loc[MASS_RETURN]
        # HRW (own and via UCA News), J.M. Missionary Union (RFA), Yonhap, Justice for North
        # Korea (JoongAng), TJWG (Newsweek, The Economist, two reposts), Light of Freedom,
        # Asia Economy, Daily NK, ASIAPRESS, AFP, NK News.
        assert event["independent_sources"] == 11 and not event["single_source"]
        # Parts (one crossing, one named person) are not the event's size.
        assert (event["lowest_claim"], event["highest_claim"]) == (500, 600)
        assert event["conflict"] == (
            "counts disagree: “500” (ASIAPRESS) vs “the 600 forcibly deported people” "
            "(rapidnewshub.com)"
        )


class TestConflicts:
    def test_26_april_2024_counts_disagree(self, shipped):
        event = shipped.loc[APRIL_2024]
        assert event["conflict"].startswith("counts disagree: “50 to 60” (NK Insider) vs ")
        assert "“over 200” (KBS World)" in event["conflict"]
        # The claims travel with the event: every row about it carries the flag.
        claims = shipped[shipped["same_event_as"].eq(APRIL_2024)]
        assert len(claims) == 3 and claims["conflict"].eq(event["conflict"]).all()
        assert (event["lowest_claim"], event["highest_claim"]) == (50, 200)

    def test_summary_counts_conflicting_events_and_spread(self):
        view = ViewParams(start=D(2024, 4, 1), end=D(2024, 4, 30), match="within")
        summary = build_view(shipped_events(), view).summary
        assert (summary.events, summary.people.low) == (1, 60)
        assert summary.conflicting_events == 1
        assert (summary.people_lowest_claims, summary.people_highest_claims) == (50, 200)
        data = summary.to_dict()
        assert (data["conflicting_events"], data["people_highest_claims"]) == (1, 200)

    def test_agreeing_claims_do_not_conflict(self, shipped):
        helong = "2024-01-forced-return-helong-workers-yonhap"  # 108 vs about 100
        assert shipped.loc[helong, "conflict"] == ""
        assert shipped.loc["2021-07-14-forced-return-rfa", "conflict"] == ""

    @pytest.mark.parametrize(
        ("claim", "reason"),
        [
            ({"date_start": "2024-05-02"}, "dates disagree: 2024-04-26 (A) vs 2024-05-02 (B)"),
            ({"admin1_codes": "CN-LN"}, "provinces disagree: CN-JL (A) vs CN-LN (B)"),
            ({"count_best": 300, "count_text": "300"}, "counts disagree: “60” (A) vs “300” (B)"),
        ],
    )
    def test_each_kind_of_disagreement(self, claim, reason):
        base = {"date_start": "2024-04-26", "count_best": 60, "count_text": "60",
                "admin1_codes": "CN-JL"}  # fmt: skip
        events = make_events(
            [
                {**base, "event_id": "a", "source_org": "A"},
                {**base, "event_id": "b", "source_org": "B", "same_event_as": "a", **claim},
            ],
            joined=False,
        )
        assert event_conflict(events.to_dict("records"), {}) == reason

    def test_a_part_of_the_event_is_not_its_size(self):
        rows = [
            {"event_id": "a", "date_start": "2023-10-09", "count_best": 500, "source_org": "A"},
            {"event_id": "b", "date_start": "2023-10-09", "count_best": 1, "source_org": "B",
             "same_event_as": "a", "claim_scope": "part"},
        ]  # fmt: skip
        events = make_events(rows)
        assert events["conflict"].eq("").all()
        assert events.loc[0, ["lowest_claim", "highest_claim"]].tolist() == [500, 500]
        assert event_conflict(make_events([rows[0], {**rows[1], "claim_scope": ""}]).to_dict(
            "records"), {}).startswith("counts disagree")  # fmt: skip

    @pytest.mark.parametrize(
        ("qualifier", "low", "best", "high", "expected"),
        [
            ("exact", 108, 108, 108, (108, 108)),
            ("about", 60, 60, None, (45, 75)),
            ("more_than", 200, 200, None, (200, float("inf"))),
            ("up_to", None, 600, 600, (0, 600)),
            ("unknown", 50, None, 60, (50, 60)),
            ("unknown", None, None, None, None),
        ],
    )
    def test_claim_ranges(self, qualifier, low, best, high, expected):
        row = {"count_qualifier": qualifier, "count_low": low, "count_best": best,
               "count_high": high}  # fmt: skip
        assert claim_range(row) == expected


class TestIndependentSources:
    def test_two_outlets_quoting_one_original_count_as_one(self):
        rows = [
            {"event_id": "a", "date_start": "2024-01-15", "count_best": 108,
             "source_org": "Yonhap News Agency (via NewsPic)", "cites": "Human Rights Watch"},
            {"event_id": "b", "date_start": "2024-01-15", "count_best": 108, "same_event_as": "a",
             "source_org": "RTP (Lusa)", "cites": "human rights  WATCH"},
        ]  # fmt: skip
        events = make_events(rows)
        assert events["independent_sources"].tolist() == [1, 1]
        assert events["single_source"].all()
        third = {"event_id": "c", "date_start": "2024-01-15", "count_best": 100,
                 "same_event_as": "a", "source_org": "Wikipedia"}  # fmt: skip
        events = make_events([*rows, third])
        assert events["independent_sources"].tolist() == [2, 2, 2]
        assert not events["single_source"].any()

    def test_source_keys_fall_back_to_the_publisher(self):
        frame = pd.DataFrame({"cites": ["", "HRW "], "source_org": ["Daily  NK", "X"]})
        assert source_keys(frame).tolist() == ["daily nk", "hrw"]

    def test_shipped_events_all_carry_their_support(self, shipped):
        assert shipped["independent_sources"].ge(1).all()
        helong = shipped.loc["2024-01-forced-return-helong-workers-yonhap"]
        # Yonhap and RTP both report the HRW release: one source; Wikipedia another.
        assert helong["independent_sources"] == 2
        women = shipped.loc["2024-forced-return-trafficked-women-south-yonhap"]
        assert women["independent_sources"] == 1 and women["single_source"]


def test_own_places_are_kept():
    csv = (
        "event_id,date,count,place,source_url,same_event_as\n"
        "a,2024-04-26,60,Dandong,https://example.org/a,\n"
        "b,2024-04-26,60,Tumen,https://example.org/b,a\n"
    )
    events = load_dataset(csv.encode(), "x.csv").events.set_index("event_id")
    assert events.loc["a", ["places_from_claims", "provinces"]].tolist() == ["", "CN-LN"]


def test_claim_scope_is_validated():
    csv = (
        "event_id,date,count,place,source_url,same_event_as,claim_scope\n"
        "a,2024-04-26,60,Dandong,https://example.org/a,,\n"
        "b,2024-04-26,6,Dandong,https://example.org/b,a,Part\n"
        "c,2024-04-26,6,Dandong,https://example.org/c,a,some\n"
    )
    dataset = load_dataset(csv.encode(), "x.csv")
    assert dataset.events["claim_scope"].tolist() == ["event", "part"]
    (problem,) = dataset.errors
    assert (problem.row, problem.column, problem.value) == (4, "claim_scope", "some")
    assert problem.message == "claim_scope must be one of: event, part"


def test_join_places_the_event_without_a_gazetteer_point_of_its_own():
    events = make_events(
        [
            {"event_id": "a", "date_start": "2024-04-26", "geo_precision": "country",
             "count_best": 60},
            {"event_id": "b", "date_start": "2024-04-26", "same_event_as": "a",
             "place_ids": "cn-tumen|kp-namyang", "place_names": "Tumen|Namyang"},
        ],
        joined=False,
    )  # fmt: skip
    joined = join_events(events, load_reference()).set_index("event_id")
    assert joined.loc["a", "provinces"] == "CN-JL|KP-09"
    assert joined.loc["a", ["map_level", "event_precision"]].tolist() == ["point", "place"]
    assert joined.loc["a", "sector_id"] != ""
    assert pd.isna(joined.loc["a", "lat"])  # the row's own columns are not altered
