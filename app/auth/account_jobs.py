"""Account commands as jobs of the one writer: ``stdeval users ...`` works while the dashboard runs.

``stdeval users`` queues a ``users`` job (:func:`etl.receive.run_job`) whose
``params["action"]`` says what to do; whichever process is the writer (the
command itself when the warehouse is free, else the dashboard) runs it on
its connection. A password never enters the queue: the command first asks
the writer whether the change is possible (``check_add`` / ``check_reset``,
which also say whether the warehouse is a demo, for the length rule), then
reads, checks and hashes the password itself and queues only the hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from app.auth import accounts
from app.auth.accounts import Account, AccountError
from etl.inbox import InboxEntry
from etl.result import Progress
from metrics.overview import is_demo

USERS = "users"


def account_json(account: Account) -> dict[str, Any]:
    """An account as the job returns it (and ``stdeval users list --json`` prints it)."""
    locked = account.locked_until.isoformat() if account.locked_until else None
    return {
        "username": account.username,
        "role": account.role,
        "sites": list(account.sites),
        "display_name": account.display_name,
        "active": account.active,
        "locked_until": locked,
    }


def _apply(con: duckdb.DuckDBPyConnection, p: dict[str, Any]) -> dict[str, Any]:
    action, actor = p["action"], p.get("actor", "cli")
    if action == "list":
        return {"accounts": [account_json(a) for a in accounts.list_accounts(con)]}
    if action == "check_add":
        accounts.check_new_account(con, username=p["username"], role=p["role"], sites=p["sites"])
        return {"demo": is_demo(con)}
    if action == "add":
        account = accounts.add_hashed_account(
            con, username=p["username"], role=p["role"], sites=p["sites"],
            display_name=p.get("display_name"), password_hash=p["password_hash"], actor=actor,
        )  # fmt: skip
        return {"account": account_json(account)}
    if action == "set_active":
        account = accounts.set_active(con, p["username"], active=bool(p["active"]), actor=actor)
        return {"account": account_json(account)}
    if action == "check_reset":
        accounts.require_account(con, p["username"])
        return {"demo": is_demo(con)}
    if action == "reset_password":
        account = accounts.set_password_hash(con, p["username"], p["password_hash"], actor=actor)
        return {"account": account_json(account)}
    if action == "bind":
        from app.auth.oidc import bind_subject

        bound = bind_subject(con, p["username"], p.get("subject"), actor=actor)
        return {"bound": bound, "username": accounts.require_account(con, p["username"]).username}
    msg = f"unknown users action {action!r}"
    raise ValueError(msg)


def run_users(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Apply the account action ``entry.params`` names; a refused change is answered ``refused``."""
    if progress:
        progress("users", 0, 1)
    try:
        payload = _apply(con, entry.params)
    except AccountError as exc:
        return {"status": "refused", "rule": "account", "reason": exc.message.to_json()}
    if progress:
        progress("users", 1, 1)
    return {"status": "done", **payload}
