"""Top-10 accuracy by site band on demo seeds: shrunk ranking against the raw one.

A benchmark script, not a test (issue 11). For each seed a scale-1 demo
warehouse is built (cached under var/bench/), scored twice (AHP, 1,000
replicates: ranking on the shrunk estimate, the default, and with
``shrinkage=False``), and the top 10 of the overall ranking compared with
the true top 10 of the same ranked standards by the quality the generator
planted (``demo_truth`` ``standard_quality``, ``overall``). Per site band:
the share of ranked standards, the share of top-10 places, and the share of
those places that are truly top 10.

Usage::

    .venv/bin/python benchmarks/top10_by_band.py --seeds 9
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.demo import build_demo  # noqa: E402
from metrics.ranking import ranked_standards, top10_accuracy_by_band  # noqa: E402
from metrics.request import ScoreRequest  # noqa: E402
from metrics.runs import run_scoring  # noqa: E402
from metrics.scope import Scope  # noqa: E402

SEEDS = (2016, 7, 11, 23, 42, 101, 314, 2024, 9001)


def one_seed(seed: int, folder: Path, replicates: int) -> pl.DataFrame:
    """Bands of one seed, for the shrunk and the raw ranking."""
    path = folder / f"demo-seed{seed}.duckdb"
    if not path.exists():
        build_demo(path, scale=1.0, seed=seed)
    con = duckdb.connect(str(path))
    try:
        truth = con.sql(
            "select key as standard_code, value as truth from demo_truth"
            " where kind = 'standard_quality' and dimension = 'overall'"
        ).pl()
        frames = []
        for shrinkage in (True, False):
            request = ScoreRequest(
                scope=Scope.everything(), replicates=replicates, shrinkage=shrinkage
            )
            run_id = run_scoring(con, request, created_by="bench")
            ranked = ranked_standards(con, run_id=run_id, year="overall", scope=Scope.everything())
            frames.append(
                top10_accuracy_by_band(ranked, truth).with_columns(
                    pl.lit("shrunk" if shrinkage else "raw").alias("estimate"),
                    pl.lit(seed).alias("seed"),
                )
            )
        return pl.concat(frames)
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=9, help=f"how many of {SEEDS}")
    parser.add_argument("--replicates", type=int, default=1000)
    args = parser.parse_args()
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    bands = pl.concat([one_seed(s, folder, args.replicates) for s in SEEDS[: args.seeds]])
    order = {label: k for k, label in enumerate(["1", "2", "3–4", "5–9", "10+"])}
    table = (
        bands.group_by("estimate", "band")
        .agg(pl.col("n_ranked").sum(), pl.col("n_top").sum(), pl.col("n_true_top").sum())
        .with_columns(
            (pl.col("n_ranked") / pl.col("n_ranked").sum().over("estimate")).alias("share_ranked"),
            (pl.col("n_top") / pl.col("n_top").sum().over("estimate")).alias("share_top"),
            pl.when(pl.col("n_top") > 0)
            .then(pl.col("n_true_top") / pl.col("n_top"))
            .alias("accuracy"),
            pl.col("band").replace_strict(order, return_dtype=pl.Int64).alias("_o"),
        )
        .sort("estimate", "_o", descending=[True, False])
    )
    print(f"{args.seeds} seeds, scale 1, {args.replicates} replicates, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    print("\n| ranking on | pilot sites | share of ranked | share of top-10 places |"
          " truly top 10 | places |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for row in table.iter_rows(named=True):
        accuracy = "—" if row["accuracy"] is None else f"{row['accuracy']:.2f}"
        print(f"| {row['estimate']} | {row['band']} | {row['share_ranked']:.3f} |"
              f" {row['share_top']:.3f} | {accuracy} | {row['n_top']} |")  # fmt: skip


if __name__ == "__main__":
    main()
