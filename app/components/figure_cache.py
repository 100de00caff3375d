"""Built plotly figures, shared by every session of the process.

Building a plotly figure is most of a warm page run's work (plotly checks
every property it is given), and every open page reruns when new data
arrives. A figure depends only on its builder, the frames it is built
from and the language, so :func:`figure` builds it once per distinct input
and hands the same object to every session: ``st.plotly_chart`` copies a
figure (``to_dict``) before sending it and never changes it. Frames are
keyed by their full content (a hash of every row), so new rows, other
filters or another scope make another key; entries beyond
:data:`MAX_FIGURES` are dropped, least recently used first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import polars as pl

from app.i18n import Translator

#: Figures kept per process (a figure of the dashboard is some tens of kB).
MAX_FIGURES = 256

_lock = threading.Lock()
_figures: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()


def _frame_key(frame: pl.DataFrame) -> tuple[Hashable, ...]:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(frame.schema).encode())
    if frame.height:
        digest.update(frame.hash_rows(seed=0).to_numpy().tobytes())
    return ("frame", frame.shape, digest.hexdigest())


def _key(value: object) -> Hashable:
    if isinstance(value, pl.DataFrame):
        return _frame_key(value)
    if isinstance(value, Translator):
        return ("lang", value.lang)
    if isinstance(value, list | tuple):
        return (type(value).__name__, *map(_key, value))
    if isinstance(value, dict):
        return ("dict", *sorted((k, _key(v)) for k, v in value.items()))
    hash(value)  # anything else must be hashable as it is (str, numbers, None)
    return value


def figure(builder: Callable[..., Any], *args: object, **kwargs: object) -> Any:
    """Return ``builder(*args, **kwargs)``, built once per distinct input in this process.

    The figure is shared: callers pass it to ``st.plotly_chart`` and never change it.
    """
    key = (builder.__module__, builder.__qualname__, _key(args), _key(kwargs))
    with _lock:
        if key in _figures:
            _figures.move_to_end(key)
            return _figures[key]
    built = builder(*args, **kwargs)
    with _lock:
        _figures[key] = built
        while len(_figures) > MAX_FIGURES:
            _figures.popitem(last=False)
    return built


def clear() -> None:
    """Forget every figure (benchmarks of a cold start)."""
    with _lock:
        _figures.clear()
