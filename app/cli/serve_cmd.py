"""``stdeval serve``: start the Streamlit dashboard on the configured warehouse."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from app.auth.oidc_config import authlib_installed, oidc_problems, read_auth_section
from app.cli.options import DbOption, open_existing_warehouse
from etl.settings import data_dir, db_path, read_setting

# The launcher that adds the session-cookie routes to the app (app/server.py).
APP_FILE = Path(__file__).resolve().parent.parent / "server.py"


def _check_oidc(port: int) -> None:
    """Refuse to start, with one line, when STDEVAL_OIDC_PROVIDER is set but unusable."""
    provider = read_setting("STDEVAL_OIDC_PROVIDER")
    problems = oidc_problems(provider, read_auth_section(), port=port, authlib=authlib_installed())
    if problems:
        more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
        typer.echo(f"stdeval serve: {problems[0].both()}{more}", err=True)
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        db: DbOption = None,
        port: int = typer.Option(0, help="Port (default: STDEVAL_PORT, 8501)."),
        headless: bool = typer.Option(True, help="Do not open a browser window."),
    ) -> None:
        """Start the dashboard (Streamlit) over the warehouse."""
        path = db_path(db)
        open_existing_warehouse(path).close()  # exists, upgraded, and not held elsewhere
        # Absolute paths, so the dashboard and `stdeval ingest` share one inbox.
        env = dict(
            os.environ, STDEVAL_DB=str(path.resolve()), STDEVAL_DATA_DIR=str(data_dir().resolve())
        )
        chosen = port or read_setting("STDEVAL_PORT")
        _check_oidc(chosen)
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP_FILE),
            "--server.port",
            str(chosen),
            "--server.headless",
            "true" if headless else "false",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "viewer",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        # Become Streamlit (exec, not a child process): a service manager or a
        # test that stops `stdeval serve` stops the dashboard, and with it the
        # warehouse is released; a child would outlive its parent.
        # From the project folder, so Streamlit reads its .streamlit/config.toml
        # (every path it needs is absolute by now).
        os.chdir(APP_FILE.parent.parent)
        os.execve(sys.executable, command, env)
