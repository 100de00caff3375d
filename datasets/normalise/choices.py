"""Choices: enumerations, yes/no, Likert answers, organisation types.

Every choice is matched after folding (full-width -> half-width, case,
surrounding spaces and invisible characters; spaces next to a Chinese
character are dropped, so ``非常 满意`` is ``非常满意``; spaces and hyphens
inside an English value count as ``_``), against the canonical value and
its Chinese words.

Yes/no: ``√``, ``✓`` and ``✔`` are yes; ``×``, ``✗`` and ``✘`` are no. A
letter ``x`` is not read: in a checklist it may mean ticked or crossed.
Likert: the words of the usual five-point scales (非常满意/比较满意/一般/
不太满意/非常不满意, 很满意…很不满意, and the 同意 scales), digits
(``5``, ``５``, ``5 分``, ``5.0``) and circled digits (``⑤``, which NFKC folds).
Chinese numerals (``五分``) are not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.numbers import integer_expr
from datasets.normalise.width import folded_expr, half_width
from datasets.reference_data import org_types

#: Likert words (5 best). The survey uses both the satisfaction and the
#: agreement scale; 一般 is the midpoint of both.
LIKERT_WORDS: dict[str, int] = {
    "非常满意": 5, "满意": 4, "比较满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1,
    "很满意": 5, "较满意": 4, "不太满意": 2, "比较不满意": 2, "较不满意": 2, "很不满意": 1,
    "非常同意": 5, "同意": 4, "比较同意": 4, "中立": 3, "不同意": 2, "非常不同意": 1,
    "很同意": 5, "较同意": 4, "不太同意": 2, "比较不同意": 2, "较不同意": 2, "很不同意": 1,
    "strongly agree": 5, "agree": 4, "neutral": 3, "disagree": 2, "strongly disagree": 1,
    "very satisfied": 5, "satisfied": 4, "dissatisfied": 2, "very dissatisfied": 1,
}  # fmt: skip

#: Yes/no words -> bool.
YES_NO: dict[str, bool] = {
    "是": True, "否": False, "有": True, "无": False, "对": True, "错": False,
    "y": True, "n": False, "yes": True, "no": False, "1": True, "0": False,
    "true": True, "false": False, "t": True, "f": False, "1.0": True, "0.0": False,
    "√": True, "✓": True, "✔": True, "×": False, "✗": False, "✘": False,
    "是的": True, "不是": False, "没有": False,
    # The survey asks 是否知晓 (aware of the standard?).
    "知晓": True, "不知晓": False, "知道": True, "不知道": False,
}  # fmt: skip

#: Extra Chinese and English words for organisation types (the id and the
#: name of ``org_type.csv`` are always accepted).
ORG_TYPE_WORDS: dict[str, str] = {
    "企业单位": "enterprise", "公司": "enterprise", "company": "enterprise",
    "国有企业": "enterprise", "国企": "enterprise", "民营企业": "enterprise",
    "私营企业": "enterprise", "外资企业": "enterprise",
    "高等院校": "university", "高等学校": "university", "大学": "university", "院校": "university",
    "科研机构": "research_institute", "研究院所": "research_institute",
    "科研单位": "research_institute", "research institute": "research_institute",
    "检测机构": "testing_body", "认证机构": "testing_body", "测评机构": "testing_body",
    "检测认证": "testing_body", "testing body": "testing_body",
    "用户": "user", "使用单位": "user", "用户单位": "user",
    "政府": "government", "政府机关": "government", "党政机关": "government",
}  # fmt: skip


# Spaces next to a non-ASCII (Chinese) character carry no meaning: 非常 满意.
_SPACE_BY_CJK = r"\s+([^\x00-\x7f])|([^\x00-\x7f])\s+"


def fold_choice(text: str) -> str:
    """Fold a choice word the way :func:`choice_expr` folds cells (for building maps).

    Examples
    --------
    >>> fold_choice(" In-Progress "), fold_choice("非常 满意")
    ('in_progress', '非常满意')
    """
    folded = re.sub(_SPACE_BY_CJK, r"\1\2", (half_width(text) or "").lower())
    return re.sub(r"[\s\-]+", "_", folded)


def _folded_choice_expr(expr: pl.Expr) -> pl.Expr:
    return (
        folded_expr(expr)
        .str.to_lowercase()
        .str.replace_all(_SPACE_BY_CJK, "$1$2")
        .str.replace_all(r"[\s\-]+", "_")
    )


_TEXT = pl.Utf8()


def choice_expr(
    expr: pl.Expr, words: Mapping[str, object], *, dtype: pl.DataType = _TEXT
) -> pl.Expr:
    """Map each folded cell through ``words`` (keys folded with :func:`fold_choice`)."""
    mapping = {fold_choice(k): v for k, v in words.items()}
    return _folded_choice_expr(expr).replace_strict(mapping, default=None, return_dtype=dtype)


def enum_words(values: tuple[str, ...], labels_zh: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Accepted word -> canonical value for an enum column."""
    words = {v: v for v in values}
    words.update({label: value for value, labels in labels_zh.items() for label in labels})
    return words


