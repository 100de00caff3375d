"""Survey reliability: Cronbach's α over the six q_* items per survey year.

SCORING.md §3: α is shown beside the scores and α < 0.7 is a warning. The
functions take rows the caller has already read; nothing here touches the
warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

__all__ = ["SURVEY_ITEMS", "cronbach_alpha", "survey_reliability"]

#: The six Likert items of the survey table (etl/sql/migrations/001_core.sql).
SURVEY_ITEMS: tuple[str, ...] = (
    "q_useful",
    "q_usable",
    "q_current",
    "q_consistent",
    "q_testable",
    "q_satisfied",
)

ItemsLike = pl.DataFrame | np.ndarray | Sequence[Sequence[float | None]]


def _as_items(items: ItemsLike) -> np.ndarray:
    """Respondents × items as float64, with every missing answer as NaN."""
    if isinstance(items, pl.DataFrame):
        non_numeric = [name for name, dtype in items.schema.items() if not dtype.is_numeric()]
        if non_numeric:
            msg = f"the item columns must be numeric; {non_numeric} are not"
            raise ValueError(msg)
        array = items.cast(pl.Float64).to_numpy()
    else:
        try:
            # numpy turns None into NaN for a float dtype.
            array = np.asarray(items, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = f"items must be a rectangular table of numbers (respondents × items): {exc}"
            raise ValueError(msg) from exc
    if array.ndim == 1 and array.size == 0:
        array = array.reshape(0, 0)
    if array.ndim != 2:
        msg = f"items must be two-dimensional (respondents × items), got {array.ndim} dimension(s)"
        raise ValueError(msg)
    if np.isinf(array).any():
        msg = "items contain an infinite value; answers must be finite numbers or missing"
        raise ValueError(msg)
    return array


def cronbach_alpha(items: ItemsLike, *, missing: str = "listwise") -> float:
    """Cronbach's α of a respondents × items table.

    Parameters
    ----------
    items
        One row per respondent, one column per item (polars DataFrame of
        numeric columns, 2-D numpy array, or list of lists). A missing answer
        is ``None``/null or NaN.
    missing
        Only ``"listwise"`` is supported: a respondent with any missing answer
        is left out entirely, so every variance is taken over the same people
        (R ``psych::alpha(use = "complete.obs")``). Other values are refused
        rather than silently treated differently.

    Returns
    -------
    float
        α = k/(k − 1) · (1 − Σ var_i / var_total), with k items, var_i the
        sample variance (ddof = 1) of item i and var_total that of the
        respondents' total scores. ``nan`` when var_total is 0 (every complete
        respondent has the same total), where α is undefined.

    Raises
    ------
    ValueError
        Unknown ``missing``, fewer than 2 items, or fewer than 2 complete
        respondents.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]]), 4)
    0.9706
    """
    if missing != "listwise":
        msg = (
            f"missing must be 'listwise' (drop respondents with any missing answer), "
            f"got {missing!r}"
        )
        raise ValueError(msg)
    x = _as_items(items)
    k = x.shape[1]
    if k < 2:
        msg = f"Cronbach's alpha needs at least 2 items, got {k}"
        raise ValueError(msg)
    complete = x[~np.isnan(x).any(axis=1)]
    n = complete.shape[0]
    if n < 2:
        msg = (
            f"Cronbach's alpha needs at least 2 respondents who answered every item, got {n} "
            f"(of {x.shape[0]} rows)"
        )
        raise ValueError(msg)
    item_variance = float(complete.var(axis=0, ddof=1).sum())
    total_variance = float(complete.sum(axis=1).var(ddof=1))
    if total_variance == 0.0:
        return float("nan")
    return k / (k - 1) * (1.0 - item_variance / total_variance)


def survey_reliability(
    frame: pl.DataFrame,
    *,
    items: Sequence[str] = SURVEY_ITEMS,
    by: str = "survey_year",
    threshold: float = 0.7,
) -> pl.DataFrame:
    """Cronbach's α of the survey items for each survey year.

    Parameters
    ----------
    frame
        Survey rows as read by the caller, with the ``by`` column and the
        ``items`` columns (other columns are ignored).
    items
        Item columns, at least 2; default the six q_* questions.
    by
        Grouping column; default ``survey_year``. Rows where it is null are
        left out.
    threshold
        α below this is flagged; default 0.7 (SCORING.md §3).

    Returns
    -------
    polars.DataFrame
        One row per value of ``by``, ascending, with columns ``by``,
        ``n_respondents`` (complete rows used: listwise, see
        :func:`cronbach_alpha`), ``alpha`` and ``warning``. ``alpha`` is null
        when it cannot be computed (fewer than 2 complete respondents, or zero
        variance of the totals); ``warning`` is true when α < threshold or α
        is null, since then nothing vouches for the scale.

    Raises
    ------
    ValueError
        Fewer than 2 items, or columns missing from ``frame``.

    Examples
    --------
    >>> rows = pl.DataFrame({"survey_year": [2024] * 4,
    ...                      "a": [1, 2, 3, 4], "b": [2, 3, 3, 4], "c": [2, 3, 4, 5]})
    >>> out = survey_reliability(rows, items=("a", "b", "c"))
    >>> out.columns
    ['survey_year', 'n_respondents', 'alpha', 'warning']
    >>> out["n_respondents"][0], round(out["alpha"][0], 4), out["warning"][0]
    (4, 0.9706, False)
    """
    item_columns = list(items)
    if len(item_columns) < 2:
        msg = f"survey_reliability needs at least 2 item columns, got {item_columns}"
        raise ValueError(msg)
    absent = [c for c in (by, *item_columns) if c not in frame.columns]
    if absent:
        msg = f"the survey frame lacks the columns {absent}; it has {frame.columns}"
        raise ValueError(msg)

    rows = frame.select(by, *item_columns).filter(pl.col(by).is_not_null())
    groups: list[object] = rows.get_column(by).unique().sort().to_list()
    counts: list[int] = []
    alphas: list[float | None] = []
    for group in groups:
        answers = _as_items(rows.filter(pl.col(by) == group).select(item_columns))
        complete = int((~np.isnan(answers).any(axis=1)).sum())
        alpha = cronbach_alpha(answers) if complete >= 2 else float("nan")
        counts.append(complete)
        alphas.append(None if np.isnan(alpha) else alpha)

    return pl.DataFrame(
        {
            by: pl.Series(by, groups, dtype=frame.schema[by]),
            "n_respondents": pl.Series("n_respondents", counts, dtype=pl.Int64),
            "alpha": pl.Series("alpha", alphas, dtype=pl.Float64),
            "warning": pl.Series(
                "warning", [a is None or a < threshold for a in alphas], dtype=pl.Boolean
            ),
        }
    )
