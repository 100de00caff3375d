"""Sign-in through an OIDC provider: the claims of ``st.user`` name an account of the warehouse.

The provider only says *who* signed in (its ``sub`` claim). An
administrator binds that subject to an account (``stdeval users bind NAME
--oidc-subject SUB``, migration 015); the role and the sites still come
from the account. An identity bound to no account, or to a disabled one,
is refused and audited like a failed password sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import duckdb

from app.auth import sessions
from app.auth.accounts import AccountError, SignIn, get_account, require_account
from app.auth.store import sql, transaction, utc_now
from etl.audit import record


def subject_of(claims: Mapping[str, object]) -> str | None:
    """The subject of a signed-in ``st.user`` (its ``sub`` claim), or ``None``.

    Examples
    --------
    >>> subject_of({"is_logged_in": True, "sub": " 248289761001 ", "email": "a@b.cn"})
    '248289761001'
    >>> subject_of({"is_logged_in": False}), subject_of({"is_logged_in": True, "sub": ""})
    (None, None)
    """
    if claims.get("is_logged_in") is not True:
        return None
    sub = str(claims.get("sub") or "").strip()
    return sub or None


def sign_in_with_claims(
    cur: duckdb.DuckDBPyConnection,
    claims: Mapping[str, object],
    *,
    provider: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> SignIn:
    """Map an OIDC identity to its account; on success open a session of ``lifetime``.

    The outcome and its audit row (``sign_in`` or ``sign_in_failed``, with
    ``via: oidc``) are written in one transaction. ``reason`` of a refusal is
    ``no_identity`` (no ``sub``), ``no_account`` (bound to no account) or
    ``disabled``.
    """
    now = now or utc_now()
    subject = subject_of(claims)
    base = {"via": "oidc", "provider": provider}
    with transaction(cur):
        if subject is None:
            record(cur, actor="oidc:?", action="sign_in_failed",
                   details={**base, "reason": "no_identity"}, at=now)  # fmt: skip
            return SignIn(reason="no_identity")
        rows = cur.execute(sql("select_account_by_subject"), {"subject": subject}).fetchall()
        if not rows:
            record(cur, actor=f"oidc:{subject}", action="sign_in_failed",
                   details={**base, "reason": "no_account", "subject": subject,
                            "email": str(claims.get("email") or "")}, at=now)  # fmt: skip
            return SignIn(reason="no_account")
        username, active = rows[0]
        if not active:
            record(cur, actor=username, action="sign_in_failed", target=username,
                   details={**base, "reason": "disabled"}, at=now)  # fmt: skip
            return SignIn(reason="disabled")
        token = sessions.open_session(cur, username, lifetime=lifetime, now=now)
        record(cur, actor=username, action="sign_in", target=username, details=base, at=now)
    account = get_account(cur, username)
    if account is None:  # removed since: nothing to sign in to
        return SignIn(reason="no_account")
    return SignIn(user=account.user(), token=token)


def bind_subject(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    subject: str | None,
    *,
    actor: str,
    now: datetime | None = None,
) -> str | None:
    """Bind ``username`` to the OIDC ``subject`` (``None``: unbind); audited. Return the subject.

    A subject already bound to another account is refused (one identity, one account).
    """
    now = now or utc_now()
    account = require_account(cur, username)
    wanted = (subject or "").strip() or None
    with transaction(cur):
        if wanted is not None:
            holders = cur.execute(sql("select_account_by_subject"), {"subject": wanted}).fetchall()
            others = [r[0] for r in holders if r[0] != account.username]
            if others:
                msg = f"OIDC 标识 {wanted!r} 已绑定账户 {others[0]}；请先解除（--clear）"
                raise AccountError(
                    msg,
                    f"OIDC subject {wanted!r} is already bound to account {others[0]};"
                    " unbind it first (--clear)",
                )
        cur.execute(
            sql("update_account_subject"),
            {"username": account.username, "subject": wanted, "now": now},
        )
        record(cur, actor=actor, action="oidc_bound" if wanted else "oidc_unbound",
               target=account.username, details={"subject": wanted}, at=now)  # fmt: skip
    return wanted
