"""The map's legend: an HTML control explaining sizes, shading classes and uncertainty."""

from __future__ import annotations

from render.markup import escape_html
from render.symbology import MIN_RADIUS_PX, TYPE_COLOURS, UNBOUNDED_RING
from render.webmap.layers.events import CELL_DEGREES, radius
from render.webmap.layers.provinces import CLASS_COLOURS, class_labels
from render.webmap.layers.template import JsTemplate, RawMacroElement
from render.webmap.popups import TYPE_LABELS

SIZE_EXAMPLES = (10, 100, 500)
ATTRIBUTION = (
    'Boundaries and rivers: <a href="https://www.naturalearthdata.com/" target="_blank" '
    'rel="noopener noreferrer">Natural Earth</a>; places © <a href="https://www.geonames.org/" '
    'target="_blank" rel="noopener noreferrer">GeoNames</a>, CC BY 4.0'
)
_INK = "#d95f02"


def _circle(r: float, *, fill: float = 0.75, dash: str = "", colour: str = _INK) -> str:
    return (
        f'<circle cx="{r + 2:.1f}" cy="{r + 2:.1f}" r="{r:.1f}" stroke="{colour}" '
        f'fill="{colour}" fill-opacity="{fill}" stroke-width="1.5"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + "/>"
    )


def _svg(*shapes: str, size: float) -> str:
    side = f"{size + 4:.0f}"
    return f'<svg width="{side}" height="{side}" aria-hidden="true">{"".join(shapes)}</svg>'


def _ring(inner: float, outer: float, dash: str) -> str:
    c = outer + 2
    return (
        f'<circle cx="{c:.1f}" cy="{c:.1f}" r="{inner:.1f}" fill="{_INK}" fill-opacity="0.75" '
        f'stroke="{_INK}"/><circle cx="{c:.1f}" cy="{c:.1f}" r="{outer:.1f}" fill="none" '
        f'stroke="{_INK}" stroke-width="1.5"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + "/>"
    )


def _row(symbol: str, text: str) -> str:
    return f'<div class="bem-legend-row">{symbol}<span>{escape_html(text)}</span></div>'


def legend_html(types: list[str], *, aggregated: bool, outside: int) -> str:
    """Return the legend's HTML for the event types drawn.

    Parameters
    ----------
    types
        Event types present on the map (for the colour key).
    aggregated
        Whether point events are summed per grid cell.
    outside
        Number of events outside the map area (listed elsewhere, not drawn).
    """
    r = radius(100)
    parts = ['<details open><summary>Legend</summary><div class="bem-legend-body">']
    parts.append("<h4>Event type</h4>")
    for kind in types:
        colour = TYPE_COLOURS.get(kind, "#666666")
        parts.append(_row(_svg(_circle(6, colour=colour), size=12), TYPE_LABELS.get(kind, kind)))
    parts.append("<h4>People (circle area)</h4>")
    for n in SIZE_EXAMPLES:
        parts.append(_row(_svg(_circle(radius(n)), size=2 * radius(n)), f"{n:,}"))
    if aggregated:
        parts.append(f"<p>Many events: circles sum the events in {CELL_DEGREES}° cells.</p>")
    outer = r * UNBOUNDED_RING
    parts.append("<h4>How sure the count is</h4>")
    parts.append(_row(_svg(_circle(r), size=2 * outer), "exact number"))
    parts.append(_row(_svg(_circle(r, fill=0.45, dash="4 3"), size=2 * outer), "approximate"))
    parts.append(
        _row(_svg(_ring(r, outer, "2 4"), size=2 * outer), "more than / at least (no upper bound)")
    )
    parts.append(
        _row(_svg(_ring(radius(40), r, ""), size=2 * outer), "range: low (fill) – high (ring)")
    )
    parts.append(_row(_svg(_circle(r, fill=0.1), size=2 * outer), "up to (maximum)"))
    parts.append(
        _row(
            _svg(_circle(MIN_RADIUS_PX, fill=0, dash="1 3", colour="#555555"), size=2 * outer),
            "number not stated",
        )
    )
    parts.append("<h4>Where</h4>")
    parts.append(
        _row(
            '<svg width="24" height="16" aria-hidden="true"><rect x="2" y="2" width="20" '
            f'height="12" fill="{_INK}" fill-opacity="0.08" stroke="{_INK}" stroke-width="2" '
            'stroke-dasharray="5 3"/></svg>',
            "province-level report (no precise place)",
        )
    )
    parts.append(
        _row(
            '<svg width="24" height="16" aria-hidden="true"><line x1="0" y1="8" x2="24" y2="8" '
            f'stroke="{_INK}" stroke-opacity="0.35" stroke-width="10"/></svg>',
            "along the whole border",
        )
    )
    parts.append("<h4>Province shading: people in range (best estimate)</h4>")
    for colour, label in zip(CLASS_COLOURS, class_labels(), strict=True):
        parts.append(
            _row(
                f'<svg width="24" height="16" aria-hidden="true"><rect x="2" y="2" width="20" '
                f'height="12" fill="{colour}" stroke="#999"/></svg>',
                label,
            )
        )
    if outside:
        parts.append(f"<p>{outside:,} events outside the map area are listed, not drawn.</p>")
    parts.append("</div></details>")
    return "".join(parts)


class Legend(RawMacroElement):
    """A Leaflet control showing ``html`` (built by :func:`legend_html`) and adding attribution."""

    _template = JsTemplate(
        """
        {% macro header(this, kwargs) %}
        <style>
        .bem-legend { background: rgba(255,255,255,0.95); padding: 6px 10px; max-height: 60vh;
          overflow-y: auto; font: 12px/1.3 system-ui, sans-serif; color: #222; max-width: 260px; }
        .bem-legend h4 { margin: 8px 0 2px; font-size: 12px; }
        .bem-legend summary { font-weight: 700; cursor: pointer; }
        .bem-legend-row { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
        .bem-legend p { margin: 4px 0; }
        .bem-place-label { background: rgba(255,255,255,0.8); border: 0; box-shadow: none;
          padding: 0 3px; font: 11px system-ui, sans-serif; }
        .bem-place-label::before { display: none; }
        .bem-popup q, .bem-list q { display: block; font-style: italic; color: #444; }
        .bem-popup ol { padding-left: 18px; margin: 4px 0; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var Legend = L.Control.extend({
                options: {position: "topright"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "bem-legend leaflet-bar");
                    box.innerHTML = {{ this.html|js }};
                    if (map.getSize().y < 700) {
                        box.querySelector("details").open = false;  // keep small maps visible
                    }
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                }
            });
            new Legend().addTo(map);
            map.attributionControl.addAttribution({{ this.attribution|js }});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.attribution = ATTRIBUTION
