"""The storage interface: users, teams, private datasets with versions, shares, the audit trail.

One :class:`Store` serves both backends (``storage.engine``). Every call that acts on a
dataset names the acting user (``None``: a signed-out visitor) and is checked by
``storage.permissions``; one that may not see the dataset gets :class:`NotFound`, exactly as
for a dataset that does not exist, so ids cannot be probed. Each call runs in one transaction:
a new version's content, its row and its audit event land together or not at all, and
concurrent uploads to one dataset queue on the dataset's row (``SELECT ... FOR UPDATE``;
SQLite: ``BEGIN IMMEDIATE``), so each gets its own version number.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from render.markup import neutralise
from storage import passwords
from storage import permissions as rules
from storage.engine import READ_ONLY, database_url, insert_if_absent, make_engine, migrate
from storage.permissions import Access, Role
from storage.schema import (
    audit_events,
    contents,
    datasets,
    shares,
    team_members,
    teams,
    users,
    versions,
)

#: Bytes of randomness in a dataset id (``secrets.token_urlsafe``): 128 bits, not guessable.
DATASET_ID_BYTES = 16
AUDIT_CSV_COLUMNS = ("time", "user", "action", "dataset", "version", "detail")
#: The audit CSV's user for an action of a visitor who was not signed in (a public link).
SIGNED_OUT = "(signed-out visitor)"


class StorageError(Exception):
    """A storage request that cannot be carried out; ``str(error)`` says why."""


class NotFound(StorageError):
    """No such dataset, version or user, or none the acting user may see."""


class PermissionDenied(StorageError):
    """The acting user may see the dataset but not do this with it."""


class NameTaken(StorageError):
    """A user or team of that name exists already."""


def utc_now() -> dt.datetime:
    """Return the current time in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class User:
    """A person who signs in (or the one local user of a laptop)."""

    id: str
    name: str
    created: dt.datetime


@dataclass(frozen=True)
class Account:
    """A user as the accounts list shows it: whether it has a password (a local account)."""

    user: User
    has_password: bool


@dataclass(frozen=True)
class Team:
    """A named group of users that a dataset can be shared with."""

    id: str
    name: str
    created: dt.datetime


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset as one user sees it.

    Attributes
    ----------
    role
        What the user is to it: ``"owner"``, ``"editor"``, ``"viewer"`` or ``"public"``.
    latest
        The number of its newest version (the one a view shows unless it names another).
    sensitive_columns
        The columns its owner marked sensitive (``set_sensitive_columns``), in the schema's
        order: public links and exports for publication leave their text out
        (``geo.withhold``).
    """

    id: str
    name: str
    owner_id: str
    public: bool
    created: dt.datetime
    deleted_at: dt.datetime | None
    latest: int
    role: str
    sensitive_columns: tuple[str, ...] = ()

    @property
    def access(self) -> Access:
        """Return what the user has to do with it, for the rules of ``storage.permissions``."""
        shared = Role(self.role) if self.role in (Role.VIEWER, Role.EDITOR) else None
        return Access(self.role == "owner", shared, self.public, self.deleted_at)


@dataclass(frozen=True)
class VersionInfo:
    """One uploaded version of a dataset (its content is read with ``Store.read_version``)."""

    dataset_id: str
    number: int
    filename: str
    read_as: str
    sha256: str
    size: int
    uploaded_by: str
    created: dt.datetime
    restored_from: int | None


@dataclass(frozen=True)
class ShareInfo:
    """One share of a dataset: a user or a team (``kind``), by id and name, and its role."""

    dataset_id: str
    kind: str
    grantee_id: str
    grantee_name: str
    role: Role


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit trail: who did what to which dataset (and version), when."""

    at: dt.datetime
    user_id: str | None
    user_name: str | None
    action: str
    dataset_id: str | None
    version: int | None
    detail: str


def open_store(
    workspace: Path, url: str | None = None, *, clock: Callable[[], dt.datetime] = utc_now
) -> Store:
    """Open (creating or upgrading) the store: ``url``, else ``storage.engine.database_url``.

    ``clock`` returns the current time (aware); tests pass a fake one.
    """
    engine = make_engine(url or database_url(workspace))
    migrate(engine)
    return Store(engine, clock=clock)


