"""The time reading and validating one file may take: longer is refused, never run for minutes.

``geo.validate.load_events`` reads and validates a file inside :func:`time_budget`; the loops
whose work grows with the file (per distinct value, per XLSX row, between checks) call
:func:`check_time`,
which raises :class:`ValidationTimeout` (an ``InputFileError``: one whole-file problem) once the
budget is spent. A budget already running (an outer ``time_budget``) is kept, not extended.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from geo.errors import InputFileError, Problem

__all__ = ["VALIDATION_SECONDS", "ValidationTimeout", "check_time", "time_budget"]

#: The longest one file's reading and validation may run (docs/INPUT.md).
VALIDATION_SECONDS = 30.0

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "validation_deadline", default=None
)


class ValidationTimeout(InputFileError):
    """Reading and validating the file took longer than its budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            Problem(
                0,
                "",
                f"{seconds:g} s",
                "error",
                f"checking this file took longer than {seconds:g} s, the longest one file may "
                "take; split it into smaller files (or remove columns this tool does not read)",
            )
        )


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Run the block under a validation time budget (``VALIDATION_SECONDS`` by default)."""
    if _deadline.get() is not None:
        yield
        return
    limit = VALIDATION_SECONDS if seconds is None else seconds
    token = _deadline.set((time.monotonic() + limit, limit))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise :class:`ValidationTimeout` when the running budget is spent (no budget: no-op)."""
    running = _deadline.get()
    if running is not None and time.monotonic() > running[0]:
        raise ValidationTimeout(running[1])
