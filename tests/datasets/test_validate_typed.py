"""validate_typed: keeps good rows, rejects bad rows whole, the last valid duplicate wins, fast."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest

from datasets.problems import ERROR_COLUMNS
from datasets.rules import column_rules
from datasets.sources import get_source
from datasets.validation import ValidationContext, validate_typed
from tests.datasets.conftest import CODE, GOOD_ROWS, good_frame, typed_frame

FEEDBACK = get_source("feedback")


def test_thousand_rows_keep_good_ones_and_reject_only_the_bad(context: ValidationContext) -> None:
    frame = good_frame("feedback", 1000)
    bad = {17: ("clarity", 9), 250: ("coverage_pct", -5.0), 999: ("site_id", "S404")}
    for index, (column, value) in bad.items():
        frame = frame.with_columns(
            pl.when(pl.int_range(pl.len()) == index)
            .then(pl.lit(value))
            .otherwise(pl.col(column))
            .cast(frame.schema[column])
            .alias(column)
        )
    result = validate_typed(FEEDBACK, frame, context=context)
    assert result.accepted.height == 997
    assert result.rejected_rows == [19, 252, 1001]
    assert result.errors["rule"].to_list() == ["likert_range", "percent_range", "unknown_site"]
    assert result.errors["value"].to_list() == ["9", "-5.0", "S404"]
    assert result.errors.schema == pl.Schema(ERROR_COLUMNS)
    assert result.warnings.height == 0


def test_a_row_with_two_errors_is_rejected_once_with_both_reported(
    context: ValidationContext,
) -> None:
    frame = good_frame("feedback", 2, clarity=0, benefit=7)
    result = validate_typed(FEEDBACK, frame, context=context)
    assert result.errors.select("row", "column").rows() == [(3, "clarity"), (3, "benefit")]
    assert result.accepted["_row"].to_list() == [2]


def test_rows_are_numbered_from_two_when_no_row_column_is_given(context: ValidationContext) -> None:
    frame = good_frame("feedback", 3, applicability=9)
    assert "_row" not in frame.columns
    result = validate_typed(FEEDBACK, frame, context=context)
    assert result.errors["row"].to_list() == [4]
    assert result.accepted["_row"].dtype == pl.Int64


def test_given_row_numbers_are_kept(context: ValidationContext) -> None:
    frame = good_frame("feedback", 2, applicability=9).with_columns(
        pl.Series("_row", [10, 12], dtype=pl.Int64)
    )
    result = validate_typed(FEEDBACK, frame, context=context)
    assert result.errors["row"].to_list() == [12]
    assert result.accepted["_row"].to_list() == [10]


def test_repeated_key_in_a_file_keeps_the_last_row_and_warns_about_earlier_ones(
    context: ValidationContext,
) -> None:
    rows = [dict(GOOD_ROWS["feedback"], applicability=a) for a in (1, 2, 3)]
    rows.insert(1, dict(GOOD_ROWS["feedback"], period="2024-Q3"))
    result = validate_typed(FEEDBACK, typed_frame("feedback", rows), context=context)
    assert sorted(result.accepted["_row"].to_list()) == [3, 5]
    assert result.accepted.filter(pl.col("_row") == 5)["applicability"].item() == 3
    dup = result.warnings.filter(pl.col("rule") == "duplicate_in_file")
    assert dup["row"].to_list() == [2, 4]
    assert all("5" in m for m in dup["message_zh"].to_list())
    assert all("row 5" in m for m in dup["message_en"].to_list())
    assert dup["value"][0] == f"S1 / {CODE} / 2024-Q2"
    assert result.errors.height == 0


def test_a_rejected_last_duplicate_keeps_the_earlier_valid_row_and_says_so(
    context: ValidationContext,
) -> None:
    rows = [dict(GOOD_ROWS["feedback"]), dict(GOOD_ROWS["feedback"], clarity=8)]
    result = validate_typed(FEEDBACK, typed_frame("feedback", rows), context=context)
    assert result.accepted.select("_row", "clarity").rows() == [(2, 3)]
    assert result.errors.select("row", "rule").rows() == [(3, "likert_range")]
    assert result.warnings.filter(pl.col("rule") == "duplicate_in_file").height == 0
    (zh,), (en,) = result.errors["message_zh"], result.errors["message_en"]
    assert "第 2 行" in zh and "请改正此行后重新上传" in zh
    assert "row 2 of this file" in en and "loaded instead" in en


def test_valid_duplicates_around_a_rejected_one_keep_the_last_valid_row(
    context: ValidationContext,
) -> None:
    rows = [dict(GOOD_ROWS["feedback"], clarity=c) for c in (1, 9, 4, 0)]
    result = validate_typed(FEEDBACK, typed_frame("feedback", rows), context=context)
    assert result.accepted.select("_row", "clarity").rows() == [(4, 4)]
    assert result.errors.select("row", "rule").rows() == [(3, "likert_range"), (5, "likert_range")]
    dup = result.warnings.filter(pl.col("rule") == "duplicate_in_file")
    assert dup.select("row").to_series().to_list() == [2]  # only the valid row 2 was replaced
    notes = dict(zip(result.errors["row"], result.errors["message_en"], strict=True))
    assert "the later row 4" in notes[3] and "row 4 of this file" in notes[5]
    assert "upload it again" in notes[5] and "upload it again" not in notes[3].split("(")[-1]


def test_a_rejected_row_without_a_valid_twin_gets_the_plain_message(
    context: ValidationContext,
) -> None:
    rows = [dict(GOOD_ROWS["feedback"], clarity=9), dict(GOOD_ROWS["feedback"], clarity=8)]
    result = validate_typed(FEEDBACK, typed_frame("feedback", rows), context=context)
    assert result.accepted.height == 0
    assert result.warnings.height == 0
    (rule,) = [r for r in column_rules(FEEDBACK) if r.key == "clarity:likert_range"]
    assert result.errors["message_en"].to_list() == [rule.message_en] * 2
    assert result.errors["message_zh"].to_list() == [rule.message_zh] * 2


def test_untyped_frame_is_refused_with_what_is_wrong(context: ValidationContext) -> None:
    frame = good_frame("feedback", 1).with_columns(pl.col("clarity").cast(pl.Utf8))
    with pytest.raises(TypeError, match="clarity"):
        validate_typed(FEEDBACK, frame, context=context)
    with pytest.raises(TypeError, match="missing columns \\['suggestions'\\]"):
        validate_typed(FEEDBACK, good_frame("feedback", 1).drop("suggestions"), context=context)


def test_empty_frame_gives_empty_results(context: ValidationContext) -> None:
    result = validate_typed(FEEDBACK, typed_frame("feedback", []), context=context)
    assert result.accepted.height == result.errors.height == result.warnings.height == 0
    assert result.warnings.schema == pl.Schema(ERROR_COLUMNS)


@pytest.mark.slow
def test_a_million_feedback_rows_validate_in_seconds() -> None:
    n = 1_000_000
    rng = np.random.default_rng(7)
    sites = [f"S{i}" for i in range(1500)]
    codes = [CODE, "GB/T 35273-2020"]
    i = pl.col("i")
    quarter = i // 3000
    # Distinct keys: 1,500 sites x 2 standards x 334 quarters.
    frame = pl.DataFrame({"i": np.arange(n)}).select(
        pl.lit(pl.Series(sites)).gather(i % 1500).alias("site_id"),
        pl.lit(pl.Series(codes)).gather((i // 1500) % 2).alias("standard_code"),
        pl.format("{}-Q{}", 2016 + quarter // 4, 1 + quarter % 4).alias("period"),
        # 6 is out of range: about one row in six is rejected.
        pl.lit(pl.Series(rng.integers(1, 7, n))).alias("applicability"),
    )
    full = frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(d).alias(c)
            for c, d in FEEDBACK.polars_schema().items()
        ]
    )
    context = ValidationContext(standard_codes=frozenset(codes), site_ids=frozenset(sites))
    start = time.perf_counter()
    result = validate_typed(FEEDBACK, full, context=context)
    elapsed = time.perf_counter() - start
    assert result.warnings.height == 0
    assert result.accepted.height + result.errors["row"].n_unique() == n
    assert set(result.errors["rule"].unique()) == {"likert_range"}
    assert elapsed < 15, f"took {elapsed:.1f} s"


def test_every_source_builds_its_pandera_schema_with_its_rules_as_checks() -> None:
    from datasets.pandera_schema import build_schema
    from datasets.sources import SOURCES, get_source

    for spec in SOURCES.values():
        schema = build_schema(spec)
        assert set(schema.columns) == {c.name for c in spec.columns} | {"_row"}, spec.name
    feedback = build_schema(get_source("feedback"))
    assert [c.name for c in feedback.columns["satisfaction"].checks] == ["likert_range"]
    assert [c.name for c in feedback.columns["coverage_pct"].checks] == ["percent_range"]
    assert feedback.columns["site_id"].checks == [] and not feedback.columns["site_id"].nullable
    nominations = build_schema(get_source("award_nomination"))  # cross-column rules: frame checks
    assert [c.name for c in nominations.checks] == ["standard_code_required", "level_without_award"]
