"""Reading a view from a link: bounded, de-duplicated, dates within the accepted range."""

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.parse.dates import ACCEPTED_DATES
from geo.reference.schema import DATE_MAX, DATE_MIN, EVENT_TYPES
from geo.view import (
    MAX_QUERY_ITEMS,
    MAX_QUERY_VALUE,
    PROVINCE_CODES,
    ViewParams,
    query_link,
    view_from_query,
)

D = dt.date


def test_a_full_view_round_trips():
    view = ViewParams(
        start=D(2023, 1, 1), end=D(2023, 12, 31), types=("forced_return", "report"),
        provinces=("CN-JL", "KP-09"), match="within", mode="date", basemap="osm", lang="ko",
        present=True, dataset="0a1b2c3d4e5f6a7b8c9d-_", at=D(2023, 6, 3), zoom=9,
        centre=(41.8, 126.9),
    )  # fmt: skip
    assert view_from_query(view.to_query()) == (view, [])
    assert view.to_query()["centre"] == "41.800,126.900"  # to about a pixel at zoom 9


DATASET_REASON = "a dataset is named by its id: 22 letters, digits, hyphens and underscores"


def test_where_the_map_is_reads_from_a_link():
    view, notices = view_from_query(
        {"at": "2021-07-01", "zoom": "7", "centre": "41.80,126.90",
         "dataset": "Abc123-_Abc123-_Abc123", "mode": "date"}  # fmt: skip
    )
    assert notices == []
    assert (view.at, view.zoom, view.centre, view.dataset, view.mode) == (
        D(2021, 7, 1), 7, (41.8, 126.9), "Abc123-_Abc123-_Abc123", "date"
    )
    assert view.query_string() == (
        "?mode=date&dataset=Abc123-_Abc123-_Abc123&at=2021-07-01&zoom=7&centre=41.80,126.90"
    )


def test_a_centre_is_rounded_to_about_a_pixel_of_its_zoom():
    view, _ = view_from_query({"centre": "41.8123456,126.9876543", "zoom": "5"})
    assert view.centre == (41.81, 126.99) and view.to_query()["centre"] == "41.81,126.99"
    view, _ = view_from_query({"centre": "41.8123456,126.9876543", "zoom": "15"})
    assert view.to_query()["centre"] == "41.81235,126.98765"
    assert view_from_query({"centre": "41.8,126.9"})[0].to_query()["centre"] == "41.80000,126.90000"


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("at", "2023-02-30", "a date must be a real day written YYYY-MM-DD"),
        ("at", "yesterday", "a date must be a real day written YYYY-MM-DD"),
        ("zoom", "0", "a zoom must be a whole number from 1 to 18"),
        ("zoom", "7.5", "a zoom must be a whole number from 1 to 18"),
        ("zoom", "99999999999", "a zoom must be a whole number from 1 to 18"),
        ("centre", "41.8", "a centre must be latitude,longitude in degrees, e.g. 41.80,126.90"),
        ("centre", "91,126.9", "a centre must be latitude,longitude in degrees"),
        ("centre", "41.8,181", "a centre must be latitude,longitude in degrees"),
        ("centre", "nan,inf", "a centre must be latitude,longitude in degrees"),
        ("centre", "1e3,2", "a centre must be latitude,longitude in degrees"),
        ("dataset", "../../etc", DATASET_REASON),
        ("dataset", "x" * 23, DATASET_REASON),
        ("dataset", "0123456789abcdef", DATASET_REASON),
    ],
)
def test_a_bad_place_on_the_map_is_ignored_with_a_notice(name, value, reason):
    view, (notice,) = view_from_query({name: value, "mode": "date"})
    assert getattr(view, name) is None and view.mode == "date"
    assert notice.startswith(f"Ignored {name}=") and reason in notice
    fallback = {
        "at": "the time slider starts at the last date.",
        "zoom": "the map shows the whole border region.",
        "centre": "the map shows the whole border region.",
        "dataset": "showing the shipped data.",
    }[name]
    assert notice.endswith(fallback)


def test_a_link_is_the_apps_address_and_the_query_string():
    view = ViewParams(start=D(2023, 1, 1), at=D(2023, 6, 3), zoom=6, centre=(41.5, 128.0))
    query = "?start=2023-01-01&at=2023-06-03&zoom=6&centre=41.50,128.00"
    assert view.link("http://127.0.0.1:8501/") == f"http://127.0.0.1:8501/{query}"
    # The address's own query and fragment give way; a bare host gets its "/".
    assert view.link("https://maps.example.org/app?start=1999-01-01#x") == (
        f"https://maps.example.org/app{query}"
    )
    assert view.link("https://maps.example.org") == f"https://maps.example.org/{query}"
    assert ViewParams().link("http://h:8501/") == "http://h:8501/"
    assert query_link({}) == "" and view.query_string() == query


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01",
                                   "2023-13-45", "2023-1-1", "20230101", "2023-W01-1", "",
                                   "9" * 1000])  # fmt: skip
