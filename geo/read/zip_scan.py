"""Zip-bomb checks for the archives read (XLSX workbooks, KMZ files), before and after opening.

``check_directory`` reads the zip directory's size from the end record before ``zipfile``
lists it; ``check_archive`` refuses too many parts, too many bytes unpacked, or an absurd
compression ratio. ``ZipKind`` says how an archive is named in the messages and what to do.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from geo.read.common import file_error

#: Most bytes the archive may unpack to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: Highest compression ratio accepted for a member bigger than ``BIG_MEMBER_BYTES``.
MAX_RATIO = 100
BIG_MEMBER_BYTES = 1024 * 1024
#: Most parts (files) the archive may hold (a workbook has a few dozen), and largest zip
#: directory listing them, in bytes; read before the archive is opened.
MAX_MEMBERS = 10_000
MAX_DIRECTORY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ZipKind:
    """How the zip checks name an archive and what they advise: a workbook, a KMZ file."""

    name: str
    resave: str
    split: str


def check_directory(data: bytes, kind: ZipKind) -> None:
    """Refuse an archive whose zip directory is too large to list (before listing it).

    Python's zipfile keeps some 600 bytes for each part the directory lists, a part taking 46
    bytes of the file: the directory's size is read from its end record first.
    """
    end = data.rfind(b"PK\x05\x06", max(len(data) - 65_557, 0))
    if end < 0 or end + 22 > len(data):
        return  # not a zip archive: zipfile says so
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    locator = end - 20
    if size == 0xFFFFFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            size = int.from_bytes(data[record + 40 : record + 48], "little")
    if size > MAX_DIRECTORY_BYTES:
        raise file_error(
            f"The {kind.name}'s zip directory takes {size / 2**20:,.1f} MB; at most "
            f"{MAX_DIRECTORY_BYTES // 2**20} MB is accepted (a workbook or KMZ file has a few "
            f"dozen parts): the file looks malformed or malicious. {kind.resave}"
        )


def check_archive(archive: zipfile.ZipFile, kind: ZipKind) -> None:
    """Refuse a zip bomb: too many bytes once unpacked, or an absurd compression ratio."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise file_error(
            f"The {kind.name} holds {len(members):,} parts; at most {MAX_MEMBERS:,} are "
            f"accepted: the file looks malformed or malicious. {kind.resave}"
        )
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BIG_MEMBER_BYTES and ratio > MAX_RATIO:
            raise file_error(
                f"The {kind.name} part {member.filename} unpacks {ratio:,.0f} times larger than "
                f"it is stored (at most {MAX_RATIO} is accepted): the file looks malformed or "
                f"malicious. {kind.resave}",
                member.filename,
            )
    if total > MAX_UNZIPPED_BYTES:
        raise file_error(
            f"The {kind.name} unpacks to {total / 2**20:,.0f} MB; at most "
            f"{MAX_UNZIPPED_BYTES // 2**20} MB is accepted. {kind.split}"
        )
