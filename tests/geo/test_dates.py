import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.parse.dates import ACCEPTED_DATES, DateParseError, DateValue, parse_date, parse_iso_day
from geo.reference.schema import DATE_MAX, DATE_MIN

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
        # Parts of a month and quarters: honest periods, never a day (issue 11)
        ("early October 2023", DateValue(D(2023, 10, 1), D(2023, 10, 10), "period")),
        ("mid-October 2023", DateValue(D(2023, 10, 11), D(2023, 10, 20), "period")),
        ("late Feb 2024", DateValue(D(2024, 2, 21), D(2024, 2, 29), "period")),
        ("2023년 10월 초", DateValue(D(2023, 10, 1), D(2023, 10, 10), "period")),
        ("2023년 10월 중순", DateValue(D(2023, 10, 11), D(2023, 10, 20), "period")),
        ("2023년 10월 말", DateValue(D(2023, 10, 21), D(2023, 10, 31), "period")),
        ("2024년 2월 하순", DateValue(D(2024, 2, 21), D(2024, 2, 29), "period")),
        ("2023年10月上旬", DateValue(D(2023, 10, 1), D(2023, 10, 10), "period")),
        ("2023年10月下旬", DateValue(D(2023, 10, 21), D(2023, 10, 31), "period")),
        ("2023년 10월 상순", DateValue(D(2023, 10, 1), D(2023, 10, 10), "period")),
        ("2023년 10월 하순", DateValue(D(2023, 10, 21), D(2023, 10, 31), "period")),
        ("2023年10月中旬", DateValue(D(2023, 10, 11), D(2023, 10, 20), "period")),
        ("2023年10月", DateValue(D(2023, 10, 1), D(2023, 10, 31), "month")),
        ("2023년 10월", DateValue(D(2023, 10, 1), D(2023, 10, 31), "month")),
        ("2023년 10월 9일", DateValue(D(2023, 10, 9), D(2023, 10, 9), "day")),
        ("2023年10月9日", DateValue(D(2023, 10, 9), D(2023, 10, 9), "day")),
        ("late October 2023", DateValue(D(2023, 10, 21), D(2023, 10, 31), "period")),
        ("Q4 2023", DateValue(D(2023, 10, 1), D(2023, 12, 31), "period")),
        ("2023-Q1", DateValue(D(2023, 1, 1), D(2023, 3, 31), "period")),
        ("early October 2023 to late November 2023",
         DateValue(D(2023, 10, 1), D(2023, 11, 30), "period")),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13/04/2024", D(2024, 4, 13)), ("31/12/2019", D(2019, 12, 31)), ("5/5/2024", D(2024, 5, 5)),
     ("04/04/2024", D(2024, 4, 4))],
)  # fmt: skip
def test_day_first_reads_a_slash_date_that_can_be_no_other_day(text, expected):
    assert parse_date(text, day_first=True) == DateValue(expected, expected, "day")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("10/9/2023", "ambiguous: 10 September or 9 October? write 2023-09-10 or 2023-10-09"),
        ("4/15/2024", "day/month order is not read"),  # month first: never read
        ("10/9/23", "ambiguous: a two-digit year"),
        ("13-04-2024", "write 2024-04-13"),  # only slashes, as re-saved ACLED exports hold
        ("31/02/2024", "is not a real date"),
    ],
)
def test_day_first_refuses_what_could_be_another_day_as_without_it(text, fragment):
    with pytest.raises(DateParseError) as err:
        parse_date(text, day_first=True)
    assert fragment in str(err.value)
    if fragment != "is not a real date":
        with pytest.raises(DateParseError) as plain:
            parse_date(text)
        assert str(plain.value) == str(err.value)


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


@given(st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_iso_days_round_trip(day):
    assert parse_date(day.isoformat()) == DateValue(day, day, "day")
    assert parse_iso_day(day.isoformat()) == day


@given(st.one_of(st.dates(max_value=DATE_MIN - dt.timedelta(days=1)),
                 st.dates(min_value=DATE_MAX + dt.timedelta(days=1))))  # fmt: skip
def test_days_outside_the_accepted_dates_are_refused_naming_the_range(day):
    for parse in (parse_date, parse_iso_day):
        with pytest.raises(DateParseError, match=ACCEPTED_DATES):
            parse(day.isoformat())


def test_accepted_dates_are_1900_to_2100():
    assert ACCEPTED_DATES == "1900-01-01 to 2100-12-31"
    assert parse_date("1900") == DateValue(D(1900, 1, 1), D(1900, 12, 31), "year")
    assert parse_date("2100-12") == DateValue(D(2100, 12, 1), D(2100, 12, 31), "month")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0001-01-01", f"'0001-01-01' is outside the dates this tool accepts ({ACCEPTED_DATES})"),
        ("9999", f"'9999' is outside the dates this tool accepts ({ACCEPTED_DATES})"),
        ("1899-12", f"'1899-12' is outside the dates this tool accepts ({ACCEPTED_DATES})"),
        ("2101-01-01", f"'2101-01-01' is outside the dates this tool accepts ({ACCEPTED_DATES})"),
        ("December 1899", f"'December 1899' is outside the dates this tool accepts "
         f"({ACCEPTED_DATES})"),
        ("2024/9999", f"'9999' is outside the dates this tool accepts ({ACCEPTED_DATES})"),
    ],
)  # fmt: skip
def test_out_of_range_dates_name_the_range(text, message):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2023-1-9", f"is not a day written YYYY-MM-DD (e.g. 2023-10-09) from {ACCEPTED_DATES}"),
        ("20230109", "is not a day written YYYY-MM-DD"),
        ("2023-W01-1", "is not a day written YYYY-MM-DD"),
        ("２０２３-01-09", "is not a day written YYYY-MM-DD"),
        ("2023-13-45", "is not a real date (month must be in 1..12)"),
        ("0001-01-01", ACCEPTED_DATES),
        ("9" * 5000, "is not a day written YYYY-MM-DD"),
    ],
)
def test_iso_day_of_links_and_options(text, fragment):
    with pytest.raises(DateParseError) as err:
        parse_iso_day(text)
    assert fragment in str(err.value)
    assert len(str(err.value)) < 200
    assert parse_iso_day(" 2023-10-09 ") == D(2023, 10, 9)


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
