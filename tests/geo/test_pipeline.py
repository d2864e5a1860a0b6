import dataclasses
import datetime as dt

import pytest

from geo.pipeline import Dataset, ViewData, build_view, load_dataset, load_shipped_dataset
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


class TestBuildView:
    def test_events_and_summary_agree(self, joined):
        view = ViewParams(start=D(2024, 4, 26), end=D(2024, 4, 26), match="within")
        data = build_view(joined, view)
        assert isinstance(data, ViewData) and data.view is view
        # The claim dated the 27th travels with its reference row.
        assert data.events["event_id"].tolist() == ["a", "b"]
        assert (data.summary.events, data.summary.people.low) == (1, 60)
        assert data.summary.start == D(2024, 4, 26)

    def test_filters_once(self, joined, monkeypatch):
        import geo.pipeline

        calls = []
        real = geo.pipeline.filter_events
        monkeypatch.setattr(
            geo.pipeline, "filter_events", lambda *a: calls.append(1) or real(*a)
        )
        build_view(joined, ViewParams())
        assert calls == [1]

    def test_frozen(self, joined):
        data = build_view(joined, ViewParams())
        with pytest.raises(dataclasses.FrozenInstanceError):
            data.view = ViewParams(types=())


class TestLoad:
    def test_bytes_source_read_validated_joined(self):
        dataset = load_dataset(CSV.encode(), filename="events.csv")
        assert isinstance(dataset, Dataset)
        assert (dataset.name, dataset.rows, dataset.errors) == ("events.csv", 3, ())
        view = ViewParams(start=D(2024, 1, 1), end=D(2024, 12, 31))
        data = build_view(dataset.events, view)
        events = data.events.set_index("event_id")
        assert events.index.tolist() == ["a", "b"]
        assert events.loc["a", "provinces"] == "CN-JL|CN-LN" and events.loc["a", "shared"]
        assert events.loc["b", ["provinces", "sector_id"]].tolist() == ["CN-JL", "CN-JL|KP-10"]
        assert data.summary.by_province["CN-LN"].shared_events == 1

    def test_path_source_named_after_file(self, tmp_path):
        path = tmp_path / "mine.csv"
        path.write_text(CSV.replace("more than 500", "more than 501"), encoding="utf-8")
        dataset = load_dataset(path)
        assert dataset.name == "mine.csv"
        assert dataset.events.set_index("event_id").loc["c", "count_low"] == 501

    def test_unreadable_file_is_one_problem(self):
        dataset = load_dataset(b"\x00\x01\x02", filename="broken.csv")
        assert dataset.events.empty and len(dataset.errors) == 1
        assert dataset.errors[0].row == 0

    def test_shipped_default(self):
        view = ViewParams(start=D(2020, 1, 1), end=D(2023, 12, 31), match="within")
        data = build_view(load_shipped_dataset().events, view)
        assert data.summary.people.low == 670
        references = data.events[data.events["same_event_as"].eq("")]
        assert len(references) == 4
