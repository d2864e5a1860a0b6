"""``border-map --lang ko|zh``: the summary and the validation report in Korean and Chinese."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.test_cli import HEADER, run

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "a,forced_return,2023-10-09,about 60,Dandong,https://example.org/a\n"
        + "b,forced_return,03/04/2024,12,Dandong,https://example.org/b\n"
        + "c,forced_return,2023-10-09,-5,Dandong,javascript:alert(1)\n",
        encoding="utf-8",
    )
    return path


def test_summary_in_korean_has_korean_labels_dates_and_numbers(capsys):
    code, out, _ = run(capsys, "summary", "--lang", "ko", "--start", "2023-01-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("기간: 2023년 1월 1일")
    assert re.fullmatch(r"사건: [\d,]+건", lines[1])
    assert lines[2].startswith("인원: ")
    assert "성·도별(여러 성·도에 걸친 사건은 합계에서 한 번만 셉니다):" in lines
    assert any(line.startswith("  지린성(CN-JL): ") for line in lines)  # the province's name


def test_summary_in_chinese(capsys):
    code, out, _ = run(capsys, "summary", "--lang", "zh", "--start", "2023-01-01")
    assert code == 0
    assert out.startswith("时间段：2023年1月1日")
    assert re.search(r"^事件：[\d,]+起$", out, re.M)
    assert "  吉林省（CN-JL）：" in out


def test_summary_in_english_is_unchanged(capsys):
    _, english, _ = run(capsys, "summary", "--start", "2023-01-01")
    _, explicit, _ = run(capsys, "summary", "--lang", "en", "--start", "2023-01-01")
    assert english == explicit
    assert english.startswith("Range: 1 January 2023")


def test_the_environment_chooses_the_default_language(capsys, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_LANG", "ko")
    _, out, _ = run(capsys, "summary", "--start", "2023-01-01")
    assert out.startswith("기간: ")
    _, out, _ = run(capsys, "summary", "--lang", "en", "--start", "2023-01-01")
    assert out.startswith("Range: ")


def test_validate_in_chinese_prints_chinese_messages(capsys, bad_csv):
    code, out, _ = run(capsys, "validate", str(bad_csv), "--lang", "zh")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{bad_csv}：3行，有效1行，错误3个，警告0个"
    assert lines[1].split() == ["行", "列", "严重程度", "值", "问题"]
    assert "'03/04/2024'有歧义：是4月3日还是3月4日？请写作2024-04-03或2024-03-04" in out
    assert "'-5'：人数不能为负数" in out
    assert all("错误" in line for line in lines[2:])
    # the columns line up as a terminal shows them (Han characters take two columns)
    starts = {line.index("'") if "'" in line else None for line in lines[2:4]}
    assert len(starts) == 1


def test_validate_in_korean(capsys, bad_csv):
    _, out, _ = run(capsys, "validate", str(bad_csv), "--lang", "ko")
    assert "3개 행, 유효 1개, 오류 3개, 경고 0개" in out
    assert "'-5': 인원수는 음수일 수 없습니다" in out


def test_validate_json_stays_english_and_adds_the_local_message(capsys, bad_csv):
    _, out, _ = run(capsys, "validate", str(bad_csv), "--json", "--lang", "ko")
    problems = json.loads(out)["problems"]
    assert {p["severity"] for p in problems} == {"error"}
    count = next(p for p in problems if p["column"] == "count")
    assert count["message"] == "'-5': a count cannot be negative"
    assert count["message_local"] == "'-5': 인원수는 음수일 수 없습니다"
    _, out, _ = run(capsys, "validate", str(bad_csv), "--json")
    assert all("message_local" not in p for p in json.loads(out)["problems"])


def test_help_and_usage_errors_in_the_language(capsys):
    code, out, _ = run(capsys, "summary", "--help", "--lang", "ko")
    assert code == 0
    assert "요약, 날짜, 숫자, 지명의 언어" in out
    code, _, err = run(
        capsys, "summary", "--lang", "zh", "--start", "2024-01-02", "--end", "2024-01-01"
    )
    assert code == 2
    assert "border-map：错误：--start 2024-01-02晚于--end 2024-01-01" in err
    code, _, err = run(capsys, "validate", "/no/such/file.csv", "--lang", "ko")
    assert code == 2 and "파일이 없습니다: /no/such/file.csv" in err
    assert HANGUL.search(err)
