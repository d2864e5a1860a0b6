"""Issue 16 through the running app: two signed-in users, a signed-out visitor, one team server.

One ``streamlit run app.py`` serves a workspace with two local accounts (alice, bob), so every
visitor meets the sign-in form. Each test uploads datasets of its own (named uniquely), signs
in as a user would in a browser context of its own, and checks what each person sees, can open
and can do; the database is read only to learn a dataset's id for a link, as the owner's
address bar would show it. The last test kills the server with SIGKILL in the middle of an
upload. The waits are hang guards, not speed limits.
"""

from __future__ import annotations

import csv
import io
import signal
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from storage.store import DatasetInfo, open_store
from tests.conftest import ARTIFACTS, NON_LOCAL
from tests.e2e.app_server import AppServer
from tests.e2e.steps import choose, open_tab, retried, upload, wait_idle
from tests.e2e.test_app_e2e import MAP_CONTENT_JS, shown_figures
from tests.e2e.test_hardening_app import CSV_HEADER, no_traceback

pytestmark = pytest.mark.e2e
PASSWORDS = {"alice": "alice-correct-horse-1", "bob": "bob-battery-staple-22"}
HANG_MS = 90_000
SECRET = "SECRET-NAME-김철수"
NOT_FOUND = "there is no dataset with this id that you may see"


def events_csv(rows: int, note: str = "witness report") -> bytes:
    """Return a valid events CSV of ``rows`` forced returns near Dandong, with notes."""
    header = CSV_HEADER.strip() + ",event_type,notes\n"
    lines = [
        f"e{i},2023-10-{1 + i % 28:02d},about 60,40.12,124.38,https://example.org/{i},"
        f"forced_return,{note}\n"
        for i in range(rows)
    ]
    return (header + "".join(lines)).encode()


@pytest.fixture(scope="module")
def team_server(tmp_path_factory) -> Iterator[AppServer]:
    """A server whose workspace has the local accounts alice and bob (sign-in required)."""
    workspace = tmp_path_factory.mktemp("team-workspace")
    store = open_store(workspace)
    try:
        for name, password in PASSWORDS.items():
            store.add_user(name)
            store.set_password(name, password)
    finally:
        store.close()
    server = AppServer(workspace)
    server.start()
    yield server
    server.stop()


class Visitor:
    """One person's browser context (its own session and cookies) on the team server."""

    def __init__(self, browser, server: AppServer) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.route(NON_LOCAL, lambda route: route.abort())

    def open(self, query: str = "") -> None:
        """Open the app (with ``query``, e.g. ``?dataset=...``) and wait for its first run."""
        self.page.goto(f"{self.server.url}/{query}")
        self.page.get_by_test_id("stSidebar").wait_for(timeout=HANG_MS)
        wait_idle(self.page)

    def sign_in(self, name: str, query: str = "") -> None:
        """Open the app and sign in as ``name`` with the sidebar's form."""
        self.open(query)
        side = self.page.get_by_test_id("stSidebar")
        side.get_by_role("textbox", name="Name").fill(name)
        side.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
        side.get_by_role("button", name="Sign in").click()
        side.get_by_text(f"Signed in as {name}").wait_for(timeout=HANG_MS)
        self.page.wait_for_function(MAP_CONTENT_JS, timeout=HANG_MS)
        wait_idle(self.page)

    def upload(self, name: str, data: bytes, rows: int, shown: str = "") -> None:
        """Upload ``data`` as the file ``name``; wait until the dataset ``shown`` is mapped.

        ``shown`` defaults to ``name`` (a new dataset is named after its file).
        """
        upload(self.page, name, data)
        self.page.get_by_text(f"{name}: {rows} of {rows} rows valid and mapped").wait_for(
            timeout=HANG_MS
        )
        self.shows(shown or name)

    def shows(self, name: str) -> None:
        """Wait until the page's dataset line names ``name``."""
        self.page.get_by_text(f"Dataset: {name}").wait_for(timeout=HANG_MS)
        wait_idle(self.page)

    def dataset_options(self) -> list[str]:
        """Return the labels the sidebar's Dataset box offers.

        A rerun (the map reports its extent once drawn) can close the opened list before it is
        read; then it is opened again.
        """
        options = self.page.get_by_role("option")

        def open_list() -> None:
            self.page.locator(".st-key-dataset").click()
            options.first.wait_for(timeout=10_000)

        retried(self.page, open_list)
        labels = options.all_inner_texts()
        self.page.keyboard.press("Escape")
        return labels

    def manage(self) -> None:
        """Open the sidebar's "Manage this dataset" expander."""
        wait_idle(self.page)
        versions = self.page.get_by_text("Versions").first
        if not versions.is_visible():  # a click on an open expander would close it
            self.page.get_by_test_id("stSidebar").get_by_text("Manage this dataset").click()
        versions.wait_for(timeout=HANG_MS)

    def download(self, button: str) -> bytes:
        """Click the download button named ``button``; return the downloaded bytes."""
        with self.page.expect_download(timeout=HANG_MS) as made:
            self.page.get_by_role("button", name=button).click()
        return made.value.path().read_bytes()

    def export_csv(self) -> str:
        """Make and download the CSV export of the view, as a user would; return its text."""
        page = self.page
        open_tab(page, "Export")
        choose(page, "export_format", "CSV (events, claims and sources)")
        wait_idle(page)
        page.locator(".st-key-export_make button").click()
        button = page.locator(".st-key-export_download button")
        button.wait_for(timeout=HANG_MS)
        with page.expect_download(timeout=HANG_MS) as made:
            button.click()
        wait_idle(page)
        return made.value.path().read_bytes().decode("utf-8-sig")

    def said(self, message: str, timeout: int = HANG_MS) -> None:
        """Wait until the data panel says ``message`` (in the sidebar; a toast repeats it)."""
        side = self.page.get_by_test_id("stSidebar")
        side.get_by_text(message, exact=False).first.wait_for(timeout=timeout)

    def body(self) -> str:
        return self.page.locator("body").inner_text()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitors(browser, team_server, request) -> Iterator[Callable[[], Visitor]]:
    """Browser contexts to make people of; closed after the test.

    When the test fails, each one's page is saved to test-artifacts/ as a screenshot.
    """
    made: list[Visitor] = []

    def visitor() -> Visitor:
        made.append(Visitor(browser, team_server))
        return made[-1]

    yield visitor
    failed = getattr(request.node, "rep_call", None)
    for number, each in enumerate(made):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{request.node.name}-{number}.png"
            each.page.screenshot(path=str(shot), full_page=True)
        each.close()


