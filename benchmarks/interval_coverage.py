"""Interval honesty across evidence regimes: do 95 % intervals cover the true composite?

A benchmark script, not a test (issues 4 and 11). Each trial draws fresh
parameters for a set of standards whose true indicator values are known,
simulates a year of feedback and survey answers, scores them with the
shipped method (AHP weights, 1,000 replicates, the hierarchical model of
SCORING.md §3) and counts the intervals that contain the true composite,
per regime: 1, 2, 3–4, 5–9 and 10–15 pilot sites × few (6–29) or many
(100–300) survey responses. The interval of the ranking estimate (shrunk)
and of the raw estimate are both reported.

Simulation (true values known in closed form):

- every pilot site and respondent has an effect δ ~ N(0, 0.8·s) shared by
  all its answers (answers within a unit are correlated as in real data)
  and each answer a noise N(0, 0.6·s), s ~ U(0.5, 0.8) per standard: the
  spread between sites of sd 0.5–0.8 on the 1–5 scale;
- a Likert answer is 1 + 4μ + δ + ε clipped to [1, 5] and rounded
  stochastically to a whole point (up with probability of the fraction),
  so its expected value is E[clip(Y, 1, 5)] for Y ~ N(1 + 4μ, s²), a closed
  form of the normal CDF; the true value of the measure is (that − 1)/4;
- coverage_pct is uniform on [μ·100 − 20, μ·100 + 20] (clipped to 0–100),
  status is completed with probability p, incidents_before ~ Poisson(20)
  and incidents_after ~ Binomial(before, 1 − r), so the true incident
  reduction is r;
- aware ~ Bernoulli(a); an aware respondent adopts fully with probability
  f, partially with probability h, else none or planned (the unaware do not
  adopt), so the true adoption value is a·(f + h/2);
- the age score is deterministic (publication date drawn per trial);
- the true composite applies the config's rules (two-source means,
  dimension means, AHP weights) to those true values.

Usage::

    .venv/bin/python benchmarks/interval_coverage.py --trials 100
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.warehouse import migrate  # noqa: E402
from metrics.composite import composite_score, dimension_values  # noqa: E402
from metrics.config import default_config  # noqa: E402
from metrics.request import ScoreRequest  # noqa: E402
from metrics.scope import Scope  # noqa: E402
from metrics.scores import compute_scores  # noqa: E402

YEAR = 2024
LIKERT_FB = ("applicability", "operability", "clarity", "benefit", "satisfaction")
LIKERT_SV = ("q_useful", "q_usable", "q_current", "q_consistent", "q_testable", "q_satisfied")
#: (label, lowest, highest) pilot sites and survey responses of the regimes.
SITE_REGIMES = (("1", 1, 1), ("2", 2, 2), ("3–4", 3, 4), ("5–9", 5, 9), ("10–15", 10, 15))
RESPONSE_REGIMES = (("6–29", 6, 29), ("100–300", 100, 300))
UNIT_SHARE, ANSWER_SHARE = (
    0.8,
    0.6,
)  # of the spread s: unit effect and answer noise (0.64 + 0.36 = 1)


def make_standards(rng: np.random.Generator, per_regime: int) -> pl.DataFrame:
    """True parameters of ``per_regime`` standards in each regime, drawn afresh."""
    regimes = [(s, r) for s in SITE_REGIMES for r in RESPONSE_REGIMES] * per_regime
    n = len(regimes)
    base = rng.uniform(0.3, 0.8, n)
    frame = {
        "code": [f"SIM {k:03d}-2020" for k in range(n)],
        "published": [date(2014 + int(rng.integers(0, 10)), 6, 1) for _ in range(n)],
        "sites": [s[0] for s, _ in regimes],
        "responses": [r[0] for _, r in regimes],
        "n_sites": [int(rng.integers(s[1], s[2] + 1)) for s, _ in regimes],
        "n_resp": [int(rng.integers(r[1], r[2] + 1)) for _, r in regimes],
        "spread": rng.uniform(0.5, 0.8, n),
        "complete_p": np.clip(base + rng.normal(0, 0.1, n), 0.05, 0.95),
        "reduction": np.clip(base * 0.6 + rng.normal(0, 0.05, n), 0.05, 0.9),
        "aware_p": np.clip(base + 0.1 + rng.normal(0, 0.05, n), 0.1, 0.98),
        "full_p": np.clip(base * 0.6, 0.05, 0.7),
        "partial_p": np.full(n, 0.25),
    }
    for q in (*LIKERT_FB, *LIKERT_SV, "coverage"):
        frame[f"mu_{q}"] = np.clip(base + rng.normal(0, 0.08, n), 0.1, 0.9)
    return pl.DataFrame(frame)


def _likert(rng: np.random.Generator, mu: float, spread: float, effect: np.ndarray) -> np.ndarray:
    """Answers 1–5 of units with ``effect``: clipped normal, rounded stochastically."""
    y = np.clip(1 + 4 * mu + effect + rng.normal(0, ANSWER_SHARE * spread, len(effect)), 1, 5)
    low = np.floor(y)
    return (low + (rng.random(len(y)) < y - low)).astype(int)


def _expected_likert(mu: float, spread: float) -> float:
    """E[(clip(Y, 1, 5) − 1)/4] for Y ~ N(1 + 4μ, spread²), in closed form."""
    m, s = 1 + 4 * mu, spread
    a, b = (1 - m) / s, (5 - m) / s

    def cdf(x: float) -> float:
        return 0.5 * (1 + math.erf(x / math.sqrt(2)))

    def pdf(x: float) -> float:
        return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)

    mean = 1 * cdf(a) + m * (cdf(b) - cdf(a)) + s * (pdf(a) - pdf(b)) + 5 * (1 - cdf(b))
    return (mean - 1) / 4


def simulate(
    rng: np.random.Generator, standards: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One year of feedback (one report per site) and survey rows."""
    fb_rows: list[dict[str, object]] = []
    sv_rows: list[dict[str, object]] = []
    for s in standards.iter_rows(named=True):
        n, spread = int(s["n_sites"]), float(s["spread"])
        effect = rng.normal(0, UNIT_SHARE * spread, n)
        before = rng.poisson(20, n)
        cover = np.clip(
            rng.uniform(s["mu_coverage"] * 100 - 20, s["mu_coverage"] * 100 + 20, n), 0, 100
        )
        answers = {q: _likert(rng, s[f"mu_{q}"], spread, effect) for q in LIKERT_FB}
        for i in range(n):
            fb_rows.append(
                {
                    "site_id": f"S{i:03d}", "standard_code": s["code"], "period": f"{YEAR}-Q4",
                    "status": "completed" if rng.random() < s["complete_p"] else "in_progress",
                    "coverage_pct": float(np.round(cover[i], 1)),
                    **{q: int(answers[q][i]) for q in LIKERT_FB},
                    "incidents_before": int(before[i]),
                    "incidents_after": int(rng.binomial(before[i], 1 - s["reduction"])),
                }
            )  # fmt: skip
        m = int(s["n_resp"])
        effect = rng.normal(0, UNIT_SHARE * spread, m)
        answers = {q: _likert(rng, s[f"mu_{q}"], spread, effect) for q in LIKERT_SV}
        aware = rng.random(m) < s["aware_p"]
        u = rng.random(m)
        adoption = np.where(
            ~aware, "none",
            np.where(u < s["full_p"], "full", np.where(u < s["full_p"] + s["partial_p"], "partial", "planned")),
        )  # fmt: skip
        for i in range(m):
            sv_rows.append(
                {
                    "response_id": f"{s['code']}-R{i:04d}", "survey_year": YEAR, "region_code": "11",
                    "org_type": "enterprise", "standard_code": s["code"], "aware": bool(aware[i]),
                    "adoption": str(adoption[i]), **{q: int(answers[q][i]) for q in LIKERT_SV},
                }
            )  # fmt: skip
    return pl.DataFrame(fb_rows), pl.DataFrame(sv_rows)


