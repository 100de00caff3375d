"""pilot_program: pilot and demonstration programmes of key standards (试点示范, §13)."""

from __future__ import annotations

import polars as pl

from datasets.rules import Rule
from datasets.spec import ColumnSpec, SourceSpec

END_AFTER_START = Rule(
    "dates_out_of_order",
    "end_date",
    pl.col("end_date") >= pl.col("start_date"),
    "“结束日期”早于“开始日期”，请核对后重新上传",
    "end_date is before start_date; check the dates and upload again",
    cross_column=True,
)

SPEC = SourceSpec(
    name="pilot_program",
    table="pilot_program",
    title_zh="试点示范项目",
    title_en="Pilot programmes",
    key=("program_id",),
    columns=(
        ColumnSpec(
            "program_id",
            "试点项目编号",
            "id",
            required=True,
            aliases=("项目编号", "编号", "program", "programme id", "program id"),
        ),
        ColumnSpec(
            "name",
            "项目名称",
            "text",
            required=True,
            aliases=("名称", "program name", "programme name"),
        ),
        ColumnSpec("lead_department", "牵头部门", "text", aliases=("主管部门", "lead department")),
        ColumnSpec("start_date", "开始日期", "date", aliases=("起始日期", "start", "start date")),
        ColumnSpec("end_date", "结束日期", "date", aliases=("截止日期", "end", "end date")),
        ColumnSpec(
            "standards",
            "试点标准",
            "codes",
            aliases=("标准编号", "标准", "standard codes"),
            description_zh="标准编号，多个以“;”“；”“,”或“、”分隔",
            description_en="standard codes separated by ; ； , or 、",
        ),
    ),
    rules=(END_AFTER_START,),
    references={"standards": "standard_codes"},
)
