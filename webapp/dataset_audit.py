"""The audit of exports: a download of a saved dataset's data is recorded in its audit trail."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from storage.store import NotFound, Store

#: The shipped data's dataset key (``webapp.uploads.SHIPPED``): public, its exports not audited.
_SHIPPED = "shipped"


def record_export(
    store: Store, user: str | None, dataset_key: str, fmt: str, version: int | None = None
) -> None:
    """Record that ``user`` exports the dataset ``dataset_key`` as ``fmt`` (nothing for shipped).

    Call before handing out the file. ``version``: the version shown (None: not known).

    Raises
    ------
    storage.store.NotFound
        The dataset is gone, or ``user`` may no longer see it: hand out nothing.
    """
    if dataset_key in (_SHIPPED, ""):
        return
    store.record_export(user, dataset_key, version, fmt)


def export_recorder(
    store: Store, user: str | None, dataset_key: str, version: int | None
) -> Callable[[str], None]:
    """Return the export panel's ``on_export``: record each download of the dataset shown.

    It runs when a download button is clicked, after the page was drawn for a user allowed to
    export; a dataset deleted or unshared in between is then not recorded (nothing to record
    it against) rather than failing the page.
    """

    def record(detail: str) -> None:
        with contextlib.suppress(NotFound):
            record_export(store, user, dataset_key, detail, version)

    return record
