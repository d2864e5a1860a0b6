"""The map's legend: an HTML control explaining sizes, shading classes and uncertainty."""

from __future__ import annotations

from markupsafe import Markup

from i18n import _, ngettext
from render import symbology as sym
from render.cells import cells_note
from render.webmap.layers.template import ScriptElement, script_template
from render.wording import CLAIM_PLACES_NOTE, SUPPORT_NOTE, attribution_html, number, type_label

_INK = sym.TYPE_COLOURS["forced_return"]
#: Padding around a symbol in px (room for its outline).
_PAD = 2.0

def _circle(c: float, r: float, stroke: str, weight: float, dash: str | None,
            fill: str = "none", fill_opacity: float = 0.0) -> Markup:  # fmt: skip
    dashes = Markup(' stroke-dasharray="{}"').format(dash) if dash else ""
    return Markup(
        '<circle cx="{0:.1f}" cy="{0:.1f}" r="{1:.1f}" stroke="{2}" stroke-width="{3}" '
        'fill="{4}" fill-opacity="{5}"{6}/>'
    ).format(c, r, stroke, weight, fill, fill_opacity, dashes)


def _extent(symbol: sym.Symbol) -> float:
    """Return the largest radius in px of ``symbol`` as :func:`symbol_svg` draws it."""
    people = symbol.outer if symbol.kind == "upto" else symbol.inner
    r = sym.radius_px(0 if people is None else people)
    if symbol.kind == "unbounded":
        return r * sym.UNBOUNDED_RING
    if symbol.kind == "range" and symbol.outer is not None:
        return max(r, sym.radius_px(symbol.outer))
    return r


def symbol_svg(symbol: sym.Symbol, colour: str, size: float | None = None) -> Markup:
    """Return an SVG of one symbol drawn as the map draws it (``symbology.STYLES``).

    ``size`` is the radius the picture makes room for (default: the symbol's own extent).
    """
    style = sym.STYLES[symbol.kind]
    people = symbol.outer if symbol.kind == "upto" else symbol.inner
    r = sym.radius_px(0 if people is None else people)
    edge = sym.UNKNOWN_COLOUR if symbol.kind == "unknown" else colour
    c = (size if size is not None else _extent(symbol)) + _PAD
    shapes = [_circle(c, r, edge, style.weight, style.dash, colour, style.fill_opacity)]
    if symbol.kind == "unbounded":
        ring = r * sym.UNBOUNDED_RING
        shapes.append(_circle(c, ring, edge, sym.RING_WEIGHT, sym.UNBOUNDED_RING_DASH))
    if symbol.kind == "range" and symbol.outer is not None:
        shapes.append(_circle(c, sym.radius_px(symbol.outer), edge, sym.RING_WEIGHT, None))
    side = round(2 * c)
    return Markup('<svg width="{0}" height="{0}" aria-hidden="true">{1}</svg>').format(
        side, Markup("").join(shapes)
    )


def _swatch(shape: Markup) -> Markup:
    return Markup('<svg width="24" height="16" aria-hidden="true">{}</svg>').format(shape)


def _area(fill: str, opacity: float, stroke: str, width: float = 1.0, dash: str | None = None
          ) -> Markup:  # fmt: skip
    dashes = Markup(' stroke-dasharray="{}"').format(dash) if dash else ""
    return _swatch(
        Markup(
            '<rect x="2" y="2" width="20" height="12" fill="{}" fill-opacity="{}" stroke="{}" '
            'stroke-width="{}"{}/>'
        ).format(fill, opacity, stroke, width, dashes)
    )


def _row(symbol: Markup, text: str) -> Markup:
    return Markup('<div class="bem-legend-row">{}<span>{}</span></div>').format(symbol, text)


def _heading(text: str) -> Markup:
    return Markup("<h4>{}</h4>").format(text)


def shading_rows() -> list[Markup]:
    """Return the legend rows of the province shading (``symbology.shading_legend``)."""
    return [
        _row(_area(colour, sym.SHADING_OPACITY, "#999"), label)
        for colour, label in sym.shading_legend()
    ]


def _cell_svg(people: int, scale: float, size: float) -> Markup:
    """Return an SVG of a grid cell's circle for ``people`` on the cells' ``scale``."""
    r = sym.cell_radius_px(people, scale)
    style = sym.CELL_STYLE
    c = size + _PAD
    circle = _circle(c, r, sym.CELL_EDGE_COLOUR, style.weight, style.dash, sym.CELL_COLOUR,
                     style.fill_opacity)  # fmt: skip
    return Markup('<svg width="{0}" height="{0}" aria-hidden="true">{1}</svg>').format(
        round(2 * c), circle
    )


