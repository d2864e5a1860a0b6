"""Exporters: static snapshots, offline HTML, data files, report pack, playback animations.

``write_export`` picks the exporter for a format; the app's export panel and ``border-map
export`` both call it. Exporters are imported when used, so naming the formats stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from i18n import language

if TYPE_CHECKING:
    from geo.pipeline import ViewData
    from geo.reference import Reference

STATIC_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "geojson", "parquet")
ANIMATION_FORMATS = ("gif", "mp4")
#: Frame sizes of GIF and MP4 playbacks, width x height in pixels: slides, social posts.
ANIMATION_SIZES = ("1920x1080", "1080x1080")
#: Seconds a playback step is shown by default (the in-map slider's pace when it plays), the
#: last step by default, and the seconds accepted for either.
STEP_SECONDS = 1.2
HOLD_SECONDS = 4.0
SECONDS_RANGE = (0.2, 60.0)
#: Most slider steps a playback draws (400 steps at 1.2 s play for 8 minutes).
MAX_PLAYBACK_STEPS = 400


class PlaybackTooLong(ValueError):
    """A view has more time slider steps than a playback draws (the message says so)."""


#: The formats a story exports to (``render.exports.story``), and their MIME types.
STORY_FORMATS = {
    "html": "text/html",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXPORT_FORMATS = (*STATIC_FORMATS, "html", *DATA_FORMATS, "zip", *ANIMATION_FORMATS)


def write_export(
    data: ViewData,
    regions: Reference,
    out: Path,
    fmt: str,
    *,
    title: str | None = None,
    machine_headers: bool = False,
    link: str | None = None,
    **static_options: Any,
) -> list[Path]:
    """Write the view ``data`` as ``fmt`` to ``out``; return the files written.

    Parameters
    ----------
    data, regions
        The view and the reference data.
    out
        The file to write.
    fmt
        One of ``EXPORT_FORMATS``.
    title
        Title of a snapshot or report pack (default: the standard title, in the view's
        language).
    machine_headers
        CSV and XLSX (also in the report pack): headers are the column names (the schema's for
        the events, so the file reads back through ``border-map validate``) in any language,
        instead of translated headers in Korean and Chinese. English files always have them.
    link
        Report pack: the absolute link that reopens the view (``export_pack``); None: the
        README says the app's address goes before the query string.
    **static_options
        Further options of ``render.exports.static.export_static`` (paper, orientation, dpi,
        bounds, size_px) for PNG, SVG and PDF; of ``render.exports.animation.export_animation``
        (size, bounds, step_seconds, hold_seconds) for GIF and MP4.

    Returns
    -------
    list of Path
        The file; a PNG, SVG, GIF or MP4 is followed by its sources sidecar.

    Notes
    -----
    Every export is written in the view's language (``data.view.lang``).
    """
    with language(data.view.lang):
        if fmt in STATIC_FORMATS:
            from render.exports.static import export_static

            return export_static(data, regions, out, fmt=fmt, title=title, **static_options)
        if fmt == "html":
            from render.exports.html import export_html

            return [export_html(data, regions, out)]
        if fmt in DATA_FORMATS:
            from render.exports.data import export_data

            return [export_data(data, out, fmt=fmt, machine_headers=machine_headers,
                                regions=regions)]  # fmt: skip
        if fmt == "zip":
            from render.exports.pack import export_pack

            return [export_pack(data, regions, out, title=title, link=link,
                                machine_headers=machine_headers)]  # fmt: skip
        if fmt in ANIMATION_FORMATS:
            from render.exports.animation import export_animation

            return export_animation(data, regions, out, fmt=fmt, title=title, **static_options)
    raise ValueError(f"format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
