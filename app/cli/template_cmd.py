"""``stdeval template``: write the XLSX upload template of a source."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.options import message_language, require_source


def register(app: typer.Typer) -> None:
    """Add the ``template`` command to ``app``."""

    @app.command("template")
    def template(
        source: Annotated[
            str,
            typer.Argument(
                help="Source: feedback, survey, funding, pilot_program, pilot_site, award_nomination, award_review, lifecycle, standard."
            ),
        ],
        lang: Annotated[
            str | None,
            typer.Option("--lang", help="Header language: zh or en (default STDEVAL_LANG)."),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option(
                "-o",
                "--output",
                dir_okay=False,
                help="File to write (default: <source>-template-<lang>.xlsx).",
            ),
        ] = None,
    ) -> None:
        """Write the upload template (XLSX) of a source, generated from its schema."""
        from datasets.sources import SOURCES
        from datasets.templates import build_template

        language = message_language(lang)
        require_source(source, language)
        path = output or Path(f"{source}-template-{language}.xlsx")
        data = build_template(SOURCES[source], lang=language)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            typer.echo(
                f"无法写入 {path}（{exc.strerror}）；请换一个可写的位置（-o 文件名）"
                if language == "zh"
                else f"cannot write {path} ({exc.strerror}); choose a writable place with -o FILE",
                err=True,
            )
            raise typer.Exit(1) from None
        typer.echo(str(path))
