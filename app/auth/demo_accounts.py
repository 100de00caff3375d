"""The accounts of a demo warehouse: one per role, and pilot-site accounts for a few sites.

``stdeval demo`` creates them, all with the password given by
``--demo-password`` (default ``demo``); building the demo again resets them.
A warehouse that is not a demo warehouse gets no account by default: its
first administrator is created with ``stdeval users add NAME --role admin``.
"""

from __future__ import annotations

import duckdb

from app.auth import sessions
from app.auth.accounts import Account, AccountError, get_account, list_accounts
from app.auth.passwords import check_password, hash_password
from app.auth.store import sql, transaction, utc_now
from etl.audit import record
from metrics.overview import is_demo

DEMO_PASSWORD = "demo"
#: Sites bound to the demo's pilot-site accounts: the last account gets two.
_SITE_GROUPS = ((0,), (1,), (2, 3))


def demo_plan(site_ids: list[str]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Return ``(username, display name, role, sites)`` of every demo account.

    Examples
    --------
    >>> [(u, r, s) for u, _, r, s in demo_plan(["S1", "S2", "S3", "S4"])][3:]
    [('site-s1', 'pilot_site', ('S1',)), ('site-s2', 'pilot_site', ('S2',)), ('site-s3', 'pilot_site', ('S3', 'S4'))]
    """
    # Display names are the usernames: the screen says the role in the user's language.
    plan = [(role, role, role, ()) for role in ("ministry", "evaluator", "admin")]
    for group in _SITE_GROUPS:
        if all(i < len(site_ids) for i in group):
            sites = tuple(site_ids[i] for i in group)
            username = f"site-{sites[0].lower()}"
            plan.append((username, username, "pilot_site", sites))
    return plan


def create_demo_accounts(
    cur: duckdb.DuckDBPyConnection, password: str = DEMO_PASSWORD, *, actor: str
) -> list[Account]:
    """Create (or reset) the demo accounts of a demo warehouse; return them.

    Raises
    ------
    AccountError
        The warehouse holds no demo data (real warehouses get no default account).
    """
    if not is_demo(cur):
        msg = "只有演示数据仓库才有演示账户；请用 `stdeval users add` 创建账户"
        raise AccountError(
            msg,
            "only a demo warehouse has demo accounts; create accounts with `stdeval users add`",
        )
    check_password(password, demo=True)
    site_ids = [r[0] for r in cur.execute(sql("select_demo_sites"), {"n": 4}).fetchall()]
    plan = demo_plan(site_ids)
    now = utc_now()
    with transaction(cur):
        for username, display_name, role, sites in plan:
            values = {"username": username, "display_name": display_name, "role": role,
                      "sites": list(sites), "password_hash": hash_password(password), "now": now}  # fmt: skip
            exists = get_account(cur, username) is not None
            cur.execute(sql("update_demo_account" if exists else "insert_account"), values)
            sessions.revoke_all(cur, username, now=now)
        record(cur, actor=actor, action="demo_accounts",
               details={"usernames": [p[0] for p in plan]}, at=now)  # fmt: skip
    names = {p[0] for p in plan}
    return [a for a in list_accounts(cur) if a.username in names]
