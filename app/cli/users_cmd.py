"""``stdeval users add|list|disable|enable|reset-password|bind``: the accounts of a warehouse.

A warehouse that is not a demo warehouse starts with no account: its first
administrator is made here (``stdeval users add NAME --role admin``).
Passwords are asked for twice without echo, or read from the first line of
standard input with ``--password-stdin`` (for scripts); never from an
option, which would land in the shell history.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from app.cli.options import DbOption, cli_actor, open_existing_warehouse
from etl.settings import db_path

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    """Add the ``users`` command group to ``app``."""
    from app.auth import accounts
    from app.auth.passwords import WeakPassword
    from metrics.overview import is_demo

    users = typer.Typer(
        help="Accounts of the dashboard (账户): add, list, disable, enable, reset a password, bind OIDC.",
        no_args_is_help=True,
    )
    app.add_typer(users, name="users")
    refused = (accounts.AccountError, WeakPassword)

    @users.command("add")
    def add(
        username: Annotated[str, typer.Argument(help="Sign-in name (lower case).")],
        role: Annotated[
            str, typer.Option("--role", help="ministry, evaluator, pilot_site or admin.")
        ],
        site: Annotated[
            list[str] | None,
            typer.Option("--site", help="A pilot site id of a pilot_site account (repeatable)."),
        ] = None,
        display_name: Annotated[
            str | None, typer.Option("--display-name", help="Name shown on screen.")
        ] = None,
        password_stdin: PasswordStdin = False,
        db: DbOption = None,
    ) -> None:
        """Create an account (password of at least 10 characters outside demo warehouses)."""
        con = open_existing_warehouse(db_path(db))
        try:
            # Check the account before asking for a password that would be thrown away.
            accounts.check_new_account(con, username=username, role=role, sites=site or [])
            account = accounts.add_account(
                con, username=username, role=role, sites=site or [],
                display_name=display_name, password=_password(password_stdin),
                actor=cli_actor(), demo=is_demo(con),
            )  # fmt: skip
        except refused as err:
            _fail(str(err))
        finally:
            con.close()
        sites = f" · {', '.join(account.sites)}" if account.sites else ""
        typer.echo(f"已创建账户 / created account {account.username} ({account.role}{sites})")

    @users.command("list")
    def list_(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
        db: DbOption = None,
    ) -> None:
        """List every account: username, role, sites, active, locked."""
        con = open_existing_warehouse(db_path(db))
        try:
            found = accounts.list_accounts(con)
        finally:
            con.close()
        for a in found:
            locked = a.locked_until.isoformat() if a.locked_until else None
            if as_json:
                line = {"username": a.username, "role": a.role, "sites": list(a.sites),
                        "display_name": a.display_name, "active": a.active,
                        "locked_until": locked}  # fmt: skip
                typer.echo(json.dumps(line, ensure_ascii=False))
            else:
                state = "active" if a.active else "disabled"
                extra = f" locked until {locked}" if locked else ""
                typer.echo(f"{a.username}\t{a.role}\t{','.join(a.sites)}\t{state}{extra}")

    def _set_active(username: str, db: object, *, active: bool) -> None:
        con = open_existing_warehouse(db_path(db))  # type: ignore[arg-type]
        try:
            account = accounts.set_active(con, username, active=active, actor=cli_actor())
        except refused as err:
            _fail(str(err))
        finally:
            con.close()
        state = "已启用 / enabled" if account.active else "已停用 / disabled"
        typer.echo(f"{state}: {account.username}")

    @users.command("disable")
    def disable(username: str, db: DbOption = None) -> None:
        """Disable an account; its open sessions end at once."""
        _set_active(username, db, active=False)

    @users.command("enable")
    def enable(username: str, db: DbOption = None) -> None:
        """Enable a disabled account again."""
        _set_active(username, db, active=True)

    @users.command("reset-password")
    def reset_password(
        username: str, password_stdin: PasswordStdin = False, db: DbOption = None
    ) -> None:
        """Set a new password; this lifts a lockout and ends the account's open sessions."""
        con = open_existing_warehouse(db_path(db))
        try:
            accounts.require_account(con, username)  # before asking for a password
            account = accounts.reset_password(
                con, username, _password(password_stdin), actor=cli_actor(), demo=is_demo(con)
            )
        except refused as err:
            _fail(str(err))
        finally:
            con.close()
        typer.echo(f"已重置密码 / password reset: {account.username}")

    @users.command("bind")
    def bind(
        username: str,
        oidc_subject: Annotated[
            str | None,
            typer.Option("--oidc-subject", help="The provider's `sub` claim of this person."),
        ] = None,
        clear: Annotated[
            bool, typer.Option("--clear", help="Unbind: password sign-in only.")
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Bind an account to its OIDC identity (STDEVAL_OIDC_PROVIDER sign-in), or --clear it."""
        from app.auth.oidc import bind_subject

        if clear == bool(oidc_subject and oidc_subject.strip()):
            _fail(
                "请给出 --oidc-subject SUB 或 --clear 之一 / give one of --oidc-subject SUB or --clear"
            )
        con = open_existing_warehouse(db_path(db))
        try:
            bound = bind_subject(con, username, None if clear else oidc_subject, actor=cli_actor())
        except refused as err:
            _fail(str(err))
        finally:
            con.close()
        if bound:
            typer.echo(f"已绑定 / bound: {username.strip().lower()} ← OIDC {bound}")
        else:
            typer.echo(f"已解除绑定 / unbound: {username.strip().lower()}")
