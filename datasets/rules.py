"""Row rules: a stable id, the column the user must fix, a polars test, and bilingual messages.

A :class:`Rule` is a vectorised polars expression that is True for a good
row (null counts as good, so optional blanks pass; blank required cells are
the separate ``required`` rule). Rules come from two places: the kind and
limits of each column (:func:`column_rules`) and the source's own rules in
``SourceSpec.rules`` (cross-column rules, and limits a kind cannot express).
The pandera schema of every source is built from these rules, so the
validated contract and the messages shown to the user never drift apart.

Rule ids are stable snake_case strings: the ingest stores them in
``rejected_row.rule`` and evaluators query them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from datasets.normalise.codes import CANONICAL_CODE_PATTERN
from datasets.reference_data import org_types, regions
from datasets.spec import ColumnSpec, SourceSpec

#: Feedback periods are stored as their canonical text (DATA_MODEL.md).
PERIOD_PATTERN = r"^\d{4}-Q[1-4]$"
#: Years accepted for survey, fiscal and award years.
YEAR_MIN, YEAR_MAX = 2016, 2100

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """One row rule.

    Attributes
    ----------
    id
        Stable rule id (``likert_range``, ``aware_no_adoption``...).
    column
        Canonical column reported to the user (the one to correct).
    valid
        Polars expression, True (or null) where the row passes.
    message_zh, message_en
        What is wrong and what to do, in Chinese and English.
    severity
        ``error`` rejects the row; ``warning`` keeps it.
    cross_column
        True for rules reading more than one column (pandera dataframe checks).
    """

    id: str
    column: str
    valid: pl.Expr = field(compare=False, hash=False)
    message_zh: str
    message_en: str
    severity: str = ERROR
    cross_column: bool = False

    @property
    def key(self) -> str:
        """Unique key of the rule within a source: ``column:id``."""
        return f"{self.column}:{self.id}"


def header(col: ColumnSpec) -> str:
    """The Chinese header quoted as users see it: ``“适用性”``."""
    return f"“{col.header_zh}”"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def required_rule(col: ColumnSpec) -> Rule:
    """The ``required`` rule of a required column (pandera's not-nullable check)."""
    return Rule(
        "required",
        col.name,
        pl.col(col.name).is_not_null(),
        f"{header(col)}不能为空，请填写后重新上传",
        f"{col.name} is required; fill it in and upload again",
    )


def _range_rule(col: ColumnSpec) -> Rule | None:
    lo, hi = col.min_value, col.max_value
    if col.kind == "likert":
        return Rule(
            "likert_range",
            col.name,
            pl.col(col.name).is_between(1, 5),
            f"{header(col)}应为 1–5 的整数或“非常同意…非常不同意”“非常满意…非常不满意”，请修改后重新上传",
            f"{col.name} must be 1–5 or a Likert word (非常同意…非常不同意, 非常满意…非常不满意); "
            "correct it and upload again",
        )
    if col.kind == "percent":
        return Rule(
            "percent_range",
            col.name,
            pl.col(col.name).is_between(0, 100),
            f"{header(col)}应在 0–100 之间（可写 85 或 85%），请修改后重新上传",
            f"{col.name} must be between 0 and 100 (write 85 or 85%); correct it and upload again",
        )
    if col.kind == "year":
        # Survey, fiscal and award years start with the Opinions (2016); a
        # column may widen the range (a catalogue code year goes back further).
        y_lo = int(lo) if lo is not None else YEAR_MIN
        y_hi = int(hi) if hi is not None else YEAR_MAX
        return Rule(
            "year_range",
            col.name,
            pl.col(col.name).is_between(y_lo, y_hi),
            f"{header(col)}应为 {y_lo}–{y_hi} 之间的四位年份，请修改后重新上传",
            f"{col.name} must be a four-digit year from {y_lo} to {y_hi}; "
            "correct it and upload again",
        )
    if lo is None and hi is None:
        return None
    expr = pl.lit(True)
    if lo is not None:
        expr = expr & (pl.col(col.name) >= lo)
    if hi is not None:
        expr = expr & (pl.col(col.name) <= hi)
    if lo is not None and hi is not None:
        zh = f"{header(col)}应在 {_fmt(lo)}–{_fmt(hi)} 之间，请修改后重新上传"
        en = f"{col.name} must be between {_fmt(lo)} and {_fmt(hi)}; correct it and upload again"
    elif lo is not None:
        zh = f"{header(col)}不能小于 {_fmt(lo)}，请修改后重新上传"
        en = f"{col.name} must not be below {_fmt(lo)}; correct it and upload again"
    else:
        zh = f"{header(col)}不能大于 {_fmt(hi)}，请修改后重新上传"  # type: ignore[arg-type]
        en = f"{col.name} must not be above {_fmt(hi)}; correct it and upload again"  # type: ignore[arg-type]
    # A null compares to null, which counts as passing (blank optional cell).
    return Rule("value_range", col.name, expr, zh, en)


def _choice_rule(col: ColumnSpec) -> Rule | None:
    if col.kind == "enum":
        zh_choices = "、".join(col.label_zh(v) for v in col.enum)
        return Rule(
            "enum_value",
            col.name,
            pl.col(col.name).is_in(list(col.enum)),
            f"{header(col)}应为以下之一：{zh_choices}；请从下拉列表中选择后重新上传",
            f"{col.name} must be one of: {', '.join(col.enum)}; pick a value from the drop-down list "
            "and upload again",
        )
    if col.kind == "region":
        codes = regions()["code"].to_list()
        return Rule(
            "unknown_region",
            col.name,
            pl.col(col.name).is_in(codes),
            f"{header(col)}不是有效的省级行政区划，请填写两位代码或省份名称（如 11、北京、北京市）",
            f"{col.name} is not a province-level region; write its two-digit code or name "
            "(11, 北京, 北京市, Beijing)",
        )
    if col.kind == "org_type":
        ids = org_types()
        zh_choices = "、".join(ids["name_zh"].to_list())
        return Rule(
            "unknown_org_type",
            col.name,
            pl.col(col.name).is_in(ids["id"].to_list()),
            f"{header(col)}应为以下之一：{zh_choices}；请从下拉列表中选择后重新上传",
            f"{col.name} must be one of: {', '.join(ids['id'].to_list())}; pick a value from the "
            "drop-down list and upload again",
        )
    return None


def _format_rule(col: ColumnSpec) -> Rule | None:
    if col.kind == "standard_code":
        return Rule(
            "standard_code_format",
            col.name,
            pl.col(col.name).str.contains(CANONICAL_CODE_PATTERN),
            f"{header(col)}不是有效的标准编号，应写作 GB/T 22239-2019 的形式，请修改后重新上传",
            f"{col.name} is not a standard code; write it like GB/T 22239-2019 and upload again",
        )
    if col.kind == "codes":
        each = (
            pl.col(col.name)
            .str.split("; ")
            .list.eval(pl.element().str.contains(CANONICAL_CODE_PATTERN))
        )
        return Rule(
            "standard_code_format",
            col.name,
            each.list.all(),
            f"{header(col)}中有无效的标准编号：每个编号应写作 GB/T 22239-2019，多个编号以“;”"
            "“、”或“,”分隔，请修改后重新上传",
            f"{col.name} holds a code that is not a standard code: write each like "
            "GB/T 22239-2019, separated by ';', '、' or ','; correct it and upload again",
        )
    if col.kind == "period":
        return Rule(
            "period_format",
            col.name,
            pl.col(col.name).str.contains(PERIOD_PATTERN),
            f"{header(col)}无法识别为季度，应写作“YYYY-Qn”（如 2024-Q2，年份 2016–2100），也可写 "
            "2024年第二季度、2024-05 或日期，请修改后重新上传",
            f"{col.name} is not a quarter: write YYYY-Qn (2024-Q2, a year in 2016–2100); "
            "2024年第二季度, 2024-05 or a date also work; correct it and upload again",
        )
    return None


def column_rules(spec: SourceSpec) -> list[Rule]:
    """Return every rule that follows from the kinds and limits of ``spec``'s columns.

    The ``required`` rules are included (pandera enforces them as
    ``nullable=False``).

    Examples
    --------
    >>> col = ColumnSpec("q", "满意度", "likert", required=True)
    >>> spec = SourceSpec("x", "x", "表", "t", ("q",), (col,))
    >>> [r.id for r in column_rules(spec)]
    ['required', 'likert_range']
    """
    rules: list[Rule] = []
    for col in spec.columns:
        if col.required:
            rules.append(required_rule(col))
        for make in (_range_rule, _choice_rule, _format_rule):
            rule = make(col)
            if rule is not None:
                rules.append(rule)
    return rules


def all_rules(spec: SourceSpec) -> list[Rule]:
    """Column rules followed by the source's own rules (errors and warnings)."""
    return [*column_rules(spec), *spec.rules]
