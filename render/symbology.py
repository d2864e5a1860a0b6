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

import numpy as np
import pandas as pd

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
    low_i, best_i, high_i = _int(low), _int(best), _int(high)
    one = [pd.Series([v], dtype="Int64") for v in (low_i, best_i, high_i)]
    kind = str(symbol_kinds(pd.Series([qualifier]), *one)[0])
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
