"""geo.read on Excel workbooks: sheets, cell values, formulas, merges, zip bombs, huge sheets."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from geo.errors import InputFileError
from geo.read import read_table, zip_scan
from geo.read import xlsx_scan as xlsx_module
from geo.read.xlsx import cell_text, read_xlsx
from geo.read.xlsx_scan import date_shown
from geo.validate import load_events
from tests.adversarial.corpus import replace_member, shared_strings_rels


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_bytes(*rows, title="Events") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    return workbook_bytes(workbook)


def records(table):
    return table.frame.to_dict("records")


class TestValues:
    def test_cells_become_text(self):
        data = sheet_bytes(
            ["event_id", " date ", "count", "lat", "flag", "note"],
            ["e1", dt.date(2024, 4, 26), 60, 40.5, True, "N/A"],
            ["e2", dt.datetime(2023, 10, 9), 600.0, 41.0, False, None],
            ["e3", dt.datetime(2023, 10, 9, 13, 5), "007", 0.1, None, "null"],
        )
        table = read_table(data, "events.xlsx")
        assert (table.format, table.encoding) == ("xlsx", "utf-8")
        assert records(table) == [
            {"event_id": "e1", "date": "2024-04-26", "count": "60", "lat": "40.5",
             "flag": "TRUE", "note": "N/A", "row": 2},
            {"event_id": "e2", "date": "2023-10-09", "count": "600", "lat": "41",
             "flag": "FALSE", "note": "", "row": 3},
            {"event_id": "e3", "date": "2023-10-09", "count": "007", "lat": "0.1",
             "flag": "", "note": "null", "row": 4},
        ]  # fmt: skip
        [problem] = table.problems  # the time of day of a date is named, not dropped silently
        assert (problem.row, problem.column, problem.value) == (4, "date", "2023-10-09 13:05:00")
        assert problem.severity == "warning"

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (None, ""),
            (3, "3"),
            (3.0, "3"),
            (-2.5, "-2.5"),
            (1e20, "1e+20"),
            (dt.time(9, 30), "09:30:00"),
            ("  spaced ", "  spaced "),
        ],
    )
    def test_cell_text(self, value, text):
        assert cell_text(value) == text

    def test_korean_and_chinese_text(self):
        data = sheet_bytes(["place_names", "notes"], ["단둥|丹东", "중국 단둥에서 강제북송"])
        assert records(read_table(data, "a.xlsx")) == [
            {"place_names": "단둥|丹东", "notes": "중국 단둥에서 강제북송", "row": 2}
        ]

    def test_sniffed_without_a_name(self):
        table = read_table(sheet_bytes(["a"], ["x"]))
        assert (table.format, records(table)) == ("xlsx", [{"a": "x", "row": 2}])


class TestRows:
    def test_empty_rows_are_skipped_and_row_numbers_kept(self):
        data = sheet_bytes(["a", "b"], ["1", "2"], [], [None, None], ["3", "4"], [], [])
        table = read_table(data, "a.xlsx")
        assert records(table) == [{"a": "1", "b": "2", "row": 2}, {"a": "3", "b": "4", "row": 5}]

    def test_header_below_empty_rows_keeps_sheet_row_numbers(self):
        data = sheet_bytes([], ["a", "a"], ["x", "y"])
        table = read_table(data, "a.xlsx")
        assert records(table) == [{"a": "x", "row": 3}]
        assert [(p.row, p.column) for p in table.problems] == [(2, "a")]

    def test_values_right_of_the_header_are_reported(self):
        data = sheet_bytes(["a", "b"], ["1", "2", "stray"], ["3", "4", "more"])
        table = read_table(data, "a.xlsx")
        assert list(table.frame.columns) == ["a", "b", "row"]
        [problem] = table.problems
        assert "Column C has no name in the header row; 2 values in it are not read" in (
            problem.message
        )

    def test_duplicate_headers_name_column_letters(self):
        table = read_table(sheet_bytes(["date", "date"], ["2024", "2023"]), "a.xlsx")
        assert records(table) == [{"date": "2024", "row": 2}]
        assert "Column A and column B are both named 'date'" in table.problems[0].message

    def test_header_only_is_a_warning(self):
        table = read_table(sheet_bytes(["a", "b"]), "a.xlsx")
        assert len(table.frame) == 0
        assert [(p.row, p.severity) for p in table.problems] == [(0, "warning")]

    def test_empty_sheet_is_refused(self):
        with pytest.raises(InputFileError, match="Sheet 'Events' is empty"):
            read_table(sheet_bytes(), "a.xlsx")

    def test_long_cell(self):
        table = read_xlsx(sheet_bytes(["a"], ["x" * 30]), max_cell_chars=20)
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (2, "a", "error")


class TestSheets:
    def test_first_visible_sheet_is_read(self):
        workbook = openpyxl.Workbook()
        hidden = workbook.active
        hidden.title = "Lookup"
        hidden.append(["secret"])
        hidden.sheet_state = "hidden"
        very_hidden = workbook.create_sheet("Macros")
        very_hidden.append(["nothing"])
        very_hidden.sheet_state = "veryHidden"
        events = workbook.create_sheet("Events")
        events.append(["event_id"])
        events.append(["e1"])
        workbook.create_sheet("Later").append(["other"])
        table = read_table(workbook_bytes(workbook), "a.xlsx")
        assert records(table) == [{"event_id": "e1", "row": 2}]

    def test_no_visible_sheet(self):
        data = sheet_bytes(["a"], ["x"])
        book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
        book = book.replace(b'state="visible"', b'state="hidden"')
        with pytest.raises(InputFileError, match="no visible worksheet"):
            read_table(replace_member(data, "xl/workbook.xml", book), "a.xlsx")


class TestFormulasAndMerges:
    def test_formula_without_saved_value_names_the_cell(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["event_id", "count_low", "count_high"])
        sheet.append(["e1", 10, "=B2*2"])
        sheet.append(["e2", 5, 7])
        table = read_table(workbook_bytes(workbook), "a.xlsx")
        assert records(table)[0] == {"event_id": "e1", "count_low": "10", "count_high": "",
                                     "row": 2}  # fmt: skip
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (2, "count_high", "error")
        assert "Cell C2 holds a formula with no saved value" in problem.message
        assert "save it again" in problem.message

    def test_formula_with_saved_value_is_read(self):
        data = sheet_bytes(["a", "b"], ["1", "placeholder"], title="Sheet")
        sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        cached = '<c r="B2" t="str"><f>A2&amp;"x"</f><v>1x</v></c>'
        empty_string = '<c r="C2" t="str"><f>""</f><v></v></c>'
        start = sheet_xml.index('<c r="B2"')
        end = sheet_xml.index("</c>", start) + len("</c>")
        sheet_xml = sheet_xml[:start] + cached + empty_string + sheet_xml[end:]
        data = replace_member(data, "xl/worksheets/sheet1.xml", sheet_xml.encode())
        table = read_table(data, "a.xlsx")
        assert records(table) == [{"a": "1", "b": "1x", "row": 2}]
        assert table.problems == []

    def test_merged_cells_are_a_warning_naming_the_range(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["event_id", "date", "notes"])
        sheet.append(["e1", "2024-04", "same"])
        sheet.append(["e2", None, None])
        sheet.merge_cells("B2:B3")
        table = read_table(workbook_bytes(workbook), "a.xlsx")
        assert [r["date"] for r in records(table)] == ["2024-04", ""]
        [problem] = table.problems
        assert (problem.row, problem.column, problem.value) == (2, "date", "B2:B3")
        assert problem.severity == "warning"
        assert "read only in the top-left cell B2" in problem.message


class TestRefused:
    def test_zip_bomb_ratio(self):
        data = sheet_bytes(["a"], ["x"])
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
        with pytest.raises(InputFileError) as info:
            read_table(out.getvalue(), "a.xlsx")
        assert "xl/media/padding.bin unpacks" in info.value.problem.message
        assert "times larger than it is stored" in info.value.problem.message

    def test_zip_bomb_total_size(self, monkeypatch):
        monkeypatch.setattr(zip_scan, "MAX_UNZIPPED_BYTES", 1000)
        with pytest.raises(InputFileError, match="unpacks to 0 MB; at most 0 MB"):
            read_table(sheet_bytes(["a"], ["x" * 2000]), "a.xlsx")

    def test_huge_declared_dimension(self):
        data = sheet_bytes(["a"], ["x"], title="Sheet")
        sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        # openpyxl writes '<dimension ref="A1:A2" />', or without the space when lxml is present
        dimension = rb'<dimension ref="A1:A2"\s*/>'
        huge = re.sub(dimension, b'<dimension ref="A1:ZZ9999999" />', sheet_xml)
        assert huge != sheet_xml
        with pytest.raises(InputFileError) as info:
            read_table(replace_member(data, "xl/worksheets/sheet1.xml", huge), "a.xlsx")
        message = info.value.problem.message
        assert "declares a used range of A1:ZZ9999999 (9,999,999 rows, 702 columns)" in message
        assert info.value.problem.value == "A1:ZZ9999999"

    def test_huge_dimension_is_found_without_reading_the_sheet(self):
        # The sheet data after the dimension is not even well-formed: it is never parsed.
        data = sheet_bytes(["a"], ["x"], title="Sheet")
        broken = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        broken += b'<dimension ref="A1:B2000000"/><sheetData><row><c>' + b"<" * 1000
        with pytest.raises(InputFileError, match="2,000,000 rows"):
            read_table(replace_member(data, "xl/worksheets/sheet1.xml", broken), "a.xlsx")

    def test_malformed_sheet_xml(self):
        data = replace_member(sheet_bytes(["a"], ["x"], title="S"), "xl/worksheets/sheet1.xml",
                              b"<worksheet><sheetData><row>")  # fmt: skip
        with pytest.raises(InputFileError, match="workbook cannot be read"):
            read_table(data, "a.xlsx")

    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            (b"id,date\n1,2024\n", "not an Excel workbook"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003 (.xls)"),
            (b"PK\x03\x04broken", "not an Excel workbook"),
        ],
    )
    def test_not_a_workbook(self, data, fragment):
        with pytest.raises(InputFileError) as info:
            read_table(data, "events.xlsx")
        assert fragment in info.value.problem.message
        assert info.value.problem.row == 0

    def test_zip_without_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hi")
        with pytest.raises(InputFileError, match=r"not an Excel workbook \(no _rels/.rels\)"):
            read_table(out.getvalue(), "a.xlsx")


class TestWorkBudgets:
    def test_rows_are_read_a_few_at_a_time(self, monkeypatch):
        from geo.read import xlsx as reader

        rows = [["event_id", "note"]] + [[f"e{n}", f"note {n}"] for n in range(40)]
        data = sheet_bytes(*rows)
        expected = records(read_table(data, "a.xlsx"))
        monkeypatch.setattr(reader, "BATCH_ROWS", 4)
        assert records(read_table(data, "a.xlsx")) == expected
        assert expected[-1] == {"event_id": "e39", "note": "note 39", "row": 41}

    def test_dates_in_a_1904_workbook(self):
        workbook = openpyxl.Workbook()
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        workbook.active.append(["date"])
        workbook.active.append([dt.date(2024, 4, 26)])
        assert records(read_table(workbook_bytes(workbook), "a.xlsx")) == [
            {"date": "2024-04-26", "row": 2}
        ]

    def test_a_cell_whose_value_cannot_be_read_is_an_error_of_its_cell(self):
        data = sheet_bytes(["event_id", "count"], ["e1", 1], ["e2", 2], title="Sheet")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        start = xml.index('<c r="B2"')
        end = xml.index("</c>", start) + len("</c>")
        xml = xml[:start] + '<c r="B2"><v>' + "1" * 5000 + "</v></c>" + xml[end:]
        table = read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")
        assert records(table) == [
            {"event_id": "e1", "count": "", "row": 2},
            {"event_id": "e2", "count": "2", "row": 3},
        ]
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (2, "count", "error")
        assert problem.message.startswith("Cell B2 holds a value that cannot be read (Exceeds")
        assert problem.message.endswith(
            "). Correct it in Excel or LibreOffice and save the file again."
        )

    def test_merged_ranges_and_formulas_without_value_are_counted(self, monkeypatch):
        from geo.read import xlsx as reader

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for n in range(4):
            sheet.append([f"e{n}", "x", "y", f"=A{n + 1}"])
            sheet.merge_cells(f"B{n + 1}:C{n + 1}")
        data = workbook_bytes(workbook)
        monkeypatch.setattr(reader, "MAX_MERGED", 3)
        with pytest.raises(InputFileError, match="has more than 3 merged ranges"):
            read_table(data, "a.xlsx")
        monkeypatch.setattr(reader, "MAX_MERGED", 4)
        monkeypatch.setattr(reader, "MAX_FORMULAS_WITHOUT_VALUE", 3)
        with pytest.raises(InputFileError, match="more than 3 formulas with no saved value"):
            read_table(data, "a.xlsx")

    def test_an_entry_of_too_many_elements_is_refused(self, monkeypatch):
        # when the sheet is rewritten cell by cell (here: a row without its number)
        monkeypatch.setattr(xlsx_module, "MAX_ENTRY_ELEMENTS", 5)
        data = sheet_bytes(["a"], ["x"], title="Sheet")
        runs = "".join(f"<r><t>{n}</t></r>" for n in range(3))
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        start = xml.index('<c r="A2"')
        end = xml.index("</c>", start) + len("</c>")
        xml = xml[:start] + f'<c r="A2" t="inlineStr"><is>{runs}</is></c>' + xml[end:]
        xml = xml.replace('<row r="2">', "<row>")
        with pytest.raises(InputFileError, match="holds an entry of more than 5 XML elements"):
            read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")

    def test_rich_inline_text_is_read_as_its_runs(self):
        data = sheet_bytes(["a"], ["x"], title="Sheet")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        start = xml.index('<c r="A2"')
        end = xml.index("</c>", start) + len("</c>")
        rich = '<c r="A2" t="inlineStr"><is><r><t>ab</t></r><r><rPr><b/></rPr><t>c</t></r></is></c>'
        xml = xml[:start] + rich + xml[end:]
        table = read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")
        assert records(table) == [{"a": "abc", "row": 2}]

    def test_sheet_data_far_down_is_refused(self):
        data = sheet_bytes(["a"], ["x"], title="Sheet")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        far = '<row r="1000001"><c r="A1000001" t="inlineStr"><is><t>y</t></is></c></row>'
        xml = xml.replace("</sheetData>", far + "</sheetData>")
        with pytest.raises(InputFileError, match="value in cell A1000001, outside the 1,000,000"):
            read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")

    def test_cells_whose_value_cannot_be_read_are_counted(self, monkeypatch):
        from geo.read import xlsx as reader

        monkeypatch.setattr(reader, "MAX_UNREADABLE", 2)
        rows = "".join(f'<row r="{n}"><c r="A{n}"><v>x{n}</v></c></row>' for n in range(2, 6))
        data = sheet_bytes(["a"], title="Sheet")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        xml = xml.replace("</sheetData>", rows + "</sheetData>")
        with pytest.raises(InputFileError) as info:
            read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")
        assert info.value.problem.message.startswith(
            "Sheet 'Sheet' has more than 2 cells whose value cannot be read (e.g. A4: "
        )

    def test_rows_that_go_back_are_not_read_and_counted(self):
        data = sheet_bytes(["a"], ["x"], ["y"], title="Sheet")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
        again = '<row r="2"><c r="A2" t="inlineStr"><is><t>hidden</t></is></c></row><row r="1"/>'
        xml = xml.replace("</sheetData>", again + "</sheetData>")
        table = read_table(replace_member(data, "xl/worksheets/sheet1.xml", xml.encode()), "a.xlsx")
        assert records(table) == [{"a": "x", "row": 2}, {"a": "y", "row": 3}]
        assert [(p.row, p.value, p.severity) for p in table.problems] == [(0, "2", "warning")]
        assert table.problems[0].message.startswith(
            "1 row(s) of sheet 'Sheet' repeat or go back to an earlier row number in the file "
            "(the first is numbered 2); they are not read."
        )

    def test_a_huge_workbook_part_is_refused_before_it_is_read(self, monkeypatch):
        monkeypatch.setattr(xlsx_module, "MAX_PART_BYTES", 100)
        with pytest.raises(InputFileError, match="The workbook part .* unpacks to 0 MB; at most 0"):
            read_table(sheet_bytes(["a"], ["x"]), "a.xlsx")


# Reading with python-calamine: the XML it reads is the XML checked --------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_of(data: bytes) -> str:
    name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "worksheets/" in n)
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def with_sheet(data: bytes, xml: str) -> bytes:
    name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "worksheets/" in n)
    return replace_member(data, name, xml.encode())


def xml_sheet(rows: str, tail: str = "") -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData>{tail}</worksheet>'


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def with_shared_strings(data: bytes, xml: str, strings: str) -> bytes:
    rels = shared_strings_rels(data)
    data = replace_member(with_sheet(data, xml), "xl/_rels/workbook.xml.rels", rels)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
    return out.getvalue()


class _Refuse:
    @staticmethod
    def from_filelike(*args, **kwargs):
        raise AssertionError("calamine was asked to read the values")


@pytest.fixture
def reader():
    from geo.read import xlsx

    return xlsx


class TestCalamine:
    def test_the_values_are_read_by_calamine(self, monkeypatch, reader):
        import python_calamine

        opened = []

        class Spy:
            @staticmethod
            def from_filelike(stream):
                opened.append(stream)
                return python_calamine.CalamineWorkbook.from_filelike(stream)

        monkeypatch.setattr(reader, "CalamineWorkbook", Spy)
        data = sheet_bytes(["event_id", "date"], ["e1", dt.date(2024, 4, 26)])
        assert records(read_table(data, "a.xlsx")) == [
            {"event_id": "e1", "date": "2024-04-26", "row": 2}
        ]
        assert len(opened) == 1

    def test_shared_strings_plain_and_formatted(self):
        rows = (
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        )
        plain = "<si><t>event_id</t></si><si><t>notes</t></si><si><t>e1</t></si>"
        plain += '<si><t xml:space="preserve"> a &amp; b </t></si>'
        expected = [{"event_id": "e1", "notes": " a & b ", "row": 2}]
        data = sheet_bytes(["x"], title="Sheet")
        assert records(read_table(with_shared_strings(data, xml_sheet(rows), plain))) == expected
        # formatted runs, a phonetic run and a comment: the strings are rewritten first
        formatted = plain.replace(
            "<si><t>e1</t></si>",
            "<!-- runs --><si><r><t>e</t></r><r><rPr><b/></rPr><t>1</t></r>"
            "<rPh sb='0' eb='1'><t>x</t></rPh></si>",
        )
        table = read_table(with_shared_strings(data, xml_sheet(rows), formatted))
        assert records(table) == expected

    def test_a_table_not_at_a1_keeps_the_sheet_rows_and_column_letters(self):
        data = sheet_bytes(
            [], [], [None, None, "event_id", "date"], [None, None, "e1", "2024"],
            [], [None, None, "e2", "2023", None, "stray"],
        )  # fmt: skip
        table = read_table(data, "a.xlsx")
        assert records(table) == [
            {"event_id": "e1", "date": "2024", "row": 4},
            {"event_id": "e2", "date": "2023", "row": 6},
        ]
        [problem] = table.problems
        assert problem.row == 3
        assert problem.message.startswith("Column F has no name in the header row; 1 value")

    def test_dates_times_and_durations(self):
        data = sheet_bytes(
            ["a", "b", "c", "d"],
            [dt.datetime(2024, 4, 26, 0, 0), dt.datetime(2024, 4, 26, 9, 30, 15),
             dt.time(9, 30), dt.timedelta(days=1, hours=2)],
        )  # fmt: skip
        assert records(read_table(data, "a.xlsx")) == [
            {"a": "2024-04-26", "b": "2024-04-26 09:30:15", "c": "09:30:00",
             "d": "1 day, 2:00:00", "row": 2}
        ]  # fmt: skip

    def test_error_values_and_numbers_read_as_before(self):
        rows = (
            '<row r="1">' + "".join(inline(f"{c}1", c.lower()) for c in "ABCDEF") + "</row>"
            '<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2"><v xml:space="preserve"> 5 </v>'
            '</c><c r="C2"><v>1_000</v></c><c r="D2"><v>123456789012345678901</v></c>'
            '<c r="E2" t="b"><v>true</v></c><c r="F2"><v>-2.50</v></c></row>'
        )
        table = read_table(with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows)), "a.xlsx")
        assert records(table) == [
            {"a": "#N/A", "b": "5", "c": "1000", "d": "123456789012345678901", "e": "",
             "f": "-2.5", "row": 2}
        ]  # fmt: skip
        [problem] = table.problems
        assert (problem.row, problem.column) == (2, "e")
        assert problem.message.startswith("Cell E2 holds a value that cannot be read (invalid")

    def test_a_sheet_written_otherwise_reads_the_same(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["event_id", "date", "count", "notes"])
        sheet.append(["e1", dt.date(2024, 4, 26), 60, "=A2"])
        sheet.append(["e2", None, 7.5, "x"])
        sheet.merge_cells("B3:C3")
        data = workbook_bytes(workbook)
        expected = read_table(data, "a.xlsx")
        xml = sheet_of(data)
        prefixed = re.sub(r"<(/?)(\w+)([ />])", r"<\1x:\2\3", xml).replace(
            f'<x:worksheet xmlns="{MAIN}"', f'<x:worksheet xmlns:x="{MAIN}"'
        )
        numbered = xml.index('<row r="3"')  # rows 1 and 2 are full: their cells need no number
        no_numbers = re.sub(r' r="[A-Z]+[0-9]+"', "", xml[:numbered]) + xml[numbered:]
        no_numbers = no_numbers.replace('<row r="2"', "<row")
        quoted = xml.replace('t="n"', "t='n'").replace('t="inlineStr"', "t='inlineStr'")
        assert quoted != xml
        for variant in (prefixed, no_numbers, quoted):
            assert xlsx_module.far_cells(variant.encode()) is None
            table = read_table(with_sheet(data, variant), "a.xlsx")
            assert records(table) == records(expected)
            assert table.problems == expected.problems
        assert xlsx_module.far_cells(xml.encode()) is not None

    def test_cells_far_from_each_other_are_refused_before_reading(self, monkeypatch, reader):
        monkeypatch.setattr(reader, "CalamineWorkbook", _Refuse)
        monkeypatch.setattr(reader, "MAX_RANGE_CELLS", 100)
        rows = '<row r="1">' + inline("A1", "a") + inline("J1", "b") + "</row>"
        rows += '<row r="11">' + inline("A11", "x") + "</row>"  # 11 rows × 10 columns
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows))
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.xlsx")
        assert info.value.problem.message.startswith(
            "Sheet 'S' has cells as far as row 11 and column J: 110 cells from A1, counting the "
            "empty ones; at most 100 are read."
        )
        # a cell numbered beyond its row counts where calamine would put it
        rows = '<row r="1">' + inline("A1", "a") + '</row><row r="2">' + inline("A500", "x")
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows + "</row>"))
        with pytest.raises(InputFileError, match="as far as row 500 and column A"):
            read_table(data, "a.xlsx")

    def test_shared_text_repeated_beyond_the_limit_is_refused_before_reading(
        self, monkeypatch, reader
    ):
        monkeypatch.setattr(reader, "CalamineWorkbook", _Refuse)
        monkeypatch.setattr(reader, "MAX_TEXT_CHARS", 1000)
        rows = '<row r="1">' + inline("A1", "notes") + "</row>"
        rows += "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 52))
        strings = f"<si><t>{'x' * 100}</t></si>"  # 50 cells × 100 = 5,000 > 4 × 1,000
        data = with_shared_strings(sheet_bytes(["x"], title="S"), xml_sheet(rows), strings)
        with pytest.raises(InputFileError, match="holds more than 1,000 characters of text"):
            read_table(data, "a.xlsx")

    def test_a_cell_named_twice_is_not_read(self):
        rows = '<row r="1">' + inline("A1", "a") + '</row><row r="2"><c r="A2" r="XFD2">'
        rows += "<v>1</v></c></row>"
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows))
        with pytest.raises(InputFileError, match="The workbook cannot be read"):
            read_table(data, "a.xlsx")

    def test_a_prefixed_cell_far_right_is_found(self, monkeypatch, reader):
        monkeypatch.setattr(reader, "CalamineWorkbook", _Refuse)
        rows = '<row r="1">' + inline("A1", "a") + '</row><row r="2">'
        rows += f'<y:c xmlns:y="{MAIN}" r="XFD2"><y:v>1</y:v></y:c></row>'
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows))
        with pytest.raises(InputFileError, match="has a value in cell XFD2, outside"):
            read_table(data, "a.xlsx")

    @pytest.mark.parametrize("limit", ["1", "9", "10", "20001", "1000000", "GR", "A", "Z", "AZ"])
    def test_the_regex_of_words_up_to_a_limit(self, limit):
        digits = limit.isdigit()
        alphabet = "0123456789" if digits else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        pattern = re.compile(xlsx_module._up_to(limit, alphabet))
        number = int if digits else xlsx_module.column_number
        words = [str(n) for n in range(1, 3000)] if digits else [
            xlsx_module.column_letters(n) for n in range(1, 1000)
        ]  # fmt: skip
        words += [str(n) for n in (999_999, 1_000_000, 1_000_001)] if digits else []
        for word in words:
            assert bool(pattern.fullmatch(word)) == (number(word) <= number(limit)), word

    def test_odd_attributes_of_a_rewritten_sheet(self):
        rows = '<row r="1">' + inline("A1", "a") + "</row>"
        rows += '<row><c r="A2" s="x" t="n"><v>7</v></c></row>'  # no row number: rewritten
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(rows))
        assert records(read_table(data, "a.xlsx")) == [{"a": "7", "row": 2}]
        wide = '<row r="1">' + inline("A1", "a") + "</row><row>"
        wide += "<c><v>1</v></c>" * 16_385 + "</row>"
        data = with_sheet(sheet_bytes(["x"], title="S"), xml_sheet(wide))
        with pytest.raises(InputFileError, match="cannot be read .*beyond column XFD"):
            read_table(data, "a.xlsx")


def formatted_sheet(header, *rows) -> bytes:
    """A workbook of ``header`` and rows of (value, number format or None) cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        for column, (value, number_format) in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            if number_format is not None:
                cell.number_format = number_format
    return workbook_bytes(workbook)


