"""Optional web tiles with their providers' attribution (from ``xyzservices``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
import xyzservices.providers as xyz

from render.markup import escape_html


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


def add_tiles(m: folium.Map, basemap: str) -> None:
    """Add the web tiles named by ``basemap`` (``geo.view.BASEMAPS``); ``"none"`` adds nothing.

    Raises
    ------
    ValueError
        If ``basemap`` is neither ``"none"`` nor a key of :data:`TILES`.
    """
    if basemap == "none":
        return
    if basemap not in TILES:
        raise ValueError(f"basemap {basemap!r} is not one of none, {', '.join(TILES)}")
    source = TILES[basemap]
    options: dict[str, Any] = {"subdomains": source.subdomains} if source.subdomains else {}
    folium.TileLayer(
        tiles=source.url,
        attr=source.attribution,
        name=escape_html(source.label),
        max_zoom=source.max_zoom,
        overlay=False,
        control=False,
        **options,
    ).add_to(m)
