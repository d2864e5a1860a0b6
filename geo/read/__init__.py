"""Read a user's events file (CSV, XLSX, GeoJSON, KML or KMZ) into text cells: ``read_table``.

Nothing is interpreted here (dates, counts and places are ``geo.validate``'s job): every cell
is the text the file holds, and whatever cannot be read is reported as a ``Problem``.
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import cap_repeated
from geo.read.common import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Format,
    RawTable,
    file_error,
)
from geo.read.csv import read_csv
from geo.read.encoding import detect_encoding
from geo.read.geojson import read_geojson
from geo.read.kml import is_kmz, read_kml

__all__ = [
    "ACCEPTED_FORMATS",
    "EXTENSIONS",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "RawTable",
    "read_table",
]

EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".kmz": "kmz",
}
ACCEPTED_FORMATS = (
    "CSV (.csv, .tsv, .txt), Excel (.xlsx), GeoJSON (.geojson, .json) or KML/KMZ (.kml, .kmz: "
    "Google My Maps, Google Earth)"
)


def read_table(source: str | Path | bytes, filename: str | None = None) -> RawTable:
    r"""Read a CSV, XLSX, GeoJSON, KML or KMZ file into a ``RawTable`` of text cells.

    Parameters
    ----------
    source : str, Path or bytes
        A path to the file, or its content (an upload).
    filename : str, optional
        The file's name, used for its extension. Defaults to the path's name. Without either,
        the format is sniffed: a zip archive holding a ``.kml`` is KMZ, another XLSX; text
        starting with ``{`` is GeoJSON, with ``<?xml`` or ``<kml`` KML; anything else CSV. A
        ``.kml`` or ``.kmz`` file is read as what its bytes are (a zip or XML text).

    Returns
    -------
    RawTable
        ``.frame`` (text cells plus int ``row``), ``.problems``, ``.encoding``, ``.format``.

    Raises
    ------
    geo.errors.InputFileError
        When the file cannot be read at all (too big, wrong format, undecodable, empty); its
        ``problem`` (``row=0``) says why and what is accepted.

    Examples
    --------
    >>> table = read_table(b"event_id,count\ne1,007\n", "events.csv")
    >>> table.frame.to_dict("records")
    [{'event_id': 'e1', 'count': '007', 'row': 2}]
    """
    if not isinstance(source, bytes):
        path = Path(source)
        filename = filename or path.name
        data = _read_file(path)
    else:
        data = source
    if len(data) > MAX_FILE_BYTES:
        raise file_error(
            f"The file is {len(data) / 2**20:,.0f} MB; at most "
            f"{MAX_FILE_BYTES // 2**20} MB is accepted. Split it into smaller files."
        )
    fmt = _format(data, filename)
    if fmt == "xlsx":
        from geo.read.xlsx import read_xlsx  # python-calamine: imported for workbooks only

        table = read_xlsx(data)
    elif fmt in ("kml", "kmz"):
        table = read_kml(data)
    else:
        found = detect_encoding(data)
        reader = read_csv if fmt == "csv" else read_geojson
        table = reader(data, found.encoding)
        table.problems[:0] = found.problems
    table.problems = cap_repeated(table.problems)
    return table


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise file_error(
                f"The file is {size / 2**20:,.0f} MB; at most "
                f"{MAX_FILE_BYTES // 2**20} MB is accepted. Split it into smaller "
                "files."
            )
        return path.read_bytes()
    except OSError as exc:
        raise file_error(
            f"The file {path.name} cannot be opened: {exc.strerror}.", str(path)
        ) from exc


def _format(data: bytes, filename: str | None) -> Format:
    if filename:
        suffix = Path(filename).suffix.lower()
        if suffix not in EXTENSIONS:
            raise file_error(
                f"'{Path(filename).name}' is not a file type this tool reads. "
                f"Accepted: {ACCEPTED_FORMATS}.",
                Path(filename).name,
            )
        return EXTENSIONS[suffix]
    if data.startswith(b"PK\x03\x04"):
        return "kmz" if is_kmz(data) else "xlsx"
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith((b"<?xml", b"<kml")):
        return "kml"
    return "csv"
