"""``border-map user ...`` and ``team ...``: local accounts and teams in the app's database.

Run in-process through ``main`` (a password on stdin), and as a real process on a terminal
(a pseudo-terminal: the password asked twice with getpass, never echoed).
"""

from __future__ import annotations

import io
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from cli.main import main
from storage.store import open_store

ROOT = Path(__file__).resolve().parents[2]
GOOD = "correct horse battery"


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """The app's workspace for this test (its SQLite database is the CLI's)."""
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("BORDER_MAP_DATABASE_URL", raising=False)
    monkeypatch.delenv("BORDER_MAP_LANG", raising=False)
    return tmp_path / "workspace"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def signs_in(workspace: Path, name: str, password: str) -> bool:
    store = open_store(workspace)
    try:
        return store.verify_password(name, password) is not None
    finally:
        store.close()


def test_user_add_with_password_on_stdin_makes_a_local_account(capsys, monkeypatch, workspace):
    code, out, err = run(capsys, monkeypatch, "user", "add", "alice", "--password-stdin",
                         stdin=GOOD + "\n")  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("added user alice, who signs in with this password (sqlite:///")
    assert str(workspace / "border-map.db") in out  # says which database it changed
    assert signs_in(workspace, "alice", GOOD)
    assert not signs_in(workspace, "alice", GOOD + "\n")  # the newline is not the password
    assert (workspace / "border-map.db").stat().st_mode & 0o077 == 0


def test_user_add_refuses_a_short_password_and_adds_no_one(capsys, monkeypatch, workspace):
    code, out, err = run(capsys, monkeypatch, "user", "add", "bob", "--password-stdin",
                         stdin="too short\n")  # fmt: skip
    assert code == 1 and out == ""
    assert "a password needs at least 12 characters" in err and "Traceback" not in err
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    assert (code, out.strip()) == (0, "no users yet; add one with: border-map user add NAME")


def test_user_add_twice_says_how_to_reset_and_reset_changes_the_password(
    capsys, monkeypatch, workspace
):
    run(capsys, monkeypatch, "user", "add", "alice", "--password-stdin", stdin=GOOD)
    code, _, err = run(capsys, monkeypatch, "user", "add", "alice", "--password-stdin",
                       stdin="another good passphrase")  # fmt: skip
    assert code == 1 and "border-map user reset alice" in err
    assert signs_in(workspace, "alice", GOOD)  # unchanged
    code, out, err = run(capsys, monkeypatch, "user", "reset", "alice", "--password-stdin",
                         stdin="another good passphrase\r\n")  # fmt: skip
    assert (code, err) == (0, "") and out.startswith("set a new password for alice")
    assert signs_in(workspace, "alice", "another good passphrase")
    assert not signs_in(workspace, "alice", GOOD)
    code, _, err = run(capsys, monkeypatch, "user", "reset", "nobody", "--password-stdin",
                       stdin=GOOD)  # fmt: skip
    assert code == 1 and "no user named nobody; to add one: border-map user add nobody" in err


def test_without_a_terminal_or_stdin_flag_it_is_a_usage_error(capsys, monkeypatch, workspace):
    code, out, err = run(capsys, monkeypatch, "user", "add", "alice", stdin=GOOD)
    assert code == 2 and out == ""
    assert "--password-stdin" in err and "Traceback" not in err
    code, _, err = run(capsys, monkeypatch, "user", "add", "alice", "--password-stdin", stdin="")
    assert code == 1 and "no password on standard input" in err


@pytest.mark.parametrize("name", ["", "   ", "bad\x1b]0;x\x07name", "x" * 201])
def test_unusable_names_are_refused(capsys, monkeypatch, workspace, name):
    code, _, err = run(capsys, monkeypatch, "user", "add", name, "--password-stdin", stdin=GOOD)
    assert code == 1 and err.startswith("border-map: error: a name ")
    assert "\x1b" not in err


def test_user_list_shows_who_has_a_password(capsys, monkeypatch, workspace):
    store = open_store(workspace)
    store.ensure_user("local")  # the laptop's user, no password
    store.close()
    run(capsys, monkeypatch, "user", "add", "alice", "--password-stdin", stdin=GOOD)
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["user", "sign-in", "added"]
    assert lines[1].split()[:2] == ["alice", "password"]
    assert lines[2].split()[:3] == ["local", "no", "password"]


def test_user_list_prints_names_from_the_database_terminal_safe_and_aligned(
    capsys, monkeypatch, workspace
):
    store = open_store(workspace)
    store.ensure_user("mallory\x1b]0;pwned\x07@example.org")  # an identity provider's e-mail
    store.ensure_user("김철수")  # two terminal columns per character
    store.close()
    code, out, _ = run(capsys, monkeypatch, "user", "list")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "mallory\\x1b]0;pwned\\x07@example.org" in out
    header, *rows = out.splitlines()
    korean = next(row for row in rows if row.startswith("김철수"))
    mallory = next(row for row in rows if row.startswith("mallory"))
    # "no password" starts in the same terminal column on every line (김철수 takes 6 columns,
    # the escaped name as many as its printed escapes)
    starts = {header.index("sign-in"), mallory.index("no password")}
    starts.add(len("김철수") * 2 + korean.index("no password") - len("김철수"))
    assert len(starts) == 1


