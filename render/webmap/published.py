"""The app's map code and fixed geometry in one script that the browser loads and keeps.

The map's own JavaScript (``render/webmap/templates/*.js``) and its countries, province outlines,
rivers and border sectors are the same in every view of the app (the geometry changes with the
language only); written into the page, each new date range would send them again (about
190 KB of the 213 KB page on the shipped data). :func:`publish_map_files` moves them into one
content-addressed script that the app serves from its own host and the page links to (one
request for a new map, answered from the browser's cache); the page keeps what changes with the
view: the events, the province shading, the texts. Exported HTML does not use this: it stays one
self-contained file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import folium

from render.markup import to_js_json
from render.webmap.assets import localise, map_elements
from render.webmap.fonts import add_cjk_font
from render.webmap.layers.template import ScriptElement, js_source
from render.webmap.layers.vector import DATA_GLOBAL, VectorLayer


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def bundle_script(code_files: list[str], data: dict[str, str]) -> tuple[str, bytes]:
    """Return the name (``map-<digest>.js``) and text of one script of code and data.

    ``code_files``: template files (``render.webmap.layers.template.js_source``); ``data``:
    key -> JSON (``render.markup.to_js_json``), put in the page's ``bemData``.
    """
    parts = [js_source(name) for name in code_files]
    parts.append(f"var {DATA_GLOBAL} = window.{DATA_GLOBAL} || (window.{DATA_GLOBAL} = {{}});\n")
    parts += [f'{DATA_GLOBAL}["{key}"] = {text};\n' for key, text in data.items()]
    text = "".join(parts)
    return f"map-{_digest(text)}.js", text.encode("utf-8")


def publish_map_files(m: folium.Map, publish: Callable[[str, bytes], str]) -> folium.Map:
    """Link the map's script files and its layers' own data instead of writing them in the page.

    Parameters
    ----------
    m
        A map whose assets are already localised (``render.webmap.assets.localise``); modified
        in place and returned. The linked script loads before the map's code runs.
    publish
        ``(file name, bytes) -> URL`` that serves the file from the app's host (the name is
        content-addressed: an existing file of that name holds these bytes).
    """
    code_files: set[str] = set()
    data: dict[str, str] = {}
    for element in map_elements(m):
        if isinstance(element, ScriptElement):
            code_files.add(element.js_file)
            element.code_linked = True
        if isinstance(element, VectorLayer) and isinstance(element.data, dict):
            text = to_js_json(element.data)
            element.published = _digest(text)  # its key in bemData
            data[element.published] = text
    name, code = bundle_script(sorted(code_files), dict(sorted(data.items())))
    m.default_js = [*m.default_js, ("bem_map", publish(name, code))]
    return m


def app_page(
    m: folium.Map,
    lang: str,
    *,
    assets_url: str,
    publish_font: Callable[[str, bytes], str],
    publish_data: Callable[[str, bytes], str],
) -> folium.Map:
    """Make a built map the app's page, in place: Leaflet, font, code and geometry from the app.

    The CJK font is subset to the map's whole text before the geometry's texts (river and
    sector names in tooltips) move into the published script, so they keep their glyphs.

    Parameters
    ----------
    m
        A map from ``render.webmap.build.build_map`` (modified in place and returned).
    lang
        The view's language.
    assets_url
        Where the app serves Leaflet (``render.webmap.assets.localise``).
    publish_font, publish_data
        ``(file name, bytes) -> URL`` for the font subset and for the map's script.
    """
    localise(m, assets_url)
    add_cjk_font(m, lang, publish=publish_font)
    return publish_map_files(m, publish_data)
