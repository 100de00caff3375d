"""The import graph of the source tree, and the checks ARCHITECTURE.md asks of it.

Built from the source text (``ast``), not by importing: every import
counts, including those inside functions; only imports under
``if TYPE_CHECKING:`` are left out, since they never run. The functions
take the tree's root so that the checks can be tried on a planted tree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("app", "etl", "datasets", "metrics")


@dataclass(frozen=True)
class Graph:
    """Module name -> the names it imports, and the private names it imports from others."""

    imports: dict[str, set[str]]
    private: list[str]

    def internal(self, module: str) -> set[str]:
        """The modules of the tree that ``module`` imports.

        Itself and its own parent packages are left out: Python runs a
        package's ``__init__`` before any of its modules whatever they
        import, so ``from etl.demo import feedback`` inside ``etl.demo.truth``
        is an edge to ``etl.demo.feedback``, not back to ``etl.demo``.
        """
        parents = {module.rsplit(".", n)[0] for n in range(1, module.count(".") + 1)}
        return {
            m
            for m in self.imports[module]
            if m in self.imports and m != module and m not in parents
        }


def module_name(root: Path, path: Path) -> str:
    """``etl/load.py`` -> ``etl.load``; a package's ``__init__.py`` -> the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def build_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> Graph:
    """Read every module of ``packages`` below ``root``."""
    paths = {
        module_name(root, p): p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))
    }
    imports: dict[str, set[str]] = {}
    private: list[str] = []
    for module, path in paths.items():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        skipped = _type_checking_nodes(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module or ""
                found.add(source)
                for alias in node.names:
                    if f"{source}.{alias.name}" in paths:
                        found.add(f"{source}.{alias.name}")
                    elif alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{module} imports {alias.name} from {source}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id not in {"self", "cls"}
            ):
                private.append(f"{module} uses {node.value.id}.{node.attr}")
        imports[module] = found
    return Graph(imports, private)


def top(name: str) -> str:
    """The top-level package of a dotted name."""
    return name.split(".", 1)[0]


def violations(graph: Graph, package: str, forbidden: set[str]) -> list[str]:
    """The imports from modules of ``package`` into the top-level names ``forbidden``."""
    return sorted(
        f"{module} imports {imported}"
        for module, imported_names in graph.imports.items()
        if top(module) == package
        for imported in imported_names
        if top(imported) in forbidden
    )


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.internal(node)):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph.imports):
        if node not in index:
            visit(node)
    return sorted(found)


def reaches(graph: Graph, module: str, target: str) -> bool:
    """Whether ``module`` imports ``target`` (a top-level name), directly or through the tree."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for imported in graph.imports.get(current, set()):
            if top(imported) == target:
                return True
            if imported in graph.imports:
                todo.append(imported)
    return False
