"""Match a file's column headers to the schema: case, spaces and aliases ignored.

``"Date Start"``, ``"date_start"`` and ``" DATE-START "`` are one column. Aliases
(``ALIASES``) name the same schema column; ``date`` and ``count`` are free-form columns read by
:func:`geo.dates.parse_date` and :func:`geo.counts.parse_count`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.errors import Problem
from geo.schema import SCHEMA_COLUMNS

__all__ = ["ALIASES", "ColumnMap", "match_columns"]

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
}

_GROUPS = {
    "a date": ("date", "date_start", "date_end"),
    "a location": ("place_names", "admin1_codes", "lat", "lon"),
    "a source": ("source_url", "source_org"),
}


def _key(header: str) -> str:
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
    for header in headers:
        key = _key(header)
        target = key if key in SCHEMA_COLUMNS else ALIASES.get(key)
        if target is None:
            result.unknown.append(header)
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
