"""The report pack: one ZIP with the map (PNG, PDF, HTML), the events CSV, sources and a README."""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
import textwrap
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path

from geo.by_year import year_province_table
from geo.pipeline import ViewData
from geo.reference import Reference
from geo.view import centre_text
from i18n import _, current_language, language
from render.exports.data import export_data, headers, write_safe_csv, year_table_frame
from render.exports.html import export_html
from render.exports.static import export_static
from render.names import province_names
from render.printmap import layout
from render.sources import sources_table
from render.webmap.layers.tiles import TILES
from render.wording import (
    RETURNS_HEADING,
    YEAR_TABLE_NOTE,
    cross_check_lines,
    match_text,
    number,
    overlap_note,
    people_text,
    print_attribution,
    returns_lines,
    summary_notes,
    withheld_note,
    year_table_lines,
)


def readme_text(
    data: ViewData,
    title: str,
    link: str | None,
    generated: dt.datetime,
    names: Mapping[str, str] | None = None,
    machine_headers: bool = False,
) -> str:
    """Return the pack's README: what the files are, the exact view parameters, the link.

    ``link``: the absolute link that reopens the view (None: the README says to put the app's
    address before the query string). In the current language (``export_pack`` uses the
    view's); ``names``: province code -> name (``render.names.province_names``);
    ``machine_headers``: the CSV files' headers are the column names (said in the file list).
    """
    view = data.view
    summary = data.summary
    note = overlap_note(summary.match, summary.spanning)
    withheld = withheld_note(data.withheld)
    params = [
        ("start", view.start.isoformat() if view.start else _("(open: earliest record)")),
        ("end", view.end.isoformat() if view.end else _("(open: latest record)")),
        ("types", ", ".join(view.types)),
        ("provinces", ", ".join(view.provinces) or _("(all)")),
        ("match", _("{match} ({words})").format(match=view.match, words=match_text(view.match))),
        ("mode", view.mode),
        ("basemap", view.basemap),
        ("lang", view.lang),
        ("present", _("yes") if view.present else _("no")),
        ("dataset", view.dataset or _("(the shipped data)")),
        ("at", view.at.isoformat() if view.at else _("(the time slider's last date)")),
        *([("zoom", str(view.zoom))] if view.zoom is not None else []),
        *([("centre", centre_text(view.centre, view.zoom))] if view.centre else []),
    ]
    translated = not machine_headers and current_language() != "en"
    lines = [
        title,
        "=" * min(len(title), 78),
        "",
        _("Generated {time} UTC by border-events-map.").format(time=f"{generated:%Y-%m-%d %H:%M}"),
        "",
        _("View parameters:"),
        *[f"  {name:<10} {value}" for name, value in params],
        "",
        _("Query string: {query}").format(
            query=view.query_string() or _("(none: the default view)")
        ),
        (
            _("Reopen this view in the app: {link}").format(link=link)
            if link
            else _(
                "Reopen this view in the app: add the query string above to the app's address "
                "(no address was given when this pack was made)."
            )
        ),
        "",
        _(
            "Events: {n} (each counted once; claims by other sources are extra rows in "
            "events.csv with same_event_as set)."
        ).format(n=number(summary.events)),
        _("People: {people}.").format(people=people_text(summary.people)),
        *([_("{sentence}.").format(sentence=note)] if note else []),
        *([_("{sentence}.").format(sentence=withheld)] if withheld else []),
        _("Outside the mapped provinces: {n} events.").format(n=number(summary.outside_map_area)),
        *(_("{sentence}.").format(sentence=line) for line in summary_notes(summary)),
        "",
        _(RETURNS_HEADING),
        *(
            "  " + _("{sentence}.").format(sentence=line)
            for line in returns_lines(summary.returned_from, summary.returned_to, names)
        ),
        "",
        _("By start year and Chinese province (people; events), also in by_year.csv:"),
        *(f"  {line}" for line in year_table_lines(year_province_table(data.events), names)),
        *(f"  {line}" for line in _wrap(_(YEAR_TABLE_NOTE), 76)),
        *(
            [
                "",
                _("Cross-checks (aggregate reports against the forced returns in their period):"),
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
        _("Files:"),
        "  map.png      " + _("A4 landscape map, 300 dpi"),
        "  map.pdf      " + _("the same map, vector, with the sources listed"),
        "  map.html     " + _("interactive map, self-contained (opens offline in a browser)"),
        "  events.csv   " + _("the events shown: reference rows and claims, with sources (UTF-8)"),
        "  sources.txt  " + _("the sources of the events shown"),
        "  sources.csv  " + _("the same as a table"),
        "  by_year.csv  " + _("events and people by start year and Chinese province"),
        *(
            [
                "",
                _(
                    "The CSV files' headers are in this language; export with machine-readable "
                    "headers for files that read back into the app (border-map validate)."
                ),
            ]
            if translated
            else []
        ),
        "",
        _("Attribution: {credits}").format(credits=print_attribution()),
        *(
            [
                _("Web tiles in map.html: {tiles}, {credits}").format(
                    tiles=TILES[view.basemap].label,
                    credits=html.unescape(re.sub(r"<[^>]+>", "", TILES[view.basemap].attribution)),
                )
            ]
            if view.basemap in TILES
            else []
        ),
        "",
        *_(
            "CSV safety: a text cell that a spreadsheet could run as a formula (starting with\n"
            "= + - @, their fullwidth forms or a control character, also behind invisible\n"
            "characters) or that already starts with ' carries one more leading '. Remove one\n"
            "leading ' to recover the original text."
        ).split("\n"),
    ]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` columns (wide Korean and Chinese characters count twice)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    if not wide:
        return textwrap.wrap(text, width)
    return textwrap.wrap(text, max(20, width // 2), break_long_words=True)


def export_pack(
    data: ViewData,
    regions: Reference,
    out: Path,
    *,
    title: str | None = None,
    link: str | None = None,
    machine_headers: bool = False,
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
    link
        The absolute link that reopens the view in the app (the app's
        ``webapp.links.view_url``; the command line's ``ViewParams.link`` of ``--base-url``).
        None: the README gives the query string and says so.
    machine_headers
        Write the CSV files with their column names as headers in any language (the
        schema's, for events.csv), not translated ones (``render.exports.data.headers``).

    Returns
    -------
    Path
        ``out``: map.png, map.pdf, map.html, events.csv, sources.txt, sources.csv,
        by_year.csv, README.txt; every text in the view's language (``data.view.lang``).
    """
    with language(data.view.lang):
        return _write_pack(data, regions, Path(out), title, link, machine_headers)


def _write_pack(
    data: ViewData,
    regions: Reference,
    out: Path,
    title: str | None,
    link: str | None,
    machine_headers: bool,
) -> Path:
    """Write the pack of :func:`export_pack` (in the view's language)."""
    title = title or layout.default_title()
    names = province_names(regions.provinces, data.view.lang)
    generated = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="border-map-pack-") as tmp:
        folder = Path(tmp)
        png, sidecar = export_static(data, regions, folder / "map.png", fmt="png", title=title)
        export_static(data, regions, folder / "map.pdf", fmt="pdf", title=title)
        export_html(data, regions, folder / "map.html")
        export_data(data, folder / "events.csv", fmt="csv", machine_headers=machine_headers)
        sidecar.rename(folder / "sources.txt")
        write_safe_csv(
            sources_table(data.events, machine_headers=machine_headers), folder / "sources.csv"
        )
        by_year = year_table_frame(data, names)
        write_safe_csv(by_year, folder / "by_year.csv", headers(by_year.columns, machine_headers))
        readme = readme_text(data, title, link, generated, names, machine_headers)
        (folder / "README.txt").write_text(readme, encoding="utf-8")
        files = ("README.txt", "map.png", "map.pdf", "map.html", "events.csv", "sources.txt",
                 "sources.csv", "by_year.csv")  # fmt: skip
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as pack:
            for name in files:
                pack.write(folder / name, arcname=name)
    return out