class TestDatesAsShown:
    """A date cell is read as the text Excel shows: the month or year when it shows no day."""

    @pytest.mark.parametrize(
        ("number_format", "text"),
        [
            ("yyyy-mm", "2023-10"),  # a typed 2023-10
            ("mmm-yy", "2023-10"),  # built-in format 17: a typed Oct 2023 or Oct-23
            ("mmmm yyyy", "2023-10"),
            ("[$-409]mmm yyyy;@", "2023-10"),
            ('yyyy"년" m"월"', "2023-10"),
            ('yyyy"年"m"月"', "2023-10"),
            ("yyyy", "2023"),
            ('yyyy"年"', "2023"),
            ("yyyy-mm-dd", "2023-10-09"),
            ("d-mmm-yy", "2023-10-09"),
            ("dddd, mmmm yyyy", "2023-10-09"),  # a weekday: a day
            ("mm-dd-yy", "2023-10-09"),
            ('yyyy"-"mm"-"dd', "2023-10-09"),
        ],
    )
    def test_a_date_is_read_at_the_precision_its_format_shows(self, number_format, text):
        data = formatted_sheet(
            ["event_id", "date", "notes"],
            [("e1", None), (dt.datetime(2023, 10, 9), number_format), ("x", None)],
        )
        table = read_table(data, "a.xlsx")
        assert records(table) == [{"event_id": "e1", "date": text, "notes": "x", "row": 2}]
        assert table.problems == []

    def test_builtin_month_format_17_is_read_as_the_month(self):
        data = formatted_sheet(["date"], [(dt.date(2023, 10, 1), "mmm-yy")])
        styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
        styles = re.sub("<numFmts.*</numFmts>", "", styles)  # as Excel writes it: no formats
        assert 'numFmtId="17"' in styles and "formatCode" not in styles
        data = replace_member(data, "xl/styles.xml", styles.encode())
        assert records(read_table(data, "a.xlsx")) == [{"date": "2023-10", "row": 2}]

    def test_every_cell_of_a_day_less_style_and_no_other(self):
        data = formatted_sheet(
            ["date", "date_end", "note"],
            [(dt.date(2023, 10, 1), "yyyy-mm"), (dt.date(2024, 1, 1), "yyyy"), ("a", "yyyy")],
            [(dt.date(2023, 10, 9), "yyyy-mm-dd"), (dt.date(2024, 3, 5), "yyyy-mm"),
             (45000, "General")],
            [(2024, "yyyy"), (dt.datetime(2023, 11, 2, 10, 30), "yyyy-mm"), (None, "yyyy")],
        )  # fmt: skip
        assert records(read_table(data, "a.xlsx")) == [
            {"date": "2023-10", "date_end": "2024", "note": "a", "row": 2},
            {"date": "2023-10-09", "date_end": "2024-03", "note": "45000", "row": 3},
            # a number in a date format is the date Excel shows (2024 is 1905-07-16); a time
            # the format does not show is not named either (the month is read)
            {"date": "1905", "date_end": "2023-11", "note": "", "row": 4},
        ]

    def test_many_styles(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["date", "other"])
        for row in range(2, 52):
            cell = sheet.cell(row, 1, dt.date(2000 + row, 10, 1))
            cell.number_format = "yyyy-mm" if row % 2 else "yyyy"
            cell.font = openpyxl.styles.Font(size=6 + row)  # each cell a style of its own
            sheet.cell(row, 2, dt.date(2000 + row, 10, 1)).font = openpyxl.styles.Font(size=6 + row)
        rows = records(read_table(workbook_bytes(workbook), "a.xlsx"))
        assert rows[0] == {"date": "2002", "other": "2002-10-01", "row": 2}
        assert rows[1] == {"date": "2003-10", "other": "2003-10-01", "row": 3}
        assert len(rows) == 50

    def test_a_sheet_written_otherwise_reads_the_same(self):
        data = formatted_sheet(
            ["event_id", "date"], [("e1", None), (dt.date(2023, 10, 1), "yyyy-mm")]
        )
        sheet_xml = sheet_of(data).replace('<row r="2"', "<row")  # not the plain form
        table = read_table(with_sheet(data, sheet_xml), "a.xlsx")
        assert records(table) == [{"event_id": "e1", "date": "2023-10", "row": 2}]

    @pytest.mark.parametrize(
        ("code", "shown"),
        [
            ("yyyy-mm", "month"),
            ("mmm-yy", "month"),
            ("mmmm", "month"),
            ("yyyy", "year"),
            ('e"年"', "year"),
            ("yyyy-mm-dd", None),
            ("yyyy-mm-dd h:mm:ss", None),
            ("h:mm", None),
            ("mm:ss", None),
            ("[h]:mm", None),
            ("[mm]:ss", None),
            ("hh:mm AM/PM", None),
            ("General", None),
            ("0.00", None),
            ('"day "yyyy', "year"),  # quoted text is not a date part
            ("yyyy\\dmm", "month"),  # nor an escaped character
            ("[Red]yyyy-mm;yyyy", "month"),
            ("ge.m.d", None),
        ],
    )
    def test_date_shown(self, code, shown):
        assert date_shown(code) == shown


