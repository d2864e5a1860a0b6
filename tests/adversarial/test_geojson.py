"""GeoJSON end to end: geometries, CRS, null geometries, hostile JSON structure."""

import json

import pytest

from geo.errors import Problem
from geo.validate import load_events
from tests.adversarial.corpus import feature, geojson_bytes, point, props

EXPORT = "Export the layer as GeoJSON in WGS84 / EPSG:4326 (longitude, latitude in degrees)."
BOWTIE = {"type": "Polygon", "coordinates": [[[126, 41], [127, 42], [127, 41], [126, 42],
                                              [126, 41]]]}  # fmt: skip


def load(features, crs=None):
    return load_events(geojson_bytes(features, crs), "events.geojson")


def test_points_become_lat_lon():
    result = load([feature(props(), point(126.9, 41.8))])
    assert result.problems == []
    assert (result.events.loc[0, "lat"], result.events.loc[0, "lon"]) == (41.8, 126.9)
    assert result.events["row"].tolist() == [1]


def test_null_geometry_with_a_province_is_kept():
    result = load([feature(props(admin1_codes="CN-LN"), None)])
    assert result.problems == []
    assert result.events.loc[0, "admin1_codes"] == "CN-LN"
    assert result.events.loc[0, "geometry"] is None


def test_null_geometry_and_unknown_place_is_an_error():
    result = load([feature(props(place_names="Atlantis"), None)])
    assert result.valid == 0
    [problem] = result.problems
    assert (problem.row, problem.column, problem.severity) == (1, "place_names", "error")


@pytest.mark.parametrize(
    ("geometry", "kind"),
    [(BOWTIE, "Polygon"), ({"type": "LineString", "coordinates": [[126, 41], [127, 42]]},
                           "LineString"),
     ({"type": "Polygon", "coordinates": [[[126, 41]]]}, "Polygon")],
)  # fmt: skip
def test_non_point_geometries_are_reported_and_not_used(geometry, kind):
    result = load([feature(props(admin1_codes="CN-JL"), geometry)])
    assert result.problems == [
        Problem(1, "", kind, "warning", f"Feature 1 has a {kind} geometry: only Point geometries "
                "are used as event locations; the row is kept with its other location columns.")
    ]  # fmt: skip
    assert result.events.loc[0, "geo_precision"] == "admin1"


@pytest.mark.parametrize(
    "coordinates", [[], ["126.9", "41.8"], [None, None], [126.9], [[126.9, 41.8]]]
)
def test_malformed_points_name_the_feature(coordinates):
    bad = {"type": "Point", "coordinates": coordinates}
    result = load([feature(props(), point(126.9, 41.8)), feature(props(event_id="e2"), bad)])
    assert result.events["event_id"].tolist() == ["e1"]
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.row, problem.severity, problem.value) == (2, "error", json.dumps(coordinates))
    assert problem.message == (
        "Feature 2 has a Point without two numeric coordinates [longitude, latitude]."
    )


@pytest.mark.parametrize("crs", [None, "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84"])
def test_projected_coordinates_are_refused_whatever_the_crs_says(crs):
    result = load([feature(props(event_id=f"e{i}"), point(14_100_000, 5_100_000))
                   for i in range(3)], crs)  # fmt: skip
    assert result.valid == 0
    [problem] = result.problems
    assert (problem.row, problem.severity, problem.value) == (0, "error", "14100000, 5100000")
    assert problem.message == (
        "3 of 3 points lie outside longitude ±180 / latitude ±90 (e.g. 14100000, 5100000): the "
        f"coordinates look projected (e.g. metres). {EXPORT}"
    )


@pytest.mark.parametrize("crs", ["EPSG:3857", "urn:ogc:def:crs:EPSG::32652"])
def test_a_projected_crs_is_refused(crs):
    result = load([feature(props(), point(126.9, 41.8))], crs)
    assert result.problems == [
        Problem(0, "", crs, "error", f"The file declares the coordinate reference system "
                f"{crs!r}: its coordinates look projected (e.g. metres). {EXPORT}")
    ]  # fmt: skip


def test_swapped_points_are_refused_as_swapped():
    result = load([feature(props(), point(41.8, 126.9))])
    assert result.problems == [
        Problem(0, "", "41.8, 126.9", "error", "1 of 1 points lie outside longitude ±180 / "
                "latitude ±90 (e.g. 41.8, 126.9): the coordinates look like [latitude, "
                f"longitude]; GeoJSON writes [longitude, latitude]. {EXPORT}")
    ]  # fmt: skip


def test_one_swapped_point_among_good_ones_names_its_feature():
    good = [feature(props(event_id=f"e{i}"), point(126.9, 41.8 + i / 100)) for i in range(3)]
    result = load([*good, feature(props(event_id="x"), point(41.8, 126.9))])
    assert result.events["event_id"].tolist() == ["e0", "e1", "e2"]
    assert [(p.row, p.severity, p.message) for p in result.problems] == [
        (4, "error", "Feature 4's Point (41.8, 126.9) lies outside longitude ±180 / latitude ±90."),
        (
            4,
            "error",
            "lat/lon look swapped: lat is the north-south number (33–50 here), lon the east-west "
            "one (115–136)",
        ),
    ]


def test_deeply_nested_json_is_refused_quickly():
    data = b'{"type":"FeatureCollection","features":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    [problem] = load_events(data, "a.geojson").problems
    assert (
        problem.message == f"The file's JSON is nested too deeply to be GeoJSON features. {EXPORT}"
    )


def test_truncated_json_names_line_and_column():
    data = geojson_bytes([feature(props(), point(126.9, 41.8))])[:-20]
    [problem] = load_events(data, "a.geojson").problems
    assert problem.row == 0
    assert problem.message.startswith("The file is not valid JSON: Unterminated string")
    assert "line 1, column" in problem.message and "export it again" in problem.message


@pytest.mark.parametrize(
    ("value", "text"),
    [(60, "60"), (7.0, "7"), (7.5, "7.5"), (True, "true"), (None, ""), ({"a": 1}, '{"a": 1}'),
     ([1, 2], "[1, 2]"), ("N/A", "N/A"), ("null", "null")],
)  # fmt: skip
def test_property_values_become_text(value, text):
    result = load([feature(props(notes=value), point(126.9, 41.8))])
    assert result.events.loc[0, "notes"] == text
