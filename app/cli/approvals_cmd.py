"""``stdeval approvals``: list submissions, approve, return, reopen; the count_unapproved setting.

Every request is an ``approval`` job of the writer's queue
(:mod:`app.approval_job`), so it works while the dashboard holds the
warehouse. Without ``--as`` the operator of the warehouse file acts
(audited as ``cli:<login>``); with ``--as`` the named account must be
allowed (an evaluator approves, an administrator changes the setting).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from app.approval_job import APPROVAL
from app.cli.options import DbOption, cli_actor, open_existing_warehouse
from app.job_kinds import register_app_kinds
from datasets.messages import Message
from etl.receive import run_job
from etl.settings import db_path

AsOption = Annotated[
    str | None, typer.Option("--as", help="Act as this account (it must be allowed to).")
]
SiteArg = Annotated[str, typer.Argument(help="Pilot site id.")]
PeriodArg = Annotated[str, typer.Argument(help="Period, YYYY-Qn.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (required to return).")]


class Status(StrEnum):
    """A submission's status."""

    submitted = "submitted"
    approved = "approved"
    returned = "returned"


class Switch(StrEnum):
    """On or off."""

    on = "on"
    off = "off"


def _ask(db: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Queue the request for the writer; exit 75 when busy past the wait, 2 when refused."""
    path = db_path(db)
    con = open_existing_warehouse(path, busy_ok=True)  # exists and is a warehouse
    if con is not None:
        con.close()
    register_app_kinds()
    done = run_job(APPROVAL, {"actor": cli_actor(), **params}, warehouse=path,
                   uploader=cli_actor(), timeout=600.0)  # fmt: skip
    if done is None:
        msg = Message(
            f"数据仓库 {path} 十分钟内一直忙；请求仍在队列中，轮到时会执行",
            f"warehouse {path} stayed busy for ten minutes; the request stays queued and runs "
            "in its turn",
        )
        typer.echo(msg.both(), err=True)
        raise typer.Exit(75)
    if done.get("status") != "done":
        reason = Message.from_json(done.get("reason")) or Message("请求被拒绝", "refused")
        typer.echo(reason.both(), err=True)
        raise typer.Exit(2)
    return done


def register(app: typer.Typer) -> None:
    """Add the ``approvals`` command group to ``app``."""
    group = typer.Typer(
        help="Approval of submissions (提交审核): list, approve, return, reopen; count-unapproved.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="approvals")

    @group.command("list")
    def list_(
        status: Annotated[Status | None, typer.Option("--status", help="Only this status.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
        as_user: AsOption = None,
        db: DbOption = None,
    ) -> None:
        """List the submissions (site × period), newest period first."""
        done = _ask(db, {"action": "list", "status": status.value if status else None,
                         "as_user": as_user})  # fmt: skip
        for row in done["submissions"]:
            if as_json:
                typer.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
            else:
                typer.echo(
                    f"{row['site_id']}\t{row['period']}\t{row['status']}\t{row['n_rows']}\t"
                    f"{row['changed_at']}\t{row['changed_by']}\t{row['reason'] or ''}"
                )

    def transition(action: str, site_id: str, period: str, reason: str | None,
                   as_user: str | None, db: Any) -> None:  # fmt: skip
        done = _ask(db, {"action": action, "site_id": site_id, "period": period,
                         "reason": reason, "as_user": as_user})  # fmt: skip
        to = {"approve": ("已审核通过", "approved"), "return": ("已退回", "returned"),
              "reopen": ("已重新开放", "reopened")}[action]  # fmt: skip
        typer.echo(Message(f"{to[0]} {site_id} {period}（{done['actor']}）",
                           f"{to[1]} {site_id} {period} ({done['actor']})").both())  # fmt: skip

    @group.command("approve")
    def approve(site_id: SiteArg, period: PeriodArg, reason: ReasonOption = None,
                as_user: AsOption = None, db: DbOption = None) -> None:  # fmt: skip
        """Approve a submitted site × period: it counts and is locked against uploads."""
        transition("approve", site_id, period, reason, as_user, db)

    @group.command("return")
    def return_(site_id: SiteArg, period: PeriodArg, reason: ReasonOption = None,
                as_user: AsOption = None, db: DbOption = None) -> None:  # fmt: skip
        """Return a submitted site × period to the site, with a reason (--reason)."""
        transition("return", site_id, period, reason, as_user, db)

    @group.command("reopen")
    def reopen(site_id: SiteArg, period: PeriodArg, reason: ReasonOption = None,
               as_user: AsOption = None, db: DbOption = None) -> None:  # fmt: skip
        """Reopen an approved site × period: submitted again, open to uploads, to approve again."""
        transition("reopen", site_id, period, reason, as_user, db)

    @group.command("count-unapproved")
    def count_unapproved(
        value: Annotated[Switch | None, typer.Argument(help="on or off; none: show it.")] = None,
        as_user: AsOption = None,
        db: DbOption = None,
    ) -> None:
        """Show or set whether unapproved feedback counts in scores and dashboards (default off)."""
        if value is None:
            done = _ask(db, {"action": "get_count"})
        else:
            done = _ask(db, {"action": "set_count", "value": value is Switch.on,
                             "as_user": as_user})  # fmt: skip
        on = done["count_unapproved"]
        typer.echo(
            Message(
                "未审核的反馈"
                + ("计入" if on else "不计入")
                + "评分和仪表盘 (count_unapproved = "
                + ("on" if on else "off")
                + ")",
                ("unapproved feedback counts" if on else "only approved feedback counts")
                + f" in scores and dashboards (count_unapproved = {'on' if on else 'off'})",
            ).both()
        )
