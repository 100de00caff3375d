"""Submissions of feedback (site × period) and their approval: submitted → approved or returned.

Each site × period of feedback is one *submission*. A load that writes rows
into it creates it (``submitted``) or, when it was ``returned``, makes it
``submitted`` again (a resubmission); an evaluator approves it (it counts,
and it is locked against uploads), returns it with a reason, or reopens an
approved one (back to ``submitted``: it stops counting until approved
again). Every transition is a ``submission_history`` row AND an audit row,
written in the transaction of the change.

The lock is enforced where rows are written: :func:`etl.pipeline.load_validated`
asks :func:`locked` inside the load's own transaction, in the writer, and
refuses the whole file (rule ``period_locked``) with :func:`locked_refusal`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from datasets.access import Access
from datasets.messages import BilingualError, Message
from etl.audit import record
from etl.load import registered
from etl.queries import query
from etl.refusal import FileRefused

__all__ = [
    "STATUSES",
    "TRANSITIONS",
    "SubmissionError",
    "approve",
    "change_status",
    "history",
    "locked",
    "locked_refusal",
    "record_loaded",
    "reopen",
    "return_submissions",
    "submission_rows",
    "submission_status",
]

#: Every status a submission can have.
STATUSES: tuple[str, ...] = ("submitted", "approved", "returned")

#: An evaluator's actions: the statuses each may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({"submitted"}), "approved"),
    "return": (frozenset({"submitted"}), "returned"),
    "reopen": (frozenset({"approved"}), "submitted"),
}

_STATUS_ZH = {"submitted": "待审核", "approved": "已通过", "returned": "已退回", None: "不存在"}
_ACTION_ZH = {"approve": "审核通过", "return": "退回", "reopen": "重新开放"}
_KEYS_SCHEMA = {"site_id": pl.String, "period": pl.String}
#: How many site × periods a message names before it says "and N more".
_NAMED = 10

Key = tuple[str, str]


class SubmissionError(BilingualError, ValueError):
    """A transition that is not allowed (wrong status, no such submission, no reason)."""


@dataclass(frozen=True)
class LoadedSubmissions:
    """What a load did to the submissions it wrote into."""

    created: int
    resubmitted: tuple[Key, ...]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _keys_frame(keys: pl.DataFrame | Sequence[Key]) -> pl.DataFrame:
    if isinstance(keys, pl.DataFrame):
        return keys.select(pl.col("site_id").cast(pl.String), pl.col("period").cast(pl.String))
    return pl.DataFrame([list(k) for k in keys], schema=_KEYS_SCHEMA, orient="row")


def _named(keys: Sequence[Key]) -> tuple[str, str]:
    """The site × periods as text, zh and en, the first few by name."""
    shown = [f"{site} {period}" for site, period in keys[:_NAMED]]
    more = len(keys) - len(shown)
    zh = "、".join(shown) + (f" 等 {len(keys)} 项" if more else "")
    en = ", ".join(shown) + (f" and {more} more" if more else "")
    return zh, en


def _statuses(cur: duckdb.DuckDBPyConnection, keys: pl.DataFrame) -> list[tuple[str, str, str]]:
    with registered(cur, "_stdeval_submission_keys", keys):
        return cur.execute(query("submission_keys_status")).fetchall()


#: A transition that met a concurrent change of the same submission (DuckDB's conflict).
CONFLICT = Message(
    "该提交刚刚被另一操作（上传或其他评价人员）修改；请刷新页面后重试",
    "this submission was changed at the same moment (an upload or another evaluator); "
    "reload and try again",
)


@contextmanager
def _transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction; a write conflict with a concurrent load becomes a bilingual refusal."""
    cur.execute("begin transaction")
    try:
        yield
        cur.execute("commit")
    except BaseException as exc:
        with suppress(duckdb.Error):  # an aborted transaction may already be closed
            cur.execute("rollback")
        if isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower():
            raise SubmissionError(CONFLICT) from exc
        raise


def locked(cur: duckdb.DuckDBPyConnection, keys: pl.DataFrame | Sequence[Key]) -> list[Key]:
    """Return the site × periods among ``keys`` that are approved, hence locked.

    ``keys`` has columns ``site_id`` and ``period`` (feedback rows will do).
    """
    frame = _keys_frame(keys)
    if frame.height == 0:
        return []
    return [(s, p) for s, p, status in _statuses(cur, frame) if status == "approved"]


