"""The dataset owner's choice of sensitive columns (issue 16), for the dataset's manage panel.

The owner marks the columns whose text can name people (``geo.reference.schema.
SENSITIVE_COLUMNS`` present in the dataset); public links and exports made for publication
leave their text out (``geo.withhold``) and say so in their data note. Each change is saved at
once with ``Store.set_sensitive_columns`` (which records it in the audit trail).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import streamlit as st

from geo.withhold import markable_columns, withhold
from i18n import _
from render.wording import sensitive_column_label
from storage.store import DatasetInfo, StorageError, Store

#: Session state: the marks the widget last showed, per dataset (to follow changes made
#: elsewhere) and the message of the last save.
_SHOWN = "sensitive_columns_shown"
_SAVED = "sensitive_columns_saved"


_PUBLISHED = "sensitive_columns_published"


def published_events(events: gpd.GeoDataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Return the dataset's events with ``columns`` withheld (``geo.withhold.withhold``).

    The same frame while ``events`` and ``columns`` stay the same (kept for the session), so
    the parts of the page cached per dataset (``webapp.view_cache``: the timeline, the table)
    are not built again on each run. No columns: ``events`` itself.
    """
    if not columns:
        return events
    kept = st.session_state.get(_PUBLISHED)
    if kept is not None and kept[0] is events and kept[1] == columns:
        return kept[2]
    out = withhold(events, columns)
    st.session_state[_PUBLISHED] = (events, columns, out)
    return out


def widget_key(dataset_id: str) -> str:
    """Return the key of the multiselect of a dataset's sensitive columns."""
    return f"sensitive_columns_{dataset_id}"


def _save(store: Store, user_id: str, dataset_id: str) -> None:
    """Save the multiselect's columns as the dataset's sensitive columns (on change)."""
    chosen = st.session_state.get(widget_key(dataset_id), [])
    try:
        info = store.set_sensitive_columns(user_id, dataset_id, chosen)
    except (StorageError, ValueError) as exc:
        st.session_state[_SAVED] = (dataset_id, "error", str(exc))
        return
    st.session_state.setdefault(_SHOWN, {})[dataset_id] = info.sensitive_columns
    st.session_state[_SAVED] = (dataset_id, "ok", "")


def render_sensitive_columns(
    store: Store, user_id: str | None, dataset_info: DatasetInfo, columns: Iterable[str]
) -> tuple[str, ...]:
    """Draw the sensitive columns of a dataset: a choice for its owner, a line for others.

    Parameters
    ----------
    store
        The app's store.
    user_id
        The signed-in user (None: signed out).
    dataset_info
        The dataset as ``user_id`` sees it (``Store.dataset``).
    columns
        The columns of the dataset's events (only markable ones present are offered, and
        those marked already).

    Returns
    -------
    tuple of str
        The columns marked sensitive after this run (saved).
    """
    marked = dataset_info.sensitive_columns
    if dataset_info.role != "owner" or user_id is None:
        if marked:
            st.caption(
                _("Sensitive columns (marked by the dataset's owner, left out of public links "
                  "and of files for publication): {columns}.").format(
                    columns=_(", ").join(sensitive_column_label(c) for c in marked))
            )  # fmt: skip
        return marked
    key = widget_key(dataset_info.id)
    shown = st.session_state.setdefault(_SHOWN, {})
    if key not in st.session_state or shown.get(dataset_info.id) != marked:
        st.session_state[key] = list(marked)  # follow a change saved elsewhere
        shown[dataset_info.id] = marked
    options = markable_columns((*columns, *marked))
    st.multiselect(
        _("Sensitive columns"),
        options,
        key=key,
        format_func=sensitive_column_label,
        on_change=_save,
        args=(store, user_id, dataset_info.id),
        placeholder=_("None marked"),
        help=_(
            "Mark the columns whose text can name people or the sources who spoke (notes, "
            "quotes, sources). Public links and files made for publication leave their text "
            "out and say so in their data note; the dates, places and counts stay. You and "
            "those you share the dataset with can still make complete files."
        ),
    )
    saved = st.session_state.pop(_SAVED, None)
    if saved and saved[0] == dataset_info.id:
        if saved[1] == "ok":
            st.caption(_("Saved: the sensitive columns apply to every version of the dataset."))
        else:
            st.error(_("The sensitive columns could not be saved: {reason}").format(
                reason=saved[2]))  # fmt: skip
    return tuple(shown.get(dataset_info.id, marked))