class TestDateTimes:
    """A date-time in a date column is read as its day; a warning names the date and time."""

    def test_read_as_the_day_with_a_warning(self):
        data = sheet_bytes(
            ["event_id", "일시", "source_published", "notes", "seen"],
            ["e1", dt.datetime(2023, 10, 9, 14, 30), dt.datetime(2023, 10, 10, 8, 0, 5),
             "x", dt.datetime(2023, 10, 9, 14, 30)],
            ["e2", dt.datetime(2023, 10, 9), dt.date(2023, 10, 10), "y", None],
        )  # fmt: skip
        table = read_table(data, "a.xlsx")
        assert records(table) == [
            # another column keeps the time, as before
            {"event_id": "e1", "일시": "2023-10-09", "source_published": "2023-10-10",
             "notes": "x", "seen": "2023-10-09 14:30:00", "row": 2},
            {"event_id": "e2", "일시": "2023-10-09", "source_published": "2023-10-10",
             "notes": "y", "seen": "", "row": 3},
        ]  # fmt: skip
        assert [(p.row, p.column, p.value, p.severity, p.message) for p in table.problems] == [
            (2, "일시", "2023-10-09 14:30:00", "warning",
             "Cell B2 holds the date and time 2023-10-09 14:30:00: it is read as the day "
             "2023-10-09, without its time of day."),
            (2, "source_published", "2023-10-10 08:00:05", "warning",
             "Cell C2 holds the date and time 2023-10-10 08:00:05: it is read as the day "
             "2023-10-10, without its time of day."),
        ]  # fmt: skip

    def test_a_table_not_at_a1_and_many_rows(self):
        rows = [[None, "e", "date"]] + [
            [None, f"e{i}", dt.datetime(2023, 10, 9, 14, 30) if i == 300 else dt.date(2023, 1, 1)]
            for i in range(2, 400)
        ]
        table = read_table(sheet_bytes([], *rows), "a.xlsx")
        [problem] = table.problems
        assert (problem.row, problem.column) == (301, "date")
        assert problem.message.startswith("Cell C301 holds the date and time 2023-10-09 14:30:00")
        assert records(table)[298]["date"] == "2023-10-09"


