import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.reference.regions import load_regions, read_layer, simplify_coverage
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
def regions():
    return load_regions()


def _vertices(frame: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(frame.geometry.values).sum())


def _shared_length(a, b) -> float:
    return shapely.intersection(a.boundary, b.boundary).length


class TestLoadRegions:
    def test_cached_same_object(self, regions):
        assert load_regions() is regions

    def test_provinces(self, regions):
        provinces = regions.provinces
        assert provinces.crs == CRS
        assert len(provinces) == 14
        assert {"iso_3166_2", "name_en", "name_local", "country_iso3"} <= set(provinces.columns)
        assert {"CN-JL", "CN-LN", "KP-03", "KP-13", "RU-PRI"} <= set(provinces["iso_3166_2"])

    def test_other_layers(self, regions):
        assert regions.countries.crs == CRS and len(regions.countries) == 6
        assert sorted(regions.rivers["name_en"]) == ["Tumen", "Yalu"]
        places = regions.places
        assert len(places) == 31
        assert places["lat"].dtype == float and places["lon"].dtype == float
        dandong = places.set_index("place_id").loc["cn-dandong"]
        assert dandong["admin1_iso"] == "CN-LN"
        assert dandong["lat"] == pytest.approx(40.12917)

    def test_other_crs_refused(self, tmp_path):
        path = tmp_path / "metric.geojson"
        gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)], crs="EPSG:3857").to_file(path)
        with pytest.raises(ValueError, match="EPSG:3857.*only EPSG:4326"):
            read_layer(path)


class TestDisplayProvinces:
    def test_same_rows_fewer_vertices(self, regions):
        display = regions.display_provinces
        assert list(display["iso_3166_2"]) == list(regions.provinces["iso_3166_2"])
        assert display.crs == CRS
        assert _vertices(display) < 0.6 * _vertices(regions.provinces)

    def test_valid_coverage_no_overlap(self, regions):
        geoms = regions.display_provinces.geometry.values
        assert shapely.is_valid(geoms).all()
        assert shapely.coverage_is_valid(geoms)
        total = shapely.area(geoms).sum()
        assert shapely.union_all(geoms).area == pytest.approx(total, rel=1e-9)

    @pytest.mark.parametrize("a,b", [("CN-JL", "KP-10"), ("CN-LN", "KP-03"), ("CN-JL", "CN-LN")])
    def test_neighbours_still_touch_along_their_border(self, regions, a, b):
        exact = regions.provinces.set_index("iso_3166_2").geometry
        shown = regions.display_provinces.set_index("iso_3166_2").geometry
        assert shapely.intersection(shown[a], shown[b]).area == pytest.approx(0, abs=1e-9)
        # Shared edges stay shared: the common boundary keeps (almost) its length, no gap.
        assert _shared_length(shown[a], shown[b]) == pytest.approx(
            _shared_length(exact[a], exact[b]), rel=0.05
        )

    def test_area_kept(self, regions):
        exact = regions.provinces.to_crs(METRIC_CRS).area.to_numpy()
        shown = regions.display_provinces.to_crs(METRIC_CRS).area.to_numpy()
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
    def test_six_sectors_west_to_east(self, regions):
        sectors = regions.sectors
        assert list(sectors["sector_id"]) == list(EXPECTED_SECTORS)
        assert list(sectors["name_en"]) == [v[0] for v in EXPECTED_SECTORS.values()]
        assert list(sectors["cn_code"]) == [s.split("|")[0] for s in EXPECTED_SECTORS]
        assert list(sectors["kp_code"]) == [s.split("|")[1] for s in EXPECTED_SECTORS]

    def test_lengths_match_data_readme(self, regions):
        for sector_id, length in zip(
            regions.sectors["sector_id"], regions.sectors["length_km"], strict=True
        ):
            assert length == pytest.approx(EXPECTED_SECTORS[sector_id][1], rel=0.02), sector_id
        assert regions.sectors["length_km"].sum() == pytest.approx(1005.0, rel=0.02)
        assert regions.border["length_km"].iloc[0] == pytest.approx(1005.0, rel=0.02)

    def test_lines_follow_both_provinces(self, regions):
        provinces = regions.provinces.to_crs(METRIC_CRS).set_index("iso_3166_2").geometry
        lines = regions.sectors.to_crs(METRIC_CRS)
        for sector_id, line in zip(lines["sector_id"], lines.geometry, strict=True):
            cn, kp = sector_id.split("|")
            assert line.geom_type in ("LineString", "MultiLineString")
            assert line.hausdorff_distance(provinces[cn].boundary) > 0  # a piece, not all
            assert provinces[kp].distance(line) < 1  # metres
            assert shapely.intersection(provinces[kp].buffer(30), line).length == pytest.approx(
                line.length, rel=1e-3
            )

    def test_buffer_zone_is_ten_km(self, regions):
        sectors = regions.sectors
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
