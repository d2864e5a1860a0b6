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
events: a translucent band along the border. Sizes and line widths are CSS pixels (Leaflet
``CircleMarker``); static maps draw 1 px as 0.75 pt. The web map (components/map_layers/events.py,
templates/events_layer.js) uses the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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

#: Radius in px of a circle for ``people``: ``RADIUS_SCALE * sqrt(people)``, never below MIN.
RADIUS_SCALE = 1.0
MIN_RADIUS_PX = 4.0
#: People shown in the size legend.
LEGEND_SIZES = (10, 100, 500)

#: Province shading: people (best estimate, reference rows) in the view, class lower bounds.
SHADING_BREAKS = (1, 50, 200, 1000)
SHADING_COLOURS = ("#fde0c5", "#facba6", "#f59e72", "#e8654f")
NO_EVENTS_COLOUR = "#f4f1ec"
#: Hatch of provinces with province-level (not point) events (static maps).
PROVINCE_HATCH = "///"
PROVINCE_HATCH_COLOUR = "#8e2a1e"
#: Band along the border for border-wide events.
BORDER_BAND_COLOUR = "#d95f02"
BORDER_BAND_OPACITY = 0.35
BORDER_BAND_WIDTH_PX = 16.0
SECTOR_COLOURS = ("#455a64", "#90a4ae")
RIVER_COLOUR = "#4a90c2"
LAND_COLOUR = "#fbfaf7"
WATER_COLOUR = "#dcebf5"
PROVINCE_EDGE_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Symbol:
    """How one event is drawn: its kind and the people its circles stand for."""

    kind: str
    #: People of the filled circle (None: no filled circle).
    inner: int | None
    #: People of the outer outline circle (None: no outer circle).
    outer: int | None


def radius_px(people: float) -> float:
    """Return the circle radius in px for a number of people (area proportional to people)."""
    return max(MIN_RADIUS_PX, RADIUS_SCALE * math.sqrt(max(people, 0.0)))


def _int(value: object) -> int | None:
    if value is None:
        return None
    try:
        if math.isnan(float(value)):  # type: ignore[arg-type]
            return None
    except TypeError:
        return None
    return int(value)  # type: ignore[call-overload]


def symbol_for(qualifier: str, low: object, best: object, high: object) -> Symbol:
    """Return the symbol of an event from its count qualifier and figures.

    Parameters
    ----------
    qualifier
        One of ``geo.schema.COUNT_QUALIFIERS``.
    low, best, high
        The event's ``count_low``, ``count_best``, ``count_high`` (None / NA when unknown).

    Returns
    -------
    Symbol
        ``kind`` is one of ``exact``, ``approx``, ``unbounded``, ``upto``, ``range``, ``unknown``.
    """
    low_i, best_i, high_i = _int(low), _int(best), _int(high)
    upper = high_i if high_i is not None else best_i
    lower = low_i if low_i is not None else best_i
    if qualifier == "up_to" and upper is not None:
        return Symbol("upto", None, upper)
    if qualifier in ("more_than", "at_least") and lower is not None:
        return Symbol("unbounded", lower, None)
    if low_i is not None and high_i is not None and low_i < high_i:
        return Symbol("range", low_i, high_i)
    figure = next((v for v in (best_i, low_i, high_i) if v is not None), None)
    if figure is None:
        return Symbol("unknown", None, None)
    return Symbol("exact" if qualifier == "exact" else "approx", figure, None)


def shading_class(people: float | None) -> int:
    """Return the shading class (-1: no people in range, else an index into SHADING_COLOURS)."""
    if people is None or people < SHADING_BREAKS[0]:
        return -1
    return sum(people >= b for b in SHADING_BREAKS) - 1


def shading_labels() -> list[str]:
    """Return the legend label of each shading class, e.g. ``"50–199"`` and ``"1,000 or more"``."""
    pairs = zip(SHADING_BREAKS, SHADING_BREAKS[1:], strict=False)
    labels = [f"{lo:,}–{hi - 1:,}" for lo, hi in pairs]
    return labels + [f"{SHADING_BREAKS[-1]:,} or more"]


#: Legend text per kind, in the order the legend lists them.
KIND_LABELS = {
    "exact": "exact count",
    "approx": "about (approximate)",
    "unbounded": "more than / at least",
    "upto": "up to (upper bound)",
    "range": "range: low (fill) to high (ring)",
    "unknown": "no count given",
}
