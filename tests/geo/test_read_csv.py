"""geo.read on delimited text: delimiters, row numbers, field counts, headers, limits."""

import pytest

from geo.errors import InputFileError
from geo.read import read_table
from geo.read.csv import read_csv, sniff_delimiter


def records(table):
    return table.frame.to_dict("records")


def messages(table):
    return [(p.row, p.column, p.severity, p.message) for p in table.problems]


class TestCells:
    def test_every_cell_is_text_as_written(self):
        data = b"event_id,count,note,code\ne1,007,N/A,NA\ne2,,None,null\n"
        table = read_table(data, "events.csv")
        assert records(table) == [
            {"event_id": "e1", "count": "007", "note": "N/A", "code": "NA", "row": 2},
            {"event_id": "e2", "count": "", "note": "None", "code": "null", "row": 3},
        ]
        assert table.problems == []
        assert table.format == "csv"
        assert table.encoding == "utf-8"
        assert all(isinstance(v, str) for v in table.frame.drop(columns="row").to_numpy().ravel())
        assert str(table.frame["row"].dtype) == "int64"

    def test_header_cells_are_stripped_values_are_not(self):
        table = read_table(b" event_id ,\tcount \n e1 ,60\n", "a.csv")
        assert list(table.frame.columns) == ["event_id", "count", "row"]
        assert table.frame.loc[0, "event_id"] == " e1 "

    def test_quoted_cells_with_delimiters_quotes_and_newlines(self):
        data = b'id,note\n1,"Dandong, Liaoning"\n2,"said ""about 60"""\n3,"two\nlines"\n4,x\n'
        table = read_table(data, "a.csv")
        assert records(table) == [
            {"id": "1", "note": "Dandong, Liaoning", "row": 2},
            {"id": "2", "note": 'said "about 60"', "row": 3},
            {"id": "3", "note": "two\nlines", "row": 4},
            {"id": "4", "note": "x", "row": 5},
        ]

    @pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
    def test_line_endings(self, newline):
        data = newline.join([b"a,b", b"1,2", b'3,"x' + newline + b'y"', b""])
        table = read_table(data, "a.csv")
        assert records(table) == [
            {"a": "1", "b": "2", "row": 2},
            {"a": "3", "b": "x" + newline.decode() + "y", "row": 3},
        ]

    def test_blank_records_are_skipped_but_counted(self):
        table = read_table(b"a,b\n1,2\n\n,\n3,4\n,\n", "a.csv")
        assert records(table) == [{"a": "1", "b": "2", "row": 2}, {"a": "3", "b": "4", "row": 5}]
        assert table.problems == []


class TestDelimiters:
    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (b"a,b,c\n1,2,3\n", ","),
            (b"a;b;c\n1;2,5;3\n", ";"),
            (b"a\tb\tc\n1\t2, 3\t4\n", "\t"),
            (b'place;note\n"Hyesan";"a, b, c, d"\n', ";"),
            (b"only\nx\n", ","),
        ],
    )
    def test_sniffed(self, data, expected):
        assert sniff_delimiter(data.decode()) == expected

    def test_header_only_uses_header_counts(self):
        assert sniff_delimiter("event_id;date;count\n") == ";"

    def test_semicolon_file_with_decimal_commas(self):
        table = read_table(b"id;lat;lon\n1;40,1;124,4\n2;41,0;125,0\n", "a.csv")
        assert records(table)[0] == {"id": "1", "lat": "40,1", "lon": "124,4", "row": 2}

    @pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
    def test_excel_sep_line(self, bom):
        table = read_table(bom + b"sep=;\r\na;b,c\r\n1;2,5\r\n", "a.csv")
        assert records(table) == [{"a": "1", "b,c": "2,5", "row": 2}]
        assert table.problems == []

    def test_tsv(self):
        table = read_table(b"id\tnote\n1\tDandong, Liaoning\n", "a.tsv")
        assert records(table) == [{"id": "1", "note": "Dandong, Liaoning", "row": 2}]


