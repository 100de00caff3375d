"""``stdeval report``: the evaluation report of a stored run as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.options import DbOption, open_existing_warehouse, refusals_end_command
from app.exports.report import report_pdf
from datasets.messages import Message
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
        with refusals_end_command(open_existing_warehouse(db_path(db))) as con:
            data = report_pdf(con, run_id=run, lang=lang)
        output.write_bytes(data)
        typer.echo(
            Message(
                f"已生成评价报告 {run} → {output}（{len(data):,} 字节）",
                f"wrote the report of {run} → {output} ({len(data):,} bytes)",
            ).both()
        )
