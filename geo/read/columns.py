"""Match a file's column headers to the schema: case, spaces and aliases ignored.

``"Date Start"``, ``"date_start"`` and ``" DATE-START "`` are one column. Aliases
(``ALIASES``, Korean and Chinese headers too, Simplified and Traditional: 날짜/日期,
장소/地点/地點, 인원/人数/人數, 출처/来源/來源, ...) name the same schema column; ``date`` and
``count`` are free-form columns read by
:func:`geo.parse.dates.parse_date` and :func:`geo.parse.counts.parse_count`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geo.errors import Problem
from geo.parse import quoted
from geo.reference.schema import SCHEMA_COLUMNS

__all__ = [
    "ALIASES",
    "ColumnMap",
    "header_key",
    "match_columns",
    "placemark_names",
    "schema_column",
]

#: Accepted header -> the column it stands for (``date`` is a free-form date column).
ALIASES = {
    "date": "date",
    "start_date": "date_start",
    "end_date": "date_end",
    "count": "count_text",
    "place": "place_names",
    "places": "place_names",
    "place_name": "place_names",
    "province": "admin1_codes",
    "provinces": "admin1_codes",
    "admin1_code": "admin1_codes",
    "latitude": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "url": "source_url",
    # Headers people write in English
    "date_of_incident": "date",
    "incident_date": "date",
    "location": "place_names",
    "number_of_people": "count_text",
    "people": "count_text",
    "source_link": "source_url",
    "link": "source_url",
    "source": "source_org",
    "sources": "source_org",
    "source_name": "source_org",
    "source_organisation": "source_org",
    "source_organization": "source_org",
    # Korean and Chinese headers of users' spreadsheets; each Simplified Chinese header has
    # its Traditional form (Taiwan, Hong Kong) beside it
    "날짜": "date",
    "일자": "date",
    "일시": "date",
    "日期": "date",
    "时间": "date",
    "時間": "date",
    "장소": "place_names",
    "지역": "place_names",
    "위치": "place_names",
    "地点": "place_names",
    "地點": "place_names",
    "地区": "place_names",
    "地區": "place_names",
    "인원": "count_text",
    "인원수": "count_text",
    "명수": "count_text",
    "人数": "count_text",
    "人數": "count_text",
    "링크": "source_url",
    "链接": "source_url",
    "鏈接": "source_url",
    "連結": "source_url",
    "출처": "source_org",
    "자료": "source_org",
    "来源": "source_org",
    "來源": "source_org",
    "비고": "notes",
    "备注": "notes",
    "備註": "notes",
    "유형": "event_type",
    "类型": "event_type",
    "類型": "event_type",
}

_GROUPS = {
    "a date": ("date", "date_start", "date_end"),
    "a location": ("place_names", "admin1_codes", "lat", "lon"),
    "a source": ("source_url", "source_org"),
}


def header_key(header: str) -> str:
    """Return a header as matched: lower case, runs of spaces, underscores and hyphens as one _.

    A closing note in brackets is dropped: ``Location (city, province)`` is ``location``.
    """
    header = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", str(header))
    return re.sub(r"[\s_\-]+", "_", str(header).strip().lower()).strip("_")


@lru_cache(maxsize=4096)
def _meaning(name: str) -> tuple[str, str | None]:
    """Return a name's header key and the schema column (or ``date``) it means, if any."""
    key = header_key(name)
    return key, key if key in SCHEMA_COLUMNS else ALIASES.get(key)


def schema_column(header: str) -> str | None:
    """Return the schema column (or ``date``) a header means, else None: 인원 -> count_text."""
    return _meaning(header)[1]


def _accepted(target: str) -> list[str]:
    return [target] * (target in SCHEMA_COLUMNS) + [a for a, t in ALIASES.items() if t == target]


