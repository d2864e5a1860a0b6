"""Local accounts (argon2id passwords) and team membership, on each backend (conftest.py)."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from storage import passwords
from storage.passwords import MIN_PASSWORD_LENGTH, WeakPassword
from storage.schema import users
from storage.store import NotFound

GOOD = "correct horse battery"


def stored_hash(store, name: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()


def test_a_password_is_stored_as_an_argon2id_hash_and_verified(store):
    alice = store.add_user("alice")
    assert not store.has_local_accounts()
    assert store.set_password("alice", GOOD) == alice
    hashed = stored_hash(store, "alice")
    assert hashed.startswith("$argon2id$") and GOOD not in hashed
    assert store.has_local_accounts()
    assert store.verify_password("alice", GOOD) == alice
    assert store.verify_password("alice", GOOD + " ") is None
    assert store.verify_password("alice", GOOD.upper()) is None
    assert store.verify_password("Alice", GOOD) is None  # names are exact
    assert store.verify_password("alice", "") is None


def test_unknown_users_and_users_without_a_password_never_sign_in(store):
    store.add_user("local")  # the laptop's user: no password
    assert store.verify_password("local", GOOD) is None
    assert store.verify_password("nobody", GOOD) is None
    assert not store.has_local_accounts()


def test_a_missing_user_takes_about_as_long_as_a_wrong_password(store):
    store.add_user("alice")
    store.set_password("alice", GOOD)

    def seconds(name: str) -> float:
        start = time.perf_counter()
        for _ in range(3):
            assert store.verify_password(name, "wrong password here") is None
        return time.perf_counter() - start

    seconds("alice")  # warm up (the dummy hash is made once)
    seconds("nobody")
    known, unknown = seconds("alice"), seconds("nobody")
    assert unknown > known / 3, (known, unknown)  # an argon2 check either way, not a fast exit


@pytest.mark.parametrize("password", ["", "short", "x" * (MIN_PASSWORD_LENGTH - 1)])
def test_a_short_password_is_refused_with_the_minimum_length(store, password):
    store.add_user("alice")
    with pytest.raises(WeakPassword, match=f"at least {MIN_PASSWORD_LENGTH} characters"):
        store.set_password("alice", password)
    assert stored_hash(store, "alice") is None
    assert not store.has_local_accounts()


def test_a_far_too_long_password_is_refused_and_never_matches(store):
    store.add_user("alice")
    with pytest.raises(WeakPassword):
        store.set_password("alice", "x" * (passwords.MAX_PASSWORD_LENGTH + 1))
    store.set_password("alice", "x" * passwords.MAX_PASSWORD_LENGTH)
    assert store.verify_password("alice", "x" * (passwords.MAX_PASSWORD_LENGTH + 1)) is None
    assert store.verify_password("alice", "x" * passwords.MAX_PASSWORD_LENGTH) is not None


def test_setting_a_password_needs_the_user_and_a_reset_replaces_the_old_one(store):
    with pytest.raises(NotFound):
        store.set_password("nobody", GOOD)
    store.add_user("alice")
    store.set_password("alice", GOOD)
    store.set_password("alice", "a whole new passphrase")
    assert store.verify_password("alice", GOOD) is None
    assert store.verify_password("alice", "a whole new passphrase") is not None


def test_an_old_hash_is_upgraded_when_its_owner_signs_in(store):
    alice = store.add_user("alice")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD)
    with store.engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == alice.id).values(password_hash=weak))
    assert passwords.needs_rehash(weak)
    assert store.verify_password("alice", GOOD) == alice
    upgraded = stored_hash(store, "alice")
    assert upgraded != weak and not passwords.needs_rehash(upgraded)
    assert store.verify_password("alice", GOOD) == alice
    # a wrong password changes nothing
    with store.engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == alice.id).values(password_hash=weak))
    assert store.verify_password("alice", "wrong password here") is None
    assert stored_hash(store, "alice") == weak


def test_accounts_lists_every_user_with_whether_it_has_a_password(store):
    store.add_user("bob")
    store.add_user("alice")
    store.set_password("bob", GOOD)
    listed = [(a.user.name, a.has_password) for a in store.accounts()]
    assert listed == [("alice", False), ("bob", True)]


def test_team_members_are_added_once_and_only_if_both_exist(store):
    alice, bob = store.add_user("alice"), store.add_user("bob")
    team = store.add_team("field", members=(alice.id,))
    assert store.team_named("field") == team and store.team_named("nope") is None
    store.add_team_member(team.id, bob.id)
    store.add_team_member(team.id, bob.id)  # already one: no error, no duplicate
    assert [u.name for u in store.team_members(team.id)] == ["alice", "bob"]
    with pytest.raises(NotFound):
        store.add_team_member(team.id, "no-such-user")
    with pytest.raises(NotFound):
        store.add_team_member("no-such-team", alice.id)


def test_a_removed_password_signs_no_one_in_and_keeps_the_user(store):
    alice = store.add_user("alice")
    store.set_password("alice", GOOD)
    assert store.has_password(alice.id)
    assert store.remove_password("alice") == alice
    assert store.verify_password("alice", GOOD) is None
    assert not store.has_password(alice.id) and not store.has_local_accounts()
    assert store.user_named("alice") == alice  # their datasets stay theirs
    with pytest.raises(NotFound):
        store.remove_password("nobody")
