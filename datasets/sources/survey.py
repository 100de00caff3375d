"""survey: adoption survey (采用情况调查, §8 and §12).

One row per respondent x standard; ``response_id`` is unique within a
survey year. The §8 questions ask whether a standard is useful (管用) and
usable (好用).
"""

from __future__ import annotations

import polars as pl

from datasets.rules import Rule
from datasets.spec import ColumnSpec, SourceSpec


def _likert(name: str, header_zh: str, en: str, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, header_zh, "likert", aliases=aliases, description_en=en)


# Someone who has never heard of a standard cannot have adopted it.
AWARE_NO_ADOPTION = Rule(
    "aware_no_adoption",
    "adoption",
    ~((pl.col("aware") == False) & (pl.col("adoption") != "none")),  # noqa: E712
    "“是否知晓”为“否”时“采用程度”只能是“未采用”，请核对后重新上传",
    "a respondent not aware of the standard cannot have adopted it: with aware = no, "
    "adoption must be none; check the row and upload again",
    cross_column=True,
)

SPEC = SourceSpec(
    name="survey",
    table="survey",
    title_zh="采用情况调查",
    title_en="Adoption survey",
    key=("response_id", "survey_year"),
    columns=(
        ColumnSpec(
            "response_id",
            "问卷编号",
            "id",
            required=True,
            aliases=("问卷号", "答卷编号", "response", "response id"),
        ),
        ColumnSpec(
            "survey_year",
            "调查年度",
            "year",
            required=True,
            aliases=("年度", "调查年份", "year", "survey year"),
        ),
        ColumnSpec(
            "region_code",
            "地区",
            "region",
            aliases=("省份", "所在地区", "region", "province", "region code"),
        ),
        ColumnSpec(
            "org_type",
            "单位类型",
            "org_type",
            aliases=("机构类型", "organisation type", "organization type", "org type"),
        ),
        ColumnSpec(
            "org_size",
            "单位规模",
            "enum",
            aliases=("规模", "organisation size", "org size", "size"),
            enum=("small", "medium", "large"),
            enum_labels_zh={
                "small": ("小型", "小"),
                "medium": ("中型", "中"),
                "large": ("大型", "大"),
            },
        ),
        ColumnSpec(
            "standard_code",
            "标准编号",
            "standard_code",
            required=True,
            aliases=("标准号", "standard", "standard code", "code"),
        ),
        ColumnSpec("aware", "是否知晓", "bool", aliases=("知晓", "aware of standard", "awareness")),
        ColumnSpec(
            "adoption",
            "采用程度",
            "enum",
            aliases=("采用情况", "adoption level"),
            enum=("none", "planned", "partial", "full"),
            enum_labels_zh={
                "none": ("未采用", "没有采用"),
                "planned": ("计划采用", "拟采用"),
                "partial": ("部分采用",),
                "full": ("全面采用", "完全采用"),
            },
        ),
        _likert("q_useful", "标准管用", "the standard is useful (§8 管用)", ("管用", "useful")),
        _likert("q_usable", "标准好用", "the standard is usable (§8 好用)", ("好用", "usable")),
        _likert("q_current", "内容先进", "the content is current (§9)", ("先进性", "current")),
        _likert(
            "q_consistent",
            "与其他标准协调",
            "consistent with other standards (§2, §5)",
            ("协调性", "consistent"),
        ),
        _likert(
            "q_testable",
            "便于符合性测试",
            "easy to test conformity (§11)",
            ("可测试性", "testable"),
        ),
        _likert("q_satisfied", "总体满意度", "overall satisfaction", ("满意度", "satisfied")),
    ),
    rules=(AWARE_NO_ADOPTION,),
    references={"standard_code": "standard_codes"},
)
