"""pilot_site: the organisations taking part in a pilot programme (§13)."""

from __future__ import annotations

from datasets.spec import ColumnSpec, SourceSpec

SPEC = SourceSpec(
    name="pilot_site",
    table="pilot_site",
    title_zh="试点单位",
    title_en="Pilot sites",
    key=("site_id",),
    columns=(
        ColumnSpec(
            "site_id",
            "试点单位编号",
            "id",
            required=True,
            aliases=("单位编号", "site", "site id"),
        ),
        ColumnSpec(
            "program_id",
            "试点项目编号",
            "id",
            required=True,
            aliases=("项目编号", "program", "programme id", "program id"),
        ),
        ColumnSpec(
            "name", "单位名称", "text", required=True, aliases=("名称", "site name", "organisation")
        ),
        ColumnSpec(
            "region_code", "地区", "region", aliases=("省份", "所在地区", "region", "province")
        ),
        ColumnSpec(
            "org_type",
            "单位类型",
            "org_type",
            aliases=("机构类型", "organisation type", "organization type", "org type"),
        ),
        ColumnSpec("sector", "所属行业", "text", aliases=("行业", "industry", "sector name")),
    ),
    references={"program_id": "program_ids"},
)
