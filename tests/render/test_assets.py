import re

import folium

from render.webmap import assets


def test_asset_files_exist_in_the_xstatic_package():
    files = assets.asset_files()
    assert {"leaflet.js", "leaflet.css", "images/layers.png"} <= set(files)
    assert all(path.is_file() and "xstatic" in str(path) for path in files.values())
    assert "Leaflet 1.9.3" in files["leaflet.js"].read_text(encoding="utf-8")[:300]


def test_strip_defaults_keeps_only_leaflet():
    m = folium.Map(tiles=None)
    assets.strip_defaults(m)
    html = m.get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls == [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    ]
    assert folium.Map.default_js[1][0] == "jquery"  # the class itself is left alone


def test_localise_points_at_the_app():
    m = assets.localise(folium.Map(tiles=None), "/app/static/leaflet")
    html = m.get_root().render()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/app/static/leaflet/leaflet.js",
        "/app/static/leaflet/leaflet.css",
    ]


def test_inline_embeds_code_safely():
    m = assets.inline(folium.Map(tiles=None))
    html = m.get_root().render()
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    assert "L.version" in html or "1.9.3" in html
    assert "url(data:image/png;base64," in html  # the layer-control icon
    assert "url(images/" not in html
    for block in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
        assert "</script" not in block.lower()
    stripped = assets.strip_inlined(html)
    assert len(stripped) < 5000 < len(html)
    assert "L.map(" in stripped
