"""The border-map command line, run as a user would (in-process through ``main``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli.main import main

HEADER = "event_id,event_type,date,count,place,source_url\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(
        HEADER
        + "a,forced_return,2023-10-09,more than 500,Dandong,https://example.org/a\n"
        + "b,forced_return,2021-07-14,about 50,Sinuiju,https://example.org/b\n",
        encoding="utf-8",
    )
    return path


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


class TestValidate:
    def test_valid_file_exits_zero_with_json_report(self, capsys, good_csv):
        code, out, _ = run(capsys, "validate", str(good_csv), "--json")
        report = json.loads(out)
        assert code == 0
        assert report["rows"] == 2
        assert report["valid"] == 2
        assert not [p for p in report["problems"] if p["severity"] == "error"]

    def test_bad_rows_exit_one_and_are_named(self, capsys, bad_csv):
        code, out, _ = run(capsys, "validate", str(bad_csv), "--json")
        report = json.loads(out)
        assert code == 1
        assert report["rows"] == 3 and report["valid"] == 1
        errors = {(p["row"], p["column"]) for p in report["problems"] if p["severity"] == "error"}
        assert (3, "date") in errors
        assert (4, "count") in errors
        assert (4, "source_url") in errors

    def test_table_output_lists_row_column_and_value(self, capsys, bad_csv):
        code, out, _ = run(capsys, "validate", str(bad_csv))
        assert code == 1
        assert "3 rows, 1 valid" in out
        assert "03/04/2024" in out
        assert "javascript:alert(1)" in out

    def test_missing_file_is_a_usage_error(self, capsys, tmp_path):
        code, _, err = run(capsys, "validate", str(tmp_path / "nope.csv"))
        assert code == 2
        assert "no such file" in err

    def test_file_without_usable_columns_is_invalid_input(self, capsys, tmp_path):
        path = tmp_path / "other.csv"
        path.write_text("name,colour\nx,red\n", encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(path), "--json")
        report = json.loads(out)
        assert code == 1
        assert report["valid"] == 0
        assert any(p["severity"] == "error" for p in report["problems"])


class TestSummary:
    def test_unreadable_events_file_says_why(self, capsys, tmp_path):
        path = tmp_path / "nul.csv"
        path.write_bytes(b"date,place,source_url\n2024-01-01,Dandong,https://x.org\n\x00\x81")
        code, out, err = run(capsys, "summary", "--events", str(path), "--json")
        assert code == 1
        assert json.loads(out)["events"] == 0
        assert "error: The file contains NUL bytes" in err

    def test_hrw_670_since_2020(self, capsys):
        code, out, _ = run(
            capsys, "summary", "--start", "2020-01-01", "--end", "2023-12-31",
            "--match", "within", "--type", "forced_return", "--json",
        )  # fmt: skip
        summary = json.loads(out)
        assert code == 0
        assert summary["people_low"] == 670
        assert summary["people_high"] is None  # "more than 500" has no upper bound
        assert summary["start"] == "2020-01-01" and summary["end"] == "2023-12-31"

    def test_april_2024_return_is_shared_and_counted_once(self, capsys):
        code, out, _ = run(
            capsys, "summary", "--start", "2024-04-26", "--end", "2024-04-26", "--match", "within",
            "--json",
        )  # fmt: skip
        summary = json.loads(out)
        assert code == 0
        assert summary["events"] == 1
        assert summary["people_low"] == 60
        for code_ in ("CN-JL", "CN-LN"):
            assert summary["by_province"][code_]["events"] == 1
            assert summary["by_province"][code_]["shared_events"] == 1

    def test_summary_of_a_user_file(self, capsys, good_csv):
        code, out, _ = run(capsys, "summary", "--events", str(good_csv), "--json")
        summary = json.loads(out)
        assert code == 0
        assert summary["events"] == 2
        assert summary["people_low"] == 550
        assert summary["people_high"] is None

    def test_human_readable_summary(self, capsys):
        code, out, _ = run(capsys, "summary", "--start", "2023-01-01", "--end", "2023-12-31")
        assert code == 0
        assert "Events:" in out and "People: at least" in out

    @pytest.mark.parametrize(
        "argv",
        [
            ["summary", "--start", "2023-13-01"],
            ["summary", "--start", "2024-01-01", "--end", "2023-01-01"],
            ["summary", "--type", "parade"],
            ["nonsense"],
        ],
    )
    def test_usage_errors_exit_two(self, capsys, argv):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert err


def test_console_script_is_installed():
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "summary", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["events"] > 0