def locked_refusal(keys: Sequence[Key]) -> FileRefused:
    """The bilingual refusal of a file that touches approved (locked) site × periods.

    Examples
    --------
    >>> err = locked_refusal([("S001", "2024-Q1")])
    >>> err.rule, "S001 2024-Q1" in err.text("en"), "重新开放" in err.text("zh")
    ('period_locked', True, True)
    """
    zh, en = _named(keys)
    return FileRefused(
        f"以下站点和期次的反馈已审核通过并锁定：{zh}；整个文件未导入（文件已保存）。"
        "请联系评价人员在“审核”页面重新开放后再上传",
        f"the feedback of these sites and periods is approved and locked: {en}; nothing in "
        "this file was loaded (the file is kept). Ask an evaluator to reopen them on the "
        "Approvals page, then upload again",
        rule="period_locked",
    )


def record_loaded(
    cur: duckdb.DuckDBPyConnection,
    keys: pl.DataFrame,
    *,
    actor: str,
    sha256: str,
    at: datetime | None = None,
) -> LoadedSubmissions:
    """Create or resubmit the submissions a load wrote into, inside the load's transaction.

    A site × period without a submission gets one (``submitted``); a
    ``returned`` one becomes ``submitted`` again; each of these transitions
    is a history row, and together they are one ``submission`` audit row
    (target: the file's sha256). Every touched submission records the file.
    An approved one must have been refused before (:func:`locked`).
    """
    frame = _keys_frame(keys).unique()
    if frame.height == 0:
        return LoadedSubmissions(0, ())
    when = at or _now()
    before = _statuses(cur, frame)
    created = [(s, p) for s, p, status in before if status is None]
    returned = [(s, p) for s, p, status in before if status == "returned"]
    transitions = pl.DataFrame(
        [[s, p, None, "submitted"] for s, p in created]
        + [[s, p, "returned", "submitted"] for s, p in returned],
        schema={**_KEYS_SCHEMA, "from_status": pl.String, "to_status": pl.String},
        orient="row",
    )
    params = {"at": when, "actor": actor, "sha256": sha256}
    with registered(cur, "_stdeval_submission_keys", frame):
        cur.execute(query("update_loaded_submissions"), params)
        cur.execute(query("insert_new_submissions"), params)
    if transitions.height:
        with registered(cur, "_stdeval_transitions", transitions):
            cur.execute(query("insert_submission_history"), {**params, "reason": None})
        record(cur, actor=actor, action="submission", target=sha256, at=when,
               details={"created": len(created),
                        "resubmitted": [f"{s} {p}" for s, p in returned]})  # fmt: skip
    return LoadedSubmissions(len(created), tuple(returned))


