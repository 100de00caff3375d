"""``stdeval init``: create or upgrade a warehouse holding the reference data."""

from __future__ import annotations

import typer
from rich.console import Console

from app.cli.options import DbOption
from etl.settings import db_path
from etl.warehouse import init_warehouse


def register(app: typer.Typer) -> None:
    """Add the ``init`` command to ``app``."""

    @app.command("init")
    def init(db: DbOption = None) -> None:
        """Create an empty warehouse with the reference data (idempotent)."""
        path = db_path(db)
        summary = init_warehouse(path)
        console = Console()
        applied = ", ".join(map(str, summary.migrations_applied)) or "none"
        console.print(f"[bold]warehouse[/bold] {summary.path}")
        console.print(f"schema version {summary.schema_version} (migrations applied: {applied})")
        console.print(
            f"priority areas {summary.priority_areas} · regions {summary.regions} · "
            f"org types {summary.org_types} · standards {summary.standards} "
            f"({summary.standards_added} added)"
        )
