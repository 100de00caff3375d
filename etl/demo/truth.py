"""The ``demo_truth`` table: what the generator planted, for tests of the scoring.

Kinds (``key`` / ``dimension`` / ``value``):

- ``meta``: seed, scale and the model constants (no timestamp: the same seed
  must give the same warehouse, byte for byte).
- ``standard_quality``: code / A, B, C, D, overall / 0–1 (the expected
  normalised Likert value (x − 1) / 4 before effects; see ``etl.demo.world``).
- ``sparse_standard``: code / '' / sites given (fewer than 5 sites and fewer
  than 30 survey responses in total: "insufficient evidence").
- ``region_effect``: province code / likert, awareness / shift.
- ``org_type_effect``: org type / likert, awareness, adoption / shift.
- ``late_project``: project_id / '' / days (> 730, §9).
- ``funding_overspend``: committed record_id / '' / disbursed ÷ committed.
- ``award_merit``: nomination_id / '' / latent merit 0–1.
- ``award_conflict``: nomination_id|judge_id / '' / points added to the scores.
"""

from __future__ import annotations

import polars as pl

from etl.demo import feedback, survey
from etl.demo.world import DIMENSIONS, HORIZON, World

SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "key": pl.String(),
    "dimension": pl.String(),
    "value": pl.Float64(),
    "note": pl.String(),
}


def _meta(world: World) -> pl.DataFrame:
    rows = [
        ("seed", float(world.seed), "random seed"),
        ("scale", float(world.scale), "row counts relative to the default demo"),
        ("quality_scale", 1.0, "qualities are on the 0–1 scale of (Likert − 1) / 4"),
        ("horizon_year", float(HORIZON.year), f"the demo's today is {HORIZON}"),
        ("feedback_row_sd", feedback.ROW_SD, "per-answer noise, 0–1 scale"),
        ("feedback_pair_sd", feedback.PAIR_SD, "site × standard noise, 0–1 scale"),
        ("survey_item_sd", survey.ITEM_SD, "per-answer noise, 0–1 scale"),
        ("survey_row_sd", survey.ROW_SD, "respondent × standard noise, 0–1 scale"),
        ("survey_respondent_sd", survey.RESPONDENT_SD, "respondent leniency, 0–1 scale"),
        ("adoption_diffusion_years", survey.DIFFUSION_YEARS,
         "awareness and adoption rise with 1 − exp(−years since publication / this)"),
    ]  # fmt: skip
    return pl.DataFrame(
        {
            "kind": "meta",
            "key": [r[0] for r in rows],
            "dimension": "",
            "value": [r[1] for r in rows],
            "note": [r[2] for r in rows],
        },
        schema=SCHEMA,
    )


def _qualities(world: World, sites: pl.DataFrame) -> pl.DataFrame:
    std = world.standards.filter(pl.col("first_q") <= pl.col("last_q"))
    long = std.select(
        "code", *(pl.col(f"q{d}").alias(d) for d in DIMENSIONS), "overall", "sparse"
    ).unpivot(index=["code", "sparse"], variable_name="dimension", value_name="value")
    quality = long.select(
        kind=pl.lit("standard_quality"),
        key="code",
        dimension="dimension",
        value=pl.col("value").round(4),
        note=pl.when("sparse").then(pl.lit("planted sparse")).otherwise(pl.lit("")),
    )
    sparse = (
        std.filter("sparse")
        .join(sites, left_on="code", right_on="standard_code", how="left")
        .select(
            kind=pl.lit("sparse_standard"),
            key="code",
            dimension=pl.lit(""),
            value=pl.col("n_sites").fill_null(0).cast(pl.Float64),
            note=pl.lit("planted: fewer than 5 sites and fewer than 30 survey responses"),
        )
    )
    return pl.concat([quality, sparse]).cast(SCHEMA)  # type: ignore[arg-type]


def _effects(world: World) -> pl.DataFrame:
    region = world.regions.unpivot(
        index="code", on=["likert", "awareness"], variable_name="dimension"
    ).select(kind=pl.lit("region_effect"), key="code", dimension="dimension", value="value",
             note=pl.lit("shift: likert on the 0–1 scale, awareness on the logit"))  # fmt: skip
    org = world.org_types.unpivot(
        index="id", on=["likert", "awareness", "adoption"], variable_name="dimension"
    ).select(kind=pl.lit("org_type_effect"), key="id", dimension="dimension", value="value",
             note=pl.lit("shift: likert on the 0–1 scale, awareness logit, adoption latent"))  # fmt: skip
    return pl.concat([region, org]).cast(SCHEMA)  # type: ignore[arg-type]


def build_truth(world: World, pairs: pl.DataFrame, *extra: pl.DataFrame) -> pl.DataFrame:
    """Return every ``demo_truth`` row, sorted by kind, key and dimension."""
    sites = pairs.group_by("standard_code").agg(n_sites=pl.col("site_id").n_unique())
    parts = [_meta(world), _qualities(world, sites), _effects(world)]
    parts += [e.cast(SCHEMA) for e in extra]  # type: ignore[arg-type]
    return pl.concat(parts).sort("kind", "key", "dimension")
