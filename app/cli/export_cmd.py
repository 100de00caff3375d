"""``stdeval export``: write the same file as the app's download, in a user's scope, audited."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.cli.options import DbOption, cli_actor
from app.cli.queued import Work, end_if_refused, require_warehouse, run_queued
from app.exports.export_job import EXPORT
from datasets.messages import Message
from etl.settings import db_path


class Kind(StrEnum):
    """What to export."""

    scores = "scores"
    feedback = "feedback"
    survey = "survey"
    funding = "funding"
    awards = "awards"


class Format(StrEnum):
    """File formats."""

    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command("export")
    def export(
        kind: Annotated[Kind, typer.Argument(help="scores, feedback, survey, funding or awards.")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help="The file to write.", dir_okay=False)
        ],
        run: Annotated[
            str | None,
            typer.Option("--run", help="Run id of a score export (default: the newest run)."),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", help="csv, xlsx or parquet.")] = Format.csv,
        as_user: Annotated[
            str | None,
            typer.Option("--as", help="Export in this account's scope (a pilot site: its rows)."),
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Write an export: the same bytes as the download in the app, audited as an export.

        Without --as the operator of the warehouse file exports the whole
        programme (audited as cli:<login>). A pilot-site account gets only
        its own sites' feedback rows, no programme-wide table rows, and no
        score export.
        """
        path = db_path(db)
        require_warehouse(path)
        params = {
            "kind": kind.value,
            "fmt": fmt.value,
            "output": str(output.resolve()),
            "run_id": run,
            "as_user": as_user,
            "actor": cli_actor(),
        }
        work = Work(
            Message("导出", "the export"),
            Message(f"完成后文件会写到 {output}", f"{output} will be written when it runs"),
        )
        done = run_queued(EXPORT, params, path=path, work=work)
        # A refusal ends with 2, like the other commands' usage errors.
        end_if_refused(done, Message("导出被拒绝", "export refused"), code=2)
        run_id, size = done.get("run_id"), int(done["bytes"])
        where = f" · run {run_id}" if kind is Kind.scores else ""
        typer.echo(
            Message(
                f"已导出 {kind.value}{where} → {output}（{size:,} 字节）",
                f"exported {kind.value}{where} → {output} ({size:,} bytes)",
            ).both()
        )
