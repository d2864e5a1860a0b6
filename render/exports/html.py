"""Write a view's map as one self-contained HTML file (Leaflet, CJK font subset; no network)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import cast

from branca.element import Figure

from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import _, language
from render.markup import escape_html
from render.webmap.build import build_map
from render.webmap.layers.tiles import tile_hosts
from render.wording import range_text

_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def content_security_policy(page: str, basemap: str) -> str:
    """Return a CSP allowing exactly the page's inline scripts (by hash) and chosen tiles.

    Styles may be inline (Leaflet and the popups use style attributes); images may be data:
    URIs or come from the tile host of ``basemap``; fonts only from data: URIs (the embedded
    CJK subset); nothing else loads.
    """
    hashes = sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            + "'"
            for body in _SCRIPT.findall(page)
        }
    )
    images = " ".join(("data:", *tile_hosts(basemap)))
    return (
        f"default-src 'none'; script-src {' '.join(hashes)}; style-src 'unsafe-inline'; "
        f"img-src {images}; font-src data:; base-uri 'none'; form-action 'none'"
    )


def render_page(data: ViewData, regions: Reference) -> str:
    """Return the self-contained HTML page of a view's map, with its CSP meta tag.

    The page (its title and the map's words) is in the view's language (``data.view.lang``).
    """
    view = data.view
    with language(view.lang):
        m = build_map(data, regions, inline_assets=True)
        title = _("China–North Korea border events, {dates}").format(
            dates=range_text(view.start, view.end)
        )
        cast(Figure, m.get_root()).title = escape_html(title)
        page = m.get_root().render()
    csp = content_security_policy(page, view.basemap)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape_html(csp)}">'
    return page.replace("<head>", f'<head>\n<meta charset="utf-8">\n{meta}', 1)


def export_html(data: ViewData, regions: Reference, out: Path) -> Path:
    """Write the map of ``data`` (a ``geo.pipeline.ViewData``) to ``out``; return ``out``.

    The file needs no network: Leaflet is inlined and the basemap comes from data/. Only the
    web tiles named by ``data.view.basemap`` (if not ``"none"``) are fetched when opened.
    """
    out = Path(out)
    out.write_text(render_page(data, regions), encoding="utf-8")
    return out
