"""Match a file's column headers to the schema: case, spaces and aliases ignored.

``"Date Start"``, ``"date_start"`` and ``" DATE-START "`` are one column. Aliases
(``ALIASES``, Korean and Chinese headers too: 날짜/日期, 장소/地点, 인원/人数, 출처/来源, ...)
name the same schema column; ``date`` and ``count`` are free-form columns read by
:func:`geo.parse.dates.parse_date` and :func:`geo.parse.counts.parse_count`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.errors import Problem
from geo.parse import quoted
from geo.reference.schema import SCHEMA_COLUMNS

__all__ = ["ALIASES", "ColumnMap", "header_key", "match_columns"]

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
    # Korean and Chinese headers of users' spreadsheets
    "날짜": "date",
    "일자": "date",
    "일시": "date",
    "日期": "date",
    "时间": "date",
    "장소": "place_names",
    "지역": "place_names",
    "위치": "place_names",
    "地点": "place_names",
    "地区": "place_names",
    "인원": "count_text",
    "인원수": "count_text",
    "명수": "count_text",
    "人数": "count_text",
    "링크": "source_url",
    "链接": "source_url",
    "출처": "source_org",
    "자료": "source_org",
    "来源": "source_org",
    "비고": "notes",
    "备注": "notes",
    "유형": "event_type",
    "类型": "event_type",
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
    for header in headers:
        key = header_key(header)
        target = key if key in SCHEMA_COLUMNS else ALIASES.get(key)
        if target is None:
            result.unknown.append(header)
        elif target in result.found and (key == target) != (
            header_key(result.found[target]) == target
        ):
            exact, alias = (header, result.found[target]) if key == target else (
                result.found[target], header
            )
            result.found[target] = exact  # the column named as the schema names it wins
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
        elif target in result.found:
            result.problems.append(
                Problem(
                    0,
                    header,
                    header,
                    "error",
                    f"columns {result.found[target]!r} and {header!r} both mean {target!r}; "
                    "keep one",
                )
            )
        else:
            result.found[target] = header
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
