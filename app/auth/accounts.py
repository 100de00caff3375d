"""Accounts in the warehouse (``app_user``): add, list, disable, reset a password, sign in.

Every change writes its audit row in the same transaction (:func:`etl.audit.record`).
After :data:`MAX_FAILURES` wrong passwords in a row an account is locked for
:data:`LOCKOUT`; a correct password, or a reset, clears the count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from app.auth import sessions
from app.auth.identity import User
from app.auth.passwords import check_password, hash_password, verify_password
from app.auth.roles import ROLES
from app.auth.store import sql, transaction, utc_now
from datasets.messages import BilingualError, Message
from etl.audit import record

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


class AccountError(BilingualError, ValueError):
    """A refused account change; ``str()`` is one line in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(Message(zh, en))


@dataclass(frozen=True)
class Account:
    """One row of ``app_user`` (without its password hash)."""

    username: str
    display_name: str
    role: str
    sites: tuple[str, ...]
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime
    updated_at: datetime

    def user(self) -> User:
        """The signed-in identity of this account."""
        return User(self.username, self.display_name, self.role, self.sites)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt.

    ``user`` and ``token`` are set when it succeeded; otherwise ``reason`` is
    ``bad_credentials``, ``locked`` (see ``locked_until``) or ``disabled``.
    """

    user: User | None = None
    token: str | None = None
    reason: str | None = None
    locked_until: datetime | None = None


def _rows(cur: duckdb.DuckDBPyConnection, username: str | None) -> list[tuple]:
    return cur.execute(sql("select_account"), {"username": username}).fetchall()


def _account(row: tuple) -> Account:
    name, display, role, sites, _hash, active, failed, locked, created, updated = row
    return Account(
        name, display, role, tuple(sites or ()), active, failed, locked, created, updated
    )


def list_accounts(cur: duckdb.DuckDBPyConnection) -> list[Account]:
    """Return every account, in username order."""
    return [_account(r) for r in _rows(cur, None)]


def get_account(cur: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    """Return the account ``username`` (any case), or ``None``."""
    rows = _rows(cur, username.strip().lower())
    return _account(rows[0]) if rows else None


def require_account(cur: duckdb.DuckDBPyConnection, username: str) -> Account:
    """Return the account ``username``, or raise :class:`AccountError` naming the way to list them."""
    account = get_account(cur, username)
    if account is None:
        msg = f"没有名为 {username!r} 的账户；`stdeval users list` 列出全部账户"
        raise AccountError(
            msg,
            f"no account named {username!r}; `stdeval users list` shows every account",
        )
    return account


def check_new_account(
    cur: duckdb.DuckDBPyConnection, *, username: str, role: str, sites: Sequence[str]
) -> tuple[str, tuple[str, ...]]:
    """Return the folded username and sorted sites of a valid new account, or raise AccountError."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        msg = f"用户名 {username!r} 无效：2–40 个小写字母、数字或 . _ -，以字母或数字开头"
        raise AccountError(
            msg,
            f"username {username!r} is not valid: 2–40 lower-case letters, digits or . _ -,"
            " starting with a letter or digit",
        )
    if role not in ROLES:
        msg = f"角色 {role!r} 无效，请使用以下之一：{', '.join(ROLES)}"
        raise AccountError(
            msg,
            f"role {role!r} is not valid; use one of: {', '.join(ROLES)}",
        )
    wanted = tuple(sorted({s.strip() for s in sites if s.strip()}))
    if role == "pilot_site" and not wanted:
        msg = "试点单位账户至少需要一个 --site（试点单位编号）"
        raise AccountError(
            msg,
            "a pilot_site account needs at least one --site (a pilot site id)",
        )
    if role != "pilot_site" and wanted:
        msg = f"只有 pilot_site 账户绑定试点单位；{role} 账户不能使用 --site"
        raise AccountError(
            msg,
            f"only pilot_site accounts are bound to sites; a {role} account takes no --site",
        )
    known = {
        r[0] for r in cur.execute(sql("select_site_ids"), {"site_ids": list(wanted)}).fetchall()
    }
    missing = [s for s in wanted if s not in known]
    if missing:
        msg = f"试点单位 {', '.join(missing)} 未登记；请先上传 pilot_site 数据"
        raise AccountError(
            msg,
            f"pilot site {', '.join(missing)} is not registered; upload its pilot_site row first",
        )
    if get_account(cur, name) is not None:
        msg = f"账户 {name!r} 已存在"
        raise AccountError(msg, f"an account named {name!r} already exists")
    return name, wanted


def add_account(
    cur: duckdb.DuckDBPyConnection,
    *,
    username: str,
    role: str,
    password: str,
    actor: str,
    demo: bool,
    display_name: str | None = None,
    sites: Sequence[str] = (),
) -> Account:
    """Create an account (its password checked and hashed) and audit it; return it.

    ``demo`` relaxes the password length rule (a demo warehouse's accounts
    share the password ``demo``).
    """
    check_new_account(cur, username=username, role=role, sites=sites)
    check_password(password, demo=demo)
    return add_hashed_account(
        cur, username=username, role=role, password_hash=hash_password(password),
        actor=actor, display_name=display_name, sites=sites,
    )  # fmt: skip


