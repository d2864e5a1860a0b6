"""Read a KML document or a KMZ archive (Google My Maps, Google Earth) into a ``RawTable``.

Each ``<Placemark>`` is a row (``row`` = placemark index + 1, in document order, wherever it
sits in Documents and Folders). Its cells are the KML's own elements, in the columns
``KML_COLUMNS``, then one column per ``ExtendedData`` name (``<Data name=…><value>`` and
``<SchemaData><SimpleData name=…>``, first-seen order), so a My Maps layer made from a
spreadsheet gives its columns back:

- ``<name>`` and ``<description>`` (its HTML reduced to plain text by
  :func:`geo.read.html_text.html_to_text`);
- ``<TimeStamp>`` (``when``), ``<TimeSpan begin>``, ``<TimeSpan end>``, as written: only the
  placemark's own time, never that of its view (``LookAt``/``Camera``);
- ``<Point lat>``, ``<Point lon>`` from the Point's ``lon,lat[,alt]`` (a ``MultiGeometry``
  holding exactly one Point counts as that Point);
- ``<Folder>``: the names of the Document and Folders around it, joined with `` / ``.

A placemark that is not one point (a line, a polygon, a track, several shapes, no geometry) or
whose Point is not one ``lon,lat[,alt]`` is an error of its row, as is one giving values for
two ExtendedData names that mean one schema column (``인원`` and ``Number of people``): the
rule of a CSV file's headers (:func:`geo.read.columns.placemark_names`), applied per
placemark, since each layer of a map has its own names. Elements are matched by their
local name, so KML 2.2, 2.1, the ``gx:`` extensions and files without a namespace read alike.

The XML is parsed with defusedxml (an entity declaration, the way of an "XML bomb", or an
external reference refuses the file) and streamed: every element is dropped once it has ended,
so memory holds one placemark's values, not the document; nesting deeper than ``MAX_DEPTH`` is
refused. A KMZ is checked as a workbook is (``geo.read.xlsx_scan``: zip directory, parts,
compression ratio, unpacked size) before its document (``doc.kml``, else the first ``.kml``) is
streamed. A file whose only content is ``NetworkLink``s is refused: it is a live link to a
layer, not the layer.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from html import escape
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from geo.budget import check_time
from geo.errors import InputFileError, Problem
from geo.parse import shorten
from geo.read.columns import placemark_names
from geo.read.common import (
    MAX_CELL_CHARS,
    RESERVED,
    Format,
    RawTable,
    SparseColumns,
    file_error,
    long_cells,
    reserved_problem,
)
from geo.read.html_text import html_to_text
from geo.read.kml_columns import BEGIN, DESCRIPTION, END, FOLDER, KML_COLUMNS, LAT, LON, NAME, WHEN
from geo.read.zip_scan import ZipKind, check_archive, check_directory

__all__ = ["KML_COLUMNS", "is_kmz", "read_kml"]

#: Deepest element nesting read (a KML layer needs about ten levels).
MAX_DEPTH = 100

EXPORT = (
    "Export the layer again: in Google My Maps, ⋮ → Export to KML/KMZ; in Google Earth, "
    "right-click the folder → Save Place As… (.kmz)."
)
KMZ = ZipKind("KMZ file", EXPORT, "Split the layer into smaller files.")
LIVE_LINK = (
    "this is a live link, not the layer itself: download the layer (Google My Maps: ⋮ → "
    "Export to KML/KMZ, untick 'Keep data up to date'; Google Earth: right-click → Save Place "
    "As… .kmz)"
)
_ONLY_POINTS = (
    "only point placemarks (pins) are read as events; mark the event with a pin and export "
    "the layer again."
)
#: Geometries by local name, as messages word them.
_SHAPES = {
    "Point": "a point",
    "LineString": "a line",
    "LinearRing": "a closed line (LinearRing)",
    "Polygon": "a polygon (an area)",
    "Model": "a 3D model",
    "Track": "a track",
    "MultiTrack": "a set of tracks",
}
#: One ``lon,lat[,alt]`` tuple; spaces next to its commas are allowed (people write them).
_COORDINATES = re.compile(r"\s*(?P<lon>[^\s,]+)\s*,\s*(?P<lat>[^\s,]+)\s*(?:,\s*[^\s,]+\s*)?")
_CONTAINERS = frozenset({"Document", "Folder"})
_OVERLAYS = frozenset({"GroundOverlay", "PhotoOverlay", "ScreenOverlay"})
# What a damaged archive makes zipfile or zlib raise (encrypted members raise RuntimeError,
# unknown compression methods NotImplementedError).
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def read_kml(data: bytes, *, max_cell_chars: int = MAX_CELL_CHARS) -> RawTable:
    """Read the placemarks of a KML document, or of a KMZ archive (a zip, told by its bytes).

    Parameters
    ----------
    data : bytes
        The whole file.
    max_cell_chars : int
        The longest cell; a longer one is an error Problem.

    Returns
    -------
    RawTable
        ``format="kml"`` or ``"kmz"``; the columns ``KML_COLUMNS`` then the ExtendedData
        names. Problems name each placemark that is not one point (error) and say when
        overlays or live links are not read (warning).

    Raises
    ------
    geo.errors.InputFileError
        Not well-formed XML, an entity declaration or external reference, not KML, nesting
        deeper than ``MAX_DEPTH``, only NetworkLinks, a damaged KMZ or one without a ``.kml``
        document, a zip bomb, more than ``MAX_COLUMNS`` columns or ``MAX_CELLS`` cells.
    """
    if not data.startswith(b"PK\x03\x04"):
        return _read(io.BytesIO(data), "kml", max_cell_chars)
    check_directory(data, KMZ)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, KMZ)
            with archive.open(_document(archive)) as stream:
                return _read(stream, "kmz", max_cell_chars)
    except (*_BROKEN_ZIP, ValueError) as exc:
        raise file_error(f"The KMZ file cannot be read ({exc}). {EXPORT}") from exc


def is_kmz(data: bytes) -> bool:
    """Return whether ``data`` is a zip archive holding a ``.kml`` document and no workbook."""
    try:
        check_directory(data, KMZ)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (InputFileError, *_BROKEN_ZIP, ValueError, OSError):
        return False
    return "xl/workbook.xml" not in names and any(n.lower().endswith(".kml") for n in names)


def _document(archive: zipfile.ZipFile) -> str:
    """Return the KMZ's document: ``doc.kml``, else the first ``.kml`` in the archive."""
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if "doc.kml" in names:
        return "doc.kml"
    found = next((name for name in names if name.lower().endswith(".kml")), None)
    if found is None:
        listed = ", ".join(shorten(name, 40) for name in names[:5]) or "nothing"
        raise file_error(
            f"The KMZ file holds no .kml document (it holds {listed}): it is not a map layer. "
            f"{EXPORT}",
            listed,
        )
    return found