@pytest.mark.parametrize("name", ["start", "end"])
def test_unusable_dates_fall_back_with_a_notice_naming_the_range(name, value):
    view, notices = view_from_query({name: value, "types": "report"})
    assert getattr(view, name) is None and view.types == ("report",)
    (notice,) = notices
    assert notice.startswith(f"Ignored {name}=")
    assert f"a date must be a real day written YYYY-MM-DD, from {ACCEPTED_DATES}" in notice
    where = "from the first date" if name == "start" else "up to the last date"
    assert notice.endswith(f"showing {where} in the data.")
    assert len(notice) < 300


def test_the_edges_of_the_range_are_accepted():
    view, notices = view_from_query({"start": "1900-01-01", "end": "2100-12-31"})
    assert (view.start, view.end, notices) == (DATE_MIN, DATE_MAX, [])


def test_an_out_of_range_start_keeps_a_valid_end():
    view, notices = view_from_query({"start": "0001-01-01", "end": "2023-12-31"})
    assert (view.start, view.end) == (None, D(2023, 12, 31)) and len(notices) == 1


def test_repeated_list_values_count_once_in_their_first_order():
    view, notices = view_from_query(
        {"provinces": "KP-09,CN-JL,KP-09, CN-JL ,CN-JL", "types": "report,policy,report"}
    )
    assert view.provinces == ("KP-09", "CN-JL") and view.types == ("report", "policy")
    assert notices == []


def test_ten_thousand_copies_are_ignored_unread_with_a_notice():
    view, notices = view_from_query({"provinces": ",".join(["CN-JL"] * 10_000)})
    assert view.provinces == ()
    assert notices == [
        "Ignored provinces: its value is 59,999 characters long; a link may give at most "
        "2,000; showing all provinces."
    ]


def test_too_many_items_are_ignored_with_a_notice():
    value = ",".join(["CN-JL"] * (MAX_QUERY_ITEMS + 1))
    assert len(value) <= MAX_QUERY_VALUE
    view, (notice,) = view_from_query({"provinces": value})
    assert view.provinces == ()
    assert f"{MAX_QUERY_ITEMS + 1} values given; a link may list at most {MAX_QUERY_ITEMS}" in (
        notice
    )
    assert len(notice) < 300
    view, notices = view_from_query({"provinces": ",".join(["CN-JL"] * MAX_QUERY_ITEMS)})
    assert view.provinces == ("CN-JL",) and notices == []


@pytest.mark.parametrize("name", ["start", "types", "match", "lang", "present", "basemap"])
def test_every_overlong_value_is_ignored(name):
    view, (notice,) = view_from_query({name: "x" * (MAX_QUERY_VALUE + 1)})
    assert view == ViewParams()
    assert notice.startswith(f"Ignored {name}: its value is 2,001 characters long")


def test_unknown_parameters_are_ignored():
    view, notices = view_from_query({"foo": "x" * 100_000, "utm_source": "mail", "lang": "zh"})
    assert view == ViewParams(lang="zh") and notices == []


def test_a_notice_quotes_a_long_bad_value_shortened():
    (notice,) = view_from_query({"lang": "<b>" + "x" * 1500})[1]
    assert len(notice) < 250 and "…" in notice


CENTRES = st.tuples(st.floats(-85, 85), st.floats(-180, 180)).map(lambda c: f"{c[0]},{c[1]}")
QUERY_VALUES = st.one_of(
    st.text(max_size=50),
    st.lists(st.sampled_from([*PROVINCE_CODES, *EVENT_TYPES, "x", ""]), max_size=80).map(",".join),
    st.dates().map(dt.date.isoformat),
    st.integers(0, 5000).map(lambda n: "9" * n),
    st.integers(-5, 30).map(str),
    CENTRES,
)
NAMES = st.sampled_from(["start", "end", "types", "provinces", "match", "mode", "basemap",
                         "lang", "present", "other", "at", "zoom", "centre",
                         "dataset"])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(NAMES, QUERY_VALUES))
@example({"provinces": "0" * 20 + "\x1f" * 10 + "\U000115de\U0001342f" + "\U00018d09" * 4})
@example({"provinces": "\U0001342f" * 60})  # escapes lengthen a quoted value: bounded too
@example({"types": "," * 1999})  # was quoted whole (2,000 characters)
def test_any_query_gives_a_view_within_bounds(query):
    view, notices = view_from_query(query)
    for day in (view.start, view.end):
        assert day is None or DATE_MIN <= day <= DATE_MAX
    assert len(set(view.types)) == len(view.types) >= 1
    assert len(set(view.provinces)) == len(view.provinces) <= len(PROVINCE_CODES)
    assert all(len(n) < 400 for n in notices)
    assert view_from_query(view.to_query()) == (view, [])


def test_start_date_is_the_default_rule_and_old_overlap_links_keep_working():
    assert ViewParams().match == "start" and "match" not in ViewParams().to_query()
    view, notices = view_from_query({"match": "overlap", "start": "2023-01-01"})
    assert (view.match, notices) == ("overlap", [])
    assert view.query_string() == "?start=2023-01-01&match=overlap"
    assert view_from_query({"match": "start"}) == (ViewParams(), [])
    assert view_from_query({"match": "sometimes"})[0].match == "start"
