"""The app's export panel: choose a format, make the file (with progress), preview, download.

Its words are in the page's language; the widgets' values are not (formats, extents and
options are the same in every language), so switching the language keeps the choices. The
title field holds the default title in the page's language until the user writes their own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from geo.pipeline import ViewData
from geo.reference import Reference
from geo.view import LANGUAGES, ViewParams
from geo.withhold import withhold_view
from i18n import N_, _, language
from render.exports import (
    ANIMATION_FORMATS,
    ANIMATION_SIZES,
    STATIC_FORMATS,
    STEP_SECONDS,
    PlaybackTooLong,
    write_export,
)
from render.printmap import layout
from render.wording import sensitive_column_label
from webapp.language import in_language
from webapp.links import render_view_link, view_url

#: A map extent: (west, south, east, north), or the ``bounds`` object ``st_folium`` returns.
Bounds = Mapping[str, Mapping[str, float]] | Sequence[float] | None

#: Format -> (its description, translated where shown; its MIME type).
FORMATS = {
    "png": (N_("PNG image (print resolution)"), "image/png"),
    "pdf": (N_("PDF (map, legend and sources)"), "application/pdf"),
    "svg": (N_("SVG (vector image)"), "image/svg+xml"),
    "html": (N_("Interactive HTML map (offline)"), "text/html"),
    "csv": (N_("CSV (events, claims and sources)"), "text/csv"),
    "xlsx": (
        N_("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "geojson": ("GeoJSON", "application/geo+json"),
    "parquet": (N_("GeoParquet (events, for data tools)"), "application/vnd.apache.parquet"),
    "zip": (N_("Report pack (ZIP: PNG, PDF, HTML, CSV, sources, README)"), "application/zip"),
    "gif": (N_("Animated GIF (the time slider played, step by step)"), "image/gif"),
    "mp4": (N_("MP4 video (the time slider played, step by step)"), "video/mp4"),
}
#: The map extents (the radio's values, shown translated) and the note when none is reported.
EXTENT_SCREEN = N_("The map as shown on screen")
EXTENT_BORDER = N_("The whole border region")
NO_BOUNDS_NOTE = N_("The map has not reported what it shows yet: the whole border region is used.")
ORIENTATIONS = {"landscape": N_("landscape"), "portrait": N_("portrait")}
#: Frame sizes of a playback (``render.exports.ANIMATION_SIZES``), described where shown.
FRAME_SIZES = dict(zip(ANIMATION_SIZES, (N_("{size} (slides)"), N_("{size} (social posts)")),
                       strict=True))  # fmt: skip
#: Seconds per step offered for a playback, the default (the map slider's pace) first.
STEP_CHOICES = (STEP_SECONDS, 0.6, 2.0, 3.0)


def choice_keys(key_prefix: str) -> tuple[str, ...]:
    """Return the keys of the panel's select widgets whose labels are translated."""
    names = ("format", "extent", "paper", "orientation", "size", "seconds")
    return tuple(f"{key_prefix}_{name}" for name in names)


def field_keys(key_prefix: str) -> tuple[str, ...]:
    """Return the keys of the panel's fields, whose values outlive a closed tab."""
    return (*choice_keys(key_prefix), f"{key_prefix}_title", f"{key_prefix}_dpi")


def format_label(fmt: str) -> str:
    """Return a format's description in the page's language."""
    return _(FORMATS[fmt][0])


def _paper_label(paper: str) -> str:
    return "A4" if paper == "a4" else _("LETTER")


def _title_field(key: str) -> None:
    """Put the default title in the page's language into the title field, unless edited.

    A field still holding the default title of any language (the user switched the
    language) gets the page's.
    """
    defaults = set()
    for lang in LANGUAGES:
        with language(lang):
            defaults.add(_(layout.DEFAULT_TITLE))
    if st.session_state.get(key) in (None, *defaults):
        st.session_state[key] = _(layout.DEFAULT_TITLE)


@dataclass(frozen=True)
class MadeFile:
    """A file made for download, with what it was made from (``signature``)."""

    signature: tuple
    name: str
    mime: str
    data: bytes
    sources: bytes | None


def normalise_bounds(bounds: Bounds) -> tuple[float, float, float, float] | None:
    """Return ``(west, south, east, north)`` from a tuple or from ``st_folium``'s ``bounds``.

    ``st_folium`` gives ``{"_southWest": {"lat", "lng"}, "_northEast": {"lat", "lng"}}``;
    None, incomplete or empty bounds give None (the whole border region).
    """
    if bounds is None:
        return None
    values: tuple[float, ...]
    try:
        if isinstance(bounds, Mapping):
            sw, ne = bounds["_southWest"], bounds["_northEast"]
            values = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
        else:
            values = tuple(float(v) for v in bounds)
    except (KeyError, TypeError, ValueError):
        return None
    if len(values) != 4:
        return None
    west, south, east, north = values
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -85.0), min(north, 85.0)
    return (west, south, east, north) if west < east and south < north else None


