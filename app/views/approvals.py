"""Approvals (提交审核), for evaluators: approve, return with a reason, reopen; every change recorded."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.auth.session import require_action, require_page
from app.components.notices import keep_notice, show_notice
from app.connection import cursor
from app.data.reads import read
from app.live import watcher
from app.session import translator
from datasets.access import Access
from etl.stored_settings import counts_unapproved
from etl.submissions import (
    STATUSES,
    SubmissionError,
    change_status,
    history,
    submission_rows,
)
from metrics.filters import Filters

t = translator()
user = require_page("approvals", t)
require_action(user, "approve", t)
st.title(t("approvals.title"))
st.caption(t("approvals.subtitle"))

cur = cursor()
st.info(t("approvals.counts_unapproved" if counts_unapproved(cur) else "approvals.counts_approved"))
show_notice("ap_flash")

# Cached on the data version, which every approval, return or reopen changes.
every = read("submission_status", filters=Filters(), scope=Access.everything())
counts = dict(every.group_by("status").len().iter_rows()) if every.height else {}
for column, status in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    column.metric(t(f"approvals.status_{status}"), f"{counts.get(status, 0):,}")

left, middle, right = st.columns(3)
chosen_status = left.multiselect(
    t("approvals.filter_status"),
    STATUSES,
    default=["submitted"],
    format_func=lambda s: t(f"approvals.status_{s}"),
    key="ap_status",
)
programs = sorted(p for p in every["program_id"].unique().to_list() if p is not None)
chosen_programs = middle.multiselect(
    t("approvals.filter_program"), programs, key="ap_program", placeholder=t("approvals.all")
)
periods = sorted(every["period"].unique().to_list(), reverse=True)
chosen_periods = right.multiselect(
    t("approvals.filter_period"), periods, key="ap_period", placeholder=t("approvals.all")
)
site_text = st.text_input(t("approvals.filter_site"), key="ap_site").strip().lower()

shown = every
if chosen_status:
    shown = shown.filter(pl.col("status").is_in(chosen_status))
if chosen_programs:
    shown = shown.filter(pl.col("program_id").is_in(chosen_programs))
if chosen_periods:
    shown = shown.filter(pl.col("period").is_in(chosen_periods))
if site_text:
    shown = shown.filter(
        pl.col("site_id").str.to_lowercase().str.contains(site_text, literal=True)
        | pl.col("site_name").fill_null("").str.to_lowercase().str.contains(site_text, literal=True)
    )

st.write(t("approvals.count", n=f"{shown.height:,}", total=f"{every.height:,}"))
table = shown.select(
    "site_id", "site_name", "program_name", "period", "n_rows", "n_standards",
    pl.col("status").replace_strict({s: t(f"approvals.status_{s}") for s in STATUSES}),
    "changed_at", "changed_by", "reason",
)  # fmt: skip


def _labelled(frame: pl.DataFrame, prefix: str, key: str) -> None:
    """Show ``frame`` with each column under its message ``approvals.<prefix>_<column>``."""
    labels = {c: st.column_config.Column(t(f"approvals.{prefix}_{c}")) for c in frame.columns}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=labels, key=key)


_labelled(table, "col", "ap_table")

keys = [f"{s} {p}" for s, p in shown.select("site_id", "period").iter_rows()]
picked = st.selectbox(
    t("approvals.pick"),
    keys,
    index=None,
    placeholder=t("approvals.pick_placeholder"),
    key="ap_pick",
)
if picked is None:
    st.stop()

site_id, period = picked.split(" ", 1)
current = every.filter((pl.col("site_id") == site_id) & (pl.col("period") == period)).row(
    0, named=True
)
st.subheader(t("approvals.detail", site=site_id, name=current["site_name"] or "", period=period))
status = current["status"]
st.write(
    t(
        "approvals.detail_status",
        status=t(f"approvals.status_{status}"),
        rows=current["n_rows"],
        standards=current["n_standards"],
        program=current["program_name"] or current["program_id"] or "—",
        at=f"{current['changed_at']:%Y-%m-%d %H:%M:%S}",
        by=current["changed_by"],
    )
)
if current["reason"]:
    st.write(t("approvals.detail_reason", reason=current["reason"]))

ACTIONS = {
    "submitted": (("approve", "primary"), ("return", "secondary")),
    "approved": (("reopen", "secondary"),),
    "returned": (),
}
if ACTIONS[status]:
    reason = st.text_area(t(f"approvals.reason_{status}"), key="ap_reason")
    buttons = st.columns(len(ACTIONS[status]))
    for column, (action, kind) in zip(buttons, ACTIONS[status], strict=True):
        if column.button(t(f"approvals.do_{action}"), key=f"ap_{action}", type=kind):
            require_action(user, "approve", t)  # the role again, at the action
            try:
                change_status(cur, [(site_id, period)], action, actor=user.username, reason=reason)
            except SubmissionError as exc:
                st.error(exc.text(t.lang), icon="⛔")
            else:
                done = t(f"approvals.done_{action}", site=site_id, period=period)
                keep_notice("ap_flash", done)
                st.session_state.pop("ap_reason", None)
                watcher().check()  # the list read on the rerun shows the change at once
                st.rerun()
else:
    st.info(t("approvals.returned_waiting"))

rows_tab, history_tab = st.tabs([t("approvals.tab_rows"), t("approvals.tab_history")])
with rows_tab:
    st.dataframe(submission_rows(cur, site_id, period), hide_index=True, width="stretch")
with history_tab:
    names = {s: t(f"approvals.status_{s}") for s in STATUSES} | {"": t("approvals.status_none")}
    past = history(cur, site_id, period).with_columns(
        pl.col(c).fill_null("").replace_strict(names) for c in ("from_status", "to_status")
    )
    _labelled(past, "hist", "ap_history")
