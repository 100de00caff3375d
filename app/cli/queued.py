"""Run a command's work as a job of the warehouse's one writer, with progress and one-line errors.

DuckDB lets one process open the warehouse, and the dashboard holds it while
it runs. So every command that writes or needs a consistent read queues its
work as a job (:func:`etl.receive.run_job`): the command runs it itself when
the warehouse is free (it becomes the writer), else the dashboard runs it
after every file and job received before it, and the result comes back here.
While it waits the command says so once and shows a spinner; it never asks
anyone to stop the dashboard.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from app.cli.options import cli_actor, open_existing_warehouse
from app.job_kinds import register_app_kinds
from datasets.messages import Message

#: Seconds a command waits for its job before it leaves it queued (exit 75).
JOB_TIMEOUT = 3600.0


@dataclass(frozen=True)
class Work:
    """What a queued job is called in the command's messages.

    ``name`` is the work ("评分" / "the scoring run"); ``later`` says what
    happens to it if the hour runs out and it stays queued.
    """

    name: Message
    later: Message


def require_warehouse(path: Path) -> None:
    """End the command (status 1, one line) unless ``path`` is a warehouse; held is fine."""
    con = open_existing_warehouse(path, busy_ok=True)
    if con is not None:
        con.close()


def run_queued(
    kind: str,
    params: dict[str, Any],
    *,
    path: Path,
    work: Work,
    uploader: str | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Run a job of ``kind`` through the queue of ``path``; return its JSON result.

    Shows a spinner on a terminal (not with ``quiet``) and, once, that the
    job waits for the process holding the warehouse. When the hour runs out
    the job stays queued and the command ends with status 75 saying so.
    """
    from etl.receive import run_job

    register_app_kinds()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    told = {"waiting": False}

    def on_wait(_elapsed: float) -> None:
        if not told["waiting"]:
            told["waiting"] = True
            err.print(
                Message(
                    f"数据仓库正由另一个进程（如仪表盘）使用；{work.name.zh}已排入其队列，正在等待结果…",
                    f"the warehouse is held by another process (the dashboard?); {work.name.en} "
                    "is queued there, waiting for its result…",
                ).both()
            )

    spinner = sys.stderr.isatty() and not quiet
    label = Message(f"{work.name.zh}进行中…", f"{work.name.en} running…").both()
    with err.status(label, spinner="dots") if spinner else nullcontext():
        done = run_job(
            kind,
            params,
            warehouse=path,
            uploader=uploader or cli_actor(),
            timeout=JOB_TIMEOUT,
            on_wait=on_wait,
        )
    if done is None:
        msg = Message(
            f"数据仓库 {path} 一小时内一直忙；{work.name.zh}仍在队列中，{work.later.zh}",
            f"warehouse {path} stayed busy for an hour; {work.name.en} stays queued and "
            f"{work.later.en}",
        )
        typer.echo(msg.both(), err=True)
        raise typer.Exit(75)
    return done


def end_if_refused(done: dict[str, Any], fallback: Message, *, code: int) -> None:
    """End the command with ``code`` and the job's bilingual reason unless it is ``done``."""
    if done.get("status") == "done":
        return
    reason = Message.from_json(done.get("reason")) or fallback
    typer.echo(reason.both(), err=True)
    raise typer.Exit(code)
