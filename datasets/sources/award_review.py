"""award_review: one judge's score of one nomination on one criterion (§19).

A score given with a conflict of interest is kept (the record is complete)
but the award measures do not count it.
"""

from __future__ import annotations

from datasets.spec import ColumnSpec, SourceSpec

SPEC = SourceSpec(
    name="award_review",
    table="award_review",
    title_zh="评审打分",
    title_en="Award review scores",
    key=("nomination_id", "judge_id", "criterion"),
    columns=(
        ColumnSpec(
            "nomination_id",
            "提名编号",
            "id",
            required=True,
            aliases=("nomination", "nomination id"),
        ),
        ColumnSpec(
            "judge_id",
            "评审专家编号",
            "id",
            required=True,
            aliases=("专家编号", "评委编号", "judge", "judge id"),
        ),
        ColumnSpec(
            "criterion",
            "评审指标",
            "enum",
            required=True,
            aliases=("指标", "评分项", "review criterion"),
            enum=("advancement", "applicability", "contribution", "effect"),
            enum_labels_zh={
                "advancement": ("先进性",),
                "applicability": ("适用性",),
                "contribution": ("贡献度",),
                "effect": ("实施效果",),
            },
        ),
        ColumnSpec(
            "score",
            "评分",
            "float",
            required=True,
            min_value=0,
            max_value=100,
            aliases=("得分", "分数", "review score"),
            description_zh="0–100",
            description_en="0-100",
        ),
        ColumnSpec(
            "conflict_of_interest",
            "利益冲突",
            "bool",
            default=False,
            aliases=("是否存在利益冲突", "回避", "conflict", "conflict of interest", "coi"),
            description_zh="是/否；空白视为“否”",
            description_en="yes/no; blank means no",
        ),
    ),
    references={"nomination_id": "nomination_ids"},
)
