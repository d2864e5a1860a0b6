"""Optional web tiles with their providers' attribution (from ``xyzservices``).

Tiles that cannot load are said to be missing: :class:`TileFallback` shows a notice with a
button that switches the map to the offline vector basemap (``templates/tile_fallback.js``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
import xyzservices.providers as xyz

from i18n import _
from render.markup import escape_html
from render.webmap.layers.template import ScriptElement, script_template
from render.webmap.layers.vector import VectorLayer

#: Milliseconds the map waits for a first tile before saying the basemap did not load.
TILE_WAIT_MS = 3000
_CSS = """
<style>
.bem-tile-notice { display: flex; align-items: center; gap: 10px; padding: 6px 12px;
  background: #fff4ce; border-top: 1px solid #d9b500; font: 14px/1.3 system-ui, sans-serif; }
.bem-tile-offline { font: inherit; }
</style>
"""


@dataclass(frozen=True)
class TileSource:
    """One web tile service: URL template, HTML attribution, and the hosts it loads from."""

    label: str
    url: str
    attribution: str
    hosts: tuple[str, ...]
    max_zoom: int
    subdomains: str = ""


TILES: dict[str, TileSource] = {
    "osm": TileSource(
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        xyz.OpenStreetMap.Mapnik.html_attribution,
        ("https://tile.openstreetmap.org",),
        19,
    ),
    "carto": TileSource(
        "CARTO light",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        xyz.CartoDB.Positron.html_attribution,
        ("https://*.basemaps.cartocdn.com",),
        20,
        "abcd",
    ),
    "esri": TileSource(
        "Esri World Imagery",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/"
        "{z}/{y}/{x}",
        xyz.Esri.WorldImagery.html_attribution,
        ("https://server.arcgisonline.com",),
        19,
    ),
}


def tile_hosts(basemap: str) -> tuple[str, ...]:
    """Return the origins ``basemap`` loads images from (empty for ``"none"``)."""
    source = TILES.get(basemap)
    return source.hosts if source else ()


def add_tiles(m: folium.Map, basemap: str) -> folium.TileLayer | None:
    """Add the web tiles named by ``basemap`` (``geo.view.BASEMAPS``); return them, if any.

    ``"none"`` adds nothing (and returns None).

    Raises
    ------
    ValueError
        If ``basemap`` is neither ``"none"`` nor a key of :data:`TILES`.
    """
    if basemap == "none":
        return None
    if basemap not in TILES:
        raise ValueError(f"basemap {basemap!r} is not one of none, {', '.join(TILES)}")
    source = TILES[basemap]
    options: dict[str, Any] = {"subdomains": source.subdomains} if source.subdomains else {}
    layer = folium.TileLayer(
        tiles=source.url,
        attr=source.attribution,
        name=escape_html(source.label),
        max_zoom=source.max_zoom,
        overlay=False,
        control=False,
        **options,
    )
    layer.add_to(m)
    return layer


def fallback_texts() -> dict[str, str]:
    """Return the notice and button texts of :class:`TileFallback` in the current language."""
    return {
        "notice": _(
            "The web basemap could not be loaded (no network, or its server is blocked)."
        ),
        "button": _("Use the offline basemap"),
    }


class TileFallback(ScriptElement):
    """Says so when web tiles cannot load, and offers the offline vector basemap.

    Parameters
    ----------
    tiles
        The web tile layer (from :func:`add_tiles`).
    land
        The vector basemap's countries layer, drawn unfilled under the tiles.
    base, fill
        The countries' own style, and what it takes on for the offline basemap.
    """

    js_file = "tile_fallback.js"
    _template = script_template(
        "bemTileFallback({{ this._parent.get_name() }}, {{ this.tiles.get_name() }}, "
        "{{ this.land.get_name() }}, {{ this.options|js }});",
        header=_CSS,
    )

    def __init__(
        self,
        tiles: folium.TileLayer,
        land: VectorLayer,
        base: dict[str, Any],
        fill: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "TileFallback"
        self.tiles = tiles
        self.land = land
        self.options = {
            "base": base,
            "fill": fill,
            "waitMs": TILE_WAIT_MS,
            "text": fallback_texts(),
        }
