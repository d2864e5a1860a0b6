"""The ``border-map`` command line: validate, summary and export, on the app's code paths.

Exit codes: 0 ok, 1 invalid input (problems listed), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.aggregate import Summary
from geo.errors import Problem
from geo.pipeline import ViewData
from geo.reference import Reference, paths
from geo.reference.schema import EVENT_TYPES, MATCH_MODES
from geo.view import BASEMAPS, LANGUAGES, PROVINCE_CODES, ViewParams
from render.wording import number, people_text, range_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
STATIC_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "geojson")
EXPORT_FORMATS = (*STATIC_FORMATS, "html", *DATA_FORMATS, "zip")


class UsageError(Exception):
    """A command-line argument is unusable (exit code 2)."""


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-10-09"
        ) from None


def _bounds(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not W,S,E,N in degrees, e.g. 121,38,131.5,43.5"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise argparse.ArgumentTypeError(
            f"{text!r}: need west < east within ±180 and south < north within ±90"
        )
    return west, south, east, north


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=Path, help="events file (default: the shipped data)")
    parser.add_argument("--start", type=_iso_date, help="first day of the range (YYYY-MM-DD)")
    parser.add_argument("--end", type=_iso_date, help="last day of the range (YYYY-MM-DD)")
    parser.add_argument(
        "--match",
        choices=MATCH_MODES,
        default="overlap",
        help="overlap: events touching the range (default); within: entirely inside it",
    )
    parser.add_argument(
        "--type",
        dest="types",
        action="append",
        choices=EVENT_TYPES,
        help="event type to include (repeatable; default forced_return)",
    )
    parser.add_argument(
        "--province",
        dest="provinces",
        action="append",
        choices=PROVINCE_CODES,
        help="province (ISO 3166-2) to include (repeatable; default all)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``border-map``."""
    parser = argparse.ArgumentParser(
        prog="border-map",
        description="Validate, summarise and export documented China–North Korea border events.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check an events file and list every problem")
    validate.add_argument("file", type=Path, help="CSV, XLSX or GeoJSON file")
    validate.add_argument("--json", action="store_true", help="print JSON")

    summary = sub.add_parser("summary", help="totals for a date range, as ranges")
    _add_view_options(summary)
    summary.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", help="write a map snapshot, an HTML map or the data")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", required=True, type=Path, help="file to write")
    _add_view_options(export)
    export.add_argument("--lang", choices=LANGUAGES, default="en", help="place-name language")
    export.add_argument("--tiles", choices=BASEMAPS, default="none", help="web tiles (html)")
    export.add_argument("--title", help="title printed on the snapshot")
    export.add_argument("--paper", choices=("a4", "letter"), default="a4")
    export.add_argument("--orientation", choices=("portrait", "landscape"), default="landscape")
    export.add_argument("--dpi", type=int, default=300, help="resolution of PNG snapshots")
    export.add_argument("--bounds", type=_bounds, help="map extent W,S,E,N in degrees")
    return parser


def _problem_table(problems: Sequence[Problem]) -> str:
    header = ("row", "column", "severity", "value", "problem")
    lines = [header] + [
        (str(p.row), p.column, p.severity, _clip(p.value), p.message) for p in problems
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:4])) + "  " + line[4]
        for line in lines
    )


def _clip(value: str, limit: int = 40) -> str:
    value = value.replace("\n", "\\n").replace("\r", "\\r")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _run_validate(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    from geo.validate import load_events

    report = load_events(args.file).to_dict()  # an unreadable file is one row-0 problem
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(
            f"{args.file}: {report['rows']} rows, {report['valid']} valid, "
            f"{len(errors)} errors, {len(report['problems']) - len(errors)} warnings"
        )
        if report["problems"]:
            print(_problem_table([Problem(**p) for p in report["problems"]]))
    return EXIT_INVALID if errors else EXIT_OK


def _view_from_args(args: argparse.Namespace) -> ViewParams:
    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--start {args.start} is after --end {args.end}")
    view = ViewParams(
        start=args.start,
        end=args.end,
        match=args.match,
        provinces=tuple(dict.fromkeys(args.provinces or ())),
        lang=getattr(args, "lang", "en"),
        basemap=getattr(args, "tiles", "none"),
    )
    return view.with_changes(types=tuple(dict.fromkeys(args.types))) if args.types else view


def _view_data(args: argparse.Namespace) -> tuple[ViewData, Reference, int]:
    """Load the dataset and build the view; report excluded rows on stderr."""
    from geo.pipeline import build_view, load_dataset
    from geo.reference import load_reference

    if args.events is not None and not args.events.is_file():
        raise UsageError(f"no such file: {args.events}")
    reference = load_reference()
    dataset = load_dataset(args.events or paths.EVENTS_CSV, reference=reference)
    for problem in dataset.errors:
        if problem.row == 0:  # the whole file: say why here, not only in `validate`
            print(f"error: {problem.message}", file=sys.stderr)
    if dataset.errors:
        print(
            f"warning: {len(dataset.errors)} problem(s) excluded rows from {args.events}; "
            f"run `border-map validate {args.events}` to list them",
            file=sys.stderr,
        )
    data = build_view(dataset.events, _view_from_args(args))
    return data, reference, EXIT_INVALID if dataset.errors else EXIT_OK


def format_summary(summary: Summary) -> str:
    """Return the summary as the text ``border-map summary`` prints."""
    lines = [
        f"Range: {range_text(summary.start, summary.end)}",
        f"Events: {number(summary.events)}",
        f"People: {people_text(summary.people)}",
        f"Outside the map area: {number(summary.outside_map_area)}",
        "By province (shared events count once in totals):",
    ]
    for code, totals in summary.by_province.items():
        lines.append(
            f"  {code}: {number(totals.events)} events ({number(totals.shared_events)} shared), "
            f"people {people_text(totals.people)}"
        )
    for check in summary.cross_checks:
        lines.append(f"Cross-check: {json.dumps(check.to_dict(), ensure_ascii=False)}")
    return "\n".join(lines)


def _run_summary(args: argparse.Namespace) -> int:
    data, _reference, status = _view_data(args)
    summary = data.summary
    print(
        json.dumps(summary.to_dict(), ensure_ascii=False, indent=2)
        if args.json
        else format_summary(summary)
    )
    return status


def _run_export(args: argparse.Namespace) -> int:
    if args.dpi < 50 or args.dpi > 1200:
        raise UsageError(f"--dpi {args.dpi}: use a value from 50 to 1200")
    data, regions, status = _view_data(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fmt = args.format
    if fmt in STATIC_FORMATS:
        from render.exports.static import export_static

        written = export_static(
            data,
            regions,
            args.out,
            fmt=fmt,
            title=args.title,
            paper=args.paper,
            orientation=args.orientation,
            dpi=args.dpi,
            bounds=args.bounds,
        )
    elif fmt == "html":
        from render.exports.html import export_html

        written = [export_html(data, regions, args.out)]
    elif fmt in DATA_FORMATS:
        from render.exports.data import export_data

        written = [export_data(data, args.out, fmt=fmt)]
    else:
        from render.exports.pack import export_pack

        written = [export_pack(data, regions, args.out, title=args.title)]
    for path in written:
        print(f"wrote {path}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``border-map``; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    runners = {"validate": _run_validate, "summary": _run_summary, "export": _run_export}
    try:
        return runners[args.command](args)
    except UsageError as exc:
        print(f"border-map: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
