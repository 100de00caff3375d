"""The evaluation report of a stored run as one self-contained HTML page (no network).

Sections follow the order GB/T 20001.8-2023 gives an evaluation standard:
the indicator system (评价指标体系), value rules (取值规则), result rules
(结果形成规则) and the organisation of the run (评价的组织实施); then the
results with intervals and rank intervals, the funnel plot, data coverage and
survey reliability. The charts are the dashboard's own plotly figures, with
plotly.js inlined from the installed package.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

import duckdb
import plotly.graph_objects as go
import plotly.offline
import polars as pl

from app.components.charts_scores import funnel_plot, ranking_intervals
from app.components.figure_style import FONT
from app.exports.run_tables import run_sheets
from app.i18n import Translator
from metrics.funnel import funnel_data
from metrics.ranking import ranked_standards
from metrics.runs import read_run_meta
from metrics.scope import Scope

__all__ = ["SECTION_KEYS", "report_html"]

#: The sections of the report, in order (message keys ``report.section_<key>``).
SECTION_KEYS: tuple[str, ...] = (
    "indicators",
    "value_rules",
    "result_rules",
    "organisation",
    "results",
    "funnel",
    "coverage",
    "reliability",
)

_CSS = f"""
body {{ font-family: {FONT}; font-size: 10.5pt; color: #111; margin: 0; }}
h1 {{ font-size: 18pt; margin: 0 0 4pt; }}
h2 {{ font-size: 13pt; border-bottom: 1px solid #888; margin: 16pt 0 6pt;
      break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0; table-layout: auto; }}
th, td {{ border: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top;
          overflow-wrap: anywhere; }}
th {{ background: #eef; }}
tr {{ break-inside: avoid; }}
td.n {{ text-align: right; white-space: nowrap; }}
.chart {{ break-inside: avoid; }}
.muted {{ color: #555; }}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[object]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(c)}</td>' if j in numeric else f"<td>{_e(c)}</td>"
            for j, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(fig: go.Figure) -> str:
    fig.update_layout(width=680, font_family=FONT)
    inner = fig.to_html(full_html=False, include_plotlyjs=False, config={"staticPlot": True})
    return f'<div class="chart">{inner}</div>'


def _name(entry: dict[str, Any], lang: str) -> str:
    return str(entry.get("name_en" if lang == "en" else "name_zh", ""))


def _indicators(config: dict[str, Any], weights: dict[str, float], t: Translator) -> str:
    rows = []
    for dim_id, dim in config["dimensions"].items():
        for ind_id in dim["indicators"]:
            ind = config["indicators"][ind_id]
            rows.append(
                [
                    f"{dim_id} {_name(dim, t.lang)}",
                    _num(weights.get(dim_id), 3),
                    f"{ind_id} {_name(ind, t.lang)}",
                    ", ".join(ind["measures"]),
                ]
            )
    header = [t("report.col_dimension"), t("report.col_weight"), t("report.col_indicator"),
              t("report.col_measures")]  # fmt: skip
    return _table(header, rows, {1})


def _rules(meta: dict[str, Any], t: Translator) -> str:
    params = meta.get("params") or {}
    details = params.get("weight_details") or {}
    method = meta["method"]
    lines = [t(f"report.method_{method}") if method in ("ahp", "entropy", "equal", "manual")
             else method]  # fmt: skip
    if details.get("cr") is not None:
        lines.append(
            t(
                "report.ahp_consistency",
                lmax=_num(details.get("lambda_max"), 4),
                cr=_num(details.get("cr"), 4),
            )  # fmt: skip
        )
    lines += [
        t("report.rule_score"),
        t(
            "report.rule_interval",
            level=_num(100 * float(meta["level"] or 0.95), 0),
            replicates=meta["replicates"],
            seed=meta["seed"],
        ),  # fmt: skip
        t(
            "report.rule_evidence",
            sites=meta["min_sites"],
            responses=meta["min_responses"],
            feedback_sites=meta["min_feedback_sites"],
        ),  # fmt: skip
        t("report.rule_shrinkage_on" if meta["shrinkage"] else "report.rule_shrinkage_off"),
    ]
    grades = ", ".join(
        f"{g['grade']} ≥ {g['min']:g} {_name(g, t.lang)}" for g in meta["config"]["grades"]
    )
    lines.append(t("report.rule_grades", grades=grades))
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"


def _organisation(meta: dict[str, Any], t: Translator) -> str:
    scope = meta.get("scope") or {}
    limits = {k: v for k, v in scope.items() if v is not None}
    rows = [
        [t("report.org_run_id"), meta["run_id"]],
        [t("report.org_created"), f"{meta['created_at']:%Y-%m-%d %H:%M:%S} UTC"],
        [t("report.org_by"), meta["created_by"]],
        [t("report.org_year"), meta["primary_year"]],
        [
            t("report.org_scope"),
            json.dumps(limits, ensure_ascii=False) if limits else t("report.org_everything"),
        ],  # fmt: skip
        [t("report.org_config"), meta["config_version"]],
        [t("report.org_fingerprint"), meta["fingerprint"]],
        [t("report.org_code"), meta["code_version"]],
    ]
    return _table([t("report.col_item"), t("report.col_value")], rows)


def _results(cur: duckdb.DuckDBPyConnection, run_id: str, year: str, t: Translator) -> str:
    frame = ranked_standards(cur, run_id=run_id, year=year, scope=Scope.everything())
    ranked = frame.filter(pl.col("ranked"))
    rows = [
        [r["rank"], r["standard_code"], _num(r["score"]),
         f"{_num(r['ci_low'])}–{_num(r['ci_high'])}", f"{r['rank_low']}–{r['rank_high']}",
         _num(r["p_top10"], 2), r["grade"] or "—", r["n_sites"], r["n_responses"]]
        for r in ranked.iter_rows(named=True)
    ]  # fmt: skip
    header = [t("report.col_rank"), t("report.col_standard"), t("report.col_score"),
              t("report.col_ci"), t("report.col_rank_interval"), "P(top 10)",
              t("report.col_grade"), t("report.col_sites"), t("report.col_responses")]  # fmt: skip
    apart = frame.filter(~pl.col("ranked")).group_by("exclusion_reason").len().sort("len")
    notes = "".join(
        f"<li>{_e(t('report.listed_apart', reason=reason, n=n))}</li>" for reason, n in apart.rows()
    )
    top = ranked.head(30)
    chart = _chart(ranking_intervals(top, t, top["standard_code"].to_list())) if top.height else ""
    return (
        f"<p>{_e(t('report.results_intro', ranked=ranked.height, total=frame.height))}</p>"
        + chart
        + _table(header, rows, {0, 2, 5, 7, 8})
        + (f"<ul>{notes}</ul>" if notes else "")
    )


def _funnel(cur: duckdb.DuckDBPyConnection, run_id: str, year: str, t: Translator) -> str:
    data = funnel_data(cur, run_id=run_id, year=year, scope=Scope.everything())
    if not data.points.height:
        return f"<p>{_e(t('report.no_funnel'))}</p>"
    return _chart(funnel_plot(data.points, data.limits, t)) + (
        f"<p class='muted'>{_e(t('report.funnel_note', target=_num(data.target)))}</p>"
    )


def _frame_table(frame: pl.DataFrame, numeric_from: int = 1) -> str:
    rows = [list(r) for r in frame.rows()]
    return _table(frame.columns, rows, set(range(numeric_from, frame.width)))


def _reliability(meta: dict[str, Any], t: Translator) -> str:
    rows = [
        [r["survey_year"], r["n_respondents"], _num(r["alpha"], 3),
         t("report.alpha_warning") if r["warning"] else ""]
        for r in meta["reliability"]
    ]  # fmt: skip
    header = [t("report.col_survey_year"), t("report.col_respondents"), "Cronbach α",
              t("report.col_note")]  # fmt: skip
    return _table(header, rows, {1, 2})


def report_html(cur: duckdb.DuckDBPyConnection, *, run_id: str, lang: str = "zh") -> str:
    """The whole report of run ``run_id`` in ``lang`` (``zh`` or ``en``) as one HTML page.

    Raises
    ------
    datasets.messages.NotFound
        No run ``run_id`` in the warehouse.
    """
    t = Translator(lang)
    meta = read_run_meta(cur, run_id)
    year = str(meta["primary_year"] or "overall")
    coverage = run_sheets(cur, run_id)["data coverage"].drop("run_id")
    bodies = {
        "indicators": _indicators(meta["config"], meta["weights"], t),
        "value_rules": f"<p>{_e(t('report.value_rules'))}</p>",
        "result_rules": _rules(meta, t),
        "organisation": _organisation(meta, t),
        "results": _results(cur, run_id, year, t),
        "funnel": _funnel(cur, run_id, year, t),
        "coverage": _frame_table(coverage),
        "reliability": _reliability(meta, t),
    }
    sections = "".join(
        f"<section><h2>{i}. {_e(t(f'report.section_{key}'))}</h2>{bodies[key]}</section>"
        for i, key in enumerate(SECTION_KEYS, start=1)
    )
    title = _e(t("report.title"))
    return (
        f'<!doctype html><html lang="{"en" if lang == "en" else "zh-CN"}"><head>'
        f'<meta charset="utf-8"><title>{title} {_e(run_id)}</title><style>{_CSS}</style>'
        f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f"<h1>{title}</h1><p class='muted'>{_e(t('report.subtitle', run=run_id))}</p>"
        f"{sections}</body></html>"
    )