def owned(server: AppServer, owner: str, name: str) -> DatasetInfo:
    """Return ``owner``'s dataset named ``name`` (its id is what the owner's link carries)."""
    store = open_store(server.workspace)
    try:
        user = store.user_named(owner)
        assert user is not None
        found = [d for d in store.list_datasets(user.id) if d.name == name]
        assert len(found) == 1, found
        return found[0]
    finally:
        store.close()


def activity(visitor: Visitor) -> list[dict[str, str]]:
    """Download the owner's Activity (audit trail) CSV from the manage panel; return its rows."""
    text = visitor.download("Download the activity (CSV)").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_private_dataset_opens_for_another_user_only_once_shared_and_then_read_only(
    visitors, team_server
):
    name = f"private-{uuid.uuid4().hex[:8]}.csv"
    alice, bob = visitors(), visitors()
    alice.sign_in("alice")
    alice.upload(name, events_csv(3), 3)
    dataset = owned(team_server, "alice", name)

    bob.sign_in("bob")
    assert not any(name in label for label in bob.dataset_options())
    bob.sign_in("bob", f"?dataset={dataset.id}")  # the link alice's address bar shows
    bob.page.get_by_text(NOT_FOUND).wait_for(timeout=HANG_MS)
    assert "Dataset: Shipped events" in bob.body() and name not in bob.body()
    expect(bob.page.get_by_role("button", name="Delete this dataset")).to_have_count(0)

    alice.manage()
    alice.page.locator(".st-key-share_name input").fill("bob")
    alice.page.locator(".st-key-share_name input").press("Tab")
    wait_idle(alice.page)
    alice.page.locator(".st-key-share_dataset button").click()
    alice.said("Shared with bob as viewer.")

    bob.sign_in("bob", f"?dataset={dataset.id}")
    bob.shows(name)
    assert any(name in label and "viewer" in label for label in bob.dataset_options())
    bob.manage()
    assert "Shared with you as viewer: you may see and export it." in bob.body()
    for control in ("Delete this dataset", "Share", "Restore this version"):
        expect(bob.page.get_by_role("button", name=control, exact=True)).to_have_count(0)
    expect(bob.page.get_by_text("Save as a new version of the dataset shown")).to_have_count(0)
    exported = bob.export_csv()
    assert "https://example.org/2" in exported and "witness report" in exported
    no_traceback(bob.page)

    alice.manage()
    trail = activity(alice)
    done = {(row["user"], row["action"]) for row in trail}
    assert {("alice", "upload"), ("alice", "share"), ("bob", "export")} <= done
    assert all(row["time"] for row in trail)


