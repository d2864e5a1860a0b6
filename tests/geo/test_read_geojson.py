"""geo.read on GeoJSON: properties as columns, Point coordinates, CRS, malformed JSON."""

import json

import pytest

from geo.errors import InputFileError
from geo.read import read_table
from geo.read.geojson import json_text, read_geojson


def feature(properties=None, geometry=None):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def collection(*features, **members) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **members}).encode()


def records(table):
    return table.frame.to_dict("records")


class TestProperties:
    def test_properties_and_point(self):
        data = collection(
            feature({"event_id": "e1", "count": 60, "note": None}, point(124.39472, 40.12917)),
            feature({"event_id": "e2", "date": "2024-04"}, None),
        )
        table = read_table(data, "events.geojson")
        assert (table.format, table.encoding) == ("geojson", "utf-8")
        assert records(table) == [
            {"event_id": "e1", "count": "60", "note": "", "date": "", "lat": "40.12917",
             "lon": "124.39472", "row": 1},
            {"event_id": "e2", "count": "", "note": "", "date": "2024-04", "lat": "", "lon": "",
             "row": 2},
        ]  # fmt: skip
        assert table.problems == []

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (None, ""),
            (True, "true"),
            (7, "7"),
            (600.0, "600"),
            (0.5, "0.5"),
            ("007", "007"),
            ("N/A", "N/A"),
            (["a", "단둥"], '["a", "단둥"]'),
            ({"k": 1}, '{"k": 1}'),
        ],
    )
    def test_json_text(self, value, text):
        assert json_text(value) == text

    def test_single_feature(self):
        data = json.dumps(feature({"a": "x"}, point(125, 41))).encode()
        assert records(read_table(data, "a.json")) == [
            {"a": "x", "lat": "41", "lon": "125", "row": 1}
        ]

    def test_sniffed_without_a_name(self):
        table = read_table(b"  \n" + collection(feature({"a": "x"})))
        assert table.format == "geojson"

    def test_no_features(self):
        table = read_table(collection(), "a.geojson")
        assert list(table.frame.columns) == ["lat", "lon", "row"]
        assert [(p.row, p.severity) for p in table.problems] == [(0, "warning")]

    def test_reserved_row_property(self):
        table = read_table(collection(feature({"row": 9, "a": "x"})), "a.geojson")
        assert records(table) == [{"a": "x", "lat": "", "lon": "", "row": 1}]
        assert table.problems[0].column == "row"

    def test_long_cell(self):
        table = read_geojson(collection(feature({"a": "x" * 30})), "utf-8", max_cell_chars=20)
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (1, "a", "error")


class TestCoordinates:
    def test_properties_win_and_disagreement_is_a_warning(self):
        data = collection(
            feature({"lat": "40.1", "lon": "124.4"}, point(124.4, 40.1)),
            feature({"lat": "41.0", "lon": "124.4"}, point(124.4, 40.1)),
        )
        table = read_table(data, "a.geojson")
        assert [(r["lat"], r["lon"]) for r in records(table)] == [
            ("40.1", "124.4"),
            ("41.0", "124.4"),
        ]
        [problem] = table.problems
        assert (problem.row, problem.column, problem.value) == (2, "lat", "41.0")
        assert "differs from the Point geometry's lat (40.1); the property is used" in (
            problem.message
        )

    def test_alias_properties_are_filled_from_the_point_when_empty(self):
        data = collection(feature({"Latitude": "", "lng": None}, point(124.4, 40.1)))
        table = read_table(data, "a.geojson")
        assert records(table) == [{"Latitude": "40.1", "lng": "124.4", "row": 1}]
        assert table.problems == []

    def test_non_point_geometry_is_reported_and_row_kept(self):
        line = {"type": "LineString", "coordinates": [[124, 40], [125, 41]]}
        table = read_table(collection(feature({"place_names": "Dandong"}, line)), "a.geojson")
        assert records(table) == [{"place_names": "Dandong", "lat": "", "lon": "", "row": 1}]
        [problem] = table.problems
        assert (problem.row, problem.severity, problem.value) == (1, "warning", "LineString")
        assert "only Point geometries are used as event locations" in problem.message

    def test_malformed_point_is_an_error(self):
        table = read_table(collection(feature({}, {"type": "Point", "coordinates": ["x"]})),
                           "a.geojson")  # fmt: skip
        assert [(p.row, p.severity) for p in table.problems] == [(1, "error")]

    def test_a_few_points_out_of_range_are_row_errors(self):
        data = collection(feature({}, point(124, 40)), feature({}, point(124, 95)),
                          feature({}, point(125, 41)))  # fmt: skip
        table = read_table(data, "a.geojson")
        [problem] = table.problems
        assert (problem.row, problem.severity) == (2, "error")
        assert "outside longitude ±180 / latitude ±90" in problem.message

    def test_projected_coordinates_are_refused(self):
        data = collection(
            feature({}, point(13850000.5, 4890000)),
            feature({}, point(13850001, 4890002)),
            feature({}, point(124, 40)),
        )
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.geojson")
        message = info.value.problem.message
        assert "coordinates look projected (e.g. metres)" in message
        assert "WGS84 / EPSG:4326" in message

    @pytest.mark.parametrize("name", ["urn:ogc:def:crs:EPSG::3857", "EPSG:32652"])
    def test_projected_crs_is_refused(self, name):
        crs = {"type": "name", "properties": {"name": name}}
        with pytest.raises(InputFileError, match="look projected") as info:
            read_table(collection(crs=crs), "a.geojson")
        assert info.value.problem.value == name

    @pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"])
    def test_wgs84_crs_is_accepted(self, name):
        crs = {"type": "name", "properties": {"name": name}}
        assert read_table(collection(feature({}, point(124, 40)), crs=crs), "a.geojson")


