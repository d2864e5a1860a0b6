"""Uploads and saved datasets in the sidebar; the validation report in the main area.

An uploaded CSV / XLSX / GeoJSON / KML / KMZ is validated (cached by content), its valid rows
are mapped at once, and the original file with its validated events is saved in the workspace,
so it can be reselected or deleted after a restart. A link names the dataset it shows
(``dataset=<id>``, ``geo.view.ViewParams.dataset``); opening it selects that saved dataset,
or the shipped data with a notice when the workspace has no such dataset.

Labels, counts and the report's headers are in the page's language; the report's CSV keeps
the machine-readable English headers (``REPORT_COLUMNS``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo.errors import Problem, count_problems
from geo.pipeline import Dataset
from geo.read import EXTENSIONS
from geo.validate.core import empty_events
from geo.validate.layouts import FORMAT_NAMES, FORMATS
from geo.view import view_from_query
from i18n import N_, _, current_language
from i18n.formats import number
from i18n.problems import translate_problem, translate_severity
from render.exports.data import safe_csv_bytes
from webapp.data_loading import (
    SHIPPED_NAME,
    saved_dataset,
    shipped_dataset,
    validated_dataset,
)
from webapp.language import in_language
from webapp.links import is_link
from webapp.markdown_text import plain
from webapp.workspace import Workspace, WorkspaceFull

#: Largest accepted upload; keep in step with ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 20
#: The file types the uploader takes: every extension ``geo.read.read_table`` reads.
UPLOAD_TYPES = [suffix.lstrip(".") for suffix in EXTENSIONS]
SHIPPED = "shipped"
_LAST_UPLOAD = "_last_upload_id"
REPORT_COLUMNS = ["row", "column", "value", "severity", "problem"]
#: The data panel's select widgets whose option labels are translated (``keep_choices``).
CHOICE_KEYS = ("read_as", "dataset")
#: The report's headers as shown (translated where shown), and its severities.
REPORT_HEADERS = {
    "row": N_("row"), "column": N_("column"), "value": N_("value"),
    "severity": N_("severity"), "problem": N_("problem"),
}  # fmt: skip


@dataclass
class DatasetChoice:
    """The dataset the view shows, and the file uploaded this session (with its report)."""

    shown: Dataset
    key: str = SHIPPED
    upload: Dataset | None = None
    #: Notices for the page (a linked dataset that is not saved).
    notices: tuple[str, ...] = ()


def report_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """Return the validation report as a table: row, column, value, severity, problem."""
    return pd.DataFrame(
        [(p.row, p.column, p.value, p.severity, p.message) for p in problems],
        columns=REPORT_COLUMNS,
    )


def shown_report(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the report table (:func:`report_frame`) in the current language.

    Headers, severities and problem messages are translated (``i18n.problems``: the messages
    of docs/INPUT.md).
    """
    shown = frame.assign(
        severity=frame["severity"].map(lambda s: translate_severity(str(s))),
        problem=frame["problem"].map(lambda m: translate_problem(str(m))),
    )
    return shown.rename(columns={c: _(REPORT_HEADERS[c]) for c in REPORT_COLUMNS})


def report_csv(problems: Sequence[Problem]) -> bytes:
    """Return the validation report as CSV bytes (UTF-8 with BOM, for spreadsheet programs).

    The report reads as the page shows it, in the current language (:func:`shown_report`).
    Written as the data exports are (``render.exports.data.safe_csv_bytes``): every cell goes
    through the one formula guard, ``render.markup.neutralise``, so a spreadsheet runs none of
    them as a formula, and a cell holding CR or LF stays inside its quoted record.
    """
    return safe_csv_bytes(shown_report(report_frame(problems)).astype(str))


def _css_text(text: str) -> str:
    """Return ``text`` as a CSS string literal (backslash escapes; no quote or ``<`` left)."""
    kept = " •,.;:()"
    return '"' + "".join(c if c.isalnum() or c in kept else f"\\{ord(c):x} " for c in text) + '"'


def uploader_texts_css() -> str:
    """Return CSS that words Streamlit's upload box in the current language.

    Streamlit writes its file uploader's button ("Upload") and instructions ("20MB per file •
    CSV, …") in English only; outside English they are hidden and the current language's are
    drawn in their place (CSS generated content: read by screen readers, kept out of copy).
    """
    button = _("Upload")
    instructions = _("up to {size} MB per file • {types}").format(
        size=MAX_UPLOAD_MB, types=", ".join(t.upper() for t in UPLOAD_TYPES)
    )
    zone = '[data-testid="stFileUploaderDropzone"]'
    return (
        f'{zone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}\n'
        f'{zone} button [data-testid="stMarkdownContainer"]::after '
        f"{{ content: {_css_text(button)}; }}\n"
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}\n'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] div::after '
        f"{{ content: {_css_text(instructions)}; }}"
    )


