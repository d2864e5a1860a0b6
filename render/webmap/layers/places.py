"""Crossing and place labels from data/places.csv, in the view's language, never overlapping.

The names are placed in the browser (``bemPlaceLabels`` in ``templates/place_labels.js``), again
after every zoom, pan and slider step: places with events close by first, then border places,
then the others (only from :data:`OTHERS_FROM_ZOOM`); no two names overlap.
"""

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

#: Zoom from which places that are neither on the border nor near an event are named.
OTHERS_FROM_ZOOM = 8
#: The pane of the names: above the shading and lines, below the event symbols (450).
LABEL_PANE, LABEL_Z = "bem-labels", 440
_CSS = """
<style>
.bem-label { position: absolute; left: 0; top: 0; white-space: nowrap; padding: 0 3px;
  background: rgba(255,255,255,0.85); border-radius: 2px; color: #111;
  font: 600 13px/1.35 system-ui, sans-serif; }
</style>
"""


class PlaceLabels(Layer, ScriptElement):
    """Small dots with names placed without overlaps (names of the others on hover).

    Parameters
    ----------
    places
        ``[lat, lon, name (escaped HTML), always labelled]`` per place.
    name
        Name in the layer control (HTML).
    """

    js_file = "place_labels.js"
    _template = script_template(
        "var {{ this.get_name() }} = bemPlaceLabels({{ this._parent.get_name() }}, "
        "{{ this.places|js }}, {{ this.options|js }});",
        header=_CSS,
    )

    def __init__(self, places: list[list[object]], name: Markup) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PlaceLabels"
        self.places = places
        self.options = {
            "pane": LINE_PANE,
            "labelPane": LABEL_PANE,
            "labelZ": LABEL_Z,
            "othersFrom": OTHERS_FROM_ZOOM,
        }


def add_places(m: folium.Map, regions: Reference, lang: str) -> None:
    """Add labels for every gazetteer place; ``kind == "border"`` places come first."""
    rows = [
        [float(p["lat"]), float(p["lon"]), escape_html(local_name(p, lang)), p["kind"] == "border"]
        for p in regions.places.to_dict("records")
    ]
    PlaceLabels(rows, name=escape_html(_("Places and crossings"))).add_to(m)
