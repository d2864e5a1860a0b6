"""KML and KMZ end to end: XML and zip bombs, live links, hostile text, broken coordinates."""

import pytest

from geo.validate import load_events
from tests.adversarial.corpus import (
    HOSTILE,
    kml_billion_laughs,
    kml_bytes,
    kml_placemark,
    kmz_bomb,
    kmz_bytes,
)

EXPORT = (
    "Export the layer again: in Google My Maps, ⋮ → Export to KML/KMZ; in Google Earth, "
    "right-click the folder → Save Place As… (.kmz)."
)
NETWORK_LINK = (
    "<NetworkLink><name>Returns (live)</name><Link><href>https://www.google.com/maps/d/kml?"
    "mid=1abc&amp;forcekml=1</href><refreshMode>onInterval</refreshMode></Link></NetworkLink>"
)


def refused(data: bytes, name: str) -> str:
    result = load_events(data, name)
    assert (result.rows, result.valid) == (0, 0)
    [problem] = result.problems
    assert (problem.row, problem.severity) == (0, "error")
    return problem.message


@pytest.mark.parametrize(
    ("data", "name", "start"),
    [
        (kml_billion_laughs(), "bomb.kml",
         "The file declares XML entities or external references (<!ENTITY …>)"),
        (kmz_bytes(kml_billion_laughs()), "bomb.kmz",
         "The file declares XML entities or external references (<!ENTITY …>)"),
        (kml_bytes([kml_placemark(name="&xxe;")], '<!DOCTYPE kml [<!ENTITY xxe SYSTEM '
                   '"file:///etc/passwd">]>\n').replace(b"&amp;xxe;", b"&xxe;"), "xxe.kml",
         "The file declares XML entities or external references"),
        (kmz_bomb(20), "bomb.kmz", "The KMZ file part doc.kml unpacks"),
        (kmz_bytes(b"<html></html>", "index.html"), "site.kmz",
         "The KMZ file holds no .kml document (it holds index.html)"),
        (kmz_bytes(kml_bytes([NETWORK_LINK])), "live.kmz",
         "The file holds 1 NetworkLink(s) and no placemarks: this is a live link, not the layer"),
        (kml_bytes([kml_placemark()]).replace(b"</Document>", b""), "cut.kml",
         "The file is not well-formed XML (mismatched tag: line"),
        (b"PK\x03\x04" + b"\0" * 100, "broken.kmz", "The KMZ file cannot be read ("),
    ],
    ids=["billion laughs", "billion laughs in a KMZ", "external entity", "zip bomb", "no kml",
         "live link", "malformed", "broken zip"],
)  # fmt: skip
def test_hostile_and_broken_files_are_refused_with_a_reason(data, name, start):
    message = refused(data, name)
    assert message.startswith(start), message
    assert "Traceback" not in message


def test_a_live_link_only_file_says_how_to_get_the_layer():
    message = refused(kml_bytes([NETWORK_LINK]), "live.kml")
    assert message.endswith(
        "download the layer (Google My Maps: ⋮ → Export to KML/KMZ, untick 'Keep data up to "
        "date'; Google Earth: right-click → Save Place As… .kmz)."
    )
    assert EXPORT not in message


#: The hostile texts an XML file can hold (XML 1.0 has no control characters but tab and
#: line breaks).
XML_HOSTILE = [t for t in HOSTILE if not any(ord(c) < 32 and c != "\t" for c in t)]


def test_hostile_text_stays_text():
    placemarks = [
        kml_placemark(name=text, notes=text, when=f"2024-04-{n + 1:02d}")
        for n, text in enumerate(XML_HOSTILE)
    ]
    result = load_events(kml_bytes(placemarks), "hostile.kml")
    assert result.valid == len(XML_HOSTILE) == len(HOSTILE) - 1
    assert result.events["location_text"].tolist() == [t.strip() for t in XML_HOSTILE]
    assert result.events["notes"].tolist() == [f"{t.strip()}; Folder: Test" for t in XML_HOSTILE]


def test_a_control_character_is_not_xml():
    placemark = kml_placemark(name="bell")
    message = refused(kml_bytes([placemark.replace("bell", "\u0007bell")]), "bell.kml")
    assert message.startswith("The file is not well-formed XML (not well-formed (invalid token)")


def test_scripts_in_a_description_are_dropped_not_run():
    description = (
        "<description><![CDATA[<script>window.__pwned=1</script><img src=x onerror=alert(1)>"
        "Seen at the crossing<br><a href=\"javascript:alert(2)\">link</a>]]></description>"
    )
    data = kml_bytes([kml_placemark().replace("<ExtendedData>", description + "<ExtendedData>")])
    [event] = load_events(data, "a.kml").events.itertuples()
    assert event.notes == "Seen at the crossing\nlink; Folder: Test"


@pytest.mark.parametrize("coordinates", ["nan,nan", "1e400,1e400", "124.4;40.1", "0,0"])
def test_unusable_coordinates_are_named_not_mapped(coordinates):
    data = kml_bytes([kml_placemark().replace("124.38,40.12,0", coordinates)])
    result = load_events(data, "a.kml")
    assert result.valid == 0
    assert [p.row for p in result.problems if p.severity == "error"][:1] == [1]


def test_a_long_description_is_an_error_of_its_row():
    long = kml_placemark().replace(
        "<ExtendedData>", f"<description>{'x' * 10_001}</description><ExtendedData>"
    )
    result = load_events(kml_bytes([kml_placemark(), long]), "a.kml")
    assert result.events["row"].tolist() == [1]
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.row, problem.column) == (2, "<description>")
