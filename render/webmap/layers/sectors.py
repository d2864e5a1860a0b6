"""Border sectors: the China–DPRK line split by the pair of provinces on either side."""

from __future__ import annotations

import folium
from markupsafe import Markup

from geo.reference import Reference
from render import symbology as sym
from render.markup import escape_html
from render.webmap.layers.basemap import LINE_PANE
from render.webmap.layers.geojson import cached, frame_collection, simple_line
from render.webmap.layers.vector import VectorLayer


def _sectors(regions: Reference) -> dict:
    sectors = regions.sectors.reset_index(drop=True)
    sectors = sectors.set_geometry(simple_line(sectors.geometry))
    colours = {sid: sym.SECTOR_COLOURS[i % 2] for i, sid in enumerate(sectors["sector_id"])}
    return frame_collection(
        sectors,
        lambda r: {
            "tip": escape_html(f"Border sector {r.name_en} ({r.length_km:,.0f} km)"),
            "style": {"color": colours[r.sector_id]},
        },
    )


def add_sectors(m: folium.Map, regions: Reference) -> None:
    """Add one line per border sector, alternating dark and grey, with name and length."""
    VectorLayer(
        cached(regions, "sectors", lambda: _sectors(regions)),
        name=Markup("Border sectors"),
        style={"weight": sym.SECTOR_WIDTH_PX, "opacity": 0.9, "lineCap": "butt"},
        pane=LINE_PANE,
    ).add_to(m)
