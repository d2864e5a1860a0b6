"""Inspect an .xlsx archive, stream its XML parts with bounded memory, write them plainly.

One function says which sheet is read, for every check and for the reader alike:
``first_visible_sheet`` takes the first visible ``<sheet>`` entry of the workbook part and
follows its relationship id (``r:id``) through the workbook's relationships to the worksheet
part. Names do not identify sheets (two sheets may share a name in a crafted file, and other
programs would pick another one): a workbook whose sheet names repeat is refused.
``book_parts`` finds the shared strings and styles the same way, and the date system;
``day_less_styles`` reads in the styles which cell styles show a date without its day.

Everything here reads bounded amounts or streams: the zip directory, the workbook part and the
relationships (``<sheet>`` and ``<Relationship>`` entries), the start of the sheet's XML for its
declared ``<dimension>``. ``stream_xml`` drops every element once it is read, so a part costs
memory for one entry at a time, however large it is.

The *plain form* is the XML the cell reader (``geo.read.xlsx``) scans with regular expressions
and python-calamine reads, byte for byte the same: UTF-8, no prefixed element names, no
comments, CDATA or DOCTYPE, every ``<row>`` numbered (``r``, in increasing order) and every
``<c>`` tag written strictly as ``<c r="A1" s="1" t="s">`` (its reference first, then style,
type and a few short attributes, in double quotes). ``far_cells`` checks it. What Excel,
LibreOffice and most programs write already is; ``plain_sheet`` rewrites any other sheet into
it, as openpyxl numbers rows (``r``, else one more than the last row) and cells (``r``, else
one column right of the last cell): a row numbered below one already read is left out and
counted, as openpyxl skips it. ``plain_strings`` does the same for shared strings.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from geo.parse import shorten
from geo.read.common import MAX_COLUMNS, file_error
from geo.read.zip_scan import ZipKind

#: Largest used range a sheet may declare in its ``<dimension>``, and farthest cell with a
#: value it may hold.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = MAX_COLUMNS
#: Largest workbook part read other than sheets and shared strings (the workbook, its
#: relationships, the styles): they hold a few entries a sheet or a format.
MAX_PART_BYTES = 20 * 1024 * 1024
#: Most XML elements in one entry of a part streamed here (a cell, a shared string): a cell of
#: formatted text has a few per run of formatting.
MAX_ENTRY_ELEMENTS = 10_000

RESAVE = "Open it in Excel or LibreOffice and save it again as .xlsx, or save it as CSV UTF-8."
#: How the zip checks (``geo.read.zip_scan``) name a workbook and what they advise.
WORKBOOK = ZipKind("workbook", RESAVE, "Split it or save it as CSV UTF-8.")
XML_ERRORS = (ParseError, DefusedXmlException, ValueError)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_BOOK = "xl/workbook.xml"

# The plain form (see the module docstring); a cell tag: its reference, then short attributes
# other than r (t once at most).
_PROLOG = rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml\s[^>]*>\s*)?<"
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-?8["']""", re.IGNORECASE)
_PREFIXED = re.compile(rb":(?:c|row|v|is|f|t|r|rPh|si|sheetData|mergeCells?)[\s>/]")
# (possessive: nothing to try again once matched, and a third faster)
_CELL_END = rb'"(?: s="[0-9]++")?+(?: t="[a-zA-Z]++")?+(?: (?:cm|vm|ph)="[0-9a-z]++")*+ ?+/?+>'
_PLAIN_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]+' + _CELL_END)
_ROW = re.compile(rb'<row(?: r="([0-9]{1,9})")?[\s>/]')
_DIGITS, _LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EXCEL_COLUMNS = 16_384
_SI = re.compile(rb"<si>([^<]*(?:<(?!/si>)[^<]*)*)</si>")
_ODD_SI = re.compile(rb"<si[\s/]")


@dataclass(frozen=True)
class SheetPart:
    """The sheet that is read: its name (for messages) and its part in the archive."""

    name: str
    path: str


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


@dataclass(frozen=True)
class BookParts:
    """The parts cell values need besides the sheet, and the workbook's date system.

    ``strings`` and ``styles`` (which cells are dates) are paths in the archive, None when the
    workbook has none; ``date1904``: serial number 0 is 1904-01-01.
    """

    strings: str | None
    styles: str | None
    date1904: bool


