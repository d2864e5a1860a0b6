"""A GeoJSON layer styled from its features' properties, with pre-escaped tooltips."""

from __future__ import annotations

from typing import Any

from folium.map import Layer

from render.webmap.layers.template import JsTemplate, RawMacroElement


class VectorLayer(Layer, RawMacroElement):
    """GeoJSON drawn with one base style, overridden per feature by ``properties["style"]``.

    A feature's ``properties["tip"]``, if present, is bound as its tooltip: it must already be
    escaped HTML (see ``render.markup``). Layer names must be escaped HTML too, because
    Leaflet's layer control shows them as HTML.

    Parameters
    ----------
    data
        A GeoJSON FeatureCollection (dict), or another ``VectorLayer`` whose geometry this
        layer draws again (rendered earlier in the page; the data is written once).
    name
        Name in the layer control.
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

    _template = JsTemplate(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {% if this.source -%}
            {{ this.source.get_name() }}_data{% else %}{{ this.data|js }}{% endif %};
        var {{ this.get_name() }}_extra = {{ this.extra|js }};
        function {{ this.get_name() }}_props(f) {
            return Object.assign({}, f.properties, {{ this.get_name() }}_extra[f.properties.id]);
        }
        var {{ this.get_name() }} = L.geoJSON({{ this.get_name() }}_data, {
            {%- if this.pane %}pane: {{ this.pane|js }},{% endif %}
            interactive: {{ this.interactive|js }},
            style: function (f) {
                var p = {{ this.get_name() }}_props(f);
                return Object.assign({}, {{ this.style|js }}, p.style || {});
            },
            onEachFeature: function (f, layer) {
                var p = {{ this.get_name() }}_props(f);
                if (p.tip) {
                    layer.bindTooltip(p.tip, {sticky: true});
                }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any] | VectorLayer,
        name: str,
        style: dict[str, Any],
        *,
        control: bool = True,
        show: bool = True,
        overlay: bool = True,
        pane: str | None = None,
        interactive: bool = True,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "VectorLayer"
        self.source = data if isinstance(data, VectorLayer) else None
        self.data = None if self.source else data
        self.extra = extra or {}
        self.style = style
        self.pane = pane
        self.interactive = interactive