def change_status(
    cur: duckdb.DuckDBPyConnection,
    keys: Sequence[Key],
    action: str,
    *,
    actor: str,
    reason: str | None = None,
    at: datetime | None = None,
) -> int:
    """Apply an evaluator's ``action`` (see :data:`TRANSITIONS`) to ``keys``, all or none.

    One transaction holds the status change, one history row per
    submission and one ``approval`` audit row: if any of them fails,
    nothing changes. Returns how many submissions changed.

    Raises
    ------
    SubmissionError
        An unknown action, no submission given, a return without a reason,
        or a submission that does not exist or is not in a status the
        action starts from (e.g. approving an approved or a returned one).
    """
    if action not in TRANSITIONS:
        msg = Message(
            f"未知的审核操作 {action!r}，可用：{'、'.join(TRANSITIONS)}",
            f"unknown approval action {action!r}; use one of: {', '.join(TRANSITIONS)}",
        )
        raise SubmissionError(msg)
    wanted = sorted(set(keys))
    if not wanted:
        msg = Message("未选择任何提交", "no submission was chosen")
        raise SubmissionError(msg)
    reason = (reason or "").strip() or None
    if action == "return" and reason is None:
        msg = Message(
            "退回必须填写原因，说明试点单位需要修改什么",
            "a return needs a reason: say what the pilot site must correct",
        )
        raise SubmissionError(msg)
    starts, to_status = TRANSITIONS[action]
    when = at or _now()
    with _transaction(cur):
        current = _statuses(cur, _keys_frame(wanted))
        wrong = [(s, p, status) for s, p, status in current if status not in starts]
        missing = [(s, p) for s, p, status in wrong if status is None]
        if missing:
            zh, en = _named(missing)
            msg = Message(
                f"没有以下站点和期次的提交：{zh}；请先上传其反馈，或检查单位编号和报告期",
                f"there is no submission of: {en}; upload its feedback first, or check the "
                "site id and period",
            )
            raise SubmissionError(msg)
        if wrong:
            site, period, status = wrong[0]
            allowed_zh = "、".join(_STATUS_ZH[x] for x in sorted(starts))
            msg = Message(
                f"无法{_ACTION_ZH[action]}站点 {site} 的 {period}：其状态为“{_STATUS_ZH[status]}”，"
                f"只有“{allowed_zh}”的提交可以{_ACTION_ZH[action]}"
                + (f"（共 {len(wrong)} 项不符）" if len(wrong) > 1 else ""),
                f"cannot {action} {site} {period}: its status is {status or 'missing'}, and only "
                f"a {'/'.join(sorted(starts))} submission can be {to_status if action != 'return' else 'returned'}"
                + (f" ({len(wrong)} do not qualify)" if len(wrong) > 1 else ""),
            )
            raise SubmissionError(msg)
        transitions = pl.DataFrame(
            [[s, p, status, to_status] for s, p, status in current],
            schema={**_KEYS_SCHEMA, "from_status": pl.String, "to_status": pl.String},
            orient="row",
        )
        params = {"at": when, "actor": actor, "reason": reason}
        with registered(cur, "_stdeval_transitions", transitions):
            cur.execute(query("update_submission_status"), params)
            cur.execute(query("insert_submission_history"), {**params, "sha256": None})
        named = [f"{s} {p}" for s, p in wanted]
        record(cur, actor=actor, action="approval", at=when,
               target=named[0] if len(named) == 1 else f"{len(named)} submissions",
               details={"action": action, "to": to_status, "reason": reason,
                        "submissions": named})  # fmt: skip
    return len(wanted)


def approve(
    cur: duckdb.DuckDBPyConnection, keys: Sequence[Key], *, actor: str, reason: str | None = None
) -> int:
    """Approve submitted site × periods (they count and are locked); see :func:`change_status`."""
    return change_status(cur, keys, "approve", actor=actor, reason=reason)


def return_submissions(
    cur: duckdb.DuckDBPyConnection, keys: Sequence[Key], *, actor: str, reason: str
) -> int:
    """Return submitted site × periods to the site with a (required) reason."""
    return change_status(cur, keys, "return", actor=actor, reason=reason)


def reopen(
    cur: duckdb.DuckDBPyConnection, keys: Sequence[Key], *, actor: str, reason: str | None = None
) -> int:
    """Reopen approved site × periods: ``submitted`` again, unlocked, not counted until approved."""
    return change_status(cur, keys, "reopen", actor=actor, reason=reason)


def submission_status(cur: duckdb.DuckDBPyConnection, access: Access) -> pl.DataFrame:
    """List the submissions within ``access``, newest period first.

    Columns: ``site_id``, ``site_name``, ``program_id``, ``program_name``,
    ``period``, ``n_rows``, ``n_standards``, ``status``, ``changed_at``,
    ``changed_by``, ``reason``, ``created_at``, ``last_upload_at``. A
    pilot-site scope sees only its own sites' submissions.
    """
    return cur.sql(query("select_submissions"), params=access.to_params()).pl()


def history(cur: duckdb.DuckDBPyConnection, site_id: str, period: str) -> pl.DataFrame:
    """Return the transitions of one submission, oldest first.

    Columns: ``history_id``, ``changed_at``, ``actor``, ``from_status``
    (null when a load created it), ``to_status``, ``reason``, ``sha256``
    (the file, for a load's transition).
    """
    return cur.sql(
        query("select_submission_history"), params={"site_id": site_id, "period": period}
    ).pl()


def submission_rows(cur: duckdb.DuckDBPyConnection, site_id: str, period: str) -> pl.DataFrame:
    """Return the feedback rows of one submission, by standard."""
    return cur.sql(
        query("select_submission_rows"), params={"site_id": site_id, "period": period}
    ).pl()
