"""Leaflet from PyPI packages: local copies for the app, inlined code for exported HTML.

Leaflet 1.9.3 comes from ``XStatic-Leaflet``. The map needs nothing else: folium's default
bootstrap, jQuery, Font Awesome and awesome-markers links are removed by :func:`strip_defaults`,
and the map draws circle markers only, so Leaflet's marker images are never requested.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import folium
import xstatic.pkg.leaflet as xs_leaflet
from branca.element import Element, Figure
from folium.elements import JSCSSMixin

from render.webmap.layers.template import RawHtml

_LEAFLET_DIR = Path(xs_leaflet.BASE_DIR)

#: Files the map loads, in order, by the name folium uses for them.
MAP_JS = {"leaflet": "leaflet.js"}
MAP_CSS = {"leaflet_css": "leaflet.css"}

_CSS_IMAGE = re.compile(r"url\((['\"]?)images/([\w.-]+)\1\)")
_DATA_ATTR = "data-border-map-asset"


def asset_files() -> dict[str, Path]:
    """Return every file the map may load: file name -> path inside the installed package.

    Includes the images Leaflet's CSS refers to (``images/layers.png`` for the layer control),
    so an app serving these files at ``base_url`` serves everything the CSS asks for.
    """
    files = {name: _LEAFLET_DIR / name for name in (*MAP_JS.values(), *MAP_CSS.values())}
    for image in sorted((_LEAFLET_DIR / "images").glob("*.png")):
        files[f"images/{image.name}"] = image
    return files


def map_elements(m: folium.Map) -> Iterator[Element]:
    """Yield every element of ``m``'s page, its figure first."""
    stack: list[Element] = [m.get_root()]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(element._children.values())


def strip_defaults(m: folium.Map) -> None:
    """Make every element of ``m`` load only Leaflet (no bootstrap, jQuery, Font Awesome)."""
    for element in map_elements(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = [(n, u) for n, u in element.default_js if n in MAP_JS]
            element.default_css = [(n, u) for n, u in element.default_css if n in MAP_CSS]


def localise(m: folium.Map, base_url: str) -> folium.Map:
    """Point every element's script and style links at ``base_url`` + file name.

    Parameters
    ----------
    m
        A map (modified in place and returned).
    base_url
        Where the app serves :func:`asset_files`, e.g. ``"/app/static/leaflet/"``.
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    strip_defaults(m)
    for element in map_elements(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = [(n, base + MAP_JS[n]) for n, _ in element.default_js]
            element.default_css = [(n, base + MAP_CSS[n]) for n, _ in element.default_css]
    return m


def _script_text(text: str) -> str:
    """Make JavaScript source safe inside ``<script>``: no ``</script`` or ``<!--``."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _css_text(text: str) -> str:
    """Embed CSS with its ``images/...`` references as data: URIs; no ``</style``."""

    def data_uri(match: re.Match[str]) -> str:
        raw = (_LEAFLET_DIR / "images" / match.group(2)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    text = _CSS_IMAGE.sub(data_uri, text)
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.IGNORECASE)


def inline(m: folium.Map) -> folium.Map:
    """Embed Leaflet's JavaScript and CSS in the page instead of linking to it.

    The page then needs no network at all (except tiles the user picked). Returns ``m``.
    """
    strip_defaults(m)
    for element in map_elements(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = []
            element.default_css = []
    figure = cast(Figure, m.get_root())
    files = asset_files()
    for name, filename in MAP_CSS.items():
        css = _css_text(files[filename].read_text(encoding="utf-8"))
        figure.header.add_child(RawHtml(f"<style {_DATA_ATTR}>{css}</style>"), name=name)
    for name, filename in MAP_JS.items():
        js = _script_text(files[filename].read_text(encoding="utf-8"))
        figure.header.add_child(RawHtml(f"<script {_DATA_ATTR}>{js}</script>"), name=name)
    return m


def strip_inlined(page: str) -> str:
    """Return ``page`` without the library code :func:`inline` embedded (for size reports)."""
    return re.sub(
        rf"<(script|style) {_DATA_ATTR}>.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE
    )
