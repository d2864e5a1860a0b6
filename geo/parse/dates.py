"""Read the dates people write into a start, an end and a precision.

Only unambiguous forms are accepted, each by an explicit pattern, so nothing is ever guessed:

========================================  =========  ====================================
text                                      precision  start .. end
========================================  =========  ====================================
``2024-04-26``, ``2024/04/26``            day        the day (a midnight time is allowed)
``2024. 4. 26.``, ``2024.04.26``          day        the day (year first, as in Korean)
``2024年4月26日``, ``2024년 4월 26일``          day        the day
``26 April 2024``                         day        the day
``April 26, 2024``                        day        the day
``2024-04``, ``April 2024``               month      first .. last day
``2024年4月``, ``2024년 4월``                 month      first .. last day
``2023``, ``2023年``, ``2023년``            year       1 January .. 31 December
``early/mid/late October 2023``           period     days 1–10, 11–20, 21–end of the month
``2023년 10월 초/중순/말`` (상순, 하순)       period     the same thirds
``2023年10月上旬/中旬/下旬`` (初, 底)          period     the same thirds
``Q4 2023``, ``2023 Q4``, ``2023-Q4``     period     the quarter's first .. last day
``A/B``, ``A..B``, ``A to B``             period     start of A .. end of B
``A - B``, ``A–B``, ``A~B``               period     start of A .. end of B
========================================  =========  ====================================

Month names may be full or abbreviated (``Apr``, ``Sept``), any case. Everything else raises
:class:`DateParseError` with a message saying what to write instead, in particular numeric
day/month orders such as ``03/04/2024`` (3 April or 4 March?) and even ``13/04/2024``, and
two-digit years (``31-12-19``, as Excel re-saves dates: named as ambiguous): a file
whose rows are read in different orders depending on the day is worse than one that asks for
ISO dates. Spreadsheet serial numbers (``45000``) and "n.d." are refused the same way, and
``20240426`` with the hyphenated form to write.
(``dateutil.parser`` is not used: it fills missing parts from a default date and picks a
day/month order silently.)

A layout whose files write (or whose re-saved files hold) day-first numeric dates, ACLED's,
reads them with ``parse_date(text, day_first=True)``: ``18/04/2001`` and ``5/5/2024`` (the day
over 12, or equal to the month: no other day) are read; ``10/9/2023`` (10 September, or 9
October as a US locale writes it) is refused as ambiguous as in any file, and a month-first
``4/15/2024`` as in any file, so no row is ever read month first.

Only dates from ``DATE_MIN`` to ``DATE_MAX`` (:mod:`geo.reference.schema`, 1900-01-01 to
2100-12-31) are accepted, by :func:`parse_date` and by :func:`parse_iso_day` (the one day of a
link or a command-line option): a day outside them is an error naming the range, so no later
step (pandas, parquet, the app's date slider, the maps' scripts) ever meets it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geo.parse import quoted
from geo.reference.schema import DATE_MAX, DATE_MIN

__all__ = [
    "ACCEPTED_DATES",
    "DateParseError",
    "DateValue",
    "in_accepted_range",
    "parse_date",
    "parse_iso_day",
]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO_DAY = re.compile(
    r"(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})(?:[ t]00:00(?::00)?)?"
)
_ISO_MONTH = re.compile(r"(?P<year>\d{4})-(?P<mon>\d{1,2})")
# Year-first dates as written in Korean and Chinese sources: 2024. 4. 26., 2024年4月26日,
# 2024년 4월 26일 (and their month and year forms).
_DOTTED_DAY = re.compile(r"(?P<year>\d{4})\.\s?(?P<mon>\d{1,2})\.\s?(?P<day>\d{1,2})\.?")
_CJK = re.compile(
    r"(?P<year>\d{4})\s?[年년](?:\s?(?P<mon>\d{1,2})\s?[月월](?:\s?(?P<day>\d{1,2})\s?[日일])?)?"
)
#: Part of a month: its first, middle or last third (days 1–10, 11–20, 21 to the end), as
#: written in English (early/mid/late October 2023), Korean (2023년 10월 초, 중순, 말; 상순,
#: 하순) and Chinese (2023年10月上旬, 中旬, 下旬; 初, 底).
_THIRDS = {"early": 0, "beginning of": 0, "mid": 1, "mid-": 1, "middle of": 1, "late": 2,
           "end of": 2, "초": 0, "초순": 0, "상순": 0, "중순": 1, "말": 2, "말경": 2, "하순": 2,
           "上旬": 0, "初": 0, "中旬": 1, "下旬": 2, "底": 2, "末": 2}  # fmt: skip
_EN_THIRD = re.compile(
    rf"(?P<third>early|beginning of|middle of|mid-|mid|late|end of)\s*{_MONTH}\s+(?P<year>\d{{4}})"
)
_CJK_THIRD = re.compile(
    r"(?P<year>\d{4})\s?[年년]\s?(?P<mon>\d{1,2})\s?[月월]\s?"
    r"(?P<third>초순|초|상순|중순|말경|말|하순|上旬|中旬|下旬|初|底|末)"
)
#: A calendar quarter: Q4 2023, 2023 Q4, 2023-Q4.
_QUARTER = re.compile(r"q(?P<q>[1-4])\s+(?P<year>\d{4})|(?P<year2>\d{4})[\s-]?q(?P<q2>[1-4])")
_COMPACT = re.compile(r"(?P<year>(?:19|20)\d{2})(?P<mon>[01]\d)(?P<day>[0-3]\d)")
_YEAR = re.compile(r"(?P<year>\d{4})")
_DAY_MONTH_YEAR = re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})")
_MONTH_DAY_YEAR = re.compile(
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
)
_MONTH_YEAR = re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})")
_NUMERIC_DMY = re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<year>\d{2,4})")
_SERIAL = re.compile(r"\d{5,}(\.\d+)?")
_RANGE = re.compile(r"\s*(?:/|\.\.|\s+to\s+|\s+-\s+|[–—~〜])\s*")

_ISO_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

ISO_HINT = "write ISO dates such as 2024-04-26, 2024-04, 2024 or 2024-01-01/2024-05-08"
#: The accepted dates as messages word them.
ACCEPTED_DATES = f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"


class DateParseError(ValueError):
    """A date text that cannot be read unambiguously; the message says what to write."""


@dataclass(frozen=True)
class DateValue:
    """A date as written: first day, last day and how precisely it is known."""

    start: dt.date
    end: dt.date
    precision: str


def _year(year: str, text: str) -> int:
    if int(year) < 1:
        raise DateParseError(f"{quoted(text)}: there is no year {year}")
    return int(year)


def _day(year: str, month: int, day: str, text: str) -> dt.date:
    _year(year, text)
    try:
        return dt.date(int(year), month, int(day))
    except ValueError as err:
        raise DateParseError(f"{quoted(text)} is not a real date ({err})") from None


def _month(year: str, month: int, text: str) -> DateValue:
    if not 1 <= month <= 12:
        raise DateParseError(f"{quoted(text)}: there is no month {month}")
    _year(year, text)
    last = calendar.monthrange(int(year), month)[1]
    return DateValue(dt.date(int(year), month, 1), dt.date(int(year), month, last), "month")


def _cjk(match: re.Match[str], text: str) -> DateValue:
    if match["day"]:
        day = _day(match["year"], int(match["mon"]), match["day"], text)
        return DateValue(day, day, "day")
    if match["mon"]:
        return _month(match["year"], int(match["mon"]), text)
    year = _year(match["year"], text)
    return DateValue(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _third(year: str, month: int, third: int, text: str) -> DateValue:
    """Return the first, middle or last third of a month as a period."""
    whole = _month(year, month, text)
    start = whole.start + dt.timedelta(days=10 * third)
    end = whole.end if third == 2 else start + dt.timedelta(days=9)
    return DateValue(start, end, "period")


def _quarter(year: str, quarter: int, text: str) -> DateValue:
    """Return a calendar quarter as a period."""
    first, last = _month(year, 3 * quarter - 2, text), _month(year, 3 * quarter, text)
    return DateValue(first.start, last.end, "period")


def _numeric_error(text: str, match: re.Match[str]) -> DateParseError:
    a, b, year = int(match["a"]), int(match["b"]), match["year"]
    if len(year) == 4 and 1 <= b <= 12 < a <= 31:
        return DateParseError(
            f"{quoted(text)}: numeric day/month dates are not read; write {year}-{b:02d}-{a:02d}"
        )
    if len(year) == 4 and 1 <= a <= 12 and 1 <= b <= 12 and a != b:
        first = f"{a} {calendar.month_name[b]}"
        second = f"{b} {calendar.month_name[a]}"
        return DateParseError(
            f"{quoted(text)} is ambiguous: {first} or {second}? "
            f"write {year}-{b:02d}-{a:02d} or {year}-{a:02d}-{b:02d}"
        )
    if len(year) == 2:
        example = (
            f"20{year}-{b:02d}-{a:02d} if it is day-month-year" if b <= 12
            else f"20{year}-{a:02d}-{b:02d} if it is month-day-year" if a <= 12
            else "2019-12-31"
        )  # fmt: skip
        return DateParseError(
            f"{quoted(text)} is ambiguous: a two-digit year, and an order of day, month and "
            f"year that cannot be told (Excel re-saves dates so); write the date as ISO, e.g. "
            f"{example}"
        )
    return DateParseError(f"{quoted(text)}: day/month order is not read; {ISO_HINT}")


def in_accepted_range(day: dt.date) -> bool:
    """Return whether ``day`` lies within ``DATE_MIN`` .. ``DATE_MAX`` (the accepted dates)."""
    return DATE_MIN <= day <= DATE_MAX


def _outside(text: str) -> DateParseError:
    return DateParseError(
        f"{quoted(text)} is outside the dates this tool accepts ({ACCEPTED_DATES})"
    )


def _day_first(match: re.Match[str], text: str) -> DateValue | None:
    """Return a numeric day-first date that can be no other day, else None (``_NUMERIC_DMY``).

    The day is over 12 (it cannot be a month) or equals the month, the year has four digits.
    """
    a, b, year = int(match["a"]), int(match["b"]), match["year"]
    if len(year) != 4 or not 1 <= b <= 12 or not (a > 12 or a == b):
        return None
    day = _day(year, b, str(a), text)
    return DateValue(day, day, "day")


def _single(text: str, day_first: bool = False) -> DateValue:
    """Parse one date (not a range) within the accepted dates."""
    value = _read_single(text, day_first)
    if not (in_accepted_range(value.start) and in_accepted_range(value.end)):
        raise _outside(text)
    return value


def _read_single(text: str, day_first: bool = False) -> DateValue:
    """Parse one date (not a range); ``day_first``: see ``parse_date``."""
    low = text.lower()
    if m := _ISO_DAY.fullmatch(low):
        day = _day(m["year"], int(m["mon"]), m["day"], text)
        return DateValue(day, day, "day")
    if m := _ISO_MONTH.fullmatch(low):
        return _month(m["year"], int(m["mon"]), text)
    if m := _YEAR.fullmatch(low):
        year = _year(m["year"], text)
        return DateValue(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if m := pattern.fullmatch(low):
            day = _day(m["year"], _MONTHS[m["month"]], m["day"], text)
            return DateValue(day, day, "day")
    if m := _MONTH_YEAR.fullmatch(low):
        return _month(m["year"], _MONTHS[m["month"]], text)
    if m := _DOTTED_DAY.fullmatch(low):
        day = _day(m["year"], int(m["mon"]), m["day"], text)
        return DateValue(day, day, "day")
    if m := _CJK.fullmatch(low):
        return _cjk(m, text)
    if m := _EN_THIRD.fullmatch(low):
        return _third(m["year"], _MONTHS[m["month"]], _THIRDS[m["third"]], text)
    if m := _CJK_THIRD.fullmatch(low):
        return _third(m["year"], int(m["mon"]), _THIRDS[m["third"]], text)
    if m := _QUARTER.fullmatch(low):
        return _quarter(m["year"] or m["year2"], int(m["q"] or m["q2"]), text)
    if m := _COMPACT.fullmatch(low):
        raise DateParseError(
            f"{quoted(text)}: write the date with hyphens, {m['year']}-{m['mon']}-{m['day']}"
        )
    if m := _NUMERIC_DMY.fullmatch(low):
        if day_first and "/" in text and (value := _day_first(m, text)):
            return value
        raise _numeric_error(text, m)
    if _SERIAL.fullmatch(low):
        raise DateParseError(f"{quoted(text)} looks like a spreadsheet serial number; {ISO_HINT}")
    raise DateParseError(f"{quoted(text)} is not a date this tool reads; {ISO_HINT}")


def parse_date(text: str, *, day_first: bool = False) -> DateValue:
    """Read a date, a month, a year or a period.

    Parameters
    ----------
    text : str
        The cell as written, e.g. ``"2024-04-26"``, ``"April 2024"``, ``"2023"``,
        ``"2024-01-01/2024-05-08"``.
    day_first : bool
        Also read a day-first ``DD/MM/YYYY`` that can be no other day (the day over 12, or
        equal to the month), as a layout that writes them does (ACLED's). Any other numeric
        day/month date is refused as without it (``10/9/2023`` is ambiguous).

    Returns
    -------
    DateValue
        ``start`` and ``end`` (equal for a day) and ``precision`` (``day``, ``month``,
        ``year`` or ``period``). A precision is never made finer than the text.

    Raises
    ------
    DateParseError
        Empty, ambiguous, impossible or unreadable text, or a range that ends before it starts.

    Examples
    --------
    >>> parse_date("July 2021")
    DateValue(start=datetime.date(2021, 7, 1), end=datetime.date(2021, 7, 31), precision='month')
    """
    text = " ".join(str(text).split())
    if not text:
        raise DateParseError(f"no date given; {ISO_HINT}")
    single = _ISO_DAY.fullmatch(text.lower()) or _NUMERIC_DMY.fullmatch(text)
    parts = [text] if single else _RANGE.split(text)
    if len(parts) == 1:
        return _single(text, day_first)
    if len(parts) != 2 or not all(parts):
        raise DateParseError(f"{quoted(text)} is not a date range this tool reads; {ISO_HINT}")
    first, last = _single(parts[0], day_first), _single(parts[1], day_first)
    if last.end < first.start:
        raise DateParseError(f"{quoted(text)} ends before it starts")
    return DateValue(first.start, last.end, "period")


def parse_iso_day(text: str) -> dt.date:
    """Read one day written ``YYYY-MM-DD`` within the accepted dates (links, command line).

    Parameters
    ----------
    text : str
        ``"2023-10-09"``; spaces at both ends are ignored.

    Returns
    -------
    datetime.date

    Raises
    ------
    DateParseError
        Another form, an impossible day, or a day outside ``DATE_MIN`` .. ``DATE_MAX``.
    """
    text = str(text).strip()
    if not _ISO_ONLY.fullmatch(text):
        raise DateParseError(
            f"{quoted(text)} is not a day written YYYY-MM-DD (e.g. 2023-10-09) from "
            f"{ACCEPTED_DATES}"
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as err:
        raise DateParseError(f"{quoted(text)} is not a real date ({err})") from None
    if not in_accepted_range(day):
        raise _outside(text)
    return day
