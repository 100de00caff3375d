"""The import rules of ARCHITECTURE.md, checked over the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "etl", "datasets", "metrics")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Return the absolute module names that ``path`` imports."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: set[str] = set()
    package = (
        _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


GRAPH = {_module_name(p): _imports(p) for pkg in PACKAGES for p in _sources(pkg)}


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _violations(package: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        if _top(module) == package
        for imported in imports
        if _top(imported) in forbidden
    )


def test_every_package_has_python_sources() -> None:
    for package in PACKAGES:
        assert _sources(package), f"{package}/ has no Python module"


@pytest.mark.parametrize("package", ["etl", "datasets", "metrics"])
def test_only_app_imports_streamlit(package: str) -> None:
    assert _violations(package, {"streamlit"}) == []


def test_etl_and_metrics_never_import_each_other() -> None:
    assert _violations("etl", {"metrics"}) == []
    assert _violations("metrics", {"etl"}) == []


@pytest.mark.parametrize("package", ["etl", "datasets", "metrics"])
def test_nothing_outside_app_imports_app(package: str) -> None:
    assert _violations(package, {"app"}) == []


def test_datasets_imports_no_other_layer_and_no_database() -> None:
    assert _violations("datasets", {"etl", "metrics", "app", "duckdb"}) == []


def _reaches_streamlit(module: str, seen: set[str]) -> bool:
    if module in seen:
        return False
    seen.add(module)
    for imported in GRAPH.get(module, set()):
        if _top(imported) == "streamlit":
            return True
        if imported in GRAPH and _reaches_streamlit(imported, seen):
            return True
    return False


def test_command_line_never_reaches_streamlit() -> None:
    cli_modules = [m for m in GRAPH if m == "app.cli" or m.startswith("app.cli.")]
    assert cli_modules
    offenders = [m for m in cli_modules if _reaches_streamlit(m, set())]
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """Guard against a checker that cannot fail: it must spot a planted import."""
    planted = ROOT / "metrics" / "_planted_for_test.py"
    planted.write_text("import streamlit\nfrom etl import warehouse\n", "utf-8")
    try:
        imports = _imports(planted)
    finally:
        planted.unlink()
    assert {"streamlit", "etl", "etl.warehouse"} <= imports
