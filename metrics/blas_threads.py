"""Run a block with the BLAS library on a given number of threads.

The bootstrap does thousands of small matrix products. On a shared 2-core
machine OpenBLAS's own threads spin and wait on such products and make them
ten times slower than one thread does, so the scoring asks for one thread
while it runs and restores the setting afterwards. Where the BLAS cannot be
found (another build of numpy), the block runs unchanged.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

__all__ = ["blas_threads"]

# (set, get) symbol pairs of the OpenBLAS builds numpy ships or links.
_SYMBOLS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


@cache
def _controls() -> tuple[object, object] | None:
    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    candidates = sorted(folder.glob("*openblas*.so*")) if folder.is_dir() else []
    for path in candidates:
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for set_name, get_name in _SYMBOLS:
            setter, getter = getattr(lib, set_name, None), getattr(lib, get_name, None)
            if setter is not None and getter is not None:
                setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                return setter, getter
    return None


@contextmanager
def blas_threads(n: int) -> Iterator[None]:
    """Within the block, BLAS uses ``n`` threads (when the library can be found).

    Examples
    --------
    >>> with blas_threads(1):
    ...     float((np.ones((2, 2)) @ np.ones((2, 2)))[0, 0])
    2.0
    """
    controls = _controls()
    if controls is None:
        yield
        return
    setter, getter = controls
    before = getter()  # type: ignore[operator]
    setter(n)  # type: ignore[operator]
    try:
        yield
    finally:
        setter(before)  # type: ignore[operator]
