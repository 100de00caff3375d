"""Shared fixtures of the datasets tests: one valid typed row per source and a context."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from datasets.sources import get_source
from datasets.validation import ValidationContext

CODE = "GB/T 22239-2019"
LOCAL_CODE = "DB31/T 1234-2020"

GOOD_ROWS: dict[str, dict[str, Any]] = {
    "pilot_program": {
        "program_id": "P1", "name": "等级保护试点", "lead_department": "中央网信办",
        "start_date": date(2024, 1, 1), "end_date": date(2025, 12, 31),
        "standards": f"{CODE}; GB/T 35273-2020",
    },
    "pilot_site": {
        "site_id": "S1", "program_id": "P1", "name": "某银行", "region_code": "11",
        "org_type": "enterprise", "sector": "金融",
    },
    "feedback": {
        "site_id": "S1", "standard_code": CODE, "period": "2024-Q2", "status": "completed",
        "coverage_pct": 85.0, "applicability": 5, "operability": 4, "clarity": 3, "benefit": 4,
        "satisfaction": 5, "incidents_before": 3, "incidents_after": 1,
        "cost_cny": Decimal("12500.50"), "problems": "=HYPERLINK(\"x\")", "suggestions": None,
    },
    "survey": {
        "response_id": "R1", "survey_year": 2024, "region_code": "44", "org_type": "university",
        "org_size": "large", "standard_code": CODE, "aware": True, "adoption": "partial",
        "q_useful": 4, "q_usable": 4, "q_current": 3, "q_consistent": 5, "q_testable": 2,
        "q_satisfied": 4,
    },
    "funding": {
        "record_id": "F1", "fiscal_year": 2024, "source_type": "central_fiscal", "funder": "财政部",
        "recipient": "TC260", "purpose": "standard_development", "flow": "committed",
        "amount_cny": Decimal("500000.00"), "date": date(2024, 3, 1), "standard_code": CODE,
        "program_id": "P1", "region_code": "11",
    },
    "award_nomination": {
        "nomination_id": "N1", "award_year": 2024, "category": "standard_excellence",
        "standard_code": CODE, "nominee_org": "某研究院", "status": "awarded", "level": "first",
        "prize_cny": Decimal("100000.00"),
    },
    "award_review": {
        "nomination_id": "N1", "judge_id": "J1", "criterion": "advancement", "score": 88.5,
        "conflict_of_interest": False,
    },
    "lifecycle": {
        "project_id": "L1", "plan_no": "20230001-T-469", "title": "网络安全技术 某要求",
        "approved": date(2023, 1, 10), "draft": date(2023, 4, 1),
        "consultation": date(2023, 7, 1), "review": date(2023, 10, 1),
        "approval": date(2024, 1, 5), "published": date(2024, 6, 1),
        "published_code": "GB/T 43697-2024",
    },
    "standard": {
        "code": CODE, "title_zh": "信息安全技术 网络安全等级保护基本要求",
        "title_en": "Baseline for classified protection of cybersecurity", "category": "GB/T",
        "published": date(2019, 5, 10), "effective": date(2019, 12, 1), "status": "current",
        "replaces": "GB/T 22239-2008", "priority_area": None, "code_year": 2019, "source": "test",
    },
}  # fmt: skip


def typed_frame(source: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Build a typed canonical frame of ``source`` from row dicts (missing keys are null)."""
    spec = get_source(source)
    columns = spec.column_names()
    data = {c: [r.get(c) for r in rows] for c in columns}
    return pl.DataFrame(data, schema=spec.polars_schema())


def good_frame(source: str, n: int = 1, **changes: Any) -> pl.DataFrame:
    """``n`` valid rows (distinct keys) of ``source``; ``changes`` apply to the last row."""
    spec = get_source(source)
    rows = []
    for i in range(n):
        row = dict(GOOD_ROWS[source])
        key = spec.key[0]
        if n > 1:
            if source == "standard":
                row["code"] = f"GB/T {22239 + i}-2019"
            elif source not in {"feedback", "award_review"}:
                row[key] = f"{row[key]}-{i}"
            if source == "feedback":
                row["period"] = f"{2020 + i // 4}-Q{i % 4 + 1}"
            if source == "award_review":
                row["judge_id"] = f"J{i}"
        rows.append(row)
    rows[-1].update(changes)
    return typed_frame(source, rows)


@pytest.fixture
def context() -> ValidationContext:
    """Everything the good rows refer to is registered."""
    return ValidationContext(
        standard_codes=frozenset({CODE, "GB/T 35273-2020", "GB/T 43697-2024", LOCAL_CODE}),
        site_ids=frozenset({"S1", "S2"}),
        program_ids=frozenset({"P1"}),
        nomination_ids=frozenset({"N1"}),
    )
