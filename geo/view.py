"""The view a user builds (filters, basemap, language), shared by the app, the CLI and exports.

The view round-trips through a URL query string so that a link reopens the same view.
:func:`view_from_query` reads a link defensively: a value longer than ``MAX_QUERY_VALUE``
characters, a list of more than ``MAX_QUERY_ITEMS`` items, a value not allowed or a date that
is not a real ``YYYY-MM-DD`` day within the accepted dates (``DATE_MIN`` .. ``DATE_MAX``) is
ignored with a notice; a repeated list item counts once (order kept); unknown parameters are
ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from geo.parse import quoted
from geo.parse.dates import DateParseError, parse_iso_day
from geo.reference.schema import DATE_MAX, DATE_MIN, DEFAULT_MATCH, EVENT_TYPES, MATCH_MODES
from i18n import N_, _
from i18n.formats import number

SLIDER_MODES = ("cumulative", "date")
BASEMAPS = ("none", "osm", "carto", "esri")
LANGUAGES = ("en", "ko", "zh")
DEFAULT_TYPES = ("forced_return",)
PROVINCE_CODES = (
    "CN-JL", "CN-LN", "KP-01", "KP-02", "KP-03", "KP-04", "KP-05", "KP-06", "KP-07",
    "KP-08", "KP-09", "KP-10", "KP-13", "RU-PRI",
)  # fmt: skip
#: Longest query-string value read (characters); a longer one is ignored with a notice.
MAX_QUERY_VALUE = 2_000
#: Most items a list parameter (``types``, ``provinces``) may hold, repeats included.
MAX_QUERY_ITEMS = 50
#: What a view uses instead of an ignored value, as a notice words it (translated where shown).
_FALLBACKS = {
    "start": N_("showing from the first date in the data"),
    "end": N_("showing up to the last date in the data"),
    "provinces": N_("showing all provinces"),
}


@dataclass(frozen=True)
class ViewParams:
    """Filters and display choices of one view.

    ``start``/``end`` of None mean open-ended; empty ``provinces`` means all provinces.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] = DEFAULT_TYPES
    provinces: tuple[str, ...] = ()
    match: str = DEFAULT_MATCH
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
    try:
        return parse_iso_day(text)
    except DateParseError:
        raise ValueError(
            _("a date must be a real day written YYYY-MM-DD, from {first} to {last}").format(
                first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat()
            )
        ) from None


def _parse_choices(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Return the comma-separated values of ``text``, each once, in their first order."""
    values = [v.strip() for v in text.split(",") if v.strip()]
    if len(values) > MAX_QUERY_ITEMS:
        raise ValueError(
            _("{n} values given; a link may list at most {limit}").format(
                n=number(len(values)), limit=number(MAX_QUERY_ITEMS)
            )
        )
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(
            _("{value} is not one of {allowed}").format(
                value=quoted(bad[0]), allowed=", ".join(allowed)
            )
        )
    return tuple(dict.fromkeys(values))


def view_from_query(query: Mapping[str, str]) -> tuple[ViewParams, list[str]]:
    """Build a view from query-string parameters.

    Invalid values fall back to the default; each fallback is described in the returned
    notices (for the user), never raised. A value longer than ``MAX_QUERY_VALUE`` characters
    or a list of more than ``MAX_QUERY_ITEMS`` items is ignored unread; ``start``/``end`` must
    be real ``YYYY-MM-DD`` days within the accepted dates; a repeated ``types`` or
    ``provinces`` item counts once (first order kept); unknown parameters are ignored.

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
        fallback = _(_FALLBACKS.get(name, N_("using the default")))
        if len(raw) > MAX_QUERY_VALUE:
            notices.append(
                _(
                    "Ignored {name}: its value is {n} characters long; a link may give at most "
                    "{limit}; {fallback}."
                ).format(
                    name=name, n=number(len(raw)), limit=number(MAX_QUERY_VALUE), fallback=fallback
                )
            )
            continue
        try:
            value = parse(raw)
        except (ValueError, IndexError) as exc:
            notices.append(
                _("Ignored {name}={value}: {reason}; {fallback}.").format(
                    name=name, value=quoted(raw), reason=exc, fallback=fallback
                )
            )
            continue
        if name == "types" and not value:
            notices.append(
                _("Ignored types={value}: no event type given; using the default.").format(
                    value=quoted(raw)
                )
            )
            continue
        changes[name] = value
    view = replace(view, **changes)
    if view.start and view.end and view.start > view.end:
        notices.append(
            _("Ignored start={start} and end={end}: start is after end; showing all dates.").format(
                start=view.start, end=view.end
            )
        )
        view = replace(view, start=None, end=None)
    return view, notices
