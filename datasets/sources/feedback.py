"""feedback: implementation feedback (实施情况反馈表, §13).

One row per pilot site x standard x reporting period. The same key sent
again replaces the earlier row (the ETL records the replacement); it is
never counted twice.
"""

from __future__ import annotations

from datasets.spec import ColumnSpec, SourceSpec


def _likert(name: str, header_zh: str, en: str, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(
        name,
        header_zh,
        "likert",
        aliases=aliases,
        description_zh=f"{header_zh}评分，1–5（5 为最好），也可填“非常同意…非常不同意”",
        description_en=f"{en}, 1-5 (5 best) or a Likert word",
    )


SPEC = SourceSpec(
    name="feedback",
    table="feedback",
    title_zh="实施情况反馈表",
    title_en="Implementation feedback",
    key=("site_id", "standard_code", "period"),
    columns=(
        ColumnSpec(
            "site_id",
            "试点单位编号",
            "id",
            required=True,
            aliases=("试点单位代码", "单位编号", "site", "site id", "pilot site id"),
            description_zh="已登记的试点单位编号",
            description_en="a registered pilot site id",
        ),
        ColumnSpec(
            "standard_code",
            "标准编号",
            "standard_code",
            required=True,
            aliases=("标准号", "标准代号", "standard", "standard code", "code"),
            description_zh="标准目录中的编号，如 GB/T 22239-2019",
            description_en="a catalogue code such as GB/T 22239-2019",
        ),
        ColumnSpec(
            "period",
            "报告期",
            "period",
            required=True,
            aliases=("报告期间", "季度", "reporting period", "quarter"),
            description_zh="YYYY-Qn，如 2024-Q2；也可填 2024年第二季度、2024-05 或日期",
            description_en="YYYY-Qn such as 2024-Q2; 2024年第二季度, 2024-05 or a date also work",
        ),
        ColumnSpec(
            "status",
            "实施状态",
            "enum",
            aliases=("状态", "implementation status"),
            enum=("not_started", "in_progress", "completed"),
            enum_labels_zh={
                "not_started": ("未启动", "未开始"),
                "in_progress": ("实施中", "进行中"),
                "completed": ("已完成", "完成"),
            },
        ),
        ColumnSpec(
            "coverage_pct",
            "实施覆盖率",
            "percent",
            aliases=("覆盖率", "实施覆盖率（%）", "coverage", "coverage (%)", "coverage pct"),
            description_zh="0–100，可写 85 或 85%",
            description_en="0-100; 85 or 85%",
        ),
        _likert("applicability", "适用性", "applicability"),
        _likert("operability", "可操作性", "operability"),
        _likert("clarity", "清晰度", "clarity"),
        _likert("benefit", "实施效益", "benefit", ("效益",)),
        _likert("satisfaction", "满意度", "satisfaction", ("总体满意度",)),
        ColumnSpec(
            "incidents_before",
            "实施前安全事件数",
            "int",
            min_value=0,
            aliases=("实施前事件数", "incidents before"),
        ),
        ColumnSpec(
            "incidents_after",
            "实施后安全事件数",
            "int",
            min_value=0,
            aliases=("实施后事件数", "incidents after"),
        ),
        ColumnSpec(
            "cost_cny",
            "实施成本（元）",
            "decimal",
            min_value=0,
            aliases=("实施成本", "成本", "cost", "cost (CNY)", "cost cny"),
            unit_headers={
                "实施成本（万元）": 10000.0,
                "cost (10k CNY)": 10000.0,
                "cost_10k_cny": 10000.0,
            },
            description_zh="元，保留两位小数；表头写“实施成本（万元）”时按万元计",
            description_en="CNY, two decimals; a header in 万元 means x10,000",
        ),
        ColumnSpec("problems", "存在问题", "text", aliases=("问题", "issues")),
        ColumnSpec("suggestions", "修改建议", "text", aliases=("建议", "suggestion")),
    ),
    references={"site_id": "site_ids", "standard_code": "standard_codes"},
)