def _read(stream: IO[bytes], fmt: Format, max_cell_chars: int) -> RawTable:
    reader = _Reader()
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            reader.take(event == "start", element)
    except DefusedXmlException as exc:
        raise file_error(
            "The file declares XML entities or external references (<!ENTITY …>), which KML "
            "never needs and which can make a small file expand without limit (an 'XML "
            f"bomb'): it is not read. {EXPORT}",
            type(exc).__name__,
        ) from exc
    except (ParseError, ValueError) as exc:
        raise file_error(
            f"The file is not well-formed XML ({exc}): it may be cut off or damaged. {EXPORT}"
        ) from exc
    return reader.finish(fmt, max_cell_chars)


class _Placemark:
    """What one placemark gives, gathered as its elements end."""

    def __init__(self, folder: str) -> None:
        self.cells: dict[str, str] = dict.fromkeys(KML_COLUMNS, "")
        self.cells[FOLDER] = folder
        self.shapes: list[str] = []  # its own geometries (one, in valid KML)
        self.parts: list[str] = []  # the shapes inside a MultiGeometry
        self.points: list[str] = []  # the coordinates of its Points

    def data(self, name: str | None, value: str) -> None:
        if not name:
            return
        if name in KML_COLUMNS:  # written like one of the reader's own columns
            name = f"ExtendedData {name}"
        before = self.cells.get(name)
        self.cells[name] = f"{before}; {value}" if before else value


