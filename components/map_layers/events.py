"""Event symbols: points sized by people, province-level shading, a border-wide band.

Each mapped reference event (``same_event_as == ''``, not a ``report``) is drawn once, by its
``map_level``: ``point`` as a circle whose area is proportional to people, ``admin1`` as an
outlined overlay on its provinces, ``border`` as a band along the whole border. Claims from other
sources appear in the event's popup. Uncertainty is drawn (see :func:`uncertainty_style`).
Past :data:`AGGREGATE_THRESHOLD` point events, points are summed per grid cell instead.

All point symbols are one GeoJSON layer; the JavaScript in ``templates/events_layer.js`` builds
the symbols and exposes ``<name>_timeline`` (``events``, ``update(predicate)``) for the time
slider.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from folium.map import Layer

from components.map_layers.geojson import rounded, simple_line
from components.map_layers.names import local_name
from components.map_layers.template import JsTemplate, RawMacroElement
from components.map_text import escape_html
from components.popups import place_lookup, place_words, popup_html, tooltip_html

#: Pixels of radius per square root of a person (area proportional to people).
RADIUS_SCALE = 1.0
#: Smallest radius drawn, so that 1 or 2 people stay visible and clickable.
MIN_RADIUS = 4.0
#: Ring of an unbounded count ("more than 500"), relative to the filled circle.
UNBOUNDED_RING = 1.45
#: Point events beyond which the layer sums events per grid cell.
AGGREGATE_THRESHOLD = 2000
#: Grid cell size in degrees for aggregated points.
CELL_DEGREES = 0.25
TYPE_COLOURS = {
    "forced_return": "#d95f02",
    "detention": "#7570b3",
    "policy": "#1b9e77",
    "diplomatic": "#666666",
}
EPOCH = pd.Timestamp("1970-01-01")
_JS = (Path(__file__).resolve().parent.parent / "templates" / "events_layer.js").read_text(
    encoding="utf-8"
)


def uncertainty_style(qualifier: str, low: Any, best: Any, high: Any) -> str:
    """Classify how a count is known, which decides how its symbol is drawn.

    Returns
    -------
    str
        ``exact`` (solid), ``approx`` ("about": dashed outline), ``unbounded`` ("more than",
        "at least": filled circle for the stated number and a dotted outer ring), ``upto``
        ("up to": hollow circle at the maximum), ``range`` (low–high: filled circle for the
        low end, solid ring for the high end) or ``unknown`` (small dotted grey circle).
    """
    known = [v is not None and not pd.isna(v) for v in (low, best, high)]
    if qualifier in ("more_than", "at_least"):
        return "unbounded"
    if qualifier == "up_to":
        return "upto"
    if known[0] and known[2] and not known[1] and low != high:
        return "range"
    if qualifier == "about":
        return "approx"
    if qualifier == "exact" and known[1]:
        return "exact"
    return "unknown" if not any(known) else ("range" if known[0] and known[2] else "approx")


def radius(people: float) -> float:
    """Return the circle radius in pixels for ``people`` (area proportional)."""
    return round(max(MIN_RADIUS, math.sqrt(max(people, 0)) * RADIUS_SCALE), 1)


def _num(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _day_number(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else (pd.Timestamp(value) - EPOCH).days


def mapped_references(events: pd.DataFrame) -> pd.DataFrame:
    """Return the reference rows the map draws: not claims, not reports, inside the map area."""
    keep = (
        (events["same_event_as"] == "")
        & (events["event_type"] != "report")
        & events["map_level"].isin(("point", "admin1", "border"))
    )
    return events[keep]


def claims_by_event(events: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Return every row about each event, reference row first, keyed by the reference id."""
    columns = [c for c in events.columns if c != "geometry"]
    claims: dict[str, list[dict[str, Any]]] = {}
    records = pd.DataFrame(events[columns]).to_dict("records")
    for row in sorted(records, key=lambda r: r["same_event_as"] != ""):
        claims.setdefault(row["same_event_as"] or row["event_id"], []).append(row)
    return claims


def _symbol_sizes(style: str, low: int | None, best: int | None, high: int | None):
    """Return (filled radius, ring radius or None) for a symbol."""
    if style == "unknown":
        return MIN_RADIUS, None
    if style == "range":
        return radius(low or 0), radius(high or 0)
    if style == "upto":
        return radius(high if high is not None else best or 0), None
    if style == "unbounded":
        inner = radius(low if low is not None else best or 0)
        return inner, round(inner * UNBOUNDED_RING, 1)
    return radius(best if best is not None else low or 0), None


