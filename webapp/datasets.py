"""The "Data" panel of the sidebar: uploads, the dataset shown, and managing saved datasets.

Saved datasets live in the app's store (``storage.store.Store``): each is private to its owner
unless shared with a user or team as viewer or editor, or made public (read-only for anyone
with its link). :func:`render_data_panel` takes the store and the acting user (None: a visitor
who is not signed in), so tests run it as any user. What it offers follows the rules of
``storage.permissions``:

- the **Dataset** select lists the shipped data and the user's own and shared datasets
  (``Store.list_datasets``), each with its newest version and, when not the owner's, the role;
- a link's ``dataset=<id>`` opens the dataset only when ``Store.dataset`` lets the user see it
  (a public one opens read-only, for a signed-out visitor too); any other id gives the same
  notice as one that does not exist, and the shipped data;
- **Manage this dataset**: its versions (and restoring one, for owner and editors); for the
  owner, sharing, the public link, the activity (audit trail, with a CSV download) and a soft
  delete; **Deleted datasets** lists the owner's deleted datasets with a restore for 30 days.

Once per process the old workspace's uploads are imported (``webapp.legacy_import``), and at
most once a day the datasets deleted more than 30 days ago are purged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.validate.layouts import FORMAT_NAMES
from geo.view import ViewParams, query_link, view_from_query
from i18n import N_, _
from i18n.formats import number
from storage import permissions as rules
from storage.permissions import Role
from storage.store import AuditEvent, DatasetInfo, NotFound, StorageError, Store, VersionInfo
from webapp.app_store import LOCAL_USER
from webapp.data_loading import SHIPPED_NAME, shipped_dataset, stored_dataset
from webapp.events_cache import Counts, EventsCache
from webapp.language import in_language
from webapp.legacy_import import import_legacy_workspace
from webapp.links import is_link, page_address
from webapp.markdown_text import plain
from webapp.sensitive_columns import render_sensitive_columns
from webapp.uploads import SHIPPED, DatasetChoice, handle_upload
from webapp.widget_state import set_values
from webapp.workspace import Workspace

DATASET_KEY = "dataset"
MANAGE_KEY = "manage_dataset"
DELETED_KEY = "deleted_datasets"
#: A dataset opened by a link that is not in the user's list (a public one of someone else).
_LINKED = "_linked_dataset"
#: A message from the last action (share, delete, …): (kind, text), shown once.
_MESSAGE = "_dataset_message"
#: Seconds between two purges of expired datasets in one process.
PURGE_EVERY = 24 * 60 * 60
ROLE_NAMES = {"viewer": N_("viewer"), "editor": N_("editor")}
_HOUSEKEEPING = threading.Lock()
_IMPORTED: set[str] = set()
_PURGED: dict[str, float] = {}


def housekeeping(store: Store, workspace: Workspace) -> None:
    """Import the old workspace's uploads once per process; purge expired datasets daily."""
    key = f"{store.engine.url}|{workspace.root}"
    with _HOUSEKEEPING:
        if key not in _IMPORTED:
            import_legacy_workspace(store, workspace.root, store.ensure_user(LOCAL_USER).id)
            _IMPORTED.add(key)
        now = time.monotonic()
        if key not in _PURGED or now - _PURGED[key] >= PURGE_EVERY:
            store.purge_expired(store.clock())
            _PURGED[key] = now


@st.cache_resource(show_spinner=False, max_entries=1_000)
def _version_info(dataset_id: str, number: int, _store: Store, _user: str | None) -> VersionInfo:
    """Return a version's description (versions never change: cached by dataset and number)."""
    found = [v for v in _store.versions(_user, dataset_id) if v.number == number]
    if not found:
        raise NotFound(f"dataset {dataset_id!r} has no version {number}")
    return found[0]


