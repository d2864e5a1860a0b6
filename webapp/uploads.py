"""Uploads in the sidebar; the validation report in the main area.

An uploaded CSV / XLSX / GeoJSON / KML / KMZ is validated (cached by content), its valid rows
are mapped at once, and the file is saved in the app's store (``storage.store``) as a new
private dataset of the user, or as a new version of the dataset shown when the user chose so,
once per file and reading; its validated events go to the events cache
(``webapp.events_cache``). The dataset panel around it is ``webapp.datasets``.

Labels, counts and the report's headers are in the page's language; the report's CSV keeps
the machine-readable English headers (``REPORT_COLUMNS``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from geo.errors import Problem, count_problems
from geo.pipeline import Dataset
from geo.read import EXTENSIONS
from geo.validate.core import empty_events
from geo.validate.layouts import FORMAT_NAMES, FORMATS
from i18n import N_, _, current_language
from i18n.formats import number
from i18n.problems import translate_problem, translate_severity
from render.exports.data import safe_csv_bytes
from storage.permissions import can_upload_version
from storage.store import DatasetInfo, NotFound, PermissionDenied, Store
from webapp.data_loading import (
    counts_of,
    remember_opened,
    validated_dataset,
    validated_events,
)
from webapp.events_cache import EventsCache
from webapp.language import in_language
from webapp.markdown_text import plain
from webapp.workspace import Workspace, WorkspaceFull

#: Largest accepted upload; keep in step with ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 20
#: The file types the uploader takes: every extension ``geo.read.read_table`` reads.
UPLOAD_TYPES = [suffix.lstrip(".") for suffix in EXTENSIONS]
SHIPPED = "shipped"
#: This session's saved uploads: (file id, format read as) -> the dataset it was saved to.
_SAVED_UPLOADS = "_saved_uploads"
AS_VERSION_KEY = "upload_as_version"
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
    #: The version of a saved dataset shown (None: the shipped data).
    version: int | None = None
    #: The saved dataset shown as the user sees it: role, sensitive columns (None: shipped).
    info: DatasetInfo | None = None


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


def check_quota(store: Store, workspace: Workspace, needed: int) -> None:
    """Refuse (``WorkspaceFull``) an upload that would take the saved contents past the quota.

    The saved datasets' contents in the store count (``Store.content_bytes``: each content
    once, deleted datasets not), against the workspace's quota (``BORDER_MAP_WORKSPACE_QUOTA_MB``).
    """
    used = store.content_bytes()
    if used + needed > workspace.quota_bytes:
        raise WorkspaceFull(workspace.quota_bytes, used, needed)


def _version_target(store: Store, user: str) -> DatasetInfo | None:
    """Return the dataset shown when the user chose to save uploads as its new version.

    Only a dataset the user may upload to (its owner or an editor) is a target. The choice is
    the one :func:`_version_choice` drew on the previous run.
    """
    if not st.session_state.get(AS_VERSION_KEY, False):
        return None
    return _editable_shown(store, user)


def _editable_shown(store: Store, user: str) -> DatasetInfo | None:
    """Return the dataset shown when ``user`` may add versions to it, else None."""
    shown = st.session_state.get("dataset", SHIPPED)
    if shown == SHIPPED:
        return None
    try:
        info = store.dataset(user, shown)
    except NotFound:
        return None
    return info if can_upload_version(info.access) else None


def _version_choice(store: Store, user: str) -> None:
    """Offer to save uploads as a new version of the dataset shown (owner or editor).

    Drawn after this run's upload is saved, so the dataset it names is the one shown now (an
    upload just saved is shown at once, and offered at once).
    """
    info = _editable_shown(store, user)
    if info is None:
        return
    chosen = st.sidebar.checkbox(
        _("Save as a new version of the dataset shown"),
        key=AS_VERSION_KEY,
        help=_("Off: the upload is saved as a new private dataset of yours."),
    )
    if chosen:
        st.sidebar.caption(_("New version of: {name}").format(name=plain(info.name)))


def _save(
    store: Store,
    user: str,
    workspace: Workspace,
    upload: UploadedFile,
    content: bytes,
    read_as: str,
    loaded: Dataset,
    target: DatasetInfo | None,
) -> None:
    """Save a validated upload once: a new dataset, or a new version of ``target``.

    Raises
    ------
    WorkspaceFull, NotFound, PermissionDenied
        Nothing was saved.
    """
    saved: dict[tuple[str, str], str] = st.session_state.setdefault(_SAVED_UPLOADS, {})
    if (upload.file_id, read_as) in saved:
        return  # saved on an earlier run of this session
    check_quota(store, workspace, len(content))
    if target is None:
        info = store.create_dataset(user, content, upload.name, read_as=read_as)
        version = store.versions(user, info.id)[-1]
        name = info.name
    else:
        version = store.upload_version(user, target.id, content, upload.name, read_as=read_as)
        name = target.name
    EventsCache(workspace.root).put(
        version.sha256, version.read_as, validated_events(loaded), counts_of(loaded)
    )
    remember_opened(version, name, loaded)
    saved[(upload.file_id, read_as)] = version.dataset_id
    st.session_state["dataset"] = version.dataset_id


def handle_upload(store: Store, user: str, workspace: Workspace) -> Dataset | None:
    """Validate and save this session's upload; return it (None when nothing is uploaded).

    A file that validates with at least one event is saved once (per file and reading) as a new
    private dataset of ``user``, or as a new version of the dataset shown when the user chose
    so, and shown. A file with no valid event is reported, not saved.
    """
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
    target = _version_target(store, user)
    loaded = _validate_and_save(store, user, workspace, upload, read_as, target)
    _version_choice(store, user)
    return loaded


def _validate_and_save(
    store: Store,
    user: str,
    workspace: Workspace,
    upload: UploadedFile | None,
    read_as: str,
    target: DatasetInfo | None,
) -> Dataset | None:
    """Validate the upload and save it (:func:`_save`); return it with any refusal first."""
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
        _save(store, user, workspace, upload, content, read_as, loaded, target)
    except WorkspaceFull as full:  # shown by the uploader and in the upload report
        st.sidebar.error(plain(str(full)))
        refused = Problem(0, "", full.usage, "error", str(full))
        return dataclasses.replace(loaded, problems=(refused, *loaded.problems))
    except (NotFound, PermissionDenied):  # unshared or deleted since the choice was drawn
        why = _("Not saved: you may no longer add versions to that dataset.")
        st.sidebar.error(why)
        refused = Problem(0, "", "", "error", why)
        return dataclasses.replace(loaded, problems=(refused, *loaded.problems))
    return loaded


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
