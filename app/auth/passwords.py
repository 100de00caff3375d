"""Passwords: argon2id hashes (argon2-cffi) and the length rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from datasets.messages import BilingualError, Message

#: Outside demo warehouses a password has at least this many characters.
MIN_LENGTH = 10

_HASHER = PasswordHasher()  # argon2id with the library's recommended cost
# Verified against when the username is unknown, so that a wrong name takes
# as long as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _HASHER.hash("not a password of any account")


class WeakPassword(BilingualError, ValueError):
    """A password that the rules refuse; ``str()`` is one line in Chinese and English."""


def check_password(password: str, *, demo: bool) -> None:
    """Refuse a password shorter than :data:`MIN_LENGTH` (any non-empty one on a demo warehouse).

    Raises
    ------
    WeakPassword
        The password is too short.

    Examples
    --------
    >>> check_password("demo", demo=True)
    >>> check_password("short", demo=False)
    Traceback (most recent call last):
    ...
    app.auth.passwords.WeakPassword: 密码至少需要 10 个字符...
    """
    need = 1 if demo else MIN_LENGTH
    if len(password) < need:
        msg = Message(
            f"密码至少需要 {need} 个字符（现有 {len(password)} 个），请换一个更长的密码",
            f"a password needs at least {need} characters (this one has {len(password)});"
            " choose a longer one",
        )
        raise WeakPassword(msg)


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password`` (salted: never the same twice)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; ``None`` (no such account) never matches.

    Examples
    --------
    >>> verify_password(hash_password("correct horse"), "correct horse")
    True
    >>> verify_password(None, "anything")
    False
    """
    try:
        ok = _HASHER.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None