class Store:
    """Datasets, their versions, shares and audit trail in one SQL database.

    Parameters
    ----------
    engine
        A migrated database (use :func:`open_store`).
    clock
        Returns the current time (aware); tests pass a fake one.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    def close(self) -> None:
        """Close the store's database connections."""
        self.engine.dispose()

    # --- users and teams -----------------------------------------------------------------

    def add_user(self, name: str) -> User:
        """Add a user named ``name`` (unique) and return it.

        Raises
        ------
        NameTaken
            A user of that name exists.
        """
        return User(*self._add_named(users, "user", name))

    def user_named(self, name: str) -> User | None:
        """Return the user named ``name``, or None."""
        with self._read() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return None if row is None else User(row.id, row.name, row.created)

    def ensure_user(self, name: str) -> User:
        """Return the user named ``name``, adding it first when there is none (race-safe)."""
        found = self.user_named(name)
        if found is not None:
            return found
        try:
            return self.add_user(name)
        except NameTaken:  # added by another session meanwhile
            found = self.user_named(name)
            if found is None:
                raise
            return found

    def add_team(self, name: str, members: tuple[str, ...] = ()) -> Team:
        """Add a team named ``name`` (unique) with the users ``members`` and return it.

        Raises
        ------
        NameTaken
            A team of that name exists.
        """
        return Team(*self._add_named(teams, "team", name, members))

    def team_named(self, name: str) -> Team | None:
        """Return the team named ``name``, or None."""
        with self._read() as conn:
            row = conn.execute(select(teams).where(teams.c.name == name)).first()
        return None if row is None else Team(row.id, row.name, row.created)

    def teams(self) -> list[Team]:
        """Return every team, by name."""
        with self._read() as conn:
            rows = conn.execute(select(teams).order_by(teams.c.name))
            return [Team(row.id, row.name, row.created) for row in rows]

    def add_team_member(self, team: str, user: str) -> None:
        """Make the user ``user`` (id) a member of the team ``team`` (id); no-op if one already.

        Raises
        ------
        NotFound
            No such team or user.
        """
        with self._write() as conn:
            if conn.execute(select(teams.c.id).where(teams.c.id == team)).first() is None:
                raise NotFound(f"no team {team!r}")
            if conn.execute(select(users.c.id).where(users.c.id == user)).first() is None:
                raise NotFound(f"no user {user!r}")
            insert_if_absent(conn, team_members, {"team_id": team, "user_id": user})

    def team_members(self, team: str) -> list[User]:
        """Return the members of the team ``team`` (id), by name."""
        with self._read() as conn:
            rows = conn.execute(
                select(users)
                .join(team_members, team_members.c.user_id == users.c.id)
                .where(team_members.c.team_id == team)
                .order_by(users.c.name)
            )
            return [User(row.id, row.name, row.created) for row in rows]

    # --- local accounts (passwords) ------------------------------------------------------

    def set_password(self, name: str, password: str) -> User:
        """Give the user named ``name`` a new password (argon2id); return the user.

        Raises
        ------
        storage.passwords.WeakPassword
            Fewer than ``passwords.MIN_PASSWORD_LENGTH`` characters (or far too many).
        NotFound
            No user of that name.
        """
        return self._set_password_hash(name, passwords.hash_password(password))

    def verify_password(self, name: str, password: str) -> User | None:
        """Return the user when ``name`` has a password and ``password`` is it, else None.

        Takes about as long for an unknown name or a user without a password (checked against
        a dummy hash). A hash made with older argon2 parameters is replaced on success.
        """
        with self._read() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        stored: str | None = None if row is None else row.password_hash
        if row is None or stored is None:
            passwords.check(None, password)  # as long as a real check
            return None
        if not passwords.check(stored, password):
            return None
        if passwords.needs_rehash(stored):
            with self._write() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == row.id, users.c.password_hash == stored)
                    .values(password_hash=passwords.rehash(password))
                )
        return User(row.id, row.name, row.created)

    def remove_password(self, name: str) -> User:
        """Take the password of the user named ``name``: they can no longer sign in locally.

        Their datasets, shares and audit trail stay. Raises NotFound when there is no such user.
        """
        return self._set_password_hash(name, None)

    def _set_password_hash(self, name: str, hashed: str | None) -> User:
        """Store ``hashed`` (None: no password) for the user named ``name``; return the user."""
        with self._write() as conn:
            row = conn.execute(
                update(users)
                .where(users.c.name == name)
                .values(password_hash=hashed)
                .returning(users.c.id, users.c.name, users.c.created)
            ).first()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return User(row.id, row.name, row.created)

    def has_password(self, user: str) -> bool:
        """Return whether the user ``user`` (id) has a password (may sign in locally)."""
        with self._read() as conn:
            found = conn.execute(
                select(users.c.id).where(users.c.id == user, users.c.password_hash.is_not(None))
            ).first()
        return found is not None

    def has_local_accounts(self) -> bool:
        """Return whether any user has a password (then the app asks everyone to sign in)."""
        with self._read() as conn:
            found = conn.execute(
                select(users.c.id).where(users.c.password_hash.is_not(None)).limit(1)
            ).first()
        return found is not None

    def accounts(self) -> list[Account]:
        """Return every user, by name, with whether each has a password."""
        with self._read() as conn:
            rows = conn.execute(select(users).order_by(users.c.name))
            return [
                Account(User(r.id, r.name, r.created), r.password_hash is not None) for r in rows
            ]

    def _add_named(
        self, table: Table, kind: str, name: str, members: tuple[str, ...] = ()
    ) -> tuple[str, str, dt.datetime]:
        """Insert a user or a team (``table``) named ``name``, a team with its ``members``.

        Returns the new row's id, name and creation time.
        """
        row_id, created = secrets.token_urlsafe(DATASET_ID_BYTES), self.clock()
        try:
            with self._write() as conn:
                conn.execute(table.insert().values(id=row_id, name=name, created=created))
                if members:
                    conn.execute(
                        team_members.insert(),
                        [{"team_id": row_id, "user_id": user_id} for user_id in members],
                    )
        except IntegrityError:
            raise NameTaken(f"a {kind} named {name!r} exists") from None
        return row_id, name, created

    # --- datasets and versions -----------------------------------------------------------

    def create_dataset(
        self, owner: str, content: bytes, filename: str, *, name: str = "", read_as: str = "auto"
    ) -> DatasetInfo:
        """Save an upload as a new private dataset of ``owner`` (its version 1).

        ``name`` defaults to the file's name.
        """
        dataset_id = secrets.token_urlsafe(DATASET_ID_BYTES)
        now = self.clock()
        with self._write() as conn:
            conn.execute(
                datasets.insert().values(
                    id=dataset_id,
                    name=name or Path(filename).name,
                    owner_id=owner,
                    public=False,
                    created=now,
                    deleted_at=None,
                )
            )
            self._add_version(conn, owner, dataset_id, 1, content, filename, read_as, None)
        return self.dataset(owner, dataset_id)

    def upload_version(
        self, user: str, dataset_id: str, content: bytes, filename: str, *, read_as: str = "auto"
    ) -> VersionInfo:
        """Add ``content`` as the dataset's newest version (owner or editor).

        Raises
        ------
        NotFound, PermissionDenied
            ``user`` may not see the dataset / may not add versions to it.
        """
        with self._write() as conn:
            self._check(conn, user, dataset_id, rules.can_upload_version, lock=True)
            number = self._latest(conn, dataset_id) + 1
            return self._add_version(
                conn, user, dataset_id, number, content, filename, read_as, None
            )

    def restore_version(self, user: str, dataset_id: str, number: int) -> VersionInfo:
        """Make an earlier version the newest again, as a new version with its content.

        Nothing is overwritten: the versions in between stay. Allowed to whoever may upload.

        Raises
        ------
        NotFound, PermissionDenied
            No such version the user may see / the user may not add versions.
        """
        with self._write() as conn:
            self._check(conn, user, dataset_id, rules.can_upload_version, lock=True)
            old = self._version(conn, dataset_id, number)
            data = conn.execute(
                select(contents.c.data).where(contents.c.sha256 == old.sha256)
            ).scalar_one()
            latest = self._latest(conn, dataset_id)
            return self._add_version(
                conn, user, dataset_id, latest + 1, data, old.filename, old.read_as, number
            )

    def list_datasets(self, user: str | None) -> list[DatasetInfo]:
        """Return the datasets ``user`` owns or has been given a share of, newest first.

        Deleted datasets are left out (see :meth:`deleted_datasets`); public datasets of others
        are opened by their id, not listed.
        """
        if user is None:
            return []
        with self._read() as conn:
            shared = select(shares.c.dataset_id).where(
                or_(shares.c.user_id == user, shares.c.team_id.in_(_teams_of(user)))
            )
            ids = conn.execute(
                select(datasets.c.id)
                .where(datasets.c.deleted_at.is_(None))
                .where(or_(datasets.c.owner_id == user, datasets.c.id.in_(shared)))
                .order_by(datasets.c.created.desc(), datasets.c.id)
            ).scalars()
            return [self._info(conn, user, dataset_id) for dataset_id in ids]

    def deleted_datasets(self, owner: str) -> list[DatasetInfo]:
        """Return ``owner``'s deleted datasets that can still be restored, newest deletion first."""
        cutoff = rules.purge_cutoff(self.clock())
        with self._read() as conn:
            ids = conn.execute(
                select(datasets.c.id)
                .where(datasets.c.owner_id == owner, datasets.c.deleted_at >= cutoff)
                .order_by(datasets.c.deleted_at.desc())
            ).scalars()
            return [self._info(conn, owner, dataset_id) for dataset_id in ids]

    def dataset(self, user: str | None, dataset_id: str) -> DatasetInfo:
        """Return the dataset as ``user`` sees it.

        Raises
        ------
        NotFound
            No such dataset, or none ``user`` may see.
        """
        with self._read() as conn:
            self._check(conn, user, dataset_id, rules.can_view)
            return self._info(conn, user, dataset_id)

    def versions(self, user: str | None, dataset_id: str) -> list[VersionInfo]:
        """Return the dataset's versions, oldest first.

        Raises
        ------
        NotFound
            No such dataset, or none ``user`` may see.
        """
        with self._read() as conn:
            self._check(conn, user, dataset_id, rules.can_view)
            rows = conn.execute(
                select(versions)
                .where(versions.c.dataset_id == dataset_id)
                .order_by(versions.c.number)
            )
            return [_version_info(row) for row in rows]

    def read_version(self, user: str | None, dataset_id: str, number: int | None = None) -> bytes:
        """Return the content of a version (default: the newest), checked against its sha256.

        Raises
        ------
        NotFound
            No such dataset or version, or none ``user`` may see.
        """
        with self._read() as conn:
            self._check(conn, user, dataset_id, rules.can_view)
            version = self._version(conn, dataset_id, number or self._latest(conn, dataset_id))
            data: bytes = conn.execute(
                select(contents.c.data).where(contents.c.sha256 == version.sha256)
            ).scalar_one()
        if hashlib.sha256(data).hexdigest() != version.sha256:
            raise StorageError(f"version {version.number} of {dataset_id} is damaged")
        return data

    def record_export(
        self, user: str | None, dataset_id: str, version: int | None, detail: str
    ) -> None:
        """Check that ``user`` may export the dataset and record the export in the audit trail.

        Call before handing out the file; ``detail`` says what (e.g. the format).

        Raises
        ------
        NotFound
            No such dataset, or none ``user`` may export.
        """
        with self._write() as conn:
            self._check(conn, user, dataset_id, rules.can_export)
            self._audit(conn, user, "export", dataset_id, version, detail)

    # --- what the app shows beside a dataset ----------------------------------------------

    def content_bytes(self) -> int:
        """Return the bytes of the distinct contents that datasets not deleted use (a quota).

        A deleted dataset's contents no longer count (they go when it is purged), and content
        that several versions or datasets share counts once.
        """
        with self._read() as conn:
            used = (
                select(versions.c.sha256)
                .join(datasets, datasets.c.id == versions.c.dataset_id)
                .where(datasets.c.deleted_at.is_(None))
            )
            total = conn.execute(
                select(func.coalesce(func.sum(contents.c.size), 0)).where(
                    contents.c.sha256.in_(used)
                )
            ).scalar_one()
        return int(total)

    def user_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Return the names of the users with the given ids (unknown ids are left out)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        with self._read() as conn:
            rows = conn.execute(select(users.c.id, users.c.name).where(users.c.id.in_(wanted)))
            return {row.id: row.name for row in rows}

    def shares_of(self, owner: str, dataset_id: str) -> list[ShareInfo]:
        """Return who the dataset is shared with, users first, each by name (its owner only).

        Raises
        ------
        NotFound, PermissionDenied
            ``owner`` may not see / does not own the dataset.
        """
        with self._read() as conn:
            self._check(conn, owner, dataset_id, rules.can_share)
            rows = conn.execute(
                select(shares, users.c.name.label("user_name"), teams.c.name.label("team_name"))
                .outerjoin(users, users.c.id == shares.c.user_id)
                .outerjoin(teams, teams.c.id == shares.c.team_id)
                .where(shares.c.dataset_id == dataset_id)
                .order_by(shares.c.team_id.is_not(None), users.c.name, teams.c.name)
            )
            return [
                ShareInfo(
                    dataset_id,
                    "team" if row.team_id is not None else "user",
                    row.team_id if row.team_id is not None else row.user_id,
                    row.team_name if row.team_id is not None else row.user_name,
                    Role(row.role),
                )
                for row in rows
            ]

    # --- owner's actions -----------------------------------------------------------------

    def share(
        self,
        owner: str,
        dataset_id: str,
        role: Role,
        *,
        user: str | None = None,
        team: str | None = None,
    ) -> None:
        """Give one user or one team ``role`` on the dataset (replacing a role given before).

        Raises
        ------
        NotFound, PermissionDenied
            ``owner`` may not see / does not own the dataset.
        ValueError
            Not exactly one of ``user`` and ``team``.
        """
        grantee = _grantee(user, team)
        with self._write() as conn:
            self._check(conn, owner, dataset_id, rules.can_share, lock=True)
            who = _grantee_name(conn, user, team)
            conn.execute(delete(shares).where(shares.c.dataset_id == dataset_id, grantee))
            conn.execute(
                shares.insert().values(
                    dataset_id=dataset_id, user_id=user, team_id=team, role=Role(role).value
                )
            )
            self._audit(conn, owner, "share", dataset_id, None, f"{who} as {Role(role).value}")

    def unshare(
        self, owner: str, dataset_id: str, *, user: str | None = None, team: str | None = None
    ) -> None:
        """Take back the share of one user or team (nothing happens when there is none)."""
        grantee = _grantee(user, team)
        with self._write() as conn:
            self._check(conn, owner, dataset_id, rules.can_share, lock=True)
            conn.execute(delete(shares).where(shares.c.dataset_id == dataset_id, grantee))
            self._audit(conn, owner, "unshare", dataset_id, None, _grantee_name(conn, user, team))

    def set_public(self, owner: str, dataset_id: str, public: bool) -> None:
        """Make the dataset public (read-only for anyone with its id) or private again."""
        with self._write() as conn:
            self._check(conn, owner, dataset_id, rules.can_share, lock=True)
            conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(public=public))
            detail = "made public" if public else "made private"
            self._audit(conn, owner, "publish", dataset_id, None, detail)

    def set_sensitive_columns(
        self, owner: str, dataset_id: str, columns: Iterable[str]
    ) -> DatasetInfo:
        """Mark exactly ``columns`` sensitive (none: unmark all); return the dataset.

        The owner only. Columns are those of ``geo.reference.schema.SENSITIVE_COLUMNS``, kept
        in the schema's order. The audit trail records the change as a ``publish`` event (it
        decides what is published) saying which columns are marked now.

        Raises
        ------
        NotFound, PermissionDenied
            ``owner`` may not see / does not own the dataset.
        ValueError
            A column that cannot be marked sensitive.
        """
        from geo.withhold import sensitive_columns  # geo's data stack only when marking

        marked = sensitive_columns(columns)
        with self._write() as conn:
            self._check(conn, owner, dataset_id, rules.can_mark_sensitive, lock=True)
            before = _split_columns(
                conn.execute(
                    select(datasets.c.sensitive_columns).where(datasets.c.id == dataset_id)
                ).scalar_one()
            )
            if before != marked:
                conn.execute(
                    update(datasets)
                    .where(datasets.c.id == dataset_id)
                    .values(sensitive_columns="\n".join(marked))
                )
                detail = "sensitive columns: " + (", ".join(marked) or "none")
                self._audit(conn, owner, "publish", dataset_id, None, detail)
            return self._info(conn, owner, dataset_id)

    def delete(self, owner: str, dataset_id: str) -> None:
        """Delete the dataset softly: hidden from all, restorable by its owner for 30 days."""
        with self._write() as conn:
            self._check(conn, owner, dataset_id, rules.can_delete, lock=True)
            conn.execute(
                update(datasets).where(datasets.c.id == dataset_id).values(deleted_at=self.clock())
            )
            self._audit(conn, owner, "delete", dataset_id, None, "")

    def restore(self, owner: str, dataset_id: str) -> DatasetInfo:
        """Restore a deleted dataset (its owner, within 30 days of the deletion).

        Raises
        ------
        NotFound, PermissionDenied
            No such dataset of ``owner`` / not deleted, or deleted too long ago.
        """
        with self._write() as conn:
            access = self._access(conn, owner, dataset_id, lock=True)
            if not access.is_owner:
                raise NotFound(f"no dataset {dataset_id!r}")
            if not rules.can_restore(access, self.clock()):
                raise PermissionDenied(f"dataset {dataset_id!r} cannot be restored")
            conn.execute(
                update(datasets).where(datasets.c.id == dataset_id).values(deleted_at=None)
            )
            self._audit(conn, owner, "restore", dataset_id, None, "")
            return self._info(conn, owner, dataset_id)

    def purge_expired(self, now: dt.datetime) -> list[str]:
        """Remove for good the datasets deleted more than 30 days before ``now``; return their ids.

        Their versions, shares and the contents no other version uses go; their audit trail
        stays, with a ``delete`` event ``purged`` by no user.
        """
        with self._write() as conn:
            doomed = list(
                conn.execute(
                    select(datasets.c.id)
                    .where(datasets.c.deleted_at < rules.purge_cutoff(now))
                    .with_for_update()
                ).scalars()
            )
            if not doomed:
                return []
            conn.execute(delete(shares).where(shares.c.dataset_id.in_(doomed)))
            conn.execute(delete(versions).where(versions.c.dataset_id.in_(doomed)))
            conn.execute(delete(datasets).where(datasets.c.id.in_(doomed)))
            conn.execute(
                delete(contents).where(contents.c.sha256.not_in(select(versions.c.sha256)))
            )
            for dataset_id in doomed:
                self._audit(conn, None, "delete", dataset_id, None, "purged", at=now)
        return doomed

    def audit_trail(self, owner: str, dataset_id: str) -> list[AuditEvent]:
        """Return the dataset's audit trail, oldest first (its owner only, deleted or not).

        Raises
        ------
        NotFound
            No such dataset, or none ``owner`` owns.
        """
        with self._read() as conn:
            access = self._access(conn, owner, dataset_id)
            if not rules.can_read_audit(access):
                raise NotFound(f"no dataset {dataset_id!r}")
            rows = conn.execute(
                select(audit_events, users.c.name.label("user_name"))
                .outerjoin(users, users.c.id == audit_events.c.user_id)
                .where(audit_events.c.dataset_id == dataset_id)
                .order_by(audit_events.c.at, audit_events.c.id)
            )
            return [
                AuditEvent(
                    r.at, r.user_id, r.user_name, r.action, r.dataset_id, r.version, r.detail
                )
                for r in rows
            ]

    def audit_csv(self, owner: str, dataset_id: str) -> str:
        """Return the dataset's audit trail as CSV text, every cell formula-safe.

        Columns :data:`AUDIT_CSV_COLUMNS`; times in ISO 8601 UTC; users by name
        (:data:`SIGNED_OUT` for a visitor of a public link).
        """
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(AUDIT_CSV_COLUMNS)
        for event in self.audit_trail(owner, dataset_id):
            cells = (
                event.at.isoformat(timespec="seconds"),
                event.user_name or ("" if event.user_id else SIGNED_OUT),
                event.action,
                event.dataset_id or "",
                "" if event.version is None else str(event.version),
                event.detail,
            )
            writer.writerow([neutralise(cell) for cell in cells])
        return out.getvalue()

    # --- inside one transaction ----------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            yield conn

    def _access(
        self, conn: Connection, user: str | None, dataset_id: str, *, lock: bool = False
    ) -> Access:
        """Return what ``user`` has to do with the dataset (NotFound when there is none)."""
        query = select(datasets).where(datasets.c.id == dataset_id)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound(f"no dataset {dataset_id!r}")
        role = None
        if user is not None:
            granted = set(
                conn.execute(
                    select(shares.c.role).where(
                        shares.c.dataset_id == dataset_id,
                        or_(shares.c.user_id == user, shares.c.team_id.in_(_teams_of(user))),
                    )
                ).scalars()
            )
            role = Role.EDITOR if Role.EDITOR in granted else Role.VIEWER if granted else None
        return Access(row.owner_id == user, role, row.public, row.deleted_at)

    def _check(
        self,
        conn: Connection,
        user: str | None,
        dataset_id: str,
        rule: Callable[[Access], bool],
        *,
        lock: bool = False,
    ) -> Access:
        """Return the user's access when ``rule`` allows; NotFound when they may not see it."""
        access = self._access(conn, user, dataset_id, lock=lock)
        if rule(access):
            return access
        if rules.can_view(access):
            raise PermissionDenied(f"not allowed on dataset {dataset_id!r}")
        raise NotFound(f"no dataset {dataset_id!r}")

    def _info(self, conn: Connection, user: str | None, dataset_id: str) -> DatasetInfo:
        row = conn.execute(select(datasets).where(datasets.c.id == dataset_id)).one()
        access = self._access(conn, user, dataset_id)
        role = "owner" if access.is_owner else access.role or "public"
        return DatasetInfo(
            row.id,
            row.name,
            row.owner_id,
            row.public,
            row.created,
            row.deleted_at,
            self._latest(conn, dataset_id),
            str(role),
            _split_columns(row.sensitive_columns),
        )

    @staticmethod
    def _latest(conn: Connection, dataset_id: str) -> int:
        return int(
            conn.execute(
                select(func.coalesce(func.max(versions.c.number), 0)).where(
                    versions.c.dataset_id == dataset_id
                )
            ).scalar_one()
        )

    @staticmethod
    def _version(conn: Connection, dataset_id: str, number: int) -> VersionInfo:
        row = conn.execute(
            select(versions).where(
                and_(versions.c.dataset_id == dataset_id, versions.c.number == number)
            )
        ).first()
        if row is None:
            raise NotFound(f"dataset {dataset_id!r} has no version {number}")
        return _version_info(row)

    def _add_version(
        self,
        conn: Connection,
        user: str,
        dataset_id: str,
        number: int,
        content: bytes,
        filename: str,
        read_as: str,
        restored_from: int | None,
    ) -> VersionInfo:
        digest = hashlib.sha256(content).hexdigest()
        insert_if_absent(conn, contents, {"sha256": digest, "size": len(content), "data": content})
        version = VersionInfo(
            dataset_id,
            number,
            Path(filename).name,
            read_as,
            digest,
            len(content),
            user,
            self.clock(),
            restored_from,
        )
        conn.execute(versions.insert().values(**asdict(version)))
        if restored_from is None:
            self._audit(conn, user, "upload", dataset_id, number, version.filename)
        else:
            self._audit(conn, user, "restore", dataset_id, number, f"version {restored_from}")
        return version

    def _audit(
        self,
        conn: Connection,
        user: str | None,
        action: str,
        dataset_id: str | None,
        version: int | None,
        detail: str,
        *,
        at: dt.datetime | None = None,
    ) -> None:
        conn.execute(
            audit_events.insert().values(
                at=at or self.clock(),
                user_id=user,
                action=action,
                dataset_id=dataset_id,
                version=version,
                detail=detail,
            )
        )


