"""The package's shape: layers that import only downwards, no import cycle, and the command layer on top.

The layers, lowest first: ``core`` (text, dates, problems) <- ``content`` (load, schemas, validate,
model) <- ``rules`` (owners, freshness, audiences, the check pipeline) <- ``history`` (git, diff,
changes) <- ``site`` (render, search, plugin) <- ``repo`` (init, scaffold, CODEOWNERS, alerts) <-
the command layer (``commands/``, ``cli``). A module may import its own layer and the ones below.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "generator"
COMMAND_LAYER = ("generator.commands", "generator.cli", "generator.__main__")
LAYERS = ("core", "content", "rules", "history", "site", "repo")


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


def layer(name: str) -> int | None:
    """The rank of a module's layer (the command layer is above every other); None for the
    package itself."""
    if is_command_layer(name):
        return len(LAYERS)
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def back_edges(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports that point upwards: a module importing a layer above its own."""
    found = []
    for name, deps in sorted(edges.items()):
        rank = layer(name)
        found += [(name, dep) for dep in sorted(deps)
                  if rank is not None and (target := layer(dep)) is not None and target > rank]
    return found


def test_every_module_is_in_a_layer() -> None:
    """generator/ holds only the layer packages, the command layer and the package itself."""
    unplaced = sorted(name for name in graph() if name != "generator" and layer(name) is None)
    assert unplaced == []


def test_layers_import_only_downwards() -> None:
    assert back_edges(graph()) == []


def test_a_planted_back_edge_is_found() -> None:
    edges = graph()
    edges["generator.content.loader"] = {*edges["generator.content.loader"], "generator.history.diff"}
    edges["generator.core.escape"] = {*edges["generator.core.escape"], "generator.core.dates"}
    assert back_edges(edges) == [("generator.content.loader", "generator.history.diff")]


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
    source = PACKAGE / "rules" / "freshness.py"
    assert "generator.rules.owners" in imports(source)
    assert "generator.commands._base" in imports(PACKAGE / "commands" / "check.py")
