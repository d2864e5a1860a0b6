"""Who may do what with a dataset: the one home of the permission rules.

The owner does everything. A share gives a named user, or every member of a team, a role:
a *viewer* sees and exports the dataset, an *editor* also uploads new versions (and restores an
earlier one as the newest). Only the owner deletes, restores a deleted dataset, shares, makes it
public, marks columns sensitive and reads its audit trail. A public dataset can be seen and
exported by anyone, signed in or not. A deleted dataset is seen by no one; its owner may
restore it for :data:`RESTORE_DAYS` days, after which it is purged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

#: Days a deleted dataset can be restored by its owner before it is purged.
RESTORE_DAYS = 30


class Role(StrEnum):
    """A role a share gives."""

    VIEWER = "viewer"
    EDITOR = "editor"


@dataclass(frozen=True)
class Access:
    """What one user has to do with one dataset.

    Attributes
    ----------
    is_owner
        The user owns the dataset.
    role
        The strongest role the user's own and team shares give, or None.
    public
        The owner made the dataset public (read-only for anyone).
    deleted_at
        When the dataset was deleted (soft delete), or None.
    """

    is_owner: bool
    role: Role | None
    public: bool
    deleted_at: dt.datetime | None


def can_view(access: Access) -> bool:
    """Return True when the user may list, open and read the dataset."""
    if access.deleted_at is not None:
        return False
    return access.is_owner or access.role is not None or access.public


def can_export(access: Access) -> bool:
    """Return True when the user may export the dataset (whoever may see it)."""
    return can_view(access)


def can_upload_version(access: Access) -> bool:
    """Return True when the user may add a version: the owner or an editor."""
    return can_view(access) and (access.is_owner or access.role is Role.EDITOR)


def can_delete(access: Access) -> bool:
    """Return True when the user may delete the dataset: its owner, while it is not deleted."""
    return access.is_owner and access.deleted_at is None


def can_share(access: Access) -> bool:
    """Return True when the user may share, unshare or publish the dataset: its owner."""
    return access.is_owner and access.deleted_at is None


def can_mark_sensitive(access: Access) -> bool:
    """Return True when the user may mark the dataset's columns sensitive: its owner.

    The marks decide what public links and exports for publication leave out.
    """
    return access.is_owner and access.deleted_at is None


def can_read_audit(access: Access) -> bool:
    """Return True when the user may read the dataset's audit trail: its owner."""
    return access.is_owner


def can_restore(access: Access, now: dt.datetime) -> bool:
    """Return True when the user may restore the deleted dataset: its owner, within the window."""
    return (
        access.is_owner
        and access.deleted_at is not None
        and now - access.deleted_at <= dt.timedelta(days=RESTORE_DAYS)
    )


def purge_cutoff(now: dt.datetime) -> dt.datetime:
    """Return the deletion time before which a deleted dataset is purged at ``now``."""
    return now - dt.timedelta(days=RESTORE_DAYS)
