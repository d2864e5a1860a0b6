"""Problem messages in the reader's language, translated when they are shown.

``geo/`` writes every problem in English (the validated dataset is cached and shared between
sessions in different languages, and ``border-map validate --json`` stays English for
programs). The app, the CLI's text report and the validation report's download translate each
message when they show it, with :func:`translate_problem`:

- The **templates** are the messages as the code writes them, found in the code itself (the
  AST of ``geo/``, :func:`messages`: the message argument of ``Problem(...)``,
  ``file_error(...)``, ``problems.add(...)``, the parse errors, the ``np.select`` lists, the
  ``needs`` table and the kinds of unknown names), each interpolated value a numbered
  placeholder (``{0}``, ``{1}``, ...), plus the composed messages and the pieces the AST does
  not show (:data:`COMPOSED`, :data:`PIECES`: advice sentences, layout descriptions, the note
  on the rows not listed one by one). They are the catalogue domain ``problems``
  (``i18n/locale/<lang>/LC_MESSAGES/problems.po``), and they are the messages docs/INPUT.md
  documents (``tests/adversarial/test_docs.py`` reads :func:`messages`).
- A message is matched against the templates (each compiled once to a regular expression with
  a group per placeholder; the most specific template first, i.e. the one with the most
  literal text); the translated template is filled with the captured values, each captured
  value itself translated when it is a known template or piece (an advice sentence, a problem
  inside the note "the same kind of error in N more rows"), else kept as written (names,
  numbers, the cell's text). A message matching no template is shown in English.
"""

from __future__ import annotations

import ast
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
#: The calls whose argument (at this position) is a problem message.
CALLS = {
    "Problem": 4,
    "_cell_problem": 2,
    "file_error": 0,
    "add": 3,
    "DateParseError": 0,
    "CountParseError": 0,
}
#: Shortest literal piece (white space normalised) of a message template found in the code;
#: shorter ones (``{} ({})``) are not messages of their own.
_MIN_KEY = 8

#: A placeholder in a template or its msgid.
_SLOT = None

# -- Templates found in the code ---------------------------------------------------------------

Parts = tuple[str | None, ...]  # literal text, or None for an interpolated value


