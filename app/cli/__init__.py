"""The ``stdeval`` command line: one typer app, one module per command group.

Each module in ``COMMANDS`` exposes ``register(app: typer.Typer) -> None``
and adds the one command (or command group) it is listed under. A run of
``stdeval <command>`` imports only that command's module (:func:`main`), so
a command that merely queues a file while the dashboard holds the
warehouse starts in a fraction of a second instead of importing every
command's dependencies; ``stdeval --help`` and :data:`cli` have them all.
The command line never imports streamlit (ARCHITECTURE.md import rules);
``stdeval serve`` starts Streamlit as a separate process.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import typer

#: The command (or group) each module registers, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "init": "app.cli.init_cmd",
    "demo": "app.cli.demo_cmd",
    "serve": "app.cli.serve_cmd",
    "ingest": "app.cli.ingest_cmd",
    "template": "app.cli.template_cmd",
    "score": "app.cli.score_cmd",
    "users": "app.cli.users_cmd",
    "export": "app.cli.export_cmd",
    "report": "app.cli.report_cmd",
    "approvals": "app.cli.approvals_cmd",
}
COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())

_HELP = "stdeval — 网络安全标准实施效果评价平台 / cybersecurity standards evaluation platform."


def build_cli(modules: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """Return the ``stdeval`` typer app with the commands of ``modules`` registered.

    The app always has a callback, so that with a single command it still
    expects the command's name (typer otherwise runs a lone command as
    the whole program).
    """
    app = typer.Typer(
        name="stdeval",
        help=_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _group() -> None:
        pass

    for module in modules:
        importlib.import_module(module).register(app)
    return app


def __getattr__(name: str) -> Any:  # noqa: ANN401 - PEP 562: the full app, built when first asked for
    if name == "cli":
        app = build_cli()
        globals()["cli"] = app
        return app
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``stdeval`` console script.

    Registers only the command named by the first argument (all of them
    for ``--help``, no argument or an unknown name, whose error lists
    them). A ``--db`` or ``STDEVAL_DB`` naming something that is not a
    warehouse, or a setting holding a value it cannot use
    (``STDEVAL_PORT=web``), ends any command with one bilingual line and
    status 1, not a traceback.
    """
    from etl.settings import SettingError
    from etl.warehouse import NotAWarehouse

    args = list(sys.argv[1:] if argv is None else argv)
    wanted = COMMANDS.get(args[0]) if args else None
    app = build_cli([wanted]) if wanted else build_cli()
    try:
        app(args=args, prog_name="stdeval")
    except (NotAWarehouse, SettingError) as exc:
        typer.echo(str(exc), err=True)
        raise SystemExit(1) from None
