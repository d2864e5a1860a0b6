"""The time slider's playback drawn by the print map: one frame per slider step.

The steps, their date labels, the running totals and their wording are the in-map slider's
(``render.webmap.time_slider``: ``slider_steps``, ``step_people``, ``slider_texts``), so a
frame says what the slider says at that step, in the view's slider mode (``ViewParams.mode``:
cumulative up to the date, or this date only). The map is ``render.printmap.map.draw_map``'s,
drawn once without events; per frame only the event layer changes (symbols, hatched
provinces, the border-wide band), drawn over the saved background with the map's labels,
sectors and furniture above it, then read from ``buffer_rgba``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from geo.aggregate import PeopleRange
from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import _, formats, language
from render import symbology as sym
from render.exports import ANIMATION_SIZES, MAX_PLAYBACK_STEPS, PlaybackTooLong
from render.exports.static import event_types, text_style
from render.printmap import layout
from render.printmap.map import (
    border_extent,
    draw_border,
    draw_map,
    draw_province_events,
    point_events,
    projected_extent,
    scatter_symbols,
)
from render.webmap.layers.events import day_numbers, event_rows, mapped_references
from render.webmap.time_slider import slider_steps, slider_texts, step_counts, step_people
from render.wording import people_text, print_attribution

#: Frame sizes in pixels by their names (``render.exports.ANIMATION_SIZES``).
FRAME_SIZES = {name: (int(name.split("x")[0]), int(name.split("x")[1])) for name in ANIMATION_SIZES}
#: Resolution frames are laid out at (a 1920×1080 frame is 12 × 6.75 inches).
FRAME_DPI = 160
MARGIN_IN = 0.3
SIDEBAR_IN = 3.0
DATE_PT = 20
TOTAL_PT = 11
FOOTER_PT = 6.5
#: Artists of the map above this z-order (province names, sectors, places, labels, scale bar)
#: are not in the saved background: they lie over the events.
OVERLAY_ZORDER = 2
#: Those from this z-order up (places, labels, scale bar, north arrow: above every symbol) are
#: drawn once onto a transparent layer, laid over each frame; the others are drawn per frame.
TOP_ZORDER = 7


@dataclass(frozen=True)
class Step:
    """One slider step as the slider shows it.

    ``day`` is the step's day number (days since 1970; None when the view has no events),
    ``label`` the slider's label of the day, ``date`` and ``total`` the two lines the slider
    shows (``"Up to <label>"`` in cumulative mode) and ``events`` how many events it counts.
    """

    day: int | None
    label: str
    date: str
    total: str
    events: int


@dataclass(frozen=True)
class Frame:
    """A drawn frame: the texts of its date and total artists as drawn, and its RGB pixels."""

    date: str
    total: str
    image: np.ndarray


def _shown(days: np.ndarray, day: int | None, mode: str) -> np.ndarray:
    """Return which events (by first day; NaN: undated) the slider shows at step ``day``."""
    if day is None:
        return np.zeros(len(days), dtype=bool)
    if mode == "date":
        return days == day
    return np.isnan(days) | (days <= day)


def _days(frame: pd.DataFrame) -> np.ndarray:
    return day_numbers(frame).astype("float64").to_numpy(na_value=np.nan)


def playback_steps(data: ViewData) -> list[Step]:
    """Return the slider's steps of ``data`` with the texts it shows at each, in its mode.

    Call it in the view's language (``i18n.language``). A view without events has one step,
    worded as the slider words it ("No events in this range").
    """
    references = mapped_references(data.events)
    rows = event_rows(references)
    steps = slider_steps(references)
    text = slider_texts()
    if not steps:
        total = text["total"]["other"].format(
            n=formats.number(0), people=people_text(PeopleRange(0, 0, 0))
        )
        return [Step(None, text["empty"], text["empty"], total, 0)]
    date_only = data.view.mode == "date"
    result = []
    counted = zip(steps, step_people(steps, rows), step_counts(steps, rows), strict=True)
    for (day, label), people, counts in counted:
        n = counts[int(date_only)]
        total = text["total"]["one" if n == 1 else "other"]
        result.append(Step(
            day, label, label if date_only else text["upTo"].format(date=label),
            total.format(n=formats.number(n), people=people[int(date_only)]), n,
        ))  # fmt: skip
    return result


class Playback:
    """The frames of a view's playback, drawn on one figure.

    Parameters
    ----------
    data, regions
        The view and the reference data.
    size
        ``(width, height)`` in pixels, e.g. ``FRAME_SIZES["1920x1080"]``.
    title
        The title at the top of every frame.
    bounds
        Map extent ``(west, south, east, north)`` in degrees; default the whole border region.

    Raises
    ------
    render.exports.PlaybackTooLong
        The view has more than ``MAX_PLAYBACK_STEPS`` slider steps (nothing is drawn).

    Notes
    -----
    A wide frame has the date, the running total and the legends in a column right of the map;
    a square one has the date and total under the title, and no legend. ``steps`` are the
    slider's (:func:`playback_steps`); :meth:`frame` draws one of them.
    """

    def __init__(
        self,
        data: ViewData,
        regions: Reference,
        size: tuple[int, int],
        title: str,
        bounds: tuple[float, float, float, float] | None = None,
    ) -> None:
        self.lang = data.view.lang
        self.mode = data.view.mode
        with language(self.lang), text_style(self.lang):
            self.steps = playback_steps(data)
            if len(self.steps) > MAX_PLAYBACK_STEPS:
                raise PlaybackTooLong(
                    _("This view has {n} time slider steps; a playback shows at most {limit}: "
                      "choose a shorter date range.").format(
                        n=formats.number(len(self.steps)),
                        limit=formats.number(MAX_PLAYBACK_STEPS),
                    )
                )  # fmt: skip
            self.fig = Figure(figsize=(size[0] / FRAME_DPI, size[1] / FRAME_DPI), dpi=FRAME_DPI)
            self.fig.patch.set_facecolor("white")
            self._layout(data, regions, title, bounds)
            self.canvas = FigureCanvasAgg(self.fig)
            self.canvas.draw()  # every artist but the animated ones
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._top_layer()

    def _top_layer(self) -> None:
        """Draw the map's top artists alone; keep their colour and opacity over the map's box."""
        height = int(self.fig.bbox.height)
        box = self.ax.get_window_extent()
        self._rows = slice(max(0, height - int(np.ceil(box.y1)) - 1), height - int(box.y0) + 1)
        self._cols = slice(max(0, int(box.x0) - 1), int(np.ceil(box.x1)) + 1)
        self.canvas.get_renderer().clear()
        for artist in self._animated():
            if artist.get_zorder() >= TOP_ZORDER and artist.get_visible():
                self.ax.draw_artist(artist)
        layer = np.asarray(self.canvas.buffer_rgba())[self._rows, self._cols] / 255.0
        alpha = layer[..., 3:]
        self._top_colour = (layer[..., :3] * alpha * 255).astype(np.float32)
        self._top_clear = (1 - alpha).astype(np.float32)

    def _layout(self, data: ViewData, regions: Reference, title: str, bounds: tuple | None) -> None:
        fig = self.fig
        width, height = fig.get_size_inches()
        header = layout.draw_header(fig, title, layout.subtitle(data.view), MARGIN_IN, MARGIN_IN)
        top = height - MARGIN_IN - header
        credits = layout.wrap(print_attribution(), width - 2 * MARGIN_IN, FOOTER_PT)
        layout.draw_footer(fig, print_attribution(), MARGIN_IN)
        bottom = 0.25 + (credits.count("\n") + 1) * FOOTER_PT * 1.3 / 72 + 0.1
        wide = width > height * 1.2
        text_w = SIDEBAR_IN if wide else width - 2 * MARGIN_IN
        text_x = width - MARGIN_IN - SIDEBAR_IN if wide else MARGIN_IN
        self._wrap = (text_w, DATE_PT, TOTAL_PT)
        date_lines = max(self._wrapped(s)[0].count("\n") + 1 for s in self.steps)
        total_lines = max(self._wrapped(s)[1].count("\n") + 1 for s in self.steps)
        date_h = date_lines * DATE_PT * 1.25 / 72
        texts_h = date_h + 0.08 + total_lines * TOTAL_PT * 1.3 / 72 + 0.15
        self.date_text = self._text(text_x, top - 0.05, DATE_PT, "bold")
        self.total_text = self._text(text_x, top - 0.05, TOTAL_PT, "normal")
        if wide:
            map_box = (MARGIN_IN, bottom, width - 2 * MARGIN_IN - SIDEBAR_IN - 0.2, top - bottom)
            self._legends(text_x, top - texts_h, bottom, event_types(data.events))
        else:
            map_box = (MARGIN_IN, bottom, width - 2 * MARGIN_IN, top - texts_h - bottom)
        self.ax = fig.add_axes((map_box[0] / width, map_box[1] / height,
                                map_box[2] / width, map_box[3] / height))  # fmt: skip
        extent = projected_extent(bounds or border_extent(regions), map_box[2] / map_box[3])
        self._event_layers(data, regions, extent)
        draw_map(self.ax, replace(data, events=data.events.iloc[:0]), regions, extent)
        layout.draw_scale_bar(self.ax)
        layout.draw_north_arrow(self.ax)
        for artist in self._map_artists():
            if artist.get_zorder() > OVERLAY_ZORDER:
                artist.set_animated(True)

    def _text(self, x: float, y: float, size: float, weight: str) -> Text:
        width, height = self.fig.get_size_inches()
        text = self.fig.text(x / width, y / height, "", fontsize=size, fontweight=weight,
                             va="top", linespacing=1.15, animated=True)  # fmt: skip
        return text

    def _wrapped(self, step: Step) -> tuple[str, str]:
        width, date_pt, total_pt = self._wrap
        return layout.wrap(step.date, width, date_pt), layout.wrap(step.total, width, total_pt)

    def _legends(self, x: float, top: float, bottom: float, types: list[str]) -> None:
        """Put the symbol legend, then the area legend, in the column when each fits."""
        width, height = self.fig.get_size_inches()
        boxes = [(layout.SYMBOL_LEGEND_PT / 72 + 0.05, layout.draw_symbol_legend),
                 (layout.area_legend_pt(len(types)) / 72 + 0.05,
                  lambda ax: layout.draw_area_legend(ax, types))]  # fmt: skip
        for h, draw in boxes:
            if top - h < bottom:
                return
            draw(self.fig.add_axes((x / width, (top - h) / height, SIDEBAR_IN / width, h / height)))
            top -= h

    def _event_layers(self, data: ViewData, regions: Reference, extent: tuple) -> None:
        """Draw each province's hatching and the border band once, hidden; keep the symbols.

        They are drawn before the map (whose place labels attach a drawing canvas that
        geopandas would redraw after each layer) and shown per frame.
        """
        ax = self.ax
        refs = mapped_references(data.events)
        self._points = point_events(data.events, regions.places)
        self._point_days = _days(self._points)
        self._colours = [sym.TYPE_COLOURS.get(t, "#555555") for t in self._points["event_type"]]
        admin1 = refs[refs["map_level"] == "admin1"]
        #: Hidden layers shown in a frame when one of their events is: (artist, first days).
        self._toggled: list[tuple[Artist, np.ndarray]] = []
        admin_days = _days(admin1)
        codes = sorted({c for value in admin1["provinces"] for c in value.split("|") if c})
        for code in codes:
            before = len(ax.collections)
            draw_province_events(ax, regions, extent, [code])
            has = np.array([code in value.split("|") for value in admin1["provinces"]])
            for artist in ax.collections[before:]:
                self._toggled.append((artist, admin_days[has]))
        border = refs[refs["map_level"] == "border"]
        if len(border):
            before = len(ax.collections)
            draw_border(ax, regions, extent, len(border))
            band, *sectors = ax.collections[before:]
            for artist in sectors:  # draw_map draws the sectors
                artist.remove()
            self._toggled.append((band, _days(border)))
        for layer, _first in self._toggled:
            layer.set_animated(True)
            layer.set_visible(False)

    def _map_artists(self) -> list[Artist]:
        ax = self.ax
        spines = set(ax.spines.values())
        return [a for a in ax.get_children() if a is not ax.patch and a not in spines]

    def _animated(self) -> list[Artist]:
        """Return the map's artists left out of the background, in drawing order."""
        return sorted((a for a in self._map_artists() if a.get_animated()), key=Artist.get_zorder)

    def frame(self, index: int) -> Frame:
        """Draw step ``index`` of :attr:`steps`; return its texts and pixels."""
        return self._draw(self.steps[index], self.mode)

    def every_event(self) -> Frame:
        """Draw the last step with every event of the view on the map (whatever the mode)."""
        return self._draw(self.steps[-1], "cumulative")

    def _draw(self, step: Step, mode: str) -> Frame:
        with language(self.lang), text_style(self.lang):
            self.canvas.restore_region(self._background)
            for artist, days in self._toggled:
                artist.set_visible(bool(_shown(days, step.day, mode).any()))
            shown = _shown(self._point_days, step.day, mode)
            before = len(self.ax.collections)
            points = self._points[shown]
            colours = [c for c, s in zip(self._colours, shown, strict=True) if s]
            scatter_symbols(self.ax, points["x"].to_numpy(), points["y"].to_numpy(),
                            list(points["symbol"]), colours)  # fmt: skip
            symbols = self.ax.collections[before:]
            for artist in symbols:
                artist.set_animated(True)
            try:
                for artist in self._animated():
                    if artist.get_zorder() < TOP_ZORDER and artist.get_visible():
                        self.ax.draw_artist(artist)
                date, total = self._wrapped(step)
                self.date_text.set_text(date)
                self.total_text.set_text(total)
                below = (date.count("\n") + 1) * DATE_PT * 1.25 / 72 + 0.08  # under the date
                x, y = self.date_text.get_position()
                self.total_text.set_position((x, y - below / self.fig.get_size_inches()[1]))
                self.fig.draw_artist(self.date_text)
                self.fig.draw_artist(self.total_text)
                image = np.asarray(self.canvas.buffer_rgba())[..., :3].copy()
                under = image[self._rows, self._cols]
                under[:] = (under * self._top_clear + self._top_colour + 0.5).astype(np.uint8)
            finally:
                for artist in symbols:
                    artist.remove()
        return Frame(self.date_text.get_text(), self.total_text.get_text(), image)
