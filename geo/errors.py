"""Problems found in input data, and the errors that carry them."""

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of the input.

    ``row`` is the row number a person sees in the file: for CSV and XLSX the header is row 1
    and the first record row 2; for GeoJSON the first feature is row 1; 0 means the whole file.
    ``column`` is the column name as written in the file ('' for a whole row or file).
    An ``error`` excludes the row; a ``warning`` keeps it.
    """

    row: int
    column: str
    value: str
    severity: Severity
    message: str

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return asdict(self)


class BorderMapError(Exception):
    """Base class of this project's errors."""


class InputFileError(BorderMapError):
    """The file as a whole cannot be read (encoding, format, size); carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
