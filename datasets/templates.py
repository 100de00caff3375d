"""Upload templates (XLSX), generated from the same spec that validates the uploads.

One workbook per source:

* the data sheet (first, so ``stdeval ingest`` reads it by default): one
  header row in the chosen language, a bilingual note on every header
  (meaning, required or not, accepted values, unit), drop-down lists for
  every enumeration (enum values, provinces, organisation types, yes/no,
  Likert 1–5, catalogue codes), text format on code-like columns so Excel
  does not turn ``001`` or ``2024-05`` into numbers or dates;
* an example sheet with one filled-in row;
* a sheet explaining each column in Chinese and English;
* a hidden sheet holding the drop-down lists.

The bytes are reproducible (fixed document dates), so a template can be
compared byte for byte.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from datasets.reference_data import org_types, regions, standards
from datasets.spec import ColumnSpec, SourceSpec

#: Rows of the data sheet that carry the drop-down lists and formats.
TEMPLATE_ROWS = 50_000
_FIXED_DATE = datetime(2024, 1, 1)

_KIND_ZH = {
    "text": "文本",
    "id": "编号（全角字母数字按半角读取）",
    "int": "整数",
    "decimal": "金额/数值（两位小数）",
    "float": "数值",
    "date": "日期（如 2024-05-08、2024/5/8、2024年5月8日）",
    "bool": "是/否",
    "enum": "从下拉列表选择",
    "likert": "评分 1–5（5 为最好）",
    "standard_code": "标准编号（如 GB/T 22239-2019）",
    "period": "报告期（YYYY-Qn，如 2024-Q2）",
    "region": "省级行政区（代码或名称，如 11、北京）",
    "org_type": "单位类型（从下拉列表选择）",
    "year": "四位年份",
    "percent": "百分比 0–100（可写 85 或 85%）",
    "codes": "多个标准编号，以“;”分隔",
}
_KIND_EN = {
    "text": "text",
    "id": "identifier (full-width letters and digits read as ASCII)",
    "int": "whole number",
    "decimal": "amount (two decimals)",
    "float": "number",
    "date": "date (2024-05-08, 2024/5/8, 2024年5月8日)",
    "bool": "yes/no",
    "enum": "pick from the drop-down list",
    "likert": "score 1-5 (5 best)",
    "standard_code": "standard code (GB/T 22239-2019)",
    "period": "period YYYY-Qn (2024-Q2)",
    "region": "province (two-digit code or name: 11, 北京)",
    "org_type": "organisation type (drop-down)",
    "year": "four-digit year",
    "percent": "percentage 0-100 (85 or 85%)",
    "codes": "standard codes separated by ';'",
}
_TEXT_KINDS = {
    "text",
    "id",
    "enum",
    "standard_code",
    "period",
    "region",
    "org_type",
    "codes",
    "bool",
}

#: Example values that keep the example row consistent with cross-column
#: rules (a level only for an awarded nomination, §12; adoption needs awareness, §8).
_EXAMPLE_OVERRIDES: dict[tuple[str, str], str] = {
    ("award_nomination", "status"): "awarded",
    ("survey", "adoption"): "partial",
    ("funding", "flow"): "committed",
}


def _choices(col: ColumnSpec, lang: str) -> list[str]:
    """The drop-down values of ``col`` in the template's language (empty: no list)."""
    if col.kind == "enum":
        return [col.label_zh(v) if lang == "zh" else v for v in col.enum]
    if col.kind == "region":
        frame = regions()
        return frame["name_zh"].to_list() if lang == "zh" else frame["code"].to_list()
    if col.kind == "org_type":
        frame = org_types()
        return frame["name_zh"].to_list() if lang == "zh" else frame["id"].to_list()
    if col.kind == "bool":
        return ["是", "否"] if lang == "zh" else ["yes", "no"]
    if col.kind == "likert":
        return ["5", "4", "3", "2", "1"]
    if col.kind == "standard_code":
        return sorted(standards()["code"].to_list())
    return []