def dataset_label(info: DatasetInfo, counts: Counts | None, read_as: str = "auto") -> str:
    """Return a dataset's label in the Dataset select (in the page's language).

    Its name, newest version, what it was read as (when chosen), its counts once validated, and
    the user's role when not the owner.
    """
    parts = [_("version {n}").format(n=number(info.latest))]
    if read_as != "auto":
        name = _(FORMAT_NAMES.get(read_as, read_as))
        parts.append(_("read as {format}").format(format=name))
    if counts is not None:
        parts.append(
            _("{valid} of {rows} rows valid").format(
                valid=number(counts.valid), rows=number(counts.rows)
            )
        )
    if info.role in ROLE_NAMES:
        parts.append(_("shared with you, {role}").format(role=_(ROLE_NAMES[info.role])))
    elif info.role == "public":
        parts.append(_("public, read-only"))
    return f"{info.name} ({'; '.join(parts)})"


def _not_found_notice(value: str) -> str:
    return _(
        "Ignored dataset={value}: there is no dataset with this id that you may see (it may have "
        "been deleted, not be shared with you, or be on another server); showing the shipped "
        "data."
    ).format(value=value)


def _linked_dataset() -> str | None:
    """Return the dataset id the address bar's link names (None: none, or malformed)."""
    linked, _malformed = view_from_query({"dataset": st.query_params.get("dataset", "")})
    return linked.dataset


def _apply_linked_dataset(store: Store, user: str | None) -> tuple[str, ...]:
    """Select the dataset a link names, when the link is read in this run; return notices.

    A link is read on a session's first run or when the query string was changed outside the
    app. A malformed id is the sidebar's to report; an id of no dataset the user may see gives
    a notice (the same whether it exists or not) and the shipped data.
    """
    if not is_link():
        return ()
    linked = _linked_dataset()
    if linked is None:
        st.session_state[DATASET_KEY] = SHIPPED
        return ()
    try:
        store.dataset(user, linked)
    except NotFound:
        st.session_state[DATASET_KEY] = SHIPPED
        return (_not_found_notice(linked),)
    st.session_state[DATASET_KEY] = linked
    st.session_state[_LINKED] = linked
    return ()


def opens_public_dataset(store: Store) -> bool:
    """Return whether a signed-out visitor's page shows a public dataset (named by its link).

    True when the link names a dataset its owner made public, or this session opened one.
    """
    if st.session_state.get(_LINKED):
        return True
    linked = _linked_dataset()
    if linked is None:
        return False
    try:
        store.dataset(None, linked)
    except NotFound:
        return False
    return True


def _shown_datasets(
    store: Store, user: str | None
) -> tuple[dict[str, DatasetInfo], tuple[str, ...]]:
    """Return the datasets the select offers (listed, and one a link opened) and notices."""
    offered = {d.id: d for d in store.list_datasets(user)}
    notices: tuple[str, ...] = ()
    for key in (st.session_state.get(_LINKED), st.session_state.get(DATASET_KEY)):
        if not key or key == SHIPPED or key in offered:
            continue
        try:
            offered[key] = store.dataset(user, key)
        except NotFound:  # deleted or unshared since it was chosen
            if st.session_state.get(DATASET_KEY) == key:
                st.session_state[DATASET_KEY] = SHIPPED
                notices = (
                    _(
                        "The dataset shown is no longer available to you (deleted, or no longer "
                        "shared with you); showing the shipped data."
                    ),
                )
            st.session_state.pop(_LINKED, None)
    return offered, notices


