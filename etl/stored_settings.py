"""Settings kept in the warehouse (``app_setting``), so the dashboard, the writer and the CLI agree.

An environment setting (:mod:`etl.settings`) belongs to one process; a
setting that decides what the data *means*, such as whether unapproved
feedback counts in scores and dashboards, must be the same for every
process that reads the warehouse, so it is stored there. Each change is
audited (``setting_changed``) in its own transaction; the view
``counted_feedback`` reads ``count_unapproved`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from datasets.messages import BilingualError, Message
from etl.audit import record
from etl.queries import query

__all__ = ["STORED_SETTINGS", "StoredSetting", "counts_unapproved", "set_counts_unapproved"]

COUNT_UNAPPROVED = "count_unapproved"


@dataclass(frozen=True)
class StoredSetting:
    """One warehouse setting: its name, default and help (zh, en)."""

    name: str
    default: str
    help_zh: str
    help_en: str


#: Every warehouse setting.
STORED_SETTINGS: dict[str, StoredSetting] = {
    COUNT_UNAPPROVED: StoredSetting(
        COUNT_UNAPPROVED,
        "false",
        "未审核（待审核或已退回）的反馈是否计入评分和仪表盘",
        "whether feedback not yet approved (submitted or returned) counts in scores and dashboards",
    ),
}


def _read(cur: duckdb.DuckDBPyConnection, name: str) -> str:
    rows = cur.execute(query("select_setting"), {"name": name}).fetchall()
    return str(rows[0][1]) if rows else STORED_SETTINGS[name].default


def counts_unapproved(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether unapproved feedback counts in scores and dashboards (default: no)."""
    return _read(cur, COUNT_UNAPPROVED) == "true"


def set_counts_unapproved(cur: duckdb.DuckDBPyConnection, value: bool, *, actor: str) -> bool:
    """Set whether unapproved feedback counts; audited in the same transaction. Return the old value.

    Raises
    ------
    etl.stored_settings.SettingError
        ``value`` is not a bool (a string such as ``"no"`` is refused, not guessed).
    """
    if not isinstance(value, bool):
        msg = Message(
            f"设置 {COUNT_UNAPPROVED} 只能是 true 或 false，收到 {value!r}",
            f"the setting {COUNT_UNAPPROVED} takes true or false, not {value!r}",
        )
        raise SettingError(msg)
    at = datetime.now(UTC).replace(tzinfo=None)
    cur.execute("begin transaction")
    try:
        old = _read(cur, COUNT_UNAPPROVED) == "true"
        cur.execute(
            query("upsert_setting"),
            {"name": COUNT_UNAPPROVED, "value": "true" if value else "false", "at": at,
             "actor": actor},
        )  # fmt: skip
        record(cur, actor=actor, action="setting_changed", target=COUNT_UNAPPROVED, at=at,
               details={"from": old, "to": value})  # fmt: skip
    except BaseException:
        cur.execute("rollback")
        raise
    cur.execute("commit")
    return old


class SettingError(BilingualError, ValueError):
    """A warehouse setting given a value it does not take."""