class _Reader:
    """Placemarks collected from the stream of XML start and end events."""

    def __init__(self) -> None:
        self.table = SparseColumns("placemark", "ExtendedData names")
        self.problems: list[Problem] = []
        self.links = 0
        self.overlays = 0
        self._stack: list[tuple[str, Element]] = []
        self._folders: list[str] = []
        self._placemark: _Placemark | None = None
        self._depth = 0  # the placemark's depth in the stack

    def take(self, start: bool, element: Element) -> None:
        """Take one ``iterparse`` event."""
        if start:
            self._start(_local(element.tag), element)
            return
        tag = self._stack[-1][0]
        path = [t for t, _ in self._stack[self._depth + 1 :]] if self._placemark else []
        if path:
            self._placemark_element(path, element)
        elif self._placemark is not None:  # the placemark itself ends
            self._finish_placemark()
        elif tag == "name" and len(self._stack) > 1 and self._stack[-2][0] in _CONTAINERS:
            self._folders[-1] = (element.text or "").strip()
        if tag in _CONTAINERS and self._placemark is None:
            self._folders.pop()
        self._stack.pop()
        if "description" in path[:-1]:
            return  # HTML written as XML: the description reads its text when it ends
        element.clear()
        if self._stack:
            self._stack[-1][1].remove(element)

    def _start(self, tag: str, element: Element) -> None:
        if not self._stack and tag != "kml":
            raise file_error(
                f"The file is XML but not KML: its first element is <{shorten(tag, 40)}>, not "
                f"<kml>. {EXPORT}",
                tag,
            )
        self._stack.append((tag, element))
        if len(self._stack) > MAX_DEPTH:
            raise file_error(
                f"The file's XML is nested more than {MAX_DEPTH} levels deep (a KML layer needs "
                f"about 10): it looks malformed or malicious. {EXPORT}"
            )
        if self._placemark is not None:
            return
        if tag in _CONTAINERS:
            self._folders.append("")
        elif tag == "Placemark":
            check_time()
            self._placemark = _Placemark(" / ".join(name for name in self._folders if name))
            self._depth = len(self._stack) - 1
        elif tag == "NetworkLink":
            self.links += 1
        elif tag in _OVERLAYS:
            self.overlays += 1

    def _placemark_element(self, path: list[str], element: Element) -> None:
        """Keep what an element that ended inside the placemark gives (``path`` leads to it)."""
        mark = self._placemark
        assert mark is not None
        text = (element.text or "").strip()
        tag = path[-1]
        if path in (["name"], ["TimeStamp", "when"], ["TimeSpan", "begin"], ["TimeSpan", "end"]):
            column = {"name": NAME, "when": WHEN, "begin": BEGIN, "end": END}[tag]
            mark.cells[column] = text
        elif path == ["description"]:
            html = _markup(element) if len(element) else element.text or ""
            mark.cells[DESCRIPTION] = html_to_text(html)
        elif path[0] == "ExtendedData" and path[-2:] == ["Data", "value"]:
            mark.data(self._stack[-2][1].get("name"), text)
        elif path[0] == "ExtendedData" and tag == "SimpleData":
            mark.data(element.get("name"), text)
        elif len(path) == 1 and (tag in _SHAPES or tag == "MultiGeometry"):
            mark.shapes.append(tag)
        elif path[0] == "MultiGeometry" and tag in _SHAPES:
            mark.parts.append(tag)
        if tag == "coordinates" and path[-2:-1] == ["Point"]:
            mark.points.append(text)

    def _finish_placemark(self) -> None:
        mark = self._placemark
        assert mark is not None
        self._placemark = None
        number = self.table.count + 1
        name = mark.cells[NAME]
        label = f" ('{shorten(name)}')" if name else ""
        shapes = mark.parts if mark.shapes == ["MultiGeometry"] else mark.shapes
        if shapes == ["Point"] and len(mark.points) == 1:
            point = _lon_lat(mark.points[0])
            if point is None:
                self.problems.append(
                    Problem(
                        number,
                        "",
                        shorten(mark.points[0]),
                        "error",
                        f"Placemark {number}{label} has a Point whose coordinates are not one "
                        "longitude,latitude[,altitude]. Move the pin (or correct its "
                        "coordinates) and export the layer again.",
                    )
                )
            else:
                mark.cells[LON], mark.cells[LAT] = point
        else:
            self.problems.append(_not_a_point(number, label, mark.shapes, shapes))
        given = {n: v for n, v in mark.cells.items() if v and n not in KML_COLUMNS}
        if len(given) > 1:
            self.problems.extend(placemark_names(number, given))
        self.table.add(mark.cells)

    def finish(self, fmt: Format, max_cell_chars: int) -> RawTable:
        """Return the table of every placemark read, with the problems found."""
        count = self.table.count
        if not count and self.links:
            raise file_error(
                f"The file holds {self.links:,} NetworkLink(s) and no placemarks: {LIVE_LINK}.",
                "NetworkLink",
            )
        problems = list(self.problems)
        if count and self.links:
            problems.append(
                Problem(
                    0,
                    "",
                    "NetworkLink",
                    "warning",
                    f"The file also holds {self.links:,} NetworkLink(s), whose layers are not "
                    f"read: {LIVE_LINK}.",
                )
            )
        if self.overlays:
            problems.append(
                Problem(
                    0,
                    "",
                    "",
                    "warning",
                    f"The file holds {self.overlays:,} overlay(s) (images laid on the map or "
                    "the screen); they are not read: only placemarks are.",
                )
            )
        if self.table.reserved:
            problems.append(reserved_problem(0))
        if not count:
            problems.append(Problem(0, "", "", "warning", "The file has no placemarks."))
        frame = self.table.frame() if count else pd.DataFrame(columns=list(KML_COLUMNS))
        frame[RESERVED] = pd.Series(range(1, count + 1), dtype="int64")
        problems.extend(long_cells(frame, max_cell_chars))
        return RawTable(frame, sorted(problems, key=lambda p: p.row), "utf-8", fmt)


