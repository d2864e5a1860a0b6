"""Provinces shaded by the people reported in the view's range (classed, colour-blind safe)."""

from __future__ import annotations

from typing import Any

import folium

from render.markup import escape_html
from render.names import local_name
from render.webmap.layers.vector import VectorLayer

#: Lower bounds of the shading classes (best estimates of people), and ColorBrewer Blues.
CLASS_BREAKS = (1, 50, 200, 500)
CLASS_COLOURS = ("#bdd7e7", "#6baed6", "#3182bd", "#08519c")
LAYER_NAME = "Provinces: people in range"


def shade_class(people: int) -> int | None:
    """Return the index of the class ``people`` falls in, or None for no people."""
    index = None
    for i, lower in enumerate(CLASS_BREAKS):
        if people >= lower:
            index = i
    return index


def class_labels() -> list[str]:
    """Return the legend labels of the classes, e.g. ``"1–49"``, ``"500 or more"``."""
    labels = []
    for i, lower in enumerate(CLASS_BREAKS):
        if i + 1 < len(CLASS_BREAKS):
            labels.append(f"{lower:,}–{CLASS_BREAKS[i + 1] - 1:,}")
        else:
            labels.append(f"{lower:,} or more")
    return labels


def _tip(name: str, stats: dict[str, Any] | None) -> str:
    if not stats or not stats.get("events"):
        return escape_html(f"{name}: no events in range")
    shared = stats.get("shared_events") or 0
    text = f"{name}: {stats['events']} events"
    if shared:
        text += f" ({shared} shared with other provinces)"
    text += f"; people: {stats.get('people_low') or 0:,} (best estimate "
    text += f"{stats.get('people_best') or 0:,})"
    return escape_html(text)


def add_province_shading(
    m: folium.Map,
    regions: object,
    by_province: dict[str, dict[str, Any]],
    lang: str,
    outlines: VectorLayer,
) -> None:
    """Shade provinces by ``people_best`` of ``Summary.by_province``.

    The geometry is that of ``outlines`` (the basemap's province layer), written once.
    """
    extra = {}
    for row in regions.display_provinces.drop(columns="geometry").to_dict("records"):
        stats = by_province.get(row["iso_3166_2"])
        cls = shade_class(int((stats or {}).get("people_best") or 0))
        style = (
            {"fillColor": CLASS_COLOURS[cls], "fillOpacity": 0.55}
            if cls is not None
            else {"fillOpacity": 0}
        )
        extra[row["iso_3166_2"]] = {"tip": _tip(local_name(row, lang), stats), "style": style}
    VectorLayer(
        outlines,
        name=escape_html(LAYER_NAME),
        style={"stroke": False, "fillColor": "#ffffff"},
        extra=extra,
    ).add_to(m)
