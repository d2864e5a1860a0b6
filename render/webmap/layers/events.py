"""Event symbols: points sized by people, province-level shading, a border-wide band.

Each mapped reference event (``same_event_as == ''``, not a ``report``) is drawn once, by its
``map_level``: ``point`` as a circle whose area is proportional to people (an event placed by
its claims, ``geo.claims``, as one circle per place, their areas adding up to the event's),
``admin1`` as an outlined overlay on its provinces, ``border`` as a band along the whole
border. Claims from other sources appear in the event's popup. Uncertainty is drawn as
``render.symbology`` says.
Past :data:`AGGREGATE_THRESHOLD` point events, points are summed per grid cell instead, and
the page gets no row per event: events are coalesced per place (cell, set of provinces,
border) and first day, with exact counts and people (``layers.packed``), so its size is
bounded by places × days.

All point symbols are one GeoJSON layer; ``bemEventsLayer`` in ``templates/events_layer.js``
builds the symbols from :func:`event_payload` (radii computed here, styles from
``render.symbology.web_symbology``) and returns the ``<name>_timeline`` object
(``update(predicate)``) the time slider drives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from folium.map import Layer
from markupsafe import Markup

from geo.aggregate import people_per_event
from geo.claims import drawn_points, place_attribution, split_ids
from geo.filter import known_dates
from geo.reference import Reference
from i18n import N_, _, ngettext
from render.cells import AGGREGATE_THRESHOLD, grid_cells
from render.markup import escape_html
from render.names import local_name
from render.symbology import (
    MIN_RADIUS_PX,
    TYPE_COLOURS,
    UNBOUNDED_RING,
    UNKNOWN_COLOUR,
    cell_radius_scale,
    radius_px,
    symbol_kinds,
    web_symbology,
)
from render.webmap.layers import packed
from render.webmap.layers.geojson import cached, rounded, simple_line
from render.webmap.layers.template import ScriptElement, script_template
from render.webmap.popups import place_lookup, place_words, popup_html, tooltip_html
from render.wording import people_words

EPOCH = pd.Timestamp("1970-01-01")
#: The layer's name in the layer control (translated where shown: :func:`layer_name`).
LAYER_NAME = N_("Events")


def layer_name() -> Markup:
    """Return the events layer's name in the layer control, in the current language."""
    return escape_html(_(LAYER_NAME))


def _forms(counted: Callable[[int], str]) -> dict[str, str]:
    """Return a counted text's forms for one and for any other number, as escaped HTML."""
    return {"one": str(escape_html(counted(1))), "other": str(escape_html(counted(2)))}


def layer_texts() -> dict[str, Any]:
    """Return the texts ``events_layer.js`` shows, in the current language, as escaped HTML.

    ``{n}`` is a number of events, ``{people}`` their people in words, ``{name}`` a
    province's name; counted texts are ``{"one": ..., "other": ...}``.
    """
    return {
        "events": _forms(lambda n: ngettext("{n} event", "{n} events", n)),
        "cell": _forms(lambda n: ngettext(
            "{n} event in this area; people {people}",
            "{n} events in this area; people {people}", n,
        )),
        "province": _forms(lambda n: ngettext(
            "{name}: {n} province-level event; people {people}",
            "{name}: {n} province-level events; people {people}", n,
        )),
        "border": _forms(lambda n: ngettext(
            "Along the whole border: {n} event; people {people}",
            "Along the whole border: {n} events; people {people}", n,
        )),
        "borderTitle": str(escape_html(_("Along the whole border"))),
    }  # fmt: skip


def _radius(people: np.ndarray) -> np.ndarray:
    """Return ``symbology.radius_px`` of each count, to 0.1 px (the page needs no more)."""
    return np.round(radius_px(people), 1)


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


