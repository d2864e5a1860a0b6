"""The view a user builds (filters, basemap, language), shared by the app, the CLI and exports.

The view round-trips through a URL query string so that a link reopens the same view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from geo.reference.schema import EVENT_TYPES, MATCH_MODES

SLIDER_MODES = ("cumulative", "date")
BASEMAPS = ("none", "osm", "carto", "esri")
LANGUAGES = ("en", "ko", "zh")
DEFAULT_TYPES = ("forced_return",)
PROVINCE_CODES = (
    "CN-JL", "CN-LN", "KP-01", "KP-02", "KP-03", "KP-04", "KP-05", "KP-06", "KP-07",
    "KP-08", "KP-09", "KP-10", "KP-13", "RU-PRI",
)  # fmt: skip


@dataclass(frozen=True)
class ViewParams:
    """Filters and display choices of one view.

    ``start``/``end`` of None mean open-ended; empty ``provinces`` means all provinces.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] = DEFAULT_TYPES
    provinces: tuple[str, ...] = ()
    match: str = "overlap"
    mode: str = "cumulative"
    basemap: str = "none"
    lang: str = "en"
    present: bool = False

    def to_query(self) -> dict[str, str]:
        """Return the query-string parameters that reopen this view (defaults left out)."""
        query: dict[str, str] = {}
        if self.start:
            query["start"] = self.start.isoformat()
        if self.end:
            query["end"] = self.end.isoformat()
        default = ViewParams()
        if self.types != default.types:
            query["types"] = ",".join(self.types)
        if self.provinces:
            query["provinces"] = ",".join(self.provinces)
        for name in ("match", "mode", "basemap", "lang"):
            if getattr(self, name) != getattr(default, name):
                query[name] = getattr(self, name)
        if self.present:
            query["present"] = "1"
        return query

    def query_string(self) -> str:
        """Return ``to_query()`` encoded, with a leading ``?`` (empty for the default view)."""
        query = self.to_query()
        return "?" + urlencode(query, safe=",") if query else ""

    def with_changes(self, **changes: Any) -> ViewParams:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


def _parse_choices(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"{bad[0]!r} is not one of {', '.join(allowed)}")
    return values


def view_from_query(query: Mapping[str, str]) -> tuple[ViewParams, list[str]]:
    """Build a view from query-string parameters.

    Unknown or invalid values fall back to the default; each fallback is described in the
    returned notices (for the user), never raised.

    Parameters
    ----------
    query
        Parameter name to value, e.g. ``{"start": "2023-01-01", "types": "forced_return"}``.

    Returns
    -------
    tuple
        The view and a list of human-readable notices about ignored values.
    """
    view = ViewParams()
    notices: list[str] = []
    parsers = {
        "start": _parse_date,
        "end": _parse_date,
        "types": lambda t: _parse_choices(t, EVENT_TYPES),
        "provinces": lambda t: _parse_choices(t, PROVINCE_CODES),
        "match": lambda t: _parse_choices(t, MATCH_MODES)[0],
        "mode": lambda t: _parse_choices(t, SLIDER_MODES)[0],
        "basemap": lambda t: _parse_choices(t, BASEMAPS)[0],
        "lang": lambda t: _parse_choices(t, LANGUAGES)[0],
        "present": lambda t: t.strip().lower() in ("1", "true", "yes", "on"),
    }
    changes: dict[str, Any] = {}
    for name, parse in parsers.items():
        if name not in query:
            continue
        raw = str(query[name])
        try:
            value = parse(raw)
        except (ValueError, IndexError) as exc:
            notices.append(f"Ignored {name}={raw!r}: {exc}; using the default.")
            continue
        if name == "types" and not value:
            notices.append(f"Ignored types={raw!r}: no event type given; using the default.")
            continue
        changes[name] = value
    view = replace(view, **changes)
    if view.start and view.end and view.start > view.end:
        notices.append(
            f"Ignored start={view.start} and end={view.end}: start is after end; "
            "showing all dates."
        )
        view = replace(view, start=None, end=None)
    return view, notices