class TestFieldCounts:
    def test_short_row_is_padded_with_a_warning(self):
        table = read_table(b"a,b,c\n1,2,3\n4\n", "a.csv")
        assert records(table)[1] == {"a": "4", "b": "", "c": "", "row": 3}
        assert messages(table) == [
            (
                3,
                "",
                "warning",
                "Row 3 has 1 field, header has 3; the missing cells at the end are read as empty.",
            )
        ]

    def test_extra_fields_are_an_error_naming_the_row(self):
        table = read_table(b"a,b\n1,2\n3,4,5\n6,7\n", "a.csv")
        assert [r["row"] for r in records(table)] == [2, 3, 4]
        [problem] = table.problems
        assert (problem.row, problem.severity) == (3, "error")
        assert "Row 3 has 3 fields, header has 2" in problem.message

    def test_row_numbers_count_records_not_lines(self):
        table = read_table(b'a,b\n1,"x\ny\nz"\n2,3,4\n', "a.csv")
        [problem] = table.problems
        assert problem.row == 3
        assert records(table)[1]["row"] == 3

    def test_trailing_delimiter_on_every_row_is_tolerated_once(self):
        table = read_table(b"a,b\n1,2,\n3,4,\n", "a.csv")
        assert records(table) == [{"a": "1", "b": "2", "row": 2}, {"a": "3", "b": "4", "row": 3}]
        assert [(p.row, p.severity) for p in table.problems] == [(0, "warning")]
        assert "extra empty field" in table.problems[0].message

    def test_trailing_delimiter_on_some_rows_is_an_error(self):
        table = read_table(b"a,b\n1,2,\n3,4\n", "a.csv")
        assert [(p.row, p.severity) for p in table.problems] == [(2, "error")]
        assert "has 3 fields, header has 2" in table.problems[0].message

    def test_trailing_delimiter_on_header_and_rows(self):
        table = read_table(b"a,b,\n1,2,\n3,4,\n", "a.csv")
        assert records(table) == [{"a": "1", "b": "2", "row": 2}, {"a": "3", "b": "4", "row": 3}]
        assert table.problems == []


class TestHeader:
    def test_duplicate_names_keep_the_first_and_name_both(self):
        table = read_table(b"date,count, date\n2024,60,2023\n", "a.csv")
        assert records(table) == [{"date": "2024", "count": "60", "row": 2}]
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (1, "date", "error")
        assert "Column 1 and column 3 are both named 'date'" in problem.message

    def test_unnamed_column_with_values_is_reported(self):
        table = read_table(b"a,,b\n1,x,2\n3,y,4\n", "a.csv")
        assert list(table.frame.columns) == ["a", "b", "row"]
        [problem] = table.problems
        assert problem.severity == "warning"
        assert "Column 2 has no name in the header row; 2 values in it are not read" in (
            problem.message
        )

    def test_reserved_row_column(self):
        table = read_table(b"row,a\n1,x\n", "a.csv")
        assert records(table) == [{"a": "x", "row": 2}]
        assert table.problems[0].column == "row"

    def test_header_only_is_a_warning(self):
        table = read_table(b"event_id,date\n", "a.csv")
        assert list(table.frame.columns) == ["event_id", "date", "row"]
        assert len(table.frame) == 0
        assert messages(table) == [(0, "", "warning", "The file has a header row but no records.")]

    @pytest.mark.parametrize("data", [b"", b"\n\n", b"  \n", b",,\n1,2,3\n"])
    def test_empty_file_is_refused(self, data):
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.csv")
        assert info.value.problem.row == 0
        assert "must name the columns" in info.value.problem.message


class TestLimits:
    def test_more_records_than_the_former_limit_are_read(self):
        # 250,000 records: the 200,000-record limit is gone; bytes and time bound a file.
        data = b"a,b\n" + b"".join(b"%d,x\n" % n for n in range(250_000))
        table = read_csv(data, "utf-8")
        assert len(table.frame) == 250_000
        assert table.frame["row"].iloc[-1] == 250_001

    def test_long_cell_is_an_error_naming_it(self):
        table = read_csv(b"a,b\nshort," + b"x" * 21 + b"\n", "utf-8", max_cell_chars=20)
        [problem] = table.problems
        assert (problem.row, problem.column, problem.severity) == (2, "b", "error")
        assert "21 characters; at most 20" in problem.message

    def test_unclosed_quote_is_refused_naming_the_row(self):
        with pytest.raises(InputFileError) as info:
            read_table(b'a,b\n1,x\n2,"open\n3,3\n4,4\n', "a.csv")
        assert "Row 3 opens a quote" in info.value.problem.message

    def test_unclosed_quote_before_a_huge_remainder_names_the_row(self):
        data = b'a,b\n1,x\n2,"open\n' + b"more text\n" * 20_000
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.csv")
        message = info.value.problem.message
        assert message.startswith("Row 3 cannot be read (field larger than field limit")
        assert 'a quote (") may be left open in it' in message

    def test_stray_quote_inside_a_cell_is_text(self):
        table = read_table(b'a,b\n1,5" tall\n2,"two\nlines"\n', "a.csv")
        assert records(table) == [
            {"a": "1", "b": '5" tall', "row": 2},
            {"a": "2", "b": "two\nlines", "row": 3},
        ]


