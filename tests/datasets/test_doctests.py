"""The examples in the docstrings of datasets/ run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import datasets

# templates.py belongs to the template owner and is tested with the templates.
OWNED = sorted(
    m.name
    for m in pkgutil.walk_packages(datasets.__path__, prefix="datasets.")
    if m.name != "datasets.templates"
)


@pytest.mark.parametrize("module_name", OWNED)
def test_docstring_examples_hold(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module_name}"
