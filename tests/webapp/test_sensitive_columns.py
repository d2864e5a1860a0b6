"""The owner's choice of sensitive columns (webapp.sensitive_columns) on a real SQLite store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from storage.permissions import Role
from storage.store import open_store

SCRIPT = """
from pathlib import Path

import streamlit as st
from storage.store import open_store
from webapp.sensitive_columns import render_sensitive_columns

store = open_store(Path(WORKSPACE), URL)
info = store.dataset(USER, DATASET)
columns = ("event_id", "date_start", "notes", "evidence_quote", "source_title", "lat")
st.session_state["returned"] = render_sensitive_columns(store, USER, info, columns)
store.close()
"""


@pytest.fixture
def setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'border-map.db'}"
    store = open_store(tmp_path, url)
    alice, bob = store.add_user("alice"), store.add_user("bob")
    data = store.create_dataset(alice.id, b"a,b\n1,2\n", "incidents.csv")
    store.share(alice.id, data.id, Role.VIEWER, user=bob.id)
    yield store, url, tmp_path, alice, bob, data
    store.close()


def _app(url, workspace, user, dataset) -> AppTest:
    script = (
        SCRIPT.replace("WORKSPACE", repr(workspace)).replace("URL", repr(url))
        .replace("USER", repr(user)).replace("DATASET", repr(dataset))
    )  # fmt: skip
    return AppTest.from_string(script, default_timeout=60).run()


def test_the_owner_marks_the_markable_columns_present_and_they_are_saved(setup):
    store, url, workspace, alice, _bob, data = setup
    at = _app(url, str(workspace), alice.id, data.id)
    assert not at.exception
    box = at.multiselect(key=f"sensitive_columns_{data.id}")
    assert box.options == [
        "Source title (source_title)", "Quote (evidence_quote)", "Notes (notes)"
    ]
    assert box.value == [] and "name people" in box.help
    box.select("notes").select("evidence_quote").run()
    assert not at.exception
    assert store.dataset(alice.id, data.id).sensitive_columns == ("evidence_quote", "notes")
    assert at.session_state["returned"] == ("evidence_quote", "notes")
    assert any("Saved" in c.value for c in at.caption)
    trail = store.audit_trail(alice.id, data.id)
    assert trail[-1].action == "publish" and "notes" in trail[-1].detail
    at.multiselect(key=f"sensitive_columns_{data.id}").unselect("notes").run()
    assert store.dataset(alice.id, data.id).sensitive_columns == ("evidence_quote",)


def test_a_viewer_sees_the_marks_and_cannot_change_them(setup):
    store, url, workspace, alice, bob, data = setup
    store.set_sensitive_columns(alice.id, data.id, ["notes"])
    at = _app(url, str(workspace), bob.id, data.id)
    assert not at.exception
    assert len(at.multiselect) == 0
    assert "Notes (notes)" in at.caption[0].value
    assert at.session_state["returned"] == ("notes",)


def _published_page() -> None:
    import streamlit as st

    from tests.factories import make_events
    from webapp.sensitive_columns import published_events

    events = st.session_state.setdefault(
        "events", make_events([{"date_start": "2023-01-01", "notes": "SECRET-NAME-김철수"}])
    )
    first = published_events(events, ("notes",))
    st.session_state["same"] = published_events(events, ("notes",)) is first
    st.session_state["notes"] = list(first["notes"])
    st.session_state["kept"] = list(events["notes"])
    st.session_state["none"] = published_events(events, ()) is events


def test_published_events_are_withheld_once_per_dataset_and_columns():
    at = AppTest.from_function(_published_page, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["same"] and at.session_state["none"]
    assert at.session_state["notes"] == [""]
    assert at.session_state["kept"] == ["SECRET-NAME-김철수"]
