"""From the text cells of an upload to the typed canonical frame, reporting every cell that fails.

Each column kind has one normaliser of :mod:`datasets.normalise`; all run
in a single vectorised ``select``. A non-blank cell the normaliser cannot
read is reported (value as given) and becomes null in the typed frame, so
a bad value is never silently lost; its row is rejected by
:func:`datasets.validation.validate_raw`. A blank optional cell is null (or
the column's ``default``); a blank required cell is a ``required`` error.

Where a kind has a value rule that already tells the user every accepted
spelling (Likert, choices, regions, codes, periods, years, percentages),
an unreadable cell is reported under that rule's id and message, so the
user sees one explanation per column whatever the mistake. Plain type
failures get their own ids: ``not_an_integer``, ``not_an_amount``,
``not_a_number``, ``not_a_date``, ``not_yes_no``, and for identifiers in
scientific notation ``id_scientific_notation``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from datasets.normalise.apply import Parsed, parse_series
from datasets.normalise.choices import enum_expr, likert_expr, org_type_expr, yes_no_expr
from datasets.normalise.codes import code_expr
from datasets.normalise.dates import date_expr, period_expr
from datasets.normalise.numbers import float_expr, integer_expr, money_expr, percent_expr
from datasets.normalise.regions import region_expr
from datasets.normalise.text import code_list_expr, identifier_expr, text_expr
from datasets.normalise.width import folded_expr
from datasets.problems import ERROR_COLUMNS, ROW, failures_to_rows
from datasets.rules import Rule, column_rules, header, required_rule
from datasets.spec import ColumnSpec, SourceSpec

#: kind -> id of the value rule whose message explains the accepted spellings.
_SHARED_RULE = {
    "likert": "likert_range",
    "enum": "enum_value",
    "region": "unknown_region",
    "org_type": "unknown_org_type",
    "standard_code": "standard_code_format",
    "codes": "standard_code_format",
    "period": "period_format",
    "year": "year_range",
    "percent": "percent_range",
}

#: kind -> (rule id, Chinese "should be", English "must be") for plain type failures.
_TYPE_RULE = {
    "int": ("not_an_integer", "应为整数（如 3）", "must be a whole number (e.g. 3)"),
    "decimal": (
        "not_an_amount",
        "应为金额（如 1234.50、￥1,234 或 12.5万）",
        "must be an amount such as 1234.50, ￥1,234 or 12.5万",
    ),
    "float": ("not_a_number", "应为数字（如 88.5）", "must be a number (e.g. 88.5)"),
    "date": (
        "not_a_date",
        "不是有效日期，应写作 2024-05-08（也可写 2024/5/8、2024年5月8日）",
        "is not a valid date: write it as 2024-05-08 (2024/5/8 and 2024年5月8日 also work)",
    ),
    "id": (
        "id_scientific_notation",
        "是科学计数法（如 2.02405E+11）：Excel 把长数字编号显示成科学计数法，另存时丢掉了后面的位数，"
        "不同的编号会因此变成同一个；请在 Excel 中把该列设置为“文本”格式并重新填入完整编号",
        "is in scientific notation (such as 2.02405E+11): Excel showed a long numeric id that way "
        "and dropped its last digits when saving, so different ids become one; format the column "
        "as Text in Excel and enter the full ids again",
    ),
    "bool": (
        "not_yes_no",
        "应为“是”或“否”（也可写 Y/N、1/0、√/×）",
        "must be yes or no (是/否, Y/N, 1/0, √/×)",
    ),
}


def _year_expr(expr: pl.Expr) -> pl.Expr:
    return integer_expr(folded_expr(expr).str.replace(r"年(度)?$", ""), dtype=pl.Int16())


def parser(col: ColumnSpec, factor: float = 1.0) -> Callable[[pl.Expr], pl.Expr]:
    """Return the normaliser of ``col`` (``factor`` scales money and numbers)."""
    kind = col.kind
    if kind == "decimal":
        return lambda e: money_expr(e, factor=factor)
    if kind == "float":
        return lambda e: float_expr(e) * factor if factor != 1.0 else float_expr(e)
    if kind == "enum":
        return lambda e: enum_expr(e, col.enum, col.enum_labels_zh)
    parsers: dict[str, Callable[[pl.Expr], pl.Expr]] = {
        "text": text_expr,
        "id": identifier_expr,
        "int": integer_expr,
        "date": date_expr,
        "bool": yes_no_expr,
        "likert": likert_expr,
        "standard_code": code_expr,
        "period": period_expr,
        "region": region_expr,
        "org_type": org_type_expr,
        "year": _year_expr,
        "percent": percent_expr,
        "codes": code_list_expr,
    }
    return parsers[kind]


def cast_rule(spec: SourceSpec, col: ColumnSpec, *, rules: list[Rule] | None = None) -> Rule | None:
    """The rule reported when a non-blank cell of ``col`` cannot be read (``None`` for free text).

    ``rules`` are ``column_rules(spec)`` when the caller already has them.
    """
    if col.kind == "text":
        return None
    shared = _SHARED_RULE.get(col.kind)
    if shared is not None:
        for rule in rules if rules is not None else column_rules(spec):
            if rule.column == col.name and rule.id == shared:
                return rule
    rule_id, zh, en = _TYPE_RULE[col.kind]
    return Rule(
        rule_id,
        col.name,
        pl.lit(True),
        f"{header(col)}{zh}，请修改后重新上传",
        f"{col.name} {en}; correct it and upload again",
    )


def _prepare(spec: SourceSpec, raw: pl.DataFrame) -> pl.DataFrame:
    names = spec.column_names()
    extra = [c for c in raw.columns if c not in names and c != ROW]
    if extra:
        msg = (
            f"normalise_raw({spec.name}) takes canonical column names; unknown columns {extra}; "
            "map the file's headers with datasets.headers.map_headers first"
        )
        raise ValueError(msg)
    rows = (
        pl.col(ROW).cast(pl.Int64)
        if ROW in raw.columns
        else pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias(ROW)
    )
    cells = [
        (pl.col(c).cast(pl.Utf8) if c in raw.columns else pl.lit(None, dtype=pl.Utf8)).alias(c)
        for c in names
    ]
    return raw.select(*cells, rows)


#: From this many rows the columns are parsed in parallel threads (polars
#: releases the GIL); below it a thread pool costs more than it saves.
PARALLEL_ROWS = 100_000


def _parse_columns(spec: SourceSpec, frame: pl.DataFrame, scale: dict[str, float]) -> list[Parsed]:
    """Run each column's normaliser over its cells, in spec order."""
    jobs = [(frame[col.name], parser(col, scale.get(col.name, 1.0))) for col in spec.columns]
    if frame.height < PARALLEL_ROWS:
        return [parse_series(cells, parse) for cells, parse in jobs]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda job: parse_series(*job), jobs))


