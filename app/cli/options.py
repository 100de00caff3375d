"""Options shared by every command (``--db`` overrides ``STDEVAL_DB``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from datasets.messages import BilingualError, Message
from etl.inbox import is_lock_error
from etl.settings import default_language
from etl.warehouse import NotAWarehouse, connect, warehouse_exists

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Warehouse file (overrides STDEVAL_DB; default var/stdeval.duckdb).",
        dir_okay=False,
    ),
]


def cli_actor() -> str:
    """Who acts, in the audit log, when a command changes something: ``cli:<OS user>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (some containers)
        return "cli:unknown"


def message_language(lang: str | None) -> str:
    """The language of a command's messages: ``--lang``, else ``STDEVAL_LANG``; zh or en."""
    language = (lang or default_language()).lower()
    if language not in {"zh", "en"}:
        msg = "use zh or en / 请使用 zh 或 en"
        raise typer.BadParameter(msg, param_hint="--lang")
    return language


def require_source(source: str, lang: str) -> None:
    """Refuse a SOURCE argument that names no upload source, listing the ones there are."""
    from datasets.sources import SOURCES

    if source in SOURCES:
        return
    names = ", ".join(SOURCES)
    raise typer.BadParameter(
        Message(
            f"没有名为 {source!r} 的数据来源；请使用以下之一：{names}",
            f"unknown source {source!r}; use one of: {names}",
        ).text(lang),
        param_hint="SOURCE",
    )


def open_existing_warehouse(
    path: Path, *, busy_ok: bool = False
) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse at ``path`` read-write for a command, or exit with a clear reason.

    A missing file or a file that is not a warehouse ends the command with
    status 1 and a message in Chinese and English instead of a traceback.
    A warehouse held by another process (the dashboard: DuckDB lets one
    process write) gives ``None`` with ``busy_ok`` (the command then queues
    its work for that process, :mod:`etl.receive`), else ends the command.
    """
    if not warehouse_exists(path):
        msg = Message(
            f"未找到数据仓库 {path}，请先运行 `stdeval demo` 或 `stdeval init`",
            f"warehouse {path} not found: run `stdeval demo` or `stdeval init` first",
        )
        typer.echo(msg.both(), err=True)
        raise typer.Exit(1)
    try:
        return connect(path)
    except NotAWarehouse as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise
        if busy_ok:
            return None
        msg = Message(
            f"数据仓库 {path} 已由另一个进程（如已在运行的仪表盘）打开；"
            "该仪表盘可直接使用，数据导入和评分命令也可照常运行",
            f"warehouse {path} is already open in another process (a dashboard already "
            "running?); use that dashboard: ingest and score work while it runs",
        )
        typer.echo(msg.both(), err=True)
        raise typer.Exit(1) from exc


@contextmanager
def refusals_end_command(
    con: duckdb.DuckDBPyConnection,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Close ``con`` at the end; a refusal (bilingual error) ends the command with status 2."""
    try:
        yield con
    except BilingualError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        con.close()
