"""The import rules of ARCHITECTURE.md, checked over the source tree.

Layers: only app/ imports streamlit (and not its command line); etl/ and
metrics/ never import each other; nothing imports app/; datasets/ imports
no other layer. Besides: no import cycle (imports inside functions count)
and no module uses another module's private ``_name``. The checker itself
is tried on a planted tree, so a checker that cannot fail is caught too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_graph import PACKAGES, build_graph, cycles, reaches, violations

ROOT = Path(__file__).resolve().parent.parent
GRAPH = build_graph(ROOT)


def test_every_package_has_python_sources() -> None:
    for package in PACKAGES:
        assert any(top == package for top in (m.split(".")[0] for m in GRAPH.imports)), package


@pytest.mark.parametrize("package", ["etl", "datasets", "metrics"])
def test_only_app_imports_streamlit(package: str) -> None:
    assert violations(GRAPH, package, {"streamlit"}) == []


def test_etl_and_metrics_never_import_each_other() -> None:
    assert violations(GRAPH, "etl", {"metrics"}) == []
    assert violations(GRAPH, "metrics", {"etl"}) == []


@pytest.mark.parametrize("package", ["etl", "datasets", "metrics"])
def test_nothing_outside_app_imports_app(package: str) -> None:
    assert violations(GRAPH, package, {"app"}) == []


def test_datasets_imports_no_other_layer_and_no_database() -> None:
    assert violations(GRAPH, "datasets", {"etl", "metrics", "app", "duckdb"}) == []


def test_command_line_never_reaches_streamlit() -> None:
    cli_modules = [m for m in GRAPH.imports if m == "app.cli" or m.startswith("app.cli.")]
    assert cli_modules
    assert [m for m in cli_modules if reaches(GRAPH, m, "streamlit")] == []


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    assert cycles(GRAPH) == []


def test_no_module_uses_another_modules_private_names() -> None:
    assert GRAPH.private == []


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def test_the_checker_catches_planted_breaches(tmp_path: Path) -> None:
    """Each check must fail on a tree that breaks its rule (no writes into the real tree)."""
    _plant(
        tmp_path,
        {
            "metrics/__init__.py": "",
            "metrics/bad.py": "import streamlit\nfrom etl import warehouse\n",
            "etl/__init__.py": "",
            "etl/warehouse.py": "from etl.a import _hidden\n",
            "etl/a.py": "def f():\n    from etl import b\n    return b._secret\n",
            "etl/b.py": "from etl import a\n\nif TYPE_CHECKING:\n    from app import ui\n",
            "app/__init__.py": "",
            "app/cli/__init__.py": "from app import ui\n",
            "app/ui.py": "import streamlit as st\n",
            "datasets/__init__.py": "",
            # A package whose modules import each other through it is no cycle.
            "etl/pkg/__init__.py": "from etl.pkg.child import f\n",
            "etl/pkg/child.py": "from etl.pkg import sibling\n\ndef f(): ...\n",
            "etl/pkg/sibling.py": "",
        },
    )
    planted = build_graph(tmp_path)
    assert violations(planted, "metrics", {"streamlit"}) == ["metrics.bad imports streamlit"]
    assert violations(planted, "metrics", {"etl"}) == [
        "metrics.bad imports etl",
        "metrics.bad imports etl.warehouse",
    ]
    # An import under TYPE_CHECKING never runs, so it breaks no rule.
    assert violations(planted, "etl", {"app"}) == []
    assert cycles(planted) == [["etl.a", "etl.b"]]
    assert sorted(planted.private) == [
        "etl.a uses b._secret",
        "etl.warehouse imports _hidden from etl.a",
    ]
    assert reaches(planted, "app.cli", "streamlit")
    assert not reaches(planted, "etl.warehouse", "streamlit")
