r"""``border-map user ...`` and ``border-map team ...``: the app's local accounts and teams.

The database is the app's: ``BORDER_MAP_DATABASE_URL``, else the SQLite file in the workspace
directory (``BORDER_MAP_WORKSPACE``, else the user's data directory), created on first use.
Run these as the same system user as the server, or set the same variables: each command
names the database it changed.

A password is asked twice on the terminal (not echoed), or read as one line from standard input
with ``--password-stdin`` (for scripts: ``printf '%s\n' "$PW" | border-map user add NAME
--password-stdin``); it never appears on the command line, where other users could see it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cli.columns import aligned
from i18n import _

if TYPE_CHECKING:
    from storage.store import Store

#: The longest user or team name (the database's column holds 200).
MAX_NAME_LENGTH = 200


class AccountError(Exception):
    """A request about accounts that cannot be carried out (exit 1); the message says why."""


class AccountUsageError(Exception):
    """The command cannot run as it was called (exit 2); the message says what to do."""


def add_parsers(
    sub: argparse._SubParsersAction, add_language: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add ``user add|reset|disable|list`` and ``team add|join|list`` to ``border-map``."""
    user = sub.add_parser(
        "user", help=_("add local accounts for the app's sign-in, reset passwords")
    )
    actions = user.add_subparsers(dest="user_command", required=True)
    for name, help_text in (
        ("add", _("add a user who signs in with a password (asked twice, not shown)")),
        ("reset", _("set a new password for a user")),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("name", help=_("the user's sign-in name"))
        action.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("read the password as one line from standard input (for scripts)"),
        )
        add_language(action)
    disable = actions.add_parser(
        "disable",
        help=_("take a user's password: they can no longer sign in (their datasets stay)"),
    )
    disable.add_argument("name", help=_("the user's sign-in name"))
    add_language(disable)
    listing = actions.add_parser("list", help=_("list the users and whether each has a password"))
    add_language(listing)

    team = sub.add_parser("team", help=_("add teams that datasets can be shared with"))
    actions = team.add_subparsers(dest="team_command", required=True)
    add = actions.add_parser("add", help=_("add a team"))
    add.add_argument("team", help=_("the team's name"))
    add.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="NAME",
        help=_("a user to make a member (repeatable)"),
    )
    add_language(add)
    join = actions.add_parser("join", help=_("make a user a member of a team"))
    join.add_argument("team", help=_("the team's name"))
    join.add_argument("name", help=_("the user's name"))
    add_language(join)
    add_language(actions.add_parser("list", help=_("list the teams and their members")))


def run(args: argparse.Namespace, say: Callable[..., None]) -> int:
    """Run a ``user`` or ``team`` command; return 0, or raise :class:`AccountError`.

    ``say`` prints lines (terminal-safe), as ``cli.main`` does.
    """
    if args.command == "user":
        if args.user_command in ("add", "reset"):
            name = _checked_name(args.name)
            password = _password(name, from_stdin=args.password_stdin)
            store, where = _open()
            try:
                return _set_password(store, where, name, password, args.user_command, say)
            finally:
                store.close()
    store, where = _open()
    try:
        if args.command == "user" and args.user_command == "disable":
            return _disable(store, where, args.name.strip(), say)
        if args.command == "user":
            return _list_users(store, say)
        if args.team_command == "add":
            return _add_team(store, where, _checked_name(args.team), args.member, say)
        if args.team_command == "join":
            return _join_team(store, where, args.team, args.name, say)
        return _list_teams(store, say)
    finally:
        store.close()


def _checked_name(name: str) -> str:
    """Return ``name`` without surrounding spaces; AccountError when empty, too long or odd."""
    name = name.strip()
    if not name:
        raise AccountError(_("a name cannot be empty"))
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(
            _("a name may have at most {n} characters").format(n=MAX_NAME_LENGTH)
        )
    if any(not char.isprintable() for char in name):
        raise AccountError(_("a name cannot contain control or invisible formatting characters"))
    return name