def _parts(node: ast.AST) -> Parts | None:
    """Return a message's literal pieces and placeholders; None when it is not literal text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.JoinedStr):
        return tuple(str(v.value) if isinstance(v, ast.Constant) else _SLOT for v in node.values)
    if isinstance(node, ast.Lambda):  # a message worded for the rows a report lists
        return _parts(node.body)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left), _parts(node.right)
        if left is None and right is None:
            return None
        return (left or (_SLOT,)) + (right or (_SLOT,))
    return None


def _docs_text(parts: Parts) -> str:
    """Return the message with ``{}`` for each interpolated value (as docs/INPUT.md has it)."""
    return "".join("{}" if p is None else p for p in parts)


def message_key(template: str) -> str:
    """Return the longest literal piece of a ``{}`` template, white space normalised."""
    pieces = [" ".join(p.split()) for p in re.split(r"\{\}", template)]
    return max(pieces, key=len).strip(" .;:,'\"")


def _listed(node: ast.AST) -> list[Parts]:
    """Return the messages chosen from lists.

    These are ``np.select(conditions, [messages])``, the ``POINT_PROBLEMS`` a point's check
    picks from, the ``needs`` table of geo_precision rules and the kinds of unknown names.
    """
    texts: list[ast.AST] = []
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "select" and len(node.args) > 1 and isinstance(node.args[1], ast.List):
            texts = list(node.args[1].elts)
        if name == "_unknown_message" and node.args:
            texts = [node.args[0]]
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "needs":
        assert isinstance(node.value, ast.Dict)
        texts = [v.elts[1] for v in node.value.values if isinstance(v, ast.Tuple)]
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "POINT_PROBLEMS":
        value = node.value
        if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.List):
            texts = list(value.args[0].elts)
    found = [_parts(t) for t in texts]
    return [
        p for p in found
        if p and " " in _docs_text(p) and len(message_key(_docs_text(p))) >= _MIN_KEY
    ]  # fmt: skip


@dataclass(frozen=True)
class Found:
    """One message template found in ``geo/``: its file, pieces and severity."""

    source: str
    parts: Parts
    severity: str

    @property
    def text(self) -> str:
        """The template with ``{}`` for each value."""
        return _docs_text(self.parts)


def _found_in(path: Path) -> Iterator[Found]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        yield from (Found(path.name, parts, "error") for parts in _listed(node))
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in CALLS or len(node.args) <= CALLS[name]:
            continue
        parts = _parts(node.args[CALLS[name]])
        severity = "error"
        if name in ("Problem", "add") and len(node.args) > CALLS[name] + 1:
            sev = node.args[CALLS[name] + 1]
            severity = str(sev.value) if isinstance(sev, ast.Constant) else "error"
        if name == "Problem" and len(node.args) > 3 and isinstance(node.args[3], ast.Constant):
            severity = str(node.args[3].value)
        if parts and len(message_key(_docs_text(parts))) >= _MIN_KEY:
            yield Found(path.name, parts, severity)


@cache
def found_messages() -> tuple[Found, ...]:
    """Return every message template in ``geo/`` (file order, then order in the file)."""
    return tuple(m for path in sorted(GEO.rglob("*.py")) for m in _found_in(path))


def messages() -> list[tuple[str, str, str]]:
    """Return ``(file, template, severity)`` for every message in ``geo/``, ``{}`` a value.

    These are the messages docs/INPUT.md documents (``tests/adversarial/test_docs.py``).
    """
    return [(m.source, m.text, m.severity) for m in found_messages()]


def msgid(parts: Parts) -> str:
    """Return the catalogue id of a template: braces doubled, values ``{0}``, ``{1}``, ..."""
    out, n = [], 0
    for part in parts:
        if part is None:
            out.append(f"{{{n}}}")
            n += 1
        else:
            out.append(part.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


# -- Messages and pieces the AST does not show -------------------------------------------------

#: Messages put together from several pieces (``+`` of a vectorised column, a ``replace`` of a
#: message) or built outside the calls above; each one's longest literal is in geo/'s code
#: (``tests/i18n/test_problems.py``).
COMPOSED = (
    # geo/errors.py list_problems: the problem that stands for the rows not listed
    "{0}; {1} has the same kind of {2} in {3} more rows up to row {4}, not listed one by one "
    "(only the first {5} rows of each are)",
    "{0}; the file has the same kind of {1} in {2} more rows up to row {3}, not listed one by "
    "one (only the first {4} rows of each are)",
    # geo/validate/layouts.py
    "read as {0}: {1}",
    "{0}; in a KML file, give the placemark a TimeStamp or TimeSpan (Google Earth: Properties, "
    "Date/Time) or a date column in its data (Google My Maps: the layer's table)",
    "{0}; in a KML file, put the report's link (https://...) in the placemark's description, "
    "or a source link column in its data",
    # geo/validate/sources.py
    "source_url must be an http:// or https:// link; write {0} if that is the page",
    "source_url must be an http:// or https:// link (or name the organisation in source_org)",
    "source_published must be one date, e.g. 2024-04-26 (or 2024-04, 2024); {0}",
    # geo/validate/location.py
    "{0}; give ISO 3166-2 codes (CN-JL, KP-09) or names (Jilin, North Hamgyong), several "
    "separated by |",
    "not in the gazetteer (data/places.csv): {0}",
    "unknown province code or name: {0}",
    "{0} (did you mean {1}?)",
    "{0} is in {1}, not in {2} as the cell says: correct the place or the province",
    "{0} is in {1}, not in {2} as the cell says: correct the place or the country",
    "{0}, the province {1}, is not where the cell's places are ({2} is in {3}) and is not "
    "used: correct the province or the place; as a place it is not in the gazetteer "
    "(data/places.csv)",
    "{0}, the country {1}, is not where the cell's places are ({2} is in {3}) and is not "
    "used: correct the country or the place; as a place it is not in the gazetteer "
    "(data/places.csv)",
    "{0} (China) {1} km, {2} (North Korea) {3} km",
    "point is outside the map area ({0})",
    # geo/read/encoding.py
    "The file is not UTF-8; it was read as {0}, but many of its characters are uncommon ones. "
    "If the text looks garbled (e.g. a Big5 Traditional Chinese file), save the file as UTF-8 "
    "and upload it again.",
    "The file is not UTF-8 and its Korean/Chinese text fits both languages; it was read as "
    "{0}. If names look garbled, save the file as UTF-8 and upload it again.",
    # geo/read/kml.py (what a placemark that is not one point is)
    "is {0}, not a point",
    "is a MultiGeometry of {0} shape(s), not a point",
    "has {0} geometries, not one point",
    # geo/read/common.py: columns as a person counts them, unnamed and too many columns
    "Column {0}",
    "column {0}",
    "{0} has no name in the header row; 1 value in it is not read. Give it a name (e.g. "
    "notes) to use it.",
    "{0} has no name in the header row; {1} values in it are not read. Give it a name (e.g. "
    "notes) to use it.",
    # geo/read/csv.py: a short row
    "Row {0} has 1 field, header has {1}; the missing cells at the end are read as empty.",
    "Row {0} has {1} fields, header has {2}; the missing cells at the end are read as empty.",
    # geo/read/common.py too_many_columns, geo/read/kml.py _not_a_point
    "The header row names {0} columns",
    "The file's features have more than {0} different property names (feature {1} adds {2})",
    "The file's placemarks have more than {0} different ExtendedData names (placemark {1} adds "
    "{2})",
    "Placemark {0} ({1}) {2}: {3}",
    # geo/read/geojson.py
    "The file's JSON is nested too deeply to be GeoJSON features. {0}",
    "The file is JSON but not a GeoJSON FeatureCollection or Feature (its type is '{0}'). {1}",
    "{0} of {1} points lie outside longitude ±180 / latitude ±90 (e.g. {2}, {3}): the "
    "coordinates look like [latitude, longitude]; GeoJSON writes [longitude, latitude]. {4}",
    "{0} of {1} points lie outside longitude ±180 / latitude ±90 (e.g. {2}, {3}): the "
    "coordinates look projected (e.g. metres). {4}",
    "{0} if it is day-month-year",
    "{0} if it is month-day-year",
)

#: Texts put into messages whole: advice sentences, names of layouts and archives, words.
PIECES = (
    "error",
    "warning",
    # geo/read/columns.py: what a file needs a column for
    "a date",
    "a location",
    "a source",
    # geo/parse/dates.py ISO_HINT, ACCEPTED_DATES
    "write ISO dates such as 2024-04-26, 2024-04, 2024 or 2024-01-01/2024-05-08",
    "1900-01-01 to 2100-12-31",
    # geo/read/encoding.py ACCEPTED
    "Save the file as UTF-8 (in Excel: Save As > CSV UTF-8). Accepted encodings: UTF-8 (with "
    "or without BOM), UTF-16 with BOM, CP949/EUC-KR (Korean), GB18030/GBK (Chinese), "
    "Windows-1252/Latin-1.",
    "Korean (CP949)",
    "Chinese (GB18030)",
    # geo/read/__init__.py ACCEPTED_FORMATS
    "CSV (.csv, .tsv, .txt), Excel (.xlsx), GeoJSON (.geojson, .json), KML/KMZ (.kml, "
    ".kmz: Google My Maps, Google Earth) or Parquet (.parquet, .geoparquet)",
    # geo/read/geojson.py EXPORT
    "Export the layer as GeoJSON in WGS84 / EPSG:4326 (longitude, latitude in degrees).",
    # geo/read/kml.py EXPORT, LIVE_LINK, _ONLY_POINTS, _SHAPES and what a placemark is
    "Export the layer again: in Google My Maps, ⋮ → Export to KML/KMZ; in Google Earth, "
    "right-click the folder → Save Place As… (.kmz).",
    "this is a live link, not the layer itself: download the layer (Google My Maps: ⋮ → "
    "Export to KML/KMZ, untick 'Keep data up to date'; Google Earth: right-click → Save Place "
    "As… .kmz)",
    "only point placemarks (pins) are read as events; mark the event with a pin and export "
    "the layer again.",
    "a point",
    "a line",
    "a closed line (LinearRing)",
    "a polygon (an area)",
    "a 3D model",
    "a track",
    "a set of tracks",
    "has no location (no Point)",
    "has a Point without coordinates",
    "KMZ file",
    "workbook",
    "Split the layer into smaller files.",
    # geo/read/xlsx_scan.py RESAVE and WORKBOOK
    "Open it in Excel or LibreOffice and save it again as .xlsx, or save it as CSV UTF-8.",
    "Split it or save it as CSV UTF-8.",
    # geo/validate/location.py
    "mapped by its admin1_codes",
    "listed, not mapped",
    "China",
    "North Korea",
    # geo/validate/layouts.py: layouts, their variants and what each reads
    "a KML file (Google My Maps / Google Earth)",
    "a KMZ file (Google My Maps / Google Earth)",
    "an ACLED export",
    "an ACLED export (classic layout)",
    "an ACLED export (2023 layout)",
    "a UCDP GED file",
    "a GDELT events file",
    "a GDELT events file (2.0 layout)",
    "a GDELT 2.0 events file",
    "a GDELT 1.0 events file",
    "detected from its headers",
    "this tool's own columns",
    "name as location_text (the pin's label); the placemark's TimeStamp (when) or TimeSpan "
    "(begin, end) as the dates (the day as written, a time of day kept in notes), else an "
    "ExtendedData date column; the Point as lat/lon (geo_precision point); ExtendedData "
    "columns named like schema columns or their aliases as those columns; the first link in "
    "the description as source_url when no source_url column gives one; the description, "
    "the other ExtendedData values and the folder are kept in notes",
    "event_id_cnty as event_id, event_date (with time_precision) as the date, latitude and "
    "longitude as the point (geo_precision 3: the admin1 province instead), location, "
    "admin1 and country as location_text, source as source_org; ACLED's event types, "
    "actors and fatalities (deaths, not people returned) are kept in notes",
    "id as event_id, date_start and date_end as the dates, best, low and high as the count "
    "range, latitude and longitude as the point (where_prec 4 and up: the adm_1 province, "
    "or a border-wide event in China or North Korea), where_description, adm_2, adm_1 and "
    "country as location_text, source_office as source_org, source_article as "
    "source_title; the other GED columns are kept in notes",
    "GLOBALEVENTID as event_id, SQLDATE as the date, ActionGeo_Lat and ActionGeo_Long as "
    "the point for a city or landmark (ActionGeo_Type 3, 4); a province centroid (2, 5) "
    "as its province, a country centroid (1) in China or North Korea as a border-wide "
    "event, never as a point; ActionGeo_FullName as location_text, SOURCEURL as "
    "source_url; the other GDELT columns are kept in notes",
)


#: Texts from Python itself that messages quote: a day of a month (an ambiguous date read
#: either way, ``3 April or 4 March``) and the reasons ``datetime`` gives for an impossible date.
FROM_PYTHON = (
    *(f"{{0}} {month}" for month in calendar.month_name[1:]),
    "day is out of range for month",
    "month must be in 1..12",
)


@cache
def problem_templates() -> tuple[str, ...]:
    """Return the msgid of every template and piece (the catalogue domain ``problems``)."""
    found = [msgid(m.parts) for m in found_messages()]
    return tuple(dict.fromkeys([*found, *COMPOSED, *PIECES, *FROM_PYTHON]))


# -- Matching and translating ------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\d+)\}")


@dataclass(frozen=True)
class _Compiled:
    msgid: str
    #: The template with lazy and with greedy groups: a message inside a message (the note on
    #: the rows not listed, a reason in brackets) is told apart by which reading explains more.
    patterns: tuple[re.Pattern[str], re.Pattern[str]]
    #: The placeholder number of each group, in the order the groups appear.
    order: tuple[int, ...]
    #: The template's longest literal piece, which a message must contain to match.
    key: str
    literal: int


def _compile(template: str) -> _Compiled:
    pieces = re.split(r"(\{\d+\})", template.replace("{{", "\x00").replace("}}", "\x01"))
    lazy, greedy, order, literals = [], [], [], []
    for piece in pieces:
        if _PLACEHOLDER.fullmatch(piece):
            lazy.append("(.*?)")
            greedy.append("(.*)")
            order.append(int(piece[1:-1]))
        elif piece:
            text = piece.replace("\x00", "{").replace("\x01", "}")
            lazy.append(re.escape(text))
            greedy.append(re.escape(text))
            literals.append(text)
    key = max(literals, key=len, default="")
    patterns = (re.compile("".join(lazy), re.DOTALL), re.compile("".join(greedy), re.DOTALL))
    return _Compiled(template, patterns, tuple(order), key, sum(map(len, literals)))


@cache
def _compiled() -> tuple[_Compiled, ...]:
    """Return the templates as regular expressions, the most literal text first."""
    compiled = [_compile(t) for t in problem_templates()]
    return tuple(sorted(compiled, key=lambda c: (-c.literal, c.msgid)))


@lru_cache(maxsize=65_536)
def _reading(message: str) -> tuple[int, str | None, tuple[str, ...]]:
    """Return how a message reads as a template: ``(score, msgid, values by number)``.

    The score is the literal text the template explains plus that of its values read in turn
    (0, msgid None: no template matches); of several readings the one explaining most wins,
    on a tie the most specific template.
    """
    best: tuple[int, str | None, tuple[str, ...]] = (0, None, ())
    for template in _compiled():
        if best[0] >= len(message):
            break  # the whole message is explained
        if template.key not in message:
            continue
        for pattern in template.patterns:
            found = pattern.fullmatch(message)
            if found is None:
                continue
            values = [""] * (max(template.order, default=-1) + 1)
            for number, value in zip(template.order, found.groups(), strict=True):
                values[number] = value
            score = template.literal + sum(_value_score(v) for v in values)
            if score > best[0]:
                best = (score, template.msgid, tuple(values))
    return best


#: What a list of unknown names (``'Tumen City' (did you mean 'Tumen'?), 'X'``) holds: only
#: such a list is read item by item.
_SUGGESTION = " (did you mean "


def _value_score(value: str) -> int:
    """How much of a captured value known templates explain (0: a data value)."""
    if not value or value.isdigit():
        return 0
    score = _reading(value)[0]
    if not score and not value.endswith("."):
        score = _reading(value + ".")[0]
    if not score and _SUGGESTION in value:
        score = sum(_value_score(item) for item in value.split(", "))
    return score


@lru_cache(maxsize=65_536)
def _translate(message: str, lang: str) -> str | None:
    """Return ``message`` in ``lang`` when it is a known template's instance, else None."""
    from i18n.catalogue import translations

    _score, template, values = _reading(message)
    if template is None:
        return None
    translated = translations(lang).gettext(template)
    try:
        return translated.format(*(_value(v, lang) for v in values))
    except (IndexError, KeyError, ValueError):  # a broken translation: keep the English
        return None