def test_a_public_link_opens_for_a_signed_out_visitor_only_once_made_public(visitors, team_server):
    name = f"public-{uuid.uuid4().hex[:8]}.csv"
    alice, visitor = visitors(), visitors()
    alice.sign_in("alice")
    alice.upload(name, events_csv(2, note=SECRET), 2)
    dataset = owned(team_server, "alice", name)
    store = open_store(team_server.workspace)
    try:  # marked in the manage panel's multiselect (tests/webapp/test_sensitive_columns.py)
        store.set_sensitive_columns(dataset.owner_id, dataset.id, ["notes"])
    finally:
        store.close()

    visitor.open(f"?dataset={dataset.id}")
    visitor.page.get_by_text("Sign in to see this team's datasets").wait_for(timeout=HANG_MS)
    assert name not in visitor.body() and SECRET not in visitor.body()
    assert visitor.page.locator("iframe").count() == 0  # no map

    alice.manage()
    alice.page.get_by_text("Public read-only link").click()
    alice.page.get_by_text("Link to this dataset:").wait_for(timeout=HANG_MS)

    visitor.open(f"?dataset={dataset.id}")
    visitor.shows(name)
    visitor.page.wait_for_function(MAP_CONTENT_JS, timeout=HANG_MS)
    assert visitor.page.locator(".st-key-upload").count() == 0  # read-only: no upload
    assert SECRET not in visitor.body()
    exported = visitor.export_csv()
    assert "https://example.org/1" in exported and SECRET not in exported
    no_traceback(visitor.page)

    actions = {(row["user"], row["action"]) for row in activity(alice)}
    assert ("alice", "publish") in actions and ("(signed-out visitor)", "export") in actions


def test_two_uploads_at_once_both_land_and_a_deleted_dataset_is_restored_from_the_ui(
    visitors, team_server
):
    tag = uuid.uuid4().hex[:8]
    alice, bob = visitors(), visitors()
    alice.sign_in("alice")
    bob.sign_in("bob")
    names = {"alice": f"a-{tag}.csv", "bob": f"b-{tag}.csv"}
    upload(alice.page, names["alice"], events_csv(4))  # each returns once the file is given:
    upload(bob.page, names["bob"], events_csv(5))  # both validate and save at once
    alice.shows(names["alice"])
    bob.shows(names["bob"])
    assert owned(team_server, "alice", names["alice"]).latest == 1
    assert owned(team_server, "bob", names["bob"]).latest == 1

    deleted = owned(team_server, "alice", names["alice"])
    alice.manage()
    alice.page.get_by_role("button", name="Delete this dataset").click()
    alice.said(f"Deleted {names['alice']}.")
    assert not any(names["alice"] in label for label in alice.dataset_options())
    restore = alice.page.locator(f".st-key-restore_dataset_{deleted.id} button")
    # A rerun (the map's report) can close the expander just opened, or drop a click that lands
    # while it redraws the button: as a user would, open it again and click again.
    def restore_it() -> None:
        if not restore.is_visible():
            alice.page.get_by_test_id("stSidebar").get_by_text("Deleted datasets").click()
        restore.click(timeout=10_000)
        alice.said(f"Restored {names['alice']}.", timeout=30_000)

    retried(alice.page, restore_it)
    assert any(names["alice"] in label for label in alice.dataset_options())
    trail = _trail(team_server, "alice", names["alice"])
    assert [(row["user"], row["action"]) for row in trail] == [
        ("alice", "upload"), ("alice", "delete"), ("alice", "restore"),
    ]  # fmt: skip


def _trail(server: AppServer, owner: str, name: str) -> list[dict[str, str]]:
    """Return the audit trail of ``owner``'s dataset ``name``, oldest first."""
    dataset = owned(server, owner, name)
    store = open_store(server.workspace)
    try:
        return list(csv.DictReader(io.StringIO(store.audit_csv(dataset.owner_id, dataset.id))))
    finally:
        store.close()


def test_a_server_killed_mid_upload_restarts_with_every_earlier_version(visitors, team_server):
    name = f"versions-{uuid.uuid4().hex[:8]}.csv"
    alice = visitors()
    alice.sign_in("alice")
    alice.upload(name, events_csv(3), 3)
    alice.page.get_by_text("Save as a new version of the dataset shown").click()
    wait_idle(alice.page)
    alice.upload("second.csv", events_csv(6), 6, shown=name)
    dataset = owned(team_server, "alice", name)
    assert dataset.latest == 2
    big = events_csv(120_000, note="a longer note " * 4)  # validated for seconds, not instantly
    with alice.page.expect_response(lambda r: "upload_file" in r.url, timeout=HANG_MS):
        upload(alice.page, "third.csv", big)  # its bytes are on the server: kill it now
    process = team_server._process
    assert process is not None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    team_server.restart()
    after = owned(team_server, "alice", name)
    assert after.latest == 2  # the killed upload left no version, the earlier ones are intact
    store = open_store(team_server.workspace)
    try:
        contents = [store.read_version(after.owner_id, after.id, n) for n in (1, 2)]
    finally:
        store.close()
    assert contents == [events_csv(3), events_csv(6)]
    again = visitors()
    again.sign_in("alice", f"?dataset={after.id}")
    again.shows(name)
    assert shown_figures(again.page)["Events"] == "6"
    no_traceback(again.page)
