"""The audit of exports: a download of a saved dataset's data is recorded in its audit trail."""

from __future__ import annotations

from storage.store import Store

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
