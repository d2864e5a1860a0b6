"""The border-map command line, run as a user would (in-process through ``main``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
        assert out == ""  # a refused file prints its problem, never a summary
        assert "error: The file contains NUL bytes" in err
        assert f"no event of {path} could be read (1 problem(s)), so there is nothing" in err

    @pytest.mark.parametrize(
        "text",
        [
            "name,colour\nx,red\n",  # refused: no column gives a date, a place or a source
            "date,place,source_url\nnot a date,Atlantis,ftp://x\n",  # every row excluded
        ],
    )
    def test_a_file_with_no_readable_event_is_neither_summarised_nor_exported(
        self, capsys, tmp_path, text
    ):
        path = tmp_path / "none.csv"
        path.write_text(text, encoding="utf-8")
        for command in (["summary", "--json"], ["summary"]):
            code, out, err = run(capsys, *command, "--events", str(path))
            assert (code, out) == (1, "")
            assert f"border-map: error: no event of {path} could be read" in err
        out_file = tmp_path / "out.csv"
        code, out, err = run(
            capsys, "export", "--events", str(path), "--format", "csv", "--out", str(out_file)
        )
        assert (code, out) == (1, "") and not out_file.exists()
        assert "run `border-map validate" in err

    def test_a_file_with_some_bad_rows_is_summarised_with_a_warning(self, capsys, tmp_path):
        path = tmp_path / "some.csv"
        path.write_text(
            "date,place,source_url\n2023-10-09,Dandong,https://example.org/a\n"
            "not a date,Dandong,https://example.org/b\n",
            encoding="utf-8",
        )
        code, out, err = run(capsys, "summary", "--events", str(path), "--json")
        assert code == 1 and json.loads(out)["events"] == 1
        assert "problem(s) excluded rows from" in err

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

    def test_default_rule_is_start_date_and_by_year_text_adds_the_table(self, capsys):
        code, out, _ = run(capsys, "summary", "--start", "2024-01-01", "--end", "2024-12-31",
                           "--by", "year")  # fmt: skip
        assert code == 0
        lines = out.splitlines()
        assert "Counted by overlap" not in out  # the default rule adds up: no note
        assert "  Returned from Jilin: at least 173 (3 events)" in lines
        assert "  Returned from Liaoning: at least 60 (1 event)" in lines
        assert "By start year and Chinese province (people; events):" in lines
        (year,) = [line for line in lines if line.startswith("  2024: ")]
        (total,) = [line for line in lines if line.startswith("  All years: ")]
        assert year.removeprefix("  2024: ") == total.removeprefix("  All years: ")
        assert "Jilin: at least 173 (3 events)" in year
        assert "All (each event once): at least 386 (5 events)" in year

    def test_overlap_says_its_totals_do_not_add_up_and_names_the_spanning_events(self, capsys):
        code, out, _ = run(capsys, "summary", "--start", "2024-01-01", "--end", "2024-12-31",
                           "--match", "overlap")  # fmt: skip
        assert code == 0
        (note,) = [line for line in out.splitlines() if line.startswith("Counted by overlap")]
        assert "do not add up: 3 events run past this range" in note
        assert "December 2023 – July 2025, Women detained in Inner Mongolia" in note
        code, out, _ = run(capsys, "summary", "--start", "2024-01-01", "--end", "2024-12-31",
                           "--match", "overlap", "--json")  # fmt: skip
        spanning = json.loads(out)["spanning_boundary"]
        assert [e["event_id"] for e in spanning] == [
            "2024-2025-forced-return-inner-mongolia-women-hrw-rtp",
            "2024-2025-forced-return-forced-marriage-women-hrw-rtp",
            "2024-01-01-forced_return-yahoohkhacker",  # January 2024 – September 2025
        ]

    def test_summary_of_a_user_file(self, capsys, good_csv):
        code, out, _ = run(capsys, "summary", "--events", str(good_csv), "--json")
        summary = json.loads(out)
        assert code == 0
        assert summary["events"] == 2
        assert summary["people_low"] == 550
        assert summary["people_high"] is None

    def test_summary_says_how_many_events_are_on_the_border_country_uncertain(
        self, capsys, tmp_path
    ):
        path = tmp_path / "points.csv"
        path.write_text(
            "event_id,event_type,date,lat,lon,source_url\n"
            # In the river between Changbai and Hyesan, then Hyesan's own point.
            "a,forced_return,2024-01-01,41.4097,128.1870,https://example.org/a\n"
            "b,forced_return,2024-01-01,41.40167,128.17778,https://example.org/b\n",
            encoding="utf-8",
        )
        code, out, _ = run(capsys, "summary", "--events", str(path))
        assert code == 0
        assert "Events: 2\n" in out
        assert "1 event on the border, country uncertain\n" in out
        assert "  Ryanggang (KP-10): number not stated (1 event)\n" in out and "CN-JL" not in out
        code, out, _ = run(capsys, "summary", "--events", str(path), "--json")
        assert json.loads(out)["country_uncertain"] == 1

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


def installed_script(name: str) -> str | None:
    """Path of console script ``name``: next to this Python (its venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def test_console_script_is_installed(tmp_path):
    script = installed_script("border-map")
    assert script, "border-map is not installed: pip install -e '.[test]'"
    proc = subprocess.run(
        [script, "summary", "--json"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["events"] > 0


#: The attacker's date cell: set the terminal title, clear the screen, fake a clean report.
TITLE_AND_CLEAR = "\x1b]0;pwned\x07\x1b[2J0 errors"
#: An OSC 8 hyperlink: the terminal shows "Dandong" and opens evil.example when clicked.
OSC8_LINK = "\x1b]8;;https://evil.example\x1b\\Dandong\x1b]8;;\x1b\\"
#: Characters no output line may carry raw (a newline only between lines).
RAW_CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + [
    "\u061c", "\u200e", "\u200f", "\u2028", "\u2029",
    *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A)),
]  # fmt: skip


def raw_controls(text: str) -> list[str]:
    """The unsafe characters in ``text``, line breaks aside."""
    return [c for c in RAW_CONTROLS if c in text.replace("\n", "")]


def hostile_csv(path, *cells: tuple[str, str]):
    """An events file whose first rows put ``(column, value)`` into a cell; 40 good rows after.

    The good rows keep the control characters under the reader's "binary file" threshold.
    """
    columns = ["event_id", "event_type", "date", "count", "place", "source_url", "notes"]
    good = ["forced_return", "2023-01-01", "5", "Dandong", "https://example.org/x", ""]
    lines = [",".join(columns)]
    for i, (column, value) in enumerate(cells):
        row = [f"h{i}", *good]
        row[columns.index(column)] = '"' + value.replace('"', '""') + '"'
        lines.append(",".join(row))
    lines += [
        ",".join(
            [
                f"g{i}",
                good[0],
                f"2023-01-{i % 28 + 1:02d}",
                str(i + 1),
                good[3],
                f"https://example.org/{i}",
                "",
            ]
        )
        for i in range(40)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class TestTerminalSafeOutput:
    def test_title_and_clear_screen_in_a_date_cell_are_shown_escaped(self, capsys, tmp_path):
        path = hostile_csv(tmp_path / "dates.csv", ("date", TITLE_AND_CLEAR))
        code, out, err = run(capsys, "validate", str(path))
        assert code == 1
        assert not raw_controls(out) and not raw_controls(err)
        assert "\\x1b]0;pwned\\x07\\x1b[2J0 errors" in out
        lines = out.splitlines()
        assert lines[0].endswith("41 rows, 40 valid, 1 errors, 0 warnings")
        assert len(lines) == 3 and lines[2].startswith("2 ")  # summary, table header, row 2
        assert all(line.startswith("2 ") for line in lines if "0 errors" in line)  # no fake line

    def test_osc8_link_in_a_place_cell_is_shown_escaped(self, capsys, tmp_path):
        path = hostile_csv(tmp_path / "link.csv", ("place", OSC8_LINK))
        code, out, _ = run(capsys, "validate", str(path))
        assert code == 1
        assert not raw_controls(out)
        assert "\\x1b]8;;https://evil.example\\x1b" in out

    def test_json_report_is_valid_escaped_and_round_trips(self, capsys, tmp_path):
        hidden = "\u202eexe.txt \x9b2J \x85 \x7f"
        path = hostile_csv(
            tmp_path / "all.csv", ("date", TITLE_AND_CLEAR), ("place", OSC8_LINK), ("date", hidden)
        )
        code, out, _ = run(capsys, "validate", str(path), "--json")
        assert code == 1
        assert not raw_controls(out)
        assert "\\u001b]0;pwned\\u0007" in out and "\\u202eexe.txt \\u009b2J" in out
        values = {p["value"] for p in json.loads(out)["problems"]}
        assert {TITLE_AND_CLEAR, OSC8_LINK, hidden} <= values  # exactly the file's cells

    def test_c1_and_bidi_controls_in_text_output(self, capsys, tmp_path):
        hidden = "\u202eexe.txt \u2066x\u2069 \x9b2J \u200f"
        path = hostile_csv(tmp_path / "bidi.csv", ("date", hidden))
        _, out, _ = run(capsys, "validate", str(path))
        assert not raw_controls(out)
        assert "\\u202eexe.txt \\u2066x\\u2069 \\x9b2J \\u200f" in out

    def test_column_names_and_file_names_are_escaped(self, capsys, tmp_path):
        path = tmp_path / "ev\x1b[2Jil\u202e.csv"
        hostile_csv(path, ("date", "2023-01-01"))
        text = path.read_text(encoding="utf-8").replace("notes", "no\x1b[31mtes", 1)
        path.write_text(text, encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(path))
        assert not raw_controls(out)
        assert "ev\\x1b[2Jil\\u202e.csv" in out.splitlines()[0]
        assert "no\\x1b[31mtes" in out
        code, out, err = run(capsys, "summary", "--events", str(path))
        assert not raw_controls(out) and not raw_controls(err)

    def test_summary_warnings_name_the_file_escaped(self, capsys, tmp_path):
        path = hostile_csv(tmp_path / "x\x1b]0;pwned\x07.csv", ("date", TITLE_AND_CLEAR))
        code, out, err = run(capsys, "summary", "--events", str(path))
        assert code == 1
        assert not raw_controls(out) and not raw_controls(err)
        assert "x\\x1b]0;pwned\\x07.csv" in err
        code, out, _ = run(capsys, "summary", "--events", str(path), "--json")
        assert not raw_controls(out) and json.loads(out)["events"] == 40

    def test_usage_errors_quote_arguments_escaped(self, capsys, tmp_path):
        code, _, err = run(capsys, "validate", str(tmp_path / "no\x1b[2J.csv"))
        assert code == 2 and not raw_controls(err) and "no\\x1b[2J.csv" in err
        code, _, err = run(capsys, "validate", "x.csv", TITLE_AND_CLEAR)
        assert code == 2 and not raw_controls(err) and "\\x1b]0;pwned" in err

    @pytest.mark.parametrize("char", RAW_CONTROLS)
    def test_every_unsafe_character_becomes_a_visible_escape(self, char):
        from cli.main import terminal_json, terminal_text

        shown = terminal_text(f"a{char}b")
        assert not raw_controls(shown) and "\n" not in shown
        assert shown.startswith("a\\") and shown.endswith("b")
        encoded = terminal_json({"v": f"a{char}b"})
        assert not raw_controls(encoded) and json.loads(encoded) == {"v": f"a{char}b"}

    def test_ordinary_text_is_unchanged(self):
        from cli.main import terminal_text

        text = "단둥 丹东 Sinŭiju – “more than 500” C:\\data\\x1b 🗺️ é"
        assert terminal_text(text) == text


class TestCrossCheckVerdicts:
    """HRW's 670, 406 and 1,076 on the shipped data, through ``border-map summary --json``."""

    @pytest.fixture(scope="class")
    def checks(self):
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["summary", "--json"]) == 0
        return {c["event_id"]: c for c in json.loads(out.getvalue())["cross_checks"]}

    def test_hrw_670_is_explained_by_two_events_reported_separately(self, checks):
        hrw = checks["2024-05-08-report-hrw-670-since-2020"]
        assert (hrw["reported_low"], hrw["events_low"]) == (670, 838)
        assert (hrw["verdict"], hrw["difference"]) == ("exceeds", 168)
        assert hrw["explaining_event_ids"] == [
            "2024-01-forced-return-helong-workers-yonhap",
            "2024-04-26-forced-return-hrw",
        ]
        assert len(hrw["event_ids"]) == hrw["events_count"] == 6

    def test_hrw_406_and_1076(self, checks):
        hrw406 = checks["2025-10-15-report-hrw406"]
        assert hrw406["period"] == ["2024-01-01", "2025-09-30"]
        # Helong 108, trafficked women 212, 5 women, 1 hacker, 28 women (listed) + 26 April 60.
        assert (hrw406["reported_low"], hrw406["events_low"]) == (406, 108 + 212 + 5 + 1 + 28 + 60)
        assert (hrw406["verdict"], hrw406["difference"]) == ("exceeds", 8)
        assert set(hrw406["event_ids"]) - set(hrw406["listed_event_ids"]) == {
            "2024-04-26-forced-return-hrw"
        }
        hrw1076 = checks["2025-10-15-report-hrw1076"]
        assert hrw1076["period"] == ["2020-01-01", "2025-09-30"]
        # The 670's four, the 406's events above, and 20 women in Inner Mongolia.
        assert hrw1076["events_low"] == 670 + 414 + 20
        assert (hrw1076["verdict"], hrw1076["difference"]) == ("exceeds", 28)
        # Restatements of a report are claims: no second cross-check for them.
        assert "2025-10-15-report-hrw-406-since-2024" not in checks
        assert "2025-10-15-report-redcensor-1076-since-2020" not in checks

    def test_text_output_words_the_verdicts(self, capsys):
        code, out, _ = run(capsys, "summary")
        assert code == 0
        assert "Verdict: events exceed the report by 168: these events were reported " in out
        assert "Reported: 406+ (source's words: “최소 406명 (at least 406)”)" in out
        assert "Verdict: events exceed the report by 28" in out
        assert "events_best" not in out and "None" not in out


def test_the_report_packs_link_is_built_from_the_base_url_given(capsys, good_csv, tmp_path):
    import zipfile

    out = tmp_path / "pack.zip"
    code, _out, err = run(capsys, "export", "--format", "zip", "--out", str(out), "--events",
                          str(good_csv), "--start", "2021-01-01",
                          "--base-url", "https://maps.example.org/border/")  # fmt: skip
    assert code == 0, err
    readme = zipfile.ZipFile(out).read("README.txt").decode("utf-8")
    link = "https://maps.example.org/border/?start=2021-01-01"
    assert f"Reopen this view in the app: {link}\n" in readme
    code, _out, err = run(capsys, "export", "--format", "zip", "--out", str(out),
                          "--base-url", "javascript:alert(1)")  # fmt: skip
    assert code == 2 and "give the app's address, http:// or https:// with a host" in err


def test_summary_of_a_csv_file_imports_no_workbook_or_drawing_library(tmp_path):
    """Heavy imports only where used: openpyxl and python-calamine for workbooks, matplotlib and
    pptx for files."""
    import subprocess
    import sys

    script = (
        "import sys, contextlib, io\n"
        "from cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['summary']) == 0\n"
        "heavy = ('openpyxl', 'python_calamine', 'matplotlib', 'pptx')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
