"""Encodings end to end: each file's text arrives intact in the events, or the file is refused."""

import pytest

from geo.read import read_table
from geo.validate import load_events
from tests.adversarial.corpus import csv_bytes, row

KOREAN = "탈북민 60명이 신의주 근처에서 강제 송환되었다"
CHINESE = "六十名朝鲜人在丹东附近被强制遣返"
WESTERN = "Réfugiés renvoyés à la frontière, café crème"
WINDOWS = "“quoted” — 5 €"
REFUSED = "Save the file as UTF-8 (in Excel: Save As > CSV UTF-8)"


@pytest.mark.parametrize(
    ("encoding", "text", "reported"),
    [
        ("utf-8", KOREAN, "utf-8"),
        ("utf-8-sig", CHINESE, "utf-8-sig"),
        ("utf-16", KOREAN, "utf-16"),
        ("utf-16-be", None, "utf-16"),
        ("cp949", KOREAN, "cp949"),
        ("euc-kr", KOREAN, "cp949"),
        ("gb18030", CHINESE, "gb18030"),
        ("gbk", CHINESE, "gb18030"),
        ("latin-1", WESTERN, "latin-1"),
        ("cp1252", WINDOWS, "cp1252"),
    ],
)
def test_text_arrives_intact(encoding, text, reported):
    text = text or KOREAN
    rows = [row(notes=text), row(event_id="e2", notes=text + " (2)", count_text="about 7")]
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + csv_bytes(rows, encoding="utf-16-be")
    else:
        data = csv_bytes(rows, encoding=encoding)
    assert read_table(data, "a.csv").encoding == reported
    result = load_events(data, "a.csv")
    assert result.problems == []
    assert result.events["notes"].tolist() == [text, text + " (2)"]
    assert result.events["count_best"].tolist() == [60, 7]


def test_headers_with_a_bom_still_match():
    data = "\ufeffEvent ID,Date,Count,Province,URL,Event Type\ne1,2024,60,Jilin,https://a.org,policy\n"
    result = load_events(data.encode("utf-8"), "a.csv")
    assert result.problems == []
    assert result.events["event_id"].tolist() == ["e1"]
    assert result.events["admin1_codes"].tolist() == ["CN-JL"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        # Latin-1 bytes and UTF-8 Korean in one file: no single encoding reads both.
        (csv_bytes([row(notes="café")], encoding="latin-1") + KOREAN.encode(), "any accepted"),
        # A UTF-8 byte-order mark followed by bytes that are not UTF-8.
        (
            b"\xef\xbb\xbf" + csv_bytes([row(notes="x")]) + "한".encode("cp949") + b"\xff",
            "UTF-8-SIG byte-order mark but is not valid",
        ),
        # UTF-16 without its byte-order mark.
        (csv_bytes([row()], encoding="utf-16-le"), "NUL bytes"),
        # A binary file renamed .csv.
        (bytes(range(256)) * 10, "NUL bytes"),
    ],
)
def test_undecodable_files_are_refused_with_what_to_do(data, fragment):
    result = load_events(data, "a.csv")
    assert result.rows == 0 and result.valid == 0
    [problem] = result.problems
    assert (problem.row, problem.severity) == (0, "error")
    assert fragment in problem.message
    assert REFUSED in problem.message


@pytest.mark.parametrize("pasted", ["한국어", "丹东", "Zürich ✓"])
def test_utf8_pasted_into_a_western_file_is_refused_naming_the_line(pasted):
    # Windows-1252 would read every byte, garbling the UTF-8 part ("í•œêµ­ì–´") silently.
    data = csv_bytes([row(notes="café")], encoding="latin-1") + pasted.encode()
    result = load_events(data, "a.csv")
    [problem] = result.problems
    assert (problem.row, problem.value) == (0, "0xE9")
    assert problem.message.startswith(
        "The file is not text in any accepted encoding: on line 2, after "
        "'N-JL,https://example.org/a,caf', the byte 0xE9 is not UTF-8"
    )
    assert REFUSED in problem.message


def test_western_file_without_utf8_is_read_as_western():
    data = csv_bytes([row(notes="café Ã  la crème, 5 °C")], encoding="cp1252")
    result = load_events(data, "a.csv")
    assert result.problems == []
    assert result.events["notes"].tolist() == ["café Ã  la crème, 5 °C"]


def test_many_control_characters_are_refused():
    data = csv_bytes([row(notes="\x01\x02\x03\x04" * 50)])
    [problem] = load_events(data, "a.csv").problems
    assert "control characters (e.g. U+0001)" in problem.message


def test_a_few_control_characters_stay_in_the_text():
    result = load_events(csv_bytes([row(notes="a\x07b")]), "a.csv")
    assert result.problems == []
    assert result.events["notes"].tolist() == ["a\x07b"]
