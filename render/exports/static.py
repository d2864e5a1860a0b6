"""Static snapshots of a view (PNG, SVG, PDF) rendered with matplotlib, no browser needed."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import _, language
from render.exports import STATIC_FORMATS
from render.names import province_names
from render.printmap import layout
from render.printmap.fonts import FALLBACK_FAMILY, font_families
from render.printmap.map import border_extent, draw_map, projected_extent
from render.sources import source_lines, sources_of, sources_text
from render.wording import EVENT_TYPE_LABELS, print_attribution

PAPERS = tuple(layout.PAPER_INCHES)
ORIENTATIONS = ("portrait", "landscape")
MARGIN_IN = 0.45
FOOTER_IN = 0.55
SIDEBAR_IN = 2.75
SYMBOL_COLUMN_IN = 2.15
#: A PDF lists the sources on the map page, in two columns under the note, when they take at
#: most this share of the page's height; else on pages after it.
SOURCES_PAGE_SHARE = 0.31
SOURCE_FONT_PT = 7.5
#: Size and line height (inches) of the sources listed on the map page.
SOURCE_BLOCK_PT = 6.0
SOURCE_LINE_IN = SOURCE_BLOCK_PT * 1.3 / 72
SOURCE_GAP_IN = 0.3
NOTE_LINE_IN = 7 * 1.35 / 72
#: zlib level of PNG output: 3 writes an A4 300-dpi page several times faster than 6.
PNG_COMPRESSION = 3


def event_types(events: pd.DataFrame) -> list[str]:
    """Return the event types drawn (aggregate reports are not), in legend order."""
    present = set(events["event_type"]) - {"report"}
    return [t for t in EVENT_TYPE_LABELS if t in present]


def _check(
    fmt: str, paper: str, orientation: str, dpi: float, size_px: tuple[int, int] | None
) -> None:
    problems = []
    if fmt not in STATIC_FORMATS:
        problems.append(f"format {fmt!r}: use one of {', '.join(STATIC_FORMATS)}")
    if paper not in PAPERS:
        problems.append(f"paper {paper!r}: use one of {', '.join(PAPERS)}")
    if orientation not in ORIENTATIONS:
        problems.append(f"orientation {orientation!r}: use one of {', '.join(ORIENTATIONS)}")
    if not 50 <= dpi <= 1200:
        problems.append(f"dpi {dpi!r}: use a value from 50 to 1200")
    if size_px is not None and not (
        len(size_px) == 2 and all(isinstance(v, int) and 200 <= v <= 20000 for v in size_px)
    ):
        problems.append(f"size_px {size_px!r}: use (width, height) in pixels, 200 to 20000 each")
    if problems:
        raise ValueError("; ".join(problems))


def text_style(lang: str) -> AbstractContextManager:
    """Return the matplotlib settings of snapshots in ``lang``: CJK font, text as paths in SVG."""
    return matplotlib.rc_context(
        {
            "font.family": list(font_families(lang)),
            "text.parse_math": False,  # "$...$" in data is text, never mathtext
            "pdf.fonttype": 3,
            "svg.fonttype": "path",
            "hatch.linewidth": 0.6,
            "axes.linewidth": 0.6,
        }
    )


@dataclass(frozen=True)
class Page:
    """The page of a snapshot; each field but ``caption`` is the :func:`export_static` option."""

    title: str = layout.DEFAULT_TITLE
    paper: str = "a4"
    orientation: str = "landscape"
    dpi: float = 300
    size_px: tuple[int, int] | None = None
    bounds: tuple[float, float, float, float] | None = None
    #: Lines printed under the subtitle (a story slide's caption).
    caption: str = ""


def _block_width(width: float, height: float) -> float:
    """Return the width in inches of the note and sources under the map on a page of this size."""
    inner_w = width - 2 * MARGIN_IN
    return inner_w - SIDEBAR_IN - 0.2 if width >= height else inner_w


def _source_columns(sources: pd.DataFrame, block_w: float) -> tuple[str, str]:
    """Return ``sources`` (``sources_of``) in brief, in two columns ``block_w`` wide together.

    A source is never split between the columns, which are as even as that allows.
    """
    column_w = (block_w - SOURCE_GAP_IN) / 2
    entries = []
    for row, line in zip(
        sources.to_dict("records"), source_lines(sources, brief=True), strict=True
    ):
        url = row["source_url"]
        text = line.removesuffix(url).rstrip() if url else line
        wrapped = [layout.wrap(text, column_w, SOURCE_BLOCK_PT)]
        if url:  # a link on lines of its own, broken only where it must be
            wrapped.append(layout.wrap(url, column_w - 0.15, SOURCE_BLOCK_PT))
        entries.append("\n".join(wrapped).replace("\n", "\n   "))
    sizes = [e.count("\n") + 1 for e in entries]
    split = min(range(len(entries) + 1), key=lambda k: max(sum(sizes[:k]), sum(sizes[k:])))
    return "\n".join(entries[:split]), "\n".join(entries[split:])


def _block_height(columns: tuple[str, str]) -> float:
    """Return the height in inches of the two columns of :func:`_source_columns`."""
    return max(c.count("\n") + 1 if c else 0 for c in columns) * SOURCE_LINE_IN


def sources_fit(data: ViewData, page: Page) -> bool:
    """Tell whether the sources of ``data`` fit on the map page of ``page`` (see PDF output)."""
    width, height = layout.page_inches(page.paper, page.orientation, page.size_px, page.dpi)
    columns = _source_columns(sources_of(data.events), _block_width(width, height))
    return _block_height(columns) <= SOURCES_PAGE_SHARE * height


def build_figure(
    data: ViewData,
    regions: Reference,
    page: Page = Page(),  # noqa: B008 - frozen, so one shared default is safe
    *,
    sources_on_page: bool = False,
    generated: dt.datetime | None = None,
) -> Figure:
    """Lay out the map page of a view on ``page``; see ``export_static``.

    Call it inside ``text_style(lang)`` so that text uses the CJK font, and inside
    ``i18n.language(lang)`` for the page's words (``export_static`` does both).
    """
    generated = generated or dt.datetime.now(dt.UTC)
    width, height = layout.page_inches(page.paper, page.orientation, page.size_px, page.dpi)
    fig = Figure(figsize=(width, height), dpi=page.dpi)
    fig.patch.set_facecolor("white")
    sub = layout.subtitle(data.view) + (f"\n{page.caption}" if page.caption else "")
    header = layout.draw_header(fig, page.title, sub, MARGIN_IN, MARGIN_IN)
    top = height - MARGIN_IN - header - 0.1
    sources = sources_of(data.events)
    inner_w = width - 2 * MARGIN_IN
    block_w = _block_width(width, height)
    columns = _source_columns(sources, block_w) if sources_on_page and len(sources) else ("", "")
    # the sources' heading, the two columns and a gap over the footer
    block_h = _block_height(columns) + 2.5 * NOTE_LINE_IN if columns[0] else 0.0
    foot = FOOTER_IN + block_h
    names = province_names(regions.provinces, data.view.lang)
    separately = "\n" + _("Sources of the events shown: listed separately.")
    ending = separately if len(sources) and not columns[0] else ""

    def note_lines(note_w: float) -> int:
        """Lines of the note at its longest (with the line about events outside the frame)."""
        longest = layout.data_note(data, 1, len(sources), generated, names)
        return layout.wrap(longest + ending, note_w, 7).count("\n") + 1

    symbol_h = layout.SYMBOL_LEGEND_PT / 72 + 0.05
    types = event_types(data.events)
    area_h = layout.area_legend_pt(len(types)) / 72 + 0.05
    if width >= height:  # landscape: legend in a sidebar, the note under the map
        map_w = inner_w - SIDEBAR_IN - 0.2
        note_h = note_lines(map_w) * NOTE_LINE_IN
        note_box = (MARGIN_IN, foot, map_w, note_h)
        map_box = (MARGIN_IN, foot + note_h + 0.1, map_w, top - foot - note_h - 0.1)
        side_x = width - MARGIN_IN - SIDEBAR_IN
        symbol_box = (side_x, top - symbol_h, SIDEBAR_IN, symbol_h)
        area_box = (side_x, top - symbol_h - area_h, SIDEBAR_IN, area_h)
    else:  # portrait: under the map, the two legends and the note beside them or under them
        legends_h = max(symbol_h, area_h)
        note_w = inner_w - 0.4 - SYMBOL_COLUMN_IN - SIDEBAR_IN
        note_h = note_lines(note_w) * NOTE_LINE_IN
        if note_h > legends_h:  # too long for the column beside the legends
            note_w = inner_w
            note_h = note_lines(note_w) * NOTE_LINE_IN
        below = legends_h if note_w < inner_w else legends_h + 0.15 + note_h
        map_box = (MARGIN_IN, foot + below + 0.1, inner_w, top - foot - below - 0.1)
        symbol_box = (MARGIN_IN, foot + below - symbol_h, SYMBOL_COLUMN_IN, symbol_h)
        area_box = (MARGIN_IN + SYMBOL_COLUMN_IN + 0.2, foot + below - area_h, SIDEBAR_IN,
                    area_h)  # fmt: skip
        note_box = (width - MARGIN_IN - note_w, foot, note_w, note_h)

    def axes(box: tuple[float, float, float, float]) -> Axes:
        return fig.add_axes((box[0] / width, box[1] / height, box[2] / width, box[3] / height))

    ax = axes(map_box)
    extent = projected_extent(page.bounds or border_extent(regions), map_box[2] / map_box[3])
    drawn = draw_map(ax, data, regions, extent)
    layout.draw_scale_bar(ax)
    layout.draw_north_arrow(ax)
    layout.draw_symbol_legend(axes(symbol_box), drawn["cells"])
    layout.draw_area_legend(axes(area_box), types)
    note = layout.data_note(data, drawn["off_frame"], len(sources), generated, names) + ending
    if columns[0]:
        top_in = FOOTER_IN + block_h
        fig.text(MARGIN_IN / width, top_in / height, _("Sources of the events shown:"),
                 fontsize=7, va="top", fontweight="bold")  # fmt: skip
        for x_in, column in zip(
            (MARGIN_IN, MARGIN_IN + (block_w + SOURCE_GAP_IN) / 2), columns, strict=True
        ):
            fig.text(x_in / width, (top_in - 1.6 * NOTE_LINE_IN) / height, column,
                     fontsize=SOURCE_BLOCK_PT, va="top", linespacing=1.3)  # fmt: skip
    fig.text(note_box[0] / width, (note_box[1] + note_box[3]) / height,
             layout.wrap(note, note_box[2], 7), fontsize=7, va="top",
             linespacing=1.35)  # fmt: skip
    layout.draw_footer(fig, print_attribution(), MARGIN_IN)
    return fig


def sources_pages(data: ViewData, title: str, size: tuple[float, float]) -> list[Figure]:
    """Return figures listing the sources of the events shown, as many pages as needed."""
    width, height = size
    lines: list[str] = []
    for entry in source_lines(sources_of(data.events)):
        wrapped = layout.wrap(entry, width - 2 * MARGIN_IN - 0.5, SOURCE_FONT_PT * 1.1)
        lines += wrapped.replace("\n", "\n      ").split("\n")
    line_in = SOURCE_FONT_PT * 1.4 / 72
    per_page = max(5, int((height - 2 * MARGIN_IN - 0.9) / line_in))
    pages = []
    # Noto Sans CJK set here after the map page misplaces some digits in matplotlib's PDF
    # output ("2 024"); DejaVu Sans (CJK font as fallback) does not.
    families = [FALLBACK_FAMILY, *matplotlib.rcParams["font.family"]]
    for start in range(0, len(lines), per_page):
        fig = Figure(figsize=size)
        heading = (
            _("Sources of the events shown (continued)")
            if start
            else _("Sources of the events shown")
        )
        fig.text(MARGIN_IN / width, 1 - MARGIN_IN / height, heading, fontsize=13,
                 fontweight="bold", va="top")  # fmt: skip
        fig.text(MARGIN_IN / width, 1 - (MARGIN_IN + 0.3) / height,
                 layout.wrap(f"{title} · {layout.subtitle(data.view)}", width - 2 * MARGIN_IN, 8),
                 fontsize=8, va="top", color="#444")  # fmt: skip
        fig.text(MARGIN_IN / width, 1 - (MARGIN_IN + 0.75) / height,
                 "\n".join(lines[start : start + per_page]), fontsize=SOURCE_FONT_PT, va="top",
                 linespacing=1.4, family=families)  # fmt: skip
        pages.append(fig)
    return pages


def export_static(
    data: ViewData,
    regions: Reference,
    out: Path,
    *,
    fmt: str = "png",
    title: str | None = None,
    paper: str = "a4",
    orientation: str = "landscape",
    dpi: float = 300,
    size_px: tuple[int, int] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> list[Path]:
    """Write a static map of a view: title, map, legend, scale bar, north arrow, notes, sources.

    Parameters
    ----------
    data
        The view's ``ViewData`` (``.view``, ``.events``, ``.summary``).
    regions
        ``geo.reference.Reference``.
    out
        File to write.
    fmt
        ``png``, ``svg`` or ``pdf``.
    title
        Title printed on the page (default: a title about forced returns).
    paper, orientation
        ``a4`` or ``letter``; ``portrait`` or ``landscape``. Ignored when ``size_px`` is given.
    dpi
        Resolution of PNG output (also recorded in its metadata).
    size_px
        ``(width, height)`` in pixels instead of a paper size: the page is laid out with its
        long side as long as A4's, and the resolution follows from the pixels (``dpi`` ignored).
    bounds
        Map extent ``(west, south, east, north)`` in degrees; default the whole border region.

    Returns
    -------
    list of Path
        The file, then (PNG and SVG) the sources sidecar ``<name>.sources.txt``. A PDF lists the
        sources on the map page when they fit (:func:`sources_fit`), else on the pages after it.

    Raises
    ------
    ValueError
        An option outside the accepted values (the message names it and what is accepted).

    Notes
    -----
    Every word on the page (and in the sidecar) is in the view's language (``data.view.lang``).
    """
    _check(fmt, paper, orientation, dpi, size_px)
    if size_px is not None:  # lay the page out at A4's long side; the pixels set the resolution
        dpi = max(size_px) / max(layout.PAPER_INCHES["a4"])
    with language(data.view.lang):
        title = title or layout.default_title()
        sheet = Page(title, paper, orientation, dpi, size_px, bounds)
        return _write_static(data, regions, Path(out), fmt, sheet)


def _write_static(
    data: ViewData, regions: Reference, out: Path, fmt: str, sheet: Page
) -> list[Path]:
    """Write the snapshot of :func:`export_static` (options checked, in the view's language)."""
    title, dpi = sheet.title, sheet.dpi
    generated = dt.datetime.now(dt.UTC)
    on_page = fmt == "pdf" and sources_fit(data, sheet)
    description = layout.subtitle(data.view)
    with text_style(data.view.lang):
        fig = build_figure(data, regions, sheet, sources_on_page=on_page, generated=generated)
        if fmt == "pdf":
            metadata = {"Title": title, "Subject": description, "Creator": "border-events-map"}
            with PdfPages(out, metadata=metadata) as pdf:
                pdf.savefig(fig)
                if not on_page:
                    for page in sources_pages(data, title, tuple(fig.get_size_inches())):
                        pdf.savefig(page)
            return [out]
        metadata = (
            {"Title": title, "Description": description, "Software": "border-events-map"}
            if fmt == "png"
            else {"Title": title, "Description": description, "Creator": "border-events-map"}
        )
        if fmt == "png":
            pil_kwargs = {"compress_level": PNG_COMPRESSION}
            fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, pil_kwargs=pil_kwargs)
        else:
            fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
    sidecar = out.with_name(out.stem + ".sources.txt")
    heading = f"{title}\n{description}"
    sidecar.write_text(sources_text(data.events, heading, data.withheld), encoding="utf-8")
    return [out, sidecar]
