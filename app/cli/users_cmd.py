"""``stdeval users add|list|disable|enable|reset-password|bind``: the accounts of a warehouse.

A warehouse that is not a demo warehouse starts with no account: its first
administrator is made here (``stdeval users add NAME --role admin``).
Passwords are asked for twice without echo, or read from the first line of
standard input with ``--password-stdin`` (for scripts); never from an
option, which would land in the shell history.

Every subcommand is a job of the warehouse's one writer
(:mod:`app.auth.account_jobs`), so it works while the dashboard holds the
warehouse. The password is checked and hashed here: only its hash is queued.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from app.cli.options import DbOption, cli_actor
from app.cli.queued import Work, end_if_refused, require_warehouse, run_queued
from datasets.messages import Message
from etl.settings import db_path

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]

_WORK = Work(
    Message("账户操作", "the account change"),
    Message("稍后会生效", "it takes effect when it runs"),
)
_REFUSED = Message("账户操作被拒绝", "account change refused")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


def _job(db: object, action: str, **params: Any) -> dict[str, Any]:
    """Run one account action through the queue; a refusal ends the command with status 1."""
    from app.auth.account_jobs import USERS

    path = db_path(db)  # type: ignore[arg-type]
    require_warehouse(path)
    done = run_queued(
        USERS, {"action": action, "actor": cli_actor(), **params}, path=path, work=_WORK
    )
    end_if_refused(done, _REFUSED, code=1)
    return done


def _hashed_password(from_stdin: bool, *, demo: bool) -> str:
    """Read the password, check it (the demo rule when ``demo``) and return its hash."""
    from app.auth.passwords import WeakPassword, check_password, hash_password

    password = _password(from_stdin)
    try:
        check_password(password, demo=demo)
    except WeakPassword as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    return hash_password(password)


def register(app: typer.Typer) -> None:
    """Add the ``users`` command group to ``app``."""
    users = typer.Typer(
        help="Accounts of the dashboard (账户): add, list, disable, enable, reset a password, bind OIDC.",
        no_args_is_help=True,
    )
    app.add_typer(users, name="users")

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
        # Check the account before asking for a password that would be thrown away.
        wanted = {"username": username, "role": role, "sites": site or []}
        checked = _job(db, "check_add", **wanted)
        password_hash = _hashed_password(password_stdin, demo=bool(checked["demo"]))
        done = _job(db, "add", **wanted, display_name=display_name, password_hash=password_hash)
        account = done["account"]
        sites = f" · {', '.join(account['sites'])}" if account["sites"] else ""
        typer.echo(f"已创建账户 / created account {account['username']} ({account['role']}{sites})")

    @users.command("list")
    def list_(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
        db: DbOption = None,
    ) -> None:
        """List every account: username, role, sites, active, locked."""
        for a in _job(db, "list")["accounts"]:
            if as_json:
                typer.echo(json.dumps(a, ensure_ascii=False))
            else:
                state = "active" if a["active"] else "disabled"
                extra = f" locked until {a['locked_until']}" if a["locked_until"] else ""
                typer.echo(f"{a['username']}\t{a['role']}\t{','.join(a['sites'])}\t{state}{extra}")

    def _set_active(username: str, db: object, *, active: bool) -> None:
        account = _job(db, "set_active", username=username, active=active)["account"]
        state = "已启用 / enabled" if account["active"] else "已停用 / disabled"
        typer.echo(f"{state}: {account['username']}")

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
        checked = _job(db, "check_reset", username=username)  # before asking for a password
        password_hash = _hashed_password(password_stdin, demo=bool(checked["demo"]))
        done = _job(db, "reset_password", username=username, password_hash=password_hash)
        typer.echo(f"已重置密码 / password reset: {done['account']['username']}")

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
        if clear == bool(oidc_subject and oidc_subject.strip()):
            typer.echo(
                "请给出 --oidc-subject SUB 或 --clear 之一 / give one of --oidc-subject SUB or --clear",
                err=True,
            )
            raise typer.Exit(1)
        subject = None if clear else oidc_subject
        done = _job(db, "bind", username=username, subject=subject)
        if done["bound"]:
            typer.echo(f"已绑定 / bound: {done['username']} ← OIDC {done['bound']}")
        else:
            typer.echo(f"已解除绑定 / unbound: {done['username']}")
