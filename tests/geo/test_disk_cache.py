"""Results kept on disk: built once per checksum, rebuilt when damaged, never an error."""

from __future__ import annotations

import stat

import pytest
import shapely

from geo import disk_cache
from geo.disk_cache import CACHE_ENV, disk_cached, file_checksum


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_a_result_is_built_once_per_key_and_kept_for_its_owner_only(folder):
    build, calls = counting({"a": [1, 2]})
    assert disk_cached("thing", "k1", build) == {"a": [1, 2]}
    assert disk_cached("thing", "k1", build) == {"a": [1, 2]}
    assert len(calls) == 1
    (kept,) = folder.glob("thing-*.pickle")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert disk_cached("thing", "k2", build) == {"a": [1, 2]}  # another key: built again
    assert len(calls) == 2
    assert len(list(folder.glob("thing-*.pickle"))) == 1  # the older one is dropped


def test_a_damaged_or_foreign_file_is_rebuilt(folder):
    build, calls = counting([1])
    disk_cached("thing", "k", build)
    (kept,) = folder.glob("thing-*.pickle")
    kept.write_bytes(b"not a pickle")
    assert disk_cached("thing", "k", build) == [1] and len(calls) == 2
    assert disk_cached("thing", "k", build) == [1] and len(calls) == 2  # rewritten


def test_a_folder_that_is_a_file_builds_every_time(folder):
    folder.write_text("in the way")
    build, calls = counting(3)
    assert disk_cached("thing", "k", build) == 3 and disk_cached("thing", "k", build) == 3
    assert len(calls) == 2


def test_the_checksum_follows_the_files_bytes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x")
    before = file_checksum([path])
    path.write_text("y")
    assert file_checksum([path]) != before


def test_the_kept_reference_equals_the_one_read_from_data(folder):
    from geo.reference import reference

    fresh = reference._read_reference()
    reference.load_reference.cache_clear()
    try:
        reference.load_reference()  # builds and keeps it
        reference.load_reference.cache_clear()
        kept = reference.load_reference()  # read back from the disk
    finally:
        reference.load_reference.cache_clear()
    assert list(folder.glob("reference-*.pickle"))
    for name in ("provinces", "display_provinces", "sectors", "border", "countries", "rivers"):
        assert getattr(kept, name).equals(getattr(fresh, name)), name
    assert kept.places.equals(fresh.places)
    assert kept.gazetteer.frame.equals(fresh.gazetteer.frame)
    assert kept.province_codes == fresh.province_codes
    assert shapely.equals(kept.land, fresh.land) and shapely.is_prepared(kept.land)
    assert disk_cache.cache_folder() == folder


def test_a_file_others_may_write_is_not_unpickled(folder):
    build, calls = counting([1])
    disk_cached("thing", "k", build)
    (kept,) = folder.glob("thing-*.pickle")
    kept.chmod(0o666)
    assert disk_cached("thing", "k", build) == [1] and len(calls) == 2
    (kept,) = folder.glob("thing-*.pickle")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # rewritten for its owner


def test_each_polygon_grid_is_kept_and_read_back_prepared(folder, monkeypatch):
    from geo import grid_index

    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    band = [shapely.box(0, 0, 2, 0.1)]
    monkeypatch.setattr(grid_index, "_GRIDS", {})
    monkeypatch.setattr(grid_index, "_LAST", [])
    built = grid_index.grid_for(squares), grid_index.grid_for(band)
    assert len(list(folder.glob("grid_*.pickle"))) == 2  # one file per set of polygons

    def no_build(*args, **kwargs):
        raise AssertionError("the kept grid should be read, not built")

    monkeypatch.setattr(grid_index, "_GRIDS", {})  # a new process: nothing in memory
    monkeypatch.setattr(grid_index.GridIndex, "build", no_build)
    kept = grid_index.grid_for(squares), grid_index.grid_for(band)
    x, y = [0.5, 1.5, 2.5, 1.0], [0.05, 0.5, 0.5, 0.5]
    for fresh, read in zip(built, kept, strict=True):
        assert read.lookup(x, y).tolist() == fresh.lookup(x, y).tolist()
        assert all(shapely.is_prepared(read.geoms))
    assert kept[0].lookup(x, y).tolist() == [0, 1, -1, -1]
