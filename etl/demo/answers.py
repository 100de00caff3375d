"""Turning latent values into the answers people give: Likert values, chosen texts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def likert(latent: np.ndarray) -> np.ndarray:
    """Turn a latent answer on SCORING.md's 0–1 scale into a Likert value 1–5 (int8).

    The inverse of the scoring's (x − 1) / 4: the latent 0.5 is answered 3.

    Examples
    --------
    >>> likert(np.array([-0.3, 0.0, 0.49, 0.5, 0.7, 1.4])).tolist()
    [1, 1, 3, 3, 4, 5]
    """
    return np.clip(np.rint(1.0 + 4.0 * latent), 1, 5).astype(np.int8)


def pick(choices: Sequence[str], index: np.ndarray, keep: np.ndarray | None = None) -> pl.Series:
    """Return ``choices[index]`` as a string series, blank (null) where ``keep`` is False.

    Examples
    --------
    >>> pick(["a", "b"], np.array([1, 0, 1]), np.array([True, True, False])).to_list()
    ['b', 'a', None]
    """
    values = pl.Series(list(choices), dtype=pl.String).gather(index)
    if keep is None:
        return values
    return pl.select(pl.when(pl.Series(keep)).then(values)).to_series().alias("")


def blank(values: np.ndarray, where: np.ndarray, dtype: pl.DataType) -> pl.Series:
    """Return ``values`` as a series of ``dtype`` with nulls where ``where`` is True.

    Examples
    --------
    >>> blank(np.array([1, 2, 3]), np.array([False, True, False]), pl.Int32).to_list()
    [1, None, 3]
    """
    series = pl.Series(values).cast(dtype)
    return pl.select(pl.when(~pl.Series(where)).then(series)).to_series().alias("")
