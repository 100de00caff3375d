"""Evaluator workspace (评价工作台): configure and run scoring, compare two runs, export a run."""

from __future__ import annotations

import itertools
import json

import polars as pl
import streamlit as st

from app.auth.session import require_action, require_page
from app.connection import cursor
from app.data.reads import filter_options
from app.exports.export import audited_export, export_file_name, record_export
from app.exports.report import report_file_name, report_pdf
from app.session import translator
from datasets.access import Access
from datasets.messages import BilingualError
from metrics.ahp import ahp
from metrics.config import ConfigError, default_config
from metrics.request import ScoreRequest
from metrics.run_compare import compare_runs
from metrics.runs import list_runs, store_run
from metrics.scope import Scope
from metrics.scores import compute_scores

t = translator()
user = require_page("workspace", t)
st.title(t("workspace.title"))
st.caption(t("workspace.subtitle"))

cur = cursor()
config = default_config()
raw_config = json.loads(config.to_json())
DIMS = list(config.dimension_ids)
METHODS = ("ahp", "entropy", "equal", "manual")

run_tab, compare_tab, export_tab = st.tabs(
    [t("workspace.tab_run"), t("workspace.tab_compare"), t("workspace.tab_export")]
)


def _ahp_matrix() -> list[list[float]]:
    """The pairwise matrix from the upper-triangle inputs (the lower one is reciprocal)."""
    default = raw_config["weights"]["ahp"]["matrix"]
    matrix = [[1.0] * len(DIMS) for _ in DIMS]
    cols = st.columns(3)
    for k, (i, j) in enumerate(itertools.combinations(range(len(DIMS)), 2)):
        value = cols[k % 3].number_input(
            t("workspace.ahp_pair", a=DIMS[i], b=DIMS[j]),
            min_value=1 / 9,
            max_value=9.0,
            value=float(default[i][j]),
            step=0.5,
            format="%.3f",
            key=f"ws_ahp_{DIMS[i]}_{DIMS[j]}",
        )
        matrix[i][j], matrix[j][i] = value, 1.0 / value
    return matrix


with run_tab:
    method = st.selectbox(
        t("workspace.method"),
        METHODS,
        format_func=lambda m: t(f"workspace.method_{m}"),
        key="ws_method",
    )
    weights: object = None
    blocked = False
    if method == "ahp":
        matrix = _ahp_matrix()
        st.dataframe(
            pl.DataFrame({"": DIMS, **{d: [r[j] for r in matrix] for j, d in enumerate(DIMS)}}),
            hide_index=True,
        )
        result = ahp(matrix)
        st.write(t("workspace.ahp_live", lmax=f"{result.lambda_max:.4f}", cr=f"{result.cr:.4f}"))
        if not result.consistent:
            blocked = True
            try:
                result.require_consistent()
            except BilingualError as exc:
                st.error(exc.text(t.lang), icon="⛔")
        weights = matrix
    elif method == "manual":
        cols = st.columns(len(DIMS))
        weights = {
            d: cols[k].number_input(d, 0.0, 1.0, 1 / len(DIMS), 0.05, key=f"ws_manual_{d}")
            for k, d in enumerate(DIMS)
        }
    evidence = raw_config["evidence"]
    left, middle, right = st.columns(3)
    min_sites = left.number_input(
        t("workspace.min_sites"), 0, 1000, evidence["min_sites"], key="ws_min_sites"
    )
    min_responses = middle.number_input(
        t("workspace.min_responses"), 0, 100000, evidence["min_responses"], key="ws_min_responses"
    )
    min_feedback = right.number_input(
        t("workspace.min_feedback_sites"),
        0,
        1000,
        evidence["min_feedback_sites"],
        key="ws_min_feedback",
    )
    shrinkage = st.checkbox(t("workspace.shrinkage"), value=True, key="ws_shrinkage")
    options = filter_options(scope=Access.everything())
    data_years = options.filter(pl.col("kind") == "year")["key"].to_list()
    years = ["overall", *sorted(data_years, reverse=True)]
    year = st.selectbox(
        t("workspace.year"),
        years,
        format_func=lambda y: t("workspace.all_years") if y == "overall" else y,
        key="ws_year",
    )
    replicates = st.number_input(
        t("workspace.replicates"),
        0,
        5000,
        raw_config["bootstrap"]["replicates"],
        100,
        key="ws_replicates",
    )
    run_clicked = st.button(t("workspace.run"), key="ws_run", type="primary", disabled=blocked)
    if run_clicked:
        require_action(user, "run_scoring", t)
        chosen = dict(
            raw_config,
            evidence={
                "min_sites": int(min_sites),
                "min_responses": int(min_responses),
                "min_feedback_sites": int(min_feedback),
            },
        )
        bar = st.progress(0.05, text=t("workspace.progress_compute"))
        try:
            request = ScoreRequest(
                scope=Scope(year=None if year == "overall" else int(year)),
                method=method,
                weights=weights,
                config=chosen,
                replicates=int(replicates),
                shrinkage=shrinkage,
            )
            outcome = compute_scores(cur, request)
            bar.progress(0.8, text=t("workspace.progress_store"))
            run_id = store_run(
                cur, outcome, created_by=user.username
            )  # audit row in its transaction
            bar.progress(1.0, text=t("workspace.progress_done"))
            st.session_state["ws_last_run"] = run_id
            st.success(t("workspace.run_done", run=run_id))
        except (BilingualError, ConfigError) as exc:
            bar.empty()
            st.error(exc.text(t.lang) if isinstance(exc, BilingualError) else str(exc))
    elif st.session_state.get("ws_last_run"):
        # The stored run wakes this page again (app/live.py): the receipt stays.
        st.success(t("workspace.run_done", run=st.session_state["ws_last_run"]))

