"""Places and coordinates end to end: every case is one row of one table, checked exactly."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.reference import load_reference
from geo.validate import validate_table
from tests.adversarial.corpus import raw_table

HEADER = ("event_id", "date", "place_names", "admin1_codes", "lat", "lon", "source_url")
GAZ = "not in the gazetteer (data/places.csv): "
ALONE = (
    "; the row has no other location (correct the name, add admin1_codes or lat/lon, or set "
    "geo_precision to place to keep the row listed but not mapped)"
)
CODES = (
    "; give ISO 3166-2 codes (CN-JL, KP-09) or names (Jilin, North Hamgyong), several "
    "separated by |"
)
NUMBER = "must be a number in decimal degrees (e.g. 40.1)"
DANDONG = ("cn-dandong", "", 40.12917, 124.39472, "place")

# (place_names, admin1_codes, lat, lon) -> problems [(column, severity, message)] and the
# event's (place_ids, admin1_codes, lat, lon, geo_precision), or None when it is excluded.
CASES = [
    (("Dandong", "", "", ""), [], DANDONG),
    (("丹东", "", "", ""), [], DANDONG),
    (("丹東市", "", "", ""), [], DANDONG),
    (("단둥", "", "", ""), [], DANDONG),
    (("  DAN-DONG ", "", "", ""), [], DANDONG),
    (("Dandongg", "", "", ""),
     [("place_names", "error", GAZ + "'Dandongg' (did you mean 'Dandong'?)" + ALONE)], None),
    (("Atlantis", "", "", ""), [("place_names", "error", GAZ + "'Atlantis'" + ALONE)], None),
    (("Atlantis", "CN-JL", "", ""), [("place_names", "warning", GAZ + "'Atlantis'")],
     ("", "CN-JL", math.nan, math.nan, "admin1")),
    (("Dandong|Atlantis", "", "", ""), [("place_names", "warning", GAZ + "'Atlantis'")],
     DANDONG),
    (("", "Jilin", "", ""), [], ("", "CN-JL", math.nan, math.nan, "admin1")),
    (("", "jilin | North Hamgyong|cn-jl", "", ""), [],
     ("", "CN-JL|KP-09", math.nan, math.nan, "admin1")),
    (("", "CN-GD", "", ""), [], ("", "CN-GD", math.nan, math.nan, "admin1")),
    (("", "KP-14", "", ""), [], ("", "KP-14", math.nan, math.nan, "admin1")),
    (("", "CN-XX", "", ""),
     [("admin1_codes", "error", "unknown province code or name: 'CN-XX'" + CODES)], None),
    (("", "Jillin", "", ""),
     [("admin1_codes", "error", "unknown province code or name: 'Jillin' (did you mean "
       "'Jilin'?)" + CODES)], None),
    (("", "", "41.8", "126.9"), [], ("", "", 41.8, 126.9, "point")),
    (("Dandong", "", "40.1", "124.4"), [], ("cn-dandong", "", 40.1, 124.4, "point")),
    (("", "", "126.9", "41.8"),
     [("lat", "error", "lat/lon look swapped: lat is the north-south number (33–50 here), "
       "lon the east-west one (115–136)")], None),
    (("", "", "95", "200"),
     [("lat", "error", "lat must be within -90..90 and lon within -180..180")], None),
    (("", "", "38.5", "124.0"),
     [("lat", "error", "point is in the sea (not on land in the map area)")], None),
    (("", "", "51.5", "-0.1"),
     [("lat", "warning", "point is outside the map area (lon 115–136, lat 33–50); kept and "
       "counted as outside it, not drawn")], ("", "", 51.5, -0.1, "point")),
    (("", "", "0", "0"),
     [("lat", "error", "lat/lon 0, 0 is where a missing point defaults to; leave both empty or "
       "give the event's point")], None),
    (("", "", "41.8", ""), [("lat", "error", "give both lat and lon, or neither")], None),
    (("", "", "", "126.9"), [("lat", "error", "give both lat and lon, or neither")], None),
    (("", "", "inf", "126.9"), [("lat", "error", "lat " + NUMBER)], None),
    (("", "", "nan", "126.9"), [("lat", "error", "lat " + NUMBER)], None),
    (("", "", "41°48′N", "126.9"), [("lat", "error", "lat " + NUMBER)], None),
    (("", "", "41,8", "126,9"),
     [("lat", "error", "lat " + NUMBER), ("lon", "error", "lon " + NUMBER)], None),
]  # fmt: skip


@pytest.fixture(scope="module")
def table():
    rows = [(f"e{i}", "2024", *cells, "https://a.org") for i, (cells, _, _) in enumerate(CASES)]
    return validate_table(raw_table(rows, HEADER), load_reference())


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[str(c[0]) for c in CASES])
def test_location_case(table, index, case):
    _, problems, expected = case
    number = index + 2
    assert [(p.column, p.severity, p.message) for p in table.problems if p.row == number] == (
        problems
    )
    found = table.events[table.events["row"] == number]
    if expected is None:
        assert found.empty
        return
    event = found.iloc[0]
    place_ids, codes, lat, lon, precision = expected
    assert (event["place_ids"], event["admin1_codes"], event["geo_precision"]) == (
        place_ids, codes, precision,
    )  # fmt: skip
    if math.isnan(lat):
        assert math.isnan(event["lat"]) and event["geometry"] is None
    else:
        assert (event["lat"], event["lon"]) == (lat, lon)
        assert (event["geometry"].x, event["geometry"].y) == (lon, lat)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
) | st.sampled_from(
    ["Dandong", "丹东", "단둥", "Sinuiju", "Hyesan", "Jilin", "CN-JL", "KP-09"]
).map(lambda s: s.upper() + " ")


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_place_and_province_lookups_return_a_name_or_none(text):
    reference = load_reference()
    gazetteer, provinces = reference.gazetteer, reference.province_codes
    for value in (gazetteer.resolve(text), gazetteer.suggest(text)):
        assert value is None or isinstance(value, str)
    place_id = gazetteer.resolve(text)
    assert place_id is None or place_id in gazetteer.frame.index
    code = provinces.resolve(text)
    assert code is None or code in provinces.codes
    assert provinces.suggest(text) is None or isinstance(provinces.suggest(text), str)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NAMES, NAMES, NAMES, NAMES), min_size=1, max_size=20))
def test_any_location_cells_give_an_event_or_a_named_error(cells):
    rows = [(f"e{i}", "2024", *c, "https://a.org") for i, c in enumerate(cells)]
    result = validate_table(raw_table(rows, HEADER), load_reference())
    kept = set(result.events["row"])
    for number in range(2, len(cells) + 2):
        errors = [p for p in result.problems if p.row == number and p.severity == "error"]
        assert (number in kept) == (not errors)
        locations = {"place_names", "admin1_codes", "lat", "lon", "geo_precision"}
        assert all(p.column in locations for p in errors)


def test_a_row_without_any_location_is_kept_with_a_warning():
    rows = [("e1", "2024", "Dandong", "", "", "", "https://a.org"),
            ("e2", "2024", "", "", "", "", "https://a.org")]  # fmt: skip
    result = validate_table(raw_table(rows, HEADER), load_reference())
    row_problems = [p for p in result.problems if p.row]  # row 0: no event_type column
    assert [(p.row, p.column, p.severity) for p in row_problems] == [(3, "place_names", "warning")]
    assert row_problems[0].message.startswith("no location given")
    assert result.events["geo_precision"].tolist() == ["place", "country"]
