"""Page furniture of a static snapshot: title, subtitle, legend, scale bar, north arrow, notes."""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrow, Rectangle

from geo.pipeline import ViewData
from geo.view import ViewParams
from i18n import N_, _, formats
from render import symbology as sym
from render.cells import cells_note
from render.printmap.map import PT_PER_PX, scatter_symbols
from render.wording import (
    match_text,
    overlap_note,
    people_text,
    plural,
    range_text,
    returns_lines,
    summary_notes,
    type_label,
    withheld_note,
)

PAPER_INCHES = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
#: The title of snapshots and report packs, in English (:func:`default_title`: translated).
DEFAULT_TITLE = N_("Forced returns of North Koreans at the China–North Korea border")


def default_title() -> str:
    """Return :data:`DEFAULT_TITLE` in the current language."""
    return _(DEFAULT_TITLE)


def page_inches(
    paper: str, orientation: str, size_px: tuple[int, int] | None, dpi: float
) -> tuple[float, float]:
    """Return the figure size in inches: a paper size, or ``size_px`` (width, height) at ``dpi``."""
    if size_px is not None:
        return (size_px[0] / dpi, size_px[1] / dpi)
    width, height = PAPER_INCHES[paper]
    return (height, width) if orientation == "landscape" else (width, height)


def _printable(char: str) -> str:
    if char == "\t":
        return " "
    if char != "\n" and unicodedata.category(char) == "Cc":
        return f"\\x{ord(char):02x}"  # every control (C0, DEL, C1) is below U+0100
    return char