def test_validated_at_the_precision_shown_and_the_day_of_a_date_time():
    data = formatted_sheet(
        ["event_id", "date", "count", "place_names", "source_url"],
        *[
            [(f"e{i}", None), (value, number_format), (60, None), ("Dandong", None),
             ("https://example.org/a", None)]
            for i, (value, number_format) in enumerate([
                (dt.date(2023, 10, 1), "yyyy-mm"),
                (dt.date(2023, 10, 1), "mmm-yy"),
                (dt.date(2024, 1, 1), "yyyy"),
                (dt.datetime(2023, 10, 9, 14, 30), "yyyy-mm-dd h:mm:ss"),
                (dt.date(2023, 10, 1), "yyyy-mm-dd"),
            ])
        ],
    )  # fmt: skip
    result = load_events(data, "a.xlsx")
    events = result.events
    assert list(events["date_precision"]) == ["month", "month", "year", "day", "day"]
    assert [d.date().isoformat() for d in events["date_start"]] == [
        "2023-10-01", "2023-10-01", "2024-01-01", "2023-10-09", "2023-10-01"
    ]  # fmt: skip
    assert [d.date().isoformat() for d in events["date_end"]] == [
        "2023-10-31", "2023-10-31", "2024-12-31", "2023-10-09", "2023-10-01"
    ]  # fmt: skip
    assert not [p for p in result.problems if p.severity == "error"]
    assert [(p.row, p.value) for p in result.problems if "time of day" in p.message] == [
        (5, "2023-10-09 14:30:00")
    ]