class TestWorkBudgets:
    def test_cells_packed_in_chunks_read_as_one_column(self, monkeypatch):
        from geo.read import common

        data = b"a,b\n" + b"".join(b"%d,x%d\n" % (n, n) for n in range(7)) + b"last\n"
        whole = read_table(data, "a.csv")
        monkeypatch.setattr(common, "CHUNK_ROWS", 2)
        chunked = read_table(data, "a.csv")
        assert records(chunked) == records(whole)
        assert records(chunked)[-1] == {"a": "last", "b": "", "row": 9}
        assert chunked.frame["a"].dtype == whole.frame["a"].dtype
        assert messages(chunked) == messages(whole)

    def test_more_named_columns_than_the_limit(self):
        header = ",".join(f"c{n}" for n in range(199)) + ",c0,,"  # 200 names: one repeated
        table = read_table((header + "\n" + "x," * 200 + "\n").encode(), "a.csv")
        assert len(table.frame.columns) == 200  # 199 columns and row
        with pytest.raises(InputFileError, match="The header row names 201 columns; at most 200"):
            read_table((header + ",c199\nx\n").encode(), "a.csv")

    def test_cells_each_costing_a_byte_are_read_past_the_floor(self, monkeypatch):
        from geo.read import common

        monkeypatch.setattr(common, "MAX_CELLS", 6)
        table = read_table(b"a,b\n1,2\n3,4\n5,6\n7,8\n", "a.csv")  # 8 cells in 20 bytes
        assert table.frame["b"].tolist() == ["2", "4", "6", "8"]

    def test_cells_are_limited_by_the_bytes_of_the_file_when_more_than_the_floor(self, monkeypatch):
        # Short rows padded to the header's width make cells that cost no bytes.
        from geo.read import common

        monkeypatch.setattr(common, "MAX_CELLS", 6)
        data = b"a,b,c,d,e,f,g,h,i,j\n" + b"1\n" * 5
        with pytest.raises(InputFileError, match="more than 30 cells"):
            read_table(data, "a.csv")

    def test_the_sniffer_sees_the_start_only(self):
        # A semicolon file whose header line is longer than the sniffer's sample.
        header = ";".join(f"column_{n}" for n in range(1_000))
        assert sniff_delimiter(header + "\n" + "1;" * 999 + "1\n") == ";"


class TestArrowParser:
    """Regular files are split by Arrow's parser; it must read exactly what csv.reader reads."""

    CELLS = ["", "a", "b c", '"q"', '"x,y"', 'a"b', '"dbl""q"', ' "s', "é", "丹东", '"ab"c', "1;2"]

    def _file(self, rng, width):
        newline = rng.choice(["\n", "\r\n", "\r"])
        delimiter = rng.choice([",", ",", ";"])
        lines = ["sep=;"] if delimiter == ";" and rng.random() < 0.3 else []
        lines.append(delimiter.join(f"h{n}" for n in range(width)))
        for _ in range(rng.randint(0, 6)):
            fields = width + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
            cells = [rng.choice(self.CELLS) for _ in range(max(fields, 0))]
            if cells and rng.random() < 0.08:  # a line break or an open quote in a cell
                at = rng.randrange(len(cells))
                cells[at] = rng.choice(['"two\nlines"', '"two\r\nlines"', '"open', '"x\r'])
            lines.append(delimiter.join(cells))
        return (newline.join(lines) + (newline if rng.random() < 0.8 else "")).encode()

    def _read(self, data):
        try:
            table = read_csv(data, "utf-8")
        except InputFileError as err:
            return err.problem.message
        return records(table), messages(table)

    def test_same_cells_rows_and_problems_as_the_record_reader(self, monkeypatch):
        import random

        from geo.read import csv as csv_reader

        rng = random.Random(15)
        files = [self._file(rng, rng.randint(1, 4)) for _ in range(600)]
        arrow_read = csv_reader._arrow_columns
        used = []
        monkeypatch.setattr(
            csv_reader, "_arrow_columns", lambda *a: used.append(arrow_read(*a)) or used[-1]
        )
        fast = [self._read(data) for data in files]
        monkeypatch.setattr(csv_reader, "_arrow_columns", lambda *a: None)
        slow = [self._read(data) for data in files]
        for data, got, expected in zip(files, fast, slow, strict=True):
            assert got == expected, data
        assert sum(columns is not None for columns in used) > 300  # most files went fast

    def test_a_regular_file_is_not_read_record_by_record(self, monkeypatch):
        from geo.read import csv as csv_reader

        monkeypatch.setattr(csv_reader, "_fill", None)  # the record reader would fail
        table = read_csv(b'a,b\n1,"x, y"\n\n2,\n', "utf-8")
        assert records(table) == [{"a": "1", "b": "x, y", "row": 2}, {"a": "2", "b": "", "row": 4}]
