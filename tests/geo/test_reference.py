import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.reference import build_reference, load_reference
from geo.reference.reference import read_layer, simplify_coverage
from geo.reference.schema import CRS
from geo.reference.sectors import METRIC_CRS, compute_sectors
from tests.factories import square_provinces

# QA figures from the data README (km, EPSG:32652).
EXPECTED_SECTORS = {
    "CN-LN|KP-03": ("Liaoning–North Pyongan", 128.0),
    "CN-LN|KP-04": ("Liaoning–Chagang", 47.5),
    "CN-JL|KP-04": ("Jilin–Chagang", 205.1),
    "CN-JL|KP-10": ("Jilin–Ryanggang", 316.3),
    "CN-JL|KP-09": ("Jilin–North Hamgyong", 288.4),
    "CN-JL|KP-13": ("Jilin–Rason", 20.0),
}


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def _vertices(frame: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(frame.geometry.values).sum())


def _shared_length(a, b) -> float:
    return shapely.intersection(a.boundary, b.boundary).length


class TestLoadReference:
    def test_cached_same_object(self, reference):
        assert load_reference() is reference

    def test_provinces(self, reference):
        provinces = reference.provinces
        assert provinces.crs == CRS
        assert len(provinces) == 14
        assert {"iso_3166_2", "name_en", "name_local", "country_iso3"} <= set(provinces.columns)
        assert {"CN-JL", "CN-LN", "KP-03", "KP-13", "RU-PRI"} <= set(provinces["iso_3166_2"])

    def test_other_layers(self, reference):
        assert reference.countries.crs == CRS and len(reference.countries) == 6
        assert sorted(reference.rivers["name_en"]) == ["Tumen", "Yalu"]
        places = reference.places
        assert len(places) == 33
        assert places["lat"].dtype == float and places["lon"].dtype == float
        dandong = places.set_index("place_id").loc["cn-dandong"]
        assert dandong["admin1_iso"] == "CN-LN"
        assert dandong["lat"] == pytest.approx(40.12917)

    def test_other_crs_refused(self, tmp_path):
        path = tmp_path / "metric.geojson"
        gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)], crs="EPSG:3857").to_file(path)
        with pytest.raises(ValueError, match="EPSG:3857.*only EPSG:4326"):
            read_layer(path)

    def test_lookups_built_from_the_same_frames(self, reference):
        assert reference.gazetteer.frame.index.tolist() == reference.places["place_id"].tolist()
        assert reference.gazetteer.resolve("丹东") == "cn-dandong"
        assert set(reference.provinces["iso_3166_2"]) <= reference.province_codes.codes
        assert reference.province_codes.resolve("Chagang") == "KP-04"

    def test_land_is_the_union_of_countries(self, reference):
        assert reference.land.equals(shapely.union_all(reference.countries.geometry.values))
        assert shapely.is_prepared(reference.land)
        dandong, yellow_sea = (124.39, 40.13), (123.5, 38.5)
        assert shapely.contains_xy(reference.land, *dandong)
        assert not shapely.contains_xy(reference.land, *yellow_sea)

    def test_build_from_other_layers(self):
        provinces = square_provinces()
        places = pd.DataFrame(
            {
                "place_id": ["cn-a"],
                "name_en": ["Aville"],
                "name_local": ["甲"],
                "alt_names": ["A-ville|Ay"],
                "admin1_iso": ["CN-LN"],
                "lat": [41.5],
                "lon": [124.5],
            }
        )
        built = build_reference(provinces, provinces, provinces.iloc[0:0], places)
        assert list(built.sectors["sector_id"]) == ["CN-LN|KP-03", "CN-JL|KP-04"]
        assert built.gazetteer.resolve("ay") == "cn-a"
        # The squares have no name_alt column: names and codes still resolve.
        assert built.province_codes.resolve("North Pyongan") == "KP-03"
        assert built.province_codes.resolve("CN-YN") == "CN-YN"
        assert shapely.contains_xy(built.land, 125.5, 40.5)
        assert not shapely.contains_xy(built.land, 127.5, 40.5)


