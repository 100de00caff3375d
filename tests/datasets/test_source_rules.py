"""Every source's rules: one failing row per rule gives exactly that rule, on that row."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import datasets
from datasets.casting import cast_rule
from datasets.references import local_standard_rules, reference_rules
from datasets.rules import WARNING, all_rules
from datasets.sources import SOURCES, get_source
from datasets.validation import ValidationContext, validate_typed
from tests.datasets.conftest import LOCAL_CODE, good_frame

# (source, changes to the third row, column, rule)
ERROR_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("pilot_program", {"name": None}, "name", "required"),
    ("pilot_program", {"end_date": date(2023, 1, 1)}, "end_date", "dates_out_of_order"),
    ("pilot_program", {"standards": "GB/T 22239-2019; 22239"}, "standards", "standard_code_format"),
    ("pilot_program", {"standards": "GB/T 99999-2019"}, "standards", "unknown_standard"),
    ("pilot_site", {"program_id": "P9"}, "program_id", "unknown_program"),
    ("pilot_site", {"region_code": "99"}, "region_code", "unknown_region"),
    ("pilot_site", {"org_type": "startup"}, "org_type", "unknown_org_type"),
    ("feedback", {"site_id": None}, "site_id", "required"),
    ("feedback", {"site_id": "S9"}, "site_id", "unknown_site"),
    ("feedback", {"standard_code": "GB/T 1-2000"}, "standard_code", "unknown_standard"),
    ("feedback", {"period": "2024-Q5"}, "period", "period_format"),
    ("feedback", {"status": "done"}, "status", "enum_value"),
    ("feedback", {"coverage_pct": 101.0}, "coverage_pct", "percent_range"),
    ("feedback", {"applicability": 0}, "applicability", "likert_range"),
    ("feedback", {"satisfaction": 6}, "satisfaction", "likert_range"),
    ("feedback", {"incidents_before": -1}, "incidents_before", "value_range"),
    ("feedback", {"cost_cny": Decimal("-1.00")}, "cost_cny", "value_range"),
    ("survey", {"survey_year": 2015}, "survey_year", "year_range"),
    ("survey", {"aware": False, "adoption": "full"}, "adoption", "aware_no_adoption"),
    ("survey", {"org_size": "huge"}, "org_size", "enum_value"),
    ("survey", {"standard_code": "GB/T 22239"}, "standard_code", "standard_code_format"),
    ("funding", {"amount_cny": Decimal("0.00")}, "amount_cny", "amount_positive"),
    ("funding", {"program_id": "P404"}, "program_id", "unknown_program"),
    ("funding", {"purpose": "party"}, "purpose", "enum_value"),
    ("award_nomination", {"status": "nominated", "level": "first"}, "level", "level_without_award"),
    ("award_nomination", {"standard_code": None}, "standard_code", "standard_code_required"),
    ("award_nomination", {"award_year": 2101}, "award_year", "year_range"),
    ("award_review", {"score": 100.5}, "score", "value_range"),
    ("award_review", {"nomination_id": "N404"}, "nomination_id", "unknown_nomination"),
    ("award_review", {"criterion": None}, "criterion", "required"),
    ("lifecycle", {"draft": date(2022, 12, 1)}, "draft", "dates_out_of_order"),
    ("lifecycle", {"review": None, "approval": date(2023, 5, 1)}, "approval", "dates_out_of_order"),
    ("standard", {"code": None}, "code", "required"),
    ("standard", {"priority_area": "SPACE"}, "priority_area", "enum_value"),
    ("standard", {"status": "现行"}, "status", "enum_value"),
    ("standard", {"code": "GB/T 1"}, "code", "standard_code_format"),
    ("standard", {"code_year": 1970}, "code_year", "year_range"),
    ("pilot_site", {"name": None}, "name", "required"),
    ("feedback", {"standard_code": "gb/t 22239-2019"}, "standard_code", "standard_code_format"),
    ("survey", {"response_id": None}, "response_id", "required"),
    ("survey", {"q_useful": 6}, "q_useful", "likert_range"),
    ("survey", {"org_type": "startup"}, "org_type", "unknown_org_type"),
    ("survey", {"region_code": "00"}, "region_code", "unknown_region"),
    ("survey", {"standard_code": "GB/T 1-2000"}, "standard_code", "unknown_standard"),
    ("funding", {"source_type": None}, "source_type", "required"),
    ("funding", {"fiscal_year": 2200}, "fiscal_year", "year_range"),
    ("funding", {"standard_code": "GB22239-2019"}, "standard_code", "standard_code_format"),
    ("funding", {"standard_code": "GB/T 1-2000"}, "standard_code", "unknown_standard"),
    ("funding", {"region_code": "Beijing"}, "region_code", "unknown_region"),
    ("award_nomination", {"nomination_id": None}, "nomination_id", "required"),
    ("award_nomination", {"category": "other"}, "category", "enum_value"),
    ("award_nomination", {"standard_code": "GB/T 1"}, "standard_code", "standard_code_format"),
    ("award_nomination", {"standard_code": "GB/T 1-2000"}, "standard_code", "unknown_standard"),
    ("award_nomination", {"prize_cny": Decimal("-0.01")}, "prize_cny", "value_range"),
    ("award_review", {"criterion": "beauty"}, "criterion", "enum_value"),
    ("lifecycle", {"project_id": None}, "project_id", "required"),
    ("lifecycle", {"published_code": "GB/T43697-2024"}, "published_code", "standard_code_format"),
]


@pytest.mark.parametrize(("source", "changes", "column", "rule"), ERROR_CASES)
def test_one_bad_row_gives_exactly_its_rule(
    source: str, changes: dict[str, Any], column: str, rule: str, context: ValidationContext
) -> None:
    frame = good_frame(source, 3, **changes)
    result = validate_typed(get_source(source), frame, context=context)
    assert result.errors.select("row", "column", "rule").rows() == [(4, column, rule)]
    message = result.errors.row(0, named=True)
    assert message["message_zh"] and message["message_en"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message["message_zh"])
    assert column in message["message_en"] or rule == "site_not_allowed"
    assert result.accepted.height == 2
    assert 4 not in result.accepted["_row"].to_list()


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_good_rows_of_every_source_are_accepted(source: str, context: ValidationContext) -> None:
    result = validate_typed(get_source(source), good_frame(source, 3), context=context)
    assert result.errors.height == 0, result.errors
    assert result.accepted.height == 3
    assert result.accepted.columns == [*get_source(source).column_names(), "_row"]


def test_aware_yes_may_adopt_and_aware_no_without_adoption_passes(
    context: ValidationContext,
) -> None:
    spec = get_source("survey")
    for aware, adoption in [(True, "full"), (False, "none"), (None, "full"), (False, None)]:
        frame = good_frame("survey", 1, aware=aware, adoption=adoption)
        assert validate_typed(spec, frame, context=context).errors.height == 0


def test_practice_case_needs_no_standard_code(context: ValidationContext) -> None:
    frame = good_frame("award_nomination", 1, category="practice_case", standard_code=None)
    assert validate_typed(get_source("award_nomination"), frame, context=context).errors.height == 0


def test_lifecycle_with_blank_stages_in_order_passes(context: ValidationContext) -> None:
    frame = good_frame("lifecycle", 1, draft=None, consultation=None, published=None)
    assert validate_typed(get_source("lifecycle"), frame, context=context).errors.height == 0


def test_blank_conflict_of_interest_means_no_conflict(context: ValidationContext) -> None:
    frame = good_frame("award_review", 1, conflict_of_interest=None)
    result = validate_typed(get_source("award_review"), frame, context=context)
    assert result.accepted["conflict_of_interest"].to_list() == [False]


WARNING_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("feedback", {"standard_code": LOCAL_CODE}, "standard_code", "local_standard"),
    ("standard", {"code": LOCAL_CODE}, "code", "local_standard"),
    ("lifecycle", {"published": date(2025, 6, 1)}, "published", "cycle_over_two_years"),
    ("survey", {"standard_code": LOCAL_CODE}, "standard_code", "local_standard"),
    ("funding", {"standard_code": LOCAL_CODE}, "standard_code", "local_standard"),
    ("award_nomination", {"standard_code": LOCAL_CODE}, "standard_code", "local_standard"),
    ("lifecycle", {"published_code": LOCAL_CODE}, "published_code", "local_standard"),
]

# Rules exercised by their own tests below rather than by a single changed row.
OWN_TESTS = {"site_not_allowed", "disbursed_above_committed"}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_rule_of_every_source_has_a_failing_case(source: str) -> None:
    spec = get_source(source)
    scoped = ValidationContext(allowed_site_ids=frozenset())
    ids = {
        r.id
        for r in [*all_rules(spec), *reference_rules(spec, scoped), *local_standard_rules(spec)]
    }
    covered = {r for s, _, _, r in ERROR_CASES + WARNING_CASES if s == source}
    assert ids - covered - OWN_TESTS == set()


@pytest.mark.parametrize(("source", "changes", "column", "rule"), WARNING_CASES)
def test_policy_warnings_keep_the_row(
    source: str, changes: dict[str, Any], column: str, rule: str, context: ValidationContext
) -> None:
    result = validate_typed(get_source(source), good_frame(source, 3, **changes), context=context)
    assert result.errors.height == 0
    assert result.accepted.height == 3
    assert result.warnings.select("row", "column", "rule").rows() == [(4, column, rule)]
    assert result.warnings["message_zh"][0] and result.warnings["message_en"][0]


def test_disbursed_above_committed_is_a_warning_on_the_disbursed_row(
    context: ValidationContext,
) -> None:
    frame = good_frame("funding", 3)
    frame = frame.with_columns(
        pl.Series("flow", ["committed", "disbursed", "disbursed"]),
        pl.Series("record_id", ["F1", "F2", "F3"]),
        pl.Series("amount_cny", [Decimal("100.00"), Decimal("60.00"), Decimal("50.00")]).cast(
            pl.Decimal(18, 2)
        ),
    )
    result = validate_typed(get_source("funding"), frame, context=context)
    assert result.errors.height == 0
    assert result.accepted.height == 3
    assert result.warnings.select("row", "rule").rows() == [
        (3, "disbursed_above_committed"),
        (4, "disbursed_above_committed"),
    ]
    within = frame.with_columns(
        pl.Series("amount_cny", [Decimal("100.00"), Decimal("60.00"), Decimal("40.00")]).cast(
            pl.Decimal(18, 2)
        )
    )
    assert validate_typed(get_source("funding"), within, context=context).warnings.height == 0


def test_site_user_may_only_send_its_own_sites(context: ValidationContext) -> None:
    scoped = ValidationContext(
        standard_codes=context.standard_codes,
        site_ids=context.site_ids,
        allowed_site_ids=frozenset({"S2"}),
    )
    frame = good_frame("feedback", 2).with_columns(pl.Series("site_id", ["S2", "S1"]))
    result = validate_typed(get_source("feedback"), frame, context=scoped)
    assert result.errors.select("row", "rule").rows() == [(3, "site_not_allowed")]
    assert result.accepted["site_id"].to_list() == ["S2"]


def test_empty_context_rejects_every_reference() -> None:
    result = validate_typed(
        get_source("feedback"), good_frame("feedback", 2), context=ValidationContext()
    )
    assert result.accepted.height == 0
    assert set(result.errors["rule"].to_list()) == {"unknown_site", "unknown_standard"}


def _documented_rule_ids() -> tuple[set[str], set[str]]:
    """The error and warning ids listed under "Rule ids" in datasets/README.md."""
    text = (Path(datasets.__file__).parent / "README.md").read_text(encoding="utf-8")
    section = text.split("## Rule ids", 1)[1]
    errors, warnings = section.split("Warnings:", 1)
    return set(re.findall(r"`(\w+)`", errors)), set(re.findall(r"`(\w+)`", warnings))


def test_every_rule_id_is_snake_case_and_documented_in_the_readme() -> None:
    scoped = ValidationContext(allowed_site_ids=frozenset())
    errors: set[str] = set()
    warnings = {"duplicate_in_file"}
    for spec in SOURCES.values():
        for rule in [*all_rules(spec), *reference_rules(spec, scoped), *local_standard_rules(spec)]:
            (warnings if rule.severity == WARNING else errors).add(rule.id)
        errors |= {r.id for c in spec.columns if (r := cast_rule(spec, c)) is not None}
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", i) for i in errors | warnings)
    assert (errors, warnings) == _documented_rule_ids()


def test_get_source_lists_valid_names_for_an_unknown_one() -> None:
    with pytest.raises(ValueError, match="feedback") as info:
        get_source("feedbak")
    assert "award_review" in str(info.value)
