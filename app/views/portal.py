"""Pilot-site portal (数据报送): templates, an upload checked by a dry run before it loads, the receipt, the history."""

from __future__ import annotations

import hashlib

import polars as pl
import streamlit as st

from app.auth.session import require_action, require_page
from app.components.notices import demo_banner
from app.components.tables import labelled, table
from app.connection import warehouse_path
from app.data.reads import read, warehouse_is_demo
from app.data.scope import current_scope
from app.exports.tables import csv_bytes
from app.live import watcher
from app.portal.upload import (
    PORTAL_SOURCES,
    Sent,
    problems_frame,
    queue,
    receipt_frame,
    receipt_text,
    wait,
)
from app.session import translator
from datasets.csv_template import build_csv_template
from datasets.sources import get_source
from datasets.templates import build_template
from etl.inbox import InboxEntry
from etl.settings import landing_dir
from etl.submissions import STATUSES as REVIEW_STATUSES
from metrics.filters import Filters

t = translator()
user = require_page("portal", t)
scope = current_scope()
st.title(t("portal.title"))
st.caption(
    t("portal.subtitle", sites="、".join(user.sites) if t.lang == "zh" else ", ".join(user.sites))
)
demo_banner(warehouse_is_demo(), t)

_CHECK = "portal_check"  # the dry run of the file now chosen: {"sha256", "name", "entry", "sent"}
_LOADING = "portal_loading"  # the entry of a confirmed load whose answer is awaited
_RECEIPT = "portal_receipt"  # the last load's Sent
_ROUND = "portal_round"  # bumped after a load or cancel: a fresh, empty file field

source = (
    PORTAL_SOURCES[0]
    if len(PORTAL_SOURCES) == 1
    else st.selectbox(
        t("portal.source"),
        PORTAL_SOURCES,
        format_func=lambda s: get_source(s).title_zh if t.lang == "zh" else get_source(s).title_en,
        key="portal_source",
    )
)
spec = get_source(source)
title = spec.title_zh if t.lang == "zh" else spec.title_en

