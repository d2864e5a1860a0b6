"""Issue 12: figures a reader can add up.

The by-year × Chinese province table (``geo.by_year``) adds up to its "all" row and to the
view's totals; ``summary`` by start date for each year adds up to the whole period; returns
from each Chinese province and to each North Korean one (``Summary.returned_from`` / ``_to``).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from geo.aggregate import PROVINCE_NOT_KNOWN, side_provinces
from geo.by_year import ALL, TABLE_COLUMNS, year_province_table
from geo.pipeline import build_view
from geo.view import ViewParams
from tests.factories import make_events, shipped_events

D = dt.date
TOTALS = ("events", "people_low", "people_best")


def assert_adds_up(table: pd.DataFrame) -> None:
    """Every province's year rows add up to its "all" row (events, people, upper bound)."""
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table.duplicated(["year", "province"]).sum() == 0
    for province, rows in table.groupby("province"):
        years, (whole,) = rows[rows["year"].ne(ALL)], rows[rows["year"].eq(ALL)].itertuples()
        for column in TOTALS:
            assert years[column].sum() == getattr(whole, column), (province, column)
        high = None if years["people_high"].isna().any() else years["people_high"].sum()
        assert (None if pd.isna(whole.people_high) else whole.people_high) == high, province


def cell(table: pd.DataFrame, year: str, province: str) -> pd.Series:
    (row,) = table[table["year"].eq(year) & table["province"].eq(province)].itertuples()
    return row


# --- The table ---------------------------------------------------------------------------

ROW = st.fixed_dictionaries(
    {
        "date_start": st.one_of(st.none(), st.dates(D(2018, 1, 1), D(2026, 12, 31))),
        "length": st.integers(0, 800),
        "provinces": st.sampled_from(
            ["", "CN-JL", "CN-LN", "CN-JL|CN-LN", "KP-03", "CN-LN|KP-03"]
        ),  # fmt: skip
        "admin1_codes": st.sampled_from(["", "CN-NM", "CN-YN|KP-01"]),
        "low": st.one_of(st.none(), st.integers(0, 600)),
        "extra": st.one_of(st.none(), st.integers(0, 300)),
        "event_type": st.sampled_from(["forced_return", "forced_return", "detention", "report"]),
        "claim": st.booleans(),
    }
)


def _events(rows: list[dict]) -> pd.DataFrame:
    records = []
    for i, row in enumerate(rows):
        start = row["date_start"]
        end = start + dt.timedelta(days=row["length"]) if start else D(2024, 6, 1)
        low, extra = row["low"], row["extra"]
        records.append({
            "event_id": f"e{i}",
            "date_start": start.isoformat() if start else None,
            "date_end": end.isoformat() if start or i % 2 else None,
            "provinces": row["provinces"],
            "admin1_codes": row["admin1_codes"],
            "count_low": low,
            "count_best": low,
            "count_high": None if low is None or extra is None else low + extra,
            "event_type": row["event_type"],
            "same_event_as": "e0" if row["claim"] and i else "",
        })  # fmt: skip
    if not records:
        return make_events([{"date_start": "2024-01-01"}]).iloc[0:0]
    return make_events(records)


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(ROW, min_size=0, max_size=25), match=st.sampled_from(["start", "overlap"]))
def test_rows_add_up_to_the_total_and_to_the_view(rows, match):
    events = _events(rows)
    view = ViewParams(types=("forced_return", "detention", "report"), match=match)
    data = build_view(events, view)
    table = year_province_table(data.events)
    assert_adds_up(table)
    total = cell(table, ALL, ALL)
    people = data.summary.people
    assert (total.events, total.people_low, total.people_best) == (
        data.summary.events, people.low, people.best,
    )  # fmt: skip
    assert (None if pd.isna(total.people_high) else total.people_high) == people.high
    provinces = set(table["province"])
    assert {"CN-JL", "CN-LN", PROVINCE_NOT_KNOWN, ALL} <= provinces
    assert not any(p.startswith("KP-") for p in provinces)


def test_undated_event_is_in_the_date_not_known_row_only():
    events = make_events([
        {"event_id": "undated", "date_start": None, "date_end": None, "count_low": 5,
         "count_best": 5, "count_high": 5},
        {"event_id": "no-start", "date_start": None, "date_end": "2021-03-01", "count_low": 7,
         "count_best": 7, "count_high": 7},
    ])  # fmt: skip
    table = year_province_table(build_view(events, ViewParams()).events)
    assert list(dict.fromkeys(table["year"])) == ["2021", PROVINCE_NOT_KNOWN, ALL]
    assert cell(table, PROVINCE_NOT_KNOWN, ALL).people_low == 5
    assert cell(table, "2021", ALL).people_low == 7  # placed at its end, its only date
    assert_adds_up(table)
    bounded = year_province_table(build_view(events, ViewParams(start=D(1900, 1, 1))).events)
    assert PROVINCE_NOT_KNOWN not in set(bounded["year"])


