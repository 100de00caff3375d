"""``stdeval ingest``: load uploaded CSV/XLSX files into the warehouse.

Exit status: 0 when every file was processed (even with rejected rows), 1
when any file was refused whole, 2 for usage errors, 75 (EX_TEMPFAIL) when
the warehouse stayed busy past ``--wait``: the files are then safe in the
inbox and the process holding the warehouse (the dashboard) loads them.
"""

from __future__ import annotations

import getpass
import json
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.cli.options import DbOption, message_language, require_source
from datasets.messages import Message
from etl.result import IngestResult
from etl.settings import data_dir, db_path

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_QUEUED = 75
SHOWN_ERRORS = 20

_STAGES = {
    "zh": {"read": "读取", "validate": "校验", "load": "导入"},
    "en": {"read": "reading", "validate": "validating", "load": "loading"},
}


def _uploader() -> str:
    """Who sends files from the command line: ``cli:<login name>`` for the ingest log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read(path: Path) -> tuple[bytes | None, Message | None]:
    try:
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, Message(f"找不到文件 {path}", f"file not found: {path}")
    except IsADirectoryError:
        return None, Message(f"{path} 是文件夹，不是文件", f"{path} is a folder, not a file")
    except OSError as exc:
        return None, Message(
            f"无法读取文件 {path}（{exc.strerror}）", f"cannot read {path} ({exc.strerror})"
        )


def _print_human(console: Console, result: dict, lang: str) -> None:
    status = result["status"]
    colour = {
        "loaded": "green",
        "duplicate": "yellow",
        "refused": "red",
        "dry_run": "cyan",
        "queued": "yellow",
    }.get(status, "white")
    label = {
        "zh": {
            "loaded": "已导入",
            "duplicate": "重复文件",
            "refused": "拒收",
            "dry_run": "试运行",
            "queued": "排队中",
        },
        "en": {
            "loaded": "loaded",
            "duplicate": "duplicate",
            "refused": "refused",
            "dry_run": "dry run",
            "queued": "queued",
        },
    }[lang].get(status, status)
    head = f"[{colour}]{label}[/{colour}] {result['file']}"
    if status in {"loaded", "dry_run"} or (status == "refused" and result["rows_read"]):
        head += Message(
            f"：读取 {result['rows_read']} 行，接受 {result['rows_accepted']}，"
            f"拒收 {result['rows_rejected']}，替换 {result['rows_replaced']}，警告 {result['warnings']}",
            f": {result['rows_read']} rows read, {result['rows_accepted']} accepted, "
            f"{result['rows_rejected']} rejected, {result['rows_replaced']} replaced, "
            f"{result['warnings']} warnings",
        ).text(lang)
    console.print(head, highlight=False)
    if result.get("reason"):
        console.print(f"  {result['reason']}", highlight=False, markup=False)
    problems = [*result["errors"], *result.get("warning_details", [])]
    if not problems:
        return
    table = Table(show_edge=False, pad_edge=False)
    for name in (
        Message("行|列|值|规则|说明", "row|column|value|rule|message").text(lang).split("|")
    ):
        table.add_column(name, overflow="fold")
    for item in problems[:SHOWN_ERRORS]:
        value = "" if item["value"] is None else str(item["value"])
        table.add_row(
            str(item["row"] or ""),
            str(item["column"] or ""),
            value[:40],
            item["rule"],
            item["message"],
        )
    console.print(table)
    more = len(problems) - SHOWN_ERRORS
    if more > 0:
        console.print(
            Message(
                f"  ……另有 {more} 条（--json 输出全部；数据仓库 rejected_row 表中也有）",
                f"  … and {more} more (all of them with --json and in rejected_row)",
            ).text(lang)
        )


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command to ``app``."""

    @app.command("ingest")
    def ingest(
        source: Annotated[
            str,
            typer.Argument(
                help="Source: feedback, survey, funding, pilot_program, pilot_site, award_nomination, award_review, lifecycle, standard."
            ),
        ],
        files: Annotated[list[Path], typer.Argument(help="CSV or XLSX files.", show_default=False)],
        db: DbOption = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per file on stdout.")
        ] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Validate and report; load nothing.")
        ] = False,
        strict: Annotated[
            bool, typer.Option("--strict", help="Load nothing from a file with any bad row.")
        ] = False,
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="Workbook sheet (default: the first).")
        ] = None,
        header_row: Annotated[
            int | None,
            typer.Option(
                "--header-row", min=1, help="Row of the header (1 = first row; default: found)."
            ),
        ] = None,
        lang: Annotated[
            str | None,
            typer.Option("--lang", help="Language of messages: zh or en (default STDEVAL_LANG)."),
        ] = None,
        wait: Annotated[
            float,
            typer.Option(
                "--wait",
                min=0,
                help="Seconds to wait while another process (the dashboard) holds the warehouse.",
            ),
        ] = 600.0,
    ) -> None:
        """Load CSV/XLSX files (every good row; every bad row explained)."""
        language = message_language(lang)
        require_source(source, language)
        try:
            code = _run(
                source,
                files,
                db=db,
                as_json=as_json,
                dry_run=dry_run,
                strict=strict,
                sheet=sheet,
                header_row=header_row,
                lang=language,
                wait=wait,
            )
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            typer.echo(
                Message(
                    "已中断；已接收的文件保存在收件箱中，稍后会被导入",
                    "interrupted; received files stay in the inbox and will be loaded",
                ).text(language),
                err=True,
            )
            raise typer.Exit(130) from None
        except Exception as exc:  # never a traceback on the terminal
            log = data_dir() / "logs" / f"ingest-{datetime.now():%Y%m%d-%H%M%S}.log"
            try:
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text(traceback.format_exc(), "utf-8")
                where = str(log)
            except OSError:
                where = "-"
            typer.echo(
                Message(
                    f"内部错误：{type(exc).__name__}: {exc}（详情见 {where}）；"
                    "文件已保存在收件箱，请把该日志发给系统管理员",
                    f"internal error: {type(exc).__name__}: {exc} (details in {where}); "
                    "the files are kept in the inbox: send that log to the administrator",
                ).text(language),
                err=True,
            )
            raise typer.Exit(EXIT_REFUSED) from None
        raise typer.Exit(code)


