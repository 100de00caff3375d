"""``stdeval report``: the evaluation report of a stored run as a PDF.

The report's page is read by the warehouse's one writer (a ``report`` job,
:mod:`app.exports.report_job`), so the command works while the dashboard
holds the warehouse; chromium prints it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.options import DbOption
from app.cli.queued import Work, end_if_refused, require_warehouse, run_queued
from app.exports.report import ReportPage, print_report
from app.exports.report_job import REPORT
from datasets.messages import BilingualError, Message
from etl.settings import db_path


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

    @app.command("report")
    def report(
        run: Annotated[str, typer.Option("--run", help="The run id (see `stdeval score`).")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help="The PDF file to write.", dir_okay=False)
        ],
        lang: Annotated[str, typer.Option("--lang", help="zh (default) or en.")] = "zh",
        db: DbOption = None,
    ) -> None:
        """Print the evaluation report of run RUN (GB/T 20001.8-2023 order) to a PDF.

        Needs Debian's chromium (make browser-deps); the run id is on every page.
        """
        path = db_path(db)
        require_warehouse(path)
        work = Work(
            Message("评价报告", "the report"),
            Message(
                f"可稍后重新运行本命令生成 {output}", f"run the command again later for {output}"
            ),
        )
        done = run_queued(REPORT, {"run_id": run, "lang": lang}, path=path, work=work)
        end_if_refused(done, Message("报告被拒绝", "report refused"), code=2)
        try:
            data = print_report(ReportPage(done["html"], done["header"], done["footer"]))
        except BilingualError as exc:  # chromium missing or failing
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        output.write_bytes(data)
        typer.echo(
            Message(
                f"已生成评价报告 {run} → {output}（{len(data):,} 字节）",
                f"wrote the report of {run} → {output} ({len(data):,} bytes)",
            ).both()
        )