def file_stem(view: ViewParams) -> str:
    """Return the file name stem of a view's exports, saying which dates the file holds.

    >>> import datetime as dt
    >>> file_stem(ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)))
    'border-map_2023-01-01_2023-12-31'
    >>> file_stem(ViewParams(start=dt.date(2020, 1, 1)))
    'border-map_from-2020-01-01'
    >>> file_stem(ViewParams(end=dt.date(2023, 12, 31)))
    'border-map_until-2023-12-31'
    >>> file_stem(ViewParams())
    'border-map_all-dates'
    """
    start, end = view.start, view.end
    if start and end:
        dates = f"{start.isoformat()}_{end.isoformat()}"
    elif start:
        dates = f"from-{start.isoformat()}"
    elif end:
        dates = f"until-{end.isoformat()}"
    else:
        dates = "all-dates"
    return f"border-map_{dates}"


def make_file(
    data: ViewData, regions: Reference, fmt: str, options: dict[str, Any], folder: Path
) -> tuple[Path, Path | None]:
    """Write one export of ``data`` into ``folder``; return the file and its sources sidecar."""
    out = folder / f"{file_stem(data.view)}.{fmt}"
    written = write_export(data, regions, out, fmt, **options)
    return written[0], (written[1] if len(written) > 1 else None)


def _options(key_prefix: str, fmt: str, bounds: tuple | None) -> dict:
    """Draw the option widgets relevant to ``fmt``; return export_static keyword options."""
    options: dict = {}
    if fmt in (*STATIC_FORMATS, "zip", *ANIMATION_FORMATS):
        _title_field(f"{key_prefix}_title")
        options["title"] = (
            st.text_input(_("Title"), key=f"{key_prefix}_title", max_chars=200).strip() or None
        )
    if fmt not in (*STATIC_FORMATS, *ANIMATION_FORMATS):
        return options
    extents = [EXTENT_SCREEN, EXTENT_BORDER]
    extent = st.radio(
        _("Map extent"),
        extents,
        key=f"{key_prefix}_extent",
        horizontal=True,
        format_func=in_language(_),
    )
    if extent == EXTENT_SCREEN and bounds is None:
        st.caption(_(NO_BOUNDS_NOTE))
    options["bounds"] = bounds if extent == EXTENT_SCREEN else None
    if fmt in ANIMATION_FORMATS:
        return options | _animation_options(key_prefix)
    left, middle, right = st.columns(3)
    options["paper"] = left.selectbox(
        _("Paper"),
        ("a4", "letter"),
        key=f"{key_prefix}_paper",
        format_func=in_language(_paper_label),
    )
    options["orientation"] = middle.selectbox(
        _("Orientation"),
        tuple(ORIENTATIONS),
        key=f"{key_prefix}_orientation",
        format_func=in_language(lambda o: _(ORIENTATIONS[o])),
    )
    if fmt == "png":
        options["dpi"] = int(
            right.selectbox(_("Resolution (dpi)"), (300, 200, 150, 600), key=f"{key_prefix}_dpi")
        )
    return options


def _animation_options(key_prefix: str) -> dict:
    """Draw the frame size and pace of a playback; return ``export_animation`` options."""
    st.caption(
        _("One frame per step of the map's time slider, in its mode, with the date and "
          "running total on each frame.")
    )  # fmt: skip
    left, right = st.columns(2)
    size = left.selectbox(
        _("Frame size"),
        ANIMATION_SIZES,
        key=f"{key_prefix}_size",
        format_func=in_language(lambda s: _(FRAME_SIZES[s]).format(size=s.replace("x", "×"))),
    )
    seconds = right.selectbox(
        _("Seconds per step"),
        STEP_CHOICES,
        key=f"{key_prefix}_seconds",
        format_func=in_language(lambda v: _("{seconds} s").format(seconds=f"{v:g}")),
    )
    return {"size": size, "step_seconds": float(seconds)}


def publication_choice(
    sensitive_columns: tuple[str, ...], publication_only: bool, key_prefix: str
) -> tuple[str, ...]:
    """Draw the "for publication" choice; return the columns the files leave out.

    No sensitive columns: nothing is drawn, nothing left out. ``publication_only`` (a visitor
    of a public link): the columns are always left out, as a caption says. Otherwise a
    checkbox (key ``<prefix>_publication``), checked by default: a file made to be shared
    should not name the people the owner marked.
    """
    if not sensitive_columns:
        return ()
    names = _(", ").join(sensitive_column_label(c) for c in sensitive_columns)
    if publication_only:
        st.caption(_("Files leave out the columns the dataset's owner marked sensitive: "
                     "{columns}.").format(columns=names))  # fmt: skip
        return sensitive_columns
    publication = st.checkbox(
        _("For publication: leave out the sensitive columns ({columns})").format(columns=names),
        value=True,
        key=f"{key_prefix}_publication",
        help=_("The dataset's owner marked these columns sensitive (they can name people). "
               "Checked, the files leave their text out and their data note says so; "
               "unchecked, the files hold everything: keep them inside the team."),
    )  # fmt: skip
    return sensitive_columns if publication else ()