def event_payload(
    events: pd.DataFrame, regions: Any, lang: str, *, aggregate: bool | None = None
) -> dict[str, Any]:
    """Return the data the events layer draws (see ``templates/events_layer.js``).

    Parameters
    ----------
    events
        ``ViewData.events`` (joined, filtered, claims included).
    regions
        ``geo.regions.Regions``: display provinces, border line and gazetteer are used.
    lang
        Language of place names.
    aggregate
        Force (True) or forbid (False) aggregation; by default aggregate past
        :data:`AGGREGATE_THRESHOLD` point events.
    """
    refs = mapped_references(events).reset_index(drop=True)
    points = refs["map_level"].eq("point") & refs["lat"].notna() & refs["lon"].notna()
    if aggregate is None:
        aggregate = int(points.sum()) > AGGREGATE_THRESHOLD
    lookup = place_lookup(regions.places)
    claims = {} if aggregate else claims_by_event(events)
    ev: list[list[Any]] = []
    point_features: list[dict[str, Any]] = []
    admin: dict[str, list[int]] = {}
    border: list[int] = []
    groups = refs["lat"].round(3).astype(str) + "," + refs["lon"].round(3).astype(str)
    group_sizes = groups[points].value_counts()
    group_seen: dict[str, int] = {}
    group_max: dict[str, float] = {}
    for i, row in enumerate(refs.to_dict("records")):
        low, best, high = (_num(row[c]) for c in ("count_low", "count_best", "count_high"))
        t0 = _day_number(row["date_start"])
        if t0 is None:
            t0 = _day_number(row["date_end"])
        popup = tip = ""
        if not aggregate:
            where = place_words(row, lookup, lang)
            popup = popup_html(row, claims.get(row["event_id"], [row]), where)
            tip = tooltip_html(row, where)
        colour = TYPE_COLOURS.get(row["event_type"], "#666666")
        ev.append([t0, low or 0, best if best is not None else low or 0, high, colour, popup, tip])
        if points.iloc[i]:
            style = uncertainty_style(row["count_qualifier"], low, best, high)
            r, ring = _symbol_sizes(style, low, best, high)
            g = groups.iloc[i]
            k = group_seen.get(g, 0)
            group_seen[g] = k + 1
            group_max[g] = max(group_max.get(g, 0.0), ring or r)
            point_features.append(
                {"lon": float(row["lon"]), "lat": float(row["lat"]), "i": i, "s": style,
                 "r": r, "rh": ring, "k": k, "n": int(group_sizes[g]), "g": g}
            )  # fmt: skip
        elif row["map_level"] == "admin1":
            for code in filter(None, str(row["provinces"]).split("|")):
                admin.setdefault(code, []).append(i)
        elif row["map_level"] == "border":
            border.append(i)
    return {
        "ev": ev,
        "pts": _cells(point_features)
        if aggregate
        else _point_collection(point_features, group_max),
        "agg": aggregate,
        "adm": _admin_payload(admin, regions, lang),
        "bor": {"geo": _border_geometry(regions) if border else None, "ev": border},
        "scale": RADIUS_SCALE,
        "min": MIN_RADIUS,
    }


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    coordinates = [round(lon, 4), round(lat, 4)]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": coordinates},
    }


def _point_collection(
    features: list[dict[str, Any]], group_max: dict[str, float]
) -> dict[str, Any]:
    out = []
    # Largest first, so that smaller symbols are drawn on top and stay clickable.
    for f in sorted(features, key=lambda f: -(f["rh"] or f["r"])):
        props = {k: f[k] for k in ("i", "s", "r", "rh") if f[k] is not None}
        if f["n"] > 1:
            props.update(k=f["k"], n=f["n"], R=group_max[f["g"]])
        out.append(_point(f["lon"], f["lat"], props))
    return {"type": "FeatureCollection", "features": out}


def _cells(features: list[dict[str, Any]]) -> dict[str, Any]:
    out = []
    if features:
        frame = pd.DataFrame(features)
        frame["cx"] = np.floor(frame["lon"] / CELL_DEGREES).astype(int)
        frame["cy"] = np.floor(frame["lat"] / CELL_DEGREES).astype(int)
        for _, cell in frame.groupby(["cx", "cy"], sort=True):
            props = {"ids": cell["i"].tolist()}
            out.append(_point(float(cell["lon"].mean()), float(cell["lat"].mean()), props))
    return {"type": "FeatureCollection", "features": out}


def _border_geometry(regions: Any) -> dict[str, Any]:
    line = regions.border
    return rounded(simple_line(line.union_all() if hasattr(line, "union_all") else line))


def _admin_payload(admin: dict[str, list[int]], regions: Any, lang: str) -> dict[str, Any]:
    shapes = regions.display_provinces.set_index("iso_3166_2")
    geo, names = {}, {}
    for code in admin:
        if code in shapes.index:
            row = shapes.loc[code]
            geo[code] = rounded(row.geometry)
            names[code] = escape_html(local_name(row.to_dict(), lang))
    return {"geo": geo, "ev": {c: ids for c, ids in admin.items() if c in geo}, "names": names}


class EventsLayer(Layer, RawMacroElement):
    """The events of one view as a Leaflet layer, driven by the time slider.

    Parameters
    ----------
    payload
        From :func:`event_payload`.
    name
        Escaped HTML name for the layer control.
    """

    _template = JsTemplate("{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}")

    def __init__(self, payload: dict[str, Any], name: str = "Events") -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "EventsLayer"
        self.payload = payload