def _check_warehouse(path: Path) -> None:
    """Refuse, before anything is queued, a ``--db`` that is not a stdeval warehouse.

    A warehouse held by another process cannot be opened even to read; its
    holder (the dashboard) opened it as a warehouse, so it passes.
    """
    import duckdb

    from etl.inbox import is_lock_error
    from etl.warehouse import check_warehouse_file, connect, warehouse_exists

    check_warehouse_file(path)
    if not warehouse_exists(path):
        return
    try:
        connect(path, read_only=True).close()
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise


def _run(
    source: str,
    files: list[Path],
    *,
    db: Path | None,
    as_json: bool,
    dry_run: bool,
    strict: bool,
    sheet: str | None,
    header_row: int | None,
    lang: str,
    wait: float,
) -> int:
    from app.job_kinds import register_app_kinds
    from etl.receive import ReceiveOptions, receive
    from etl.result import IngestResult
    from etl.warehouse import NotAWarehouse, warehouse_exists

    # This command may become the writer: it then runs every queued job kind.
    register_app_kinds()

    path = db_path(db)
    try:
        _check_warehouse(path)
    except NotAWarehouse as exc:
        typer.echo(exc.text(lang), err=True)
        return EXIT_USAGE
    if not warehouse_exists(path):
        typer.echo(
            Message(
                f"找不到数据仓库 {path}：请先运行 `stdeval init` 或 `stdeval demo`",
                f"warehouse {path} not found: run `stdeval init` or `stdeval demo` first",
            ).text(lang),
            err=True,
        )
        return EXIT_USAGE
    # soft_wrap: a reason stays on one line however narrow the terminal or pipe.
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    interactive = sys.stdout.isatty() and not as_json
    results: list[IngestResult | None] = []
    readable: list[tuple[str, bytes]] = []
    for file in files:
        data, problem = _read(file)
        if data is None:
            results.append(IngestResult(source, str(file), None, "refused", reason=problem))
            continue
        results.append(None)
        readable.append((file.name, data))
    options = ReceiveOptions(
        source,
        sheet=sheet,
        header_row=header_row,
        dry_run=dry_run,
        strict=strict,
        lang=lang,
        uploader=_uploader(),
    )
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=out,
        transient=True,
        disable=not interactive,
    )
    tasks: dict[str, TaskID] = {}
    told = {"waiting": False}

    def progress_for(entry):
        if not interactive:
            return None
        if entry.request_id not in tasks:  # progress_for is asked again while waiting
            tasks[entry.request_id] = progress.add_task(entry.file_name, total=1)
        task = tasks[entry.request_id]

        def update(stage: str, done: int, total: int) -> None:
            progress.update(
                task,
                description=f"{entry.file_name} · {_STAGES[lang].get(stage, stage)}",
                completed=done,
                total=max(total, 1),
            )

        return update

    def on_wait(elapsed: float) -> None:
        if not told["waiting"]:
            told["waiting"] = True
            err.print(
                Message(
                    f"数据仓库正被其他进程（如仪表盘）使用；文件已保存在收件箱，正在等待其导入（最多 {wait:.0f} 秒）…",
                    f"the warehouse is in use by another process (the dashboard?); the files are "
                    f"safe in the inbox, waiting for it to load them (up to {wait:.0f} s)…",
                ).text(lang)
            )

    with progress:
        received = (
            receive(
                readable,
                options,
                warehouse=path,
                timeout=wait,
                progress_for=progress_for,
                on_wait=on_wait,
            )
            if readable
            else []
        )
    code = 0
    waiting = iter(received)
    for i, slot in enumerate(results):
        if slot is not None:
            continue
        entry, result = next(waiting)
        if result is None:
            reason = Message(
                "数据仓库仍在使用中；文件已在收件箱，持有数据仓库的进程会导入它",
                "the warehouse is still busy; the file waits in the inbox "
                "and the process holding the warehouse will load it",
            )
            result = IngestResult(source, entry.file_name, entry.sha256, "queued", reason=reason)
        result.file = str(files[i])
        results[i] = result
    for result in results:
        assert result is not None
        data = result.to_json(lang)
        if data["status"] == "refused":
            code = EXIT_REFUSED
        elif data["status"] == "queued" and code == 0:
            code = EXIT_QUEUED
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        else:
            _print_human(out, data, lang)
    sys.stdout.flush()
    return code
