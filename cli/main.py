"""The ``border-map`` command line: validate, summary, export, story export, users and teams.

Exit codes: 0 ok, 1 invalid input (problems listed), 2 usage error. A file that cannot be read
or written exits 1 with the system's reason; an unexpected failure exits 1 with the one line
``border-map: internal error (reference <8 hex digits>)`` and no traceback, unless
``BORDER_MAP_DEBUG=1`` is set (then the traceback follows, with the same reference).

Texts are in the language of ``--lang`` (``en``, ``ko``, ``zh``; default ``$BORDER_MAP_LANG``,
else English), help texts too: problem messages are translated where they are printed (JSON
stays English). Every text the CLI prints goes through ``terminal_text`` (``terminal_json``
for JSON): control characters in file names, values, columns and messages are shown as visible
escapes, so a file cannot drive the terminal (clear the screen, set the title, fake a report,
hide a link).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import sys
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd

from cli import accounts
from cli.columns import aligned, display_width
from geo.aggregate import Summary
from geo.errors import InputFileError, Problem, count_problems
from geo.parse.dates import ACCEPTED_DATES, DateParseError, parse_iso_day
from geo.pipeline import Dataset, ViewData
from geo.read import is_parquet
from geo.reference import Reference, paths
from geo.reference.schema import (
    DEFAULT_MATCH,
    EVENT_TYPES,
    INPUT_FORMATS,
    MATCH_MODES,
    SENSITIVE_COLUMNS,
)
from geo.view import BASEMAPS, LANGUAGES, PROVINCE_CODES, SLIDER_MODES, ViewParams
from i18n import DEFAULT_LANGUAGE, _, current_language, language
from i18n.problems import translate_problem, translate_severity
from render.exports import (
    ANIMATION_FORMATS,
    ANIMATION_SIZES,
    DATA_FORMATS,
    EXPORT_FORMATS,
    HOLD_SECONDS,
    SECONDS_RANGE,
    STATIC_FORMATS,
    STEP_SECONDS,
    STORY_FORMATS,
    PlaybackTooLong,
    write_export,
)
from render.wording import (
    RETURNS_HEADING,
    cross_check_lines,
    number,
    overlap_note,
    people_text,
    province_label,
    range_text,
    returns_lines,
    summary_notes,
    totals_text,
    year_table_lines,
)

if TYPE_CHECKING:
    from geo.stream import StreamedView

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: Set to 1 to see the traceback of an internal error.
DEBUG_ENV = "BORDER_MAP_DEBUG"
#: The language of the texts when ``--lang`` is not given (``en``, ``ko`` or ``zh``).
LANG_ENV = "BORDER_MAP_LANG"

#: Characters a terminal may act on rather than show: C0 controls, DEL, C1 controls, the
#: bidirectional formatting characters (embeddings, overrides, isolates, marks) and the Unicode
#: line and paragraph separators.
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class UsageError(Exception):
    """A command-line argument is unusable (exit code 2)."""


class NothingRead(Exception):
    """The events file was refused, or every row of it excluded: no summary, no file (exit 1)."""


def _visible_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: object) -> str:
    r"""Return ``text`` safe to print on a terminal: every unsafe character a visible escape.

    ``UNSAFE_CHARACTERS`` become ``\n``, ``\r``, ``\t``, ``\xNN`` (below U+0100) or ``\uNNNN``;
    everything else, backslashes included, is printed as it is.

    Parameters
    ----------
    text
        A value to print (converted with ``str``).

    Examples
    --------
    >>> terminal_text("\x1b]0;pwned\x07 \u202etxt")
    '\\x1b]0;pwned\\x07 \\u202etxt'
    """
    return UNSAFE_CHARACTERS.sub(_visible_escape, str(text))


def terminal_json(value: object, *, indent: int | None = 2) -> str:
    r"""Return ``value`` as JSON (indented by ``indent``) that prints safely on a terminal.

    ``json.dumps`` escapes C0 controls; this also writes DEL, C1 controls, bidirectional
    formatting characters and line separators as ``\uNNNN`` escapes. The JSON stays valid and
    decodes to exactly the same values; other non-ASCII text (Korean, Chinese) stays readable.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return UNSAFE_CHARACTERS.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    # json.dumps has escaped every C0 control inside strings: a raw "\n" is the indentation's.
    char = match.group()
    return char if char == "\n" else f"\\u{ord(char):04x}"


