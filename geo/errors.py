"""Problems found in input data, and the errors that carry them."""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal, TypeVar

Severity = Literal["error", "warning"]
T = TypeVar("T")
_NUMBERS = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of the input.

    ``row`` is the row number a person sees in the file: for CSV and XLSX the header is row 1
    and the first record row 2; for GeoJSON the first feature is row 1; 0 means the whole file.
    ``column`` is the column name as written in the file ('' for a whole row or file).
    An ``error`` excludes the row; a ``warning`` keeps it. ``more_rows`` counts the further
    rows with the same problem that are not listed one by one (``LISTED_PER_CHECK``); the
    message then names them.
    """

    row: int
    column: str
    value: str
    severity: Severity
    message: str
    more_rows: int = 0

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict (``more_rows`` only when not 0)."""
        fields = asdict(self)
        if not self.more_rows:
            del fields["more_rows"]
        return fields


#: Rows listed one by one for each problem of each column; further rows with the same problem
#: are counted in one more ``Problem`` (its ``more_rows``), so a file of 200,000 bad rows
#: gives a report of thousands of lines, not a million (docs/INPUT.md).
LISTED_PER_CHECK = 1_000


def list_problems(items: Sequence[T], problem: Callable[[T], Problem]) -> list[Problem]:
    """Return the problems of ``items`` (in row order): the first ones listed, the rest counted.

    ``problem(item)`` makes one item's problem; ``LISTED_PER_CHECK`` are listed one by one.
    The last problem is the first unlisted item's, its message extended by how many more rows
    have the same kind of problem, up to which row; its ``more_rows`` holds the count.
    """
    cap = LISTED_PER_CHECK if len(items) > LISTED_PER_CHECK + 1 else len(items)
    listed = [problem(item) for item in items[:cap]]
    if cap == len(items):
        return listed
    first, last, more = problem(items[cap]), problem(items[-1]), len(items) - cap - 1
    where = f"{first.column} has" if first.column else "the file has"
    note = (
        f"; {where} the same kind of {first.severity} in {more:,} more rows up to row "
        f"{last.row:,}, not listed one by one (only the first {LISTED_PER_CHECK:,} rows of "
        "each are)"
    )
    return [*listed, replace(first, message=first.message.rstrip(".") + note, more_rows=more)]


def cap_repeated(problems: Sequence[Problem]) -> list[Problem]:
    """Return ``problems`` with each kind listed for its first rows and the rest counted.

    A kind is a column, a severity and a message that differs only in its numbers (``Row 7 has
    1 field`` and ``Row 9 has 2 fields`` are one kind); see :func:`list_problems`. The
    problems keep their order (the counting problem stands where its first row would).
    """
    kinds: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in problems:
        kind = (problem.column, problem.severity, _NUMBERS.sub("#", problem.message))
        kinds.setdefault(kind, []).append(problem)
    shown: dict[int, Problem] = {}
    for group in kinds.values():  # the counting problem stands for the first unlisted one
        for original, listed in zip(group, list_problems(group, lambda p: p), strict=False):
            shown[id(original)] = listed
    return [shown[id(p)] for p in problems if id(p) in shown]


def count_problems(problems: Iterable[Problem], severity: Severity | None = None) -> int:
    """Return how many problems ``problems`` stand for (of ``severity``, when given)."""
    return sum(1 + p.more_rows for p in problems if severity in (None, p.severity))


class BorderMapError(Exception):
    """Base class of this project's errors."""


class InputFileError(BorderMapError):
    """The file as a whole cannot be read (encoding, format, size); carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
