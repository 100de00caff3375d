"""Decision and comparison matrices as the weighting functions take them.

A ``matrix`` argument of :mod:`metrics.weights` and :mod:`metrics.ahp` may be a
list of lists, a 2-D numpy array or a polars DataFrame whose columns are all
numeric; rows and columns keep their order. This module turns any of them
into one float64 array and words the messages that point at a cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from datasets.messages import Message, RefusedValue
from metrics.numbers import as_typed, is_number

__all__ = ["MatrixLike", "as_matrix", "cell_name", "require_finite"]

MatrixLike = Sequence[Sequence[float]] | np.ndarray | pl.DataFrame


def cell_name(i: int, j: int) -> str:
    """Name a cell both ways, since evaluators count from 1 and code from 0.

    Examples
    --------
    >>> cell_name(0, 2)
    'row 1, column 3 (index [0][2])'
    """
    return f"row {i + 1}, column {j + 1} (index [{i}][{j}])"


def as_matrix(matrix: MatrixLike, *, what: str) -> np.ndarray:
    """Convert a list of lists, numpy array or numeric polars DataFrame to float64 2-D.

    Parameters
    ----------
    matrix
        The table of numbers; ``None`` in a list becomes NaN (a missing
        value, refused or not by the caller).
    what
        What the matrix is, for the messages ("decision matrix", …).

    Raises
    ------
    ValueError
        Non-numeric polars columns; a cell of a list that is text, a boolean
        or a list (``float()`` would read ``"2"`` as 2 and ``true`` as 1);
        ragged rows; an empty or not 2-D matrix. Messages are in English and
        Chinese.

    Examples
    --------
    >>> as_matrix([[1, 2], [3, 4]], what="decision matrix").dtype
    dtype('float64')
    """
    if isinstance(matrix, pl.DataFrame):
        non_numeric = [name for name, dtype in matrix.schema.items() if not dtype.is_numeric()]
        if non_numeric:
            msg = (
                f"the {what} has non-numeric columns {non_numeric}; give numbers only / "
                f"矩阵包含非数字列 {non_numeric}，只能填写数字"
            )
            raise ValueError(msg)
        array = matrix.cast(pl.Float64).to_numpy()
    else:
        if not isinstance(matrix, np.ndarray):
            _refuse_typed_non_numbers(matrix, what=what)
        try:
            array = np.asarray(matrix, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = (
                f"the {what} must be a rectangular table of numbers "
                f"(every row the same length): {exc} / 矩阵必须是每行长度相同的数字表"
            )
            raise ValueError(msg) from exc
    if array.size == 0:
        msg = Message(
            "矩阵为空：请至少给出一行一列",
            f"the {what} is empty: give at least one row and one column",
        )
        raise RefusedValue(msg)
    if array.ndim != 2:
        msg = (
            f"the {what} must be two-dimensional (rows × columns), got {array.ndim} "
            "dimension(s) / 矩阵必须是二维的（行 × 列）"
        )
        raise ValueError(msg)
    return array


def _refuse_typed_non_numbers(matrix: Sequence[Sequence[float]], *, what: str) -> None:
    # Rows that are not sequences are a shape problem, reported by as_matrix.
    for i, row in enumerate(matrix):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence | np.ndarray):
            continue
        for j, value in enumerate(row):
            if value is not None and not is_number(value):
                msg = (
                    f"the {what} must hold numbers only; {cell_name(i, j)} is "
                    f"{as_typed(value)} / 矩阵第 {i + 1} 行第 {j + 1} 列的值 "
                    f"{as_typed(value)} 不是数字"
                )
                raise ValueError(msg)


def require_finite(array: np.ndarray, *, what: str) -> None:
    """Refuse a missing (NaN) or infinite value, naming the first such cell.

    Raises
    ------
    ValueError
        The message says which cell and what to do.
    """
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        msg = (
            f"the {what} has a missing or non-finite value at {cell_name(i, j)}: {array[i, j]}; "
            f"fill or drop it before computing weights / 矩阵第 {i + 1} 行第 {j + 1} 列缺失或"
            "不是有限数值，请补全或删除后再计算权重"
        )
        raise ValueError(msg)
