"""Inspect an .xlsx archive before parsing it: zip bombs, the sheet to read, its used range.

Everything here reads bounded amounts: the zip directory, the small workbook parts, the start
of the sheet's XML for its declared ``<dimension>``. The sheet is then streamed once as bytes to
find merged ranges and whether it has formulas at all; only a sheet with formulas is parsed
(streamed, with defusedxml) to find the formulas that have no saved value.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.utils import range_boundaries

from geo.read.common import file_error

#: Most bytes the archive may unpack to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: Highest compression ratio accepted for a member bigger than ``BIG_MEMBER_BYTES``.
MAX_RATIO = 100
BIG_MEMBER_BYTES = 1024 * 1024
#: Largest used range a sheet may declare in its ``<dimension>``.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = 200

RESAVE = "Open it in Excel or LibreOffice and save it again as .xlsx, or save it as CSV UTF-8."
XML_ERRORS = (ParseError, DefusedXmlException, ValueError)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)"'
)
_BLOCK = 1 << 20
_OVERLAP = 512


@dataclass
class SheetScan:
    """What the inspection of a sheet's XML found."""

    formulas_without_value: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb: too many bytes once unpacked, or an absurd compression ratio."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BIG_MEMBER_BYTES and ratio > MAX_RATIO:
            raise file_error(
                f"The workbook part {member.filename} unpacks {ratio:,.0f} times larger than it "
                f"is stored (at most {MAX_RATIO} is accepted): the file looks malformed or "
                f"malicious. {RESAVE}",
                member.filename,
            )
    if total > MAX_UNZIPPED_BYTES:
        raise file_error(
            f"The workbook unpacks to {total / 2**20:,.0f} MB; at most "
            f"{MAX_UNZIPPED_BYTES // 2**20} MB is accepted. Split it or save it as CSV UTF-8."
        )


def first_visible_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """Return the name and archive path of the first worksheet that is not hidden."""
    package_rels = _xml(archive, "_rels/.rels")
    book_path = next(
        (
            rel.get("Target", "").lstrip("/")
            for rel in _children(package_rels, "Relationship")
            if rel.get("Type", "").endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    book = _xml(archive, book_path)
    folder, book_file = posixpath.split(book_path)
    rels = _xml(archive, posixpath.join(folder, "_rels", book_file + ".rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in _children(rels, "Relationship")
        if rel.get("Type", "").endswith("/worksheet")
    }
    for sheet in _children(book, "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if sheet.get("state", "visible") == "visible" and rel_id in targets:
            target = targets[rel_id]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            return sheet.get("name", ""), posixpath.normpath(path)
    raise file_error(f"The workbook has no visible worksheet. {RESAVE}")


def scan_sheet(archive: zipfile.ZipFile, path: str, name: str) -> SheetScan:
    """Check a sheet's declared size, then find its merged ranges and value-less formulas.

    Raises ``InputFileError`` when the ``<dimension>`` (at the start of the sheet) declares more
    than ``MAX_SHEET_ROWS`` rows or ``MAX_SHEET_COLUMNS`` columns: only that start is read.
    """
    with archive.open(path) as stream:
        _check_declared_size(stream, name)
    scan = SheetScan()
    has_formulas = False
    merged: dict[str, None] = {}
    with archive.open(path) as stream:
        for block in _blocks(stream):
            has_formulas = has_formulas or _FORMULA.search(block) is not None
            merged.update(dict.fromkeys(ref.decode().upper() for ref in _MERGE.findall(block)))
    scan.merged = list(merged)
    if has_formulas:
        with archive.open(path) as stream:
            scan.formulas_without_value = _formulas_without_value(stream, name)
    return scan


def _check_declared_size(stream: IO[bytes], name: str) -> None:
    try:
        for _, element in iterparse(stream, events=("start",)):
            tag = _local(element.tag)
            if tag == "dimension":
                _check_dimension(element.get("ref", ""), name)
            if tag in ("dimension", "sheetData"):
                return
    except XML_ERRORS as exc:
        raise file_error(f"Sheet '{name}' is not valid XML ({exc}). {RESAVE}") from exc


def _formulas_without_value(stream: IO[bytes], name: str) -> set[str]:
    """Return the cells holding a formula but no saved value (a string result may be '')."""
    found = set()
    try:
        for _, element in iterparse(stream, events=("end",)):
            tag = _local(element.tag)
            if tag == "c":
                formula = _child(element, "f")
                value = _child(element, "v")
                if formula is not None and (
                    value is None or (not value.text and element.get("t") != "str")
                ):
                    found.add(element.get("r", ""))
                element.clear()
            elif tag == "row":
                element.clear()
    except XML_ERRORS as exc:
        raise file_error(f"Sheet '{name}' is not valid XML ({exc}). {RESAVE}") from exc
    return found


def _blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield the stream in blocks, each starting with the end of the previous one."""
    tail = b""
    while block := stream.read(_BLOCK):
        yield tail + block
        tail = block[-_OVERLAP:]


def _xml(archive: zipfile.ZipFile, path: str) -> Element:
    try:
        return fromstring(archive.read(path))
    except KeyError as exc:
        raise file_error(f"The file is not an Excel workbook (no {path}). {RESAVE}") from exc
    except (zipfile.BadZipFile, *XML_ERRORS) as exc:
        raise file_error(f"The workbook part {path} cannot be read ({exc}). {RESAVE}") from exc


def _check_dimension(ref: str, name: str) -> None:
    try:
        _, _, max_col, max_row = range_boundaries(ref.split(":")[-1])
    except (ValueError, TypeError):
        return  # no usable declaration: the rows read are limited anyway
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


def _children(element: Element, tag: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child.tag) == tag)


def _child(element: Element, tag: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == tag), None)
