"""Dates and counts end to end: every accepted form, every refusal with row, column and fix."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import Problem
from geo.parse.counts import CountParseError, parse_count
from geo.parse.dates import DateParseError, parse_date
from geo.validate import load_events
from tests.adversarial.corpus import Batch, csv_bytes, row

D = dt.date
ISO = "write ISO dates such as 2024-04-26, 2024-04, 2024 or 2024-01-01/2024-05-08"
NOT_A_COUNT = (
    "is not a count this tool reads: write a number, a qualified number ('about 60', 'more "
    "than 500', 'up to 600') or a range ('50 to 60')"
)
BATCHES: dict = {}


def batch_of(column, cases):
    """One validated table holding every case's text (cached per list of cases)."""
    key = (column, id(cases))
    if key not in BATCHES:
        BATCHES[key] = Batch(column, [case[0] for case in cases])
    return BATCHES[key]


SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one(**cells):
    """Load a one-row file with GOOD's cells changed."""
    return load_events(csv_bytes([row(**cells)]), "events.csv")


ACCEPTED_DATES = [
    ("2024-04-26", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024/4/6", D(2024, 4, 6), D(2024, 4, 6), "day"),
    ("2024-04-26 00:00:00", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("26 April 2024", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("26th Apr. 2024", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("April 26, 2024", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024. 4. 26.", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024.04.26", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024年4月26日", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024년 4월 26일", D(2024, 4, 26), D(2024, 4, 26), "day"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("Sept 2023", D(2023, 9, 1), D(2023, 9, 30), "month"),
    ("2024年4月", D(2024, 4, 1), D(2024, 4, 30), "month"),
    ("2024년 4월", D(2024, 4, 1), D(2024, 4, 30), "month"),
    ("2023", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("2023年", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("2023년", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("2024-01-01/2024-05-08", D(2024, 1, 1), D(2024, 5, 8), "period"),
    ("2024-01..2024-03", D(2024, 1, 1), D(2024, 3, 31), "period"),
    ("2022 to 2023", D(2022, 1, 1), D(2023, 12, 31), "period"),
    ("2024-04-26 - 2024-04-28", D(2024, 4, 26), D(2024, 4, 28), "period"),
    ("2024-04-26–2024-04-28", D(2024, 4, 26), D(2024, 4, 28), "period"),
    ("2024년 4월~2024년 6월", D(2024, 4, 1), D(2024, 6, 30), "period"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), ACCEPTED_DATES)
def test_accepted_date_forms(text, start, end, precision):
    batch = batch_of("date", ACCEPTED_DATES)
    assert batch.problems(text) == []
    event = batch.event(text)
    assert (event["date_start"].date(), event["date_end"].date()) == (start, end)
    assert event["date_precision"] == precision


REFUSED_DATES = [
    ("03/04/2024", "'03/04/2024' is ambiguous: 3 April or 4 March? write 2024-04-03 or "
     "2024-03-04"),
    ("13/04/2024", "'13/04/2024': numeric day/month dates are not read; write 2024-04-13"),
    ("04/04/2024", f"'04/04/2024': day/month order is not read; {ISO}"),
    ("1/2/24", "'1/2/24' is ambiguous: a two-digit year, and an order of day, month and year "
     "that cannot be told (Excel re-saves dates so); write the date as ISO, e.g. 2024-02-01 if "
     "it is day-month-year"),
    ("12-31-19", "'12-31-19' is ambiguous: a two-digit year, and an order of day, month and "
     "year that cannot be told (Excel re-saves dates so); write the date as ISO, e.g. "
     "2019-12-31 if it is month-day-year"),
    ("2023-02-29", "'2023-02-29' is not a real date (day is out of range for month)"),
    ("2024-04-31", "'2024-04-31' is not a real date (day is out of range for month)"),
    ("2024-13", "'2024-13': there is no month 13"),
    ("0000", "'0000': there is no year 0000"),
    ("45000", f"'45000' looks like a spreadsheet serial number; {ISO}"),
    ("45000.25", f"'45000.25' looks like a spreadsheet serial number; {ISO}"),
    ("20240426", "'20240426': write the date with hyphens, 2024-04-26"),
    ("n.d.", f"'n.d.' is not a date this tool reads; {ISO}"),
    ("2024-05-08/2024-01-01", "'2024-05-08/2024-01-01' ends before it starts"),
    ("2024 to 2023", "'2024 to 2023' ends before it starts"),
    ("2024-01-01/2024-02-01/2024-03-01", "'2024-01-01/2024-02-01/2024-03-01' is not a date "
     f"range this tool reads; {ISO}"),
    ("=TODAY()", f"'=TODAY()' is not a date this tool reads; {ISO}"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), REFUSED_DATES)
def test_refused_dates_name_row_column_and_fix(text, message):
    batch = batch_of("date", REFUSED_DATES)
    assert batch.event(text) is None
    assert batch.problems(text) == [Problem(batch.row(text), "date", text, "error", message)]


def test_empty_date():
    assert one(date="").problems == [Problem(2, "date", "", "error", "no date given")]


def test_reversed_start_and_end_columns():
    header = ("event_id", "date_start", "date_end", "admin1_codes", "source_url", "event_type")
    data = csv_bytes(
        [("e1", "2024-05-01", "2024-04-01", "CN-JL", "https://a.org", "detention")], header=header
    )
    result = load_events(data, "a.csv")
    assert result.problems == [
        Problem(2, "date_end", "2024-04-01", "error", "date_end is before date_start")
    ]


def test_spreadsheet_date_cells_arrive_as_iso_days():
    from tests.adversarial.corpus import xlsx_bytes

    cells = ("e1", dt.datetime(2024, 4, 26), 60, "CN-JL", "https://a.org", "x", "policy")
    data = xlsx_bytes([cells])
    result = load_events(data, "a.xlsx")
    assert result.problems == []
    assert result.events["date_start"].dt.date.tolist() == [D(2024, 4, 26)]
    assert result.events["date_precision"].tolist() == ["day"]


COUNT_WORDINGS = [
    ("60", 60, 60, 60, "exact"),
    ("exactly 60", 60, 60, 60, "exact"),
    ("a total of 60", 60, 60, 60, "exact"),
    ("total of 60 people", 60, 60, 60, "exact"),
    *[
        (f"{word} 60", 60, 60, None, "about")
        for word in ("about", "around", "approximately", "approx.", "approx", "some",
                     "nearly", "almost", "roughly", "circa", "c.", "ca.", "~", "약", "约")
    ],
    *[
        (f"{word} 60", 60, 60, None, "more_than")
        for word in ("more than", "over", "above", "in excess of")
    ],
    ("60+", 60, 60, None, "more_than"),
    ("60 plus", 60, 60, None, "more_than"),
    ("60여명", 60, 60, None, "more_than"),
    ("60余人", 60, 60, None, "more_than"),
    ("60多人", 60, 60, None, "more_than"),
    *[
        (f"{word} 60", 60, 60, None, "at_least")
        for word in ("at least", "no fewer than", "no less than", "a minimum of", "최소")
    ],
    ("60명 이상", 60, 60, None, "at_least"),
    *[
        (f"{word} 60", 60, None, 60, "up_to")
        for word in ("up to", "as many as", "no more than", "at most", "최대")
    ],
    ("1,200", 1200, 1200, 1200, "exact"),
    ("1 200", 1200, 1200, 1200, "exact"),
    ("1\u00a0200", 1200, 1200, 1200, "exact"),
    ("1\u202f200 North Koreans", 1200, 1200, 1200, "exact"),
    ("007", 7, 7, 7, "exact"),
    ("sixty", 60, 60, 60, "exact"),
    ("forty-two defectors", 42, 42, 42, "exact"),
    ("a thousand", 1000, 1000, 1000, "exact"),
    ("50 to 60", None, 50, 60, "unknown"),
    ("50-60", None, 50, 60, "unknown"),
    ("between 1,000 and 2,000", None, 1000, 2000, "unknown"),
    ("", None, None, None, "unknown"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "best", "low", "high", "qualifier"), COUNT_WORDINGS)
def test_count_wordings(text, best, low, high, qualifier):
    batch = batch_of("count_text", COUNT_WORDINGS)
    assert batch.problems(text) == []
    event = batch.event(text)
    values = [None if v is None or str(v) == "<NA>" else int(v) for v in
              (event["count_best"], event["count_low"], event["count_high"])]  # fmt: skip
    assert values == [best, low, high]
    assert event["count_qualifier"] == qualifier
    assert event["count_text"] == text


REFUSED_COUNTS = [
    ("1.200", "'1.200' is ambiguous: 1200 or a decimal? write digits only"),
    ("1.200.000", "'1.200.000': only commas or spaces are read as thousands separators; "
     "write 1200000"),
    ("1'200", "\"1'200\": only commas or spaces are read as thousands separators; write 1200"),
    ("2.5", "'2.5': a count must be a whole number of people"),
    ("1,5", "'1,5': a count must be a whole number of people"),
    ("-5", "'-5': a count cannot be negative"),
    ("½", f"'½' {NOT_A_COUNT}"),
    ("many", f"'many' {NOT_A_COUNT}"),
    ("a lot", f"'a lot' {NOT_A_COUNT}"),
    ("60 to 50", "'60 to 50': a range must go from a smaller to a larger number"),
    ("2000000000", "'2000000000' is larger than any count of people (1,000,000,000)"),
    ("=1+1", f"'=1+1' {NOT_A_COUNT}"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), REFUSED_COUNTS)
def test_refused_counts_name_row_column_and_why(text, message):
    batch = batch_of("count_text", REFUSED_COUNTS)
    assert batch.event(text) is None
    assert batch.problems(text) == [Problem(batch.row(text), "count_text", text, "error", message)]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"count_best": "-3"}, "count_best",
         "count_best must be a whole number of people from 0 to 1,000,000,000 (e.g. 60)"),
        ({"count_best": "2.5"}, "count_best",
         "count_best must be a whole number of people from 0 to 1,000,000,000 (e.g. 60)"),
        ({"count_low": "70", "count_best": "60", "count_qualifier": "about"}, "count_low",
         "counts must satisfy count_low <= count_best <= count_high"),
        ({"count_low": "50", "count_high": "60", "count_qualifier": "up_to"}, "count_best",
         "count_best is needed for this count_qualifier"),
        ({"count_best": "60", "count_high": "70"}, "count_qualifier",
         "count_qualifier is needed for these counts (exact, about, more_than, at_least, up_to "
         "or unknown)"),
    ],
)  # fmt: skip
def test_numeric_count_columns(cells, column, message):
    header = ("event_id", "date", "admin1_codes", "source_url", *cells)
    data = csv_bytes([("e1", "2024", "CN-JL", "https://a.org", *cells.values())], header=header)
    result = load_events(data, "a.csv")
    assert result.valid == 0
    assert [(p.row, p.column, p.message) for p in result.problems if p.severity == "error"] == [
        (2, column, message)
    ]


# Property tests: any cell text yields an event or an error naming row 2 and the column.

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    max_size=40,
)
DATE_LIKE = st.lists(
    st.sampled_from(["2024", "-", "/", ".", " ", "04", "26", "年", "월", "to", "..", "April",
                     "~", "–", "0", "13", "31", "日", ","]),
    max_size=8,
).map("".join)  # fmt: skip


def _events_or_named_errors(column, texts, parser, error):
    """Validate ``texts`` as one table; check each row against ``parser``'s verdict."""
    batch = Batch(column, texts)
    for text in texts:
        try:
            value = parser(text)
        except error:
            value = None
        event = batch.event(text)
        errors = [p for p in batch.problems(text) if p.severity == "error"]
        if event is None:
            assert errors and all(p.column == column for p in errors), (text, errors)
        else:
            assert errors == [] and value is not None, (text, value)
        yield text, value, event


@SETTINGS
@given(st.lists(st.one_of(TEXT, DATE_LIKE), min_size=1, max_size=30, unique=True))
def test_any_date_cell_gives_an_event_or_a_named_error(texts):
    for _, value, event in _events_or_named_errors("date", texts, parse_date, DateParseError):
        assert (event is None) == (value is None)
        if event is not None:
            assert event["date_start"].date() == value.start


COUNT_LIKE = st.from_regex(r"(about |over |up to )?\d{1,4}([,. ]\d{3})?(\+|명)?", fullmatch=True)


@SETTINGS
@given(st.lists(st.one_of(TEXT, COUNT_LIKE), min_size=1, max_size=30, unique=True))
def test_any_count_cell_gives_an_event_or_a_named_error(texts):
    cases = _events_or_named_errors("count_text", texts, parse_count, CountParseError)
    for _, value, event in cases:
        if event is not None:
            assert event["count_qualifier"] == value.qualifier
            assert str(event["count_best"]) == str(value.best if value.best is not None else "<NA>")
