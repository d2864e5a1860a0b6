"""Columns marked sensitive by a dataset's owner (issue 16), on each backend (conftest.py)."""

from __future__ import annotations

import pytest

from geo.reference.schema import SENSITIVE_COLUMNS
from storage import permissions as rules
from storage.permissions import Access, Role
from storage.store import NotFound, PermissionDenied


@pytest.fixture
def people(store):
    return store.add_user("alice"), store.add_user("bob")


def test_the_owner_marks_columns_and_every_reader_sees_them(store, people):
    alice, bob = people
    data = store.create_dataset(alice.id, b"a,b\n1,2\n", "incidents.csv")
    assert data.sensitive_columns == ()
    marked = store.set_sensitive_columns(alice.id, data.id, ["notes", "evidence_quote", "notes"])
    assert marked.sensitive_columns == ("evidence_quote", "notes")  # the schema's order, once
    store.share(alice.id, data.id, Role.VIEWER, user=bob.id)
    assert store.dataset(bob.id, data.id).sensitive_columns == ("evidence_quote", "notes")
    listed = [d.sensitive_columns for d in store.list_datasets(bob.id)]
    assert listed == [("evidence_quote", "notes")]
    store.set_public(alice.id, data.id, True)
    assert store.dataset(None, data.id).sensitive_columns == ("evidence_quote", "notes")
    # a new version keeps the marks: they belong to the dataset
    store.upload_version(alice.id, data.id, b"a,b\n3,4\n", "incidents.csv")
    assert store.dataset(alice.id, data.id).sensitive_columns == ("evidence_quote", "notes")
    assert store.set_sensitive_columns(alice.id, data.id, []).sensitive_columns == ()
    every = store.set_sensitive_columns(alice.id, data.id, reversed(SENSITIVE_COLUMNS))
    assert every.sensitive_columns == SENSITIVE_COLUMNS


def test_only_the_owner_marks_columns(store, people):
    alice, bob = people
    data = store.create_dataset(alice.id, b"x", "x.csv")
    with pytest.raises(NotFound):  # bob cannot see it: the same answer as no dataset
        store.set_sensitive_columns(bob.id, data.id, ["notes"])
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    with pytest.raises(PermissionDenied):
        store.set_sensitive_columns(bob.id, data.id, ["notes"])
    store.set_public(alice.id, data.id, True)
    with pytest.raises(PermissionDenied):  # a signed-out visitor sees it, cannot mark
        store.set_sensitive_columns(None, data.id, ["notes"])  # type: ignore[arg-type]
    store.delete(alice.id, data.id)
    with pytest.raises(NotFound):
        store.set_sensitive_columns(alice.id, data.id, ["notes"])
    assert not rules.can_mark_sensitive(Access(False, Role.EDITOR, True, None))
    assert rules.can_mark_sensitive(Access(True, None, False, None))


def test_a_column_that_places_or_counts_an_event_cannot_be_marked(store, people):
    alice, _bob = people
    data = store.create_dataset(alice.id, b"x", "x.csv")
    for column in ("lat", "date_start", "count_best", "place_names", "no_such_column"):
        with pytest.raises(ValueError, match=column):
            store.set_sensitive_columns(alice.id, data.id, ["notes", column])
    assert store.dataset(alice.id, data.id).sensitive_columns == ()


def test_the_audit_trail_records_each_change_of_the_marks(store, people):
    alice, _bob = people
    data = store.create_dataset(alice.id, b"x", "x.csv")
    store.set_sensitive_columns(alice.id, data.id, ["notes", "source_title"])
    store.set_sensitive_columns(alice.id, data.id, ["source_title", "notes"])  # no change
    store.set_sensitive_columns(alice.id, data.id, [])
    trail = [(e.action, e.user_name, e.detail) for e in store.audit_trail(alice.id, data.id)]
    assert trail[1:] == [
        ("publish", "alice", "sensitive columns: source_title, notes"),
        ("publish", "alice", "sensitive columns: none"),
    ]
    assert "sensitive columns: source_title, notes" in store.audit_csv(alice.id, data.id)
