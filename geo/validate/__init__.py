"""Validate a read table and normalise it into the events frame of docs/ARCHITECTURE.md.

Every row ends either in ``events`` or named by at least one error ``Problem``; warnings keep
the row and say what was read. Checks run column by column over whole Series; parsing runs
once per distinct value. Beyond the column matching of :mod:`geo.read.columns`, one module per
family of columns holds the rules (and states them in its docstring):

- :mod:`geo.validate.dates`: ``date``, ``date_start``, ``date_end``, ``date_precision``;
- :mod:`geo.validate.counts`: ``count_*`` and ``count_text``;
- :mod:`geo.validate.location`: ``place_names``, ``admin1_codes``, ``lat``/``lon``,
  ``geo_precision``;
- :mod:`geo.validate.sources`: ``source_url``, ``source_org``, ``source_published``;
- :mod:`geo.validate.ids`: ``event_id``, ``same_event_as`` and duplicate rows;
- :mod:`geo.validate.core`: the cells they read, the ``Findings`` they return and the output
  frame.

Each check reads the table's cells and returns what it found (normalised columns, problems);
:func:`validate_table` puts the findings together. Place names, province codes and the land
come from the :class:`~geo.reference.Reference` passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.budget import check_time, time_budget
from geo.errors import InputFileError, Problem
from geo.read import read_table
from geo.read.columns import match_columns
from geo.read.common import UPLOAD, Limits, RawTable
from geo.reference import Reference, load_reference
from geo.reference.schema import EVENT_TYPES
from geo.validate.core import Findings, SchemaCells, assemble_events, empty_events
from geo.validate.counts import check_counts
from geo.validate.dates import check_dates
from geo.validate.earlier import BatchMemory
from geo.validate.ids import (
    check_claim_targets,
    check_duplicates,
    check_ids,
    check_links,
    first_rows_of,
)
from geo.validate.layouts import read_layout
from geo.validate.location import check_location
from geo.validate.sources import check_sources

__all__ = ["ValidationResult", "load_events", "validate_table"]


@dataclass
class ValidationResult:
    """The valid events of a file and every problem found in it."""

    events: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def valid(self) -> int:
        """Number of rows kept as events."""
        return len(self.events)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"rows", "valid", "problems": [...]}``, ready for JSON."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "problems": [p.to_dict() for p in self.problems],
        }


def validate_table(
    raw: RawTable,
    reference: Reference,
    fmt: str = "auto",
    *,
    memory: BatchMemory | None = None,
    geometry: bool = True,
) -> ValidationResult:
    """Validate a read table and normalise its valid rows.

    Parameters
    ----------
    raw : RawTable
        From ``geo.read.read_table``: all-text cells plus the int ``row`` column.
    reference : Reference
        The gazetteer, province codes and land the location columns are checked against
        (``geo.reference.load_reference()``).
    fmt : str
        What to read the file as (``geo.validate.layouts.FORMATS``): ``"auto"`` lets its
        headers decide, ``"schema"`` reads this tool's columns, or a data set's layout.
    memory : BatchMemory, optional
        When ``raw`` is one batch of a file's rows (``geo.stream``): the rest of the file,
        which its ids and duplicate rows are checked against (``geo.validate.earlier``).
    geometry : bool
        False leaves the events' geometry column empty (``lat``/``lon`` hold the points), for
        callers that need no shapes (``core.assemble_events``).

    Returns
    -------
    ValidationResult
        ``events`` in the normalised shape of docs/ARCHITECTURE.md; ``problems`` with the read
        problems first, then whole-file problems, then row problems in row order.
    """
    reading = read_layout(raw, reference, fmt)
    raw, layout_problems = reading.table, reading.problems
    frame = raw.frame
    read_problems = list(raw.problems)
    if any(p.severity == "error" for p in layout_problems):  # not in the layout chosen
        return ValidationResult(empty_events(), read_problems + layout_problems, len(frame))
    columns = match_columns([c for c in frame.columns if c != "row"])
    problems = read_problems + layout_problems + columns.problems
    if not columns.usable:
        return ValidationResult(empty_events(), problems, len(frame))
    t = SchemaCells(frame, columns.found)
    ids = check_ids(t, memory.ids if memory else None)
    event_ids = ids.columns["event_id"]
    checks: list[Callable[[], Findings]] = [
        partial(_check_event_type, t, memory.rows if memory else t.n),
        partial(check_dates, t),
        partial(check_counts, t),
        partial(check_location, t, reference),
        partial(check_sources, t),
        partial(check_links, t, event_ids),
        partial(check_duplicates, t, event_ids, memory.contents if memory else None),
    ]
    findings = [ids]
    for check in checks:
        check_time()
        findings.append(check())
    read_errors = {p.row for p in read_problems if p.severity == "error" and p.row > 0}
    excluded = np.logical_or.reduce(
        [np.isin(t.rows, list(read_errors))] + [found.excluded for found in findings]
    )
    if memory is None:  # a file read in batches checks its claims once all are read
        targets = check_claim_targets(t, event_ids, ~excluded, first_rows_of(event_ids, t.rows))
        findings.append(targets)
        excluded |= targets.excluded
    row_problems = sorted(
        (reading.restate(p) for found in findings for p in found.problems), key=lambda p: p.row
    )
    return ValidationResult(
        assemble_events(t, findings, excluded, geometry=geometry),
        problems + row_problems,
        len(frame),
    )


def _check_event_type(t: SchemaCells, file_rows: int) -> Findings:
    """Return ``event_type`` and unknown types; a missing type is assumed, never silently.

    With no ``event_type`` column every row is read as ``forced_return`` (one whole-file
    warning naming the file's ``file_rows``); an empty cell is read so too (a warning of its
    row). Either way the row's ``assumed`` column names ``event_type``, so the summary and
    exports can say so.
    """
    found = Findings(t)
    found.columns["event_type"] = t.choice("event_type", EVENT_TYPES, "forced_return", found)
    if "event_type" in t.found:
        missing = t.cell("event_type") == ""
        found.add(
            missing, "event_type", t.cell("event_type"), "event_type empty; read as forced_return",
            "warning",
        )  # fmt: skip
    else:
        missing = pd.Series(True, index=t.cell("event_type").index)
        if file_rows:
            found.problems.append(
                Problem(
                    0,
                    "",
                    "forced_return",
                    "warning",
                    f"the file has no event_type column: each of its {file_rows:,} rows is read "
                    "as forced_return (a forced return of North Koreans from China); add an "
                    f"event_type column ({', '.join(EVENT_TYPES)}) to say otherwise",
                )
            )
    found.columns["assumed"] = missing.map({True: "event_type", False: ""})
    return found


def load_events(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    reference: Reference | None = None,
    fmt: str = "auto",
    limits: Limits = UPLOAD,
    geometry: bool = True,
) -> ValidationResult:
    """Read a file (``geo.read.read_table``) and validate it.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes (an upload).
    filename : str, optional
        The file's name, used to tell its format when ``source`` is bytes.
    reference : Reference, optional
        What to check locations against; ``geo.reference.load_reference()`` when omitted.
    fmt : str, optional
        What to read the file as (see :func:`validate_table`); its headers decide by default.
    limits : Limits, optional
        Its largest size and longest time: an upload's (``geo.read.common.UPLOAD``) by default,
        ``geo.read.common.LOCAL`` for a file on the user's own machine.
    geometry : bool, optional
        False leaves the events' geometry column empty (see :func:`validate_table`).

    Returns
    -------
    ValidationResult
        With no events and the file's problem when it cannot be read at all, or when it is
        larger than ``limits`` allow or reading and validating it takes longer.
    """
    reference = load_reference() if reference is None else reference
    try:
        with time_budget(limits.seconds):
            table = read_table(source, filename, max_bytes=limits.max_bytes)
            return validate_table(table, reference, fmt, geometry=geometry)
    except InputFileError as err:
        return ValidationResult(empty_events(), [err.problem], 0)
