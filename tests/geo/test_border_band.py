"""Points near the China–DPRK border: the border band of geo.join (issue 11).

Natural Earth's 1:10M line puts Changbai, Nanping and Sanhe in North Korea and Hyesan, Musan
and Junggang in China. Every case goes through ``geo.pipeline.load_dataset`` on a CSV with
lat/lon, as a user's ACLED, GED or GDELT file would.
"""

import numpy as np
import pytest

from geo.join import border_points
from geo.pipeline import build_view, load_dataset
from geo.reference import load_reference
from geo.view import ViewParams

#: GeoNames coordinates of the border towns (data/places.csv) and their real province.
TOWNS = {
    "Changbai": (41.41772, 128.19624, "CN-JL"),
    "Hyesan": (41.40167, 128.17778, "KP-10"),
    "Nanping": (42.26292, 129.20444, "CN-JL"),
    "Musan": (42.22609, 129.20776, "KP-09"),
    "Sanhe": (42.47532, 129.73585, "CN-JL"),
    "Hoeryong": (42.44113, 129.74601, "KP-09"),
    "Junggang": (41.77722, 126.87361, "KP-04"),
    "Manpo": (41.15472, 126.28944, "KP-04"),
    "Ji'an": (41.12818, 126.19455, "CN-JL"),
    "Sinuiju": (40.10056, 124.39806, "KP-03"),
    "Dandong": (40.12917, 124.39472, "CN-LN"),
    # Crossing points added for issue 11.
    "Sambong": (42.68867, 129.79459, "KP-09"),
    "Kyongwon": (42.81243, 130.15401, "KP-09"),
}
#: Points in the river halfway between two facing towns, and the sector they belong to.
RIVER = {
    "Changbai-Hyesan": ((41.41772 + 41.40167) / 2, (128.19624 + 128.17778) / 2, "CN-JL|KP-10"),
    "Nanping-Musan": ((42.26292 + 42.22609) / 2, (129.20444 + 129.20776) / 2, "CN-JL|KP-09"),
    "Kaishantun-Sambong": ((42.70177 + 42.68867) / 2, (129.75738 + 129.79459) / 2,
                           "CN-JL|KP-09"),
}  # fmt: skip
#: 21.6 km inside Jilin, north of Nanping.
INSIDE_CHINA = (42.46, 129.0)


