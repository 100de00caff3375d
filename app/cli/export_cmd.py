"""``stdeval export``: write the same file as the app's download, in a user's scope, audited."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.cli.options import DbOption, cli_actor, open_existing_warehouse
from app.exports.export_job import EXPORT
from app.job_kinds import register_app_kinds
from datasets.messages import Message
from etl.receive import run_job
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
        con = open_existing_warehouse(path, busy_ok=True)  # exists and is a warehouse
        if con is not None:
            con.close()
        params = {
            "kind": kind.value,
            "fmt": fmt.value,
            "output": str(output.resolve()),
            "run_id": run,
            "as_user": as_user,
            "actor": cli_actor(),
        }
        register_app_kinds()
        done = run_job(EXPORT, params, warehouse=path, uploader=cli_actor(), timeout=3600.0)
        if done is None:
            msg = Message(
                f"数据仓库 {path} 一小时内一直忙；导出仍在队列中，完成后文件会写到 {output}",
                f"warehouse {path} stayed busy for an hour; the export stays queued and "
                f"{output} will be written when it runs",
            )
            typer.echo(msg.both(), err=True)
            raise typer.Exit(75)
        if done.get("status") != "done":
            reason = Message.from_json(done.get("reason")) or Message(
                "导出被拒绝", "export refused"
            )
            typer.echo(reason.both(), err=True)
            raise typer.Exit(2)  # a refusal, like the other commands' usage errors
        run_id, size = done.get("run_id"), int(done["bytes"])
        where = f" · run {run_id}" if kind is Kind.scores else ""
        typer.echo(
            Message(
                f"已导出 {kind.value}{where} → {output}（{size:,} 字节）",
                f"exported {kind.value}{where} → {output} ({size:,} bytes)",
            ).both()
        )
