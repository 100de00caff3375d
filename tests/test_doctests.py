"""The examples in the docstrings of datasets/, etl/ and metrics/ run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import datasets
import etl
import metrics

# templates.py belongs to the template owner and is tested with the templates.
MODULES = sorted(
    m.name
    for package in (datasets, etl, metrics)
    for m in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    if m.name != "datasets.templates"
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_hold(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module_name}"
