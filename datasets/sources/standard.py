"""standard: the standards catalogue, as shipped or as uploaded later.

The shipped rows come from ``reference/standard.csv`` through
:func:`datasets.reference_data.standards`; an uploaded official list goes
through this spec. §6: a local standard (``DB..``) in the cybersecurity
catalogue is kept and flagged with the ``local_standard`` warning.
"""

from __future__ import annotations

from datasets.catalogue import fill_code_fields
from datasets.reference_data import priority_areas
from datasets.spec import ColumnSpec, SourceSpec

SPEC = SourceSpec(
    name="standard",
    table="standard",
    title_zh="标准目录",
    title_en="Standards catalogue",
    key=("code",),
    columns=(
        ColumnSpec(
            "code",
            "标准编号",
            "standard_code",
            required=True,
            aliases=("标准号", "standard", "standard code"),
        ),
        ColumnSpec(
            "title_zh",
            "标准名称",
            "text",
            aliases=("中文名称", "名称", "chinese title", "title zh"),
        ),
        ColumnSpec("title_en", "英文名称", "text", aliases=("english title", "title en", "title")),
        ColumnSpec(
            "category",
            "标准类别",
            "text",
            aliases=("类别", "standard category"),
            description_zh="GB、GB/T、GB/Z、行业（如 YD/T）或地方（DB..）；空白时由编号推出",
            description_en="GB, GB/T, GB/Z, industry (YD/T...) or local (DB..); derived from the code when blank",
        ),
        ColumnSpec(
            "published", "发布日期", "date", aliases=("发布", "publication date", "published date")
        ),
        ColumnSpec("effective", "实施日期", "date", aliases=("实施", "effective date")),
        ColumnSpec(
            "status",
            "状态",
            "enum",
            aliases=("标准状态", "standard status"),
            enum=("current", "upcoming", "superseded", "withdrawn"),
            enum_labels_zh={
                "current": ("现行", "现行有效"),
                "upcoming": ("即将实施",),
                "superseded": ("被替代", "已被替代"),
                "withdrawn": ("废止", "作废"),
            },
        ),
        ColumnSpec("replaces", "代替标准", "codes", aliases=("替代标准", "代替", "replaces codes")),
        ColumnSpec(
            "priority_area",
            "重点领域",
            "enum",
            aliases=("急需重点领域", "priority area", "area"),
            enum=tuple(priority_areas()["id"].to_list()),
            enum_labels_zh={
                r["id"]: (r["name_zh"],) for r in priority_areas().iter_rows(named=True)
            },
        ),
        ColumnSpec(
            "code_year",
            "编号年份",
            "year",
            min_value=1980,
            max_value=2100,
            aliases=("年份", "code year"),
        ),
        ColumnSpec("source", "来源", "text", aliases=("资料来源", "source of facts")),
    ),
    complete=fill_code_fields,
)
