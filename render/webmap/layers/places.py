"""Crossing and place labels from data/places.csv, in the view's language."""

from __future__ import annotations

import folium
from folium.map import Layer

from render.markup import escape_html
from render.names import local_name
from render.webmap.layers.template import JsTemplate, RawMacroElement


class PlaceLabels(Layer, RawMacroElement):
    """Small dots with names; border places labelled permanently, others on hover."""

    _template = JsTemplate(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {{ this.places|js }}.forEach(function (p) {
            L.circleMarker([p[0], p[1]], {
                radius: 2.5, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1,
                pane: "bem-lines"
            }).bindTooltip(p[2], {
                permanent: p[3], direction: "right", className: "bem-place-label", offset: [4, 0]
            }).addTo({{ this.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, places: list[list[object]], name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PlaceLabels"
        self.places = places


def add_places(m: folium.Map, regions: object, lang: str) -> None:
    """Add labels for every gazetteer place; ``kind == "border"`` places always labelled."""
    rows = [
        [float(p["lat"]), float(p["lon"]), escape_html(local_name(p, lang)), p["kind"] == "border"]
        for p in regions.places.to_dict("records")
    ]
    PlaceLabels(rows, name="Places and crossings").add_to(m)
