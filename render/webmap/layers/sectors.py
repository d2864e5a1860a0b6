"""Border sectors: the China–DPRK line split by the pair of provinces on either side."""

from __future__ import annotations

import folium

from geo.reference import Reference
from i18n import _, language
from render import symbology as sym
from render.markup import escape_html
from render.names import local_name, sector_label
from render.webmap.layers.basemap import LINE_PANE
from render.webmap.layers.geojson import cached, frame_collection, simple_line
from render.webmap.layers.vector import VectorLayer


def _sectors(regions: Reference, lang: str) -> dict:
    with language(lang):
        return _sector_lines(regions, lang)


def _sector_lines(regions: Reference, lang: str) -> dict:
    sectors = regions.sectors.reset_index(drop=True)
    rows = sectors.drop(columns="geometry").to_dict("records")
    names = {row["sector_id"]: local_name(row, lang) for row in rows}
    sectors = sectors.set_geometry(simple_line(sectors.geometry))
    colours = {sid: sym.SECTOR_COLOURS[i % 2] for i, sid in enumerate(sectors["sector_id"])}
    return frame_collection(
        sectors,
        lambda r: {
            "tip": escape_html(sector_label(names[r.sector_id], r.length_km)),
            "style": {"color": colours[r.sector_id]},
        },
    )


def add_sectors(m: folium.Map, regions: Reference, lang: str = "en") -> None:
    """Add one line per border sector, alternating dark and grey, named in ``lang``."""
    VectorLayer(
        cached(regions, f"sectors-{lang}", lambda: _sectors(regions, lang)),
        name=escape_html(_("Border sectors")),
        style={"weight": sym.SECTOR_WIDTH_PX, "opacity": 0.9, "lineCap": "butt"},
        pane=LINE_PANE,
    ).add_to(m)
