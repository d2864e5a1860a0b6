"""One map convention for the web map and the static exports: colours, sizes, uncertainty styles.

Circle **area** is proportional to people. How sure a count is shows in the symbol's outline:

=============  ============================================================================
kind           drawn as
=============  ============================================================================
``exact``      solid filled circle, solid outline
``about``      filled circle, dashed outline
``open_above`` ("more than" / "at least") filled circle at the low figure plus an outer
               open ring, suggesting "more"
``up_to``      hollow circle, solid outline, sized at the upper bound
``range``      inner filled circle at the low figure, outer outline circle at the high one
``none``       no count: small hollow diamond
=============  ============================================================================

Province-level events are hatched province shading; border-wide events a band along the border.
Sizes are CSS pixels (Leaflet ``CircleMarker`` radius); static maps draw 1 px as 0.75 pt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Fill colour per event type.
TYPE_COLOURS = {
    "forced_return": "#c62828",
    "detention": "#ef6c00",
    "policy": "#37474f",
    "diplomatic": "#5e35b1",
    "report": "#6d4c41",
}
OUTLINE_COLOUR = "#3b0d0d"
FILL_OPACITY = 0.65
OUTLINE_WIDTH_PX = 1.5
#: Dash pattern of the ``about`` outline: SVG/Leaflet ``dashArray`` and matplotlib on/off pixels.
DASH_ARRAY = "4 3"
DASH_PX = (4.0, 3.0)
#: Gap in px between a ``open_above`` circle and its outer ring.
RING_GAP_PX = 4.0
NO_COUNT_SIZE_PX = 7.0

#: Radius in px of a circle for ``people``: ``RADIUS_SCALE * sqrt(people)``, never below MIN.
RADIUS_SCALE = 0.9
MIN_RADIUS_PX = 3.0
#: People shown in the size legend.
LEGEND_SIZES = (10, 100, 500)

#: Province shading: people (best estimate, reference rows) in the view, class lower bounds.
SHADING_BREAKS = (1, 50, 200, 1000)
SHADING_COLOURS = ("#fde0c5", "#facba6", "#f59e72", "#e8654f")
NO_EVENTS_COLOUR = "#f4f1ec"
#: Hatch of provinces with province-level (not point) events.
PROVINCE_HATCH = "///"
PROVINCE_HATCH_COLOUR = "#8e2a1e"
#: Band along the border for border-wide events.
BORDER_BAND_COLOUR = "#c62828"
BORDER_BAND_OPACITY = 0.35
BORDER_BAND_WIDTH_PX = 10.0
BORDER_LINE_COLOUR = "#2b2b2b"
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
        ``kind`` is one of ``exact``, ``about``, ``open_above``, ``up_to``, ``range``, ``none``.
    """
    low_i, best_i, high_i = _int(low), _int(best), _int(high)
    upper = high_i if high_i is not None else best_i
    lower = low_i if low_i is not None else best_i
    if qualifier == "up_to" and upper is not None:
        return Symbol("up_to", None, upper)
    if qualifier in ("more_than", "at_least") and lower is not None:
        return Symbol("open_above", lower, None)
    if low_i is not None and high_i is not None and low_i < high_i:
        return Symbol("range", low_i, high_i)
    figure = next((v for v in (best_i, low_i, high_i) if v is not None), None)
    if figure is None:
        return Symbol("none", None, None)
    return Symbol("exact" if qualifier == "exact" else "about", figure, None)


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
    "about": "about (approximate)",
    "open_above": "more than / at least",
    "up_to": "up to (upper bound)",
    "range": "range: low (filled) to high (ring)",
    "none": "no count given",
}