def _say(lines: str | Iterable[str], *, err: bool = False) -> None:
    """Print lines (each made terminal-safe) to stdout, or to stderr with ``err``."""
    if isinstance(lines, str):
        lines = [lines]
    print("\n".join(terminal_text(line) for line in lines), file=sys.stderr if err else None)


class _Parser(argparse.ArgumentParser):
    """``argparse`` whose error messages (which quote arguments) are terminal-safe."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message (terminal-safe) on stderr; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(
            2,
            _("{prog}: error: {message}").format(prog=self.prog, message=terminal_text(message))
            + "\n",
        )


def _iso_date(text: str) -> dt.date:
    """Read ``--start``/``--end``: a real YYYY-MM-DD day within the accepted dates."""
    try:
        return parse_iso_day(text)
    except DateParseError as err:
        raise argparse.ArgumentTypeError(translate_problem(str(err))) from None


def _bounds(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not W,S,E,N in degrees, e.g. 121,38,131.5,43.5").format(text=repr(text))
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise argparse.ArgumentTypeError(
            _("{text}: need west < east within ±180 and south < north within ±90").format(
                text=repr(text)
            )
        )
    return west, south, east, north


def _frame_size(text: str) -> str:
    """Read ``--size``: one of the playback's frame sizes."""
    if text not in ANIMATION_SIZES:
        raise argparse.ArgumentTypeError(
            _("{text} is not a frame size; use one of {sizes}").format(
                text=repr(text), sizes=", ".join(ANIMATION_SIZES)
            )
        )
    return text


def _seconds(text: str) -> float:
    """Read ``--step-seconds``/``--hold-seconds``: seconds within ``SECONDS_RANGE``."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    low, high = SECONDS_RANGE
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(
            _("{text} is not a number of seconds from {low} to {high}").format(
                text=repr(text), low=f"{low:g}", high=f"{high:g}"
            )
        )
    return value


def _base_url(text: str) -> str:
    """Read ``--base-url``: the app's address, http or https with a host."""
    from render.markup import safe_url

    url = safe_url(text)
    if url is None:
        raise argparse.ArgumentTypeError(
            _("{value}: give the app's address, http:// or https:// with a host").format(
                value=text
            )
        )
    return url


def _add_input_format(parser: argparse.ArgumentParser, *names: str) -> None:
    parser.add_argument(
        *names,
        dest="input_format",
        choices=INPUT_FORMATS,
        default="auto",
        help=_(
            "read the file as: auto (its headers decide, the default), schema (this tool's "
            "columns) or a data set's layout"
        ),
    )


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    dates = translate_problem(ACCEPTED_DATES)
    parser.add_argument("--events", type=Path, help=_("events file (default: the shipped data)"))
    parser.add_argument(
        "--start",
        type=_iso_date,
        help=_("first day of the range (YYYY-MM-DD, {dates})").format(dates=dates),
    )
    parser.add_argument(
        "--end",
        type=_iso_date,
        help=_("last day of the range (YYYY-MM-DD, {dates})").format(dates=dates),
    )
    parser.add_argument(
        "--match",
        choices=MATCH_MODES,
        default=DEFAULT_MATCH,
        help=_(
            "start: events whose start date is in the range, so the totals of adjacent "
            "ranges add up (default); overlap: events touching the range; within: entirely "
            "inside it"
        ),
    )
    parser.add_argument(
        "--type",
        dest="types",
        action="append",
        choices=EVENT_TYPES,
        help=_("event type to include (repeatable; default forced_return)"),
    )
    parser.add_argument(
        "--province",
        dest="provinces",
        action="append",
        choices=PROVINCE_CODES,
        help=_("province (ISO 3166-2) to include (repeatable; default all)"),
    )


def _add_language(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=_default_language(), help=help_text)


