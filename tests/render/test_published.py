"""The app's map links its fixed code and geometry from scripts (``render.webmap.published``).

A new view of the app then re-sends only what changed (events, shading, texts); the browser keeps
the scripts. The page loading them in Chromium is covered by ``tests/e2e/test_app_scale_e2e.py``.
"""

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.reference import load_reference
from render.webmap.assets import localise
from render.webmap.build import build_map
from render.webmap.layers.events import EventsLayer
from render.webmap.layers.template import TEMPLATES_DIR, js_source
from render.webmap.layers.vector import VectorLayer
from render.webmap.published import code_script, data_script, publish_map_files
from tests.render.test_map_builder import view_data

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def published_map(regions, **view):
    """Return the app's map of ``view`` (published) and the files it published by name."""
    files: dict[str, bytes] = {}

    def publish(name: str, data: bytes) -> str:
        assert files.setdefault(name, data) == data  # a name always means the same bytes
        return f"/app/static/vendor/data/{name}"

    m = localise(build_map(view_data(**view), regions), "/app/static/vendor")
    layers = [e for e in m._children.values() if isinstance(e, VectorLayer) and e.data]
    return publish_map_files(m, publish), files, layers


def test_the_page_links_the_geometry_and_code_instead_of_writing_them(regions):
    written = build_map(view_data(), regions).get_root().render()
    m, files, layers = published_map(regions)
    page = m.get_root().render()
    assert len(layers) >= 4  # countries, province outlines, rivers, sectors
    for layer in layers:
        coordinates = json.dumps(layer.data["features"][0]["geometry"]["coordinates"])[:60]
        coordinates = coordinates.replace(" ", "")
        assert coordinates in written  # written into the page before
        assert coordinates not in page
        assert f'bemData["{layer.published}"]' in page
        assert coordinates in files[f"{layer.published}.js"].decode()
    for js in sorted(TEMPLATES_DIR.glob("*.js")):
        function = re.search(r"^function (\w+)\(", js.read_text(encoding="utf-8"), re.M).group(1)
        if f"{function}(" in page:  # the page calls it: the file is linked, not written
            assert f"function {function}(" not in page
            assert f"function {function}(" in files[code_script(js.name)[0]].decode()
    payload = next(e for e in m._children.values() if isinstance(e, EventsLayer)).payload
    assert list(payload["adm"]["geo"]) == ["CN-JL"]  # a province-level event: its outline
    for shape in (payload["adm"]["geo"]["CN-JL"], payload["bor"]["geo"]):
        assert f'"{shape["bemData"]}"' in files[shape["bemData"] + ".js"].decode()
    assert len(page) < len(written) / 4  # 213 KB -> 26 KB on the shipped data
    links = [url for _, url in m.default_js]
    assert links[0] == "/app/static/vendor/leaflet.js"  # the library first, then the files
    assert sorted(links[1:]) == sorted(f"/app/static/vendor/data/{n}" for n in files)


def test_another_view_needs_no_new_file(regions):
    _, files_2021, _ = published_map(regions, start=dt.date(2021, 1, 1))
    _, files_all, _ = published_map(regions)
    assert files_2021 == files_all  # nothing new to load for another date range


def test_file_names_are_content_addressed():
    data = {"type": "FeatureCollection", "features": [{"properties": {"tip": "</script>"}}]}
    name, code = data_script(data)
    text = code.decode()
    key = name.removesuffix(".js")
    assert key == hashlib.sha256(text.split("] = ", 1)[1].rstrip(";\n").encode()).hexdigest()[:20]
    assert "</script>" not in text  # escaped as in the page
    assert data_script({**data, "features": []})[0] != name
    name, code = code_script("vector_layer.js")
    assert name.startswith("vector_layer-") and code.decode() == js_source("vector_layer.js")


@needs_node
def test_a_data_script_gives_the_page_its_data(tmp_path: Path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "KP-01", "tip": "P'yŏngan-bukto <b>"},
         "geometry": {"type": "Point", "coordinates": [124.4, 40.1]}}]}  # fmt: skip
    other = {"type": "FeatureCollection", "features": []}
    scripts = [data_script(d) for d in (data, other)]
    for name, code in scripts:
        (tmp_path / name).write_bytes(code)
    keys = [name.removesuffix(".js") for name, _ in scripts]
    runner = "".join(f"require({str(tmp_path / n)!r});" for n, _ in scripts)
    runner = "global.window = global;" + runner + "console.log(JSON.stringify(window.bemData));"
    run = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == dict(zip(keys, (data, other), strict=True))