def _split_columns(stored: str | None) -> tuple[str, ...]:
    """Return the column names stored one per line (``datasets.sensitive_columns``)."""
    return tuple(line.strip() for line in (stored or "").splitlines() if line.strip())


def _teams_of(user: str) -> Select[tuple[str]]:
    return select(team_members.c.team_id).where(team_members.c.user_id == user)


def _grantee(user: str | None, team: str | None) -> Any:
    if (user is None) == (team is None):
        raise ValueError("share with exactly one of user= and team=")
    return shares.c.user_id == user if user is not None else shares.c.team_id == team


def _grantee_name(conn: Connection, user: str | None, team: str | None) -> str:
    """Return ``user NAME`` or ``team NAME`` for the audit trail (NotFound when unknown)."""
    table, key, kind = (users, user, "user") if user is not None else (teams, team, "team")
    name = conn.execute(select(table.c.name).where(table.c.id == key)).scalar_one_or_none()
    if name is None:
        raise NotFound(f"no {kind} {key!r}")
    return f"{kind} {name}"


def _version_info(row: Row[Any]) -> VersionInfo:
    return VersionInfo(
        row.dataset_id,
        row.number,
        row.filename,
        row.read_as,
        row.sha256,
        row.size,
        row.uploaded_by,
        row.created,
        row.restored_from,
    )
