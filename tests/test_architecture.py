"""The architecture's floors, checked on the source (AST), not by importing it.

* Layers: a module may import only from its own layer or below
  (``docs/architecture.md``, "Layers").  Function-local imports count too:
  a lazy import is still a dependency.
* No import cycle between the packages of ``auditor`` (``auditor.net``,
  ``auditor.people``, ...), nor between the modules of one package.
* No module over :data:`MAX_LINES` lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1] / "auditor"

#: Layer of each top-level component of ``auditor``; lower may not import higher.
LAYERS: dict[str, int] = {
    "__init__": 0, "models": 0, "dist": 0, "errors": 0, "config": 0, "data": 0, "clock": 0, "atomic": 0,
    "net": 1,
    "sources": 2, "repos": 2, "people": 2, "signals": 2, "collectors": 2,
    "graph": 3, "scoring": 3, "judgement": 3,
    "pipeline": 4, "gate": 4, "survey": 4,
    "report": 5,
    "cli": 6, "__main__": 6,
}

MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, int, bool]]:
    """``(imported auditor module, line, top_level)`` for every import in *path*."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(n) for n in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks at module level are top-level too
        if isinstance(node, (ast.If, ast.Try)):
            top_level |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for t in targets:
            if t == "auditor" or t.startswith("auditor."):
                # the longest prefix that is a module of ours
                parts = t.split(".")
                while parts and ".".join(parts) not in MODULES:
                    parts.pop()
                if parts:
                    out.append((".".join(parts), node.lineno, id(node) in top_level))
    return out


def _component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_component_has_a_layer():
    assert sorted({_component(m) for m in MODULES} - set(LAYERS)) == []


def test_no_import_from_a_higher_layer():
    bad = []
    for name, imports in IMPORTS.items():
        mine = LAYERS[_component(name)]
        for target, line, _ in imports:
            theirs = LAYERS[_component(target)]
            if theirs > mine:
                bad.append(f"{MODULES[name].relative_to(ROOT.parent)}:{line}: {name} (layer {mine}) imports {target} (layer {theirs})")
    assert bad == []


def test_no_cycle_between_packages():
    g = nx.DiGraph()
    for name, imports in IMPORTS.items():
        for target, _, _ in imports:
            a, b = _component(name), _component(target)
            if a != b and a != "__init__" and b != "__init__":
                g.add_edge(a, b)
    assert list(nx.simple_cycles(g)) == []


def test_no_cycle_between_modules_of_a_package():
    g = nx.DiGraph()
    for name, imports in IMPORTS.items():
        for target, _, _ in imports:
            same_package = name.rpartition(".")[0] == target.rpartition(".")[0]
            if target != name and same_package and not MODULES[target].name == "__init__.py":
                g.add_edge(name, target)
    assert sorted(sorted(c) for c in nx.simple_cycles(g)) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines (at most {MAX_LINES})"
