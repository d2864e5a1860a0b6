"""geo.stream: a Parquet file summarised batch by batch says what the whole file says."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

import geo.stream
import geo.validate.earlier
from geo.by_year import year_province_table
from geo.pipeline import build_view, load_dataset
from geo.read.common import LOCAL
from geo.read.parquet import ParquetSource, read_parquet
from geo.reference import load_reference, paths
from geo.stream import summarise_parquet
from geo.validate.earlier import NO_ROW, FirstRows
from geo.view import ViewParams

VIEWS = [
    ViewParams(),
    ViewParams(start=dt.date(2010, 1, 1), end=dt.date(2019, 12, 31), match="overlap"),
    ViewParams(types=("forced_return", "report", "detention"), match="within"),
]


def mixed_events() -> pd.DataFrame:
    """The shipped events (claims, reports, cross-checks) with bad rows and repeats added.

    Batches of a few rows then split events from their claims both ways (a claim after its
    event, an event after its claims), repeat ids and rows of earlier batches, and put bad
    rows in every batch.
    """
    frame = pd.read_csv(paths.EVENTS_CSV, dtype=str, keep_default_na=False)
    claimed = frame.loc[frame["same_event_as"].ne(""), "same_event_as"].iloc[0]
    late_event = frame[frame["event_id"].eq(claimed)]
    bad = frame.iloc[[1, 40, 90]].assign(event_id=["bad1", "bad2", "bad3"], date_start="2020-13-45")
    late_claim = frame[frame["same_event_as"].ne("")].iloc[[-1]].assign(event_id="late-claim")
    # claims that would count nowhere, before and after what they name: refused
    some_claim = frame[frame["same_event_as"].ne("")].iloc[[0]]
    targets = ["bad2", "late-claim", "nowhere"]
    unlinked = pd.concat(
        some_claim.assign(event_id=f"unlinked-{n}", same_event_as=t) for n, t in enumerate(targets)
    )
    return pd.concat(
        [
            unlinked.iloc[:2],
            frame[frame["event_id"].ne(claimed)],
            bad,
            frame.iloc[[3, 60]],  # ids and rows repeated many batches later
            frame.iloc[10:14].assign(event_id=lambda f: f["event_id"] + "-copy"),
            late_claim,
            late_event,
            unlinked.iloc[2:],
            some_claim.assign(event_id="after-bad", same_event_as="bad3"),
        ],
        ignore_index=True,
    )


@pytest.fixture(scope="module")
def reference():
    return load_reference()


@pytest.fixture(scope="module")
def mixed_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "mixed.parquet"
    mixed_events().to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def whole(mixed_file, reference):
    return load_dataset(mixed_file, reference=reference, limits=LOCAL)


def problems(found) -> list[tuple]:
    return [(p.row, p.column, p.value, p.severity, p.message, p.more_rows) for p in found]


@pytest.mark.parametrize(
    ("view", "batch_rows"),
    [(VIEWS[0], 5), (VIEWS[1], 7), (VIEWS[2], 64), (VIEWS[0], 10_000)],
    ids=["default-5", "overlap-7", "within-64", "whole-file"],
)
def test_streamed_summary_equals_the_whole_files(mixed_file, whole, reference, view, batch_rows):
    data = build_view(whole.events, view)
    streamed = summarise_parquet(
        mixed_file, view, reference=reference, by_year=True, batch_rows=batch_rows
    )
    assert streamed.summary == data.summary
    assert streamed.summary.to_dict() == data.summary.to_dict()
    assert streamed.by_year is not None
    assert streamed.by_year.equals(year_province_table(data.events))
    assert (streamed.rows, streamed.valid) == (whole.rows, len(whole.events))
    assert problems(streamed.problems) == problems(whole.problems)


def test_the_mixed_file_has_what_crosses_batches(mixed_file, whole):
    """The file exercises claims, cross-checks, repeats and errors (else the test proves less)."""
    summary = build_view(whole.events, VIEWS[0]).summary
    assert summary.cross_checks and summary.conflicting_events
    messages = [p.message for p in whole.problems]
    assert any(m.startswith("duplicate event_id; first used on row") for m in messages)
    assert any(m.startswith("same content as row") for m in messages)
    assert sum(p.severity == "error" for p in whole.problems) >= 5
    assert whole.events["event_id"].eq("late-claim").any()
    unlinked = {p.value: p.message for p in whole.problems if p.column == "same_event_as"}
    assert unlinked["bad2"].endswith("which is refused (see its errors), so this claim would "
                                     "count in no total; correct that row")  # fmt: skip
    assert "itself a claim" in unlinked["late-claim"]
    assert unlinked["nowhere"].startswith("same_event_as names no event_id in this file")
    assert not whole.events["event_id"].str.startswith("unlinked").any()


def test_no_step_holds_more_than_a_batch_of_rows(mixed_file, reference, monkeypatch):
    """Reading, validating and joining never see more than ``batch_rows`` rows at once.

    Only the rows held back (claims and reports, module doc) are joined together, once.
    """
    seen: dict[str, list[int]] = {"validate": [], "join": []}
    validate, join = geo.stream.validate_table, geo.stream.join_events

    def counted_validate(raw, *args, **kwargs):
        seen["validate"].append(len(raw.frame))
        return validate(raw, *args, **kwargs)

    def counted_join(events, *args, **kwargs):
        seen["join"].append(len(events))
        return join(events, *args, **kwargs)

    monkeypatch.setattr(geo.stream, "validate_table", counted_validate)
    monkeypatch.setattr(geo.stream, "join_events", counted_join)
    streamed = summarise_parquet(mixed_file, ViewParams(), reference=reference, batch_rows=16)
    batches = math.ceil(streamed.rows / 16)
    assert len(seen["validate"]) >= batches and max(seen["validate"]) <= 16
    *each, held = seen["join"]
    assert len(each) == batches and max(each) <= 16
    kept = pd.read_parquet(mixed_file)
    assert held <= kept["same_event_as"].ne("").sum() * 2 + kept["event_type"].eq("report").sum()


def test_batches_number_rows_as_the_file_and_hold_its_cells(mixed_file):
    source = ParquetSource(mixed_file, mixed_file.stat().st_size)
    tables = list(source.batches(5))
    assert [len(t.frame) for t in tables[:-1]] == [5] * (len(tables) - 1)
    joined = pd.concat([t.frame for t in tables], ignore_index=True)
    whole = read_parquet(mixed_file.read_bytes()).frame
    pd.testing.assert_frame_equal(joined, whole)


def test_geoparquet_points_and_their_problems_keep_the_files_rows(tmp_path, reference):
    shapes = [Point(124.39 + n / 100, 40.13) for n in range(9)]
    shapes[6] = Polygon([(124, 40), (125, 40), (125, 41)])
    frame = gpd.GeoDataFrame(
        {"event_id": [f"e{n}" for n in range(9)], "date": ["2024-04-26"] * 9, "count": "5"},
        geometry=shapes,
        crs="EPSG:4326",
    )
    path = tmp_path / "events.geoparquet"
    frame.to_parquet(path)
    whole = load_dataset(path, reference=reference, limits=LOCAL)
    streamed = summarise_parquet(path, ViewParams(), reference=reference, batch_rows=4)
    assert problems(streamed.problems) == problems(whole.problems)
    assert any(p.row == 7 and "Polygon geometry" in p.message for p in streamed.problems)
    assert streamed.summary == build_view(whole.events, ViewParams()).summary


def test_a_file_that_cannot_be_read_gives_its_problem_and_no_events(tmp_path, reference):
    path = tmp_path / "events.parquet"
    path.write_bytes(b"not parquet")
    streamed = summarise_parquet(path, ViewParams(), reference=reference)
    [problem] = streamed.errors
    assert problem.row == 0 and "not a Parquet file" in problem.message
    assert (streamed.valid, streamed.summary.events) == (0, 0)


def test_first_rows_keep_the_lowest_row_across_merged_runs(monkeypatch):
    monkeypatch.setattr(geo.validate.earlier, "MAX_RUN", 8)
    rows = FirstRows(100)
    values = np.array([5, 3, 9, 3, 7, 1, 5, 2, 8, 6, 4, 0], dtype=np.uint64)
    for start in range(0, 12, 3):
        part = slice(start, start + 3)
        rows.add(values[part], np.arange(start, start + 3)[::-1][: len(values[part])][::-1] + 10)
    assert len(rows) == 10
    lookup = rows.first(np.array([3, 5, 0, 11], dtype=np.uint64))
    assert lookup.tolist() == [11, 10, 21, NO_ROW]
