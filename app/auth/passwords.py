"""Passwords: argon2id hashes (argon2-cffi) and the length rule."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from datasets.messages import BilingualError, Message

#: Outside demo warehouses a password has at least this many characters.
MIN_LENGTH = 10

_HASHER = PasswordHasher()  # argon2id with the library's recommended cost


@cache
def _dummy_hash() -> str:
    """A hash verified against when the username is unknown (made once, when first needed).

    A wrong name then takes as long as a wrong password and does not reveal
    which accounts exist. It is made on first use, not on import: every
    command imports this module and most never check a password.
    """
    return _HASHER.hash("not a password of any account")


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
    dummy = _dummy_hash()  # made by the first check whatever the name: the same time for both
    try:
        ok = _HASHER.verify(password_hash or dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None
