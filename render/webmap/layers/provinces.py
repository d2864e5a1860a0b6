"""Provinces shaded by the people reported in the view's range (``render.symbology`` classes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
from markupsafe import Markup

from geo.aggregate import ProvinceTotals
from geo.reference import Reference
from i18n import N_, _, ngettext
from render import symbology as sym
from render.markup import escape_html
from render.names import local_name
from render.webmap.layers.vector import VectorLayer
from render.wording import number, people_text

#: The layer's name in the layer control (translated where shown).
LAYER_NAME = N_("Provinces: people in range")


def province_style(totals: ProvinceTotals | None) -> dict[str, Any]:
    """Return the Leaflet fill of a province: its shading class (``symbology``), or none.

    A province without people in the view is left unfilled (the land, or web tiles, show):
    ``symbology.NO_EVENTS_COLOUR`` is the land colour.
    """
    klass = sym.shading_class(totals.people.best if totals else None)
    if klass < 0:
        return {"fillOpacity": 0}
    return {"fillColor": sym.SHADING_COLOURS[klass], "fillOpacity": sym.SHADING_OPACITY}


def _tip(name: str, totals: ProvinceTotals | None) -> Markup:
    if totals is None or not totals.events:
        return escape_html(_("{name}: no events in range").format(name=name))
    people = people_text(totals.people)
    if totals.shared_events:
        text = ngettext(
            "{name}: {n} event ({shared} shared with other provinces); people: {people}",
            "{name}: {n} events ({shared} shared with other provinces); people: {people}",
            totals.events,
        ).format(name=name, n=number(totals.events), shared=number(totals.shared_events),
                 people=people)  # fmt: skip
    else:
        text = ngettext(
            "{name}: {n} event; people: {people}",
            "{name}: {n} events; people: {people}",
            totals.events,
        ).format(name=name, n=number(totals.events), people=people)
    return escape_html(text)


def add_province_shading(
    m: folium.Map,
    regions: Reference,
    by_province: Mapping[str, ProvinceTotals],
    lang: str,
    outlines: VectorLayer,
) -> None:
    """Shade provinces by ``people_best`` of ``Summary.by_province``.

    The geometry is that of ``outlines`` (the basemap's province layer), written once.
    """
    extra = {}
    for row in regions.display_provinces.drop(columns="geometry").to_dict("records"):
        stats = by_province.get(row["iso_3166_2"])
        style = province_style(stats)
        extra[row["iso_3166_2"]] = {"tip": _tip(local_name(row, lang), stats), "style": style}
    VectorLayer(
        outlines,
        name=escape_html(_(LAYER_NAME)),
        style={"stroke": False, "fillColor": "#ffffff"},
        extra=extra,
    ).add_to(m)