# 1. Templates --------------------------------------------------------------
st.subheader(t("portal.template_title"))
st.write(t("portal.template_help", source=title))
row = st.container(horizontal=True)
for fmt, build, mime in (
    ("xlsx", build_template, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", build_csv_template, "text/csv"),
):
    row.download_button(
        t(f"portal.template_{fmt}"),
        data=lambda build=build: build(spec, lang=t.lang),
        file_name=f"{source}-template-{t.lang}.{fmt}",
        mime=mime,
        key=f"portal_template_{fmt}",
        on_click="ignore",
    )


def _queue(data: bytes, name: str, *, dry_run: bool) -> InboxEntry:
    """Queue the file for the writer, on this user's behalf (the action is checked again)."""
    require_action(user, "upload", t)
    try:
        return queue(
            data,
            name,
            source=source,
            user=user,
            lang=t.lang,
            dry_run=dry_run,
            warehouse=warehouse_path(),
            landing=landing_dir().resolve(),
        )
    except OSError as exc:  # the landing folder cannot be written: say so, no traceback
        st.error(t("portal.landing_error", detail=exc.strerror or str(exc)))
        st.stop()


def _wait(entry: InboxEntry) -> Sent:
    """Wait for the writer's answer, showing its progress."""
    bar = st.progress(0.0, text=t("portal.progress_queued"))
    share = {"read": (0.0, 0.2), "validate": (0.2, 0.5), "load": (0.7, 0.3)}

    def progress(stage: str, done: int, total: int) -> None:
        start, width = share.get(stage, (0.0, 1.0))
        fraction = start + width * (done / total if total else 1.0)
        bar.progress(min(fraction, 1.0), text=t(f"portal.progress_{stage}"))

    def waiting(seconds: float) -> None:
        if seconds >= 2:
            bar.progress(0.0, text=t("portal.progress_waiting", seconds=f"{seconds:.0f}"))

    sent = wait(
        entry,
        warehouse=warehouse_path(),
        landing=landing_dir().resolve(),
        progress=progress,
        on_wait=waiting,
    )
    bar.empty()
    return sent


def _report(sent: Sent) -> bool:
    """Show the dry run's validation report; return whether the file may be loaded."""
    result = sent.result
    if result is None:
        st.warning(t("portal.dry_run_queued"))
        return False
    if result.status in {"refused", "duplicate"}:
        st.error(t(f"portal.refused_{result.status}", reason=result.reason_text(t.lang) or ""))
        return False
    cols = st.columns(4)
    cols[0].metric(t("portal.count_read"), result.rows_read)
    cols[1].metric(t("portal.count_valid"), result.rows_accepted)
    cols[2].metric(t("portal.count_rejected"), result.rows_rejected)
    cols[3].metric(t("portal.count_replaced"), result.rows_replaced)
    if result.reason is not None:
        st.warning(result.reason.text(t.lang))
    problems = problems_frame(result, t)
    if problems.is_empty():
        st.success(t("portal.dry_run_clean", n=result.rows_accepted))
    else:
        st.write(t("portal.dry_run_problems", rejected=result.rows_rejected, n=problems.height))
        widths = {"portal.col_row": "small", "portal.col_value": "small",
                  "portal.col_kind": "small", "portal.col_message": 720}  # fmt: skip
        st.dataframe(
            problems,
            hide_index=True,
            width="stretch",
            key="portal_problems",
            column_config={t(k): st.column_config.Column(width=w) for k, w in widths.items()},
        )
        st.download_button(
            t("portal.problems_csv"),
            data=csv_bytes(problems),
            file_name=f"{sent.entry.file_name}-problems.csv",
            mime="text/csv",
            key="portal_problems_csv",
            on_click="ignore",
        )
    return result.rows_accepted > 0


# 2. Upload: dry run, then Confirm or Cancel -------------------------------------
st.subheader(t("portal.upload_title"))
st.write(t("portal.upload_help"))
round_no = st.session_state.get(_ROUND, 0)
chosen = st.file_uploader(
    t("portal.upload_label"), type=["csv", "xlsx", "xls"], key=f"portal_file_{round_no}"
)
if chosen is not None and user.may("upload"):
    data = chosen.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    check = st.session_state.get(_CHECK)
    if check is None or check["sha256"] != sha or check["name"] != chosen.name:
        st.session_state.pop(_RECEIPT, None)
        entry = _queue(data, chosen.name, dry_run=True)
        check = {"sha256": sha, "name": chosen.name, "entry": entry, "sent": None}
        st.session_state[_CHECK] = check
    if check["sent"] is None or check["sent"].result is None:
        check["sent"] = _wait(check["entry"])
    st.markdown(t("portal.dry_run_title", name=chosen.name))
    loadable = _report(check["sent"])
    left, right = st.columns(2)
    if left.button(
        t("portal.confirm"), key="portal_confirm", type="primary", disabled=not loadable
    ):
        st.session_state[_LOADING] = _queue(data, chosen.name, dry_run=False)
        st.session_state.pop(_CHECK, None)
        st.session_state[_ROUND] = round_no + 1
        st.rerun()
    if right.button(t("portal.cancel"), key="portal_cancel"):
        st.session_state.pop(_CHECK, None)
        st.session_state[_ROUND] = round_no + 1
        st.session_state["portal_cancelled"] = True
        st.rerun()
if st.session_state.pop("portal_cancelled", False):
    st.info(t("portal.cancelled"))

# 3. The receipt of the last load ------------------------------------------------
loading: InboxEntry | None = st.session_state.get(_LOADING)
if loading is not None:  # waited for here, so a rerun meanwhile simply waits again
    st.session_state[_RECEIPT] = _wait(loading)
    if st.session_state[_RECEIPT].result is not None:
        st.session_state.pop(_LOADING, None)
    watcher().check()  # the history below shows the new row at once
receipt: Sent | None = st.session_state.get(_RECEIPT)
if receipt is not None:
    st.subheader(t("portal.receipt_title"))
    outcome = receipt.result
    if outcome is None:
        st.warning(t("portal.load_queued"))
    elif outcome.status == "loaded":
        st.success(t("portal.loaded", n=outcome.rows_accepted, rejected=outcome.rows_rejected))
    else:
        st.error(t(f"portal.refused_{outcome.status}", reason=outcome.reason_text(t.lang) or ""))
    shown = receipt_frame(receipt, t)
    st.dataframe(shown, hide_index=True, width="stretch", height="content", key="portal_receipt")
    row = st.container(horizontal=True)
    stem = f"receipt-{receipt.entry.sha256[:12]}"
    row.download_button(
        t("portal.receipt_txt"),
        data=receipt_text(receipt, t).encode("utf-8"),
        file_name=f"{stem}.txt",
        mime="text/plain",
        key="portal_receipt_txt",
        on_click="ignore",
    )
    row.download_button(
        t("portal.receipt_csv"),
        data=csv_bytes(shown),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="portal_receipt_csv",
        on_click="ignore",
    )

# 4. History of the sites' submissions --------------------------------------------
st.subheader(t("portal.history_title"))
history = read("submission_history", filters=Filters(), scope=scope, username=user.username)
if history.is_empty():
    st.info(t("portal.history_empty"))
else:
    reason = "reason_en" if t.lang == "en" else "reason_zh"
    history = history.with_columns(
        history["status"].replace_strict(
            {s: t(f"portal.status_{s}") for s in ("loaded", "duplicate", "refused")},
            default=history["status"],
        ),
        history[reason].alias("reason"),
    )
    labels = {
        "received_at": t("portal.col_received"),
        "file_name": t("portal.receipt_file"),
        "status": t("portal.receipt_status"),
        "rows_read": t("portal.count_read"),
        "rows_accepted": t("portal.count_loaded"),
        "rows_rejected": t("portal.count_rejected"),
        "rows_replaced": t("portal.count_replaced"),
        "reason": t("portal.receipt_reason"),
        "receipt_seq": t("portal.receipt_seq"),
        "ingest_id": t("portal.receipt_ingest_id"),
        "uploader": t("portal.receipt_uploader"),
        "sha256": t("portal.receipt_sha256"),
    }
    table(labelled(history, labels), "submissions", t, key="portal_history")
    st.caption(t("portal.history_caption", n=history.height))

# 5. Review of each site x period (the approval workflow) ---------------------------
st.subheader(t("portal.review_title"))
review = read("submission_status", filters=Filters(), scope=scope)
if review.is_empty():
    st.info(t("portal.review_empty"))
else:
    counts = dict(review["status"].value_counts().iter_rows())
    review = review.select(
        "site_id", "period", "n_rows",
        pl.col("status").replace_strict({s: t(f"approvals.status_{s}") for s in REVIEW_STATUSES}),
        "changed_at", "reason",
    )  # fmt: skip
    labels = {c: t(f"approvals.col_{c}") for c in review.columns}
    table(labelled(review, labels), "review", t, key="portal_review")
    st.caption(
        t("portal.review_caption", n=review.height, approved=counts.get("approved", 0),
          waiting=counts.get("submitted", 0), returned=counts.get("returned", 0))
    )  # fmt: skip