def render_data_panel(
    store: Store, user: str | None, workspace: Workspace | None = None
) -> DatasetChoice:
    """Draw the data panel in the sidebar and return the dataset chosen.

    Parameters
    ----------
    store
        The app's store (``webapp.app_store.app_store``).
    user
        The acting user's id; None for a visitor who is not signed in (no upload, no list:
        only a public dataset named by a link opens, read-only).
    workspace
        The workspace directory (events cache, quota, old uploads); default ``Workspace()``.
    """
    workspace = workspace or Workspace()
    housekeeping(store, workspace)
    cache = EventsCache(workspace.root)
    st.sidebar.header(_("Data"))
    notices = _apply_linked_dataset(store, user)
    upload = None
    if user is not None:
        upload = handle_upload(store, user, workspace)
    else:
        st.sidebar.caption(_("Sign in to upload files and to see your saved datasets."))
    _show_message()
    offered, gone = _shown_datasets(store, user)
    notices += gone
    if st.session_state.get(DATASET_KEY, SHIPPED) not in (SHIPPED, *offered):
        st.session_state[DATASET_KEY] = SHIPPED
    labels = {SHIPPED: _(SHIPPED_NAME)}
    for key, info in offered.items():
        counts, read_as = None, "auto"
        try:
            newest = _version_info(key, info.latest, store, user)
            counts, read_as = cache.counts(newest.sha256, newest.read_as), newest.read_as
        except NotFound:
            pass
        labels[key] = dataset_label(info, counts, read_as)
    chosen: str = st.sidebar.selectbox(
        _("Dataset"), list(labels), key=DATASET_KEY, format_func=in_language(labels.__getitem__)
    )
    if user is not None:
        _deleted_datasets(store, user)
    if chosen == SHIPPED:
        return DatasetChoice(shipped_dataset(), SHIPPED, upload, notices)
    info = offered[chosen]
    try:
        versions = store.versions(user, chosen)
    except NotFound:  # deleted or unshared meanwhile
        st.session_state[DATASET_KEY] = SHIPPED
        return DatasetChoice(shipped_dataset(), SHIPPED, upload, notices)
    newest = versions[-1]
    opened = stored_dataset(store, user, newest, info.name, cache)
    marked = _manage(store, user, info, versions, opened.dataset.events.columns)
    info = dataclasses.replace(info, sensitive_columns=marked)
    return DatasetChoice(opened.dataset, chosen, upload, notices, newest.number, info)


# --- messages of the actions ---------------------------------------------------------------


def _say(kind: str, text: str) -> None:
    st.session_state[_MESSAGE] = (kind, text)


def _show_message() -> None:
    """Show the last action's message atop the panel, and as a toast beside the button.

    The panel's top may be scrolled out of view when the button (Share, Restore) is low in
    the sidebar; the toast is seen where the user looks.
    """
    message = st.session_state.pop(_MESSAGE, None)
    if message is None:
        return
    kind, text = message
    (st.sidebar.success if kind == "success" else st.sidebar.error)(text)
    st.toast(text, icon="✅" if kind == "success" else "⚠️")


def _acting(action: Callable[[], str]) -> None:
    """Run an action of a button; say what it did, or why it could not."""
    try:
        _say("success", action())
    except StorageError as error:
        _say("error", _("Not done: {reason}").format(reason=plain(str(error))))


# --- managing the dataset shown --------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _role_text(info: DatasetInfo) -> str:
    if info.role == "owner":
        if info.public:
            return _("You own this dataset. It is public: anyone with its link can see it.")
        return _("You own this dataset. It is private unless you share it or make it public.")
    if info.role == "editor":
        return _("Shared with you as editor: you may see, export and upload new versions.")
    if info.role == "viewer":
        return _("Shared with you as viewer: you may see and export it.")
    return _("A public dataset: you may see and export it (read-only).")


def _manage(
    store: Store,
    user: str | None,
    info: DatasetInfo,
    versions: list[VersionInfo],
    columns: Iterable[str],
) -> tuple[str, ...]:
    """Draw the "Manage this dataset" expander: what the user's role allows, nothing more.

    Returns the columns marked sensitive after this run (the owner may change them here).
    """
    access = info.access
    with st.sidebar.expander(_("Manage this dataset"), key="manage_dataset_expander"):
        st.caption(_role_text(info))
        _versions(store, user, info, versions, rules.can_upload_version(access))
        marked = render_sensitive_columns(store, user, info, columns)
        if user is None or not rules.can_share(access):
            return marked
        _sharing(store, user, info)
        _public_link(store, user, info)
        if rules.can_read_audit(access):
            _activity(store, user, info)
        if rules.can_delete(access):
            st.button(
                _("Delete this dataset"),
                key="delete_dataset",
                on_click=_delete,
                args=(store, user, info.id, info.name),
            )
            st.caption(
                _(
                    "A deleted dataset can be restored for {days} days under “Deleted datasets”."
                ).format(days=rules.RESTORE_DAYS)
            )
    return marked


