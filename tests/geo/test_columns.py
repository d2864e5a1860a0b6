"""Header aliases (geo.read.columns): one table, every language, no clashes."""

from __future__ import annotations

import re

import pytest

from geo.read.columns import ALIASES, header_key, match_columns, placemark_names
from geo.reference.schema import SCHEMA_COLUMNS

#: Each Simplified Chinese alias and its Traditional form(s).
TRADITIONAL = {
    "时间": ("時間",),
    "地点": ("地點",),
    "地区": ("地區",),
    "人数": ("人數",),
    "链接": ("鏈接", "連結"),
    "来源": ("來源",),
    "备注": ("備註",),
    "类型": ("類型",),
}
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("header", ["Source", "source", "Sources", "Source name", "SOURCE"])
def test_an_english_source_header_is_source_org(header):
    found = match_columns(["Date", "Place", "Count", header])
    assert found.found["source_org"] == header
    assert found.usable


def test_source_does_not_clash_with_the_source_link_aliases():
    found = match_columns(["Date", "Place", "Source", "Source link"])
    assert found.found["source_org"] == "Source"
    assert found.found["source_url"] == "Source link"
    assert found.usable
    assert "source_url" in SCHEMA_COLUMNS and header_key("Source URL") == "source_url"


@pytest.mark.parametrize(("simplified", "traditional"), sorted(TRADITIONAL.items()))
def test_every_simplified_chinese_alias_has_its_traditional_form(simplified, traditional):
    for form in traditional:
        assert ALIASES[form] == ALIASES[simplified]


def test_every_chinese_alias_is_in_the_table_above():
    han = {alias for alias in ALIASES if _HAN.search(alias)}
    paired = set(TRADITIONAL) | {t for forms in TRADITIONAL.values() for t in forms}
    shared = {"日期"}  # written alike in both scripts
    assert han == paired | shared


def test_traditional_chinese_headers_are_read():
    found = match_columns(["日期", "地點", "人數", "來源"])
    assert found.found == {
        "date": "日期", "place_names": "地點", "count_text": "人數", "source_org": "來源",
    }  # fmt: skip
    assert found.usable


def test_no_alias_is_a_schema_column_of_another_meaning():
    for alias, target in ALIASES.items():
        assert alias not in SCHEMA_COLUMNS or alias == target, alias


def test_two_names_of_one_column_in_a_placemark_are_an_error_of_its_row():
    [problem] = placemark_names(7, {"인원": "1,200", "Number of people": "1,300"})
    assert (problem.row, problem.column, problem.value, problem.severity) == (
        7, "Number of people", "1,300", "error",
    )  # fmt: skip
    assert problem.message.startswith(
        "placemark 7 gives both '인원' ('1,200') and 'Number of people' ('1,300'), which both "
        "mean 'count_text', so it is not read"
    )


def test_the_schema_name_wins_in_a_placemark_and_a_different_alias_value_is_named():
    assert placemark_names(2, {"count_text": "5", "인원": "5"}) == []
    [problem] = placemark_names(2, {"인원": "6", "count_text": "5"})
    assert (problem.row, problem.column, problem.severity) == (2, "인원", "warning")
    assert "'count_text' gives it ('5')" in problem.message
    assert placemark_names(3, {"인원": "6", "Witness": "x"}) == []
