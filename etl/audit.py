"""The audit log: who signed in, uploaded, approved, scored, exported or changed an account.

Every action that is audited writes its row with :func:`record` on the
cursor of its own transaction, so the row and the action are kept or lost
together (ARCHITECTURE.md). The app only ever appends: there is no function
here, nor anywhere in the app, that updates or deletes audit rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import duckdb
import polars as pl

from etl.queries import query

__all__ = ["ACTIONS", "audit_choices", "read_audit", "record"]

#: The actions written today, and those the later pages will write.
ACTIONS: tuple[str, ...] = (
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "user_created",
    "user_disabled",
    "user_enabled",
    "password_reset",
    "oidc_bound",
    "oidc_unbound",
    "demo_accounts",
    "upload",
    "submission",
    "approval",
    "setting_changed",
    "score_run",
    "export",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    action: str,
    target: str | None = None,
    details: Mapping[str, object] | None = None,
    at: datetime | None = None,
) -> int:
    """Append one audit row on ``cur``, inside the caller's transaction; return its id.

    Parameters
    ----------
    cur
        The cursor of the action's own transaction (begin/commit are the
        caller's), so that the action and its audit row are kept together.
    actor
        Who acted: a username, or ``cli:<os user>`` for the command line.
    action
        What was done, one of :data:`ACTIONS`.
    target
        What it was done to (a username, a file's sha256, a run id), if anything.
    details
        JSON-serialisable facts (filters, row counts, a reason).
    at
        When (UTC); now by default.

    Raises
    ------
    ValueError
        An unknown action or an empty actor.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("create sequence audit_log_id; create table audit_log ("
    ...     "audit_id bigint default nextval('audit_log_id'), event_at timestamp, actor varchar,"
    ...     " action varchar, target varchar, detail varchar)")
    >>> record(con, actor="admin", action="user_created", target="ministry")
    1
    """
    if action not in ACTIONS:
        msg = (
            f"未知的审计操作 {action!r}，请使用以下之一：{', '.join(ACTIONS)} / "
            f"unknown audit action {action!r}; use one of: {', '.join(ACTIONS)}"
        )
        raise ValueError(msg)
    if not actor or not actor.strip():
        msg = "审计记录必须注明操作人 / an audit row must name its actor"
        raise ValueError(msg)
    detail = json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True, default=str)
    rows = cur.execute(
        query("insert_audit_event"),
        {
            "event_at": at or _now(),
            "actor": actor,
            "action": action,
            "target": target,
            "detail": detail,
        },
    ).fetchall()
    return int(rows[0][0])


def read_audit(
    cur: duckdb.DuckDBPyConnection,
    *,
    actors: Sequence[str] | None = None,
    actions: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> pl.DataFrame:
    """Return audit rows, newest first; ``None`` for a filter means no filter on it.

    Columns: ``audit_id``, ``event_at`` (UTC), ``actor``, ``action``,
    ``target``, ``detail`` (JSON text). ``until`` is exclusive.
    """
    return cur.sql(
        query("select_audit_events"),
        params={
            "actors": None if actors is None else list(actors),
            "actions": None if actions is None else list(actions),
            "since": since,
            "until": until,
        },
    ).pl()


def audit_choices(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """Return the actors and the actions found in the audit log, each sorted."""
    rows = cur.execute(query("select_audit_choices")).fetchall()
    actors, actions = rows[0] if rows else (None, None)
    return list(actors or []), list(actions or [])
