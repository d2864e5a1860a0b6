"""One map convention for the web map and the static exports: colours, sizes, uncertainty styles.

Circle **area** is proportional to people. How sure a count is shows in the symbol:

=============  ============================================================================
kind           drawn as
=============  ============================================================================
``exact``      filled circle, solid outline
``approx``     ("about") lighter fill, dashed outline
``unbounded``  ("more than" / "at least") filled circle at the stated figure plus a dotted
               outer ring (``UNBOUNDED_RING`` times the radius), suggesting "more"
``upto``       ("up to") nearly hollow circle, solid outline, sized at the upper bound
``range``      filled circle at the low figure, solid outer ring at the high figure
``unknown``    no count: small hollow grey circle, dotted outline
=============  ============================================================================

Province-level events: hatched provinces (static) / dashed-outline overlay (web); border-wide
events: a translucent band along the border. Provinces are shaded by the people reported in the
view (best estimate) in the classes of :data:`SHADING_BREAKS`. Sizes and line widths are CSS
pixels (Leaflet ``CircleMarker``); static maps draw 1 px as 0.75 pt.

This module is the only home of these rules: the web map (``render.webmap``: its province layer,
its legend, and ``templates/events_layer.js``, which receives :func:`web_symbology` as JSON)
and the print map (``render.printmap``) both read them from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from i18n import N_, _, formats

#: Fill and outline colour per event type (ColorBrewer Dark2).
TYPE_COLOURS = {
    "forced_return": "#d95f02",
    "detention": "#7570b3",
    "policy": "#1b9e77",
    "diplomatic": "#666666",
    "report": "#a6761d",
}
UNKNOWN_COLOUR = "#555555"


@dataclass(frozen=True)
class Style:
    """Leaflet-like path style of one symbol kind (``dash`` is an SVG ``dashArray`` or None)."""

    fill_opacity: float
    weight: float
    dash: str | None = None


STYLES = {
    "exact": Style(0.75, 1.5),
    "approx": Style(0.45, 2.0, "4 3"),
    "unbounded": Style(0.75, 1.5),
    "upto": Style(0.1, 2.0),
    "range": Style(0.75, 1.5),
    "unknown": Style(0.0, 2.0, "1 3"),
}
#: Outer ring of ``unbounded`` (radius ratio, dash) and of ``range`` (weight).
UNBOUNDED_RING = 1.45
UNBOUNDED_RING_DASH = "2 4"
RING_WEIGHT = 1.5
#: Web map: outline of a province with province-level events (in the event type's colour).
ADMIN_STYLE = Style(0.08, 2.5, "8 5")
#: Web map: a grid cell of summed point events (when there are too many to draw one by one).
CELL_STYLE = Style(0.6, 1.0)
CELL_COLOUR = TYPE_COLOURS["forced_return"]
CELL_EDGE_COLOUR = "#b35806"

#: Radius in px of a circle for ``people``: ``RADIUS_SCALE * sqrt(people)``, never below MIN.
#: Sized to be read from the back of a room on a projector: 500 people is a 67 px circle.
RADIUS_SCALE = 1.5
MIN_RADIUS_PX = 6.0
#: Web map: the radius of the grid cell holding the most people. Cells (past
#: ``render.webmap.layers.events.AGGREGATE_THRESHOLD`` point events) sum so many people that on
#: ``RADIUS_SCALE`` they would cover the map; their areas keep their proportions on a scale of
#: their own (:func:`cell_radius_scale`), which the legend shows.
MAX_CELL_RADIUS_PX = 16.0
#: People shown in the size legend.
LEGEND_SIZES = (10, 100, 500)

#: Province shading: people (best estimate, reference rows) in the view, class lower bounds.
#: Per-province totals run from a few people to over a thousand; 500 people is "500–999".
SHADING_BREAKS = (1, 50, 200, 500, 1000)
#: ColorBrewer Greens (9-class, classes 3–7): one hue in lightness steps, so the classes stay
#: apart for every kind of colour vision; the lightest is clearly not plain land, and none
#: reads as water (the sea is a clear blue). Not grey (land outside China and the DPRK),
#: orange, purple or red (events). Checked by tests/render/test_colour_vision.py.
SHADING_COLOURS = ("#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45")
#: Opacity of the shading fill on both maps (web tiles, if any, show through a little).
SHADING_OPACITY = 0.8
#: Basemap, the same on both maps: land of China and the DPRK, other land, sea, rivers.
MAPPED_COUNTRIES = ("CHN", "PRK")
LAND_COLOUR = "#f4f1ea"
OTHER_LAND_COLOUR = "#ecebe7"
WATER_COLOUR = "#b3cde3"
RIVER_COLOUR = "#1f78b4"
#: Mapped provinces with no people in the view: plain land (the web map leaves them unfilled).
NO_EVENTS_COLOUR = LAND_COLOUR
#: Legend heading and the label of :data:`NO_EVENTS_COLOUR`.
#: (English, marked for the catalogue: translate with ``_()`` where shown.)
SHADING_TITLE = N_("Province shading: people in range (best estimate)")
NO_EVENTS_LABEL = N_("none in this view")
#: Hatch of provinces with province-level (not point) events (static maps).
PROVINCE_HATCH = "///"
PROVINCE_HATCH_COLOUR = "#8e2a1e"
#: Band along the border for border-wide events.
BORDER_BAND_COLOUR = TYPE_COLOURS["forced_return"]
BORDER_BAND_OPACITY = 0.35
BORDER_BAND_WIDTH_PX = 16.0
#: Border sectors, alternating along the border, and their line width.
SECTOR_COLOURS = ("#222222", "#777777")
SECTOR_WIDTH_PX = 2.0
PROVINCE_EDGE_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Symbol:
    """How one event is drawn: its kind and the people its circles stand for."""

    kind: str
    #: People of the filled circle (None: no filled circle).
    inner: int | None
    #: People of the outer outline circle (None: no outer circle).
    outer: int | None


def radius_px(people: Any) -> Any:
    """Return the circle radius in px for a number of people (area proportional to people).

    ``people`` may be a number (returns a float) or an array (returns an array).
    """
    value = np.maximum(MIN_RADIUS_PX, RADIUS_SCALE * np.sqrt(np.maximum(people, 0.0)))
    return value if isinstance(value, np.ndarray) else float(value)


def _int(value: object) -> int | None:
    if value is None:
        return None
    try:
        if math.isnan(float(value)):  # type: ignore[arg-type]
            return None
    except TypeError:
        return None
    return int(value)  # type: ignore[call-overload]


def symbol_kinds(
    qualifier: pd.Series, low: pd.Series, best: pd.Series, high: pd.Series
) -> np.ndarray:
    """Classify how each count is known, which decides how its symbol is drawn.

    Parameters
    ----------
    qualifier
        ``count_qualifier`` per event (``geo.reference.schema.COUNT_QUALIFIERS``).
    low, best, high
        ``count_low``, ``count_best``, ``count_high`` (nullable integers).

    Returns
    -------
    numpy.ndarray
        Per event one of ``exact``, ``approx``, ``unbounded``, ``upto``, ``range``, ``unknown``
        (see the module docstring for how each is drawn).
    """
    q = np.asarray(qualifier, dtype=object)
    has_low, has_best, has_high = (np.asarray(s.notna(), dtype=bool) for s in (low, best, high))
    low_f, high_f = (pd.Series(s, dtype="Float64") for s in (low, high))
    spread = np.asarray((low_f < high_f).fillna(False), dtype=bool)
    conditions = [
        ~(has_low | has_best | has_high),
        np.isin(q, ("more_than", "at_least")) & (has_low | has_best),
        (q == "up_to") & (has_high | has_best),
        has_low & has_high & spread,
        q == "exact",
    ]
    choices = ["unknown", "unbounded", "upto", "range", "exact"]
    return np.select(conditions, choices, default="approx")


def symbol_for(qualifier: str, low: object, best: object, high: object) -> Symbol:
    """Return the symbol of one event (its kind from :func:`symbol_kinds`).

    Parameters
    ----------
    qualifier
        One of ``geo.reference.schema.COUNT_QUALIFIERS``.
    low, best, high
        The event's ``count_low``, ``count_best``, ``count_high`` (None / NA when unknown).

    Returns
    -------
    Symbol
        The kind and the people of the filled and the outline circle.
    """
    one = [pd.Series([_int(v)], dtype="Int64") for v in (low, best, high)]
    return symbols_for(pd.Series([qualifier]), *one)[0]


def symbols_for(
    qualifier: pd.Series, low: pd.Series, best: pd.Series, high: pd.Series
) -> list[Symbol]:
    """Return the symbol of each event, as :func:`symbol_for` (kinds classified at once).

    Parameters
    ----------
    qualifier
        ``count_qualifier`` per event.
    low, best, high
        ``count_low``, ``count_best``, ``count_high`` (nullable integers).

    Returns
    -------
    list of Symbol
        One per event, in order.
    """
    kinds = symbol_kinds(qualifier, low, best, high)
    return [
        _symbol(str(kind), _int(lo), _int(mid), _int(hi))
        for kind, lo, mid, hi in zip(kinds, low, best, high, strict=True)
    ]


def _symbol(kind: str, low_i: int | None, best_i: int | None, high_i: int | None) -> Symbol:
    upper = high_i if high_i is not None else best_i
    lower = low_i if low_i is not None else best_i
    figure = next((v for v in (best_i, low_i, high_i) if v is not None), None)
    return {
        "upto": Symbol(kind, None, upper),
        "unbounded": Symbol(kind, lower, None),
        "range": Symbol(kind, low_i, high_i),
        "unknown": Symbol(kind, None, None),
    }.get(kind, Symbol(kind, figure, None))


def shading_class(people: float | None) -> int:
    """Return the shading class (-1: no people in range, else an index into SHADING_COLOURS)."""
    if people is None or people < SHADING_BREAKS[0]:
        return -1
    return sum(people >= b for b in SHADING_BREAKS) - 1


def shading_colour(people: float | None) -> str:
    """Return the fill of a mapped province with ``people`` in the view (best estimate)."""
    klass = shading_class(people)
    return NO_EVENTS_COLOUR if klass < 0 else SHADING_COLOURS[klass]


def shading_labels() -> list[str]:
    """Return the legend label of each shading class, e.g. ``"50–199"`` and ``"1,000 or more"``."""
    pairs = zip(SHADING_BREAKS, SHADING_BREAKS[1:], strict=False)
    labels = [
        _("{low}–{high}").format(low=formats.number(lo), high=formats.number(hi - 1))
        for lo, hi in pairs
    ]
    return labels + [_("{n} or more").format(n=formats.number(SHADING_BREAKS[-1]))]


def shading_legend() -> list[tuple[str, str]]:
    """Return the shading legend of both maps: ``(colour, label)``, no people first.

    The labels are in the current language.
    """
    classes = zip(SHADING_COLOURS, shading_labels(), strict=True)
    return [(NO_EVENTS_COLOUR, _(NO_EVENTS_LABEL)), *classes]


#: Legend text per kind, in the order the legend lists them.
#: (English, marked for the catalogue; :func:`kind_labels` gives them translated.)
KIND_LABELS = {
    "exact": N_("exact count"),
    "approx": N_("about (approximate)"),
    "unbounded": N_("more than / at least"),
    "upto": N_("up to (upper bound)"),
    "range": N_("range: low (fill) to high (ring)"),
    "unknown": N_("no count given"),
}


def kind_labels() -> dict[str, str]:
    """Return :data:`KIND_LABELS` in the current language, in legend order."""
    return {kind: _(label) for kind, label in KIND_LABELS.items()}


#: The symbol each legend draws next to :data:`KIND_LABELS`.
KIND_EXAMPLES = {
    "exact": Symbol("exact", 60, None),
    "approx": Symbol("approx", 60, None),
    "unbounded": Symbol("unbounded", 40, None),
    "upto": Symbol("upto", None, 60),
    "range": Symbol("range", 25, 100),
    "unknown": Symbol("unknown", None, None),
}


def cell_radius_scale(largest: float) -> float:
    """Return the px per square root of a person for grid cells whose largest has ``largest``.

    ``RADIUS_SCALE``, unless that draws the largest cell wider than ``MAX_CELL_RADIUS_PX``.
    """
    if largest <= 0:
        return RADIUS_SCALE
    return min(RADIUS_SCALE, MAX_CELL_RADIUS_PX / math.sqrt(largest))


def cell_legend_sizes(largest: float, scale: float) -> tuple[int, ...]:
    """Return the people the cell-size legend shows on the cells' ``scale``, smallest first.

    A round number (1, 2 or 5 x 10^k) at most ``largest``, then a tenth and a hundredth of it
    where their circles are larger than the smallest circle (``MIN_RADIUS_PX``).
    """
    if largest < 1:
        return ()
    power = 10 ** math.floor(math.log10(largest))
    top = max(step * power for step in (1, 2, 5) if step * power <= largest)
    smaller = (top // d for d in (10, 100) if top // d >= 1)
    return tuple(sorted([top, *(n for n in smaller if scale * math.sqrt(n) > MIN_RADIUS_PX)]))


def leaflet_style(style: Style) -> dict[str, Any]:
    """Return ``style`` as Leaflet path options (``fillOpacity``, ``weight``, ``dashArray``)."""
    options: dict[str, Any] = {"fillOpacity": style.fill_opacity, "weight": style.weight}
    if style.dash is not None:
        options["dashArray"] = style.dash
    return options


def web_symbology() -> dict[str, Any]:
    """Return the rules ``templates/events_layer.js`` draws with, for it to receive as JSON.

    Symbol radii are computed in Python (:func:`radius_px`); only a grid cell, whose people
    change with the time slider, is sized in the browser, with ``radius`` (its minimum) and
    the cells' scale in the events payload (:func:`cell_radius_scale`).
    """
    return {
        "styles": {kind: leaflet_style(style) for kind, style in STYLES.items()},
        "unknownColour": UNKNOWN_COLOUR,
        "ring": {"weight": RING_WEIGHT, "dash": {"unbounded": UNBOUNDED_RING_DASH}},
        "radius": {"min": MIN_RADIUS_PX},
        "cell": {**leaflet_style(CELL_STYLE), "color": CELL_EDGE_COLOUR, "fillColor": CELL_COLOUR},
        "admin": leaflet_style(ADMIN_STYLE),
        "band": {
            "color": BORDER_BAND_COLOUR,
            "weight": BORDER_BAND_WIDTH_PX,
            "opacity": BORDER_BAND_OPACITY,
        },
    }
