"""One standard's detail on the dashboard: adoption, sites, feedback themes.

Feedback comments are free Chinese text. They are grouped into themes by
the words they share: each distinct text is segmented with ``rjieba`` (the
jieba segmenter), stop words and single characters dropped, and a theme is
a content word with the number of comments (counting repeats) that use it.
"""

from __future__ import annotations

from functools import cache

import duckdb
import polars as pl

from datasets.access import Access
from metrics.filters import Filters, query_in_view

__all__ = [
    "STOP_WORDS",
    "comment_themes",
    "standard_adoption",
    "standard_comments",
    "standard_sites",
]

#: Words too common in feedback to name a theme (function words, "standard").
STOP_WORDS: frozenset[str] = frozenset(
    {"的", "和", "与", "及", "等", "对", "在", "了", "是", "有", "不", "中", "相关", "标准",
     "建议", "部分", "存在", "进一步", "加强", "问题", "较", "过于", "一些", "需要"}
)  # fmt: skip


def standard_adoption(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, code: str
) -> pl.DataFrame:
    """Survey responses, awareness and adoption of ``code`` by org type and by region.

    Returns
    -------
    polars.DataFrame
        ``grouping_name`` (``org_type`` or ``region``), ``key, responses,
        aware_rate, adoption_rate, name_zh, name_en``.
    """
    return query_in_view(
        cur, "board_standard_adoption", filters=filters, scope=scope, standard_code=code
    )


def standard_sites(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, code: str
) -> pl.DataFrame:
    """Programmes and sites that reported on ``code``: rows, satisfaction, last period."""
    return query_in_view(
        cur, "board_standard_sites", filters=filters, scope=scope, standard_code=code
    )


def standard_comments(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, code: str
) -> pl.DataFrame:
    """Distinct problem and suggestion texts about ``code`` with their counts.

    Returns
    -------
    polars.DataFrame
        ``kind`` (``problem`` / ``suggestion``), ``text, n``.
    """
    return query_in_view(
        cur, "board_standard_comments", filters=filters, scope=scope, standard_code=code
    )


@cache
def _segment(text: str) -> tuple[str, ...]:
    import rjieba

    words = (w.strip() for w in rjieba.cut(text))
    return tuple(sorted({w for w in words if len(w) > 1 and w not in STOP_WORDS}))


def comment_themes(comments: pl.DataFrame, *, top: int = 12) -> pl.DataFrame:
    """Group comments into themes: content words and how many comments use them.

    Parameters
    ----------
    comments
        ``kind, text, n`` as :func:`standard_comments` returns.
    top
        Themes kept per kind, most frequent first.

    Returns
    -------
    polars.DataFrame
        ``kind, theme, comments, example``: a theme word, the comments
        (counting repeats) whose text contains it, and the most frequent
        such text.

    Examples
    --------
    >>> rows = pl.DataFrame({"kind": ["problem"] * 3,
    ...     "text": ["测评方法可操作性不强", "缺乏可操作性", "缺少配套实施指南"], "n": [2, 1, 1]})
    >>> comment_themes(rows).filter(pl.col("theme") == "可操作性")["comments"].item()
    3
    """
    schema = {"kind": pl.String, "theme": pl.String, "comments": pl.Int64, "example": pl.String}
    if comments.is_empty():
        return pl.DataFrame(schema=schema)
    exploded = comments.with_columns(
        pl.col("text")
        .map_elements(lambda s: list(_segment(s)), return_dtype=pl.List(pl.String))
        .alias("theme")
    ).explode("theme")
    return (
        exploded.drop_nulls("theme")
        .sort("n", descending=True)
        .group_by("kind", "theme")
        .agg(pl.col("n").sum().alias("comments"), pl.col("text").first().alias("example"))
        .with_columns(pl.col("comments").cast(pl.Int64))
        .sort(["kind", "comments", "theme"], descending=[False, True, False])
        .group_by("kind", maintain_order=True)
        .head(top)
        .select(list(schema))
    )