def add_hashed_account(
    cur: duckdb.DuckDBPyConnection,
    *,
    username: str,
    role: str,
    password_hash: str,
    actor: str,
    display_name: str | None = None,
    sites: Sequence[str] = (),
) -> Account:
    """Create an account whose password was checked and hashed already, audit it; return it.

    For ``stdeval users add`` as a job of the warehouse's writer: the command
    checks and hashes the password it read, so the queue never holds it.
    """
    name, wanted = check_new_account(cur, username=username, role=role, sites=sites)
    now = utc_now()
    with transaction(cur):
        cur.execute(
            sql("insert_account"),
            {
                "username": name,
                "display_name": (display_name or "").strip() or name,
                "role": role,
                "sites": list(wanted),
                "password_hash": password_hash,
                "now": now,
            },
        )
        record(cur, actor=actor, action="user_created", target=name,
               details={"role": role, "sites": list(wanted)}, at=now)  # fmt: skip
    return require_account(cur, name)


def set_active(
    cur: duckdb.DuckDBPyConnection, username: str, *, active: bool, actor: str
) -> Account:
    """Disable (or enable) an account; disabling also ends its open sessions."""
    account = require_account(cur, username)
    now = utc_now()
    with transaction(cur):
        cur.execute(
            sql("update_account_active"),
            {"username": account.username, "active": active, "now": now},
        )
        if not active:
            sessions.revoke_all(cur, account.username, now=now)
        action = "user_enabled" if active else "user_disabled"
        record(cur, actor=actor, action=action, target=account.username, at=now)
    return require_account(cur, account.username)


def reset_password(
    cur: duckdb.DuckDBPyConnection, username: str, password: str, *, actor: str, demo: bool
) -> Account:
    """Give an account a new password, lift its lockout and end its open sessions."""
    require_account(cur, username)
    check_password(password, demo=demo)
    return set_password_hash(cur, username, hash_password(password), actor=actor)


def set_password_hash(
    cur: duckdb.DuckDBPyConnection, username: str, password_hash: str, *, actor: str
) -> Account:
    """Store a checked and hashed new password, lift the lockout, end the open sessions."""
    account = require_account(cur, username)
    now = utc_now()
    with transaction(cur):
        cur.execute(
            sql("update_account_password"),
            {"username": account.username, "password_hash": password_hash, "now": now},
        )
        sessions.revoke_all(cur, account.username, now=now)
        record(cur, actor=actor, action="password_reset", target=account.username, at=now)
    return require_account(cur, account.username)


def sign_in(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    *,
    lifetime: timedelta,
    now: datetime | None = None,
) -> SignIn:
    """Check a username and password; on success open a session of ``lifetime``.

    The attempt, its outcome and (on success) the new session are written in
    one transaction with their audit row (``sign_in`` or ``sign_in_failed``).
    """
    now = now or utc_now()
    name = username.strip().lower()
    rows = _rows(cur, name) if name else []
    stored_hash = rows[0][4] if rows else None
    account = _account(rows[0]) if rows else None
    if account and account.locked_until and account.locked_until > now:
        with transaction(cur):
            record(cur, actor=name, action="sign_in_failed", target=name,
                   details={"reason": "locked"}, at=now)  # fmt: skip
        return SignIn(reason="locked", locked_until=account.locked_until)
    matches = verify_password(stored_hash, password)  # also for an unknown name: same time
    with transaction(cur):
        if account is None or not matches:
            outcome = SignIn(reason="bad_credentials")
            if account is not None:
                failures = account.failed_attempts + 1
                locked = now + LOCKOUT if failures >= MAX_FAILURES else None
                outcome = SignIn(reason="locked", locked_until=locked) if locked else outcome
                cur.execute(
                    sql("update_sign_in_state"),
                    {"username": name, "failed_attempts": 0 if locked else failures,
                     "locked_until": locked, "now": now},
                )  # fmt: skip
            record(cur, actor=name or "?", action="sign_in_failed", target=name or None,
                   details={"reason": outcome.reason, "known": account is not None}, at=now)  # fmt: skip
            return outcome
        if not account.active:
            record(cur, actor=name, action="sign_in_failed", target=name,
                   details={"reason": "disabled"}, at=now)  # fmt: skip
            return SignIn(reason="disabled")
        cur.execute(
            sql("update_sign_in_state"),
            {"username": name, "failed_attempts": 0, "locked_until": None, "now": now},
        )
        token = sessions.open_session(cur, name, lifetime=lifetime, now=now)
        record(cur, actor=name, action="sign_in", target=name, at=now)
    return SignIn(user=account.user(), token=token)