def _value(value: str, lang: str) -> str:
    """Return a captured value translated when it is a known message or piece, else as is."""
    if not value or value.isdigit():
        return value
    translated = _translate(value, lang)
    if translated is not None:
        return translated
    if not value.endswith("."):  # a problem whose final full stop a note replaced
        translated = _translate(value + ".", lang)
        if translated is not None:
            return translated.rstrip(".。")
    if _SUGGESTION in value:  # a list of unknown names, some with a suggestion
        return ", ".join(_value(item, lang) for item in value.split(", "))
    return value


def translate_problem(message: str, lang: str | None = None) -> str:
    """Return a problem message (as ``geo/`` writes it, in English) in the current language.

    Parameters
    ----------
    message
        ``Problem.message``.
    lang
        The language (default: the current one, :func:`i18n.current_language`).

    Returns
    -------
    str
        The message in the language; English, and a message matching no template, unchanged.

    Examples
    --------
    >>> translate_problem("no date given", "ko")
    '날짜가 없습니다'
    """
    from i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language

    lang = current_language() if lang is None else lang
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return message
    translated = _translate(message, lang)
    return message if translated is None else translated


def translate_severity(severity: str, lang: str | None = None) -> str:
    """Return ``error`` or ``warning`` in the current language (or ``lang``)."""
    return translate_problem(severity, lang)
