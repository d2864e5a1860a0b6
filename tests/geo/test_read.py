"""geo.read.read_table: sources, formats, size limit, and never a traceback on any bytes."""

import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.read import MAX_CELL_CHARS, MAX_FILE_BYTES, RawTable, read_table


def test_limits():
    assert (MAX_CELL_CHARS, MAX_FILE_BYTES) == (10_000, 200 * 1024 * 1024)


class TestSources:
    def test_path_and_str_path(self, tmp_path):
        path = tmp_path / "events.csv"
        path.write_bytes(b"a,b\n1,2\n")
        for source in (path, str(path)):
            table = read_table(source)
            assert table.frame.to_dict("records") == [{"a": "1", "b": "2", "row": 2}]

    def test_filename_overrides_the_path_name(self, tmp_path):
        path = tmp_path / "upload.bin"
        path.write_bytes(json.dumps({"type": "FeatureCollection", "features": []}).encode())
        assert read_table(path, "events.geojson").format == "geojson"

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputFileError) as info:
            read_table(tmp_path / "nope.csv")
        assert "nope.csv cannot be opened" in info.value.problem.message

    @pytest.mark.parametrize(
        ("name", "fmt"),
        [
            ("a.CSV", "csv"),
            ("a.txt", "csv"),
            ("a.tsv", "csv"),
            ("a.json", "geojson"),
            ("a.GeoJSON", "geojson"),
        ],
    )
    def test_format_from_extension(self, name, fmt):
        data = b'{"type": "FeatureCollection", "features": []}' if fmt == "geojson" else b"a\n1\n"
        assert read_table(data, name).format == fmt

    def test_xlsx_extension(self):
        workbook = openpyxl.Workbook()
        workbook.active.append(["a"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert read_table(buffer.getvalue(), "Events.XLSX").format == "xlsx"

    def test_unknown_extension(self):
        with pytest.raises(InputFileError) as info:
            read_table(b"a\n1\n", "events.xls")
        problem = info.value.problem
        assert (problem.row, problem.value) == (0, "events.xls")
        assert (
            "Accepted: CSV (.csv, .tsv, .txt), Excel (.xlsx), GeoJSON (.geojson, .json), "
            "KML/KMZ (.kml, .kmz: Google My Maps, Google Earth) or Parquet (.parquet, "
            ".geoparquet)." in problem.message
        )

    def test_sniffed_csv(self):
        assert read_table(b"a;b\n1;2\n").format == "csv"


def test_file_size_limit(tmp_path):
    data = b"a,b\n" + b"11,22\n" * 180_000  # 1.03 MiB
    with pytest.raises(InputFileError, match="The file is 1 MB; at most 1 MB is accepted"):
        read_table(data, max_bytes=2**20)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match="The file is 1 MB; at most 1 MB is accepted"):
        read_table(path, max_bytes=2**20)
    assert len(read_table(path, max_bytes=2 * 2**20).frame) == 180_000


def check_table(table: RawTable) -> None:
    frame = table.frame
    assert list(frame.columns)[-1] == "row"
    assert str(frame["row"].dtype) == "int64"
    cells = frame.drop(columns="row")
    assert all(isinstance(value, str) for value in cells.to_numpy().ravel())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from([None, "a.csv", "a.geojson", "a.xlsx"]))
def test_any_bytes_give_a_table_or_an_input_file_error(data, name):
    try:
        table = read_table(data, name)
    except InputFileError as exc:
        assert exc.problem.row == 0 and exc.problem.message
    else:
        check_table(table)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=8), max_size=5),
        max_size=6,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_text_table_gives_a_table_or_an_input_file_error(rows, delimiter, encoding):
    text = "\n".join(delimiter.join(cells) for cells in rows)
    try:
        table = read_table(text.encode(encoding), "a.csv")
    except InputFileError as exc:
        assert exc.problem.row == 0 and exc.problem.message
    else:
        check_table(table)
