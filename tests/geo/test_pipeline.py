import dataclasses
import datetime as dt

import pytest

from geo.aggregate import summarise
from geo.pipeline import ViewData, build_view_data, load_joined_events, load_view_data
from geo.view import ViewParams
from tests.factories import make_events

D = dt.date

CSV = (
    "event_id,date,count,place,admin1_codes,source_url,same_event_as\n"
    "a,2024-04-26,about 60,,CN-JL|CN-LN,https://example.org/a,\n"
    "b,2024-04-26,over 200,Changbai,,https://example.org/b,a\n"
    "c,2023-10-09,more than 500,Dandong,,https://example.org/c,\n"
)


@pytest.fixture(scope="module")
def joined():
    return make_events(
        [
            {"event_id": "a", "date_start": "2024-04-26", "provinces": "CN-JL|CN-LN",
             "map_level": "admin1", "count_best": 60, "count_low": 60,
             "count_qualifier": "about"},
            {"event_id": "b", "date_start": "2024-04-27", "provinces": "CN-JL",
             "count_best": 200, "count_low": 200, "count_qualifier": "more_than",
             "same_event_as": "a"},
            {"event_id": "c", "date_start": "2023-10-09", "provinces": "CN-LN",
             "count_best": 500, "count_low": 500, "count_qualifier": "more_than"},
        ]
    )  # fmt: skip


class TestBuildViewData:
    def test_events_and_summary_agree(self, joined):
        view = ViewParams(start=D(2024, 4, 26), end=D(2024, 4, 26), match="within")
        data = build_view_data(joined, view)
        assert isinstance(data, ViewData) and data.view is view
        # The claim dated the 27th travels with its reference row.
        assert data.events["event_id"].tolist() == ["a", "b"]
        assert data.summary == summarise(joined, view)
        assert (data.summary.events, data.summary.people_low) == (1, 60)

    def test_frozen(self, joined):
        data = build_view_data(joined, ViewParams())
        with pytest.raises(dataclasses.FrozenInstanceError):
            data.view = ViewParams(types=())


class TestLoad:
    def test_bytes_source_read_validated_joined(self):
        view = ViewParams(start=D(2024, 1, 1), end=D(2024, 12, 31))
        data = load_view_data(view, CSV.encode(), filename="events.csv")
        events = data.events.set_index("event_id")
        assert events.index.tolist() == ["a", "b"]
        assert events.loc["a", "provinces"] == "CN-JL|CN-LN" and events.loc["a", "shared"]
        assert events.loc["b", ["provinces", "sector_id"]].tolist() == ["CN-JL", "CN-JL|KP-10"]
        assert data.summary.to_dict()["by_province"]["CN-LN"]["shared_events"] == 1

    def test_cached_by_content(self, tmp_path):
        first = load_joined_events(CSV.encode(), filename="events.csv")
        assert load_joined_events(CSV.encode(), filename="events.csv") is first
        path = tmp_path / "events.csv"
        path.write_text(CSV, encoding="utf-8")
        from_path = load_joined_events(path)
        assert load_joined_events(path) is from_path
        path.write_text(CSV.replace("more than 500", "more than 501"), encoding="utf-8")
        changed = load_joined_events(path)
        assert changed is not from_path
        assert changed.set_index("event_id").loc["c", "count_low"] == 501

    def test_shipped_default(self):
        view = ViewParams(start=D(2020, 1, 1), end=D(2023, 12, 31), match="within")
        data = load_view_data(view)
        assert data.summary.people_low == 670
        references = data.events[data.events["same_event_as"].eq("")]
        assert len(references) == 4
        assert set(data.events["same_event_as"]) - {""} <= set(references["event_id"])
