"""Write a view's map as one self-contained HTML file (Leaflet, CJK font subset; no network).

Above the map, a header gives the title, the view's dates and its headline figures
(``render.wording.headline_figures``, as the app shows them); the map fills the rest of the
window above its control bar (``render.webmap.layout``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import cast

from branca.element import Figure
from markupsafe import Markup

from geo.aggregate import Summary
from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import _, language
from render.markup import escape_html
from render.names import province_names
from render.webmap.build import build_map
from render.webmap.fonts import add_cjk_font
from render.webmap.layers.template import RawHtml
from render.webmap.layers.tiles import tile_hosts
from render.wording import headline_figures, range_text, withheld_note

_HEADER_CSS = """<style>
.bem-header { padding: 8px 14px 6px; font: 15px/1.35 system-ui, sans-serif; color: #222; }
.bem-header h1 { margin: 0; font-size: 22px; }
.bem-header p { margin: 2px 0 0; }
</style>"""

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


def page_header(
    title: str,
    dates: str,
    summary: Summary,
    names: dict[str, str],
    withheld: tuple[str, ...] = (),
) -> Markup:
    """Return the header above the exported map: title, dates and headline figures (HTML).

    Parameters
    ----------
    title, dates
        The page's title and the view's dates, in words.
    summary
        The view's summary (its figures are worded by ``render.wording.headline_figures``).
    names
        Province code -> name in the view's language.
    withheld
        The columns left out for publication (``ViewData.withheld``): a line says so.
    """
    figures = Markup(" · ").join(
        Markup("{}: <b>{}</b>").format(label, value)
        for label, value in headline_figures(summary, names).items()
    )
    note = withheld_note(withheld)
    withheld_line = (
        Markup('<p class="bem-withheld">{}</p>').format(_("{sentence}.").format(sentence=note))
        if note
        else Markup("")
    )
    return Markup(
        '<header class="bem-header"><h1>{}</h1><p class="bem-dates">{}</p>'
        '<p class="bem-figures">{}</p>{}</header>'
    ).format(title, dates, figures, withheld_line)


def render_page(data: ViewData, regions: Reference) -> str:
    """Return the self-contained HTML page of a view's map, with its CSP meta tag.

    The page (its title, header and the map's words) is in the view's language
    (``data.view.lang``).
    """
    view = data.view
    with language(view.lang):
        m = build_map(data, regions, inline_assets=True)
        dates = range_text(view.start, view.end)
        title = _("China–North Korea border events, {dates}").format(dates=dates)
        figure = cast(Figure, m.get_root())
        figure.title = escape_html(title)
        names = province_names(regions.provinces, view.lang)
        header = page_header(_("Documented events on the China–North Korea border"), dates,
                             data.summary, names, data.withheld)  # fmt: skip
        figure.header.add_child(RawHtml(_HEADER_CSS), name="bem_header_css")
        figure.html.add_child(RawHtml(str(header)), name="bem_header", index=0)
        add_cjk_font(m, view.lang)  # again: the font subset takes the header's characters too
        page = figure.render()
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