def test_teams_are_added_with_members_and_joined(capsys, monkeypatch, workspace):
    for name in ("alice", "bob"):
        run(capsys, monkeypatch, "user", "add", name, "--password-stdin", stdin=GOOD)
    code, _, err = run(capsys, monkeypatch, "team", "add", "field", "--member", "alice",
                       "--member", "ghost")  # fmt: skip
    assert code == 1 and "no user named ghost" in err
    code, out, _ = run(capsys, monkeypatch, "team", "list")
    assert out.startswith("no teams yet")  # nothing added by the refused command
    code, out, _ = run(capsys, monkeypatch, "team", "add", "field", "--member", "alice")
    assert code == 0 and out.startswith("added team field")
    code, _, err = run(capsys, monkeypatch, "team", "add", "field")
    assert code == 1 and "border-map team join field NAME" in err
    code, out, _ = run(capsys, monkeypatch, "team", "join", "field", "bob")
    assert code == 0 and out.startswith("bob is a member of field")
    assert run(capsys, monkeypatch, "team", "join", "field", "bob")[0] == 0  # again: fine
    code, _, err = run(capsys, monkeypatch, "team", "join", "nope", "bob")
    assert code == 1 and "border-map team add nope" in err
    code, out, _ = run(capsys, monkeypatch, "team", "list")
    assert out.splitlines()[1].split() == ["field", "alice,", "bob"]
    store = open_store(workspace)
    team = store.team_named("field")
    assert [u.name for u in store.team_members(team.id)] == ["alice", "bob"]
    store.close()


def test_messages_in_korean_and_chinese(capsys, monkeypatch, workspace):
    code, _, err = run(capsys, monkeypatch, "user", "add", "bob", "--password-stdin",
                       "--lang", "ko", stdin="short")  # fmt: skip
    assert code == 1 and "12" in err and "비밀번호" in err
    code, out, _ = run(capsys, monkeypatch, "user", "list", "--lang", "zh")
    assert code == 0 and "border-map user add NAME" in out and "用户" in out


def test_an_unreachable_database_is_one_line_without_its_password(capsys, monkeypatch, workspace):
    monkeypatch.setenv("BORDER_MAP_DATABASE_URL", "postgresql+psycopg://u:s3cret@127.0.0.1:1/x")
    code, out, err = run(capsys, monkeypatch, "user", "list")
    assert code == 1 and out == ""
    assert err.startswith("border-map: error: cannot open the database postgresql+psycopg://u:***@")
    assert "s3cret" not in err and "Traceback" not in err and len(err.splitlines()) == 1


def _converse(argv: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal, typing ``answers`` at each prompt; return code, output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.chdir(ROOT)
        os.execve(sys.executable,
                  [sys.executable, "-c", "import sys; from cli.main import main; "
                   "sys.exit(main())", *argv], env)  # fmt: skip
    output, pending, deadline = b"", list(answers), time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if pending and output.rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
                output += b"<typed>"
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_on_a_terminal_the_password_is_asked_twice_and_not_shown(workspace):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code, shown = _converse(["user", "add", "carol"], [GOOD, GOOD], env)
    assert code == 0, shown
    assert "New password for carol:" in shown and "The same password again:" in shown
    assert GOOD not in shown  # not echoed
    assert signs_in(workspace, "carol", GOOD)
    code, shown = _converse(["user", "reset", "carol"], [GOOD + "x", GOOD + "y"], env)
    assert code == 1 and "the two passwords differ; nothing was changed" in shown
    assert signs_in(workspace, "carol", GOOD)


def test_user_disable_takes_the_password_and_says_when_no_one_has_one(
    capsys, monkeypatch, workspace
):
    for name in ("alice", "bob"):
        run(capsys, monkeypatch, "user", "add", name, "--password-stdin", stdin=GOOD)
    code, out, _ = run(capsys, monkeypatch, "user", "disable", "alice")
    assert code == 0 and out.startswith("alice can no longer sign in; their datasets stay")
    assert "No user has a password now" not in out
    assert not signs_in(workspace, "alice", GOOD) and signs_in(workspace, "bob", GOOD)
    code, out, _ = run(capsys, monkeypatch, "user", "disable", "bob")
    assert code == 0 and "No user has a password now" in out
    code, _, err = run(capsys, monkeypatch, "user", "disable", "nobody")
    assert code == 1 and "no user named nobody" in err
