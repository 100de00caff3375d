"""The kinds of work the one writer applies from the inbox: ingest, score, and later export, backup.

Every entry of the inbox (:mod:`etl.inbox`) has a kind. The writer that
drains the queue (:mod:`etl.drain`) looks its kind up here and runs it on
its own connection, in receipt order with every other entry. A kind is
registered once per process by the layer that owns its code: ``ingest`` by
:mod:`etl.drain`; ``score`` by ``app/job_kinds.py`` (metrics and etl never
import each other). The exports and backups to come add theirs the same
way, with :func:`register_kind`.

A kind's ``run`` returns a JSON-ready dict (left in ``landing/results``);
``decode`` turns it back into what the caller expects; ``refuse`` answers an
entry that cannot run (quarantined, unknown kind) without running it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from etl.refusal import FileRefused
from etl.result import Progress

if TYPE_CHECKING:
    from etl.inbox import InboxEntry

#: ``run(con, entry, progress, landing)``: apply the entry, return its JSON result.
Run = Callable[
    [duckdb.DuckDBPyConnection, "InboxEntry", Progress | None, Path | None], dict[str, Any]
]
Refuse = Callable[[duckdb.DuckDBPyConnection, "InboxEntry", FileRefused], dict[str, Any]]
Finalised = Callable[[duckdb.DuckDBPyConnection, "InboxEntry"], dict[str, Any] | None]


def refused_job(
    _con: duckdb.DuckDBPyConnection, entry: InboxEntry, refusal: FileRefused
) -> dict[str, Any]:
    """The answer to a job that did not run: status ``refused``, the rule and the reason."""
    return {"status": "refused", "rule": refusal.rule, "reason": refusal.message.to_json()}


def _as_is(payload: dict[str, Any]) -> Any:
    return payload


@dataclass(frozen=True)
class JobKind:
    """One kind of queued work: how to run it, answer it unrun, and read its result back."""

    name: str
    run: Run
    refuse: Refuse = refused_job
    decode: Callable[[dict[str, Any]], Any] = _as_is
    #: The result of an entry whose work committed before a crash (``None``: run it).
    finalised: Finalised | None = None


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    """Make ``kind`` runnable by the writer of this process (registering again replaces it)."""
    _KINDS[kind.name] = kind


def get_kind(name: str) -> JobKind | None:
    """Return the registered kind called ``name``, or ``None`` when this process has none.

    Examples
    --------
    >>> get_kind("no-such-kind") is None
    True
    """
    return _KINDS.get(name)


def unknown_kind(name: str) -> FileRefused:
    """The refusal of an entry whose kind the writer process does not know."""
    return FileRefused(
        f"持有数据仓库的进程不认识任务类型 {name!r}；请升级该进程（如重启仪表盘）后重试",
        f"the process holding the warehouse does not know the job kind {name!r}; "
        "upgrade it (e.g. restart the dashboard) and try again",
        rule="unknown_job",
    )
