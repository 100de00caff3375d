"""``stdeval score``: run and store an effectiveness scoring run, print its summary."""

from __future__ import annotations

import getpass
import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from app.cli.options import DbOption
from app.cli.queued import Work, end_if_refused, require_warehouse, run_queued
from app.job_kinds import SCORE
from datasets.messages import Message
from etl.settings import db_path


class Method(StrEnum):
    """Weighting methods of SCORING.md §2."""

    ahp = "ahp"
    entropy = "entropy"
    equal = "equal"
    manual = "manual"


class View(StrEnum):
    """Ranking views: the composite score (SCORING.md §3) or TOPSIS closeness (§2)."""

    composite = "composite"
    topsis = "topsis"


def parse_weights(text: str | None, method: str) -> Any:
    """``--weights``: ``A=0.3,B=0.3,C=0.2,D=0.2`` or a JSON object (manual), a JSON matrix (ahp).

    Examples
    --------
    >>> parse_weights("A=0.5, B=0.5", "manual")
    {'A': 0.5, 'B': 0.5}
    >>> parse_weights("[[1, 2], [0.5, 1]]", "ahp")
    [[1, 2], [0.5, 1]]
    """
    if text is None:
        return None
    text = text.strip()
    if text.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"--weights is not valid JSON: {exc} / --weights 不是有效的 JSON"
            raise ValueError(msg) from exc
    if method == "ahp":
        msg = "--weights for ahp is a JSON matrix, e.g. [[1,2],[0.5,1]] / 层次分析法的 --weights 应为 JSON 判断矩阵"
        raise ValueError(msg)
    out: dict[str, float] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError(part)
            out[key.strip()] = float(value)
        except ValueError as exc:
            msg = (
                f"--weights expects DIMENSION=WEIGHT pairs separated by commas, got {part!r} / "
                f"--weights 应为“维度=权重”，以逗号分隔"
            )
            raise ValueError(msg) from exc
    return out


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "cli"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _composite_table(
    console: Console, rows: list[dict[str, Any]], summary: dict[str, Any], limit: int
) -> None:
    ranked = [r for r in rows if r.get("ranked")]
    estimate = "shrunk" if summary.get("shrinkage") else "raw"
    table = Table(
        title=f"评价结果 / scores ({summary['year']}, {estimate} estimate, top {limit})",
        caption="rank 95% = rank interval; P(top 10) from the bootstrap replicates",
    )
    table.add_column("#", justify="right")
    table.add_column("standard 标准", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("95% CI", no_wrap=True)
    table.add_column("rank 95%", no_wrap=True)
    table.add_column("P(top 10)", justify="right")
    table.add_column("grade")
    table.add_column("sites", justify="right")
    table.add_column("resp.", justify="right")
    for row in ranked[:limit]:
        interval = (
            f"{_fmt(row['ci_low'])}–{_fmt(row['ci_high'])}" if row["ci_low"] is not None else "—"
        )
        ranks = f"{row['rank_low']}–{row['rank_high']}" if row["rank_low"] is not None else "—"
        table.add_row(
            str(row["rank"]),
            row["standard_code"],
            _fmt(row["value"]),
            interval,
            ranks,
            _fmt(row["p_top10"], 2),
            row["grade"] or "—",
            str(row["n_sites"]),
            str(row["n_responses"]),
        )
    console.print(table)
    apart: dict[str, int] = {}
    for row in rows:
        if not row.get("ranked"):
            reason = str(row.get("exclusion_reason"))
            apart[reason] = apart.get(reason, 0) + 1
    for reason, count in sorted(apart.items()):
        console.print(f"listed apart 未排名 ({reason}): {count}")


def _topsis_table(console: Console, rows: list[dict[str, Any]], year: Any, limit: int) -> None:
    ranked = [r for r in rows if r["topsis_rank"] is not None][:limit]
    table = Table(
        title=f"TOPSIS 贴近度 / closeness ({year}, top {limit})",
        caption="composite # ranks the same standards; shift = composite # − TOPSIS #",
    )
    table.add_column("#", justify="right")
    table.add_column("standard 标准", no_wrap=True)
    table.add_column("closeness", justify="right")
    table.add_column("score", justify="right")
    table.add_column("composite #", justify="right")
    table.add_column("shift", justify="right")
    for row in ranked:
        shift = row["rank_shift"]
        table.add_row(
            str(row["topsis_rank"]),
            row["standard_code"],
            _fmt(row["closeness"], 3),
            _fmt(row["composite"]),
            str(row["composite_rank"]),
            f"{shift:+d}" if shift else "",
        )
    console.print(table)
    partial = [r for r in rows if r["topsis_rank"] is None]
    if partial:
        console.print(f"not ranked by TOPSIS (partial) {len(partial)}:")
        for row in partial[:limit]:
            console.print(
                f"  {row['standard_code']}  score {_fmt(row['composite'])}  {row['reason']}"
            )


def _print_table(
    console: Console,
    done: dict[str, Any],
    limit: int,
    view: View = View.composite,
) -> None:
    summary = done["summary"]
    console.print(
        f"[bold]run[/bold] {summary['run_id']}  ·  fingerprint {summary['fingerprint'][:16]}…"
    )
    weights = ", ".join(f"{k} {v:.3f}" for k, v in summary["weights"].items())
    cr = f" · CR {summary['cr']:.3f}" if summary.get("cr") is not None else ""
    console.print(f"method {summary['method']} ({weights}){cr} · year {summary['year']}")
    console.print(
        f"standards in scope {summary['n_standards']} · scored {summary['n_scored']} · "
        f"insufficient evidence {summary['n_insufficient']} · ranked {summary['n_ranked']}"
    )
    if view is View.topsis:
        _topsis_table(console, done["topsis"], summary["year"], limit)
    else:
        _composite_table(console, done["ranking"], summary, limit)
    for rel in summary["reliability"]:
        alpha = rel["alpha"]
        flag = " [yellow]α < 0.7[/yellow]" if rel["warning"] else ""
        console.print(
            f"survey {rel['survey_year']}: Cronbach α {_fmt(alpha, 3)} (n {rel['n_respondents']}){flag}"
        )


SCORING = Work(
    Message("评分", "the scoring run"),
    Message("完成后结果会保存在数据仓库", "its run will be stored when it completes"),
)


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to ``app``."""

    @app.command("score")
    def score(
        db: DbOption = None,
        method: Annotated[
            Method, typer.Option(help="Weighting: ahp, entropy, equal or manual.")
        ] = Method.ahp,
        weights: Annotated[
            str | None,
            typer.Option(
                help="manual: A=0.3,B=0.3,C=0.2,D=0.2 (or JSON); ahp: a JSON pairwise matrix."
            ),
        ] = None,
        year: Annotated[
            int | None, typer.Option(help="Score one year only (default: every year and overall).")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print one JSON object instead of tables.")
        ] = False,
        seed: Annotated[
            int | None, typer.Option(help="Bootstrap seed (default from the config).")
        ] = None,
        replicates: Annotated[
            int | None,
            typer.Option(help="Bootstrap replicates (default 1000; 0 for no intervals)."),
        ] = None,
        config: Annotated[
            Path | None, typer.Option(help="Indicator config TOML (default: shipped).")
        ] = None,
        shrinkage: Annotated[
            bool,
            typer.Option(
                "--shrinkage/--no-shrinkage",
                help="Rank on the shrunk (hierarchical) estimate (default), or on the raw one.",
            ),
        ] = True,
        population_shares: Annotated[
            str | None,
            typer.Option(
                help="Post-stratify the survey by org type: enterprise=0.5,user=0.3,… (sum 1)."
            ),
        ] = None,
        by: Annotated[str, typer.Option(help="Who runs it (default: the login name).")] = "",
        limit: Annotated[int, typer.Option(help="Rows of the summary table.")] = 20,
        view: Annotated[
            View,
            typer.Option(
                help="Ranking view: composite score, or TOPSIS closeness beside the composite."
            ),
        ] = View.composite,
    ) -> None:
        """Score every standard, store the run, print its id and a summary.

        --view topsis ranks by TOPSIS closeness (same dimension values and
        weights) beside the composite rank; with --json the rows are added
        as "topsis". The stored run is the same in either view.
        """
        path = db_path(db)
        require_warehouse(path)
        try:
            params = {
                "year": year,
                "method": method.value,
                "weights": parse_weights(weights, method.value),
                "config": str(config.resolve()) if config else None,
                "seed": seed,
                "replicates": replicates,
                "shrinkage": shrinkage,
                "population_shares": parse_weights(population_shares, "manual"),
                "by": by or _login(),
            }
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        done = run_queued(
            SCORE, params, path=path, work=SCORING, uploader=f"cli:{params['by']}", quiet=as_json
        )
        end_if_refused(done, Message("评分被拒绝", "scoring refused"), code=2)
        summary = done["summary"]
        if as_json:
            if view is View.topsis:
                summary["topsis"] = done["topsis"]
            typer.echo(json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str))
            return
        _print_table(Console(), done, limit, view)
