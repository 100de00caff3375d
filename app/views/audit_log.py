"""Audit log (审计日志), for administrators: browse, filter, download as CSV."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from app.auth.session import require_action, require_page
from app.connection import cursor
from app.exports.csv import csv_bytes
from app.session import translator
from etl.audit import audit_choices, read_audit, record

t = translator()
user = require_page("audit", t)
require_action(user, "view_audit", t)
st.title(t("audit.title"))
st.caption(t("audit.subtitle"))

cur = cursor()
actors, actions = audit_choices(cur)
left, middle, right = st.columns(3)
chosen_actors = left.multiselect(
    t("audit.actor"), actors, key="audit_actors", placeholder=t("audit.all")
)
chosen_actions = middle.multiselect(
    t("audit.action"), actions, key="audit_actions", placeholder=t("audit.all")
)
today = date.today()
period = right.date_input(
    t("audit.period"), value=(today - timedelta(days=30), today), key="audit_period"
)
since = until = None
if isinstance(period, tuple) and len(period) == 2:
    since = datetime.combine(period[0], time.min)
    until = datetime.combine(period[1] + timedelta(days=1), time.min)

events = read_audit(
    cur,
    actors=chosen_actors or None,
    actions=chosen_actions or None,
    since=since,
    until=until,
)
st.write(t("audit.count", n=events.height))
COLUMN_KEYS = {
    "audit_id": "audit.col_audit_id",
    "event_at": "audit.col_event_at",
    "actor": "audit.col_actor",
    "action": "audit.col_action",
    "target": "audit.col_target",
    "detail": "audit.col_detail",
}
st.dataframe(
    events,
    hide_index=True,
    width="stretch",
    column_config={c: st.column_config.Column(t(key)) for c, key in COLUMN_KEYS.items()},
)
filters = {
    "actors": chosen_actors,
    "actions": chosen_actions,
    "since": since.isoformat() if since else None,
    "until": until.isoformat() if until else None,
}


def _audit_download() -> None:
    """An export like any other: who downloaded which rows (the role checked again)."""
    if user.may("view_audit"):
        record(cursor(), actor=user.username, action="export", target="audit_log",
               details={"filters": filters, "rows": events.height, "format": "csv"})  # fmt: skip


st.download_button(
    t("audit.download"),
    data=csv_bytes(events),
    file_name=f"stdeval-audit-{today.isoformat()}.csv",
    mime="text/csv",
    key="audit_download",
    on_click=_audit_download,
)
