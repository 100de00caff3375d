"""``stdeval init``: create or upgrade a warehouse holding the reference data.

On a warehouse another process holds (the dashboard), the reference data is
brought up to date by that process, as an ``init`` job of its queue
(:mod:`app.cli.queued`); the holder migrated the warehouse when it opened it.
"""

from __future__ import annotations

import duckdb
import typer
from rich.console import Console

from app.cli.options import DbOption
from app.cli.queued import Work, end_if_refused, run_queued
from app.job_kinds import INIT
from datasets.messages import Message
from etl.inbox import is_lock_error
from etl.settings import db_path
from etl.warehouse import InitSummary, init_warehouse

_WORK = Work(
    Message("初始化", "the init"),
    Message("稍后会完成", "it completes when it runs"),
)


def register(app: typer.Typer) -> None:
    """Add the ``init`` command to ``app``."""

    @app.command("init")
    def init(db: DbOption = None) -> None:
        """Create an empty warehouse with the reference data (idempotent)."""
        path = db_path(db)
        try:
            summary = init_warehouse(path)
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise
            done = run_queued(INIT, {"path": str(path)}, path=path, work=_WORK)
            end_if_refused(done, Message("初始化被拒绝", "init refused"), code=1)
            fields = done["summary"]
            summary = InitSummary(
                **{**fields, "migrations_applied": tuple(fields["migrations_applied"])}
            )
        console = Console()
        applied = ", ".join(map(str, summary.migrations_applied)) or "none"
        console.print(f"[bold]warehouse[/bold] {summary.path}")
        console.print(f"schema version {summary.schema_version} (migrations applied: {applied})")
        console.print(
            f"priority areas {summary.priority_areas} · regions {summary.regions} · "
            f"org types {summary.org_types} · standards {summary.standards} "
            f"({summary.standards_added} added)"
        )
