"""Inspect an .xlsx archive and stream its XML parts with bounded memory.

One function says which sheet is read, for every check and for the reader alike:
``first_visible_sheet`` takes the first visible ``<sheet>`` entry of the workbook part and
follows its relationship id (``r:id``) through the workbook's relationships to the worksheet
part. Names do not identify sheets (two sheets may share a name in a crafted file, and other
programs would pick another one): a workbook whose sheet names repeat is refused.

Everything here reads bounded amounts or streams: the zip directory, the workbook part and the
relationships (``<sheet>`` and ``<Relationship>`` entries), the start of the sheet's XML for its
declared ``<dimension>``, the shared strings (packed into Arrow arrays: a few bytes a string)
and the styles (which cell formats are dates). ``stream_xml`` drops every element once it is
read, so a part costs memory for one entry at a time, however large it is.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from array import array
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import pyarrow as pa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.cell.text import Text
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from geo.parse import shorten
from geo.read.common import CHUNK_ROWS, MAX_COLUMNS, file_error, pack
from geo.read.zip_scan import ZipKind

#: Largest used range a sheet may declare in its ``<dimension>``, and farthest cell with a
#: value it may hold.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = MAX_COLUMNS
#: Largest workbook part read other than sheets and shared strings (the workbook, its
#: relationships, the styles): they hold a few entries a sheet or a format.
MAX_PART_BYTES = 20 * 1024 * 1024
#: Most XML elements in one entry of a part (a cell, a shared string): a cell of formatted
#: text has a few per run of formatting.
MAX_ENTRY_ELEMENTS = 10_000
#: Shared strings kept as Python strings (fast to look up); more are looked up in Arrow.
_PYTHON_STRINGS = 100_000

RESAVE = "Open it in Excel or LibreOffice and save it again as .xlsx, or save it as CSV UTF-8."
#: How the zip checks (``geo.read.zip_scan``) name a workbook and what they advise.
WORKBOOK = ZipKind("workbook", RESAVE, "Split it or save it as CSV UTF-8.")
XML_ERRORS = (ParseError, DefusedXmlException, ValueError)
_BOOK = "xl/workbook.xml"
_TEXT = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t"


@dataclass(frozen=True)
class SheetPart:
    """The sheet that is read: its name (for messages) and its part in the archive."""

    name: str
    path: str


class SharedStrings:
    """The workbook's shared strings, looked up by index (``strings[3]``).

    The first ``_PYTHON_STRINGS`` are Python strings (fast to look up); the others are packed
    into Arrow arrays of ``CHUNK_ROWS`` strings (a few bytes a string instead of some 60).
    """

    def __init__(self) -> None:
        self._head: list[str] = []
        self._chunks: list[pa.Array] = []
        self._tail: list[str] = []

    def append(self, text: str) -> None:
        """Add the next string."""
        if len(self._head) < _PYTHON_STRINGS:
            self._head.append(text)
            return
        self._tail.append(text)
        if len(self._tail) == CHUNK_ROWS:
            self._chunks.append(pack(self._tail))
            self._tail = []

    def __len__(self) -> int:
        return len(self._head) + len(self._chunks) * CHUNK_ROWS + len(self._tail)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self):
            raise IndexError(f"no shared string {index}")
        if index < len(self._head):
            return self._head[index]
        chunk, position = divmod(index - len(self._head), CHUNK_ROWS)
        if chunk == len(self._chunks):
            return self._tail[position]
        return str(self._chunks[chunk][position].as_py())


@dataclass
class Book:
    """What reading cell values needs from the workbook: shared strings, date styles, epoch."""

    strings: SharedStrings = field(default_factory=SharedStrings)
    date_styles: set[int] = field(default_factory=set)
    timedelta_styles: set[int] = field(default_factory=set)
    epoch: dt.datetime = WINDOWS_EPOCH


def first_visible_sheet(archive: zipfile.ZipFile) -> SheetPart:
    """Return the first worksheet that is not hidden, identified by its relationship id.

    Raises ``InputFileError`` when no sheet is visible or when two sheets share a name
    (compared as Excel does, ignoring case).
    """
    book_path = _book_path(archive)
    folder = posixpath.dirname(book_path)
    targets = _relationships(archive, book_path)
    seen: dict[str, str] = {}
    found: SheetPart | None = None
    for start, tag, sheet in stream_xml(archive, book_path):
        if not start or tag != "sheet":
            continue
        name = sheet.get("name", "")
        if name.casefold() in seen:
            raise file_error(
                f"The workbook has more than one sheet named '{shorten(name)}' (hidden sheets "
                "count too): Excel shows one of them and other programs may read another. "
                "Rename or delete the extra sheet and save the workbook again.",
                name,
            )
        seen[name.casefold()] = name
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        kind, target = targets.get(rel_id or "", ("", ""))
        if found is None and sheet.get("state", "visible") == "visible" and kind == "worksheet":
            found = SheetPart(name, _resolve(folder, target))
    if found is None:
        raise file_error(f"The workbook has no visible worksheet. {RESAVE}")
    return found


def read_book(archive: zipfile.ZipFile) -> Book:
    """Read the shared strings, the date cell formats and the date system of the workbook."""
    book_path = _book_path(archive)
    folder = posixpath.dirname(book_path)
    book = Book()
    for start, tag, element in stream_xml(archive, book_path):
        if start and tag == "workbookPr":
            # openpyxl's reading of the flag: any value but false, f, 0 or nothing is true
            if element.get("date1904", "") not in ("", "false", "f", "0"):
                book.epoch = MAC_EPOCH
    for kind, target in _relationships(archive, book_path).values():
        if kind == "sharedStrings":
            book.strings = _shared_strings(archive, _resolve(folder, target))
        elif kind == "styles":
            book.date_styles, book.timedelta_styles = _date_styles(
                archive, _resolve(folder, target)
            )
    return book


def check_declared_size(archive: zipfile.ZipFile, sheet: SheetPart) -> None:
    """Refuse a sheet whose ``<dimension>`` declares more than the rows and columns read.

    Only the start of the sheet is read (up to ``<dimension>`` or ``<sheetData>``).
    """
    with archive.open(sheet.path) as stream:
        try:
            for _, element in iterparse(stream, events=("start",)):
                tag = _local(element.tag)
                if tag == "dimension":
                    _check_dimension(element.get("ref", ""), sheet.name)
                if tag in ("dimension", "sheetData"):
                    return
        except XML_ERRORS as exc:
            raise file_error(f"Sheet '{sheet.name}' is not valid XML ({exc}). {RESAVE}") from exc


def stream_xml(
    archive: zipfile.ZipFile,
    path: str,
    keep: Collection[str] = (),
    *,
    wrap: bool = True,
    small: bool = True,
) -> Iterator[tuple[bool, str, Element]]:
    """Yield ``(is_start, local tag, element)`` for the elements of a part, in document order.

    Elements whose tag is in ``keep`` are yielded once, at their end, whole (with their
    children, at most ``MAX_ENTRY_ELEMENTS`` of them); every other element at its start (its
    attributes are there) and at its end. Each element is dropped from the tree once it has
    ended, so memory holds one entry, not the part. A ``small`` part (not a sheet or the
    shared strings) unpacking to more than ``MAX_PART_BYTES`` is refused before it is read. A
    missing or malformed part raises ``InputFileError`` naming it (with ``wrap=False``, the
    error itself).
    """
    size = archive.getinfo(path).file_size if path in archive.NameToInfo else 0
    if small and size > MAX_PART_BYTES:
        raise file_error(
            f"The workbook part {path} unpacks to {size / 2**20:,.0f} MB; at most "
            f"{MAX_PART_BYTES // 2**20} MB is accepted for it: the file looks malformed or "
            f"malicious. {RESAVE}",
            path,
        )
    if not wrap:
        with archive.open(path) as source:
            yield from _stream(source, frozenset(keep), path)
        return
    try:
        with archive.open(path) as source:
            yield from _stream(source, frozenset(keep), path)
    except KeyError as exc:
        raise file_error(f"The file is not an Excel workbook (no {path}). {RESAVE}") from exc
    except (zipfile.BadZipFile, *XML_ERRORS) as exc:
        raise file_error(f"The workbook part {path} cannot be read ({exc}). {RESAVE}") from exc


def _stream(
    source: IO[bytes], keep: frozenset[str], path: str
) -> Iterator[tuple[bool, str, Element]]:
    ancestors: list[Element] = []
    depth = 0  # inside a kept element: its depth
    elements = 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            ancestors.append(element)
            if depth:
                depth += 1
                elements += 1
                if elements > MAX_ENTRY_ELEMENTS:
                    raise file_error(
                        f"The workbook part {path} holds an entry of more than "
                        f"{MAX_ENTRY_ELEMENTS:,} XML elements (e.g. a cell with that many "
                        f"pieces of formatted text): the file looks malformed or malicious. "
                        f"{RESAVE}",
                        path,
                    )
                continue
            tag = _local(element.tag)
            if tag in keep:
                depth, elements = 1, 1
            else:
                yield True, tag, element
            continue
        ancestors.pop()
        if depth > 1:
            depth -= 1
            continue
        depth = 0
        yield False, _local(element.tag), element
        element.clear()
        if ancestors:
            ancestors[-1].remove(element)


def _book_path(archive: zipfile.ZipFile) -> str:
    for start, tag, rel in stream_xml(archive, "_rels/.rels"):
        if start and tag == "Relationship" and rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return _BOOK


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Return ``{id: (kind, target)}`` of a part's internal relationships.

    ``kind`` is the end of the relationship type, e.g. ``worksheet``.
    """
    folder, name = posixpath.split(part)
    found: dict[str, tuple[str, str]] = {}
    for start, tag, rel in stream_xml(archive, posixpath.join(folder, "_rels", name + ".rels")):
        if start and tag == "Relationship" and rel.get("TargetMode", "Internal") == "Internal":
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            found.setdefault(rel.get("Id", ""), (kind, rel.get("Target", "")))
    return found