def _versions(
    store: Store,
    user: str | None,
    info: DatasetInfo,
    versions: list[VersionInfo],
    may_restore: bool,
) -> None:
    st.markdown("**" + _("Versions") + "**")
    names = store.user_names(v.uploaded_by for v in versions)
    table = pd.DataFrame(
        {
            _("version"): [v.number for v in reversed(versions)],
            _("file"): [v.filename for v in reversed(versions)],
            _("uploaded by"): [names.get(v.uploaded_by, "") for v in reversed(versions)],
            _("when"): [_when(v.created) for v in reversed(versions)],
            _("restored from"): [
                "" if v.restored_from is None else str(v.restored_from) for v in reversed(versions)
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="dataset_versions")
    if not may_restore or user is None or len(versions) < 2:
        return
    earlier = [v.number for v in reversed(versions[:-1])]
    picked: int = st.selectbox(
        _("Earlier version"),
        earlier,
        key="restore_version_pick",
        format_func=lambda n: _("version {n}").format(n=number(n)),
    )
    st.button(
        _("Restore this version"),
        key="restore_version",
        on_click=_restore_version,
        args=(store, user, info.id, picked),
        help=_("It becomes the newest version; the versions after it are kept."),
    )


def _sharing(store: Store, owner: str, info: DatasetInfo) -> None:
    st.markdown("**" + _("Sharing") + "**")
    for share in store.shares_of(owner, info.id):
        kind = _("team") if share.kind == "team" else _("user")
        line, button = st.columns([3, 1])
        line.caption(
            _("{kind} {name}: {role}").format(
                kind=kind, name=plain(share.grantee_name), role=_(ROLE_NAMES[share.role.value])
            )
        )
        button.button(
            _("Unshare"),
            key=f"unshare_{share.kind}_{share.grantee_id}",
            on_click=_unshare,
            args=(store, owner, info.id, share.kind, share.grantee_id, share.grantee_name),
        )
    st.text_input(_("Share with (a user's or team's name)"), key="share_name", max_chars=200)
    st.selectbox(
        _("as"),
        [Role.VIEWER.value, Role.EDITOR.value],
        key="share_role",
        format_func=in_language(lambda r: _(ROLE_NAMES[r])),
        help=_("A viewer sees and exports it; an editor also uploads new versions."),
    )
    st.button(_("Share"), key="share_dataset", on_click=_share, args=(store, owner, info.id))


def _public_link(store: Store, owner: str, info: DatasetInfo) -> None:
    key = f"public_{info.id}"
    set_values({key: info.public})
    st.toggle(
        _("Public read-only link"),
        key=key,
        on_change=_set_public,
        args=(store, owner, info.id, key),
        help=_("Anyone with the link can see and export this dataset, signed in or not."),
    )
    if info.public:
        st.caption(_("Link to this dataset:"))
        st.code(query_link(ViewParams(dataset=info.id).to_query(), page_address() or ""))


def _who(event: AuditEvent) -> str:
    """Return who did an audited action: a user's name, or a visitor of a public link."""
    return event.user_name or ("" if event.user_id else _("a signed-out visitor"))


def _activity(store: Store, owner: str, info: DatasetInfo) -> None:
    st.markdown("**" + _("Activity") + "**")
    trail = store.audit_trail(owner, info.id)
    table = pd.DataFrame(
        {
            _("when"): [_when(e.at) for e in trail],
            _("who"): [
                e.user_name or ("" if e.user_id else _("a signed-out visitor")) for e in trail
            ],
            _("action"): [e.action for e in trail],
            _("version"): ["" if e.version is None else str(e.version) for e in trail],
            _("detail"): [e.detail for e in trail],
        }
    )
    st.dataframe(table, hide_index=True, key="dataset_activity")
    st.download_button(
        _("Download the activity (CSV)"),
        lambda: store.audit_csv(owner, info.id).encode("utf-8-sig"),  # as of the click
        file_name="activity.csv",
        mime="text/csv",
        key="download_activity",
        on_click="ignore",
    )


def _deleted_datasets(store: Store, owner: str) -> None:
    """Draw the owner's deleted datasets, each with a restore, while there are any."""
    deleted = store.deleted_datasets(owner)
    if not deleted:
        return
    with st.sidebar.expander(
        _("Deleted datasets ({n})").format(n=number(len(deleted))), key="deleted_datasets_expander"
    ):
        for info in deleted:
            assert info.deleted_at is not None
            until = info.deleted_at + dt.timedelta(days=rules.RESTORE_DAYS)
            st.caption(
                _("{name}: deleted {when}; can be restored until {until}.").format(
                    name=plain(info.name), when=_when(info.deleted_at), until=_when(until)
                )
            )
            st.button(
                _("Restore"),
                key=f"restore_dataset_{info.id}",
                on_click=_restore,
                args=(store, owner, info.id, info.name),
            )


# --- the buttons' actions (callbacks: they run before the next run draws the page) ----------


def _delete(store: Store, owner: str, dataset_id: str, name: str) -> None:
    def act() -> str:
        store.delete(owner, dataset_id)
        st.session_state[DATASET_KEY] = SHIPPED
        return _("Deleted {name}. It can be restored for {days} days.").format(
            name=plain(name), days=rules.RESTORE_DAYS
        )

    _acting(act)


def _restore(store: Store, owner: str, dataset_id: str, name: str) -> None:
    def act() -> str:
        store.restore(owner, dataset_id)
        st.session_state[DATASET_KEY] = dataset_id
        return _("Restored {name}.").format(name=plain(name))

    _acting(act)


def _restore_version(store: Store, user: str, dataset_id: str, number_: int) -> None:
    def act() -> str:
        made = store.restore_version(user, dataset_id, number_)
        return _("Version {old} is the newest again, as version {new}.").format(
            old=number(number_), new=number(made.number)
        )

    _acting(act)


def _share(store: Store, owner: str, dataset_id: str) -> None:
    name = str(st.session_state.get("share_name", "")).strip()
    role = Role(st.session_state.get("share_role", Role.VIEWER.value))

    def act() -> str:
        person = store.user_named(name) if name else None
        team = store.team_named(name) if name and person is None else None
        if person is None and team is None:
            raise NotFound(_("there is no user or team named “{name}”").format(name=name))
        if person is not None:
            if person.id == owner:
                raise NotFound(_("you own this dataset already"))
            store.share(owner, dataset_id, role, user=person.id)
        else:
            assert team is not None
            store.share(owner, dataset_id, role, team=team.id)
        st.session_state["share_name"] = ""
        return _("Shared with {name} as {role}.").format(
            name=plain(name), role=_(ROLE_NAMES[role.value])
        )

    _acting(act)


def _unshare(store: Store, owner: str, dataset_id: str, kind: str, grantee: str, name: str) -> None:
    def act() -> str:
        if kind == "team":
            store.unshare(owner, dataset_id, team=grantee)
        else:
            store.unshare(owner, dataset_id, user=grantee)
        return _("{name} no longer has access.").format(name=plain(name))

    _acting(act)


def _set_public(store: Store, owner: str, dataset_id: str, key: str) -> None:
    public = bool(st.session_state.get(key))

    def act() -> str:
        store.set_public(owner, dataset_id, public)
        if public:
            return _("Anyone with the link can now see this dataset (read-only).")
        return _(
            "The dataset is private again: its link opens only for you and those you shared "
            "it with."
        )

    _acting(act)


def open_dataset_events(
    store: Store, user: str | None, key: str, workspace: Workspace | None = None
) -> gpd.GeoDataFrame | None:
    """Return the events of a dataset named by a link (``shipped`` or an id), or None.

    None when ``user`` may not see it (or it does not exist): the same check as a link's.
    """
    if key == SHIPPED:
        return shipped_dataset().events
    try:
        info = store.dataset(user, key)
        newest = _version_info(key, info.latest, store, user)
    except NotFound:
        return None
    cache = EventsCache((workspace or Workspace()).root)
    return stored_dataset(store, user, newest, info.name, cache).dataset.events
