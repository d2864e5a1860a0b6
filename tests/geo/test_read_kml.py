"""Reading KML and KMZ files (geo.read.kml): placemarks to text cells, and what is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from geo.errors import InputFileError
from geo.read import read_table
from geo.read import zip_scan as zip_checks
from geo.read.html_text import html_to_text
from geo.read.kml import KML_COLUMNS, read_kml
from tests.adversarial.corpus import (
    kml_billion_laughs,
    kml_bytes,
    kml_placemark,
    kmz_bomb,
    kmz_bytes,
    xlsx_bytes,
)

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
LIVE_LINK = "this is a live link, not the layer itself: download the layer"


def refusal(data: bytes, name: str = "layer.kml") -> str:
    with pytest.raises(InputFileError) as info:
        read_table(data, name)
    assert info.value.problem.row == 0
    return info.value.problem.message


def rows(data: bytes, name: str = "layer.kml") -> list[dict]:
    return read_table(data, name).frame.to_dict("records")


# --- the two fixtures: Google My Maps (KMZ) and Google Earth Pro (KML) ----------------------


def test_my_maps_kmz_gives_one_row_per_placemark_with_its_spreadsheet_columns():
    table = read_table(REAL / "google_my_maps_layer.kmz")
    assert table.format == "kmz"
    assert list(table.frame.columns) == [
        *KML_COLUMNS,
        "Date of incident",
        "Event type",
        "Number of people",
        "Source link",
        "Notes",
        "row",
    ]
    first = table.frame.iloc[0].to_dict()
    assert first == {
        "<name>": "Dandong",
        "<description>": "Date of incident: 2023-10-09\nEvent type: forced_return\n"
        "Number of people: about 600\nSource link: https://example.org/fixture/mymaps-1\n"
        "Notes: Test fixture & invented row",
        "<TimeStamp>": "",
        "<TimeSpan begin>": "",
        "<TimeSpan end>": "",
        "<Point lat>": "40.12917",
        "<Point lon>": "124.39472",
        "<Folder>": "Forced returns – test fixture / returns.xlsx",
        "Date of incident": "2023-10-09",
        "Event type": "forced_return",
        "Number of people": "about 600",
        "Source link": "https://example.org/fixture/mymaps-1",
        "Notes": "Test fixture & invented row",
        "row": 1,
    }
    last = table.frame.iloc[-1]
    assert (last["row"], last["<name>"], last["<Folder>"], last["Date of incident"]) == (
        6, "Hoeryong crossing (to check)", "Forced returns – test fixture / Untitled layer", "",
    )  # fmt: skip
    assert table.problems == []


def test_google_earth_kml_reads_times_folders_and_names_the_line():
    table = read_table(REAL / "google_earth_pro.kml")
    assert table.format == "kml"
    frame = table.frame.set_index("<name>")
    # the placemark's own TimeStamp, never the gx:TimeStamp of its LookAt
    assert frame.loc["Hunchun", "<TimeStamp>"] == "2023-10-09T08:00:00+09:00"
    assert frame.loc["Helong", "<TimeStamp>"] == "2023"
    assert frame.loc["Ji'an", ["<TimeSpan begin>", "<TimeSpan end>"]].tolist() == [
        "2024-04",
        "2024-05-15",
    ]
    assert frame.loc["Hunchun", ["<Point lat>", "<Point lon>"]].tolist() == [
        "42.86736",
        "130.35689",
    ]
    assert frame.loc["Ji'an", "<Folder>"] == "Border incidents.kml / Border incidents / 2024"
    assert frame.loc["Helong", "<description>"] == (
        "Test fixture (invented): a detention reported for the year.\n"
        "Report (https://example.org/fixture/earth-2)"
    )
    [line] = table.problems
    assert (line.row, line.severity, line.value) == (4, "error", "LineString")
    assert line.message == (
        "Placemark 4 ('Route along the Tumen') is a line, not a point: only point placemarks "
        "(pins) are read as events; mark the event with a pin and export the layer again."
    )
    assert frame.loc["Route along the Tumen", "<Point lat>"] == ""


# --- namespaces, geometries, ExtendedData ---------------------------------------------------

PLAIN = b"""<kml><Document><Placemark><name>A</name><TimeStamp><when>2024</when></TimeStamp>
<Point><coordinates>124.4,40.1</coordinates></Point></Placemark></Document></kml>"""


@pytest.mark.parametrize(
    "data",
    [
        PLAIN,
        PLAIN.replace(b"<kml>", b'<kml xmlns="http://earth.google.com/kml/2.1">'),
        PLAIN.replace(b"<kml>", b'<k:kml xmlns:k="http://www.opengis.net/kml/2.2">').replace(
            b"</kml>", b"</k:kml>"
        ),
    ],
    ids=["no namespace", "KML 2.1", "prefixed"],
)
def test_namespaces_read_alike(data):
    [row] = rows(data)
    assert (row["<name>"], row["<TimeStamp>"], row["<Point lon>"], row["<Point lat>"]) == (
        "A", "2024", "124.4", "40.1",
    )  # fmt: skip


def placemark(geometry: str, name: str = "P") -> str:
    return f"<Placemark><name>{name}</name>{geometry}</Placemark>"


@pytest.mark.parametrize(
    ("geometry", "value", "says"),
    [
        ("<Polygon><outerBoundaryIs><LinearRing><coordinates>1,2 3,4 1,2</coordinates>"
         "</LinearRing></outerBoundaryIs></Polygon>", "Polygon",
         "is a polygon (an area), not a point"),
        ("", "", "has no location (no Point)"),
        ("<gx:Track><when>2024</when><gx:coord>1 2 0</gx:coord></gx:Track>", "Track",
         "is a track, not a point"),
        ("<MultiGeometry><Point><coordinates>1,2</coordinates></Point><LineString><coordinates>"
         "1,2 3,4</coordinates></LineString></MultiGeometry>", "MultiGeometry",
         "is a MultiGeometry of 2 shape(s), not a point"),
        ("<Point></Point>", "Point", "has a Point without coordinates"),
    ],
)  # fmt: skip
def test_a_placemark_that_is_not_one_point_is_an_error_of_its_row(geometry, value, says):
    table = read_kml(kml_bytes([kml_placemark(), placemark(geometry)]))
    [problem] = table.problems
    assert (problem.row, problem.severity, problem.value) == (2, "error", value)
    assert problem.message.startswith(f"Placemark 2 ('P') {says}: only point placemarks")
    assert len(table.frame) == 2


def test_a_multigeometry_of_one_point_is_that_point():
    geometry = (
        "<MultiGeometry><Point><coordinates>126.1, 41.2, 5</coordinates></Point></MultiGeometry>"
    )
    [row] = rows(kml_bytes([placemark(geometry)]))
    assert (row["<Point lon>"], row["<Point lat>"]) == ("126.1", "41.2")


@pytest.mark.parametrize("coordinates", ["124.4", "124.4,40.1 125,41", "a,b,c,d", ",40.1"])
def test_coordinates_that_are_not_one_tuple_are_named(coordinates):
    table = read_kml(
        kml_bytes([placemark(f"<Point><coordinates>{coordinates}</coordinates></Point>")])
    )
    [problem] = table.problems
    assert (problem.row, problem.value) == (1, coordinates)
    assert "has a Point whose coordinates are not one longitude,latitude[,altitude]" in (
        problem.message
    )


def test_schema_data_and_repeated_names():
    extended = (
        "<ExtendedData><SchemaData schemaUrl='#s'><SimpleData name='date'>2024-04-26</SimpleData>"
        "<SimpleData name='place'>Tumen</SimpleData></SchemaData>"
        "<Data name='place'><displayName>Place</displayName><value>Hunchun</value></Data>"
        "<Data name='row'><value>7</value></Data><Data name='&lt;name&gt;'><value>x</value></Data>"
        "</ExtendedData>"
    )
    table = read_kml(
        kml_bytes([placemark(extended + "<Point><coordinates>1,2</coordinates></Point>")])
    )
    [row] = table.frame.to_dict("records")
    assert (row["date"], row["place"], row["ExtendedData <name>"], row["row"]) == (
        "2024-04-26", "Tumen; Hunchun", "x", 1,
    )  # fmt: skip
    assert [p.message for p in table.problems] == [
        "The column 'row' is not read: that name is reserved for the row number this tool adds. "
        "Rename the column to use it."
    ]


def test_description_written_as_xml_elements_keeps_its_text():
    description = "<description>Seen <b>twice</b><br/>in <i>April</i></description>"
    [row] = rows(
        kml_bytes([placemark(description + "<Point><coordinates>1,2</coordinates></Point>")])
    )
    assert row["<description>"] == "Seen twice\nin April"


def test_live_links_overlays_and_empty_files():
    link = "<NetworkLink><name>Layer</name><Link><href>https://www.google.com/maps/d/kml?mid=x</href></Link></NetworkLink>"
    message = refusal(kml_bytes([link]))
    assert message == (
        f"The file holds 1 NetworkLink(s) and no placemarks: {LIVE_LINK} (Google My Maps: ⋮ → "
        "Export to KML/KMZ, untick 'Keep data up to date'; Google Earth: right-click → Save "
        "Place As… .kmz)."
    )
    overlay = "<GroundOverlay><name>scan</name></GroundOverlay>"
    table = read_kml(kml_bytes([link, overlay, kml_placemark()]))
    assert [(p.row, p.severity, p.message.split(":")[0]) for p in table.problems] == [
        (0, "warning", "The file also holds 1 NetworkLink(s), whose layers are not read"),
        (0, "warning", "The file holds 1 overlay(s) (images laid on the map or the screen); "
                       "they are not read"),
    ]  # fmt: skip
    empty = read_kml(kml_bytes([]))
    assert (len(empty.frame), [p.message for p in empty.problems]) == (
        0,
        ["The file has no placemarks."],
    )
    assert list(empty.frame.columns) == [*KML_COLUMNS, "row"]


# --- formats: extension and sniffing --------------------------------------------------------


def test_formats_by_extension_and_by_content():
    kml = kml_bytes([kml_placemark()])
    assert read_table(kml).format == "kml"  # sniffed: <?xml
    assert read_table(b"  <kml><Document/></kml>").format == "kml"
    assert read_table(kmz_bytes(kml)).format == "kmz"  # a zip holding a .kml
    assert read_table(xlsx_bytes([("a",)])).format == "xlsx"
    assert read_table(kml, "Layer.KMZ").format == "kml"  # a .kmz that is plain KML text
    assert read_table(kmz_bytes(kml), "layer.kml").format == "kmz"


def test_kmz_reads_doc_kml_else_the_first_kml():
    other = kml_bytes([kml_placemark(name="Other")])
    doc = kml_bytes([kml_placemark(name="Doc")])
    assert rows(kmz_bytes(other, "a/first.kml", {"doc.kml": doc}), "x.kmz")[0]["<name>"] == "Doc"
    assert rows(kmz_bytes(other, "files/layer.KML", {"b": b"x"}), "x.kmz")[0]["<name>"] == "Other"


# --- refusals: every one a clear whole-file error -------------------------------------------


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (kml_bytes([kml_placemark()])[:-20],
         "The file is not well-formed XML (unclosed token: line"),
        (b"", "The file is not well-formed XML (no element found"),
        (kml_billion_laughs(), "The file declares XML entities or external references"),
        (kml_bytes([kml_placemark(name="XXE")], '<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
         "The file declares XML entities or external references"),
        (b'<?xml version="1.0"?><gpx><wpt lat="1" lon="2"/></gpx>',
         "The file is XML but not KML: its first element is <gpx>, not <kml>."),
        (b"<kml>" + b"<Folder>" * 101, "The file's XML is nested more than 100 levels deep"),
        (kmz_bytes(b"\x89PNG", "images/icon.png"),
         "The KMZ file holds no .kml document (it holds images/icon.png)"),
        (kmz_bytes(kml_bytes([kml_placemark()]))[:-30], "The KMZ file cannot be read ("),
        (kmz_bomb(5), "The KMZ file part doc.kml unpacks 9"),
    ],
    ids=["cut off", "empty", "billion laughs", "external entity", "gpx", "deep", "no kml",
         "cut zip", "zip bomb"],
)  # fmt: skip
def test_refused_files_say_why(data, start):
    message = refusal(data, "layer.kmz" if data.startswith(b"PK") else "layer.kml")
    assert message.startswith(start), message
    assert message.endswith(
        "Export the layer again: in Google My Maps, ⋮ → Export to KML/KMZ; in Google Earth, "
        "right-click the folder → Save Place As… (.kmz)."
    )


def test_kmz_unpacking_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(zip_checks, "MAX_UNZIPPED_BYTES", 100)
    message = refusal(kmz_bytes(kml_bytes([kml_placemark()])), "layer.kmz")
    assert message.startswith("The KMZ file unpacks to 0 MB; at most 0 MB is accepted.")
    assert message.endswith("Split the layer into smaller files.")


def test_names_and_cells_are_bounded():
    names = [kml_placemark(**{f"c{n}": "x"}) for n in range(200)]
    message = refusal(kml_bytes(names))
    assert message.startswith(
        "The file's placemarks have more than 200 different ExtendedData names (placemark 192 "
        "adds 'c191'); at most 200 distinct columns are read"
    )


def test_long_cells_are_errors_of_their_row():
    table = read_kml(kml_bytes([kml_placemark(notes="x" * 50)]), max_cell_chars=30)
    [problem] = table.problems
    assert (problem.row, problem.column, problem.severity) == (1, "notes", "error")


def test_kmz_members_are_streamed_not_read_whole():
    kml = kml_bytes([kml_placemark(name=f"P{n}") for n in range(2_000)])
    data = kmz_bytes(kml)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("doc.kml").file_size == len(kml)
    assert len(read_table(data, "x.kmz").frame) == 2_000


# --- descriptions: HTML reduced to text ------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Date: 2023-10-09<br>Count: 60<br/>Source: HRW",
         "Date: 2023-10-09\nCount: 60\nSource: HRW"),
        ("<p>One</p><p>Two &amp; three</p>", "One\nTwo & three"),
        ('<a href="https://x.org/a">HRW report</a>', "HRW report (https://x.org/a)"),
        ('<a href="https://x.org/a">https://x.org/a</a>', "https://x.org/a"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<script>alert(1)</script>kept<style>p{}</style>", "kept"),
        ('<img src="https://x.org/p.jpg"><br><br>  spaced   out  ', "spaced out"),
        ("count < 50 & rising", "count < 50 & rising"),
        ("plain\n\n  text  ", "plain\ntext"),
    ],
)  # fmt: skip
def test_html_to_text(html, text):
    assert html_to_text(html) == text
