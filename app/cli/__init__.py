"""The ``stdeval`` command line: one typer app, one module per command group.

Each module in ``COMMAND_MODULES`` exposes ``register(app: typer.Typer) -> None``.
The command line never imports streamlit (ARCHITECTURE.md import rules);
``stdeval serve`` starts Streamlit as a separate process.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "app.cli.init_cmd",
    "app.cli.demo_cmd",
    "app.cli.serve_cmd",
    "app.cli.ingest_cmd",
    "app.cli.template_cmd",
    "app.cli.score_cmd",
    "app.cli.users_cmd",
    "app.cli.export_cmd",
    "app.cli.report_cmd",
    "app.cli.approvals_cmd",
)

cli = typer.Typer(
    name="stdeval",
    help="stdeval — 网络安全标准实施效果评价平台 / cybersecurity standards evaluation platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(cli)


def main() -> None:
    """Entry point of the ``stdeval`` console script.

    A ``--db`` or ``STDEVAL_DB`` naming something that is not a warehouse,
    or a setting holding a value it cannot use (``STDEVAL_PORT=web``), ends
    any command with one bilingual line and status 1, not a traceback.
    """
    from etl.settings import SettingError
    from etl.warehouse import NotAWarehouse

    try:
        cli()
    except (NotAWarehouse, SettingError) as exc:
        typer.echo(str(exc), err=True)
        raise SystemExit(1) from None