def _markup(element: Element) -> str:
    """Return the content of a description written as XML elements as HTML (local tag names)."""
    parts = [escape(element.text or "")]
    for child in element:
        tag = _local(child.tag)
        attributes = "".join(
            f' {_local(key)}="{escape(value, quote=True)}"' for key, value in child.attrib.items()
        )
        parts.append(f"<{tag}{attributes}>{_markup(child)}</{tag}>{escape(child.tail or '')}")
    return "".join(parts)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _lon_lat(text: str) -> tuple[str, str] | None:
    """Return the longitude and latitude text of ``lon,lat[,alt]`` (None if it is not one)."""
    found = _COORDINATES.fullmatch(text)
    return (found["lon"], found["lat"]) if found else None


def _not_a_point(number: int, label: str, own: list[str], shapes: list[str]) -> Problem:
    """Return the error of a placemark that is not one point."""
    if not own:
        what = "has no location (no Point)"
    elif own == ["MultiGeometry"]:
        what = f"is a MultiGeometry of {len(shapes)} shape(s), not a point"
    elif len(own) > 1:
        what = f"has {len(own)} geometries, not one point"
    elif own == ["Point"]:
        what = "has a Point without coordinates"
    else:
        what = f"is {_SHAPES[own[0]]}, not a point"
    return Problem(
        number, "", " ".join(own), "error", f"Placemark {number}{label} {what}: {_ONLY_POINTS}"
    )
