"""A GeoJSON layer styled from its features' properties, with pre-escaped tooltips."""

from __future__ import annotations

from typing import Any

from folium.map import Layer
from markupsafe import Markup

from render.webmap.layers.template import ScriptElement, script_template

#: The page's global object that published layer data is kept in, by key
#: (``render.webmap.published``).
DATA_GLOBAL = "bemData"


class VectorLayer(Layer, ScriptElement):
    """GeoJSON drawn with one base style, overridden per feature by ``properties["style"]``.

    A feature's ``properties["tip"]``, if present, is bound as its tooltip: it must be escaped
    HTML, a ``markupsafe.Markup`` (see ``render.markup``). The layer's name must be ``Markup``
    too, because Leaflet's layer control shows it as HTML. The JavaScript is
    ``bemVectorLayer`` in ``templates/vector_layer.js``.

    Parameters
    ----------
    data
        A GeoJSON FeatureCollection (dict), or another ``VectorLayer`` whose geometry this
        layer draws again (rendered earlier in the page; the data is written once).
    name
        Name in the layer control (HTML).
    style
        Leaflet path options shared by all features.
    control, show, overlay
        As for ``folium.map.Layer``.
    pane
        Leaflet pane name, or None for the default overlay pane.
    interactive
        Whether features react to the mouse (tooltips need it).
    extra
        Properties (``style``, ``tip``) by feature ``properties["id"]``, merged over the
        feature's own.
    """

    js_file = "vector_layer.js"
    _template = script_template(
        "var {{ this.get_name() }}_data = {% if this.source %}{{ this.source.get_name() }}_data"
        "{% elif this.published %}" + DATA_GLOBAL + "[{{ this.published|js }}]"
        "{% else %}{{ this.data|js }}{% endif %}; var {{ this.get_name() }} = "
        "bemVectorLayer({{ this.get_name() }}_data, {{ this.options|js }});"
    )

    def __init__(
        self,
        data: dict[str, Any] | VectorLayer,
        name: Markup,
        style: dict[str, Any],
        *,
        control: bool = True,
        show: bool = True,
        overlay: bool = True,
        pane: str | None = None,
        interactive: bool = True,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        if not isinstance(name, Markup):
            raise TypeError("a layer's name is HTML: pass markupsafe.Markup")
        tips = [p.get("tip") for p in (extra or {}).values()]
        if isinstance(data, dict):
            tips += [f.get("properties", {}).get("tip") for f in data.get("features", [])]
        if any(tip is not None and not isinstance(tip, Markup) for tip in tips):
            raise TypeError("tooltips are HTML: pass markupsafe.Markup (see render.markup)")
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "VectorLayer"
        self.source = data if isinstance(data, VectorLayer) else None
        self.data = None if self.source else data
        #: The key of ``data`` in the page's ``bemData``, once a script file holds it
        #: (``render.webmap.published``); until then the data is written in the page.
        self.published: str | None = None
        self.options = {
            "style": style,
            "extra": extra or {},
            "pane": pane,
            "interactive": interactive,
        }
