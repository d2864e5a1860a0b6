"""What a file's earlier batches held, for validating it batch by batch (``geo.stream``).

Validating a file in batches (``validate_table(..., memory=...)``), a batch's rows are checked
against the rows of the whole file: a repeated ``event_id`` or a row equal to another names the
file's first such row, and a ``same_event_as`` may name an event of any batch. Values are kept
as 64-bit hashes (``value_hashes``) with the first row of each: 12 bytes a distinct value
(10^7 event ids take 120 MB), in sorted runs of at most ``MAX_RUN`` values (merging a run
costs a bounded copy). Two values with the same hash (about one chance in 370,000 among 10^7
values) would read as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["NO_ROW", "BatchMemory", "FirstRows", "value_hashes"]

#: The first row of a value not seen.
NO_ROW = np.iinfo(np.int64).max
#: The most values a run of ``FirstRows`` holds: runs are merged up to this size.
MAX_RUN = 1 << 20


def value_hashes(values: pd.Series | pd.DataFrame) -> NDArray[np.uint64]:
    """Return one 64-bit hash per value (per row of a frame), the same in every batch."""
    return pd.util.hash_pandas_object(values, index=False).to_numpy(dtype=np.uint64)


def _first_of_each(
    hashes: NDArray[np.uint64], rows: NDArray[np.signedinteger]
) -> tuple[NDArray[np.uint64], NDArray[np.signedinteger]]:
    """Return the distinct hashes, sorted, each with its lowest row."""
    order = np.lexsort((rows, hashes))
    hashes, rows = hashes[order], rows[order]
    first = np.r_[True, hashes[1:] != hashes[:-1]] if len(hashes) else np.zeros(0, bool)
    return hashes[first], rows[first]


class FirstRows:
    """Hashed values of a file, each with the first row that holds it.

    ``rows`` is the file's number of rows: rows are kept in 4 bytes when they fit.
    """

    def __init__(self, rows: int = 0) -> None:
        self._dtype = np.int32 if rows < np.iinfo(np.int32).max else np.int64
        self._runs: list[tuple[NDArray[np.uint64], NDArray[np.signedinteger]]] = []

    def __len__(self) -> int:
        return sum(len(hashes) for hashes, _ in self._runs)

    def first(self, hashes: NDArray[np.uint64]) -> NDArray[np.int64]:
        """Return each hash's first row, ``NO_ROW`` for a hash not added."""
        found = np.full(len(hashes), NO_ROW, dtype=np.int64)
        for known, rows in self._runs:
            at = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
            hit = known[at] == hashes
            found[hit] = np.minimum(found[hit], rows[at[hit]])
        return found

    def add(self, hashes: NDArray[np.uint64], rows: NDArray[np.int64]) -> None:
        """Add values at rows; a value already added keeps the lower row.

        Runs of similar size are merged up to ``MAX_RUN`` values, so a lookup searches a few
        runs and each value is copied a few times in all.
        """
        if not len(hashes):
            return
        self._runs.append(_first_of_each(hashes, rows.astype(self._dtype)))
        while (
            len(self._runs) > 1
            and len(self._runs[-1][0]) * 2 >= len(self._runs[-2][0])
            and len(self._runs[-1][0]) + len(self._runs[-2][0]) <= MAX_RUN
        ):
            (h2, r2), (h1, r1) = self._runs.pop(), self._runs.pop()
            self._runs.append(_first_of_each(np.concatenate([h1, h2]), np.concatenate([r1, r2])))


@dataclass
class BatchMemory:
    """What validating one batch of a file needs to know of the others.

    ``rows`` are the file's records; ``ids`` its event ids (every row's when the file has
    claims: ``geo.stream`` reads them first, so a ``same_event_as`` is checked against the whole
    file); ``contents`` its rows after case and space folding
    (``geo.validate.ids.check_duplicates``), the earlier batches'.
    """

    rows: int
    ids: FirstRows = field(init=False)
    contents: FirstRows = field(init=False)

    def __post_init__(self) -> None:
        self.ids = FirstRows(self.rows)
        self.contents = FirstRows(self.rows)
