"""Uploads and saved datasets in the sidebar; the validation report in the main area.

An uploaded CSV / XLSX / GeoJSON is validated (cached by content), its valid rows are mapped at
once, and the original file with its validated events is saved in the workspace, so it can be
reselected or deleted after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.errors import Problem
from webapp.data_loading import saved_content, shipped_dataset, validate_content
from webapp.markdown_text import plain
from webapp.workspace import Workspace

#: Largest accepted upload; keep in step with ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 20
UPLOAD_TYPES = ["csv", "xlsx", "geojson", "json"]
SHIPPED = "shipped"
_LAST_UPLOAD = "_last_upload_id"
REPORT_COLUMNS = ["row", "column", "value", "severity", "problem"]


@dataclass
class DatasetChoice:
    """The dataset the view shows, and the validation report of a file uploaded this session."""

    name: str
    events: gpd.GeoDataFrame | None
    key: str = SHIPPED
    report_name: str = ""
    report: list[Problem] = field(default_factory=list)
    report_rows: int = 0
    report_valid: int = 0
    uploaded: bool = False


def report_frame(problems: list[Problem]) -> pd.DataFrame:
    """Return the validation report as a table: row, column, value, severity, problem."""
    return pd.DataFrame(
        [(p.row, p.column, p.value, p.severity, p.message) for p in problems],
        columns=REPORT_COLUMNS,
    )


def report_csv(problems: list[Problem]) -> bytes:
    """Return the validation report as CSV bytes (UTF-8 with BOM, for spreadsheet programs).

    Cells starting with ``=``, ``+``, ``-`` or ``@`` are prefixed with ``'`` so a spreadsheet
    does not run them as formulas.
    """
    frame = report_frame(problems).astype(str)
    frame = frame.apply(lambda c: c.mask(c.str.match(r"^[=+\-@\t\r]"), "'" + c))
    return frame.to_csv(index=False).encode("utf-8-sig")


def _handle_upload(workspace: Workspace, choice: DatasetChoice) -> None:
    upload = st.sidebar.file_uploader(
        f"Upload events (CSV, XLSX, GeoJSON; up to {MAX_UPLOAD_MB} MB)",
        type=UPLOAD_TYPES,
        key="upload",
    )
    if upload is None:
        return
    content = upload.getvalue()
    choice.uploaded = True
    choice.report_name = upload.name
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        size = f"{len(content) / 1024 / 1024:.1f} MB"
        choice.report = [
            Problem(0, "", size, "error", f"file is larger than {MAX_UPLOAD_MB} MB; split it")
        ]
        return
    loaded = validate_content(content, upload.name)
    choice.report, choice.report_rows = loaded.problems, loaded.rows
    if loaded.events.empty:
        return
    choice.report_valid = len(loaded.events)
    saved = workspace.save(
        content, upload.name, loaded.events, rows=loaded.rows, problems=len(loaded.problems)
    )
    if st.session_state.get(_LAST_UPLOAD) != upload.file_id:
        st.session_state[_LAST_UPLOAD] = upload.file_id
        st.session_state["dataset"] = saved.dataset_id


def _delete(workspace: Workspace) -> None:
    chosen = st.session_state.get("dataset", SHIPPED)
    if chosen != SHIPPED:
        workspace.delete(chosen)
        st.session_state["dataset"] = SHIPPED


def render_data_panel(workspace: Workspace) -> DatasetChoice:
    """Draw the upload and dataset controls in the sidebar and return the chosen dataset.

    Parameters
    ----------
    workspace
        Where uploads are saved.
    """
    st.sidebar.header("Data")
    choice = DatasetChoice(name="Shipped events (data/events.csv)", events=None)
    _handle_upload(workspace, choice)
    saved = {s.dataset_id: s for s in workspace.list()}
    if st.session_state.get("dataset", SHIPPED) not in (SHIPPED, *saved):
        st.session_state["dataset"] = SHIPPED
    labels = {SHIPPED: choice.name} | {k: s.label for k, s in saved.items()}
    chosen = st.sidebar.selectbox("Dataset", list(labels), key="dataset", format_func=labels.get)
    if chosen == SHIPPED:
        choice.events = shipped_dataset().events
        return choice
    st.sidebar.button(
        "Delete this saved dataset", key="delete_dataset", on_click=_delete, args=(workspace,)
    )
    choice.name, choice.key = saved[chosen].filename, chosen
    choice.events = saved_content(workspace.events_path(chosen).read_bytes())
    return choice


def render_upload_report(choice: DatasetChoice) -> None:
    """Show the validation report of this session's upload, with a CSV download."""
    if not choice.uploaded:
        return
    summary = (
        f"{plain(choice.report_name)}: {choice.report_valid} of {choice.report_rows} rows "
        f"valid and mapped; {len(choice.report)} problem(s)."
    )
    if choice.report_valid and not choice.report:
        st.success(summary)
    elif choice.report_valid:
        st.warning(summary)
    else:
        st.error(summary + " Nothing could be mapped; the file was not saved.")
    if choice.report:
        with st.expander("Validation report", expanded=True):
            st.dataframe(report_frame(choice.report), key="upload_report", hide_index=True)
            st.download_button(
                "Download the report (CSV)",
                report_csv(choice.report),
                file_name=f"{choice.report_name}-validation.csv",
                mime="text/csv",
                key="download_report",
            )
