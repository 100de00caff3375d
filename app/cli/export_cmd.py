"""``stdeval export``: write the same file as the app's download, in a user's scope, audited."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from app.auth.accounts import AccountError, require_account
from app.auth.identity import User
from app.cli.options import DbOption, cli_actor, open_existing_warehouse, refusals_end_command
from app.exports.export import audited_export, latest_run_id
from datasets.access import Access
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
        with refusals_end_command(open_existing_warehouse(db_path(db))) as con:
            user = export_user(con, as_user, kind.value) if as_user else None
            access = user.access() if user else Access.everything()
            run_id = run if kind is not Kind.scores or run else latest_run_id(con)
            data = audited_export(
                con,
                actor=user.username if user else cli_actor(),
                kind=kind.value,
                run_id=run_id,
                fmt=fmt.value,
                access=access,
            )
        output.write_bytes(data)
        where = f" · run {run_id}" if kind is Kind.scores else ""
        typer.echo(
            Message(
                f"已导出 {kind.value}{where} → {output}（{len(data):,} 字节）",
                f"exported {kind.value}{where} → {output} ({len(data):,} bytes)",
            ).both()
        )
