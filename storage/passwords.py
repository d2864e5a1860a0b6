"""Local accounts' passwords: argon2id hashes (argon2-cffi), checked in about the same time.

``hash_password`` refuses a password shorter than :data:`MIN_PASSWORD_LENGTH` characters
(:class:`WeakPassword`). ``check`` verifies a password against a stored hash; with no hash (no
such user, or one without a password) it verifies against a dummy hash instead, so an
attacker cannot tell a wrong name from a wrong password by the time the answer takes.
"""

from __future__ import annotations

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: The fewest characters a password may have.
MIN_PASSWORD_LENGTH = 12
#: The most characters a password may have (a longer one is a mistake, or an attack on CPU).
MAX_PASSWORD_LENGTH = 1024


#: Argon2 computations at once in this process: each takes 64 MiB for a moment, so a burst of
#: sign-in attempts queues instead of exhausting the server's memory.
CONCURRENT_HASHES = 2
_SLOTS = threading.BoundedSemaphore(CONCURRENT_HASHES)


class WeakPassword(ValueError):
    """A password refused as too short or too long; ``str(error)`` says why."""


@cache
def hasher() -> PasswordHasher:
    """Return the hasher: argon2id with argon2-cffi's defaults (RFC 9106, low-memory profile)."""
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return hasher().hash("not the password of anyone: a stand-in for a missing user")


def check_strength(password: str) -> None:
    """Raise :class:`WeakPassword` unless ``password`` has an acceptable length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password`` (checked by :func:`check_strength` first)."""
    check_strength(password)
    with _SLOTS:
        return hasher().hash(password)


def rehash(password: str) -> str:
    """Return a new hash of a password that has just been verified (no strength check)."""
    with _SLOTS:
        return hasher().hash(password)


def check(stored: str | None, password: str) -> bool:
    """Return whether ``password`` matches the hash ``stored`` (None: no hash, never matches).

    Takes about as long either way: with no hash, the password is checked against a dummy one.
    """
    too_long = len(password) > MAX_PASSWORD_LENGTH  # never stored: checked, never matches
    if too_long:
        password = password[:MAX_PASSWORD_LENGTH]
    dummy = _dummy_hash() if stored is None else ""
    try:
        with _SLOTS:
            matched = hasher().verify(stored or dummy, password)
        return matched and stored is not None and not too_long
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Return whether ``stored`` was made with other parameters than the hasher's current ones."""
    try:
        return hasher().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True
