"""The app's map code and geometry as script files that the browser loads once and keeps.

The map's own JavaScript (``render/webmap/templates/*.js``) and its countries, province outlines,
rivers and border sectors are the same in every view of the app (the geometry changes with the
language only); written into the page, each new date range would send them again (about
190 KB of the 213 KB page on the shipped data). :func:`publish_map_files` moves them into
content-addressed scripts that the app serves from its own host and the page links to; the
page keeps what changes with the view: the events, the province shading, the texts. Exported
HTML does not use this: it stays one self-contained file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import folium

from render.markup import to_js_json
from render.webmap.assets import map_elements
from render.webmap.layers.events import EventsLayer
from render.webmap.layers.template import ScriptElement, js_source
from render.webmap.layers.vector import DATA_GLOBAL, VectorLayer


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def data_script(data: dict) -> tuple[str, bytes]:
    """Return the file name and code of a script that puts ``data`` in the page's ``bemData``.

    The name is the SHA-256 of the data's JSON (20 hex digits), also its key in ``bemData``.
    """
    text = to_js_json(data)
    key = _digest(text)
    code = (
        f"var {DATA_GLOBAL} = window.{DATA_GLOBAL} || (window.{DATA_GLOBAL} = {{}});\n"
        f'{DATA_GLOBAL}["{key}"] = {text};\n'
    )
    return f"{key}.js", code.encode("utf-8")


def code_script(js_file: str) -> tuple[str, bytes]:
    """Return the file name (``<stem>-<digest>.js``) and code of a template script file."""
    code = js_source(js_file)
    return f"{js_file.removesuffix('.js')}-{_digest(code)}.js", code.encode("utf-8")


def publish_map_files(m: folium.Map, publish: Callable[[str, bytes], str]) -> folium.Map:
    """Link the map's script files and its layers' own data instead of writing them in the page.

    Parameters
    ----------
    m
        A map whose assets are already localised (``render.webmap.assets.localise``); modified
        in place and returned. The linked scripts load before the map's code runs.
    publish
        ``(file name, bytes) -> URL`` that serves the file from the app's host (the name is
        content-addressed: an existing file of that name holds these bytes).
    """
    links: dict[str, str] = {}

    def linked(data: dict[str, Any]) -> dict[str, str]:
        name, code = data_script(data)
        links[name] = publish(name, code)
        return {DATA_GLOBAL: name.removesuffix(".js")}

    for element in map_elements(m):
        if isinstance(element, ScriptElement):
            name, code = code_script(element.js_file)
            element.code_linked = True
            if name not in links:
                links[name] = publish(name, code)
        if isinstance(element, VectorLayer) and isinstance(element.data, dict):
            element.published = linked(element.data)[DATA_GLOBAL]
        if isinstance(element, EventsLayer):
            element.payload = _with_linked_shapes(element.payload, linked)
    m.default_js = [*m.default_js, *((f"bem_{name}", url) for name, url in links.items())]
    return m


def _with_linked_shapes(
    payload: dict[str, Any], linked: Callable[[dict[str, Any]], dict[str, str]]
) -> dict[str, Any]:
    """Return the events payload with its province shapes and border line linked, not written.

    ``events_layer.js`` reads a geometry given as ``{"bemData": key}`` from the loaded script.
    """
    admin, border = payload["adm"], payload["bor"]
    return {
        **payload,
        "adm": {**admin, "geo": {code: linked(g) for code, g in admin["geo"].items()}},
        "bor": {**border, "geo": linked(border["geo"]) if border["geo"] else None},
    }
