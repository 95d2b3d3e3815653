"""The package's shape: domain modules never import the command layer, and no import cycle exists."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "generator"
COMMAND_LAYER = ("generator.commands", "generator.cli", "generator.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The generator modules ``path`` imports, anywhere in it (module level or inside functions)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("generator")}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("generator"):
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def is_command_layer(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in COMMAND_LAYER)


def test_domain_modules_never_import_the_command_layer() -> None:
    offenders = {name: sorted(m for m in deps if is_command_layer(m))
                 for name, deps in graph().items() if not is_command_layer(name)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycle_in_the_package() -> None:
    edges = graph()
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append([*path[path.index(name):], name])
            return
        if name in done:
            return
        for dep in sorted(edges.get(name, ())):
            visit(dep, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])
    # A package's __init__ importing its own submodules is not a cycle between modules.
    real = [c for c in cycles if not any(a.startswith(b + ".") or b.startswith(a + ".")
                                         for a, b in itertools.pairwise(c))]
    assert real == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    source = PACKAGE / "freshness.py"
    assert "generator.owners" in imports(source)
    assert "generator.commands._base" in imports(PACKAGE / "commands" / "check.py")
