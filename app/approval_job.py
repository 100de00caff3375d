"""Approvals as a job of the one writer: ``stdeval approvals`` works while the dashboard runs.

The command queues an ``approval`` job (:func:`etl.receive.run_job`); the
writer — the command itself when the warehouse is free, else the dashboard —
lists the submissions, applies a transition (:func:`etl.submissions.change_status`,
history and audit in its transaction) or reads or sets the
``count_unapproved`` warehouse setting, and answers with JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from app.auth.accounts import AccountError, require_account
from datasets.access import Access
from datasets.messages import BilingualError, Message
from etl.inbox import InboxEntry
from etl.result import Progress
from etl.stored_settings import counts_unapproved, set_counts_unapproved
from etl.submissions import TRANSITIONS, change_status, submission_status

APPROVAL = "approval"
#: What each request needs of an ``--as`` account (app/auth/roles.py).
NEEDS = {**dict.fromkeys(TRANSITIONS, "approve"), "list": "approve", "set_count": "manage_settings"}


def _actor(cur: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> str:
    """Who acts: the ``--as`` account if it may (active, permitted), else the CLI operator."""
    username = params.get("as_user")
    if not username:
        return str(params["actor"])
    account = require_account(cur, username)
    user = account.user()
    needed = NEEDS[params["action"]]
    if not account.active or not user.may(needed):
        msg = f"账户 {username!r}（{user.role}）{'已停用' if not account.active else '无权执行此操作'}"
        raise AccountError(
            msg,
            f"account {username!r} ({user.role}) "
            + ("is disabled" if not account.active else f"may not do this (needs {needed!r})"),
        )
    return user.username


def _listing(cur: duckdb.DuckDBPyConnection, status: str | None) -> list[dict[str, Any]]:
    frame = submission_status(cur, Access.everything())
    if status:
        frame = frame.filter(frame["status"] == status)
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in frame.to_dicts()
    ]


def run_approval(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Apply the request of ``entry.params``; return ``done`` with its answer, or ``refused``.

    ``params``: ``action`` (``list``, ``approve``, ``return``, ``reopen``,
    ``get_count``, ``set_count``), ``site_id`` and ``period`` (a transition),
    ``reason``, ``status`` (a listing's filter), ``value`` (``set_count``),
    ``as_user`` and ``actor`` (the CLI operator, audited without ``--as``).
    """
    p = entry.params
    action = p["action"]
    try:
        if action == "get_count":
            return {"status": "done", "count_unapproved": counts_unapproved(con)}
        actor = _actor(con, p)
        if action == "list":
            return {"status": "done", "submissions": _listing(con, p.get("status"))}
        if action == "set_count":
            old = set_counts_unapproved(con, bool(p["value"]), actor=actor)
            return {"status": "done", "count_unapproved": bool(p["value"]), "was": old}
        change_status(
            con, [(p["site_id"], p["period"])], action, actor=actor, reason=p.get("reason")
        )
    except (BilingualError, LookupError, KeyError) as exc:
        message = exc.message if isinstance(exc, BilingualError) else Message(str(exc), str(exc))
        return {"status": "refused", "rule": APPROVAL, "reason": message.to_json()}
    return {"status": "done", "action": action, "site_id": p["site_id"], "period": p["period"],
            "actor": actor}  # fmt: skip