def _password(name: str, *, from_stdin: bool) -> str:
    """Return the new password: one line of stdin, or asked twice on the terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not line:
            raise AccountError(_("no password on standard input"))
        return password
    if not sys.stdin.isatty():
        raise AccountUsageError(
            _(
                "no terminal to ask for the password: run the command in a terminal, or give "
                "the password as one line on standard input with --password-stdin"
            )
        )
    try:
        first = getpass.getpass(_("New password for {name}: ").format(name=name))
        second = getpass.getpass(_("The same password again: "))
    except EOFError:
        raise AccountError(_("no password given")) from None
    if first != second:
        raise AccountError(_("the two passwords differ; nothing was changed"))
    return first


def _open() -> tuple[Store, str]:
    """Open the app's store; return it and where it is (the URL without its password)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from storage.engine import database_url
    from storage.store import open_store
    from webapp.workspace import default_workspace_dir

    workspace = default_workspace_dir()
    url = database_url(workspace)
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise AccountError(
            _("BORDER_MAP_DATABASE_URL is not a database URL: {url}").format(url=url)
        ) from None
    try:
        return open_store(workspace, url), where
    except (SQLAlchemyError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise AccountError(
            _("cannot open the database {where}: {reason}").format(
                where=where, reason=str(reason).strip().splitlines()[0]
            )
        ) from None


def _set_password(
    store: Store, where: str, name: str, password: str, command: str, say: Callable[..., None]
) -> int:
    from storage.passwords import (
        MAX_PASSWORD_LENGTH,
        MIN_PASSWORD_LENGTH,
        WeakPassword,
        check_strength,
    )
    from storage.store import NameTaken

    try:
        check_strength(password)
    except WeakPassword:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise AccountError(
                _("a password may have at most {n} characters").format(n=MAX_PASSWORD_LENGTH)
            ) from None
        raise AccountError(
            _(
                "a password needs at least {n} characters (a phrase of several words is "
                "easy to remember); nothing was changed"
            ).format(n=MIN_PASSWORD_LENGTH)
        ) from None
    if command == "add":
        try:
            store.add_user(name)
        except NameTaken:
            raise AccountError(
                _(
                    "a user named {name} exists already; to give them a new password: "
                    "border-map user reset {name}"
                ).format(name=name)
            ) from None
    elif store.user_named(name) is None:
        raise AccountError(
            _("no user named {name}; to add one: border-map user add {name}").format(name=name)
        )
    store.set_password(name, password)
    if command == "add":
        say(_("added user {name}, who signs in with this password ({where})").format(
            name=name, where=where))  # fmt: skip
    else:
        say(_("set a new password for {name} ({where})").format(name=name, where=where))
    return 0


def _disable(store: Store, where: str, name: str, say: Callable[..., None]) -> int:
    from storage.store import NotFound

    try:
        store.remove_password(name)
    except NotFound:
        raise AccountError(_("no user named {name}").format(name=name)) from None
    say(_("{name} can no longer sign in; their datasets stay ({where})").format(
        name=name, where=where))  # fmt: skip
    if not store.has_local_accounts():
        say(_(
            "No user has a password now: served on 127.0.0.1 with no identity provider, the app "
            "asks no one to sign in; on any other address it does not start."
        ))  # fmt: skip
    return 0


def _list_users(store: Store, say: Callable[..., None]) -> int:
    accounts = store.accounts()
    if not accounts:
        say(_("no users yet; add one with: border-map user add NAME"))
        return 0
    rows = [
        (a.user.name, _("password") if a.has_password else _("no password"),
         f"{a.user.created:%Y-%m-%d}")
        for a in accounts
    ]  # fmt: skip
    say(_table((_("user"), _("sign-in"), _("added")), rows))
    return 0


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Return the lines of a table, cells escaped for the terminal before they are padded.

    ``_say`` escapes whole lines too; escaping first keeps a name with control characters
    (an identity provider's e-mail) aligned with the others.
    """
    from cli.main import terminal_text

    return aligned([header, *[tuple(terminal_text(cell) for cell in row) for row in rows]])


def _user_ids(store: Store, names: list[str]) -> list[str]:
    """Return the ids of the users ``names``; AccountError naming every unknown one."""
    found = {name: store.user_named(name.strip()) for name in names}
    missing = [name for name, user in found.items() if user is None]
    if missing:
        raise AccountError(
            _("no user named {names}; add them first with: border-map user add NAME").format(
                names=", ".join(missing)
            )
        )
    return list(dict.fromkeys(user.id for user in found.values() if user is not None))


def _add_team(
    store: Store, where: str, team: str, members: list[str], say: Callable[..., None]
) -> int:
    from storage.store import NameTaken

    ids = _user_ids(store, members)
    try:
        store.add_team(team, tuple(ids))
    except NameTaken:
        raise AccountError(
            _("a team named {team} exists already; to add a member: border-map team join "
              "{team} NAME").format(team=team)
        ) from None  # fmt: skip
    say(_("added team {team} ({where})").format(team=team, where=where))
    return 0


def _join_team(
    store: Store, where: str, team_name: str, name: str, say: Callable[..., None]
) -> int:
    team = store.team_named(team_name.strip())
    if team is None:
        raise AccountError(
            _("no team named {team}; to add one: border-map team add {team}").format(
                team=team_name
            )
        )
    (user,) = _user_ids(store, [name])
    store.add_team_member(team.id, user)
    say(_("{name} is a member of {team} ({where})").format(
        name=name.strip(), team=team.name, where=where))  # fmt: skip
    return 0


def _list_teams(store: Store, say: Callable[..., None]) -> int:
    teams = store.teams()
    if not teams:
        say(_("no teams yet; add one with: border-map team add TEAM --member NAME"))
        return 0
    rows = [
        (team.name, ", ".join(u.name for u in store.team_members(team.id)) or _("(none)"))
        for team in teams
    ]
    say(_table((_("team"), _("members")), rows))
    return 0
