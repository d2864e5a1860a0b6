"""The view a user builds (filters, basemap, language), shared by the app, the CLI and exports.

The view round-trips through a URL query string so that a link reopens the same view.
:func:`view_from_query` reads a link defensively: a value longer than ``MAX_QUERY_VALUE``
characters, a list of more than ``MAX_QUERY_ITEMS`` items, a value not allowed or a date that
is not a real ``YYYY-MM-DD`` day within the accepted dates (``DATE_MIN`` .. ``DATE_MAX``) is
ignored with a notice; a repeated list item counts once (order kept); unknown parameters are
ignored.

Besides the filters, a link carries where the map was left: ``at`` (the time slider's date;
none: the last step), ``zoom`` (Leaflet's zoom level), ``centre`` (``lat,lon`` in degrees,
rounded to about a pixel at that zoom, :func:`centre_text`) and ``dataset`` (a saved
upload's id; none: the shipped data). Whether the dataset exists is the app's to check
(``webapp.uploads``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

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
#: The zoom levels a link may give (Leaflet's, as the map offers them).
ZOOM_MIN, ZOOM_MAX = 1, 18
#: What a saved dataset's id looks like: ``secrets.token_urlsafe(16)`` (``storage.store``), 22
#: letters, digits, ``-`` and ``_``.
DATASET_ID = re.compile(r"[0-9A-Za-z_-]{22}")
#: What a view uses instead of an ignored value, as a notice words it (translated where shown).
_FALLBACKS = {
    "start": N_("showing from the first date in the data"),
    "end": N_("showing up to the last date in the data"),
    "provinces": N_("showing all provinces"),
    "at": N_("the time slider starts at the last date"),
    "zoom": N_("the map shows the whole border region"),
    "centre": N_("the map shows the whole border region"),
    "dataset": N_("showing the shipped data"),
}


@dataclass(frozen=True)
class ViewParams:
    """Filters and display choices of one view.

    ``start``/``end`` of None mean open-ended; empty ``provinces`` means all provinces.
    ``at`` is the time slider's date (None: its last step); ``zoom`` and ``centre``
    (``(lat, lon)``) where the map is (None: the whole border region); ``dataset`` a saved
    upload's id (None: the shipped data).
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
    dataset: str | None = None
    at: dt.date | None = None
    zoom: int | None = None
    centre: tuple[float, float] | None = None

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
        if self.dataset:
            query["dataset"] = self.dataset
        if self.at:
            query["at"] = self.at.isoformat()
        if self.zoom is not None:
            query["zoom"] = str(self.zoom)
        if self.centre is not None:
            query["centre"] = centre_text(self.centre, self.zoom)
        return query

    def query_string(self) -> str:
        """Return ``to_query()`` encoded, with a leading ``?`` (empty for the default view)."""
        return query_link(self.to_query())

    def link(self, base_url: str) -> str:
        """Return the absolute link that reopens this view in the app at ``base_url``."""
        return query_link(self.to_query(), base_url)

    def with_changes(self, **changes: Any) -> ViewParams:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)


def query_link(query: Mapping[str, str], base_url: str = "") -> str:
    """Return ``base_url`` (its own query and fragment dropped) with ``query`` encoded.

    The one way a link to a view is written: the app's address bar, the link the export panel
    offers, the report pack's README.

    Examples
    --------
    >>> query_link({"start": "2023-01-01", "centre": "41.80,126.90"}, "http://h:8501?old=1")
    'http://h:8501/?start=2023-01-01&centre=41.80,126.90'
    >>> query_link({})
    ''
    """
    encoded = "?" + urlencode(query, safe=",") if query else ""
    if not base_url:
        return encoded
    scheme, host, path, _query, _fragment = urlsplit(base_url)
    return urlunsplit((scheme, host, path or "/", "", "")) + encoded


def centre_text(centre: tuple[float, float], zoom: int | None = None) -> str:
    """Return ``lat,lon`` rounded to about one screen pixel at ``zoom`` (2 to 5 decimals).

    A tile of 256 pixels spans 360 / 2**zoom degrees of longitude; without a zoom, 5
    decimals (about a metre).

    Examples
    --------
    >>> centre_text((41.801234, 126.9), 6), centre_text((41.801234, 126.9), 12)
    ('41.80,126.90', '41.8012,126.9000')
    """
    decimals = 5 if zoom is None else math.ceil(math.log10(256 * 2**zoom / 360))
    decimals = min(max(decimals, 2), 5)
    return f"{centre[0]:.{decimals}f},{centre[1]:.{decimals}f}"


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


def _parse_zoom(text: str) -> int:
    if not re.fullmatch(r"\s*\d{1,2}\s*", text) or not ZOOM_MIN <= int(text) <= ZOOM_MAX:
        raise ValueError(
            _("a zoom must be a whole number from {first} to {last}").format(
                first=ZOOM_MIN, last=ZOOM_MAX
            )
        )
    return int(text)


def _parse_centre(text: str) -> tuple[float, float]:
    reason = _(
        "a centre must be latitude,longitude in degrees, e.g. 41.80,126.90 (latitude from -85 "
        "to 85, longitude from -180 to 180)"
    )
    parts = text.split(",")
    if len(parts) != 2 or not all(re.fullmatch(r"\s*-?\d{1,3}(\.\d{1,8})?\s*", p) for p in parts):
        raise ValueError(reason)
    lat, lon = (float(p) for p in parts)
    if not (-85 <= lat <= 85 and -180 <= lon <= 180):
        raise ValueError(reason)
    return lat, lon


def _parse_dataset(text: str) -> str:
    if not DATASET_ID.fullmatch(text):
        raise ValueError(
            _("a dataset is named by its id: 22 letters, digits, hyphens and underscores")
        )
    return text


def view_from_query(query: Mapping[str, str]) -> tuple[ViewParams, list[str]]:
    """Build a view from query-string parameters.

    Invalid values fall back to the default; each fallback is described in the returned
    notices (for the user), never raised. A value longer than ``MAX_QUERY_VALUE`` characters
    or a list of more than ``MAX_QUERY_ITEMS`` items is ignored unread; ``start``/``end`` must
    be real ``YYYY-MM-DD`` days within the accepted dates (``at`` too); ``zoom`` a whole number
    from ``ZOOM_MIN`` to ``ZOOM_MAX``; ``centre`` ``lat,lon`` in degrees; ``dataset`` a saved
    dataset's id (:data:`DATASET_ID`); a repeated ``types`` or
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
        "dataset": _parse_dataset,
        "at": _parse_date,
        "zoom": _parse_zoom,
        "centre": _parse_centre,
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
    if view.centre is not None:  # as precise as a link writes it: the link reads back the same
        view = replace(view, centre=_parse_centre(centre_text(view.centre, view.zoom)))
    return view, notices