def _resolve(folder: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path)


def _shared_strings(archive: zipfile.ZipFile, path: str) -> SharedStrings:
    """Read the shared strings as openpyxl does (``Text.content``), packed as they come."""
    strings = SharedStrings()
    for start, tag, element in stream_xml(archive, path, keep=("si",), small=False):
        if not start and tag == "si":
            strings.append(string_text(element).replace("x005F_", ""))
    return strings


def string_text(element: Element) -> str:
    """Return the text of a shared or inline string (``<si>``, ``<is>``) as openpyxl reads it.

    That is ``Text.content``: the plain text, or the runs of formatted text joined; plain text
    (the usual case) is read directly, much faster.
    """
    if len(element) == 1 and element[0].tag == _TEXT and not len(element[0]):
        return element[0].text or ""
    return str(Text.from_tree(element).content)


def _date_styles(archive: zipfile.ZipFile, path: str) -> tuple[set[int], set[int]]:
    """Return the cell formats (indexes into ``cellXfs``) showing dates and durations.

    As openpyxl decides it: the number format of each format, custom (``<numFmt>``) or
    built in, read as a date or a duration.
    """
    custom: dict[int, str] = {}
    formats = array("q")
    inside = ""  # numFmts or cellXfs (not the formats of dxfs or cellStyleXfs)
    for start, tag, element in stream_xml(archive, path):
        if tag in ("numFmts", "cellXfs"):
            inside = tag if start else ""
        elif start and tag == "numFmt" and inside == "numFmts":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif start and tag == "xf" and inside == "cellXfs":
            formats.append(int(element.get("numFmtId", "0")))
    dates, durations = set(), set()
    for index, number in enumerate(formats):
        code = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _check_dimension(ref: str, name: str) -> None:
    try:
        _, _, max_col, max_row = range_boundaries(ref.split(":")[-1])
    except (ValueError, TypeError):
        return  # no usable declaration: the cells read are checked anyway
    if max_row > MAX_SHEET_ROWS or max_col > MAX_SHEET_COLUMNS:
        raise file_error(
            f"Sheet '{name}' declares a used range of {ref} ({max_row:,} rows, {max_col:,} "
            f"columns); at most {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns are "
            "read. Delete the unused rows and columns after your data (or copy the data to a "
            "new workbook) and save again.",
            ref,
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
