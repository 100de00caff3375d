"""award_nomination: 网络安全标准优秀奖 and 优秀实践案例 nominations (§12, §19)."""

from __future__ import annotations

import polars as pl

from datasets.rules import Rule
from datasets.spec import ColumnSpec, SourceSpec

# §19: the standard award rewards a standard, so the nomination must name it.
STANDARD_REQUIRED = Rule(
    "standard_code_required",
    "standard_code",
    (pl.col("category") != "standard_excellence") | pl.col("standard_code").is_not_null(),
    "“标准优秀奖”提名必须填写“标准编号”，请补充后重新上传",
    "a standard_excellence nomination needs its standard_code; fill it in and upload again",
    cross_column=True,
)

# A prize level exists only for an awarded nomination.
LEVEL_WITHOUT_AWARD = Rule(
    "level_without_award",
    "level",
    pl.col("level").is_null() | (pl.col("status") == "awarded"),
    "只有状态为“获奖”的提名才能填写“奖项等级”，请清空等级或修改状态后重新上传",
    "a level is allowed only when status is awarded; clear the level or change the status "
    "and upload again",
    cross_column=True,
)

SPEC = SourceSpec(
    name="award_nomination",
    table="award_nomination",
    title_zh="标准优秀奖与优秀实践案例提名",
    title_en="Award nominations",
    key=("nomination_id",),
    columns=(
        ColumnSpec(
            "nomination_id",
            "提名编号",
            "id",
            required=True,
            aliases=("编号", "nomination", "nomination id"),
        ),
        ColumnSpec(
            "award_year", "评选年度", "year", required=True, aliases=("年度", "year", "award year")
        ),
        ColumnSpec(
            "category",
            "奖项类别",
            "enum",
            required=True,
            aliases=("类别", "award category"),
            enum=("standard_excellence", "practice_case"),
            enum_labels_zh={
                "standard_excellence": ("标准优秀奖", "网络安全标准优秀奖"),
                "practice_case": ("优秀实践案例", "网络安全优秀实践案例"),
            },
        ),
        ColumnSpec(
            "standard_code",
            "标准编号",
            "standard_code",
            aliases=("标准号", "standard", "standard code"),
        ),
        ColumnSpec(
            "nominee_org",
            "被提名单位",
            "text",
            aliases=("提名单位", "申报单位", "nominee", "nominee org"),
        ),
        ColumnSpec(
            "status",
            "评选状态",
            "enum",
            required=True,
            aliases=("状态", "nomination status"),
            enum=("nominated", "shortlisted", "awarded", "not_awarded"),
            enum_labels_zh={
                "nominated": ("已提名", "提名"),
                "shortlisted": ("入围",),
                "awarded": ("获奖",),
                "not_awarded": ("未获奖",),
            },
        ),
        ColumnSpec(
            "level",
            "奖项等级",
            "enum",
            aliases=("等级", "award level"),
            enum=("first", "second", "third", "excellence"),
            enum_labels_zh={
                "first": ("一等奖",),
                "second": ("二等奖",),
                "third": ("三等奖",),
                "excellence": ("优秀奖",),
            },
        ),
        ColumnSpec(
            "prize_cny",
            "奖金（元）",
            "decimal",
            min_value=0,
            aliases=("奖金", "prize", "prize (CNY)", "prize cny"),
            unit_headers={"奖金（万元）": 10000.0, "prize (10k CNY)": 10000.0},
        ),
    ),
    rules=(STANDARD_REQUIRED, LEVEL_WITHOUT_AWARD),
    references={"standard_code": "standard_codes"},
)