def wrap(text: str, width_in: float, fontsize: float) -> str:
    r"""Wrap ``text`` to ``width_in`` inches at ``fontsize`` pt (wide CJK characters count twice).

    Invisible format characters (byte-order marks, zero-width spaces, bidi marks) are left out
    of the printed text: they draw nothing, and matplotlib's PDF backend fails on them. Other
    control characters (NUL, ESC, ...; a tab is a space) are printed as visible escapes
    (``\x00``), as the command line shows them: no font has a glyph for them.
    """
    text = "".join(_printable(c) for c in text if unicodedata.category(c) != "Cf")
    columns = max(10, int(width_in * 72 / (fontsize * 0.52)))
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    columns = max(10, columns - wide // 2) if wide else columns
    return "\n".join(
        textwrap.fill(p, columns, break_long_words=True, break_on_hyphens=False)
        for p in text.split("\n")
    )


def subtitle(view: ViewParams) -> str:
    """Return the subtitle: date range, how dates match, event types and provinces."""
    comma = _(", ")
    types = comma.join(type_label(t, plural=True) for t in view.types)
    provinces = comma.join(view.provinces) if view.provinces else _("all provinces")
    return _("{dates} · {types} ({match}) · {provinces}").format(
        dates=range_text(view.start, view.end), types=types, match=match_text(view.match),
        provinces=provinces,
    )  # fmt: skip


def data_note(
    data: ViewData,
    off_frame: int,
    n_sources: int,
    generated: dt.datetime,
    names: Mapping[str, str] | None = None,
) -> str:
    """Return the data note: events shown, people as a range, what is not drawn, when made.

    A view made for publication (``ViewData.withheld``) also says which columns were left out.

    ``off_frame``: mapped events outside the map's frame (``render.printmap.map.draw_map``);
    ``names``: province code -> name in the view's language (``render.names.province_names``).
    """
    summary = data.summary
    claims = int((data.events["same_event_as"] != "").sum())
    events = formats.number(summary.events)
    lines = [
        _("Events shown: {n}, each counted once; {claims} by other sources listed with the "
          "sources.").format(n=events, claims=plural(claims, "further claim"))
        if claims else _("Events shown: {n}, each counted once.").format(n=events),
        _("People: {people}.").format(people=people_text(summary.people)),
    ]  # fmt: skip
    if summary.returned.events:
        lines.append(_sentence(_("; ").join(returns_lines(summary.returned_from, {}, names))))
    note = overlap_note(summary.match, summary.spanning)
    if note:
        lines.append(_sentence(note))
    outside = summary.outside_map_area
    if outside:
        lines.append(
            _("Outside the mapped provinces: {events} (counted, not drawn).").format(
                events=plural(outside, "event")
            )
        )
    lines += [_sentence(line) for line in summary_notes(summary)]
    if off_frame:
        lines.append(
            _("Outside this map frame: {events}.").format(
                events=plural(off_frame, "mapped event")
            )
        )
    withheld = withheld_note(data.withheld)
    if withheld:
        lines.append(_sentence(withheld))
    lines.append(
        _("Sources: {n}. Generated {time} UTC.").format(
            n=formats.number(n_sources), time=f"{generated:%Y-%m-%d %H:%M}"
        )
    )
    return "\n".join(lines)


def _sentence(text: str) -> str:
    """Return ``text`` ended as a sentence in the current language (``.``; Chinese ``。``)."""
    return _("{sentence}.").format(sentence=text)


def draw_header(fig: Figure, title: str, sub: str, margin: float, top: float) -> float:
    """Write the title and subtitle from ``top`` (inches); return the header height in inches."""
    width, height = fig.get_size_inches()
    title = wrap(title, width - 2 * margin, 17)
    sub = wrap(sub, width - 2 * margin, 9.5)
    y = height - top
    fig.text(margin / width, y / height, title, fontsize=17, fontweight="bold", va="top")
    title_h = (title.count("\n") + 1) * 17 * 1.3 / 72
    fig.text(margin / width, (y - title_h) / height, sub, fontsize=9.5, va="top", color="#444")
    return title_h + (sub.count("\n") + 1) * 9.5 * 1.35 / 72 + 0.08


def draw_scale_bar(ax: Axes) -> float:
    """Draw a scale bar in the lower left of a map in metres; return its length in km."""
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    target = (xmax - xmin) / 5 / 1000
    nice = [s for s in (10, 20, 25, 50, 100, 150, 200, 250, 500, 1000) if s <= target]
    km = nice[-1] if nice else max(1, round(target))
    x0, y0 = xmin + (xmax - xmin) * 0.03, ymin + (ymax - ymin) * 0.04
    h = (ymax - ymin) * 0.008
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * km * 250, y0), km * 250, h, zorder=20,
                               facecolor="#222" if i % 2 == 0 else "white",
                               edgecolor="#222", linewidth=0.6))  # fmt: skip
    for value, dx in ((0, 0), (km // 2 if km % 2 == 0 else km / 2, km * 500), (km, km * 1000)):
        label = f"{value:g} km" if value == km else f"{value:g}"
        ax.text(x0 + dx, y0 + h * 1.8, label, ha="center", va="bottom", fontsize=7, zorder=20)
    ax.add_patch(Rectangle((x0 - km * 60, y0 - h * 1.2), km * 1120, h * 6.2, facecolor="white",
                           alpha=0.75, edgecolor="none", zorder=19))  # fmt: skip
    return float(km)


def draw_north_arrow(ax: Axes) -> None:
    """Draw a north arrow in the upper right of a map (north is up on the projection's centre)."""
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    x, y = xmax - (xmax - xmin) * 0.04, ymin + (ymax - ymin) * 0.05
    length = (ymax - ymin) * 0.08
    ax.add_patch(FancyArrow(x, y, 0, length, width=length * 0.12, head_width=length * 0.45,
                            head_length=length * 0.45, length_includes_head=True,
                            color="#222", zorder=20))  # fmt: skip
    ax.text(x, y + length * 1.05, _("N"), ha="center", va="bottom", fontsize=10,
            fontweight="bold", zorder=20)  # fmt: skip


def _symbol_row(ax: Axes, y: float, symbol: sym.Symbol, label: str, colour: str) -> None:
    scatter_symbols(ax, np.array([14.0]), np.array([y]), [symbol], [colour], zorder=5)
    ax.text(34, y, label, va="center", fontsize=7.5)


def _legend_axes(ax: Axes) -> tuple[float, float]:
    """Make the axes' data units points, origin bottom left; return its (width, height) in pt."""
    box = ax.get_window_extent()
    width_pt, height_pt = box.width * 72 / ax.figure.dpi, box.height * 72 / ax.figure.dpi
    ax.set_xlim(0, width_pt)
    ax.set_ylim(0, height_pt)
    ax.set_axis_off()
    return width_pt, height_pt


def _heading(ax: Axes, y: float, text: str) -> float:
    ax.text(0, y, text, fontsize=8.5, fontweight="bold", va="top")
    return y - 18


#: Height in points of ``draw_symbol_legend``.
SYMBOL_LEGEND_PT = 8 + 18 + 2 * sym.radius_px(max(sym.LEGEND_SIZES)) * PT_PER_PX + 22 + 18 + 6 * 19
ROW_PT = 13
#: ``gid`` of the shading legend's swatches and labels (``symbology.shading_legend``).
SHADING_GID = "shading-legend"


def area_legend_pt(n_types: int) -> float:
    """Return the height in points of ``draw_area_legend`` for ``n_types`` event types."""
    types = 18 + -(-n_types // 2) * ROW_PT + 4 if n_types > 1 else 0
    return 8 + types + 18 + len(sym.shading_legend()) * ROW_PT + 4 + 18 + 4 * ROW_PT


def draw_symbol_legend(ax: Axes, cells: dict[str, float] | None = None) -> None:
    """Draw the legend of event symbols: circle sizes and how sure the count is.

    ``cells``: the grid cells' ``scale`` and ``largest`` when the map sums events per cell
    (``render.printmap.map.draw_events``): the legend then shows the cells' sizes instead.
    """
    height_pt = _legend_axes(ax)[1]
    colour = sym.TYPE_COLOURS["forced_return"]
    if cells is not None:
        _cell_sizes(ax, height_pt - 8, cells)
        return
    y = _heading(ax, height_pt - 8, _("People (circle area ∝ people)"))
    x = 14.0
    for people in sym.LEGEND_SIZES:
        r = sym.radius_px(people) * PT_PER_PX
        scatter_symbols(ax, np.array([x + r]), np.array([y - r]),
                        [sym.Symbol("exact", people, None)], [colour])  # fmt: skip
        ax.text(x + r, y - 2 * r - 4, formats.number(people), ha="center", va="top", fontsize=7)
        x += 2 * r + 16
    y -= 2 * sym.radius_px(max(sym.LEGEND_SIZES)) * PT_PER_PX + 22
    y = _heading(ax, y, _("How sure the count is"))
    for kind, label in sym.kind_labels().items():
        _symbol_row(ax, y - 6, sym.KIND_EXAMPLES[kind], label, colour)
        y -= 19


def _cell_sizes(ax: Axes, y: float, cells: dict[str, float]) -> None:
    """Draw the grid cells' circle sizes (``symbology.cell_legend_sizes``) and what they sum."""
    y = _heading(ax, y, _("People in a grid cell (circle area)"))
    sizes = sym.cell_legend_sizes(cells["largest"], cells["scale"])
    style, x = sym.CELL_STYLE, 14.0
    top = max((sym.cell_radius_px(n, cells["scale"]) for n in sizes), default=0.0) * PT_PER_PX
    for people in sizes:
        r = sym.cell_radius_px(people, cells["scale"]) * PT_PER_PX
        ax.add_patch(Circle((x + r, y - top), r, facecolor=to_rgba(sym.CELL_COLOUR,
                            style.fill_opacity), edgecolor=sym.CELL_EDGE_COLOUR,
                            linewidth=style.weight * PT_PER_PX))  # fmt: skip
        ax.text(x + r, y - 2 * top - 4, formats.number(people), ha="center", va="top",
                fontsize=7)  # fmt: skip
        x += 2 * r + 16
    width_in = ax.get_window_extent().width / ax.figure.dpi
    ax.text(0, y - 2 * top - 18, wrap(cells_note(), width_in, 7.5), va="top", fontsize=7.5)


def draw_area_legend(ax: Axes, types: list[str]) -> None:
    """Draw the legend of event types (when several), province shading, areas and lines."""
    height_pt = _legend_axes(ax)[1]
    y = height_pt - 8
    if len(types) > 1:
        y = _heading(ax, y, _("Event type"))
        for i, t in enumerate(types):
            x = 0 if i % 2 == 0 else 100
            ax.add_patch(Rectangle((x + 9, y - 10), 10, 10, color=sym.TYPE_COLOURS[t]))
            ax.text(x + 26, y - 5, type_label(t, plural=True), va="center", fontsize=7.5)
            y -= ROW_PT if i % 2 == 1 or i == len(types) - 1 else 0
        y -= 4
    y = _heading(ax, y, _(sym.SHADING_TITLE))
    for colour, label in sym.shading_legend():
        ax.add_patch(Rectangle((6, y - 10), 16, 10, facecolor=to_rgba(colour, sym.SHADING_OPACITY),
                               edgecolor="#999", linewidth=0.4, gid=SHADING_GID))  # fmt: skip
        ax.text(34, y - 5, label, va="center", fontsize=7.5, gid=SHADING_GID)
        y -= ROW_PT
    y = _heading(ax, y - 4, _("Areas and lines"))
    ax.add_patch(Rectangle((6, y - 10), 16, 10, facecolor="none", hatch=sym.PROVINCE_HATCH,
                           edgecolor=sym.PROVINCE_HATCH_COLOUR, linewidth=0))  # fmt: skip
    ax.text(34, y - 5, _("province-level event (place not known)"), va="center", fontsize=7.5)
    y -= ROW_PT
    lines = [
        (sym.BORDER_BAND_COLOUR, sym.BORDER_BAND_WIDTH_PX * PT_PER_PX, sym.BORDER_BAND_OPACITY,
         _("border-wide event (no place given)")),
        (sym.SECTOR_COLOURS[0], sym.SECTOR_WIDTH_PX * PT_PER_PX, 1.0,
         _("border, by sector (province pair)")),
        (sym.RIVER_COLOUR, 2.0, 1.0, _("Yalu and Tumen rivers")),
    ]  # fmt: skip
    for colour, lw, alpha, label in lines:
        ax.plot([6, 22], [y - 5, y - 5], color=colour, linewidth=lw, alpha=alpha,
                solid_capstyle="butt")  # fmt: skip
        ax.text(34, y - 5, label, va="center", fontsize=7.5)
        y -= ROW_PT


def draw_footer(fig: Figure, text: str, margin: float) -> None:
    """Write the attribution line(s) at the foot of the page."""
    width, height = fig.get_size_inches()
    fig.text(margin / width, 0.25 / height, wrap(text, width - 2 * margin, 6.5), fontsize=6.5,
             va="bottom", color="#555")  # fmt: skip
