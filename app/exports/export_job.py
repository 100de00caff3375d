"""An export as a job of the one writer: ``stdeval export`` works while the dashboard runs.

DuckDB lets one process open the warehouse, and the dashboard holds it while
it runs; so the command queues an ``export`` job (:func:`etl.receive.run_job`)
and whichever process is the writer — the command itself when the warehouse
is free, else the dashboard — makes the file in the user's scope, writes it
to the path the command named, and records the audit row in the same
transaction as the read (:func:`app.exports.export.audited_export`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from app.auth.accounts import AccountError, require_account
from app.auth.identity import User
from app.exports.export import audited_export, latest_run_id
from datasets.access import Access
from datasets.messages import BilingualError, Message
from etl.inbox import InboxEntry
from etl.result import Progress

EXPORT = "export"


def export_user(cur: duckdb.DuckDBPyConnection, username: str, kind: str) -> User:
    """The account ``--as`` names, if it may make this export; else a bilingual refusal.

    A score export needs the ``export`` permission (evaluators); a data table
    is exported by anyone who may read it, in their own scope.
    """
    account = require_account(cur, username)
    if not account.active:
        msg = f"账户 {username!r} 已停用，不能导出"
        raise AccountError(msg, f"account {username!r} is disabled and cannot export")
    user = account.user()
    if kind == "scores" and not user.may("export"):
        msg = f"账户 {username!r}（{user.role}）无权导出评价结果，只有评价人员可以"
        raise AccountError(
            msg, f"account {username!r} ({user.role}) may not export scores; evaluators may"
        )
    return user


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_export(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Make the export ``entry.params`` asks for, write it to ``output``; return what was written.

    ``params``: ``kind``, ``fmt``, ``output`` (an absolute path), ``run_id``
    (``None``: the newest run, for scores), ``as_user`` (``None``: the whole
    programme) and ``actor`` (who is audited). A refusal (an unknown or
    disabled account, a role that may not export scores, no run) is answered
    ``refused`` with its bilingual reason and writes no file.
    """
    p = entry.params
    if progress:
        progress("export", 0, 1)
    try:
        user = export_user(con, p["as_user"], p["kind"]) if p.get("as_user") else None
        access = user.access() if user else Access.everything()
        run_id = p.get("run_id")
        if p["kind"] == "scores" and not run_id:
            run_id = latest_run_id(con)
        data = audited_export(
            con,
            actor=user.username if user else p["actor"],
            kind=p["kind"],
            run_id=run_id,
            fmt=p["fmt"],
            access=access,
        )
    except (BilingualError, ValueError, LookupError) as exc:
        message = exc.message if isinstance(exc, BilingualError) else Message(str(exc), str(exc))
        return {"status": "refused", "rule": "export", "reason": message.to_json()}
    _write_atomic(Path(p["output"]), data)
    if progress:
        progress("export", 1, 1)
    return {"status": "done", "run_id": run_id, "bytes": len(data), "output": p["output"]}