def _csv(points: dict[str, tuple[float, float]]) -> bytes:
    lines = ["event_id,event_type,date_start,lat,lon,geo_precision,source_url"]
    lines += [
        f"{name},forced_return,2024-01-01,{lat},{lon},point,https://example.org/{i}"
        for i, (name, (lat, lon)) in enumerate(points.items())
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def dataset():
    points = {name: (lat, lon) for name, (lat, lon, _) in {**TOWNS, **RIVER}.items()}
    points["inside-china"] = INSIDE_CHINA
    return load_dataset(_csv(points), "border.csv")


@pytest.fixture(scope="module")
def events(dataset):
    return dataset.events.set_index("event_id")


def test_the_map_line_is_wrong_at_six_towns():
    """The premise: point-in-polygon alone puts these towns in the other country."""
    from geo.join import assign_provinces

    wrong = ["Changbai", "Hyesan", "Nanping", "Musan", "Sanhe", "Junggang"]
    lat = [TOWNS[t][0] for t in wrong]
    lon = [TOWNS[t][1] for t in wrong]
    found = assign_provinces(lon, lat, load_reference().provinces)
    assert found.tolist() == ["KP-10", "CN-JL", "KP-09", "CN-JL", "KP-09", "CN-JL"]


@pytest.mark.parametrize("town", list(TOWNS))
def test_a_towns_own_coordinates_give_its_own_country_and_province(events, town):
    row = events.loc[town]
    assert row["provinces"] == TOWNS[town][2]
    assert not row["country_uncertain"]
    assert row["map_level"] == "point"


@pytest.mark.parametrize("between", list(RIVER))
def test_a_point_in_the_river_between_two_towns_is_on_the_border(events, between):
    row = events.loc[between]
    assert row["country_uncertain"]
    assert row["provinces"] == ""
    assert (row["map_level"], row["in_map_area"]) == ("point", True)
    assert row["sector_id"] == RIVER[between][2]


def test_a_point_well_inside_china_is_untouched(events):
    row = events.loc["inside-china"]
    assert (row["provinces"], row["country_uncertain"]) == ("CN-JL", False)


def test_each_uncertain_point_gets_one_warning_naming_both_towns(dataset):
    warnings = [p for p in dataset.problems if "country uncertain" in p.message]
    assert [(p.row, p.column, p.severity) for p in warnings] == [
        (15, "lat", "warning"),
        (16, "lat", "warning"),
        (17, "lat", "warning"),
    ]
    first = warnings[0]
    assert first.value == f"{RIVER['Changbai-Hyesan'][0]}, {RIVER['Changbai-Hyesan'][1]}"
    assert "is on the China–DPRK border, within 1.5 km of the map's boundary line" in first.message
    assert "nearest places: Changbai (China) 1.2 km, Hyesan (North Korea) 1.2 km" in first.message
    assert first.message.endswith(
        "counted as on the border, country uncertain; give place_names to decide"
    )
    assert "Nanping (China) 2.0 km, Musan (North Korea) 2.0 km" in warnings[1].message


def test_the_summary_counts_them_in_the_total_and_in_no_province(dataset):
    summary = build_view(dataset.events, ViewParams()).summary
    assert summary.events == len(TOWNS) + len(RIVER) + 1
    assert summary.country_uncertain == len(RIVER)
    assert summary.to_dict()["country_uncertain"] == len(RIVER)
    in_provinces = sum(t.events for t in summary.by_province.values())
    assert in_provinces == len(TOWNS) + 1  # the river points are in none


def test_crossing_points_resolve_by_name():
    content = (
        "event_id,event_type,date_start,place_names,source_url\n"
        "a,forced_return,2024-01-01,Sambong,https://example.org/a\n"
        "b,forced_return,2024-01-01,삼봉,https://example.org/b\n"
        "c,forced_return,2024-01-01,Kyongwon,https://example.org/c\n"
        "d,forced_return,2024-01-01,Kyŏngwŏn,https://example.org/d\n"
    ).encode()
    dataset = load_dataset(content, "names.csv")
    events = dataset.events.set_index("event_id")
    assert events["place_ids"].tolist() == ["kp-sambong", "kp-sambong", "kp-kyongwon",
                                            "kp-kyongwon"]  # fmt: skip
    assert events["provinces"].tolist() == ["KP-09"] * 4
    assert not events["country_uncertain"].any()
    assert not [p for p in dataset.problems if p.column == "place_names"]


def test_the_band_test_is_vectorised_and_ignores_missing_and_russian_points():
    reference = load_reference()
    # NaN, Hyesan, and a point in Russia's polygon within 1.5 km of the line's east end.
    result = border_points(
        np.array([np.nan, 128.17778, 130.53196]), np.array([np.nan, 41.40167, 42.52967]),
        reference,
    )  # fmt: skip
    assert result.in_band.tolist() == [False, True, False]
    assert result.province.tolist() == ["", "KP-10", ""]
    assert not result.uncertain.any()


def test_regions_without_a_china_dprk_border_have_no_band():
    from geo.join import join_events
    from geo.reference import build_reference
    from tests.factories import make_events, square_provinces

    provinces = square_provinces()
    china = provinces[provinces["iso_3166_2"].str.startswith("CN")]
    reference = build_reference(china, china, china.iloc[0:0], load_reference().places)
    assert reference.border["band"].iloc[0].is_empty
    events = make_events(
        [{"date_start": "2024-01-01", "lat": 41.001, "lon": 124.5, "geo_precision": "point"}],
        joined=False,
    )
    joined = join_events(events, reference)
    assert (joined["provinces"].iloc[0], joined["country_uncertain"].iloc[0]) == ("CN-LN", False)