@dataclass
class ColumnMap:
    """The file's header for each schema column found, and what else the file holds."""

    found: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Whether no whole-file error was found (missing groups, clashing columns)."""
        return not any(p.severity == "error" for p in self.problems)


def _other_delimiter(headers: list[str]) -> Problem | None:
    """Return an error when one header holds several column names split by another character.

    A pipe- or colon-separated file is read as one column (``|`` separates names inside
    ``place_names``, so it is never taken as the delimiter); naming the cause beats listing
    every missing column.
    """
    if len(headers) != 1:
        return None
    for char in "|:^~":
        names = headers[0].split(char)
        known = [n for n in names if header_key(n) in SCHEMA_COLUMNS or header_key(n) in ALIASES]
        if len(known) >= 2:
            return Problem(
                0,
                headers[0],
                headers[0],
                "error",
                f"the header row is one column whose names are separated by {char!r}, which "
                "is not read as a delimiter: save the file with commas, semicolons or tabs "
                "between the columns",
            )
    return None


_DATA_LIKE = re.compile(r"https?://\S+|\d{4}-\d{2}(-\d{2})?|\d+([.,]\d+)?")


def _data_like(headers: list[str]) -> str:
    """Return the first header cell that reads as a value (a date, number or link), or ''."""
    return next((h for h in headers if _DATA_LIKE.fullmatch(str(h).strip())), "")


def _resolve(
    names: list[str], result: ColumnMap, row: int = 0, values: dict[str, str] | None = None
) -> None:
    """Map ``names`` to schema columns in ``result``, naming two names that mean one column.

    The one rule for names meaning one schema column, for a file's headers (``values`` None:
    row 0, the whole file) and for the ExtendedData names of one KML placemark (``row``, and
    ``values``: its cells by name, for :func:`placemark_names`):

    - a name written as the schema writes it wins over an alias of it (a warning; in a
      placemark only when their values differ, the alias's value being kept in notes);
    - two aliases, or two spellings of the schema name, are an error: which one means the
      column cannot be guessed.
    """
    for name in names:
        key, target = _meaning(name)
        if target is None:
            result.unknown.append(name)
            continue
        if target not in result.found:
            result.found[target] = name
            continue
        before = result.found[target]
        if (key == target) != (header_key(before) == target):
            exact, alias = (name, before) if key == target else (before, name)
            result.found[target] = exact  # the column named as the schema names it wins
            if values is None:
                result.problems.append(
                    Problem(
                        0,
                        alias,
                        alias,
                        "warning",
                        f"the column {alias!r} is not read: it means {target!r}, which the "
                        f"column {exact!r} gives",
                    )
                )
            elif values[alias] != values[exact]:
                result.problems.append(
                    Problem(
                        row,
                        alias,
                        values[alias],
                        "warning",
                        f"placemark {row}: {alias!r} ({quoted(values[alias])}) is not read as "
                        f"{target!r}: {exact!r} gives it ({quoted(values[exact])}); the value of "
                        f"{alias!r} is kept in notes",
                    )
                )
        elif values is None:
            result.problems.append(
                Problem(
                    0,
                    name,
                    name,
                    "error",
                    f"columns {before!r} and {name!r} both mean {target!r}; keep one",
                )
            )
        else:
            result.problems.append(
                Problem(
                    row,
                    name,
                    values[name],
                    "error",
                    f"placemark {row} gives both {before!r} ({quoted(values[before])}) and "
                    f"{name!r} ({quoted(values[name])}), which both mean {target!r}, so it is "
                    "not read: keep one of the two values (Google My Maps: the layer's table; "
                    "Google Earth: the placemark's Properties)",
                )
            )


def placemark_names(row: int, values: dict[str, str]) -> list[Problem]:
    """Return the problems of one KML placemark's ExtendedData names meaning one column.

    ``row`` is the placemark's number, ``values`` its non-empty ExtendedData cells by name. The
    rule is :func:`_resolve`'s, as for a CSV file's headers, but
    applied per placemark, not to the whole file: a KML file's names vary by placemark (each
    layer of a Google My Maps map has its own columns: ``Date`` in one, ``날짜`` in another),
    so two names meaning one column clash only where one placemark gives both; the error is
    that placemark's, and the others are read.
    """
    result = ColumnMap()
    _resolve(list(values), result, row, values)
    return result.problems


def match_columns(headers: list[str]) -> ColumnMap:
    """Map file headers to schema columns.

    Parameters
    ----------
    headers : list of str
        The headers as written in the file (without the reader's ``row`` column).

    Returns
    -------
    ColumnMap
        ``found`` maps schema column (or ``date``) -> header; ``unknown`` lists headers kept
        out of the events; ``problems`` holds a warning for unknown columns and whole-file
        errors (row 0) for clashing columns or a missing date, location or source column.
    """
    result = ColumnMap()
    if problem := _other_delimiter(headers):
        result.problems.append(problem)
        return result
    _resolve(headers, result)
    if "date" in result.found and {"date_start", "date_end"} & set(result.found):
        result.problems.append(
            Problem(
                0,
                result.found["date"],
                result.found["date"],
                "error",
                "give either a 'date' column or 'date_start'/'date_end' columns, not both",
            )
        )
    if not result.found and (data := _data_like(headers)):
        result.problems.append(
            Problem(
                0,
                data,
                data,
                "error",
                f"the first row looks like data ({quoted(data)}), not column names: the file has "
                "no header row; add one naming the columns (e.g. event_id, date, place, count, "
                "source_url)",
            )
        )
        return result
    for need, targets in _GROUPS.items():
        if not set(targets) & set(result.found):
            accepted = ", ".join(a for t in targets for a in _accepted(t))
            result.problems.append(
                Problem(
                    0,
                    "",
                    "",
                    "error",
                    f"the file has no column giving {need}; accepted columns: {accepted} "
                    "(any case, spaces or underscores)",
                )
            )
    if result.unknown:
        result.problems.append(
            Problem(
                0,
                "",
                ", ".join(result.unknown),
                "warning",
                "columns not in the event schema are not used: " + ", ".join(result.unknown),
            )
        )
    return result
