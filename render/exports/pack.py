"""The report pack: one ZIP with the map (PNG, PDF, HTML), the events CSV, sources and a README."""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
import textwrap
import zipfile
from pathlib import Path

from geo.by_year import year_province_table
from geo.pipeline import ViewData
from geo.reference import Reference
from geo.view import ViewParams
from render.exports.data import export_data, write_safe_csv, year_table_frame
from render.exports.html import export_html
from render.exports.static import export_static
from render.printmap import layout
from render.sources import sources_table
from render.webmap.layers.tiles import TILES
from render.wording import (
    PRINT_ATTRIBUTION,
    YEAR_TABLE_NOTE,
    cross_check_lines,
    match_phrase,
    overlap_note,
    people_text,
    returns_lines,
    summary_notes,
    year_table_lines,
)

DEFAULT_APP_URL = "http://localhost:8501/"


def view_link(view: ViewParams, app_url: str = DEFAULT_APP_URL) -> str:
    """Return the link that reopens ``view`` in the app (``app_url`` plus its query string)."""
    return app_url.rstrip("/") + "/" + view.query_string()


def readme_text(data: ViewData, title: str, link: str, generated: dt.datetime) -> str:
    """Return the pack's README: what the files are, the exact view parameters, the link."""
    view = data.view
    summary = data.summary
    note = overlap_note(summary.match, summary.spanning)
    params = [
        ("start", view.start.isoformat() if view.start else "(open: earliest record)"),
        ("end", view.end.isoformat() if view.end else "(open: latest record)"),
        ("types", ", ".join(view.types)),
        ("provinces", ", ".join(view.provinces) or "(all)"),
        ("match", f"{view.match} ({match_phrase(view.match)} the range)"),
        ("mode", view.mode),
        ("basemap", view.basemap),
        ("lang", view.lang),
        ("present", "yes" if view.present else "no"),
    ]
    lines = [
        title,
        "=" * min(len(title), 78),
        "",
        f"Generated {generated:%Y-%m-%d %H:%M} UTC by border-events-map.",
        "",
        "View parameters:",
        *[f"  {name:<10} {value}" for name, value in params],
        "",
        f"Query string: {view.query_string() or '(none: the default view)'}",
        f"Reopen this view in the app: {link}",
        "",
        f"Events: {summary.events:,} (each counted once; claims by other sources are extra "
        "rows in events.csv with same_event_as set).",
        f"People: {people_text(summary.people)}.",
        *([f"{note}."] if note else []),
        f"Outside the mapped provinces: {summary.outside_map_area:,} events.",
        *(f"{line}." for line in summary_notes(summary)),
        "",
        "Forced returns by province (an event in two provinces is under each, once in totals):",
        *(f"  {line}." for line in returns_lines(summary.returned_from, summary.returned_to)),
        "",
        "By start year and Chinese province (people; events), also in by_year.csv:",
        *(f"  {line}" for line in year_table_lines(year_province_table(data.events))),
        *(f"  {line}" for line in textwrap.wrap(YEAR_TABLE_NOTE, 76)),
        *(
            [
                "",
                "Cross-checks (aggregate reports against the forced returns in their period):",
                *[
                    line
                    for check in summary.cross_checks
                    for line in ["", *cross_check_lines(check)]
                ],
            ]
            if summary.cross_checks
            else []
        ),
        "",
        "Files:",
        "  map.png      A4 landscape map, 300 dpi",
        "  map.pdf      the same map, vector, with the sources listed",
        "  map.html     interactive map, self-contained (opens offline in a browser)",
        "  events.csv   the events shown: reference rows and claims, with sources (UTF-8)",
        "  sources.txt  the sources of the events shown",
        "  sources.csv  the same as a table",
        "  by_year.csv  events and people by start year and Chinese province",
        "",
        "Attribution: " + PRINT_ATTRIBUTION,
        *(
            [
                f"Web tiles in map.html: {TILES[view.basemap].label}, "
                + html.unescape(re.sub(r"<[^>]+>", "", TILES[view.basemap].attribution))
            ]
            if view.basemap in TILES
            else []
        ),
        "",
        "CSV safety: a text cell that a spreadsheet could run as a formula (starting with",
        "= + - @, their fullwidth forms or a control character, also behind invisible",
        "characters) or that already starts with ' carries one more leading '. Remove one",
        "leading ' to recover the original text.",
    ]
    return "\n".join(lines) + "\n"


def export_pack(
    data: ViewData,
    regions: Reference,
    out: Path,
    *,
    title: str | None = None,
    app_url: str = DEFAULT_APP_URL,
) -> Path:
    """Write the report pack of a view as one ZIP file.

    Parameters
    ----------
    data
        The view's ``ViewData``.
    regions
        ``geo.reference.Reference``.
    out
        ZIP file to write.
    title
        Title of the map and README (default: the static map's default title).
    app_url
        Address of the app, for the link that reopens the view.

    Returns
    -------
    Path
        ``out``: map.png, map.pdf, map.html, events.csv, sources.txt, sources.csv,
        by_year.csv, README.txt.
    """
    out = Path(out)
    title = title or layout.DEFAULT_TITLE
    generated = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="border-map-pack-") as tmp:
        folder = Path(tmp)
        png, sidecar = export_static(data, regions, folder / "map.png", fmt="png", title=title)
        export_static(data, regions, folder / "map.pdf", fmt="pdf", title=title)
        export_html(data, regions, folder / "map.html")
        export_data(data, folder / "events.csv", fmt="csv")
        sidecar.rename(folder / "sources.txt")
        write_safe_csv(sources_table(data.events), folder / "sources.csv")
        write_safe_csv(year_table_frame(data), folder / "by_year.csv")
        (folder / "README.txt").write_text(
            readme_text(data, title, view_link(data.view, app_url), generated), encoding="utf-8"
        )
        names = ("README.txt", "map.png", "map.pdf", "map.html", "events.csv", "sources.txt",
                 "sources.csv", "by_year.csv")  # fmt: skip
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as pack:
            for name in names:
                pack.write(folder / name, arcname=name)
    return out
