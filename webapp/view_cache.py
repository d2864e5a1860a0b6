"""What a view's timeline and table are built from, kept in the session for the views shown lately.

A rerun that keeps the view (a tab opened, the export panel used, a zoom reported) or comes
back to a recent one (presets switched back and forth while presenting) takes the built chart
or table instead of building it again. An entry belongs to the dataset's events it was built
from, compared by identity: another dataset, or the shipped file read again, empties the cache,
so no result outlives the data it shows and the session holds no other dataset.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
_STATE = "view_cache"
#: Views kept per kind of result.
KEPT = 8


def cached_for_view(kind: str, source: object, key: Hashable, build: Callable[[], T]) -> T:
    """Return ``build()`` for ``key``, built once per session while ``source`` stays the same.

    Parameters
    ----------
    kind
        What is built (``"timeline"``, ``"table"``): each kind keeps its last :data:`KEPT` keys.
    source
        The dataset's events the result derives from (compared with ``is``).
    key
        Everything else the result depends on (the view, the language, the slider date).
    build
        Builds the result.
    """
    caches: dict[str, tuple[object, OrderedDict]] = st.session_state.setdefault(_STATE, {})
    owner, entries = caches.get(kind, (None, OrderedDict()))
    if owner is not source:
        entries = OrderedDict()
        caches[kind] = (source, entries)
    if key in entries:
        entries.move_to_end(key)
        return entries[key]
    value = entries[key] = build()
    while len(entries) > KEPT:
        entries.popitem(last=False)
    return value