class TestDisplayProvinces:
    def test_same_rows_fewer_vertices(self, reference):
        display = reference.display_provinces
        assert list(display["iso_3166_2"]) == list(reference.provinces["iso_3166_2"])
        assert display.crs == CRS
        assert _vertices(display) < 0.6 * _vertices(reference.provinces)

    def test_valid_coverage_no_overlap(self, reference):
        geoms = reference.display_provinces.geometry.values
        assert shapely.is_valid(geoms).all()
        assert shapely.coverage_is_valid(geoms)
        total = shapely.area(geoms).sum()
        assert shapely.union_all(geoms).area == pytest.approx(total, rel=1e-9)

    @pytest.mark.parametrize("a,b", [("CN-JL", "KP-10"), ("CN-LN", "KP-03"), ("CN-JL", "CN-LN")])
    def test_neighbours_still_touch_along_their_border(self, reference, a, b):
        exact = reference.provinces.set_index("iso_3166_2").geometry
        shown = reference.display_provinces.set_index("iso_3166_2").geometry
        assert shapely.intersection(shown[a], shown[b]).area == pytest.approx(0, abs=1e-9)
        # Shared edges stay shared: the common boundary keeps (almost) its length, no gap.
        assert _shared_length(shown[a], shown[b]) == pytest.approx(
            _shared_length(exact[a], exact[b]), rel=0.05
        )

    def test_area_kept(self, reference):
        exact = reference.provinces.to_crs(METRIC_CRS).area.to_numpy()
        shown = reference.display_provinces.to_crs(METRIC_CRS).area.to_numpy()
        np.testing.assert_allclose(shown, exact, rtol=0.02)

    def test_tiny_zigzag_neighbours(self):
        zigzag = [(1 + 0.001 * (i % 2), i / 20) for i in range(21)]
        left = Polygon([(0, 0), *zigzag, (0, 1)])
        right = Polygon([(2, 0), (2, 1), *reversed(zigzag)])
        frame = gpd.GeoDataFrame({"iso_3166_2": ["A", "B"]}, geometry=[left, right], crs=CRS)
        out = simplify_coverage(frame, tolerance=0.01)
        a, b = out.geometry
        assert _vertices(out) < _vertices(frame) / 2
        assert shapely.intersection(a, b).area == 0
        assert _shared_length(a, b) == pytest.approx(1.0, rel=1e-3)
        assert a.area + b.area == pytest.approx(shapely.union(a, b).area)


class TestSectors:
    def test_six_sectors_west_to_east(self, reference):
        sectors = reference.sectors
        assert list(sectors["sector_id"]) == list(EXPECTED_SECTORS)
        assert list(sectors["name_en"]) == [v[0] for v in EXPECTED_SECTORS.values()]
        assert list(sectors["cn_code"]) == [s.split("|")[0] for s in EXPECTED_SECTORS]
        assert list(sectors["kp_code"]) == [s.split("|")[1] for s in EXPECTED_SECTORS]

    def test_lengths_match_data_readme(self, reference):
        for sector_id, length in zip(
            reference.sectors["sector_id"], reference.sectors["length_km"], strict=True
        ):
            assert length == pytest.approx(EXPECTED_SECTORS[sector_id][1], rel=0.02), sector_id
        assert reference.sectors["length_km"].sum() == pytest.approx(1005.0, rel=0.02)
        assert reference.border["length_km"].iloc[0] == pytest.approx(1005.0, rel=0.02)

    def test_lines_follow_both_provinces(self, reference):
        provinces = reference.provinces.to_crs(METRIC_CRS).set_index("iso_3166_2").geometry
        lines = reference.sectors.to_crs(METRIC_CRS)
        for sector_id, line in zip(lines["sector_id"], lines.geometry, strict=True):
            cn, kp = sector_id.split("|")
            assert line.geom_type in ("LineString", "MultiLineString")
            assert line.hausdorff_distance(provinces[cn].boundary) > 0  # a piece, not all
            assert provinces[kp].distance(line) < 1  # metres
            assert shapely.intersection(provinces[kp].buffer(30), line).length == pytest.approx(
                line.length, rel=1e-3
            )

    def test_buffer_zone_is_ten_km(self, reference):
        sectors = reference.sectors
        buffers = gpd.GeoSeries(sectors["buffer"], crs=CRS)
        assert buffers.crs == CRS
        assert buffers.contains(sectors.geometry).all()
        lines = sectors.geometry.to_crs(METRIC_CRS).values
        edges = shapely.boundary(buffers.to_crs(METRIC_CRS).values)
        for line, edge in zip(lines, edges, strict=True):
            # Every vertex of the zone's edge is 10 km from the line (curves are polygonal).
            distances = shapely.distance(line, shapely.points(shapely.get_coordinates(edge)))
            assert distances.min() > 9_800 and distances.max() < 10_100

    def test_tiny_squares(self):
        frame = square_provinces()
        sectors = compute_sectors(frame)
        # Liaoning and Chagang meet at one corner only: no sector.
        assert list(sectors["sector_id"]) == ["CN-LN|KP-03", "CN-JL|KP-04"]
        assert sectors["length_km"].between(83, 86).all()  # one degree of longitude at 41°N
