"""Korean, Chinese and messy English spreadsheets load under their own headers (issue 11).

The fixtures are in tests/data/lang/ (see its README: every row is invented). Each file loads
with at least 90 % of its rows as events, and each refused row has an error saying what to
write instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from geo.pipeline import load_dataset
from geo.reference import load_reference

LANG = Path(__file__).resolve().parents[1] / "data" / "lang"
D = dt.date


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def load(name, reference):
    return load_dataset(LANG / name, reference=reference)


def by_row(events: pd.DataFrame) -> dict[int, tuple]:
    """row -> (place_ids, (low, best, high), qualifier, (start, end, precision))."""

    def number(value):
        return None if pd.isna(value) else int(value)

    return {
        int(e.row): (
            e.place_ids,
            (number(e.count_low), number(e.count_best), number(e.count_high)),
            e.count_qualifier,
            (e.date_start.date(), e.date_end.date(), e.date_precision),
        )
        for e in events.itertuples()
    }


def assert_loads_nine_in_ten_and_refusals_say_what_to_write(dataset, refused):
    assert len(dataset.events) >= 0.9 * dataset.rows
    errors = [p for p in dataset.problems if p.severity == "error"]
    assert sorted({p.row for p in errors}) == refused
    assert set(dataset.events["row"]).isdisjoint(refused)
    for problem in errors:
        assert "write" in problem.message or "correct" in problem.message, problem.message


OCT = (D(2023, 10, 1), D(2023, 10, 10), "period")  # the month's first ten days
MID_OCT = (D(2023, 10, 11), D(2023, 10, 20), "period")
LATE_OCT = (D(2023, 10, 21), D(2023, 10, 31), "period")
OCTOBER = (D(2023, 10, 1), D(2023, 10, 31), "month")
OCT_9 = (D(2023, 10, 9), D(2023, 10, 9), "day")
APR_26 = (D(2024, 4, 26), D(2024, 4, 26), "day")
APRIL = (D(2024, 4, 1), D(2024, 4, 30), "month")
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31), "year")


def test_a_korean_workbook(reference):
    dataset = load("korean.xlsx", reference)
    assert (dataset.rows, len(dataset.events)) == (12, 11)
    assert_loads_nine_in_ten_and_refusals_say_what_to_write(dataset, [12])
    [season] = [p for p in dataset.problems if p.row == 12]
    assert (season.column, season.value) == ("날짜", "2023년 가을")
    assert by_row(dataset.events) == {
        2: ("cn-dandong", (500, 500, None), "about", OCT),  # 단둥(丹东), 500명가량, 초
        3: ("cn-hunchun", (500, 500, None), "about", OCT),  # 훈춘, 500명 정도, 상순
        4: ("cn-tumen", (500, 500, 500), "exact", MID_OCT),  # 투먼, 5백 명, 중순
        5: ("cn-changbai", (200, None, None), "unknown", LATE_OCT),  # 수백 명: no best made up
        6: ("cn-jian", (500, 500, None), "more_than", LATE_OCT),  # 지안, 500여 명, 말
        7: ("cn-tumen", (500, 500, None), "at_least", OCT_9),  # 중국 지린성 투먼시, 이상
        8: ("cn-dandong|cn-hunchun", (None, 499, 499), "up_to", OCTOBER),  # 500명 미만
        9: ("kp-hyesan", (500, 500, None), "about", APR_26),  # 양강도 혜산시, an Excel date
        10: ("cn-tumen", (500, 500, None), "at_least", APRIL),  # 지린성 투먼, 최소 500명
        11: ("kp-hyesan", (60, 60, None), "about", YEAR_2024),  # 량강도 혜산, 60명 (HRW 추산)
        13: ("kp-sinuiju", (200, 200, None), "more_than", APR_26),  # 2024. 4. 26., 2백여 명
    }
    events = dataset.events.set_index("row")
    assert events.loc[11, "count_text"] == "60명 (HRW 추산)"  # the source's words, kept
    assert events.loc[2, "source_org"] == "연합뉴스" and events.loc[2, "notes"] == "시험용 행"
    assert events.loc[9, "provinces"] == "KP-10"


@pytest.mark.parametrize("name", ["chinese_utf8.csv", "chinese_gb18030.csv"])
def test_a_chinese_sheet_in_utf8_and_gb18030(reference, name):
    dataset = load(name, reference)
    assert (dataset.rows, len(dataset.events)) == (8, 8)
    assert_loads_nine_in_ten_and_refusals_say_what_to_write(dataset, [])
    assert by_row(dataset.events) == {
        2: ("cn-tumen", (500, 500, 500), "exact", OCT),  # 吉林省图们市, 500名, 上旬
        3: ("cn-dandong", (200, None, None), "unknown", MID_OCT),  # 辽宁丹东, 数百人
        4: ("cn-tumen|cn-hunchun", (500, 500, None), "more_than", LATE_OCT),  # 图们、珲春
        5: ("cn-tumen", (500, 500, None), "about", OCTOBER),  # 图们市, 约500人
        6: ("cn-dandong", (500, 500, None), "about", OCT_9),  # 辽宁省丹东市, 近500人
        7: ("kp-musan", (500, 500, None), "more_than", APRIL),  # 茂山, 500余人
        8: ("kp-hoeryong", (None, 499, 499), "up_to", APR_26),  # 会宁, 不到500人
        9: ("kp-namyang|kp-manpo", (500, 500, None), "at_least", YEAR_2024),  # 南阳、满浦
    }
    events = dataset.events.set_index("row")
    assert events.loc[2, "source_org"] == "新华社" and events.loc[9, "notes"] == "朝鲜一侧"


def test_a_messy_english_sheet(reference):
    dataset = load("messy_english.csv", reference)
    assert (dataset.rows, len(dataset.events)) == (20, 18)
    assert_loads_nine_in_ten_and_refusals_say_what_to_write(dataset, [8, 16])
    rows = by_row(dataset.events)
    assert rows[12] == ("cn-tumen", (None, 29, 29), "up_to", LATE_OCT)  # Tumen City, fewer than 30
    assert rows[13] == (
        "cn-dandong", (200, None, None), "unknown", (D(2023, 10, 1), D(2023, 12, 31), "period")
    )  # "Dandong City, Liaoning Province", hundreds of people, Q4 2023
    assert rows[14][:3] == ("cn-hunchun", (40, 40, None), "at_least")  # Hunchun County
    assert rows[15][0] == "cn-tumen|cn-hunchun"  # Tumen/Hunchun
    assert rows[17] == ("cn-tumen", (24, None, None), "unknown", MID_OCT)  # Jilin Tumen, dozens
    assert rows[18][:3] == ("kp-hyesan", (60, 60, None), "about")  # Hyesan, Yanggang Province
    assert rows[20][:3] == ("kp-namyang", (None, 600, 600), "up_to")