def true_composites(standards: pl.DataFrame) -> dict[str, float]:
    """The composite each standard would get from its true measure values."""
    cfg = default_config()
    reference = date(YEAR, 12, 31)
    out: dict[str, float] = {}
    for s in standards.iter_rows(named=True):
        spread = float(s["spread"])
        measures = {f"feedback.{q}": _expected_likert(s[f"mu_{q}"], spread) for q in LIKERT_FB}
        measures |= {f"survey.{q}": _expected_likert(s[f"mu_{q}"], spread) for q in LIKERT_SV}
        grid = np.linspace(s["mu_coverage"] * 100 - 20, s["mu_coverage"] * 100 + 20, 100001)
        age = (reference - s["published"]).days / 365.25
        measures |= {
            "feedback.coverage": float(np.mean(np.clip(grid, 0, 100))) / 100,
            "feedback.completed": s["complete_p"],
            "feedback.incident_reduction": s["reduction"],
            "survey.aware": s["aware_p"],
            "survey.adoption": s["aware_p"] * (s["full_p"] + s["partial_p"] / 2),
            "standard.age": min(1.0, max(0.0, (10 - age) / 5)),
        }
        indicators = np.array(
            [[np.mean([measures[m] for m in ind.measures]) for ind in cfg.indicators]]
        )
        dims = dimension_values(indicators, cfg)
        out[s["code"]] = float(composite_score(dims, cfg.ahp.weights)[0])
    return out