def _size_rows(cells: dict[str, float] | None) -> list[Markup]:
    """Return the rows of circle sizes: the symbols' scale, or the grid cells' when summed."""
    if cells is None:
        return [
            _heading(_("People (circle area)")),
            *(_row(symbol_svg(sym.Symbol("exact", n, None), _INK), number(n))
              for n in sym.LEGEND_SIZES),
        ]  # fmt: skip
    sizes = sym.cell_legend_sizes(cells["largest"], cells["scale"])
    extent = max((sym.cell_radius_px(n, cells["scale"]) for n in sizes), default=0.0)
    return [
        _heading(_("People in a grid cell (circle area)")),
        *(_row(_cell_svg(n, cells["scale"], extent), number(n)) for n in sizes),
        Markup("<p>{}</p>").format(cells_note()),
    ]


def legend_html(types: list[str], *, cells: dict[str, float] | None, outside: int) -> Markup:
    """Return the legend's HTML for the event types drawn.

    Parameters
    ----------
    types
        Event types present on the map (for the colour key).
    cells
        When point events are summed per grid cell: the cells' radius scale and the people of
        the largest (``event_payload(...)["cells"]``); None when each is drawn.
    outside
        Number of events outside the map area (listed elsewhere, not drawn).
    """
    parts = [Markup('<details><summary>{}</summary><div class="bem-legend-body">').format(
        _("Legend")
    )]  # fmt: skip
    parts.append(_heading(_("Event type")))
    for kind in types:
        colour = sym.TYPE_COLOURS.get(kind, sym.UNKNOWN_COLOUR)
        dot = sym.Symbol("exact", None, None)
        parts.append(_row(symbol_svg(dot, colour), type_label(kind)))
    parts.extend(_size_rows(cells))
    parts.append(_heading(_("How sure the count is")))
    size = max(_extent(s) for s in sym.KIND_EXAMPLES.values())
    for kind, label in sym.kind_labels().items():
        parts.append(_row(symbol_svg(sym.KIND_EXAMPLES[kind], _INK, size), label))
    parts.append(_heading(_("Where")))
    admin = sym.ADMIN_STYLE
    parts.append(
        _row(
            _area(_INK, admin.fill_opacity, _INK, admin.weight, admin.dash),
            _("province-level report (no precise place)"),
        )
    )
    parts.append(
        _row(
            _swatch(
                Markup(
                    '<line x1="0" y1="8" x2="24" y2="8" stroke="{}" stroke-opacity="{}" '
                    'stroke-width="{}"/>'
                ).format(sym.BORDER_BAND_COLOUR, sym.BORDER_BAND_OPACITY, 12)
            ),
            _("along the whole border"),
        )
    )
    parts.append(Markup("<p>{}</p><p>{}</p>").format(_(CLAIM_PLACES_NOTE), _(SUPPORT_NOTE)))
    parts.append(_heading(_(sym.SHADING_TITLE)))
    parts.extend(shading_rows())
    if outside:
        note = ngettext(
            "{n} event outside the map area is listed, not drawn.",
            "{n} events outside the map area are listed, not drawn.",
            outside,
        )
        parts.append(Markup("<p>{}</p>").format(note.format(n=number(outside))))
    parts.append(Markup("</div></details>"))
    return Markup("").join(parts)


class Legend(ScriptElement):
    """A Leaflet control showing ``html`` (built by :func:`legend_html`) and adding attribution.

    The legend opens closed (a small button); opening or closing it fits the map again so
    that it covers no event (``map.bemLayout``, ``render.webmap.layout``).

    Parameters
    ----------
    html
        The legend's HTML.
    """

    js_file = "legend.js"
    _template = script_template(
        "bemLegend({{ this._parent.get_name() }}, {{ this.options|js }});",
        header="""
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
        .bem-claims { border-collapse: collapse; margin: 4px 0; font-size: 11px; }
        .bem-claims th, .bem-claims td { border: 1px solid #ccc; padding: 1px 3px;
          text-align: left; vertical-align: top; }
        .bem-conflict { color: #b2182b; }
        .bem-single { font-weight: 700; }
        </style>
        """,
    )

    def __init__(self, html: Markup) -> None:
        super().__init__()
        if not isinstance(html, Markup):
            raise TypeError("the legend takes HTML as markupsafe.Markup")
        self._name = "Legend"
        self.html = html
        # Built from escaped parts by render.wording (link_html), so it is HTML already.
        self.attribution = attribution_html()
        self.options = {"html": self.html, "attribution": self.attribution}