def header_text(col: ColumnSpec, lang: str) -> str:
    """The header written in the template: the Chinese header, or the canonical name.

    Examples
    --------
    >>> c = ColumnSpec("site_id", "试点单位编号", "text")
    >>> header_text(c, "zh"), header_text(c, "en")
    ('试点单位编号', 'site_id')
    """
    return col.header_zh if lang == "zh" else col.name


def example_value(spec: SourceSpec, col: ColumnSpec, lang: str) -> Any:
    """A valid example value of ``col`` as a user would type it."""
    override = _EXAMPLE_OVERRIDES.get((spec.name, col.name))
    if override is not None and col.kind == "enum":
        return col.label_zh(override) if lang == "zh" else override
    kind = col.kind
    if kind == "enum":
        return _choices(col, lang)[0]
    if kind in {"region", "org_type", "bool"}:
        return _choices(col, lang)[0]
    examples: dict[str, Any] = {
        "likert": 4,
        "percent": "85%",
        "int": 0,
        "decimal": 120000,
        "float": 80.5,
        "date": date(2024, 5, 8),
        "year": 2024,
        "period": "2024-Q2",
        "standard_code": "GB/T 22239-2019",
        "codes": "GB/T 22239-2019; GB/T 35273-2020",
    }
    if kind in examples:
        value = examples[kind]
        if col.min_value is not None and isinstance(value, int | float) and value < col.min_value:
            value = col.min_value
        if col.max_value is not None and isinstance(value, int | float) and value > col.max_value:
            value = col.max_value
        return value
    if col.name.endswith("_id"):
        return f"{col.name.removesuffix('_id').upper()}-001"
    return f"{col.header_zh}示例" if lang == "zh" else f"example {col.name}"


def _note(col: ColumnSpec, spec: SourceSpec) -> str:
    lines = [f"{col.header_zh} / {col.name}"]
    required = col.required or col.name in spec.key
    lines.append("必填 / required" if required else "可空 / optional")
    lines.append(f"{_KIND_ZH[col.kind]} / {_KIND_EN[col.kind]}")
    if col.description_zh:
        lines.append(col.description_zh)
    if col.description_en:
        lines.append(col.description_en)
    if col.kind == "enum":
        lines.append("可选值 / values: " + "; ".join(f"{col.label_zh(v)} = {v}" for v in col.enum))
    for unit_header, factor in col.unit_headers.items():
        lines.append(
            f"表头写“{unit_header}”时按 ×{factor:g} 计 / header {unit_header!r} means ×{factor:g}"
        )
    if col.min_value is not None or col.max_value is not None:
        lo = "" if col.min_value is None else f"{col.min_value:g}"
        hi = "" if col.max_value is None else f"{col.max_value:g}"
        lines.append(f"范围 / range: {lo}–{hi}")
    return "\n".join(lines)


def _sheet_name(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31]


def _write_value(ws: Any, row: int, col: int, value: Any, fmt: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, datetime | date):
        moment = (
            value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        )
        ws.write_datetime(row, col, moment, fmt["date"])
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value), fmt["text"])


