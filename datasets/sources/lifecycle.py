"""lifecycle: standard projects through the stages of §10, timed against §9.

Stages in order: approved 立项, draft 草案, consultation 征求意见稿, review
送审稿, approval 报批稿, published 发布. A stage left blank is skipped, but
a known stage may not be earlier than any known stage before it.
§9 asks for a cycle of at most two years; a project published more than two
years after approval is kept and flagged.
"""

from __future__ import annotations

import polars as pl

from datasets.rules import WARNING, Rule
from datasets.spec import ColumnSpec, SourceSpec

STAGES: tuple[tuple[str, str, str], ...] = (
    ("approved", "立项日期", "approved (project initiation)"),
    ("draft", "草案日期", "working draft"),
    ("consultation", "征求意见稿日期", "draft for comments"),
    ("review", "送审稿日期", "draft for review"),
    ("approval", "报批稿日期", "draft for approval"),
    ("published", "发布日期", "published"),
)


def _stage_in_order(index: int) -> Rule:
    name, header_zh, _ = STAGES[index]
    earlier = [s[0] for s in STAGES[:index]]
    # max_horizontal skips nulls, so a blank earlier stage does not hide an
    # inversion with an even earlier one.
    latest_before = pl.max_horizontal(*earlier)
    return Rule(
        "dates_out_of_order",
        name,
        pl.col(name) >= latest_before,
        f"“{header_zh}”早于之前阶段的日期，各阶段日期不能倒退（立项→草案→征求意见稿→送审稿→报批稿→发布），请核对后重新上传",
        f"{name} is earlier than a previous stage; stage dates must not go backwards "
        "(approved, draft, consultation, review, approval, published); check and upload again",
        cross_column=True,
    )


CYCLE_OVER_TWO_YEARS = Rule(
    "cycle_over_two_years",
    "published",
    pl.col("published") <= pl.col("approved").dt.offset_by("2y"),
    "从立项到发布超过 2 年，不符合《若干意见》第（9）条“原则上不超过2年”（该行已接收并标记；"
    "如日期有误，请更正后重新上传）",
    "more than two years from approval to publication, beyond the two-year cycle of §9 "
    "(the row was accepted and flagged; if a date is wrong, correct it and upload again)",
    severity=WARNING,
    cross_column=True,
)

SPEC = SourceSpec(
    name="lifecycle",
    table="lifecycle",
    title_zh="标准制修订项目",
    title_en="Standard projects",
    key=("project_id",),
    columns=(
        ColumnSpec(
            "project_id",
            "项目编号",
            "id",
            required=True,
            aliases=("编号", "project", "project id"),
        ),
        ColumnSpec("plan_no", "计划号", "id", aliases=("计划编号", "plan number", "plan no")),
        ColumnSpec("title", "项目名称", "text", aliases=("标准名称", "名称", "project title")),
        *(
            ColumnSpec(name, header_zh, "date", aliases=(header_zh.removesuffix("日期"), en))
            for name, header_zh, en in STAGES
        ),
        ColumnSpec(
            "published_code",
            "发布标准编号",
            "standard_code",
            aliases=("标准编号", "published standard", "published code"),
        ),
    ),
    rules=(*(_stage_in_order(i) for i in range(1, len(STAGES))), CYCLE_OVER_TWO_YEARS),
)
