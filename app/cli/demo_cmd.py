"""``stdeval demo``: build the seeded synthetic demo warehouse (合成演示数据).

Progress bars per step and a closing table of rows and seconds per table;
every screen that shows demo data says it is synthetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.cli.options import DbOption
from datasets.messages import Message
from etl.inbox import is_lock_error
from etl.settings import db_path

SYNTHETIC = "合成演示数据 / synthetic demo data"

# Step labels shown beside the progress bars (zh / en).
STEP_LABELS = {
    "generate": "生成 generate",
    "pilot_program": "试点项目 pilot_program",
    "pilot_site": "试点单位 pilot_site",
    "feedback": "实施反馈 feedback",
    "survey": "采用调查 survey",
    "funding": "资金 funding",
    "award_nomination": "奖项提名 award_nomination",
    "award_review": "评审打分 award_review",
    "lifecycle": "制修订项目 lifecycle",
    "demo_truth": "预设真值 demo_truth",
}


class RichDemoProgress:
    """A :class:`etl.demo.DemoProgress` that draws one rich bar per step."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, int] = {}

    def start(self, step: str, total: int) -> None:
        """Add the bar of ``step``."""
        label = STEP_LABELS.get(step, step)
        self._tasks[step] = self._progress.add_task(label, total=max(total, 1))

    def advance(self, step: str, n: int) -> None:
        """Move the bar of ``step`` on by ``n`` units."""
        self._progress.advance(self._tasks[step], n)

    def finish(self, step: str) -> None:
        """Fill the bar of ``step``."""
        task = self._tasks[step]
        total = self._progress.tasks[task].total
        self._progress.update(task, completed=total)


def _print_demo_accounts(console: Console, path: str, password: str) -> None:
    """Create (or reset) the demo accounts and list them with their password."""
    from app.auth.accounts import AccountError
    from app.auth.demo_accounts import create_demo_accounts
    from app.cli.options import cli_actor, open_existing_warehouse

    con = open_existing_warehouse(Path(path))
    try:
        accounts = create_demo_accounts(con, password, actor=cli_actor())
    except AccountError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    finally:
        con.close()
    table = Table(title=f"演示账户 demo accounts · 密码 password: {password}")
    table.add_column("用户名 username")
    table.add_column("角色 role")
    table.add_column("试点单位 sites")
    for account in accounts:
        table.add_row(account.username, account.role, ", ".join(account.sites))
    console.print(table)


def held_refusal(path: Path) -> Message:
    """Why ``stdeval demo`` does not build onto a warehouse another process holds.

    Every other command queues its work for the holder; a demo is a new
    warehouse built from scratch, so it is refused, and built elsewhere.
    """
    return Message(
        f"数据仓库 {path} 正由另一个进程（如仪表盘）使用；`stdeval demo` 会从头重建整个数据仓库，"
        "不能排入其队列：请用 --db 指定另一个文件来生成演示数据",
        f"warehouse {path} is held by another process (a dashboard?); `stdeval demo` builds "
        "a whole new warehouse, which cannot be queued to it: build the demo at another "
        "path with --db",
    )


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""

    @app.command("demo")
    def demo(
        db: DbOption = None,
        scale: Annotated[
            float,
            typer.Option(
                "--scale",
                min=0.001,
                help="Row counts relative to the default (1 ≈ 50k feedback and 100k survey rows).",
            ),
        ] = 1.0,
        seed: Annotated[
            int, typer.Option("--seed", help="Random seed: same seed, same data.")
        ] = 2016,
        demo_password: Annotated[
            str,
            typer.Option(
                "--demo-password",
                help="Password of every demo account (ministry, evaluator, admin, site-...).",
            ),
        ] = "demo",
    ) -> None:
        """Build a seeded synthetic demo warehouse (合成演示数据), replacing an earlier demo."""
        from etl.demo import build_demo

        path = db_path(db)
        console = Console()
        console.print(
            f"[bold yellow]{SYNTHETIC}[/bold yellow] → {path}  (seed {seed}, scale {scale:g})"
        )
        columns = (
            TextColumn("{task.description}", style="cyan"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, transient=False) as bars:
                summary = build_demo(path, scale=scale, seed=seed, progress=RichDemoProgress(bars))
        except ValueError as err:  # a bad --scale, a real warehouse, not a warehouse at all
            typer.echo(str(err), err=True)
            raise typer.Exit(1) from None
        except duckdb.Error as err:
            if not is_lock_error(err):
                raise
            typer.echo(held_refusal(path).both(), err=True)
            raise typer.Exit(1) from None

        table = Table(title=f"{SYNTHETIC} · {summary.path}")
        table.add_column("表 table")
        table.add_column("行数 rows", justify="right")
        table.add_column("拒收 rejected", justify="right")
        table.add_column("秒 seconds", justify="right")
        for step in STEP_LABELS:
            rows = summary.rows.get(step)
            table.add_row(
                step,
                "" if rows is None else f"{rows:,}",
                str(summary.rejected.get(step, "")),
                f"{summary.seconds.get(step, 0.0):.2f}",
            )
        table.add_row("[bold]total[/bold]", f"{sum(summary.rows.values()):,}",
                      str(sum(summary.rejected.values())), f"{summary.total_seconds:.2f}")  # fmt: skip
        console.print(table)
        console.print(
            f"[yellow]{SYNTHETIC}[/yellow]：不代表任何真实单位或真实评价结果 / "
            "it describes no real organisation and no real evaluation."
        )
        review = summary.review
        console.print(
            f"审核 review：{review.get('approved', 0):,} 已通过 approved · "
            f"{review.get('submitted', 0)} 待审核 submitted · {review.get('returned', 0)} 已退回 returned"
        )
        _print_demo_accounts(console, str(summary.path), demo_password)
        if any(summary.rejected.values()):
            console.print(
                "[bold red]some demo rows were rejected: this is a bug in the generator[/]"
            )
            raise typer.Exit(1)