def _handle_upload(workspace: Workspace) -> Dataset | None:
    """Validate and save this session's upload; return it (None when nothing is uploaded)."""
    if current_language() != "en":
        st.html(f"<style>{uploader_texts_css()}</style>")
    upload = st.sidebar.file_uploader(
        _("Upload events (CSV, XLSX, GeoJSON, KML/KMZ; up to {size} MB)").format(
            size=MAX_UPLOAD_MB
        ),
        type=UPLOAD_TYPES,
        key="upload",
    )
    read_as: str = st.sidebar.selectbox(
        _("Read the file as"),
        FORMATS,
        key="read_as",
        format_func=in_language(lambda f: _(FORMAT_NAMES[f])),
        help=_(
            "Files from ACLED, UCDP GED and GDELT are recognised by their headers; choose "
            "one to read a file in its layout anyway, or this tool's own columns to read a file "
            "as it is (docs/INPUT.md)."
        ),
    )
    if upload is None:
        return None
    content = upload.getvalue()
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        size = f"{len(content) / 1024 / 1024:.1f} MB"
        too_big = Problem(
            0, "", size, "error",
            _("file is larger than {size} MB; split it").format(size=MAX_UPLOAD_MB),
        )  # fmt: skip
        return Dataset(upload.name, empty_events(), rows=0, problems=(too_big,))
    loaded = validated_dataset(content, upload.name, read_as)
    if loaded.events.empty:
        return loaded
    try:
        saved = workspace.save(
            content,
            upload.name,
            loaded.events,
            rows=loaded.rows,
            problems=count_problems(loaded.problems),
            read_as=read_as,
        )
    except WorkspaceFull as full:  # shown by the uploader and in the upload report
        st.sidebar.error(plain(str(full)))
        refused = Problem(0, "", full.usage, "error", str(full))
        return dataclasses.replace(loaded, problems=(refused, *loaded.problems))
    if st.session_state.get(_LAST_UPLOAD) != (upload.file_id, read_as):
        st.session_state[_LAST_UPLOAD] = (upload.file_id, read_as)
        st.session_state["dataset"] = saved.dataset_id
    return loaded


def _delete(workspace: Workspace) -> None:
    chosen = st.session_state.get("dataset", SHIPPED)
    if chosen != SHIPPED:
        workspace.delete(chosen)
        st.session_state["dataset"] = SHIPPED


def _apply_linked_dataset(saved: Sequence[str]) -> tuple[str, ...]:
    """Select the dataset a link names, when the link is read in this run; return notices.

    A link is read on a session's first run or when the query string was changed outside the
    app (as ``webapp.sidebar.render_sidebar`` reads its other values). A malformed id is the
    sidebar's to report; an id the workspace does not have gives a notice and the shipped data.
    """
    if not is_link():
        return ()
    query = st.query_params.to_dict()
    linked, _malformed = view_from_query({"dataset": query.get("dataset", "")})
    if linked.dataset is None or linked.dataset in saved:
        st.session_state["dataset"] = linked.dataset or SHIPPED
        return ()
    st.session_state["dataset"] = SHIPPED
    return (
        _(
            "Ignored dataset={value}: no saved dataset has this id in this workspace (it may "
            "have been deleted, or saved on another server); showing the shipped data."
        ).format(value=linked.dataset),
    )


def render_data_panel(workspace: Workspace) -> DatasetChoice:
    """Draw the upload and dataset controls in the sidebar and return the chosen dataset.

    Parameters
    ----------
    workspace
        Where uploads are saved.
    """
    st.sidebar.header(_("Data"))
    upload = _handle_upload(workspace)
    saved = {s.dataset_id: s for s in workspace.list()}
    notices = _apply_linked_dataset(list(saved))
    if st.session_state.get("dataset", SHIPPED) not in (SHIPPED, *saved):
        st.session_state["dataset"] = SHIPPED
    labels = {SHIPPED: _(SHIPPED_NAME)} | {k: s.label for k, s in saved.items()}
    chosen: str = st.sidebar.selectbox(
        _("Dataset"), list(labels), key="dataset", format_func=in_language(labels.__getitem__)
    )
    if chosen == SHIPPED:
        return DatasetChoice(shipped_dataset(), SHIPPED, upload, notices)
    st.sidebar.button(
        _("Delete this saved dataset"),
        key="delete_dataset",
        on_click=_delete,
        args=(workspace,),
    )
    content = workspace.events_bytes(chosen)
    if content is None:  # deleted by another session since it was listed
        st.sidebar.info(_("This saved dataset was deleted meanwhile; showing the shipped events."))
        return DatasetChoice(shipped_dataset(), SHIPPED, upload, notices)
    return DatasetChoice(
        saved_dataset(content, saved[chosen].filename), chosen, upload, notices
    )


def render_upload_report(choice: DatasetChoice) -> None:
    """Show the validation report of this session's upload, with a CSV download."""
    upload = choice.upload
    if upload is None:
        return
    valid = len(upload.events)
    whole_file = [p for p in upload.problems if p.row == 0 and p.severity == "error"]
    refused = bool(whole_file)
    counts = {
        "name": plain(upload.name),
        "valid": number(valid),
        "rows": number(upload.rows),
        "problems": number(count_problems(upload.problems)),
    }
    if valid and not refused:
        summary = _("{name}: {valid} of {rows} rows valid and mapped; {problems} problem(s).")
    else:
        summary = _("{name}: {valid} of {rows} rows valid; {problems} problem(s).")
    summary = summary.format(**counts)
    if valid and not upload.problems:
        st.success(summary)
    elif valid and not refused:
        st.warning(summary)
    elif valid:
        st.error(summary + _(" The file was not saved or mapped: see the first problem."))
    else:
        why = translate_problem(whole_file[0].message) if whole_file else ""
        reason = f" {plain(why[:1].upper() + why[1:])}" if why else ""
        st.error(summary + _(" Nothing could be mapped; the file was not saved.") + reason)
    if upload.problems:
        with st.expander(_("Validation report"), expanded=True, key="upload_report_expander"):
            st.dataframe(
                shown_report(report_frame(upload.problems)), key="upload_report", hide_index=True
            )
            st.download_button(
                _("Download the report (CSV)"),
                report_csv(upload.problems),
                file_name=f"{upload.name}-validation.csv",
                mime="text/csv",
                key="download_report",
            )
