"""Server-side sessions (``app_session``): the cookie names one, sign-out revokes it.

The browser keeps only a signed random token; the warehouse keeps its
sha256, expiry and revocation. A cookie therefore stops working when its
session is revoked (sign-out, account disabled, password reset) or expired,
however good its signature.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import duckdb

from app.auth.identity import User
from app.auth.store import sql, transaction, utc_now
from etl.audit import record


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(
    cur: duckdb.DuckDBPyConnection, username: str, *, lifetime: timedelta, now: datetime
) -> str:
    """Store a new session of ``username`` (inside the caller's transaction); return its token."""
    token = secrets.token_urlsafe(32)
    cur.execute(
        sql("insert_session"),
        {"token_sha256": _digest(token), "username": username, "now": now,
         "expires_at": now + lifetime},
    )  # fmt: skip
    return token


def session_user(
    cur: duckdb.DuckDBPyConnection, token: str, *, now: datetime | None = None
) -> User | None:
    """Return the user of a live session (not revoked, not expired, account active), or ``None``."""
    rows = cur.execute(
        sql("select_session_user"), {"token_sha256": _digest(token), "now": now or utc_now()}
    ).fetchall()
    if not rows:
        return None
    username, display_name, role, sites = rows[0]
    return User(username, display_name, role, tuple(sites or ()))


def end_session(cur: duckdb.DuckDBPyConnection, token: str, *, now: datetime | None = None) -> bool:
    """Sign out: revoke the session and audit it, in one transaction; False if it was not open."""
    now = now or utc_now()
    with transaction(cur):
        rows = cur.execute(
            sql("revoke_session"), {"token_sha256": _digest(token), "now": now}
        ).fetchall()
        if rows:
            record(cur, actor=rows[0][0], action="sign_out", target=rows[0][0], at=now)
    return bool(rows)


def revoke_all(cur: duckdb.DuckDBPyConnection, username: str, *, now: datetime) -> None:
    """Revoke every open session of ``username`` (inside the caller's transaction)."""
    cur.execute(sql("revoke_user_sessions"), {"username": username, "now": now})
