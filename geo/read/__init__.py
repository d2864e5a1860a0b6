"""Read a user's events file (CSV, XLSX, GeoJSON, KML/KMZ, Parquet) into text cells: ``read_table``.

Nothing is interpreted here (dates, counts and places are ``geo.validate``'s job): every cell
is the text the file holds, and whatever cannot be read is reported as a ``Problem``.
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import InputFileError, cap_repeated
from geo.read.common import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    Format,
    RawTable,
    file_error,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "EXTENSIONS",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "RawTable",
    "is_parquet",
    "read_table",
    "too_big",
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
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
ACCEPTED_FORMATS = (
    "CSV (.csv, .tsv, .txt), Excel (.xlsx), GeoJSON (.geojson, .json), KML/KMZ (.kml, .kmz: "
    "Google My Maps, Google Earth) or Parquet (.parquet, .geoparquet)"
)


def is_parquet(path: str | Path) -> bool:
    """Whether ``read_table`` reads the file at ``path`` as Parquet (by its extension)."""
    return EXTENSIONS.get(Path(path).suffix.lower()) == "parquet"


def read_table(
    source: str | Path | bytes, filename: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> RawTable:
    r"""Read a CSV, XLSX, GeoJSON, KML, KMZ or Parquet file into a ``RawTable`` of text cells.

    Parameters
    ----------
    source : str, Path or bytes
        A path to the file, or its content (an upload).
    filename : str, optional
        The file's name, used for its extension. Defaults to the path's name. Without either,
        the format is sniffed: a zip archive holding a ``.kml`` is KMZ, another XLSX; text
        starting with ``{`` is GeoJSON, with ``<?xml`` or ``<kml`` KML; anything else CSV. A
        ``.kml`` or ``.kmz`` file is read as what its bytes are (a zip or XML text).
    max_bytes : int, optional
        The largest file accepted (``MAX_FILE_BYTES``, an upload's limit, by default).

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
        size = _size(path)
        if size > max_bytes:
            raise too_big(size, max_bytes)
        data = _read_file(path)
    else:
        data = source
    if len(data) > max_bytes:
        raise too_big(len(data), max_bytes)
    fmt = _format(data, filename)
    # Each reader (and the libraries it needs) is imported for its own format only.
    if fmt == "xlsx":
        from geo.read.xlsx import read_xlsx

        table = read_xlsx(data)
    elif fmt in ("kml", "kmz"):
        from geo.read.kml import read_kml

        table = read_kml(data)
    elif fmt == "parquet":
        from geo.read.parquet import read_parquet

        table = read_parquet(data)
    else:
        from geo.read.csv import read_csv
        from geo.read.encoding import detect_encoding
        from geo.read.geojson import read_geojson

        found = detect_encoding(data)
        reader = read_csv if fmt == "csv" else read_geojson
        table = reader(data, found.encoding)
        table.problems[:0] = found.problems
    table.problems = cap_repeated(table.problems)
    return table


def too_big(size: int, max_bytes: int) -> InputFileError:
    """Return the refusal of a file of ``size`` bytes, more than ``max_bytes``."""
    return file_error(
        f"The file is {size / 2**20:,.0f} MB; at most {max_bytes // 2**20:,} MB is accepted. "
        "Split it into smaller files."
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise _unopened(path, exc) from exc


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unopened(path, exc) from exc


def _unopened(path: Path, exc: OSError) -> InputFileError:
    return file_error(f"The file {path.name} cannot be opened: {exc.strerror}.", str(path))


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
    if data.startswith(b"PAR1"):
        return "parquet"
    if data.startswith(b"PK\x03\x04"):
        from geo.read.kml import is_kmz

        return "kmz" if is_kmz(data) else "xlsx"
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith((b"<?xml", b"<kml")):
        return "kml"
    return "csv"
