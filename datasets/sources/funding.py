"""funding: financial support for standardisation (§18 fiscal funds, §19 social funds)."""

from __future__ import annotations

import polars as pl

from datasets.normalise.width import name_key_expr
from datasets.rules import WARNING, Rule
from datasets.spec import ColumnSpec, SourceSpec

#: The same funder, recipient, purpose and year: names compared with widths and spaces folded.
_GROUP = [
    name_key_expr(pl.col("funder")),
    name_key_expr(pl.col("recipient")),
    pl.col("purpose"),
    pl.col("fiscal_year"),
]


def _flow_total(flow: str) -> pl.Expr:
    amount = pl.when(pl.col("flow") == flow).then(pl.col("amount_cny")).otherwise(None)
    return amount.sum().over(_GROUP)


AMOUNT_POSITIVE = Rule(
    "amount_positive",
    "amount_cny",
    pl.col("amount_cny") > 0,
    "“金额（元）”应大于 0（单位为元；表头写“金额（万元）”时按万元计），请修改后重新上传",
    "amount_cny must be above 0 (CNY; a header in 万元 means x10,000); correct it and upload again",
)

# Within one file: more disbursed than committed for the same funder,
# recipient, purpose and year is shown to the uploader (and, across files,
# on the dashboard) but the rows are kept: a commitment may sit in an
# earlier file.
DISBURSED_ABOVE_COMMITTED = Rule(
    "disbursed_above_committed",
    "amount_cny",
    ~(
        (pl.col("flow") == "disbursed")
        & (_flow_total("disbursed") > _flow_total("committed").fill_null(0))
    ),
    "同一出资单位、承担单位、用途和年度的已拨付金额超过已承诺金额，请核对（该行已接收）",
    "more was disbursed than committed for this funder, recipient, purpose and year; "
    "please check (the row was accepted)",
    severity=WARNING,
    cross_column=True,
)

SPEC = SourceSpec(
    name="funding",
    table="funding",
    title_zh="资金支持",
    title_en="Financial support",
    key=("record_id",),
    columns=(
        ColumnSpec(
            "record_id", "记录编号", "id", required=True, aliases=("编号", "record", "record id")
        ),
        ColumnSpec(
            "fiscal_year",
            "年度",
            "year",
            required=True,
            aliases=("财年", "资金年度", "fiscal year", "year"),
        ),
        ColumnSpec(
            "source_type",
            "资金来源",
            "enum",
            required=True,
            aliases=("来源", "source", "source type"),
            enum=("central_fiscal", "local_fiscal", "enterprise", "foundation", "other"),
            enum_labels_zh={
                "central_fiscal": ("中央财政",),
                "local_fiscal": ("地方财政",),
                "enterprise": ("企业投入", "企业"),
                "foundation": ("社会公益基金", "公益基金"),
                "other": ("其他",),
            },
        ),
        ColumnSpec("funder", "出资单位", "text", aliases=("资助单位", "funder org")),
        ColumnSpec("recipient", "承担单位", "text", aliases=("受资助单位", "recipient org")),
        ColumnSpec(
            "purpose",
            "资金用途",
            "enum",
            required=True,
            aliases=("用途", "purpose of funds"),
            enum=(
                "standard_development",
                "pilot",
                "training",
                "international",
                "talent",
                "award",
                "capacity",
            ),
            enum_labels_zh={
                "standard_development": ("标准研制",),
                "pilot": ("试点示范",),
                "training": ("宣贯培训",),
                "international": ("国际标准化",),
                "talent": ("人才培养",),
                "award": ("标准奖励",),
                "capacity": ("基础能力建设",),
            },
        ),
        ColumnSpec(
            "flow",
            "资金状态",
            "enum",
            required=True,
            aliases=("状态", "status", "flow status"),
            enum=("committed", "disbursed"),
            enum_labels_zh={"committed": ("已承诺", "已批复"), "disbursed": ("已拨付",)},
        ),
        ColumnSpec(
            "amount_cny",
            "金额（元）",
            "decimal",
            required=True,
            aliases=("金额", "amount", "amount (CNY)", "amount cny"),
            unit_headers={
                "金额（万元）": 10000.0,
                "amount (10k CNY)": 10000.0,
                "amount_10k_cny": 10000.0,
            },
            description_zh="大于 0，单位元，保留两位小数",
            description_en="above 0, CNY, two decimals",
        ),
        ColumnSpec("date", "日期", "date", aliases=("拨付日期", "批复日期", "date of record")),
        ColumnSpec(
            "standard_code",
            "标准编号",
            "standard_code",
            aliases=("标准号", "standard", "standard code"),
        ),
        ColumnSpec(
            "program_id",
            "试点项目编号",
            "id",
            aliases=("项目编号", "program", "programme id", "program id"),
        ),
        ColumnSpec("region_code", "地区", "region", aliases=("省份", "region", "province")),
    ),
    rules=(AMOUNT_POSITIVE, DISBURSED_ABOVE_COMMITTED),
    references={"standard_code": "standard_codes", "program_id": "program_ids"},
)
