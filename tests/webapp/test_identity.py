"""Sign-in (webapp.identity) under Streamlit's AppTest: local accounts, none, OIDC detection.

Each page runs ``identify`` on a real store (SQLite in the test's folder) and writes what it
returned; a fake clock stands in for the time (throttle, session timeout).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from storage.store import Store, open_store
from webapp import identity

GOOD = "correct horse battery"


def page(store) -> None:
    import streamlit as st

    from webapp.identity import identify, sign_in_page

    who = identify(store)
    st.text(f"user={who.user_id} name={who.name} mode={who.mode}")
    if not who.signed_in:
        sign_in_page(who)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(identity, "clock", fake)
    monkeypatch.setattr(identity, "THROTTLE", identity.Throttle())  # a fresh process record
    monkeypatch.setattr(identity, "_OIDC_SEEN", {})
    monkeypatch.delenv(identity.SESSION_MINUTES_ENV, raising=False)
    return fake


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    opened = open_store(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def accounts(store) -> Store:
    for name in ("alice", "bob"):
        store.add_user(name)
        store.set_password(name, GOOD)
    return store


def opened(store) -> AppTest:
    return AppTest.from_function(page, kwargs={"store": store}, default_timeout=30).run()


def shown(at: AppTest) -> str:
    return at.text[0].value


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input(key="identity_name").input(name)
    at.sidebar.text_input(key="identity_password").input(password)
    submit = next(b for b in at.sidebar.button if b.label == "Sign in")
    return submit.click().run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.sidebar.error]


def test_a_laptop_with_no_accounts_is_the_local_user_without_a_form(store, clock):
    at = opened(store)
    local = store.user_named("local")
    assert local is not None
    assert shown(at) == f"user={local.id} name=local mode=none"
    assert len(at.sidebar.text_input) == 0 and len(at.sidebar.button) == 0
    assert len(at.info) == 0  # no sign-in prompt either


def test_local_sign_in_with_the_right_password(accounts, clock):
    at = opened(accounts)
    assert shown(at) == "user=None name= mode=local"
    assert "Sign in to see this team's datasets" in at.info[0].value  # sign_in_page
    at = sign_in(at, "alice", GOOD)
    alice = accounts.user_named("alice")
    assert shown(at) == f"user={alice.id} name=alice mode=local"
    assert at.sidebar.caption[0].value == "Signed in as alice"
    assert at.session_state["identity_password"] == ""  # the password is not kept
    assert len(at.sidebar.text_input) == 0 and not errors(at)


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(accounts, clock):
    at = sign_in(opened(accounts), "alice", "not the password")
    assert shown(at) == "user=None name= mode=local"
    assert errors(at) == ["Wrong name or password."]
    at = sign_in(at, "mallory", GOOD)
    assert shown(at) == "user=None name= mode=local"
    assert errors(at) == ["Wrong name or password."]


def test_guessing_is_throttled_per_name_for_a_minute(accounts, clock):
    at = opened(accounts)
    for _ in range(identity.MAX_FAILURES - 1):
        at = sign_in(at, "alice", "a wrong guess!")
        assert errors(at) == ["Wrong name or password."]
    at = sign_in(at, "alice", "a wrong guess!")
    assert errors(at) == [
        "Too many failed sign-ins for this name. Wait 60 seconds, then try again."
    ]
    clock.now += 30
    at = sign_in(at, "alice", GOOD)  # even the right password waits
    assert shown(at) == "user=None name= mode=local"
    assert "Wait 30 seconds" in errors(at)[0]
    # another session (another browser) is refused too: the record is the process's
    other = sign_in(opened(accounts), "alice", GOOD)
    assert shown(other) == "user=None name= mode=local" and "Wait 30 seconds" in errors(other)[0]
    assert shown(sign_in(other, "bob", GOOD)).endswith("name=bob mode=local")  # other names
    clock.now += 31
    at = sign_in(at, "alice", GOOD)
    assert shown(at).endswith("name=alice mode=local")


def test_sign_out_clears_the_session(accounts, clock):
    at = sign_in(opened(accounts), "alice", GOOD)
    at.session_state["something_of_alice"] = "secret choice"
    sign_out = next(b for b in at.sidebar.button if b.label == "Sign out")
    at = sign_out.click().run()
    assert shown(at) == "user=None name= mode=local"
    assert "something_of_alice" not in at.session_state
    assert len(at.sidebar.text_input) == 2  # the form again


def test_a_session_idle_past_the_timeout_is_signed_out_and_told_why(
    accounts, clock, monkeypatch
):
    monkeypatch.setenv(identity.SESSION_MINUTES_ENV, "10")
    at = sign_in(opened(accounts), "alice", GOOD)
    clock.now += 9 * 60
    at.run()  # active within the timeout: still signed in, and the timer starts again
    assert shown(at).endswith("name=alice mode=local")
    clock.now += 9 * 60
    at.run()
    assert shown(at).endswith("name=alice mode=local")
    clock.now += 10 * 60 + 1
    at.run()
    assert shown(at) == "user=None name= mode=local"
    assert [w.value for w in at.sidebar.warning] == [
        "You were signed out after 10 minutes without activity. Sign in again to go on."
    ]
    at.run()
    assert not at.sidebar.warning  # said once


def test_a_disabled_account_is_signed_out_at_its_next_run(accounts, clock):
    at = sign_in(opened(accounts), "alice", GOOD)
    assert shown(at).endswith("name=alice mode=local")
    accounts.remove_password("alice")  # border-map user disable alice
    at.run()
    assert shown(at) == "user=None name= mode=local"
    assert [w.value for w in at.sidebar.warning] == [
        "You were signed out: your account was disabled."
    ]


@pytest.mark.parametrize(("value", "seconds"), [("", 3600), ("15", 900), ("0.5", 30),
                                                ("-1", 3600), ("soon", 3600), ("inf", 3600),
                                                ("nan", 3600)])  # fmt: skip
def test_the_timeout_setting(monkeypatch, value, seconds):
    monkeypatch.setenv(identity.SESSION_MINUTES_ENV, value)
    assert identity.session_seconds() == seconds


def test_served_beyond_this_machine_with_no_account_no_one_is_let_in(store, clock, monkeypatch):
    monkeypatch.setattr(identity, "server_address", lambda: "0.0.0.0")
    at = opened(store)
    assert shown(at) == "user=None name= mode=local"
    assert store.user_named("local") is None
    assert "border-map user add NAME" in at.sidebar.caption[0].value
    monkeypatch.setattr(identity, "server_address", lambda: "127.0.0.1")
    monkeypatch.setattr(identity, "_request_headers", lambda: {"x-forwarded-for": "203.0.113.9"})
    assert shown(opened(store)) == "user=None name= mode=local"  # behind a reverse proxy


def test_a_name_with_markdown_shows_as_typed(store, clock):
    store.add_user("[x](https://evil.example)")
    store.set_password("[x](https://evil.example)", GOOD)
    at = sign_in(opened(store), "[x](https://evil.example)", GOOD)
    assert at.sidebar.caption[0].value == r"Signed in as \[x\]\(https\://evil\.example\)"


def test_the_sign_in_texts_follow_the_page_language(accounts, clock):
    def korean(store) -> None:
        from i18n import set_language
        from webapp.identity import identify

        set_language("ko")
        identify(store)

    at = AppTest.from_function(korean, kwargs={"store": accounts}, default_timeout=30).run()
    labels = [b.label for b in at.sidebar.button]
    assert labels == ["로그인"]


# --- OIDC --------------------------------------------------------------------------------------

OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a long random secret for the cookie",
    "client_id": "border-map",
    "client_secret": "client secret",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}


def oidc_app(store, monkeypatch, claims) -> AppTest:
    monkeypatch.setattr(identity, "_oidc_claims", lambda: claims)
    at = AppTest.from_function(page, kwargs={"store": store}, default_timeout=30)
    at.secrets["auth"] = OIDC
    return at.run()


def test_oidc_is_detected_from_the_auth_secrets_and_sign_in_calls_st_login(
    store, clock, monkeypatch
):
    logins: list[tuple] = []
    monkeypatch.setattr("streamlit.login", lambda *args: logins.append(args))
    at = oidc_app(store, monkeypatch, None)
    assert shown(at) == "user=None name= mode=oidc"
    assert len(at.sidebar.text_input) == 0  # no password form
    assert not store.has_local_accounts()
    at.sidebar.button(key="identity_sign_in").click().run()
    assert logins == [()]
    at.button(key="identity_sign_in_page").click().run()  # the main area's button too
    assert logins == [(), ()]


def test_oidc_with_a_named_provider_logs_in_with_it(store, clock, monkeypatch):
    logins: list[tuple] = []
    monkeypatch.setattr("streamlit.login", lambda *args: logins.append(args))
    at = AppTest.from_function(page, kwargs={"store": store}, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": OIDC["redirect_uri"], "cookie_secret": "x" * 32,
                          "microsoft": {"client_id": "a", "client_secret": "b"}}  # fmt: skip
    monkeypatch.setattr(identity, "_oidc_claims", lambda: None)
    at.run().sidebar.button(key="identity_sign_in").click().run()
    assert logins == [("microsoft",)]


def test_an_oidc_user_is_the_store_user_of_their_email(store, clock, monkeypatch):
    claims = {"email": "kim@ngo.example", "email_verified": True, "sub": "123", "name": "Kim"}
    at = oidc_app(store, monkeypatch, claims)
    kim = store.user_named("kim@ngo.example")
    assert kim is not None and shown(at) == f"user={kim.id} name=kim@ngo.example mode=oidc"
    assert at.sidebar.caption[0].value == r"Signed in as kim@ngo\.example"
    logouts: list[int] = []
    monkeypatch.setattr("streamlit.logout", lambda: logouts.append(1))
    at.sidebar.button(key="identity_sign_out").click().run()
    assert logouts == [1]


def test_oidc_user_names_from_claims():
    assert identity.oidc_user_name({"email": "a@b.example", "sub": "1"}) == "a@b.example"
    unverified = {"email": "boss@ngo.example", "email_verified": False, "sub": "xyz"}
    assert identity.oidc_user_name(unverified) == "oidc:xyz"
    assert identity.oidc_user_name({}) is None


def test_an_oidc_session_idle_past_the_timeout_logs_out(store, clock, monkeypatch):
    logouts: list[int] = []
    monkeypatch.setattr("streamlit.logout", lambda: logouts.append(1))
    claims = {"email": "kim@ngo.example", "sub": "1", "iat": int(clock.now)}
    at = oidc_app(store, monkeypatch, claims)
    assert shown(at).endswith("mode=oidc") and "user=None" not in shown(at)
    clock.now += 61 * 60
    at.run()
    assert shown(at) == "user=None name= mode=oidc" and logouts == [1]


# --- the app (app.py) ------------------------------------------------------------------------

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_app_shows_nothing_but_the_sign_in_page_until_one_signs_in(
    tmp_path, clock, monkeypatch
):
    from webapp.app_store import app_store

    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    store = app_store()  # one per workspace: this test's own
    store.add_user("alice")
    store.set_password("alice", GOOD)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert "Sign in to see this team's datasets" in at.info[0].value
    assert [t.value for t in at.title] == ["Border events map"]  # no map, no figures
    assert len(at.tabs) == 0 and len(at.text_input) == 2
    at = sign_in(at, "alice", GOOD)
    at.run(timeout=120)
    assert not at.exception
    assert at.sidebar.caption[0].value == "Signed in as alice"
    assert [t.value for t in at.title] == [
        "Documented events on the China–North Korea border"
    ]