def build_template(
    spec: SourceSpec,
    *,
    lang: str = "zh",
    rows: list[dict[str, Any]] | None = None,
) -> bytes:
    """Return the XLSX template of ``spec`` as bytes.

    Parameters
    ----------
    spec
        The source, e.g. ``get_source("feedback")``.
    lang
        ``zh`` (Chinese headers) or ``en`` (canonical English headers).
    rows
        Optional rows to pre-fill the data sheet (canonical name -> value
        as a user would type it), e.g. a filled template in tests.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> build_template(get_source("feedback"))[:2]
    b'PK'
    """
    import xlsxwriter

    if lang not in {"zh", "en"}:
        msg = f"lang must be 'zh' or 'en', not {lang!r}"
        raise ValueError(msg)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties(
        {
            "title": f"{spec.title_zh} / {spec.title_en}",
            "created": _FIXED_DATE,
            "author": "stdeval",
            "comments": f"stdeval template: {spec.name}",
        }
    )
    fmt = {
        "header": wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "required": wb.add_format(
            {
                "bold": True,
                "bg_color": "#FCE4D6",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "text": wb.add_format({"num_format": "@"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
    }
    data_title = spec.title_zh if lang == "zh" else spec.title_en
    ws = wb.add_worksheet(_sheet_name(data_title))
    example = wb.add_worksheet(_sheet_name("示例" if lang == "zh" else "example"))
    guide = wb.add_worksheet(_sheet_name("填写说明" if lang == "zh" else "columns"))
    lists = wb.add_worksheet("_lists")
    lists.hide()
    ws.activate()
    ws.freeze_panes(1, 0)
    ws.set_row(0, 30)
    list_col = 0
    for i, col in enumerate(spec.columns):
        required = col.required or col.name in spec.key
        head = header_text(col, lang)
        for sheet in (ws, example):
            sheet.write_string(0, i, head, fmt["required" if required else "header"])
            sheet.set_column(
                i,
                i,
                max(12, min(40, len(head.encode("utf-8")) + 4)),
                fmt["date"]
                if col.kind == "date"
                else fmt["text"]
                if col.kind in _TEXT_KINDS
                else None,
            )
        ws.write_comment(0, i, _note(col, spec), {"x_scale": 2.2, "y_scale": 2.5})
        choices = _choices(col, lang)
        if choices:
            for r, value in enumerate(choices):
                lists.write_string(r, list_col, value)
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            strict = col.kind in {"enum", "region", "org_type", "bool"}
            ws.data_validation(
                1,
                i,
                TEMPLATE_ROWS,
                i,
                {
                    "validate": "list",
                    "source": f"='_lists'!${letter}$1:${letter}${len(choices)}",
                    # Likert words and catalogue codes outside the list are still accepted.
                    "error_type": "warning" if strict else "information",
                    "input_title": head[:32],
                    "input_message": (_KIND_ZH[col.kind] if lang == "zh" else _KIND_EN[col.kind])[
                        :255
                    ],
                    "error_message": (
                        "请从下拉列表中选择" if lang == "zh" else "pick a value from the list"
                    ),
                },
            )
            list_col += 1
        _write_value(example, 1, i, example_value(spec, col, lang), fmt)
    for r, row in enumerate(rows or [], start=1):
        for i, col in enumerate(spec.columns):
            _write_value(ws, r, i, row.get(col.name), fmt)
    _write_guide(guide, spec, lang, fmt)
    wb.close()
    return buffer.getvalue()


def _write_guide(ws: Any, spec: SourceSpec, lang: str, fmt: dict[str, Any]) -> None:
    ws.write_string(0, 0, f"{spec.title_zh} / {spec.title_en}", fmt["title"])
    ws.write_string(
        1,
        0,
        "第一张工作表填写数据，每行一条记录；表头不要修改。红色表头为必填列。"
        " / Fill in the first sheet, one record per row; keep the headers. "
        "Red headers are required.",
    )
    key = "、".join(spec.column(k).header_zh for k in spec.key)
    ws.write_string(
        2,
        0,
        f"同一（{key}）再次上传会替换之前的记录。 / Sending the same "
        f"({', '.join(spec.key)}) again replaces the earlier row.",
    )
    heads = [
        "表头（中文）",
        "header (English)",
        "必填 required",
        "类型",
        "type",
        "可选值 / values",
        "说明",
        "description",
        "示例 / example",
    ]
    for c, text in enumerate(heads):
        ws.write_string(4, c, text, fmt["header"])
    for r, col in enumerate(spec.columns, start=5):
        required = col.required or col.name in spec.key
        values = "; ".join(f"{col.label_zh(v)} = {v}" for v in col.enum) if col.enum else ""
        units = "; ".join(f"{h} ×{f:g}" for h, f in col.unit_headers.items())
        cells = [
            col.header_zh,
            col.name,
            "是 yes" if required else "否 no",
            _KIND_ZH[col.kind],
            _KIND_EN[col.kind],
            "; ".join(filter(None, [values, units])),
            col.description_zh,
            col.description_en,
        ]
        for c, text in enumerate(cells):
            ws.write_string(r, c, text, fmt["wrap"])
        _write_value(ws, r, len(cells), example_value(spec, col, lang), fmt)
    widths = [16, 20, 10, 24, 24, 40, 40, 40, 20]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
