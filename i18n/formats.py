"""Numbers and dates as each language writes them (Babel's CLDR data).

English keeps the forms the project has always printed (``1,222``, ``26 April 2024``,
``July 2021``, ``26–28 April 2024``); Korean and Chinese use CLDR's: ``2024년 4월 26일``,
``2024年4月26日``, ``2024년 4월~6월``, ``2024年4月 – 6月``. Babel is imported by the first Korean or
Chinese text: English needs none of it.
"""

from __future__ import annotations

import datetime as dt

from i18n import current_language
from i18n.catalogue import LOCALES

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _locale() -> str:
    return LOCALES[current_language()]


def _interval(first: dt.date, last: dt.date, skeleton: str) -> str:
    """CLDR's interval, its thin spaces (which CLDR uses for some skeletons only) made plain."""
    from babel.dates import format_interval

    return format_interval(first, last, skeleton, locale=_locale()).replace("\u2009", " ")


def number(value: int) -> str:
    """Return a whole number with the language's digit grouping: ``1,222``."""
    if current_language() == "en":
        return f"{int(value):,}"
    from babel.numbers import format_decimal  # Babel for Korean and Chinese only

    return format_decimal(int(value), locale=_locale())


def day(value: dt.date) -> str:
    """Return a day with its month spelled out: ``26 April 2024``, ``2024년 4월 26일``."""
    if current_language() == "en":
        return f"{value.day} {month(value)}"
    from babel.dates import format_date

    return format_date(value, "long", locale=_locale())


def month(value: dt.date) -> str:
    """Return the month of ``value``: ``April 2024``, ``2024년 4월``, ``2024年4月``."""
    if current_language() == "en":
        return f"{MONTHS[value.month - 1]} {value.year}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=_locale())


def year(value: int) -> str:
    """Return a year: ``2024``, ``2024년``, ``2024年``."""
    if current_language() == "en":
        return str(value)
    from babel.dates import format_skeleton

    return format_skeleton("y", dt.date(value, 1, 1), locale=_locale())


def years(first: int, last: int) -> str:
    """Return a span of whole years: ``2019–2021``, ``2019년 ~ 2021년``, ``2019–2021年``."""
    if current_language() == "en":
        return f"{first}–{last}"
    return _interval(dt.date(first, 1, 1), dt.date(last, 1, 1), "y")


def months(first: dt.date, last: dt.date) -> str:
    """Return a span of whole months (``first``'s to ``last``'s), neither repeated needlessly.

    ``January–May 2024``, ``July 2021 – March 2022``; ``2024년 1월~5월``; ``2024年1月 – 5月``.
    """
    if current_language() != "en":
        return _interval(first, last, "yMMMM")
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]}–{month(last)}"
    return f"{month(first)} – {month(last)}"


def days(first: dt.date, last: dt.date) -> str:
    """Return a span of days, sharing what the ends share.

    ``26–28 April 2024``, ``26 April – 3 June 2024``; ``2024년 4월 26일~28일``.
    """
    if current_language() != "en":
        return _interval(first, last, "yMMMMd")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} – {day(last)}"
    return f"{day(first)} – {day(last)}"
