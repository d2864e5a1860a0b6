import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.grid_index import GridIndex, grid_for
from geo.join import assign_provinces, join_events
from geo.reference import Reference, build_reference, load_reference
from geo.reference.schema import CRS, JOIN_COLUMNS, MAP_LEVELS
from tests.factories import make_events, square_provinces


def _sjoin_codes(lon, lat, provinces) -> np.ndarray:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=CRS)
    hits = gpd.sjoin(points, provinces[["iso_3166_2", "geometry"]], predicate="within")
    codes = np.full(len(points), None, dtype=object)
    codes[hits.index.to_numpy()] = hits["iso_3166_2"].to_numpy(dtype=object)
    return codes


@pytest.fixture(scope="module")
def squares() -> gpd.GeoDataFrame:
    """Two unit squares side by side and an L-shaped one with a hole, all in EPSG:4326."""
    ell = Polygon(
        [(0, 1), (2, 1), (2, 3), (1, 3), (1, 2), (0, 2)],
        holes=[[(1.4, 1.4), (1.6, 1.4), (1.6, 1.6), (1.4, 1.6)]],
    )
    return gpd.GeoDataFrame(
        {"iso_3166_2": ["A", "B", "C"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), ell],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def tiny_reference() -> Reference:
    """Liaoning/Jilin north of North Pyongan/Chagang, squares of one degree near 41°N."""
    provinces = square_provinces()
    places = pd.DataFrame(
        {
            "place_id": ["cn-riverside", "cn-east", "kp-south"],
            "name_en": ["Riverside", "East", "South"],
            "name_local": ["", "", ""],
            "alt_names": ["", "", ""],
            "admin1_iso": ["CN-LN", "CN-JL", "KP-04"],
            # cn-riverside lies south of the generalised line, in KP-03's polygon.
            "lat": [40.99, 41.5, 40.5],
            "lon": [124.5, 125.5, 125.5],
        }
    )
    return build_reference(provinces, provinces, provinces.iloc[0:0], places)


def _events(rows):
    return make_events([{"date_start": "2024-01-01", **row} for row in rows], joined=False)


def _join(tiny_reference, rows):
    return join_events(_events(rows), tiny_reference).set_index("event_id")


class TestAssignProvinces:
    def test_inside_outside_boundary_nan(self, squares):
        lon = [0.5, 1.5, 1.5, 1.0, 0.0, 5.0, np.nan, 1.5, 1.4]
        lat = [0.5, 0.5, 2.5, 0.5, 0.5, 5.0, 0.5, 1.5, 1.5]
        # shared edge, outer edge, far away, NaN, inside the hole, on the hole's edge: None
        expected = ["A", "B", "C", None, None, None, None, None, None]
        assert list(assign_provinces(lon, lat, squares)) == expected
        assert list(_sjoin_codes(lon, lat, squares)) == expected

    def test_random_points_match_sjoin(self, squares):
        rng = np.random.default_rng(1)
        lon = rng.uniform(-0.5, 2.5, 20_000)
        lat = rng.uniform(-0.5, 3.5, 20_000)
        # Grid-aligned and boundary points too.
        lon[:200] = np.round(lon[:200], 1)
        lat[:200] = np.round(lat[:200], 1)
        found = assign_provinces(lon, lat, squares)
        np.testing.assert_array_equal(found, _sjoin_codes(lon, lat, squares))
        assert {"A", "B", "C", None} == set(found)

    def test_shipped_provinces_match_sjoin(self):
        provinces = load_reference().provinces
        xmin, ymin, xmax, ymax = provinces.total_bounds
        rng = np.random.default_rng(7)
        vertices = shapely.get_coordinates(provinces.geometry.values)[::10]
        midpoints = (vertices[:-1] + vertices[1:]) / 2
        lon = np.concatenate([rng.uniform(xmin, xmax, 20_000), vertices[:, 0], midpoints[:, 0]])
        lat = np.concatenate([rng.uniform(ymin, ymax, 20_000), vertices[:, 1], midpoints[:, 1]])
        found = assign_provinces(lon, lat, provinces)
        # Vertices lie on a boundary (a few also inside a neighbour where the NE lines overlap).
        on_vertices = found[20_000 : 20_000 + len(vertices)]
        assert (on_vertices == None).mean() > 0.95  # noqa: E711 (elementwise)
        np.testing.assert_array_equal(found, _sjoin_codes(lon, lat, provinces))
        assert list(assign_provinces([129.50241, 125.75432], [42.88825, 39.03385], provinces)) == [
            "CN-JL",  # Yanji
            "KP-01",  # Pyongyang
        ]

    def test_empty_input(self, squares):
        assert assign_provinces([], [], squares).shape == (0,)

    def test_grid_cached_by_content(self, squares):
        first = grid_for(squares.geometry.values)
        again = grid_for(squares.copy().geometry.values)
        assert again is first
        moved = squares.geometry.translate(10, 0).values
        assert grid_for(moved) is not first

    def test_grid_classifies_cells(self, squares):
        grid = GridIndex.build(squares.geometry.values, cells=8)
        kinds = set(np.unique(grid.cell_owner))
        assert {-2, -1, 0, 1, 2} <= kinds  # boundary, empty, and whole cells of each square

    def test_other_crs_refused(self, squares):
        with pytest.raises(ValueError, match="EPSG:3857"):
            assign_provinces([0.5], [0.5], squares.set_crs("EPSG:3857", allow_override=True))


class TestJoinEvents:
    def test_adds_join_columns_on_a_copy(self, tiny_reference):
        events = make_events([{"date_start": "2024-01-01", "place_ids": "cn-east"}], joined=False)
        joined = join_events(events, tiny_reference)
        assert set(JOIN_COLUMNS) <= set(joined.columns)
        assert not set(JOIN_COLUMNS) & set(events.columns)
        assert joined["provinces"].dtype == "str"
        assert joined["shared"].dtype == bool and joined["in_map_area"].dtype == bool
        assert isinstance(joined, gpd.GeoDataFrame) and joined.crs == CRS

    def test_place_uses_gazetteer_province_not_polygon(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {
                    "event_id": "riverside",
                    "date_start": "2024-01-01",
                    "place_ids": "cn-riverside",
                    "lat": 40.99,
                    "lon": 124.5,
                }
            ],
        )
        row = joined.loc["riverside"]
        assert assign_provinces([124.5], [40.99], tiny_reference.provinces)[0] == "KP-03"
        assert (row["provinces"], row["shared"], row["map_level"]) == ("CN-LN", False, "point")
        assert row["sector_id"] == "CN-LN|KP-03"
        assert row["in_map_area"]

    def test_place_spanning_provinces_is_shared(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {
                    "event_id": "two",
                    "date_start": "2024-01-01",
                    "place_ids": "cn-riverside|cn-east|cn-riverside",
                    "lat": 40.99,
                    "lon": 124.5,
                }
            ],
        )
        assert joined.loc["two", "provinces"] == "CN-LN|CN-JL"
        assert joined.loc["two", "shared"]

    def test_unresolved_place_falls_back_to_codes_or_outside(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {"event_id": "codes", "date_start": "2024-01-01", "admin1_codes": "CN-JL"},
                {"event_id": "beijing", "date_start": "2024-01-01", "admin1_codes": "CN-BJ"},
                {"event_id": "nothing", "date_start": "2024-01-01"},
            ],
        )
        assert joined.loc["codes", ["provinces", "map_level", "sector_id"]].tolist() == [
            "CN-JL",
            "admin1",
            "",
        ]
        for event_id in ("beijing", "nothing"):
            assert joined.loc[event_id, "map_level"] == "outside"
            assert joined.loc[event_id, "provinces"] == ""
            assert not joined.loc[event_id, "in_map_area"]

    def test_points(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {
                    "event_id": "east",
                    "date_start": "2024-01-01",
                    "geo_precision": "point",
                    "lat": 41.05,
                    "lon": 125.9,
                },
                {
                    "event_id": "sea",
                    "date_start": "2024-01-01",
                    "geo_precision": "point",
                    "lat": 38.0,
                    "lon": 123.0,
                },
            ],
        )
        assert joined.loc["east", ["provinces", "map_level", "sector_id"]].tolist() == [
            "CN-JL",
            "point",
            "CN-JL|KP-04",
        ]
        assert joined.loc["sea", ["provinces", "map_level", "sector_id"]].tolist() == [
            "",
            "outside",
            "",
        ]

    def test_admin1(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {"event_id": "both", "admin1_codes": "CN-JL|CN-LN"},
                {"event_id": "partly", "admin1_codes": "CN-JL|CN-HL"},
                {"event_id": "out", "admin1_codes": "CN-NM"},
            ],
        )
        both, partly, out = (joined.loc[i] for i in ("both", "partly", "out"))
        assert (both["provinces"], both["shared"], both["map_level"]) == (
            "CN-JL|CN-LN",
            True,
            "admin1",
        )
        assert both["sector_id"] == ""
        assert (partly["provinces"], partly["shared"], partly["map_level"]) == (
            "CN-JL",
            False,
            "admin1",
        )
        assert (out["provinces"], out["map_level"], out["in_map_area"]) == ("", "outside", False)

    @pytest.mark.parametrize(
        "precision,codes,level",
        [
            ("border", "", "border"),
            ("country", "", "border"),
            ("border", "KP-03|CN-JL", "border"),
            ("border", "CN-HE", "outside"),  # the Mongolian border, not this one
            ("", "", "border"),
        ],
    )
    def test_border_and_country(self, tiny_reference, precision, codes, level):
        joined = _join(
            tiny_reference,
            [{"event_id": "e", "geo_precision": precision, "admin1_codes": codes}],
        )
        assert joined.loc["e", ["provinces", "sector_id", "map_level"]].tolist() == ["", "", level]

    def test_empty_precision_inferred(self, tiny_reference):
        joined = _join(
            tiny_reference,
            [
                {"event_id": "p", "geo_precision": "", "place_ids": "kp-south", "lat": 40.5,
                 "lon": 125.5},
                {"event_id": "c", "geo_precision": "", "admin1_codes": "KP-03"},
            ],
        )  # fmt: skip
        assert joined.loc["p", ["provinces", "map_level"]].tolist() == ["KP-04", "point"]
        assert joined.loc["c", ["provinces", "map_level"]].tolist() == ["KP-03", "admin1"]

    def test_no_events(self, tiny_reference):
        joined = join_events(_events([{}]).iloc[0:0], tiny_reference)
        assert joined.empty and set(JOIN_COLUMNS) <= set(joined.columns)

    def test_many_events_share_lookups(self, tiny_reference):
        rows = [{"place_ids": "cn-riverside", "lat": 40.99, "lon": 124.5}] * 500 + [
            {"geo_precision": "point", "lat": 41.05, "lon": 125.9}
        ] * 500
        joined = join_events(_events(rows), tiny_reference)
        assert joined["provinces"].value_counts().to_dict() == {"CN-LN": 500, "CN-JL": 500}
        assert joined["sector_id"].value_counts().to_dict() == {
            "CN-LN|KP-03": 500,
            "CN-JL|KP-04": 500,
        }

    def test_events_in_other_crs_refused(self, tiny_reference):
        events = make_events([{"date_start": "2024-01-01"}], joined=False).to_crs("EPSG:3857")
        with pytest.raises(ValueError, match="events must be in EPSG:4326"):
            join_events(events, tiny_reference)

    def test_shipped_reference_riverside_town_and_two_provinces(self):
        reference = load_reference()
        places = reference.places.set_index("place_id")
        sanhe, dandong = places.loc["cn-sanhe"], places.loc["cn-dandong"]
        # The 1:10m line puts Sanhe (Jilin) inside North Hamgyong's polygon.
        assert assign_provinces([sanhe["lon"]], [sanhe["lat"]], reference.provinces)[0] == "KP-09"
        events = _events(
            [
                {"event_id": "sanhe", "place_ids": "cn-sanhe", "lat": sanhe["lat"],
                 "lon": sanhe["lon"]},
                {"event_id": "pair", "place_ids": "cn-dandong|cn-tumen", "lat": dandong["lat"],
                 "lon": dandong["lon"]},
                {"event_id": "hyesan", "place_ids": "kp-hyesan", "lat": 41.40167,
                 "lon": 128.17778},
            ],
        )  # fmt: skip
        joined = join_events(events, reference).set_index("event_id")
        assert joined.loc["sanhe", ["provinces", "sector_id"]].tolist() == ["CN-JL", "CN-JL|KP-09"]
        assert joined.loc["pair", ["provinces", "shared", "sector_id"]].tolist() == [
            "CN-LN|CN-JL",
            True,
            "CN-LN|KP-03",
        ]
        assert joined.loc["hyesan", ["provinces", "sector_id"]].tolist() == [
            "KP-10",
            "CN-JL|KP-10",
        ]


def test_shipped_events_use_only_the_schema_map_levels():
    from tests.factories import shipped_validation

    joined = join_events(shipped_validation().events, load_reference())
    assert set(joined["map_level"]) == set(MAP_LEVELS)
    assert (joined["in_map_area"] == joined["map_level"].ne("outside")).all()
