"""The map's layout on screens and projectors: the data area clear of every control.

:class:`MapLayout`, added after every other element of the map, makes the map's container
fill the page above the control bar (``time_slider``), keeps the view inside the box the
basemap's land is drawn in (no bands of empty sea at any window size: the least zoom follows
the window) and fits the border and the drawn events with padding that keeps every symbol
clear of the zoom buttons, layer control, legend, scale bar and credits. The JavaScript is
``bemMapLayout`` in ``templates/map_layout.js``.
"""

from __future__ import annotations

from typing import Any

import shapely

from geo.reference import Reference
from render import symbology as sym
from render.webmap.layers.template import ScriptElement, script_template

#: Zoom steps the map stops at (fractions, so the least zoom fits the window closely).
ZOOM_SNAP = 0.25
#: Room in px kept between a symbol and a control or the map's edge.
MARGIN_PX = 12
#: The map is never made shorter than this (px), however little room the page leaves.
MIN_HEIGHT_PX = 240
_CSS = (
    "<style>html, body { overflow: hidden; }\n"
    # The credits wrap rather than run over the scale bar in the other corner.
    ".leaflet-container .leaflet-control-attribution { max-width: 60vw; }</style>"
)

Bounds = list[list[float]]


def land_extent(regions: Reference) -> Bounds:
    """Return ``[[south, west], [north, east]]`` of the countries the basemap draws.

    The countries are clipped to a box (data/README.md); beyond it the basemap knows nothing,
    so the map never shows past it.
    """
    west, south, east, north = shapely.total_bounds(regions.countries.geometry.values)
    return [[float(south), float(west)], [float(north), float(east)]]


def symbol_points(features: list[dict[str, Any]]) -> list[list[float]]:
    """Return ``[lat, lon, reach in px]`` of each drawn point symbol of the events layer.

    The reach is how far from the point the symbol may draw: its radius or ring, and for
    symbols spread around a shared place (``n`` of them, largest radius ``R``) the spread too.
    """
    points = []
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        p = feature["properties"]
        reach = max(p.get("r", sym.MIN_RADIUS_PX), p.get("rh", 0.0))
        if p.get("n"):
            reach = 2 * p["R"] + 2
        points.append([round(float(lat), 5), round(float(lon), 5), round(float(reach), 1)])
    return points


def data_frame(regions: Reference, points: list[list[float]]) -> Bounds:
    """Return the bounds the map opens on: the whole border and every point symbol."""
    west, south, east, north = shapely.total_bounds(regions.border.geometry.values)
    for lat, lon, _ in points:
        west, east, south, north = min(west, lon), max(east, lon), min(south, lat), max(north, lat)
    return [[float(south), float(west)], [float(north), float(east)]]


class MapLayout(ScriptElement):
    """Sizes the map above its control bar, bounds the view and fits the data clear of controls.

    Parameters
    ----------
    regions
        ``geo.reference.Reference`` (the countries' box and the border line).
    features
        The events layer's point features (``event_payload(...)["pts"]["features"]``).
    fit
        Fit the border and the events (False when the map opens at a given view).
    """

    js_file = "map_layout.js"
    _template = script_template(
        "bemMapLayout({{ this._parent.get_name() }}, {{ this.options|js }});", header=_CSS
    )

    def __init__(self, regions: Reference, features: list[dict[str, Any]], *, fit: bool) -> None:
        super().__init__()
        self._name = "MapLayout"
        points = symbol_points(features)
        self.options = {
            "extent": land_extent(regions),
            "frame": data_frame(regions, points),
            "points": points,
            "fit": fit,
            "zoomSnap": ZOOM_SNAP,
            "margin": MARGIN_PX,
            "minHeight": MIN_HEIGHT_PX,
        }