def book_parts(archive: zipfile.ZipFile) -> BookParts:
    """Return the workbook's shared strings and styles parts (through its relationships)."""
    book_path = _book_path(archive)
    folder = posixpath.dirname(book_path)
    date1904 = False
    for start, tag, element in stream_xml(archive, book_path):
        if start and tag == "workbookPr":
            # openpyxl's reading of the flag: any value but false, f, 0 or nothing is true
            date1904 = element.get("date1904", "") not in ("", "false", "f", "0")
    found: dict[str, str] = {}
    for kind, target in _relationships(archive, book_path).values():
        if kind in ("sharedStrings", "styles"):
            found[kind] = _resolve(folder, target)
    return BookParts(found.get("sharedStrings"), found.get("styles"), date1904)


#: Built-in number formats (ECMA-376, 18.8.30) of a date without its day: 17 is ``mmm-yy``.
#: (The East Asian ones, 27 to 36 and 50 to 58, depend on Excel's language; calamine does not
#: read them as dates.)
_BUILTIN_DAY_LESS = {17: "month"}
# What a number format code shows literally: quoted text, an escaped character, the character
# after _ (a space as wide) or * (repeated), [$-409], [Red]; elapsed time ([h], [mm], [ss]).
_FORMAT_LITERAL = re.compile(r'"[^"]*"?|\\.|[_*].|\[[^\]]*\]?')
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_FORMAT_PART = re.compile(r"am/pm|a/p|y+|e+|b+|m+|d+|a+|h+|s+", re.IGNORECASE)


def day_less_styles(archive: zipfile.ZipFile, path: str | None) -> dict[int, str]:
    """Return the cell styles (a cell's ``s``) whose number format shows a date without a day.

    Each maps to what the format shows: ``month`` (``yyyy-mm``, ``mmm-yy``: the built-in 17)
    or ``year`` (``yyyy``). A cell style's format is its ``cellXfs`` entry's ``numFmtId``: a
    ``<numFmt>`` of the styles part, else a built-in format, as calamine reads it. The styles
    part is parsed only when it may hold such a format (it names format 17 or has a format of
    its own).
    """
    if path is None or path not in archive.NameToInfo:
        return {}
    head = read_part(archive, path)
    if b"formatCode" not in head and b'"17"' not in head and b"'17'" not in head:
        return {}
    del head
    codes: dict[int, str] = {}
    formats: list[str] = []
    in_cell_styles = False
    for start, tag, element in stream_xml(archive, path):
        if tag == "cellXfs":
            in_cell_styles = start
        elif start and tag == "numFmt":
            number = _format_id(element.get("numFmtId"))
            if number is not None:
                codes.setdefault(number, element.get("formatCode", ""))
        elif start and tag == "xf" and in_cell_styles:
            formats.append(element.get("numFmtId", "0"))
    found = {}
    for style, number in enumerate(map(_format_id, formats)):
        if number is None:
            continue
        code = codes.get(number)
        shown = _BUILTIN_DAY_LESS.get(number) if code is None else date_shown(code)
        if shown is not None:
            found[style] = shown
    return found


def _format_id(text: str | None) -> int | None:
    return int(text) if text is not None and text.isascii() and text.isdigit() else None


def date_shown(code: str) -> str | None:
    """Return what a number format shows of a date when it has no day: ``month`` or ``year``.

    None when it shows the day (``d``, ``dd``, or the weekday ``ddd``, ``aaa``), no date
    part at all (``h:mm``, ``General``) or only minutes and seconds. ``m`` after an hour or
    before seconds is minutes (``h:mm``, ``mm:ss``), as in Excel. Only the format for
    positive numbers (the first section) is read.
    """
    text = _FORMAT_LITERAL.sub(" ", _ELAPSED.sub("h", code)).split(";")[0].lower()
    text = text.replace("general", " ")
    parts = [found[0][0] for found in _FORMAT_PART.finditer(text)]
    month = False
    for i, part in enumerate(parts):
        if part == "m":
            before = parts[i - 1] if i else ""
            after = parts[i + 1] if i + 1 < len(parts) else ""
            month = month or not (before == "h" or after == "s")
    if "d" in parts or "a" in parts:
        return None
    if month:
        return "month"
    return "year" if {"y", "e", "b"} & set(parts) else None


def read_part(archive: zipfile.ZipFile, path: str, *, small: bool = True) -> bytes:
    """Return a part's bytes.

    A missing part, or a ``small`` one over ``MAX_PART_BYTES``, is refused as by ``stream_xml``.
    """
    _check_part_size(archive, path, small)
    try:
        return archive.read(path)
    except KeyError as exc:
        raise file_error(f"The file is not an Excel workbook (no {path}). {RESAVE}") from exc


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
    _check_part_size(archive, path, small)
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


