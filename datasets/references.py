"""Cross-table rules: keys that must already be registered in the warehouse.

The caller reads the registered keys (catalogue codes, sites, programmes,
nominations) into a :class:`~datasets.validation.ValidationContext`; the
columns to check are ``SourceSpec.references``. An empty set means nothing
is registered yet, so every reference to it is unknown: a caller that
forgets to pass the catalogue gets loud errors, never silent acceptance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from datasets.normalise.codes import CANONICAL_CODE_PATTERN, is_local_expr
from datasets.rules import WARNING, Rule, header
from datasets.spec import SourceSpec

if TYPE_CHECKING:
    from datasets.validation import ValidationContext

#: context field -> (rule id, what it is in Chinese, in English, what to do in Chinese, in English)
_REFERENCE_TEXT: dict[str, tuple[str, str, str, str, str]] = {
    "standard_codes": (
        "unknown_standard",
        "不在标准目录中",
        "is not in the standards catalogue",
        "请核对编号（如 GB/T 22239-2019）或先更新标准目录",
        "check the code (e.g. GB/T 22239-2019) or update the catalogue first",
    ),
    "site_ids": (
        "unknown_site",
        "不是已登记的试点单位",
        "is not a registered pilot site",
        "请核对编号或先登记试点单位",
        "correct the id or register the site first",
    ),
    "program_ids": (
        "unknown_program",
        "不是已登记的试点项目",
        "is not a registered pilot programme",
        "请核对编号或先上传试点项目",
        "correct the id or upload the programme first",
    ),
    "nomination_ids": (
        "unknown_nomination",
        "不是已登记的提名",
        "is not a known nomination",
        "请核对编号或先上传提名",
        "correct the id or upload the nomination first",
    ),
}


def _is_registered(spec: SourceSpec, column: str, keys: frozenset[str]) -> pl.Expr:
    allowed = sorted(keys)
    kind = spec.column(column).kind

    # A malformed code already fails standard_code_format; one message is enough.
    def known(value: pl.Expr) -> pl.Expr:
        if kind in {"codes", "standard_code"}:
            return ~value.str.contains(CANONICAL_CODE_PATTERN) | value.is_in(allowed)
        return value.is_in(allowed)

    if kind == "codes":
        return pl.col(column).str.split("; ").list.eval(known(pl.element())).list.all()
    return known(pl.col(column))


def reference_rules(spec: SourceSpec, context: ValidationContext) -> list[Rule]:
    """Return the context-dependent error rules of ``spec``.

    These are the unknown-key rules of ``spec.references`` and, when
    ``context.allowed_site_ids`` is set, ``site_not_allowed`` on ``site_id``
    (a pilot-site user may only send its own sites).
    """
    rules: list[Rule] = []
    for column, field_name in spec.references.items():
        rule_id, what_zh, what_en, do_zh, do_en = _REFERENCE_TEXT[field_name]
        col = spec.column(column)
        if col.kind == "codes":  # a list cell: say that one of its codes is unknown
            what_zh, what_en = f"中有编号{what_zh}", f"lists a code that {what_en}"
        rules.append(
            Rule(
                rule_id,
                column,
                _is_registered(spec, column, getattr(context, field_name)),
                f"{header(col)}{what_zh}，{do_zh}",
                f"{column} {what_en}; {do_en}",
            )
        )
    if context.allowed_site_ids is not None and "site_id" in spec.column_names():
        rules.append(
            Rule(
                "site_not_allowed",
                "site_id",
                pl.col("site_id").is_in(sorted(context.allowed_site_ids)),
                "您的账号只能上传本单位试点单位的数据，请删除其他单位的行后重新上传",
                "your account may only send rows for its own pilot sites; remove the other "
                "sites' rows and upload again",
            )
        )
    return rules


def local_standard_rules(spec: SourceSpec) -> list[Rule]:
    """Return the §6 ``local_standard`` warnings for every standard-code column."""
    return [
        Rule(
            "local_standard",
            col.name,
            ~is_local_expr(pl.col(col.name)),
            f"{header(col)}是地方标准（DB..）：按《若干意见》第（6）条原则上不制定网络安全地方标准，"
            "该行已接收并标记",
            f"{col.name} is a local standard (DB..): under §6 cybersecurity local standards are "
            "in principle not made; the row was accepted and flagged",
            severity=WARNING,
        )
        for col in spec.columns
        if col.kind == "standard_code"
    ]