class TestRefused:
    def test_truncated_json_names_line_and_column(self):
        data = collection(feature({"a": "x"}))[:-10]
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.geojson")
        assert "not valid JSON" in info.value.problem.message
        assert "line 1, column" in info.value.problem.message

    def test_error_on_a_later_line(self):
        data = b'{\n "type": "FeatureCollection",\n "features": [,]\n}'
        with pytest.raises(InputFileError, match="line 3, column 15"):
            read_table(data, "a.geojson")

    def test_deeply_nested(self):
        with pytest.raises(InputFileError, match="nested too deeply"):
            read_table(b"[" * 100_000 + b"]" * 100_000, "a.json")

    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            (b'{"type": "Topology"}', "its type is 'Topology'"),
            (b"[1, 2]", "not a GeoJSON FeatureCollection"),
            (b'{"type": "FeatureCollection", "features": 3}', "not a GeoJSON FeatureCollection"),
        ],
    )
    def test_not_geojson(self, data, fragment):
        with pytest.raises(InputFileError, match=fragment):
            read_table(data, "a.geojson")

    def test_feature_that_is_not_an_object(self):
        table = read_table(collection(feature({"a": "x"}), 5), "a.geojson")
        assert [(p.row, p.severity) for p in table.problems] == [(2, "error")]
        assert table.frame["row"].tolist() == [1, 2]


class TestWorkBudgets:
    def test_features_with_different_properties_fill_the_others_with_empty_cells(self):
        data = collection(*[feature({f"k{n % 3}": str(n)}) for n in range(6)])
        table = read_table(data, "a.geojson")
        assert [(r["k0"], r["k1"], r["k2"]) for r in records(table)] == [
            ("0", "", ""), ("", "1", ""), ("", "", "2"), ("3", "", ""), ("", "4", ""),
            ("", "", "5"),
        ]  # fmt: skip

    def test_property_names_are_counted(self):
        names = {f"p{n}": "x" for n in range(199)}
        table = read_table(collection(feature(names), feature({"p_last": "y"})), "a.geojson")
        assert len(table.frame.columns) == 200 + 3  # properties, lat, lon and row
        with pytest.raises(InputFileError) as info:
            read_table(collection(feature(names), feature({"a": 1, "b": 2})), "a.geojson")
        problem = info.value.problem
        assert problem.message.startswith(
            "The file's features have more than 200 different property names (feature 2 adds "
            "'b'); at most 200 distinct columns are read"
        )
        assert problem.value == "p0, p1, p2, p3, p4"

    def test_the_reserved_name_does_not_count(self):
        names = {f"p{n}": "x" for n in range(200)}
        table = read_table(collection(feature({**names, "row": 1})), "a.geojson")
        assert [p.column for p in table.problems] == ["row"]

    @pytest.mark.parametrize(("text", "count"), [("[" * 10 + "]" * 10, 10), ("{}," * 5, 5)])
    def test_objects_and_arrays_are_counted_before_parsing(self, monkeypatch, text, count):
        from geo.read import geojson

        monkeypatch.setattr(geojson, "MAX_JSON_CONTAINERS", 4)
        data = b'{"type":"FeatureCollection","features":[' + text.encode() + b"]}"
        with pytest.raises(InputFileError, match=f"opens {count + 2} objects and arrays"):
            read_table(data, "a.geojson")

    def test_values_are_counted_before_parsing(self, monkeypatch):
        from geo.read import geojson

        data = collection(feature({"a": 1, "b": 2}))
        monkeypatch.setattr(geojson, "MAX_JSON_VALUES", data.count(b","))
        read_table(data, "a.geojson")
        with pytest.raises(InputFileError, match=f"holds {data.count(b',') + 1} values"):
            read_table(collection(feature({"a": 1, "b": 2, "c": 3})), "a.geojson")

    def test_a_nested_value_bigger_than_a_cell_is_not_written_out(self):
        table = read_geojson(collection(feature({"a": list(range(20)), "b": [1, [2]]})),
                             "utf-8", max_cell_chars=10)  # fmt: skip
        assert records(table)[0]["a"] == "" and records(table)[0]["b"] == "[1, [2]]"
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (1, "a", "error")
        assert problem.message == (
            "Property 'a' holds a list or object of more than 10 values, longer than a cell may "
            "be (10 characters). Keep only what the events need and export the file again."
        )

    @pytest.mark.parametrize(("digits", "read"), [(100, True), (101, False)])
    def test_integers_longer_than_100_digits_are_not_converted(self, digits, read):
        number = "-" + "9" * digits
        data = b'{"type":"Feature","properties":{"n":' + number.encode() + b"}}"
        table = read_table(data, "a.geojson")
        assert records(table)[0]["n"] == number
        assert [p.column for p in table.problems] == ([] if read else ["n"])

    def test_a_lone_surrogate_never_reaches_a_message_or_a_cell(self):
        data = b'{"type":"FeatureCollection","crs":{"properties":{"name":"\\udfff"}},"features":[]}'
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.geojson")
        assert "'\ufffd'" in info.value.problem.message
        table = read_table(collection(feature({"a": ["\ud800"]})), "a.geojson")
        assert records(table)[0]["a"] == '["\ufffd"]'
        assert table.problems[0].column == "a"