def _load(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.execute(f"delete from {table}")
    con.register("_rows", frame.to_arrow())
    con.execute(f"insert into {table} ({', '.join(frame.columns)}) select * from _rows")
    con.unregister("_rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--per-regime", type=int, default=3, help="standards per regime per trial")
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240915)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    con = duckdb.connect()
    migrate(con)
    hits: dict[tuple[str, str, str], list[bool]] = {}
    widths: dict[tuple[str, str, str], list[float]] = {}
    ranked: dict[tuple[str, str], bool] = {}
    started = time.perf_counter()
    for trial in range(args.trials):
        standards = make_standards(rng, args.per_regime)
        truth = true_composites(standards)
        con.execute("delete from feedback")
        con.execute("delete from survey")
        con.execute("delete from standard")
        con.executemany(
            "insert into standard (code, category, published, code_year) values (?, 'GB/T', ?, 2020)",
            standards.select("code", "published").rows(),
        )
        feedback, survey = simulate(rng, standards)
        _load(con, "feedback", feedback)
        _load(con, "survey", survey)
        request = ScoreRequest(
            scope=Scope(year=YEAR), replicates=args.replicates, seed=args.seed + trial
        )
        outcome = compute_scores(con, request)
        results = outcome.results.filter(pl.col("year") == str(YEAR))
        regime = dict(
            zip(standards["code"], zip(standards["sites"], standards["responses"], strict=True), strict=True)
        )  # fmt: skip
        flags = outcome.ranks.filter(pl.col("year") == str(YEAR))
        for code, is_ranked in flags.select("standard_code", "ranked").rows():
            ranked[regime[code]] = ranked.get(regime[code], False) or is_ranked
        for item, label in (("score", "shrunk"), ("score_raw", "raw")):
            for row in results.filter(pl.col("item") == item).iter_rows(named=True):
                key = (*regime[row["standard_code"]], label)
                inside = row["ci_low"] <= truth[row["standard_code"]] <= row["ci_high"]
                hits.setdefault(key, []).append(inside)
                widths.setdefault(key, []).append(row["ci_high"] - row["ci_low"])
        if (trial + 1) % 10 == 0:
            done = [h for k, v in hits.items() if k[2] == "shrunk" for h in v]
            print(f"  {trial + 1} trials: coverage so far {np.mean(done):.3f}", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"trials {args.trials} × {len(SITE_REGIMES) * len(RESPONSE_REGIMES) * args.per_regime}"
        f" standards, {args.replicates} replicates, {seconds:.0f} s"
    )
    print("\n| pilot sites | responses | ranked | coverage (ranking estimate, shrunk) |"
          " coverage (raw) | median width shrunk / raw | intervals |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    verdict = True
    for sites, _, _ in SITE_REGIMES:
        for responses, _, _ in RESPONSE_REGIMES:
            shrunk, raw = hits[(sites, responses, "shrunk")], hits[(sites, responses, "raw")]
            c = float(np.mean(shrunk))
            se = math.sqrt(c * (1 - c) / len(shrunk))
            is_ranked = ranked.get((sites, responses), False)
            five_plus = sites in ("5–9", "10–15")
            if is_ranked and (c < 0.90 or (five_plus and not 0.93 <= c <= 0.97)):
                verdict = False
            print(
                f"| {sites} | {responses} | {'yes' if is_ranked else 'no (insufficient)'} |"
                f" {c:.3f} ± {1.96 * se:.3f} | {np.mean(raw):.3f} |"
                f" {np.median(widths[(sites, responses, 'shrunk')]):.1f} /"
                f" {np.median(widths[(sites, responses, 'raw')]):.1f} | {len(shrunk)} |"
            )
    print("\ntarget ≥ 0.90 in every ranked regime, 0.93–0.97 at 5+ sites:",
          "met" if verdict else "NOT met")  # fmt: skip


if __name__ == "__main__":
    main()
