import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.parse.counts import CountParseError, CountValue, parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60", CountValue(60, 60, 60, "exact")),
        ("exactly 7", CountValue(7, 7, 7, "exact")),
        ("a total of 4,809", CountValue(4809, 4809, 4809, "exact")),
        ("1,200", CountValue(1200, 1200, 1200, "exact")),
        ("1 200", CountValue(1200, 1200, 1200, "exact")),
        ("Eighteen", CountValue(18, 18, 18, "exact")),
        ("twenty-nine", CountValue(29, 29, 29, "exact")),
        ("a hundred", CountValue(100, 100, 100, "exact")),
        ("about 60", CountValue(60, 60, None, "about")),
        ("Around 50", CountValue(50, 50, None, "about")),
        ("approximately 30", CountValue(30, 30, None, "about")),
        ("some 40", CountValue(40, 40, None, "about")),
        ("nearly 50", CountValue(50, 50, None, "about")),
        ("roughly 5", CountValue(5, 5, None, "about")),
        ("c. 100", CountValue(100, 100, None, "about")),
        ("~60", CountValue(60, 60, None, "about")),
        ("about 60 people", CountValue(60, 60, None, "about")),
        ("more than 500", CountValue(500, 500, None, "more_than")),
        ("over 200", CountValue(200, 200, None, "more_than")),
        ("above 10", CountValue(10, 10, None, "more_than")),
        ("60+", CountValue(60, 60, None, "more_than")),
        ("over a thousand", CountValue(1000, 1000, None, "more_than")),
        ("at least 24", CountValue(24, 24, None, "at_least")),
        ("no fewer than 3", CountValue(3, 3, None, "at_least")),
        ("up to 600", CountValue(600, None, 600, "up_to")),
        ("as many as 9", CountValue(9, None, 9, "up_to")),
        ("no more than 4", CountValue(4, None, 4, "up_to")),
        ("50 to 60", CountValue(None, 50, 60, "unknown")),
        ("50-60", CountValue(None, 50, 60, "unknown")),
        ("50–60", CountValue(None, 50, 60, "unknown")),
        ("between 600 and 2,000", CountValue(None, 600, 2000, "unknown")),
        ("5명", CountValue(5, 5, 5, "exact")),
        ("50여명", CountValue(50, 50, None, "more_than")),
        ("50여 명", CountValue(50, 50, None, "more_than")),
        ("최소 406명", CountValue(406, 406, None, "at_least")),
        ("60명 이상", CountValue(60, 60, None, "at_least")),
        # Korean and Chinese wordings of users' spreadsheets (issue 11)
        ("500명가량", CountValue(500, 500, None, "about")),
        ("500명 정도", CountValue(500, 500, None, "about")),
        ("약 60명", CountValue(60, 60, None, "about")),
        ("近500人", CountValue(500, 500, None, "about")),
        ("500人左右", CountValue(500, 500, None, "about")),
        ("5백 명", CountValue(500, 500, 500, "exact")),
        ("3千人", CountValue(3000, 3000, 3000, "exact")),
        ("2만 명", CountValue(20000, 20000, 20000, "exact")),
        ("500名", CountValue(500, 500, 500, "exact")),
        ("200余名", CountValue(200, 200, None, "more_than")),
        ("수백 명", CountValue(None, 200, None, "unknown")),  # at least 200, no best made up
        ("数百人", CountValue(None, 200, None, "unknown")),
        ("hundreds of people", CountValue(None, 200, None, "unknown")),
        ("dozens", CountValue(None, 24, None, "unknown")),
        ("수십 명", CountValue(None, 20, None, "unknown")),
        ("60 (per HRW)", CountValue(60, 60, 60, "exact")),  # the words stay in count_text
        # Every Korean and Chinese count of issue 11, with its qualifier
        ("500여 명", CountValue(500, 500, None, "more_than")),
        ("500명 이상", CountValue(500, 500, None, "at_least")),
        ("500명 이하", CountValue(500, None, 500, "up_to")),
        ("500명 미만", CountValue(499, None, 499, "up_to")),  # fewer than 500: at most 499
        ("약 500명", CountValue(500, 500, None, "about")),
        ("최소 500명", CountValue(500, 500, None, "at_least")),
        ("최대 500명", CountValue(500, None, 500, "up_to")),
        ("2백여 명", CountValue(200, 200, None, "more_than")),
        ("500多人", CountValue(500, 500, None, "more_than")),
        ("约500人", CountValue(500, 500, None, "about")),
        ("500余人", CountValue(500, 500, None, "more_than")),
        ("超过500人", CountValue(500, 500, None, "more_than")),
        ("至少500人", CountValue(500, 500, None, "at_least")),
        ("最少500人", CountValue(500, 500, None, "at_least")),
        ("500人以上", CountValue(500, 500, None, "at_least")),
        ("最多500人", CountValue(500, None, 500, "up_to")),
        ("500人以下", CountValue(500, None, 500, "up_to")),
        ("不到500人", CountValue(499, None, 499, "up_to")),
        # "fewer than N" in English too: up to N - 1
        ("fewer than 500", CountValue(499, None, 499, "up_to")),
        ("less than 10 people", CountValue(9, None, 9, "up_to")),
        ("under 30", CountValue(29, None, 29, "up_to")),
        ("below 1", CountValue(0, None, 0, "up_to")),
        ("no fewer than 30", CountValue(30, 30, None, "at_least")),  # not "fewer than"
        ("12 (four males and eight females)", CountValue(12, 12, 12, "exact")),
        # a note in brackets that qualifies the number is read, never dropped
        ("500 (at least)", CountValue(500, 500, None, "at_least")),
        ("500 (more than)", CountValue(500, 500, None, "more_than")),
        ("500 (approx.)", CountValue(500, 500, None, "about")),
        ("500 (est.)", CountValue(500, 500, None, "about")),
        ("500 (HRW estimate)", CountValue(500, 500, None, "about")),
        ("60 (per HRW, est.)", CountValue(60, 60, None, "about")),
        ("500명(추산)", CountValue(500, 500, None, "about")),
        ("50명(추정)", CountValue(50, 50, None, "about")),
        ("500명 (최소)", CountValue(500, 500, None, "at_least")),
        ("500명(이상)", CountValue(500, 500, None, "at_least")),
        ("500人（估计）", CountValue(500, 500, None, "about")),
        ("500人(至少)", CountValue(500, 500, None, "at_least")),
        ("500 (exactly)", CountValue(500, 500, 500, "exact")),
        ("about 500 (est.)", CountValue(500, 500, None, "about")),
        ("at least 500 (est.)", CountValue(500, 500, None, "at_least")),  # the words outside
        ("50 to 60 (est.)", CountValue(None, 50, 60, "unknown")),
        ("", CountValue(None, None, None, "unknown")),
        ("   ", CountValue(None, None, None, "unknown")),
    ],
)
def test_accepted_counts(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1.200", "ambiguous: 1200 or a decimal?"),
        ("2.5", "whole number"),
        ("-5", "cannot be negative"),
        ("many", "is not a count this tool reads"),
        ("some North Koreans", "is not a count"),
        ("60 to 50", "smaller to a larger"),
        ("about 50-60", "is not a count"),
        ("(per HRW)", "is not a count"),
        ("500 (?)", "the note in brackets doubts the number"),
        ("500 (unconfirmed)", "the note in brackets doubts the number"),
        ("500명(미확인)", "the note in brackets doubts the number"),
        ("500人（未证实）", "the note in brackets doubts the number"),
        ("fewer than 0", "there is no count fewer than 0"),
        ("0명 미만", "there is no count fewer than 0"),
    ],
)
def test_refused_counts(text, fragment):
    with pytest.raises(CountParseError) as err:
        parse_count(text)
    assert fragment in str(err.value)


def test_error_is_a_value_error():
    assert issubclass(CountParseError, ValueError)


@given(st.text(max_size=40))
def test_any_text_gives_a_count_or_a_count_parse_error(text):
    try:
        value = parse_count(text)
    except CountParseError:
        return
    numbers = [v for v in (value.low, value.best, value.high) if v is not None]
    assert all(v >= 0 for v in numbers)
    assert numbers == sorted(numbers)


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_round_trip(n):
    assert parse_count(str(n)) == CountValue(n, n, n, "exact")
    assert parse_count(f"{n:,}") == CountValue(n, n, n, "exact")


COUNT_TOKENS = st.sampled_from(
    list("0123456789 ,.-+~–여명") + ["more than ", "up to ", "between ", " and ", " to ", "about "]
)


@given(st.lists(COUNT_TOKENS, max_size=10).map("".join))
def test_count_like_text_gives_a_count_or_a_count_parse_error(text):
    try:
        value = parse_count(text)
    except CountParseError:
        return
    assert value.qualifier in ("exact", "about", "more_than", "at_least", "up_to", "unknown")
