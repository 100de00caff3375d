"""Interval honesty: do the 95 % bootstrap intervals cover known true scores 93–97 % of the time?

A benchmark script, not a test (issue 4). Each trial simulates a fresh year
of feedback and survey answers for a set of standards whose true indicator
values are known exactly, scores them with the shipped method (AHP weights,
1,000 replicates), and counts the intervals that contain the true composite.

Simulation (all means known analytically):

- each pilot site and each respondent is of one of two latent types
  (lenient or strict, 50/50), which shifts all of its answers together, so
  answers within a unit are correlated as in real data;
- a Likert answer is 1 + Binomial(4, μ): its (x − 1)/4 has mean μ; the
  true value of a measure is the mean of μ over the two types;
- coverage_pct is uniform on [μ·100 − 20, μ·100 + 20] (clipped to 0–100,
  kept away from the bounds), status is completed with probability p,
  incidents_before ~ Poisson(20) and incidents_after ~ Binomial(before, 1 − r),
  so the true incident reduction is r;
- aware ~ Bernoulli(a); an aware respondent adopts fully with probability
  f, partially with probability h, else none or planned (the unaware do not
  adopt), so the true adoption value is a·(f + h/2);
- the age score is deterministic (publication date fixed);
- the true composite applies the config's rules (two-source means,
  dimension means, AHP weights) to those true values.

Usage::

    .venv/bin/python benchmarks/interval_coverage.py --trials 200
"""

from __future__ import annotations

import argparse
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
from metrics.scope import Scope  # noqa: E402
from metrics.scores import compute_scores  # noqa: E402

YEAR = 2024
LIKERT_FB = ("applicability", "operability", "clarity", "benefit", "satisfaction")
LIKERT_SV = ("q_useful", "q_usable", "q_current", "q_consistent", "q_testable", "q_satisfied")
TYPE_SHIFT = 0.12  # ± shift of every Likert mean for the two latent types


def make_standards(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """True parameters of n standards, and the sizes of their samples."""
    base = rng.uniform(0.3, 0.8, n)
    frame = {
        "code": [f"SIM {k:03d}-2020" for k in range(n)],
        "published": [date(2016 + k % 8, 6, 1) for k in range(n)],
        "n_sites": rng.integers(5, 16, n),
        "n_resp": rng.integers(30, 121, n),
        "complete_p": np.clip(base + rng.normal(0, 0.1, n), 0.05, 0.95),
        "reduction": np.clip(base * 0.6 + rng.normal(0, 0.05, n), 0.05, 0.9),
        "aware_p": np.clip(base + 0.1 + rng.normal(0, 0.05, n), 0.1, 0.98),
        "full_p": np.clip(base * 0.6, 0.05, 0.7),
        "partial_p": np.full(n, 0.25),
    }
    for q in (*LIKERT_FB, *LIKERT_SV, "coverage"):
        frame[f"mu_{q}"] = np.clip(base + rng.normal(0, 0.08, n), 0.2, 0.8)
    return pl.DataFrame(frame)


def _likert(rng: np.random.Generator, mu: float, kind: np.ndarray) -> np.ndarray:
    p = np.clip(mu + np.where(kind == 1, TYPE_SHIFT, -TYPE_SHIFT), 0.0, 1.0)
    return 1 + rng.binomial(4, p)


def simulate(
    rng: np.random.Generator, standards: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One year of feedback (one report per site) and survey rows."""
    fb_rows: list[dict[str, object]] = []
    sv_rows: list[dict[str, object]] = []
    for s in standards.iter_rows(named=True):
        n = int(s["n_sites"])
        kind = rng.integers(0, 2, n)
        before = rng.poisson(20, n)
        cover = np.clip(
            rng.uniform(s["mu_coverage"] * 100 - 20, s["mu_coverage"] * 100 + 20, n), 0, 100
        )
        answers = {q: _likert(rng, s[f"mu_{q}"], kind) for q in LIKERT_FB}
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
        kind = rng.integers(0, 2, m)
        answers = {q: _likert(rng, s[f"mu_{q}"], kind) for q in LIKERT_SV}
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
        # A type shift that hits a bound would move the mean; μ ∈ [0.2, 0.8] keeps it exact.
        measures = {f"feedback.{q}": s[f"mu_{q}"] for q in LIKERT_FB}
        measures |= {f"survey.{q}": s[f"mu_{q}"] for q in LIKERT_SV}
        coverage_mean = (
            float(
                np.mean(
                    np.clip(
                        np.linspace(
                            s["mu_coverage"] * 100 - 20, s["mu_coverage"] * 100 + 20, 100001
                        ),
                        0,
                        100,
                    )
                )
            )
            / 100
        )
        age = (reference - s["published"]).days / 365.25
        measures |= {
            "feedback.coverage": coverage_mean,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--standards", type=int, default=20, help="standards per trial")
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240915)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    standards = make_standards(rng, args.standards)
    truth = true_composites(standards)
    con = duckdb.connect()
    migrate(con)
    con.executemany(
        "insert into standard (code, category, published, code_year) values (?, 'GB/T', ?, 2020)",
        [(c, p) for c, p in standards.select("code", "published").rows()],
    )
    scope = Scope(year=YEAR, standard_codes=tuple(standards["code"]))
    covered: list[bool] = []
    widths: list[float] = []
    by_size: dict[str, list[bool]] = {}
    started = time.perf_counter()
    for trial in range(args.trials):
        feedback, survey = simulate(rng, standards)
        con.execute("delete from feedback")
        con.execute("delete from survey")
        con.register("_fb", feedback.to_arrow())
        con.execute(f"insert into feedback ({', '.join(feedback.columns)}) select * from _fb")
        con.unregister("_fb")
        con.register("_sv", survey.to_arrow())
        con.execute(f"insert into survey ({', '.join(survey.columns)}) select * from _sv")
        con.unregister("_sv")
        results = compute_scores(
            con, scope=scope, replicates=args.replicates, seed=args.seed + trial
        ).results.filter((pl.col("item") == "score") & (pl.col("year") == str(YEAR)))
        for row in results.iter_rows(named=True):
            hit = row["ci_low"] <= truth[row["standard_code"]] <= row["ci_high"]
            covered.append(hit)
            widths.append(row["ci_high"] - row["ci_low"])
            band = "5–9 sites" if row["n_sites"] < 10 else "10–15 sites"
            by_size.setdefault(band, []).append(hit)
        if (trial + 1) % 50 == 0:
            print(f"  {trial + 1} trials: coverage so far {np.mean(covered):.3f}", flush=True)
    coverage = float(np.mean(covered))
    se = float(np.sqrt(coverage * (1 - coverage) / len(covered)))
    print(f"trials {args.trials} × {args.standards} standards = {len(covered)} intervals, "
          f"{args.replicates} replicates, {time.perf_counter() - started:.0f} s")  # fmt: skip
    print(f"95 % interval coverage of the true composite: {coverage:.3f} (± {1.96 * se:.3f})")
    for band, hits in sorted(by_size.items()):
        print(f"  {band}: {np.mean(hits):.3f} over {len(hits)}")
    print(f"median interval width: {np.median(widths):.1f} points (0–100 scale)")
    print("target 0.93–0.97:", "met" if 0.93 <= coverage <= 0.97 else "NOT met")


if __name__ == "__main__":
    main()
