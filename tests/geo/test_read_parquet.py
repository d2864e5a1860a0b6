"""geo.read on Parquet and GeoParquet: cells as text, row numbers, geometry, limits."""

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from geo.errors import InputFileError
from geo.read import read_table
from geo.validate import load_events


def parquet(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out)
    return out.getvalue()


def records(table):
    return table.frame.to_dict("records")


def test_values_become_the_text_a_person_writes():
    frame = pd.DataFrame(
        {
            "event_id": ["a", "b", None],
            "count": pd.array([60, None, 7], dtype="Int64"),
            "share": [1.5, 2.0, np.nan],
            "confirmed": pd.array([True, False, None], dtype="boolean"),
            "date": pd.to_datetime(["2024-04-26", "2023-01-01", None]),
            "seen": pd.to_datetime(["2024-04-26 10:00:05.5", "2023-01-01 00:00:00.0", None]),
            "local": pd.to_datetime(["2024-04-26", "2023-01-01", None]).tz_localize("Asia/Seoul"),
        }
    )
    table = read_table(parquet(frame), "events.parquet")
    assert records(table) == [
        {"event_id": "a", "count": "60", "share": "1.5", "confirmed": "true",
         "date": "2024-04-26", "seen": "2024-04-26 10:00:05", "local": "2024-04-26", "row": 1},
        {"event_id": "b", "count": "", "share": "2", "confirmed": "false",
         "date": "2023-01-01", "seen": "2023-01-01 00:00:00", "local": "2023-01-01", "row": 2},
        {"event_id": "", "count": "7", "share": "", "confirmed": "", "date": "", "seen": "",
         "local": "", "row": 3},
    ]  # fmt: skip
    assert (table.format, table.problems) == ("parquet", [])


def test_columns_of_other_types_are_named_not_read():
    table = read_table(parquet(pd.DataFrame({"id": ["a"], "tags": [[1, 2]]})), "x.parquet")
    assert list(table.frame.columns) == ["id", "row"]
    [problem] = table.problems
    assert (problem.row, problem.column, problem.severity) == (0, "tags", "warning")
    assert "not read as cells" in problem.message


def test_the_format_is_told_by_the_bytes_without_a_name():
    assert read_table(parquet(pd.DataFrame({"id": ["a"]}))).format == "parquet"


def test_a_damaged_file_is_refused_saying_so():
    data = parquet(pd.DataFrame({"id": ["a"] * 10}))
    with pytest.raises(InputFileError) as info:
        read_table(data[: len(data) // 2], "x.parquet")
    assert info.value.problem.message.startswith("The file is not a Parquet file that can be read")


def test_more_cells_than_its_data_are_refused(monkeypatch):
    from geo.read import common

    monkeypatch.setattr(common, "MAX_CELLS", 10)
    data = parquet(pd.DataFrame({"id": ["same"] * 5_000}))  # dictionary-encoded: a few bytes
    with pytest.raises(InputFileError) as info:
        read_table(data, "x.parquet")
    assert info.value.problem.message.startswith("The file has more than ")
    assert "(5,000 records × 1 columns)" in info.value.problem.message


class TestGeoParquet:
    def frame(self, geometry, crs="EPSG:4326", **columns):
        return gpd.GeoDataFrame(
            {"event_id": [f"e{n}" for n in range(len(geometry))], **columns},
            geometry=geometry,
            crs=crs,
        )

    def test_points_become_lat_and_lon(self):
        data = parquet(self.frame([Point(124.4, 40.1), Point(128, 42), None]))
        assert records(read_table(data, "x.geoparquet")) == [
            {"event_id": "e0", "lat": "40.1", "lon": "124.4", "row": 1},
            {"event_id": "e1", "lat": "42", "lon": "128", "row": 2},
            {"event_id": "e2", "lat": "", "lon": "", "row": 3},
        ]

    def test_other_geometries_are_reported_per_row(self):
        square = Polygon([(124, 40), (125, 40), (125, 41)])
        table = read_table(parquet(self.frame([Point(124.4, 40.1), square])), "x.parquet")
        assert table.frame["lat"].tolist() == ["40.1", ""]
        [problem] = table.problems
        assert (problem.row, problem.value, problem.severity) == (2, "Polygon", "warning")
        assert "only Point geometries are used" in problem.message

    def test_coordinate_columns_win_over_the_geometry(self):
        frame = self.frame([Point(124.4, 40.1)], latitude=["41"], longitude=["125"])
        table = read_table(parquet(frame), "x.parquet")
        assert records(table) == [
            {"event_id": "e0", "latitude": "41", "longitude": "125", "row": 1}
        ]
        assert "give different points; the coordinate columns are used" in (
            table.problems[0].message
        )
        same = self.frame([Point(124.4, 40.1)], latitude=["40.1"], longitude=["124.4"])
        assert read_table(parquet(same), "x.parquet").problems == []

    def test_a_projected_crs_is_refused(self):
        data = parquet(self.frame([Point(124.4, 40.1)]).to_crs(3857))
        with pytest.raises(InputFileError) as info:
            read_table(data, "x.parquet")
        assert "'WGS 84 / Pseudo-Mercator', not longitude/latitude" in info.value.problem.message

    def test_events_validate_from_a_geoparquet_file(self):
        frame = self.frame(
            [Point(124.39, 40.13), Point(129.5, 42.9)],
            event_type=["forced_return", "detention"],
            date=pd.to_datetime(["2024-04-26", "2023-10-09"]),
            count=pd.array([60, 500], dtype="Int64"),
            source_url=["https://example.org/a", "https://example.org/b"],
        )
        result = load_events(parquet(frame), "events.parquet")
        assert result.valid == 2, result.problems
        events = result.events
        assert events["date_start"].dt.strftime("%Y-%m-%d").tolist() == ["2024-04-26", "2023-10-09"]
        assert events["count_best"].tolist() == [60, 500]
        assert events["lat"].tolist() == [40.13, 42.9]
