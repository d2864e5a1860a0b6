"""Text for maps and exports: dates with their precision, counts, and escaping helpers.

Every string derived from data passes through one of the escaping helpers before it lands in
HTML, in a JavaScript template literal, or in a link. They are shared by all components.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import urlsplit

import pandas as pd

SAFE_SCHEMES = ("http", "https")

_UNCERTAINTY_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def escape_html(text: object) -> str:
    """Return ``text`` as HTML text or attribute content (``& < > " '`` escaped).

    ``None`` and missing values become ''.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def to_js_json(value: object) -> str:
    r"""Return ``value`` as JSON safe to write inside a ``<script>`` of a folium template.

    ``< > & '`` become ``\\u`` escapes (no ``</script>``, no HTML comment), and so does a
    ``{`` opening ``{{``, ``{%`` or ``{#``: branca compiles each element's rendered output
    as a Jinja template again, so data text such as ``{{ 7*7 }}`` would otherwise be
    evaluated on the server. In JSON such pairs only occur inside strings, where the escape
    is valid.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def safe_url(url: object) -> str | None:
    """Return ``url`` stripped if it is an http(s) URL with a host, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def link_html(url: object, label: str) -> str:
    """Return an ``<a>`` to ``url`` (http/https only) showing ``label``, escaped.

    Links open in a new tab with ``rel="noopener noreferrer"``. A URL with any other scheme
    is shown as plain escaped text, never as a link.
    """
    good = safe_url(url)
    if good is None:
        return escape_html(url)
    return (
        f'<a href="{escape_html(good)}" target="_blank" rel="noopener noreferrer">'
        f"{escape_html(label)}</a>"
    )


def _as_date(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def _is_month_start(d: dt.date) -> bool:
    return d.day == 1


def _is_month_end(d: dt.date) -> bool:
    return (d + dt.timedelta(days=1)).day == 1


def _span(start: dt.date, end: dt.date) -> str:
    """Write a span at the coarsest grain its ends allow: years, months or days."""
    whole_years = (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if _is_month_start(start) and _is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%B %Y}"
        if start.year == end.year:
            return f"{start:%b}–{end:%b %Y}"
        return f"{start:%b %Y} – {end:%b %Y}"
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def format_date(start: object, end: object, precision: str) -> str:
    """Write an event's date as precisely as it is known.

    Parameters
    ----------
    start, end
        First and last day (date, Timestamp or NaT/None when unknown).
    precision
        ``day``, ``month``, ``year`` or ``period`` (``geo.reference.schema.DATE_PRECISIONS``).

    Returns
    -------
    str
        For example ``"26 Apr 2024"``, ``"July 2021"``, ``"2023"``, ``"Jan–May 2024"``,
        ``"from 3 Mar 2020"``, ``"date unknown"``.

    Examples
    --------
    >>> format_date("2021-07-01", "2021-07-31", "month")
    'July 2021'
    """
    first, last = _as_date(start), _as_date(end)
    if first is None and last is None:
        return "date unknown"
    if first is None:
        return f"until {_day(last)}"
    if last is None:
        return f"from {_day(first)}"
    if precision == "day" and first == last:
        return _day(first)
    if precision == "month" and (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    if precision == "year" and first.year == last.year:
        return str(first.year)
    return _span(first, last)


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def format_count(qualifier: str, best: object, low: object, high: object) -> str:
    """Write a count from its columns, e.g. ``"about 60"``, ``"50–60"``, ``"not stated"``.

    Used when the source's own words (``count_text``) are empty; see the count rule in
    data/README.md.
    """
    best_i, low_i, high_i = _int(best), _int(low), _int(high)
    if best_i is None and low_i is not None and high_i is not None:
        return f"{low_i:,}–{high_i:,}" if low_i != high_i else f"{low_i:,}"
    value = best_i if best_i is not None else (high_i if qualifier == "up_to" else low_i)
    if value is None:
        return "not stated"
    return f"{_UNCERTAINTY_WORDS.get(qualifier, '')}{value:,}"
