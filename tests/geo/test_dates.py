import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.parse.dates import DateParseError, DateValue, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-26", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("2024/04/26", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("2024-04-26 00:00:00", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("26 April 2024", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("April 26, 2024", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("  2024-04-26 ", DateValue(D(2024, 4, 26), D(2024, 4, 26), "day")),
        ("2024-04", DateValue(D(2024, 4, 1), D(2024, 4, 30), "month")),
        ("April 2024", DateValue(D(2024, 4, 1), D(2024, 4, 30), "month")),
        ("Apr 2024", DateValue(D(2024, 4, 1), D(2024, 4, 30), "month")),
        ("july 2021", DateValue(D(2021, 7, 1), D(2021, 7, 31), "month")),
        ("Sept. 2020", DateValue(D(2020, 9, 1), D(2020, 9, 30), "month")),
        ("2024-02", DateValue(D(2024, 2, 1), D(2024, 2, 29), "month")),
        ("2023", DateValue(D(2023, 1, 1), D(2023, 12, 31), "year")),
        ("2024-01-01/2024-05-08", DateValue(D(2024, 1, 1), D(2024, 5, 8), "period")),
        ("2024-01-01..2024-05-08", DateValue(D(2024, 1, 1), D(2024, 5, 8), "period")),
        ("2024-01-01 to 2024-05-08", DateValue(D(2024, 1, 1), D(2024, 5, 8), "period")),
        ("2023/2024-03", DateValue(D(2023, 1, 1), D(2024, 3, 31), "period")),
        ("2024-04-26/2024-04-26", DateValue(D(2024, 4, 26), D(2024, 4, 26), "period")),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("03/04/2024", "ambiguous: 3 April or 4 March? write 2024-04-03 or 2024-03-04"),
        ("04-03-2024", "ambiguous: 4 March or 3 April?"),
        ("13/04/2024", "write 2024-04-13"),
        ("04/04/2024", "day/month order is not read"),
        ("2023-02-30", "is not a real date"),
        ("2024-13", "there is no month 13"),
        ("0000", "there is no year"),
        ("2024-05-08/2024-01-01", "ends before it starts"),
        ("45000", "spreadsheet serial number"),
        ("n.d.", "is not a date this tool reads"),
        ("", "no date given"),
        ("2024-01-01/", "is not a date range"),
        ("sometime in 2024", "write ISO dates"),
    ],
)
def test_refused_forms(text, fragment):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert fragment in str(err.value)


def test_error_is_a_value_error():
    assert issubclass(DateParseError, ValueError)


@given(st.text(max_size=40))
def test_any_text_gives_a_value_or_a_date_parse_error(text):
    try:
        value = parse_date(text)
    except DateParseError:
        return
    assert value.start <= value.end
    assert value.precision in ("day", "month", "year", "period")


@given(st.dates(min_value=D(1, 1, 1)))
def test_iso_days_round_trip(day):
    assert parse_date(day.isoformat()) == DateValue(day, day, "day")


DATE_TOKENS = st.sampled_from(
    list("0123456789 -/.,") + ["2024", "April ", "Sept", " to ", "..", "02", "29", "0000", "th"]
)


@given(st.lists(DATE_TOKENS, max_size=10).map("".join))
def test_date_like_text_gives_a_value_or_a_date_parse_error(text):
    try:
        value = parse_date(text)
    except DateParseError:
        return
    assert value.start <= value.end
