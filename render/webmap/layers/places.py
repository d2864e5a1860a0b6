"""Crossing and place labels from data/places.csv, in the view's language."""

from __future__ import annotations

import folium
from folium.map import Layer
from markupsafe import Markup

from geo.reference import Reference
from i18n import _
from render.markup import escape_html
from render.names import local_name
from render.webmap.layers.basemap import LINE_PANE
from render.webmap.layers.template import ScriptElement, script_template


class PlaceLabels(Layer, ScriptElement):
    """Small dots with names; border places labelled permanently, others on hover.

    Parameters
    ----------
    places
        ``[lat, lon, name (escaped HTML), always labelled]`` per place.
    name
        Name in the layer control (HTML).
    """

    js_file = "place_labels.js"
    _template = script_template(
        "var {{ this.get_name() }} = bemPlaceLabels({{ this.places|js }}, {{ this.options|js }});"
    )

    def __init__(self, places: list[list[object]], name: Markup) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PlaceLabels"
        self.places = places
        self.options = {"pane": LINE_PANE}


def add_places(m: folium.Map, regions: Reference, lang: str) -> None:
    """Add labels for every gazetteer place; ``kind == "border"`` places always labelled."""
    rows = [
        [float(p["lat"]), float(p["lon"]), escape_html(local_name(p, lang)), p["kind"] == "border"]
        for p in regions.places.to_dict("records")
    ]
    PlaceLabels(rows, name=escape_html(_("Places and crossings"))).add_to(m)
