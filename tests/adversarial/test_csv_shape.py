"""CSV shape end to end: delimiters, ragged rows, quoting, line endings, empty and odd headers."""

import pytest

from geo.errors import Problem
from geo.validate import load_events
from tests.adversarial.corpus import HEADER, csv_bytes, row


def load(data):
    return load_events(data, "events.csv")


def by_row(result):
    return {(p.row, p.column, p.severity): p.message for p in result.problems}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter):
    rows = [row(notes="a, b; c"), row(event_id="e2", count_text="1,200")]
    result = load(csv_bytes(rows, delimiter=delimiter))
    assert result.problems == []
    assert result.events["notes"].tolist() == ["a, b; c", "ok"]
    assert result.events["count_best"].tolist() == [60, 1200]


def test_excel_sep_line_sets_the_delimiter():
    data = b"sep=;\n" + csv_bytes([row(notes="a,b")], delimiter=";")
    result = load(data)
    assert result.problems == []
    assert result.events["notes"].tolist() == ["a,b"]
    assert result.events["row"].tolist() == [2]  # as Excel shows it: the sep= line is hidden


@pytest.mark.parametrize("delimiter", ["|", ":"])
def test_other_delimiters_are_named(delimiter):
    # "|" separates names inside place_names, so it is never sniffed as the delimiter.
    result = load(csv_bytes([row()], delimiter=delimiter))
    assert result.valid == 0
    header = delimiter.join(HEADER)
    assert result.problems == [
        Problem(0, header, header, "error", "the header row is one column whose names are "
                f"separated by {delimiter!r}, which is not read as a delimiter: save the file "
                "with commas, semicolons or tabs between the columns")
    ]  # fmt: skip


def test_trailing_extra_field_on_every_row_is_one_warning():
    rows = [row() + ("",), row(event_id="e2", notes="two") + ("",)]
    result = load(csv_bytes(rows))
    assert result.problems == [
        Problem(0, "", "", "warning", "Every row ends with an extra empty field (a delimiter "
                "at the end of each line); it is ignored.")
    ]  # fmt: skip
    assert result.valid == 2


def test_extra_field_on_one_row_excludes_that_row():
    rows = [row(), row(event_id="e2", notes="2") + ("surplus",), row(event_id="e3", notes="3")]
    result = load(csv_bytes(rows))
    assert result.events["event_id"].tolist() == ["e1", "e3"]
    assert by_row(result) == {
        (3, "", "error"): "Row 3 has 8 fields, header has 7. Quote cells that contain the "
        "delimiter.",
    }


def test_short_row_is_padded_and_its_missing_cells_are_named():
    short = ("e2", "2024-04-26", "60", "CN-JL")
    result = load(csv_bytes([row(), short]))
    assert by_row(result) == {
        (3, "", "warning"): "Row 3 has 4 fields, header has 7; the missing cells at the end are "
        "read as empty.",
        (3, "source_url", "error"): "no source: give source_url (http/https) or source_org",
        (3, "event_type", "warning"): "event_type empty; read as forced_return",
    }
    assert result.events["event_id"].tolist() == ["e1"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_line_breaks_and_line_endings(newline):
    notes = "line 1\nline 2\r\nline 3\rend"
    result = load(csv_bytes([row(notes=notes), row(event_id="e2")], newline=newline))
    assert result.problems == []
    assert result.events["notes"].tolist() == [notes, "ok"]
    assert result.events["row"].tolist() == [2, 3]


def test_unclosed_quote_names_the_row():
    data = csv_bytes([row()]) + b'e2,2024,60,CN-JL,https://a.org,"never closed\ne3,2024\n'
    [problem] = load(data).problems
    assert problem.severity == "error"
    assert problem.message.startswith('Row 3 opens a quote (") that is never closed')


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b" \r\n \r\n"])
def test_empty_file(data):
    result = load(data)
    assert (result.rows, result.valid) == (0, 0)
    [problem] = result.problems
    assert (problem.row, problem.severity) == (0, "error")
    assert problem.message.startswith("The file is empty or its first row is blank")


def test_header_only():
    result = load(csv_bytes([]))
    assert (result.rows, result.valid) == (0, 0)
    assert result.problems == [
        Problem(0, "", "", "warning", "The file has a header row but no records.")
    ]


def test_duplicate_headers_read_the_first_and_name_both():
    header = ("event_id", "date", "count_text", "admin1_codes", "source_url", "date", "event_type")
    result = load(csv_bytes([row(notes="2020")], header=header))
    assert result.problems == [
        Problem(1, "date", "date", "error", "Column 2 and column 6 are both named 'date'; only "
                "column 2 is read. Rename or remove column 6."),
    ]  # fmt: skip
    assert result.events["date_start"].dt.year.tolist() == [2024]


def test_headers_meaning_the_same_column_refuse_the_file():
    header = ("event_id", "date", "count_text", "admin1_codes", "source_url", "Date", "event_type")
    result = load(csv_bytes([row(notes="2020")], header=header))
    assert result.valid == 0
    assert result.problems == [
        Problem(0, "Date", "Date", "error", "columns 'date' and 'Date' both mean 'date'; keep one")
    ]


@pytest.mark.parametrize(
    "header",
    [
        "<script>window.__pwned=1</script>",
        '=HYPERLINK("http://evil.example")',
        "${7*7}",
        "x" * 300,
        "\u202enotes",
    ],
)
def test_hostile_headers_are_listed_as_unused_verbatim(header):
    result = load(csv_bytes([row()], header=HEADER[:5] + (header,) + HEADER[6:]))
    assert result.valid == 1
    assert result.problems == [
        Problem(0, "", header, "warning", f"columns not in the event schema are not used: {header}")
    ]


def test_header_spellings_match_the_schema():
    header = ("Event ID", "DATE\u00a0", "Count Text", "admin1-codes", "Source URL", "Notes",
              "Event Type")
    result = load(csv_bytes([row()], header=header))
    assert result.problems == []
    assert result.events.loc[0, "admin1_codes"] == "CN-JL"


def test_unnamed_column_with_values_is_reported():
    result = load(csv_bytes([row()], header=HEADER[:5] + ("",) + HEADER[6:]))
    assert result.problems == [
        Problem(1, "", "", "warning", "Column 6 has no name in the header row; 1 value in it is "
                "not read. Give it a name (e.g. notes) to use it."),
    ]  # fmt: skip


def test_reserved_row_header():
    result = load(csv_bytes([row()], header=HEADER[:5] + ("row",) + HEADER[6:]))
    assert result.problems[0].column == "row"
    assert "name is reserved for the row number" in result.problems[0].message
    assert result.events["row"].tolist() == [2]


def test_cell_over_the_limit_names_row_and_column():
    result = load(csv_bytes([row(), row(event_id="e2", notes="x" * 10_001)]))
    [problem] = result.problems
    assert (problem.row, problem.column, problem.severity) == (3, "notes", "error")
    assert problem.message.startswith("The cell holds 10,001 characters; at most 10,000")
    assert result.events["event_id"].tolist() == ["e1"]