runs = list_runs(cur)
run_ids = runs["run_id"].to_list()

with compare_tab:
    if len(run_ids) < 2:
        st.info(t("workspace.compare_need_two"))
    else:
        left, right = st.columns(2)
        run_a = left.selectbox(t("workspace.run_a"), run_ids, index=1, key="ws_run_a")
        run_b = right.selectbox(t("workspace.run_b"), run_ids, index=0, key="ws_run_b")
        found = compare_runs(cur, run_a, run_b)
        reasons = [t("workspace.why_data")] if found.data_changed else []
        if found.weights_changed:
            reasons.append(t("workspace.why_weights"))
        if found.changed_settings:
            reasons.append(t("workspace.why_settings", names=", ".join(found.changed_settings)))
        st.write(
            t("workspace.why", reasons="；".join(reasons) if reasons else t("workspace.why_none"))
        )
        moved = found.moves.filter(pl.col("delta").abs() > 1e-9)
        st.write(t("workspace.moved", n=moved.height, total=found.moves.height, year=found.year))
        st.dataframe(found.moves, hide_index=True, width="stretch", key="ws_compare_table")

with export_tab:
    if not user.may("export"):
        st.info(t("workspace.no_export"))
    elif not run_ids:
        st.info(t("workspace.no_runs"))
    else:
        default = (
            run_ids.index(st.session_state.get("ws_last_run", run_ids[0]))
            if st.session_state.get("ws_last_run") in run_ids
            else 0
        )
        chosen_run = st.selectbox(
            t("workspace.export_run"), run_ids, index=default, key="ws_export_run"
        )
        lang = t.lang

        def _file(fmt: str) -> bytes:
            return audited_export(
                cur.cursor(),
                actor=user.username,
                kind="scores",
                run_id=chosen_run,
                fmt=fmt,
                access=Access.everything(),
            )

        def _pdf() -> bytes:
            own = cur.cursor()
            data = report_pdf(own, run_id=chosen_run, lang=lang)
            record_export(
                own,
                actor=user.username,
                kind="report",
                run_id=chosen_run,
                fmt="pdf",
                access=Access.everything(),
                rows=0,
            )
            return data

        cols = st.columns(4)
        for col, fmt in zip(cols, ("xlsx", "csv", "parquet"), strict=False):
            col.download_button(
                t(f"workspace.download_{fmt}"),
                data=lambda fmt=fmt: _file(fmt),
                file_name=export_file_name("scores", chosen_run, fmt),
                key=f"ws_download_{fmt}",
                on_click="ignore",
            )
        cols[3].download_button(
            t("workspace.download_pdf"),
            data=_pdf,
            file_name=report_file_name(chosen_run, lang),
            mime="application/pdf",
            key="ws_download_pdf",
            on_click="ignore",
        )