def _check_part_size(archive: zipfile.ZipFile, path: str, small: bool) -> None:
    size = archive.getinfo(path).file_size if path in archive.NameToInfo else 0
    if small and size > MAX_PART_BYTES:
        raise file_error(
            f"The workbook part {path} unpacks to {size / 2**20:,.0f} MB; at most "
            f"{MAX_PART_BYTES // 2**20} MB is accepted for it: the file looks malformed or "
            f"malicious. {RESAVE}",
            path,
        )


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


def _check_dimension(ref: str, name: str) -> None:
    try:
        max_col, max_row = cell_position(ref.split(":")[-1])
    except ValueError:
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


def far_cells(xml: bytes) -> tuple[int, list[int]] | None:
    """Return where a sheet in the plain form may have cells far from the others.

    That is the number of its last row (at most ``MAX_SHEET_ROWS``) and where the tags of the
    cells numbered beyond it or right of column ``MAX_SHEET_COLUMNS`` start (a few, in a
    sheet as Excel writes it). None when the sheet is not in the plain form (module docstring).
    """
    if not _is_plain(xml, b"worksheet", b"</sheetData>"):
        return None
    rows = _ROW.findall(xml)
    if b"" in rows:
        return None
    numbers = list(map(int, rows))
    if not all(map(int.__lt__, [0, *numbers], numbers)):  # increasing, from row 1 on
        return None
    last = min(numbers[-1] if numbers else 0, MAX_SHEET_ROWS)
    found = []
    for cell in _near_cell(last).finditer(xml):
        if _PLAIN_CELL.match(xml, cell.start()) is None:
            return None
        found.append(cell.start())
    return last, found


@lru_cache(maxsize=64)
def _near_cell(rows: int) -> re.Pattern[bytes]:
    """Match a cell tag unless it is plain and within ``rows`` rows and the columns read."""
    near = _up_to(column_letters(MAX_SHEET_COLUMNS), _LETTERS) + _up_to(str(rows), _DIGITS)
    return re.compile(rb'<c(?! r="' + near.encode() + _CELL_END + rb")[\s>/]")


def _up_to(limit: str, alphabet: str) -> str:
    """Return a regex of the words of ``alphabet`` up to ``limit`` (row numbers, column letters).

    Shorter words (numbers without a leading 0), or words as long and not larger.
    """
    low, high = alphabet[0], alphabet[-1]
    lead = alphabet[1] if low == "0" else low
    if limit == "0":
        return "(?!)"
    choices = []  # the most frequent first: shorter words, then the smaller ones as long
    if len(limit) > 1:
        choices.append(f"[{lead}-{high}][{low}-{high}]{{0,{len(limit) - 2}}}")
    for position, letter in enumerate(limit):
        start = lead if position == 0 else low
        if letter != start:
            below = alphabet[alphabet.index(letter) - 1]
            rest = len(limit) - position - 1
            choices.append(f"{limit[:position]}[{start}-{below}][{low}-{high}]{{{rest}}}")
    return "(?:" + "|".join([*choices, limit]) + ")"


def plain_sheet(archive: zipfile.ZipFile, sheet: SheetPart) -> tuple[bytes, int, int]:
    """Return the sheet's XML in the plain form: its rows, cells and merged ranges.

    Also returns how many rows holding values were left out (numbered below a row before
    them) and the first one's number. Cells keep their type, style, value and inline text (a
    formula is kept as ``<f/>``, its text is not needed).
    """
    out = [f'<worksheet xmlns="{MAIN}"><sheetData>']
    merged: list[str] = []
    in_data = in_row = kept = values = False
    row = column = skipped = first_skipped = 0
    next_row = 1  # rows numbered below this are left out
    for start, tag, element in stream_xml(archive, sheet.path, ("c",), wrap=False, small=False):
        if tag == "sheetData":
            in_data = start
        elif tag == "row" and in_data and start:
            row = _row_number(element.get("r"), row)
            in_row, column, values = True, 0, False
            kept = row >= next_row
            next_row = max(next_row, row + 1)
            if kept:
                out.append(f'<row r="{row}">')
        elif tag == "row" and in_data:
            if kept:
                out.append("</row>")
            elif values:
                skipped += 1
                first_skipped = first_skipped or row
            in_row = False
        elif tag == "c" and in_row:
            ref = element.get("r")
            column = cell_position(ref)[0] if ref else column + 1
            if column > _EXCEL_COLUMNS:
                raise ValueError(f"a cell of row {row} is beyond column XFD")
            if kept:
                out.append(_plain_cell(element, f"{column_letters(column)}{row}"))
            elif _holds_value(element):
                values = True
        elif tag == "mergeCell" and start:
            merged.append(f'<mergeCell ref="{_escape(element.get("ref", ""))}"/>')
    out.append("</sheetData>")
    if merged:
        out.append(f"<mergeCells>{''.join(merged)}</mergeCells>")
    out.append("</worksheet>")
    return "".join(out).encode(), skipped, first_skipped


