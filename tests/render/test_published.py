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
from render.markup import to_js_json
from render.webmap.assets import localise
from render.webmap.build import build_map
from render.webmap.layers.template import TEMPLATES_DIR, js_source
from render.webmap.layers.vector import VectorLayer
from render.webmap.published import bundle_script, publish_map_files
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
    # From 2023: no province-level event, whose shape the page carries (it depends on the view).
    written = build_map(view_data(start=dt.date(2023, 1, 1)), regions).get_root().render()
    m, files, layers = published_map(regions, start=dt.date(2023, 1, 1))
    page = m.get_root().render()
    assert len(layers) >= 4  # countries, province outlines, rivers, sectors
    assert len(files) == 1  # one request for a new map
    ((name, bundle),) = files.items()
    bundle_text = bundle.decode()
    assert name == f"map-{hashlib.sha256(bundle).hexdigest()[:20]}.js"
    for layer in layers:
        coordinates = json.dumps(layer.data["features"][0]["geometry"]["coordinates"])[:60]
        coordinates = coordinates.replace(" ", "")
        assert coordinates in written  # written into the page before
        assert coordinates not in page
        assert f'bemData["{layer.published}"]' in page
        assert f'bemData["{layer.published}"] = ' in bundle_text
        assert coordinates in bundle_text
    for js in sorted(TEMPLATES_DIR.glob("*.js")):
        function = re.search(r"^function (\w+)\(", js.read_text(encoding="utf-8"), re.M).group(1)
        if f"{function}(" in page:  # the page calls it: the file is linked, not written
            assert f"function {function}(" not in page
            assert js_source(js.name) in bundle_text
    assert len(page) < len(written) / 4  # 213 KB -> 26 KB on the shipped data
    assert [url for _, url in m.default_js] == [
        "/app/static/vendor/leaflet.js",  # the library first, then the map's script
        f"/app/static/vendor/data/{name}",
    ]


def test_another_view_needs_no_new_file(regions):
    _, files_2021, _ = published_map(regions, start=dt.date(2021, 1, 1))
    _, files_all, _ = published_map(regions)
    assert files_2021 == files_all  # nothing new to load for another date range
    _, files_ko, _ = published_map(regions, lang="ko")
    assert files_ko.keys() != files_all.keys()  # names of rivers and sectors in Korean


@needs_node
def test_the_bundle_gives_the_page_its_functions_and_data(tmp_path: Path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "KP-01", "tip": "P'yŏngan-bukto </script>"},
         "geometry": {"type": "Point", "coordinates": [124.4, 40.1]}}]}  # fmt: skip
    other = {"type": "FeatureCollection", "features": []}
    texts = {f"k{i}": to_js_json(d) for i, d in enumerate((data, other))}
    name, code = bundle_script(["vector_layer.js"], texts)
    assert "</script>" not in code.decode()  # escaped as in the page
    assert bundle_script(["vector_layer.js"], texts) == (name, code)  # same bytes, same name
    (tmp_path / name).write_bytes(code)
    script = f"require('fs').readFileSync({str(tmp_path / name)!r}, 'utf8')"
    runner = (
        "global.window = global;"  # run as a classic script in a page: its functions are global
        f"require('vm').runInThisContext({script});"
        "console.log(JSON.stringify([typeof bemVectorLayer, window.bemData]));"
    )
    run = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == ["function", {"k0": data, "k1": other}]


def test_the_app_pages_font_covers_the_text_moved_into_the_script(regions):
    """River and sector names (in tooltips) leave the page: the CJK subset still has them."""
    from render.webmap.fonts import cjk_characters
    from render.webmap.published import app_page
    from tests.render.test_webfont import font_of

    fonts: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    m = app_page(
        build_map(view_data(lang="ko"), regions), "ko", assets_url="/app/static/vendor",
        publish_font=lambda name, data: (fonts.setdefault(name, data), f"/f/{name}")[1],
        publish_data=lambda name, data: (files.setdefault(name, data), f"/d/{name}")[1],
    )  # fmt: skip
    ((bundle,),) = [list(files.values())]
    moved = set(cjk_characters(bundle.decode())) - set(cjk_characters(m.get_root().render()))
    assert moved  # Hangul only in the script (names of rivers and sectors)
    ((font,),) = [list(fonts.values())]
    assert moved <= {chr(c) for c in font_of(font).getBestCmap()}