def normalise_raw(
    spec: SourceSpec, raw: pl.DataFrame, *, scale: dict[str, float] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Normalise the text cells of an upload into the typed canonical frame.

    Parameters
    ----------
    spec
        The source.
    raw
        Text cells under canonical column names, optionally with ``_row``
        (default 2..n+1). Missing columns are blank; other dtypes are read
        as text.
    scale
        Canonical column -> unit factor from the header (``HeaderMapping.scale``).

    Returns
    -------
    typed : pl.DataFrame
        ``spec.polars_schema()`` columns in SPEC order plus ``_row``;
        unreadable cells are null.
    errors : pl.DataFrame
        ``ERROR_COLUMNS`` rows for unreadable cells (value as given) and
        blank required cells, sorted by row.

    Raises
    ------
    ValueError
        If ``raw`` has columns that are not canonical.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> spec = get_source("award_review")
    >>> raw = pl.DataFrame({"nomination_id": ["N1", "N2"], "judge_id": ["J1", ""],
    ...                     "criterion": ["先进性", "effect"], "score": ["９０", "九十"]})
    >>> typed, errors = normalise_raw(spec, raw)
    >>> typed.row(0)
    ('N1', 'J1', 'advancement', 90.0, False, 2)
    >>> errors.select("row", "column", "value", "rule").rows()
    [(3, 'judge_id', None, 'required'), (3, 'score', '九十', 'not_a_number')]
    """
    scale = scale or {}
    frame = _prepare(spec, raw)
    value_rules = column_rules(spec)
    typed_columns: list[pl.Series] = []
    failures: list[pl.DataFrame] = []
    rules: list[Rule] = []

    def report(rule: Rule, mask: pl.Series) -> None:
        rules.append(rule)
        if mask.any():
            failures.append(
                pl.DataFrame({"index": mask.arg_true().cast(pl.UInt32), "key": rule.key})
            )

    for col, parsed in zip(spec.columns, _parse_columns(spec, frame, scale), strict=True):
        values = parsed.values.cast(col.dtype)
        # A null that is not an unreadable cell was a blank cell.
        blank = values.is_null() & ~parsed.invalid
        if col.default is not None:
            values = pl.select(
                pl.when(blank).then(pl.lit(col.default, dtype=col.dtype)).otherwise(values)
            ).to_series()
        typed_columns.append(values.alias(col.name))
        cast_fail = cast_rule(spec, col, rules=value_rules)
        if cast_fail is not None:
            report(cast_fail, parsed.invalid)
        if col.required and col.default is None:
            report(required_rule(col), blank)
    typed = pl.DataFrame([*typed_columns, frame[ROW]])
    if not failures:
        return typed, pl.DataFrame(schema=ERROR_COLUMNS)
    failed = pl.concat(failures)
    # The value reported is the cell as the user typed it; a blank is null.
    errors = failures_to_rows(spec, frame, failed, rules).with_columns(
        pl.when(pl.col("rule") != "required").then(pl.col("value")).alias("value")
    )
    return typed, placeholder_messages(spec, errors)


#: What users write for "no value" in a number cell: slashes and dashes, 无, N/A...
PLACEHOLDER = (
    r"(?i)^[\s\u3000]*(?:[/／\\\-－—–―~～]+|无|暂无|没有|空|不适用|n/?a|null|none|#n/a)[\s\u3000]*$"
)
_NUMBER_KINDS = frozenset({"int", "decimal", "float", "percent"})


def placeholder_messages(spec: SourceSpec, errors: pl.DataFrame) -> pl.DataFrame:
    """Say that an optional number cell may be left blank where it holds a placeholder (``/``, ``无``).

    The cell stays rejected under its own rule; only the message changes.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> raw = pl.DataFrame({"site_id": ["S1"], "standard_code": ["GB/T 22239-2019"],
    ...                     "period": ["2024-Q2"], "cost_cny": ["/"]})
    >>> _, errors = normalise_raw(get_source("feedback"), raw)
    >>> errors["rule"].item(), "留空" in errors["message_zh"].item()
    ('not_an_amount', True)
    """
    optional = [c.name for c in spec.columns if c.kind in _NUMBER_KINDS and not c.required]
    if errors.height == 0 or not optional:
        return errors
    hit = (
        pl.col("column").is_in(optional)
        & (pl.col("rule") != "required")
        & pl.col("value").str.contains(PLACEHOLDER).fill_null(False)
    )
    if not errors.select(hit.any()).item():
        return errors
    names = {c.name: header(c) for c in spec.columns}
    shown_zh = pl.col("column").replace_strict(names, default=pl.col("column"))
    zh = pl.format(
        "{}填写了“{}”：这是可以不填的数字列，没有数据时请直接留空（不要填“/”“无”“N/A”等占位符），"
        "请清空该单元格后重新上传",
        shown_zh,
        pl.col("value"),
    )
    en = pl.format(
        "{} holds the placeholder '{}': this number column is optional and may be left blank when "
        "there is no value (no '/', '无' or 'N/A'); clear the cell and upload again",
        pl.col("column"),
        pl.col("value"),
    )
    return errors.with_columns(
        pl.when(hit).then(zh).otherwise(pl.col("message_zh")).alias("message_zh"),
        pl.when(hit).then(en).otherwise(pl.col("message_en")).alias("message_en"),
    )