def test_an_event_in_two_provinces_is_under_each_and_once_in_all():
    events = make_events([
        {"event_id": "both", "date_start": "2024-04-26", "provinces": "CN-JL|CN-LN",
         "count_low": 60, "count_best": 60, "count_high": None},
        {"event_id": "kp", "date_start": "2024-05-01", "provinces": "KP-03",
         "count_low": 10, "count_best": 10, "count_high": 10},
    ])  # fmt: skip
    table = year_province_table(build_view(events, ViewParams()).events)
    assert cell(table, "2024", "CN-JL").events == cell(table, "2024", "CN-LN").events == 1
    assert cell(table, "2024", "CN-JL").shared_events == 1
    assert cell(table, "2024", PROVINCE_NOT_KNOWN).people_low == 10  # only a Korean place
    assert (cell(table, ALL, ALL).events, cell(table, ALL, ALL).people_low) == (2, 70)


def test_empty_view_has_only_the_all_row():
    table = year_province_table(build_view(_events([]), ViewParams()).events)
    assert set(table["year"]) == {ALL} and table["events"].sum() == 0
    assert_adds_up(table)


def test_side_provinces_reads_mapped_and_given_codes():
    events = make_events([
        {"date_start": "2024-01-01", "provinces": "CN-JL", "admin1_codes": "CN-YN|KP-01"},
        {"date_start": "2024-01-01", "provinces": "", "admin1_codes": ""},
    ])  # fmt: skip
    assert side_provinces(events, "CN-").tolist() == ["CN-JL|CN-YN", PROVINCE_NOT_KNOWN]
    assert side_provinces(events, "KP-").tolist() == ["KP-01", PROVINCE_NOT_KNOWN]


# --- The shipped data --------------------------------------------------------------------


def test_shipped_table_adds_up_and_matches_the_summary():
    data = build_view(shipped_events(), ViewParams(start=D(2020, 1, 1), end=D(2025, 12, 31)))
    table = year_province_table(data.events)
    assert_adds_up(table)
    assert set(table["year"]) - {ALL} <= {str(y) for y in range(2020, 2026)}
    assert cell(table, ALL, ALL).events == data.summary.events > 0
    assert cell(table, ALL, ALL).people_best == data.summary.people.best
    for code in ("CN-JL", "CN-LN", PROVINCE_NOT_KNOWN):
        returned = data.summary.returned_from[code]
        assert cell(table, ALL, code).events == returned.events  # forced returns only here


def _summary(*args: str) -> dict:
    return _json(["summary", "--json", *args])


def _json(argv: list[str]) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return json.loads(out.getvalue())


def test_shipped_years_add_up_to_the_period_by_default():
    """Issue 12's done-when: each year 2020-2025 by the default rule adds up to 2020-2025."""
    whole = _summary("--start", "2020-01-01", "--end", "2025-12-31")
    years = [_summary("--start", f"{y}-01-01", "--end", f"{y}-12-31") for y in range(2020, 2026)]
    assert whole["match"] == "start" and whole["events"] > 0
    for key in ("events", "people_low", "people_best"):
        assert sum(year[key] for year in years) == whole[key], key
    for side in ("returned_from", "returned_to"):
        for code, totals in whole[side].items():
            assert (
                sum(y[side].get(code, {"events": 0})["events"] for y in years) == totals["events"]
            ), (side, code)
    # By overlap they do not add up: the events spanning a year end count twice.
    overlap = [
        build_view(shipped_events(), ViewParams(start=D(y, 1, 1), end=D(y, 12, 31),
                                                 match="overlap")).summary
        for y in range(2020, 2026)
    ]  # fmt: skip
    assert sum(year.people.best for year in overlap) > whole["people_best"]
    assert any(year.spanning for year in overlap)


def test_summary_by_year_json_rows_add_up():
    result = _summary("--start", "2020-01-01", "--end", "2025-12-31", "--by", "year")
    table = pd.DataFrame(result["by_year"]).astype({"people_high": "Int64"})
    assert_adds_up(table)
    assert cell(table, ALL, ALL).events == result["events"]


def test_returns_json_counts_a_shared_event_once():
    result = _summary("--start", "2024-04-26", "--end", "2024-04-26")
    assert result["returned_from"]["CN-JL"]["events"] == 1
    assert result["returned_from"]["CN-LN"]["events"] == 1
    assert result["returned_from"]["CN-JL"]["shared_events"] == 1
    assert result["returned"]["events"] == result["events"] == 1
    assert result["returned"]["people_low"] == result["people_low"]


def test_mass_return_of_9_october_2023_is_from_jilin_and_liaoning_counted_once():
    result = _summary("--start", "2023-01-01", "--end", "2023-12-31")
    from_ = result["returned_from"]
    assert from_["CN-JL"]["events"] >= 1 and from_["CN-JL"]["people_low"] > 0
    assert from_["CN-LN"]["events"] >= 1 and from_["CN-LN"]["people_low"] > 0
    october = _summary("--start", "2023-10-09", "--end", "2023-10-09")
    assert october["events"] == october["returned"]["events"] == 1
    assert october["people_low"] == october["returned"]["people_low"] >= 500
    assert october["returned_from"]["CN-JL"]["shared_events"] == 1