def string_spans(xml: bytes) -> list[int] | None:
    """Return the bytes each shared string takes in its part, in order.

    A string's text has at most as many characters. None when the part is not in the plain
    form (``plain_strings`` rewrites it): each string a ``<si>`` without attributes, not
    nested.
    """
    if not _is_plain(xml, b"sst", b"</sst>") or _ODD_SI.search(xml) is not None:
        return None
    strings = _SI.findall(xml)
    if not len(strings) == xml.count(b"<si>") == xml.count(b"</si>"):
        return None
    return list(map(len, strings))


def plain_strings(archive: zipfile.ZipFile, path: str) -> bytes:
    """Return the shared strings part in the plain form: each string as one ``<t>``."""
    out = [f'<sst xmlns="{MAIN}">']
    for start, tag, element in stream_xml(archive, path, keep=("si",), small=False):
        if not start and tag == "si":
            out.append(f'<si><t xml:space="preserve">{_escape(string_text(element))}</t></si>')
    out.append("</sst>")
    return "".join(out).encode()


def string_text(element: Element) -> str:
    """Return the text of a shared or inline string (``<si>``, ``<is>``) as Excel shows it.

    That is its ``<t>``, or the ``<t>`` of its runs of formatted text joined (phonetic runs
    left out), as openpyxl's ``Text.content`` reads it.
    """
    parts = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def cell_position(ref: str) -> tuple[int, int]:
    """Return a cell reference's column and row (``"B3"`` -> ``(2, 3)``).

    Raises ValueError when ``ref`` is not a cell reference.
    """
    found = _REF.fullmatch(ref)
    if found is None:
        raise ValueError(f"{shorten(ref, 40)!r} is not a cell reference")
    return column_number(found[1]), int(found[2])


def column_number(letters: str) -> int:
    """Return a column's number (``"A"`` -> 1, ``"AA"`` -> 27)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """Return a column's letters (1 -> ``"A"``, 27 -> ``"AA"``)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def _is_plain(xml: bytes, root: bytes, end: bytes) -> bool:
    """Tell whether a part is UTF-8 and plainly written (the module docstring).

    The unprefixed ``root`` comes first; there is no DOCTYPE, comment or CDATA, and up to the
    last ``end`` (where what is read ends) no prefixed element a cell or string is made of
    (other extensions may follow, such as ``<xm:f>``).
    """
    head = re.match(_PROLOG + root + rb"[\s>]", xml[:1000])
    if head is None or _has_declaration(xml):
        return False
    if _PREFIXED.search(xml, 0, xml.rfind(end)) is not None:
        return False
    declaration = xml[: head.end()]
    return b"encoding" not in declaration or _UTF8.search(declaration) is not None


def _has_declaration(xml: bytes) -> bool:
    """Tell whether ``<!`` (a DOCTYPE, comment or CDATA) occurs; ``!`` is rare in sheets."""
    at = xml.find(b"!")
    while at >= 0:
        if at and xml[at - 1] == 0x3C:  # <
            return True
        at = xml.find(b"!", at + 1)
    return False


def _row_number(text: str | None, previous: int) -> int:
    """Return a row's number as openpyxl reads it (``r``, else one more than the last row)."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(value)


def _plain_cell(element: Element, ref: str) -> str:
    style, kind = element.get("s", ""), element.get("t", "")
    attributes = f' s="{style}"' if style.isdigit() and style.isascii() else ""
    if kind.isalpha() and kind.isascii():
        attributes += f' t="{kind}"'

    children = {_local(child.tag): child for child in element}
    body = "<f/>" if "f" in children else ""
    if (saved := children.get("v")) is not None:
        body += f"<v>{_escape(saved.text or '')}</v>"
    if (inline := children.get("is")) is not None:
        body += f'<is><t xml:space="preserve">{_escape(string_text(inline))}</t></is>'
    return f'<c r="{ref}"{attributes}>{body}</c>' if body else f'<c r="{ref}"{attributes}/>'


def _holds_value(element: Element) -> bool:
    for child in element:
        tag = _local(child.tag)
        if (tag == "v" and child.text) or (tag == "is" and string_text(child)):
            return True
    return False


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