def _default_language() -> str:
    """Return ``$BORDER_MAP_LANG`` when it names a language, else English."""
    lang = os.environ.get(LANG_ENV, "")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``border-map`` (its help in the current language)."""
    parser = _Parser(
        prog="border-map",
        description=_("Validate, summarise and export documented China–North Korea border events."),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help=_("check an events file and list every problem"))
    validate.add_argument("file", type=Path, help=_("CSV, XLSX, GeoJSON, KML or KMZ file"))
    validate.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print JSON (messages in English; with --lang ko or zh each problem also has "
            "message_local, its message in that language)"
        ),
    )
    _add_input_format(validate, "--format", "--input-format")
    _add_language(validate, _("language of the report: en, ko or zh (default: {env} or en)")
                  .format(env=LANG_ENV))  # fmt: skip

    summary = sub.add_parser("summary", help=_("totals for a date range, as ranges"))
    _add_view_options(summary)
    _add_input_format(summary, "--format", "--input-format")
    summary.add_argument(
        "--json", action="store_true", help=_("print JSON (keys and values as data, in English)")
    )
    summary.add_argument(
        "--by",
        choices=("year",),
        help=_("year: add the table by start year and Chinese province (rows add up to the total)"),
    )
    _add_language(
        summary,
        _("language of the summary, its dates, numbers and place names: en, ko or zh "
          "(default: {env} or en)").format(env=LANG_ENV),
    )  # fmt: skip

    export = sub.add_parser(
        "export", help=_("write a map snapshot, an HTML map, the data or a playback animation")
    )
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", required=True, type=Path, help=_("file to write"))
    _add_view_options(export)
    _add_input_format(export, "--input-format")  # --format is the export's
    _add_language(
        export,
        _("language of the export (texts, dates, numbers and place names): en, ko or zh "
          "(default: {env} or en)").format(env=LANG_ENV),
    )  # fmt: skip
    export.add_argument("--tiles", choices=BASEMAPS, default="none", help=_("web tiles (html)"))
    export.add_argument("--title", help=_("title printed on the snapshot"))
    export.add_argument("--paper", choices=("a4", "letter"), default="a4")
    export.add_argument("--orientation", choices=("portrait", "landscape"), default="landscape")
    export.add_argument("--dpi", type=int, default=300, help=_("resolution of PNG snapshots"))
    export.add_argument("--bounds", type=_bounds, help=_("map extent W,S,E,N in degrees"))
    export.add_argument(
        "--size",
        type=_frame_size,
        help=_("gif, mp4: frame size, 1920x1080 (slides, the default) or 1080x1080 (social posts)"),
    )
    export.add_argument(
        "--mode",
        choices=SLIDER_MODES,
        default="cumulative",
        help=_(
            "gif, mp4: what each step of the time slider shows: cumulative (events up to its "
            "date, the default) or date (that date only)"
        ),
    )
    export.add_argument(
        "--step-seconds",
        type=_seconds,
        help=_("gif, mp4: seconds each step is shown (default {seconds})").format(
            seconds=f"{STEP_SECONDS:g}"
        ),
    )
    export.add_argument(
        "--hold-seconds",
        type=_seconds,
        help=_("gif, mp4: seconds the last step is shown (default {seconds})").format(
            seconds=f"{HOLD_SECONDS:g}"
        ),
    )
    export.add_argument(
        "--base-url",
        type=_base_url,
        help=_(
            "zip: the app's address (e.g. https://maps.example.org/), for the README's link that "
            "reopens the view; without it the README gives the query string only"
        ),
    )
    export.add_argument(
        "--withhold",
        action="append",
        choices=SENSITIVE_COLUMNS,
        metavar="COLUMN",
        help=_(
            "for publication: leave this column's text out of the export, and every text made "
            "from it; the figures stay those of the whole view and the data note names the "
            "column (repeatable; one of {columns})"
        ).format(columns=", ".join(SENSITIVE_COLUMNS)),
    )
    export.add_argument(
        "--machine-headers",
        action="store_true",
        help=_(
            "csv, xlsx: the schema's column names (event_id, date_start, ...) as headers, "
            "whatever the language, for programs"
        ),
    )
    _add_story_parser(sub)
    accounts.add_parsers(sub, lambda action: _add_language(
        action, _("language of the messages: en, ko or zh (default: {env} or en)")
        .format(env=LANG_ENV)))  # fmt: skip
    return parser


def _add_story_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``border-map story export STORY.json --format html|pdf|pptx --out PATH``."""
    story = sub.add_parser("story", help=_("export a story saved by the app"))
    actions = story.add_subparsers(dest="story_command", required=True)
    export = actions.add_parser(
        "export", help=_("write a story as an HTML slideshow, a PDF or a PowerPoint file")
    )
    export.add_argument(
        "file", type=Path, help=_("the story's JSON file (in the app's workspace, stories/)")
    )
    export.add_argument("--format", required=True, choices=tuple(STORY_FORMATS))
    export.add_argument("--out", required=True, type=Path, help=_("file to write"))
    export.add_argument("--events", type=Path, help=_("events file (default: the shipped data)"))
    _add_input_format(export, "--input-format")
    _add_language(
        export,
        _("language of the export: en, ko or zh (default: {env} or en)").format(env=LANG_ENV),
    )