def export_detail(fmt: str, withheld: tuple[str, ...], sources: bool = False) -> str:
    """Return what a download was, for the audit trail: ``pdf``, ``pdf sources``, ...

    Followed by ``, for publication without notes, evidence_quote`` when columns were left out.
    """
    detail = f"{fmt} sources" if sources else fmt
    return f"{detail}, for publication without {', '.join(withheld)}" if withheld else detail


def _on_download(on_export: Callable[[str], None] | None, detail: str) -> dict[str, Any]:
    """Return a download button's ``on_click`` options: call ``on_export(detail)``, or none."""
    if on_export is None:
        return {"on_click": "ignore"}
    return {"on_click": on_export, "args": (detail,)}


def render_export_panel(
    data: ViewData,
    regions: Reference,
    *,
    bounds: Bounds = None,
    key_prefix: str = "export",
    sensitive_columns: tuple[str, ...] = (),
    publication_only: bool = False,
    on_export: Callable[[str], None] | None = None,
) -> None:
    """Draw the export panel: format, options, a button that makes the file, download, preview.

    Parameters
    ----------
    data
        The view's ``ViewData`` (the same filters as the app shows), in full: the panel
        withholds the sensitive columns itself.
    regions
        ``geo.reference.Reference``.
    bounds
        The map extent the user is looking at: ``(west, south, east, north)`` or the
        ``bounds`` object returned by ``st_folium``; None: the whole border region, with a note.
    key_prefix
        Prefix of every widget key (``<prefix>_format``, ``<prefix>_make``, ...).
    sensitive_columns
        The columns the dataset's owner marked sensitive (``DatasetInfo.sensitive_columns``):
        a checkbox, checked by default, makes the files "for publication" without their text
        (``geo.withhold.withhold_view``).
    publication_only
        The files are always for publication and no choice is shown (a public link's visitor).
    on_export
        Called when a file is downloaded, with what it was (:func:`export_detail`: the format,
        and the columns left out), e.g. to record the export in the audit trail.
    """
    st.subheader(_("Export this view"))
    render_view_link(data.view)
    st.caption(_("Files use the filters shown above: {filters}.").format(
        filters=layout.subtitle(data.view)
    ))  # fmt: skip
    withheld = publication_choice(sensitive_columns, publication_only, key_prefix)
    data = withhold_view(data, withheld)
    fmt = st.selectbox(
        _("Format"),
        tuple(FORMATS),
        key=f"{key_prefix}_format",
        format_func=in_language(format_label),
    )
    options = _options(key_prefix, fmt, normalise_bounds(bounds))
    if fmt == "zip":  # the README's link that reopens the view: the one shown above
        options["link"] = view_url(data.view)
    # Where the map is looked at changes no file but the pack's (its link is in ``options``).
    shown = data.view.with_changes(zoom=None, centre=None).query_string()
    signature = (fmt, shown, tuple(sorted(options.items())), len(data.events), data.withheld)
    state_key = f"{key_prefix}_made"
    if st.button(_("Make the file"), key=f"{key_prefix}_make", type="primary"):
        progress = st.progress(0, text=_("Making {format}…").format(format=format_label(fmt)))
        with tempfile.TemporaryDirectory(prefix="border-map-") as tmp:
            try:
                path, sidecar = make_file(data, regions, fmt, options, Path(tmp))
            except PlaybackTooLong as exc:
                progress.empty()
                st.error(str(exc))
                return
            progress.progress(90, text=_("Reading the file…"))
            st.session_state[state_key] = MadeFile(
                signature, path.name, FORMATS[fmt][1], path.read_bytes(),
                sidecar.read_bytes() if sidecar else None,
            )  # fmt: skip
        progress.progress(100, text=_("Done."))
    made = st.session_state.get(state_key)
    if made is None or made.signature != signature:
        st.caption(_("Choose a format and options, then make the file."))
        return
    st.download_button(
        _("Download {file}").format(file=made.name), made.data, file_name=made.name, mime=made.mime,
        key=f"{key_prefix}_download", type="primary",
        **_on_download(on_export, export_detail(fmt, data.withheld)),
    )  # fmt: skip
    if made.sources is not None:
        st.download_button(
            _("Download the sources list (.txt)"), made.sources,
            file_name=made.name.rsplit(".", 1)[0] + ".sources.txt", mime="text/plain",
            key=f"{key_prefix}_download_sources",
            **_on_download(on_export, export_detail(fmt, data.withheld, sources=True)),
        )  # fmt: skip
    if fmt in ("png", "gif"):
        st.image(made.data, caption=_("Preview of {file}").format(file=made.name), width="stretch")
    elif fmt == "mp4":
        st.video(made.data, format=made.mime)
