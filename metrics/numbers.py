"""Which typed values count as numbers: weights, shares and judgements from users.

Weights, population shares and pairwise judgements arrive from JSON on the
command line, from a TOML config or from a run's stored JSON. There a
string (``"0.4"``), a ``null``, a list or a boolean can stand where a number
belongs, and ``float()`` would either crash on it or quietly read ``true``
as 1.0. Every such value is checked with :func:`is_number` first, so it is
refused with a message instead.
"""

from __future__ import annotations

import json
import numbers

import numpy as np

__all__ = ["as_typed", "is_number"]


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number typed as one (not text, not a boolean).

    Python and numpy integers and floats count (NaN and infinities too; the
    callers refuse those with their own message). ``True``/``False`` do not,
    although Python treats them as 1 and 0: in JSON and TOML they are a
    different type, and a weight of ``true`` is a typing mistake.

    Examples
    --------
    >>> [is_number(v) for v in (0.25, 3, np.float32(0.5), float("nan"))]
    [True, True, True, True]
    >>> [is_number(v) for v in (True, np.bool_(False), "0.4", None, [1])]
    [False, False, False, False, False]
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def as_typed(value: object) -> str:
    """``value`` as the user typed it in JSON or TOML, for messages.

    ``None`` shows as ``null`` and ``True`` as ``true``, which is what the
    user wrote; a numpy scalar as the Python value it holds; anything JSON
    cannot show falls back to ``repr``.

    Examples
    --------
    >>> [as_typed(v) for v in (None, True, np.bool_(False), "0.4", [1], 0.5)]
    ['null', 'true', 'false', '"0.4"', '[1]', '0.5']
    """
    if isinstance(value, np.generic):
        value = value.item()
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)