def _problem_table(problems: Sequence[Problem]) -> list[str]:
    """Return the lines of the problem table, every cell terminal-safe (so columns align).

    Severities and messages are in the current language; in Korean and Chinese the columns
    are aligned by the width a terminal gives each character (two for Hangul and Han).
    """
    header = (_("row"), _("column"), _("severity"), _("value"), _("problem"))
    lines = [header] + [
        tuple(
            terminal_text(cell)
            for cell in (
                p.row,
                p.column,
                translate_severity(p.severity),
                _clip(terminal_text(p.value)),
                translate_problem(p.message),
            )
        )
        for p in problems
    ]
    width = len if current_language() == DEFAULT_LANGUAGE else display_width
    return aligned(lines, width)


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _run_validate(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UsageError(_("no such file: {file}").format(file=args.file))
    from geo.read.common import LOCAL
    from geo.validate import load_events

    # An unreadable file gives one row-0 problem.
    result = load_events(args.file, fmt=args.input_format, limits=LOCAL, geometry=False)
    errors = count_problems(result.problems, "error")
    if args.json:
        report = result.to_dict()
        if current_language() != DEFAULT_LANGUAGE:
            for problem in report.get("problems", []):
                problem["message_local"] = translate_problem(problem["message"])
        print(terminal_json(report))
    else:
        _say(
            _("{file}: {rows} rows, {valid} valid, {errors} errors, {warnings} warnings").format(
                file=args.file,
                rows=_count(result.rows),
                valid=_count(result.valid),
                errors=_count(errors),
                warnings=_count(count_problems(result.problems, "warning")),
            )
        )
        if result.problems:
            _say(_problem_table(result.problems))
    return EXIT_INVALID if errors else EXIT_OK


def _count(n: int) -> str:
    """Return a count of the validation line: as it always was in English, else per language."""
    return str(n) if current_language() == DEFAULT_LANGUAGE else number(n)


def _view_from_args(args: argparse.Namespace) -> ViewParams:
    if args.start and args.end and args.start > args.end:
        raise UsageError(
            _("--start {start} is after --end {end}").format(start=args.start, end=args.end)
        )
    view = ViewParams(
        start=args.start,
        end=args.end,
        match=args.match,
        provinces=tuple(dict.fromkeys(args.provinces or ())),
        lang=getattr(args, "lang", "en"),
        basemap=getattr(args, "tiles", "none"),
        mode=getattr(args, "mode", "cumulative"),
    )
    return view.with_changes(types=tuple(dict.fromkeys(args.types))) if args.types else view


def _view_data(
    args: argparse.Namespace, *, geometry: bool = True
) -> tuple[ViewData, Reference, int]:
    """Load the dataset and build the view; report excluded rows on stderr.

    ``geometry`` False: the events keep their points in ``lat``/``lon`` only (a summary).
    """
    from geo.pipeline import build_view

    dataset, reference, status = _dataset(args, geometry=geometry)
    return build_view(dataset.events, _view_from_args(args)), reference, status


def _dataset(
    args: argparse.Namespace, *, geometry: bool = True
) -> tuple[Dataset, Reference, int]:
    """Load ``--events`` (default: the shipped data); report excluded rows on stderr."""
    from geo.pipeline import load_dataset, load_shipped_dataset
    from geo.read.common import LOCAL
    from geo.reference import load_reference

    if args.events is not None and not args.events.is_file():
        raise UsageError(_("no such file: {file}").format(file=args.events))
    reference = load_reference()
    if args.events is None and args.input_format == "auto":
        dataset = load_shipped_dataset()  # kept on disk after its first validation
    else:
        dataset = load_dataset(
            args.events or paths.EVENTS_CSV,
            reference=reference,
            fmt=args.input_format,
            limits=LOCAL,  # the user's own machine: no upload limits
            geometry=geometry,
        )
    return dataset, reference, _read_status(dataset.errors, dataset.events.empty, args.events)


def _read_status(errors: Sequence[Problem], empty: bool, file: Path | None) -> int:
    """Report a file's errors on stderr; return the exit status, or raise ``NothingRead``."""
    for problem in errors:
        if problem.row == 0:  # the whole file: say why here, not only in `validate`
            _say(
                _("error: {message}").format(message=translate_problem(problem.message)),
                err=True,
            )
    refused = any(problem.row == 0 for problem in errors)
    if refused or (errors and empty):
        raise NothingRead(
            _(
                "no event of {file} could be read ({n} problem(s)), so there is nothing to "
                "summarise or export; run `border-map validate {file}` to list them"
            ).format(n=_count(count_problems(errors)), file=file)
        )
    if errors:
        _say(
            _(
                "warning: {n} problem(s) excluded rows from {file}; run `border-map validate "
                "{file}` to list them"
            ).format(n=_count(count_problems(errors)), file=file),
            err=True,
        )
    return EXIT_INVALID if errors else EXIT_OK


def format_summary(
    summary: Summary,
    names: Mapping[str, str] | None = None,
    by_year: pd.DataFrame | None = None,
) -> str:
    """Return the summary as the text ``border-map summary`` prints (terminal-safe).

    Parameters
    ----------
    summary
        The view's summary.
    names
        Province code -> name (``render.names.province_names``); codes off the map are named
        from the ISO 3166-2 list.
    by_year
        ``geo.by_year.year_province_table`` of the view, printed after the totals if given.
    """
    note = overlap_note(summary.match, summary.spanning)
    lines = [
        _("Range: {range}").format(range=range_text(summary.start, summary.end)),
        _("Events: {n}").format(n=number(summary.events)),
        _("People: {people}").format(people=people_text(summary.people)),
        _("Outside the map area: {n}").format(n=number(summary.outside_map_area)),
        *([note] if note else []),
        _(RETURNS_HEADING),
        *(f"  {line}" for line in returns_lines(summary.returned_from, summary.returned_to, names)),
        *summary_notes(summary),
        _("By province (shared events count once in totals):"),
    ]  # fmt: skip
    for code, totals in summary.by_province.items():
        label, text = province_label(code, names), totals_text(totals)
        lines.append(
            "  "
            + (
                _("{province} ({code}): {totals}, {n} shared").format(
                    province=label, code=code, totals=text, n=number(totals.shared_events)
                )
                if totals.shared_events
                else _("{province} ({code}): {totals}").format(
                    province=label, code=code, totals=text
                )
            )
        )
    for check in summary.cross_checks:
        lines.append(_("Cross-check ({event_id}):").format(event_id=check.event_id))
        lines.extend(f"  {line}" for line in cross_check_lines(check))
    if by_year is not None:
        lines.append(_("By start year and Chinese province (people; events):"))
        lines += [f"  {line}" for line in year_table_lines(by_year, names)]
    return "\n".join(terminal_text(line) for line in lines)


def _streamed(args: argparse.Namespace) -> StreamedView:
    """Summarise a Parquet ``--events`` file batch by batch (``geo.stream``)."""
    from geo.read.common import LOCAL
    from geo.stream import summarise_parquet

    if not args.events.is_file():
        raise UsageError(_("no such file: {file}").format(file=args.events))
    return summarise_parquet(
        args.events,
        _view_from_args(args),
        fmt=args.input_format,
        limits=LOCAL,
        by_year=getattr(args, "by", None) == "year",
    )


def _run_summary(args: argparse.Namespace) -> int:
    from geo.by_year import year_province_table
    from geo.reference import load_reference
    from render.names import province_names

    if args.events is not None and is_parquet(args.events):
        streamed = _streamed(args)
        status = _read_status(streamed.errors, not streamed.valid, args.events)
        summary, by_year, reference = streamed.summary, streamed.by_year, load_reference()
    else:
        data, reference, status = _view_data(args, geometry=False)  # lat/lon are enough
        summary = data.summary
        by_year = year_province_table(data.events) if args.by == "year" else None
    if args.json:
        result = summary.to_dict()
        if by_year is not None:
            result["by_year"] = [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in by_year.astype(object).to_dict("records")
            ]
        print(terminal_json(result))
    else:
        names = province_names(reference.provinces, current_language())
        print(format_summary(summary, names, by_year))
    return status


def _run_export(args: argparse.Namespace) -> int:
    if args.dpi < 50 or args.dpi > 1200:
        raise UsageError(_("--dpi {dpi}: use a value from 50 to 1200").format(dpi=args.dpi))
    animation = {"size": args.size, "step_seconds": args.step_seconds,
                 "hold_seconds": args.hold_seconds}  # fmt: skip
    if args.format not in ANIMATION_FORMATS:
        for option, value in animation.items():
            if value is not None:
                raise UsageError(
                    _("--{option} applies to {formats} only").format(
                        option=option.replace("_", "-"), formats=", ".join(ANIMATION_FORMATS)
                    )
                )
    if args.format == "parquet" and args.events is not None and is_parquet(args.events):
        if args.withhold:
            raise UsageError(
                _("--withhold: a Parquet file is exported to Parquet batch by batch, which "
                  "cannot leave columns out yet; export it as csv or xlsx, or convert it to CSV "
                  "first")
            )  # fmt: skip
        return _streamed_export(args)
    data, regions, status = _view_data(args)
    if args.withhold:
        from geo.withhold import withhold_view

        data = withhold_view(data, args.withhold)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    static = {"paper": args.paper, "orientation": args.orientation, "dpi": args.dpi}
    options = static | {"bounds": args.bounds} if args.format in STATIC_FORMATS else {}
    if args.format in ANIMATION_FORMATS:
        options = {k: v for k, v in animation.items() if v is not None} | {"bounds": args.bounds}
    if args.machine_headers and args.format in DATA_FORMATS:
        options["machine_headers"] = True
    if args.format == "zip" and args.base_url:
        options["link"] = data.view.link(args.base_url)
    try:
        written = write_export(data, regions, args.out, args.format, title=args.title, **options)
    except PlaybackTooLong as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        _say(_("wrote {path}").format(path=path))
    return status


def _streamed_export(args: argparse.Namespace) -> int:
    """Export a Parquet ``--events`` file's view as GeoParquet batch by batch (``geo.stream``)."""
    from geo.stream import view_events
    from render.exports.data import write_geoparquet_parts

    streamed = _streamed(args)
    status = _read_status(streamed.errors, not streamed.valid, args.events)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    events = view_events(args.events, streamed, fmt=args.input_format)
    write_geoparquet_parts(events, streamed.view, streamed.summary, args.out)
    _say(_("wrote {path}").format(path=args.out))
    return status


def _run_story(args: argparse.Namespace) -> int:
    from render.exports.story import export_story
    from render.story import StoryError, story_from_json

    if not args.file.is_file():
        raise UsageError(_("no such file: {file}").format(file=args.file))
    try:
        story = story_from_json(args.file.read_bytes())
    except StoryError as exc:
        _say(_("border-map: error: {message}").format(message=exc), err=True)
        return EXIT_INVALID
    dataset, regions, status = _dataset(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        export_story(story, regions, args.out, args.format,
                     events_for=lambda _slide: dataset.events, lang=args.lang)  # fmt: skip
    except StoryError as exc:
        _say(_("border-map: error: {message}").format(message=exc), err=True)
        return EXIT_INVALID
    _say(_("wrote {path}").format(path=args.out))
    return status


def _run_accounts(args: argparse.Namespace) -> int:
    """``border-map user ...`` / ``team ...`` (``cli.accounts``)."""
    return accounts.run(args, _say)


def _is_users_file(filename: str, args: argparse.Namespace) -> bool:
    """Whether ``filename`` is a file the command line named, the output's folder or in it."""
    path = os.path.abspath(filename)
    named = [getattr(args, name, None) for name in ("file", "events", "out")]
    if path in {os.path.abspath(p) for p in named if p is not None}:
        return True
    out = getattr(args, "out", None)
    if out is None:
        return False
    folders = {os.path.abspath(p) for p in Path(out).parents}  # made by mkdir(parents=True)
    return path in folders or os.path.dirname(path) == os.path.abspath(Path(out).parent)


def _file_problem(exc: OSError, args: argparse.Namespace) -> str | None:
    """Return the message for a file the user named that cannot be read or written, else None.

    An ``OSError`` about any other file (the shipped reference data, a temporary file) is an
    internal error: its path is not the user's business.
    """
    filename = exc.filename
    reason = exc.strerror or type(exc).__name__
    if filename is None:  # e.g. the disk is full while a file is written
        return reason if exc.strerror else None
    if not _is_users_file(os.fsdecode(filename), args):
        return None
    return f"{os.fsdecode(filename)}: {reason}"


def _internal_error(exc: BaseException) -> int:
    """Report an unexpected failure in one line with a reference; return exit code 1.

    With ``BORDER_MAP_DEBUG=1`` the traceback follows on stderr.
    """
    reference = secrets.token_hex(4)
    _say(
        _(
            "border-map: internal error (reference {reference}); run again with {env}=1 to see "
            "the details"
        ).format(reference=reference, env=DEBUG_ENV),
        err=True,
    )
    if os.environ.get(DEBUG_ENV) == "1":
        details = "".join(traceback.format_exception(exc))
        _say(details.rstrip("\n").split("\n"), err=True)
    return EXIT_INVALID


def _language_of(argv: Sequence[str]) -> str:
    """Return the language ``--lang`` names in ``argv`` (else the default).

    It is read before parsing, so that the help and the usage errors are in it too.
    """
    lang = _default_language()
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _system_allocator() -> None:
    """Have Arrow allocate from the C library's heap, as numpy and pandas do.

    Reading and checking a big file makes and drops column after column of about the same
    size. Arrow's default allocator (mimalloc) hands freed memory back to the system, and the
    next column faults it in again; the system heap reuses it (measured on 10^6 rows: about
    half the time in the kernel, the same peak).
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``border-map``; return the exit code (0 ok, 1 invalid input or failure, 2 usage)."""
    _system_allocator()
    arguments = list(sys.argv[1:] if argv is None else argv)
    with language(_language_of(arguments)):
        return _main(arguments)


def _main(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    runners = {"validate": _run_validate, "summary": _run_summary, "export": _run_export,
               "story": _run_story, "user": _run_accounts, "team": _run_accounts}  # fmt: skip
    with language(args.lang):
        try:
            return runners[args.command](args)
        except (UsageError, accounts.AccountUsageError) as exc:
            _say(_("border-map: error: {message}").format(message=exc), err=True)
            return EXIT_USAGE
        except (NothingRead, accounts.AccountError) as exc:
            _say(_("border-map: error: {message}").format(message=exc), err=True)
            return EXIT_INVALID
        except InputFileError as exc:
            reason = translate_problem(exc.problem.message)
            _say(_("border-map: error: {message}").format(message=reason), err=True)
            return EXIT_INVALID
        except BrokenPipeError:  # the reader went away (`border-map validate x | head`)
            _silence_stdout()
            return EXIT_INVALID
        except OSError as exc:
            message = _file_problem(exc, args)
            if message is None:
                return _internal_error(exc)
            _say(_("border-map: error: {message}").format(message=message), err=True)
            return EXIT_INVALID
        except KeyboardInterrupt:
            _say(_("border-map: interrupted"), err=True)
            return 130
        except Exception as exc:
            return _internal_error(exc)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (e.g. captured in tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
