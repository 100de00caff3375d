"""normalise_raw and validate_raw: text cells of an upload to accepted rows and row errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from datasets.problems import ERROR_COLUMNS
from datasets.sources import get_source
from datasets.validation import ValidationContext, normalise_raw, validate_raw
from tests.datasets.conftest import CODE

FEEDBACK = get_source("feedback")


def _raw(**columns: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Utf8))


def test_messy_but_valid_feedback_cells_become_typed_values(context: ValidationContext) -> None:
    raw = _raw(
        site_id=[" S1 "], standard_code=["ＧＢ／Ｔ　２２２３９－２０１９"], period=["2024年第二季度"],
        status=["实施中"], coverage_pct=["85%"], applicability=["非常同意"], operability=["４"],
        clarity=["3分"], benefit=["满意"], satisfaction=["5"], incidents_before=["1,200"],
        incidents_after=["3次"], cost_cny=["12.5万"], problems=["=HYPERLINK(\"x\")"], suggestions=[""],
    )  # fmt: skip
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.errors.height == 0
    row = result.accepted.row(0, named=True)
    assert row == {
        "site_id": "S1", "standard_code": CODE, "period": "2024-Q2", "status": "in_progress",
        "coverage_pct": 85.0, "applicability": 5, "operability": 4, "clarity": 3, "benefit": 4,
        "satisfaction": 5, "incidents_before": 1200, "incidents_after": 3,
        "cost_cny": Decimal("125000.00"), "problems": '=HYPERLINK("x")', "suggestions": None, "_row": 2,
    }  # fmt: skip
    assert result.accepted.schema == pl.Schema({**FEEDBACK.polars_schema(), "_row": pl.Int64})


def test_header_scale_multiplies_the_cost(context: ValidationContext) -> None:
    raw = _raw(site_id=["S1"], standard_code=[CODE], period=["2024-Q1"], cost_cny=["1.5"])
    result = validate_raw(FEEDBACK, raw, context=context, scale={"cost_cny": 10000.0})
    assert result.accepted["cost_cny"].to_list() == [Decimal("15000.00")]


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("standard_code", "22239", "standard_code_format"),
        ("period", "下半年", "period_format"),
        ("status", "差不多", "enum_value"),
        ("coverage_pct", "八成", "percent_range"),
        ("applicability", "很好", "likert_range"),
        ("incidents_before", "3.5", "not_an_integer"),
        ("cost_cny", "十万", "not_an_amount"),
    ],
)
def test_unreadable_cell_is_reported_as_given_and_rejects_its_row(
    column: str, value: str, rule: str, context: ValidationContext
) -> None:
    cells = {
        "site_id": ["S1", "S1"],
        "standard_code": [CODE, CODE],
        "period": ["2024-Q1", "2024-Q2"],
    }
    # Row 2 keeps a good (or blank) cell, row 3 gets the unreadable one.
    cells[column] = [cells[column][0] if column in cells else None, value]
    raw = _raw(**cells)
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.errors.select("row", "column", "value", "rule").rows() == [
        (3, column, value, rule)
    ]
    assert result.errors["message_zh"][0] and result.errors["message_en"][0]
    assert result.accepted["_row"].to_list() == [2]


def test_unreadable_cells_in_other_sources(context: ValidationContext) -> None:
    cases = [
        ("survey", "aware", "也许", "not_yes_no"),
        ("survey", "region_code", "火星", "unknown_region"),
        ("survey", "org_type", "个体户", "unknown_org_type"),
        ("survey", "survey_year", "二〇二四", "year_range"),
        ("funding", "date", "2024-02-30", "not_a_date"),
        ("award_review", "score", "优", "not_a_number"),
        ("pilot_program", "standards", "GB/T 22239-2019; 乱码", "standard_code_format"),
    ]
    for source, column, value, rule in cases:
        _, errors = normalise_raw(get_source(source), _raw(**{column: [value]}))
        found = errors.filter(pl.col("column") == column).select("value", "rule").rows()
        assert found == [(value, rule)], (source, column)


def test_blank_required_cell_is_one_required_error(context: ValidationContext) -> None:
    raw = _raw(site_id=["S1", "　"], standard_code=[CODE, CODE], period=["2024-Q1", "2024-Q2"])
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.errors.select("row", "column", "value", "rule").rows() == [
        (3, "site_id", None, "required")
    ]


def test_unreadable_required_cell_is_reported_once_not_also_as_required(
    context: ValidationContext,
) -> None:
    raw = _raw(site_id=["S1"], standard_code=["GB 乱码"], period=["2024-Q1"])
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.errors.select("column", "rule").rows() == [
        ("standard_code", "standard_code_format")
    ]


def test_cast_error_and_rule_error_on_other_columns_are_both_reported(
    context: ValidationContext,
) -> None:
    raw = _raw(
        site_id=["S404"], standard_code=[CODE], period=["2024-Q1"], clarity=["9"], cost_cny=["x"]
    )
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.errors.select("column", "rule").rows() == [
        ("site_id", "unknown_site"), ("clarity", "likert_range"), ("cost_cny", "not_an_amount"),
    ]  # fmt: skip
    assert result.accepted.height == 0


def test_missing_optional_columns_are_blank_and_row_numbers_are_kept(
    context: ValidationContext,
) -> None:
    raw = _raw(site_id=["S1"], standard_code=[CODE], period=["2024-05"]).with_columns(
        pl.Series("_row", [7], dtype=pl.Int64)
    )
    typed, errors = normalise_raw(FEEDBACK, raw)
    assert errors.height == 0
    assert typed.columns == [*FEEDBACK.column_names(), "_row"]
    assert typed["_row"].to_list() == [7]
    assert typed["applicability"].to_list() == [None]


def test_non_canonical_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="试点单位编号"):
        normalise_raw(FEEDBACK, _raw(试点单位编号=["S1"]))


def test_blank_conflict_of_interest_becomes_false() -> None:
    spec = get_source("award_review")
    typed, errors = normalise_raw(
        spec, _raw(nomination_id=["N1"], judge_id=["J"], criterion=["适用性"], score=["90"],
                   conflict_of_interest=[""])
    )  # fmt: skip
    assert errors.height == 0
    assert typed["conflict_of_interest"].to_list() == [False]


def test_survey_and_lifecycle_rows_from_text(context: ValidationContext) -> None:
    survey = validate_raw(
        get_source("survey"),
        _raw(response_id=["R1", "R2"], survey_year=["2024年", "2024"], standard_code=[CODE, CODE],
             region_code=["广东", "44"], org_type=["高校", "user"], aware=["否", "是"],
             adoption=["部分采用", "全面采用"]),
        context=context,
    )  # fmt: skip
    assert survey.errors.select("row", "rule").rows() == [(2, "aware_no_adoption")]
    assert survey.accepted.select("region_code", "org_type", "aware").rows() == [
        ("44", "user", True)
    ]
    lifecycle = validate_raw(
        get_source("lifecycle"),
        _raw(
            project_id=["L1"],
            approved=["2023/1/10"],
            draft=["2023年4月1日"],
            published=["20240601"],
        ),
        context=context,
    )
    assert lifecycle.errors.height == 0
    assert lifecycle.accepted["published"].to_list() == [date(2024, 6, 1)]


def test_duplicate_rows_of_an_upload_keep_the_last(context: ValidationContext) -> None:
    raw = _raw(
        site_id=["S1", "S1"], standard_code=["gb/t 22239-2019", CODE], period=["2024Q2", "2024年第二季度"],
        applicability=["1", "5"],
    )  # fmt: skip
    result = validate_raw(FEEDBACK, raw, context=context)
    assert result.accepted.select("_row", "applicability").rows() == [(3, 5)]
    assert result.warnings.select("row", "rule").rows() == [(2, "duplicate_in_file")]
    assert result.typed is not None and result.typed.height == 2


def test_errors_have_the_contract_columns(context: ValidationContext) -> None:
    result = validate_raw(
        FEEDBACK, _raw(site_id=["S1"], standard_code=["x"], period=["y"]), context=context
    )
    assert result.errors.schema == pl.Schema(ERROR_COLUMNS)
    assert result.warnings.schema == pl.Schema(ERROR_COLUMNS)


def test_catalogue_upload_gets_category_and_code_year_from_the_code() -> None:
    raw = _raw(
        code=["gb/t 45574—2025", "YD/T 2699-2014"], category=[None, "行业"], code_year=[None, None]
    )
    result = validate_raw(get_source("standard"), raw, context=ValidationContext())
    assert result.errors.height == 0
    assert result.accepted.select("code", "category", "code_year").rows() == [
        ("GB/T 45574-2025", "GB/T", 2025),
        ("YD/T 2699-2014", "行业", 2014),
    ]


def test_large_uploads_parse_columns_in_parallel_with_the_same_result(
    context: ValidationContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datasets.casting

    raw = _raw(
        site_id=["S1", "S1", "S2"], standard_code=[CODE, "GB/T 1", CODE],
        period=["2024Q1", "2024年第二季度", "2024-13"], applicability=["5", "很好", "非常同意"],
    )  # fmt: skip
    sequential = normalise_raw(FEEDBACK, raw)
    monkeypatch.setattr(datasets.casting, "PARALLEL_ROWS", 1)
    parallel = normalise_raw(FEEDBACK, raw)
    assert parallel[0].equals(sequential[0]) and parallel[1].equals(sequential[1])
    assert sequential[1].select("row", "column").rows() == [
        (3, "standard_code"), (3, "applicability"), (4, "period"),
    ]  # fmt: skip