def enum_expr(
    expr: pl.Expr, values: tuple[str, ...], labels_zh: Mapping[str, tuple[str, ...]]
) -> pl.Expr:
    """Vectorised enum normaliser: canonical value, or null when unknown."""
    return choice_expr(expr, enum_words(values, labels_zh))


def org_type_words() -> dict[str, str]:
    """Every accepted word for an organisation type -> its id."""
    table = org_types()
    words = {i: i for i in table["id"].to_list()}
    words.update(dict(zip(table["name_zh"], table["id"], strict=True)))
    words.update(dict(zip(table["name_en"], table["id"], strict=True)))
    words.update(ORG_TYPE_WORDS)
    return words


def org_type_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised organisation-type normaliser (id, Chinese or English name)."""
    return choice_expr(expr, org_type_words())


def yes_no_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised yes/no normaliser returning Boolean."""
    return choice_expr(expr, YES_NO, dtype=pl.Boolean())


def likert_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised Likert normaliser returning Int8.

    Digits are returned as typed (``7`` stays 7) so that the ``likert_range``
    rule reports them; a trailing 分 (``5分``) is dropped.
    """
    word = choice_expr(expr, LIKERT_WORDS, dtype=pl.Int8())
    digits = integer_expr(folded_expr(expr).str.replace(r"分$", ""), dtype=pl.Int8())
    return pl.coalesce(word, digits)


def normalise_likerts(values: pl.Series) -> Parsed:
    """Normalise a Series of Likert answers; see :func:`likert_expr`."""
    return parse_series(values, likert_expr)


def normalise_likert(value: str | None) -> int | None:
    """Normalise one Likert answer.

    Examples
    --------
    >>> [normalise_likert(v) for v in ("5", "５", "4分", "非常满意", "不同意", "一般")]
    [5, 5, 4, 5, 2, 3]
    >>> normalise_likert("很好") is None
    True
    """
    return parse_scalar(value, likert_expr)


def normalise_yes_no(value: str | None) -> bool | None:
    """Normalise one yes/no answer.

    Examples
    --------
    >>> [normalise_yes_no(v) for v in ("是", "否", "Y", "n", "1", "0", "TRUE", "有", "无")]
    [True, False, True, False, True, False, True, True, False]
    """
    return parse_scalar(value, yes_no_expr)


def normalise_org_type(value: str | None) -> str | None:
    """Normalise one organisation type.

    Examples
    --------
    >>> [normalise_org_type(v) for v in ("企业", "高校", "Research Institute", "testing_body")]
    ['enterprise', 'university', 'research_institute', 'testing_body']
    """
    return parse_scalar(value, org_type_expr)


def normalise_enum(
    value: str | None, values: tuple[str, ...], labels_zh: Mapping[str, tuple[str, ...]]
) -> str | None:
    """Normalise one enum cell.

    Examples
    --------
    >>> normalise_enum("实施中", ("in_progress",), {"in_progress": ("实施中",)})
    'in_progress'
    >>> normalise_enum("In Progress", ("in_progress",), {})
    'in_progress'
    """
    return parse_scalar(value, lambda e: enum_expr(e, values, labels_zh))