def day_numbers(references: pd.DataFrame) -> pd.Series:
    """Return each event's first day (``geo.filter.known_dates``) as days since 1970."""
    first = pd.to_datetime(known_dates(references)[0])
    return ((first - EPOCH) // pd.Timedelta(days=1)).astype("Int64")


def event_rows(references: pd.DataFrame) -> np.ndarray:
    """Return ``[first day, low, best, high]`` per event, ``geo.aggregate``'s people rules.

    Floats, one row per row of ``references``; NaN for no first day and for no upper bound.
    """
    low, best = people_per_event(references)
    return np.column_stack([
        day_numbers(references).astype("float64").to_numpy(na_value=np.nan),
        low.astype("float64").to_numpy(), best.astype("float64").to_numpy(),
        references["count_high"].astype("float64").to_numpy(na_value=np.nan),
    ])  # fmt: skip


def _sizes(
    references: pd.DataFrame, styles: np.ndarray, share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the filled radius and the ring radius (NaN: no ring) of each symbol.

    ``share`` is the part of the event's people each symbol stands for (``geo.claims.
    drawn_points``: an event drawn at several places splits its area among them).
    """
    low = references["count_low"].astype("float64").to_numpy(na_value=np.nan)
    best = references["count_best"].astype("float64").to_numpy(na_value=np.nan)
    high = references["count_high"].astype("float64").to_numpy(na_value=np.nan)
    fill_value = np.select(
        [styles == "range", styles == "upto", styles == "unbounded"],
        [low, np.where(np.isnan(high), best, high), np.where(np.isnan(low), best, low)],
        default=np.where(np.isnan(best), low, best),
    )
    inner = _radius(np.nan_to_num(fill_value) * share)
    inner = np.where(styles == "unknown", MIN_RADIUS_PX, inner)
    ring = np.select(
        [styles == "range", styles == "unbounded"],
        [_radius(np.nan_to_num(high) * share), np.round(inner * UNBOUNDED_RING, 1)],
        default=np.nan,
    )
    return inner, ring


def event_payload(
    events: pd.DataFrame, regions: Reference, lang: str, *, aggregate: bool | None = None
) -> dict[str, Any]:
    """Return the data the events layer draws (see ``templates/events_layer.js``).

    Parameters
    ----------
    events
        ``ViewData.events`` (joined, filtered, claims included).
    regions
        ``geo.reference.Reference``: display provinces, border line and gazetteer are used.
    lang
        Language of place names.
    aggregate
        Force (True) or forbid (False) aggregation; by default aggregate past
        :data:`AGGREGATE_THRESHOLD` point events.
    """
    refs = mapped_references(events).reset_index(drop=True)
    at_point = refs["map_level"].eq("point").to_numpy()
    points = drawn_points(refs[at_point], regions.places)
    index = np.flatnonzero(at_point)[points["pos"].to_numpy(dtype=int)]
    if aggregate is None:
        aggregate = len(points) > AGGREGATE_THRESHOLD
    rows = event_rows(refs)
    kinds = list(TYPE_COLOURS)
    colours = [kinds.index(t) if t in TYPE_COLOURS else len(kinds) for t in refs["event_type"]]
    drawn = refs.iloc[index].assign(lon=points["lon"].to_numpy(), lat=points["lat"].to_numpy())
    admin: dict[str, list[int]] = {}
    provinces = refs["provinces"].where(refs["map_level"].eq("admin1"), "")
    for i, codes in enumerate(provinces.tolist()):
        for code in filter(None, codes.split("|")):
            admin.setdefault(code, []).append(i)
    border = np.flatnonzero(refs["map_level"].eq("border").to_numpy())
    ev: dict[str, Any] | list[list[Any]]
    listed: tuple[Mapping[str, list[Any]], list[Any]]
    cells: dict[str, float] | None = None
    if aggregate:
        ev, features, listed, largest = _coalesced(rows, drawn, index, provinces, border)
        cells = {"scale": cell_radius_scale(largest), "largest": largest}
    else:
        ev = [
            [None if np.isnan(v) else int(v) for v in row[:4]] + [c, popup, tip]
            for row, c, popup, tip in zip(
                rows, colours, *_texts(events, refs, regions, lang), strict=True
            )
        ]
        styles = symbol_kinds(
            drawn["count_qualifier"], drawn["count_low"], drawn["count_best"],
            drawn["count_high"],
        )  # fmt: skip
        share = points["share"].to_numpy(dtype=float)
        features = _symbols(drawn, index, styles, *_sizes(drawn, styles, share))
        listed = admin, border.tolist()
    return {
        "ev": ev,
        "pts": {"type": "FeatureCollection", "features": features},
        "agg": aggregate,
        "cells": cells,
        "adm": _admin_payload(admin, listed[0], colours, regions, lang),
        "bor": {
            "geo": cached(regions, "border", lambda: _border_geometry(regions))
            if len(border) else None,
            "ev": listed[1],
        },
        "colours": [*TYPE_COLOURS.values(), UNKNOWN_COLOUR],
        "sym": web_symbology(),
        "words": people_words(),
        "text": layer_texts(),
    }


def _coalesced(
    rows: np.ndarray, drawn: pd.DataFrame, index: np.ndarray, provinces: pd.Series,
    border: np.ndarray,
) -> tuple[
    dict[str, Any], list[dict[str, Any]], tuple[dict[str, list[list[int]]], list], float
]:
    """Return the packed groups, a feature per cell, what admin and border list, the top cell.

    The last is the people (best) of the cell holding the most. Places: the grid cells holding
    point events (an event once per cell it stands in), then each set of provinces of
    province-level events, then the whole border. A cell's feature has ``g``, the
    ``[start, end)`` of its groups; each province code lists the ranges of the
    sets naming it, the border its one range.
    """
    cell, centres = grid_cells(drawn["lon"].to_numpy(), drawn["lat"].to_numpy())
    cells = int(cell.max()) + 1 if len(cell) else 0
    sets, set_names = pd.factorize(provinces[provinces != ""], sort=True)
    at_admin = np.flatnonzero(provinces.to_numpy() != "")
    listed = pd.DataFrame({
        "place": np.concatenate([cell, cells + sets, np.full(len(border), cells + len(set_names))]),
        "event": np.concatenate([index, at_admin, border]),
    }).drop_duplicates()  # fmt: skip
    groups = packed.coalesce(listed["place"].to_numpy(), rows[listed["event"].to_numpy()])
    spans = packed.ranges(groups["place"].to_numpy(), cells + len(set_names) + 1).tolist()
    features = [
        _point(x, y, {"g": spans[c]})
        for c, x, y in zip(centres.index, centres["lon"], centres["lat"], strict=True)
    ]
    admin: dict[str, list[list[int]]] = {}
    for position, codes in enumerate(set_names):
        for code in filter(None, str(codes).split("|")):
            admin.setdefault(code, []).append(spans[cells + position])
    in_cells = groups[groups["place"] < cells]
    largest = float(in_cells.groupby("place")["best"].sum().max()) if len(in_cells) else 0.0
    return packed.pack(groups), features, (admin, [spans[-1]] if len(border) else []), largest


def _texts(
    events: pd.DataFrame, refs: pd.DataFrame, regions: Reference, lang: str
) -> tuple[list[Markup], list[Markup]]:
    """Return the popup and tooltip HTML of each reference event."""
    lookup = place_lookup(regions.places)
    claims = claims_by_event(events)
    popups, tips = [], []
    for event_id in refs["event_id"].tolist():
        rows = claims[event_id]
        row = rows[0]
        named = place_attribution(rows, split_ids(row.get("places_from_claims") or ""))
        attribution = [(local_name(lookup[p], lang), who) for p, who in named if p in lookup]
        where = place_words(row, lookup, lang) or ", ".join(name for name, _ in attribution)
        places = [place_words(r, lookup, lang) for r in rows]
        popups.append(
            popup_html(row, rows, where, claim_places=places, attribution=attribution)
        )
        tips.append(tooltip_html(row, where))
    return popups, tips


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    coordinates = [round(float(lon), 4), round(float(lat), 4)]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": coordinates},
    }


def _symbols(
    points: pd.DataFrame, index: np.ndarray, styles: np.ndarray, inner: np.ndarray, ring: np.ndarray
) -> list[dict[str, Any]]:
    """Return one feature per point event; events at one place get ``k`` of ``n`` and ``R``."""
    place = points["lat"].round(3).astype(str) + "," + points["lon"].round(3).astype(str)
    outer = pd.Series(np.where(np.isnan(ring), inner, ring), index=points.index)
    size = place.map(place.value_counts()).to_numpy()
    rank = place.groupby(place).cumcount().to_numpy()
    largest = outer.groupby(place).transform("max").to_numpy()
    lon, lat = points["lon"].to_numpy(), points["lat"].to_numpy()
    features = []
    # Largest first, so that smaller symbols are drawn on top and stay clickable.
    for j in np.argsort(-outer.to_numpy(), kind="stable"):
        props: dict[str, Any] = {"i": int(index[j]), "s": str(styles[j]), "r": float(inner[j])}
        if not np.isnan(ring[j]):
            props["rh"] = float(ring[j])
        if size[j] > 1:
            props.update(k=int(rank[j]), n=int(size[j]), R=float(largest[j]))
        features.append(_point(lon[j], lat[j], props))
    return features


def _border_geometry(regions: Reference) -> dict[str, Any]:
    line = regions.border
    return rounded(simple_line(line.union_all() if hasattr(line, "union_all") else line))


def _admin_payload(
    admin: dict[str, list[int]], listed: Mapping[str, list[Any]], colours: list[int],
    regions: Reference, lang: str,
) -> dict[str, Any]:
    """Return each province's shape, name, what it lists and its first event's colour."""
    shapes = regions.display_provinces.set_index("iso_3166_2")
    geo, names = {}, {}
    for code in admin:
        if code in shapes.index:
            row = shapes.loc[code]
            geo[code] = rounded(row.geometry)
            names[code] = escape_html(local_name(row.to_dict(), lang))
    return {
        "geo": geo,
        "ev": {c: ids for c, ids in listed.items() if c in geo},
        "col": {c: colours[ids[0]] for c, ids in admin.items() if c in geo},
        "names": names,
    }


class EventsLayer(Layer, ScriptElement):
    """The events of one view as a Leaflet layer, driven by the time slider.

    Parameters
    ----------
    payload
        From :func:`event_payload`.
    name
        Name in the layer control (HTML).
    """

    js_file = "events_layer.js"
    _template = script_template(
        "var {{ this.get_name() }} = L.featureGroup(); var {{ this.get_name() }}_timeline = "
        "bemEventsLayer({{ this._parent.get_name() }}, {{ this.get_name() }}, "
        "{{ this.payload|js }});"
    )

    def __init__(self, payload: dict[str, Any], name: Markup | None = None) -> None:
        super().__init__(name=name or layer_name(), overlay=True, control=True, show=True)
        self._name = "EventsLayer"
        self.payload = payload
