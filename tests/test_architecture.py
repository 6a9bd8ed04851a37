"""The layering ARCHITECTURE.md draws, held by reading the source: imports point down, engines are
chosen in one place, and a pandas validation loads no polars."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.engines.registry import ENGINE_NAMES

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "accord"
LOWER_LAYERS = ("contract", "compile", "engines", "run", "drift", "report", "diff", "interop")
TOP = ("accord.api", "accord.cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST) -> Iterator[str]:
    """Every module imported anywhere in ``tree`` (functions included), but not under
    ``if TYPE_CHECKING:``, which never runs."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_block(node):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # ``from accord.run import sources`` imports the module accord.run.sources
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        yield from _imports(node)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        imported = set(_imports(ast.parse(path.read_text(), str(path))))
        graph[name] = {m for m in imported if m in MODULES and m != name}
    return graph


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if module in MODULES and len(parts) > 1 else module


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_level_imports_and_skips_type_checking_ones() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from accord.api import Contract\n"
        "def f():\n    from accord.run import runner\n"
    )
    found = set(_imports(tree))
    assert "accord.run.runner" in found
    assert "accord.api" not in found


def test_no_cycle_crosses_a_package_boundary() -> None:
    crossing = [c for c in _cycles(_graph()) if len({_package(m) for m in c}) > 1]
    assert crossing == []


def test_cycle_detection_finds_a_planted_cycle() -> None:
    assert _cycles({"a.x": {"b.y"}, "b.y": {"a.x"}, "c": set()}) == [["a.x", "b.y"]]


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_lower_layers_never_import_the_facade_or_the_cli(layer: str) -> None:
    graph = _graph()
    reaching_up = {
        module: sorted(m for m in imported if m.startswith(TOP))
        for module, imported in graph.items()
        if module.startswith(f"accord.{layer}.") or module == f"accord.{layer}"
    }
    assert {m: up for m, up in reaching_up.items() if up} == {}


def test_engines_import_only_compile_and_contract() -> None:
    allowed = ("accord.compile", "accord.contract", "accord.engines", "accord.errors")
    graph = _graph()
    outside = {
        module: sorted(m for m in imported if not m.startswith(allowed))
        for module, imported in graph.items()
        if module.startswith("accord.engines")
    }
    assert {m: o for m, o in outside.items() if o} == {}


def _engine_name_comparisons(path: Path) -> Iterator[int]:
    names = {*ENGINE_NAMES, "pyspark", "spark", "gx"}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Compare):
            continue
        for side in (node.left, *node.comparators):
            items = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
            if any(isinstance(i, ast.Constant) and i.value in names for i in items):
                yield node.lineno


def test_no_engine_name_is_compared_as_a_string_outside_engines() -> None:
    found = {
        name: lines
        for name, path in MODULES.items()
        if not name.startswith("accord.engines") and (lines := list(_engine_name_comparisons(path)))
    }
    assert found == {}


def test_the_name_check_finds_a_planted_comparison(tmp_path: Path) -> None:
    planted = tmp_path / "m.py"
    planted.write_text('if engine == "polars":\n    pass\nok = kind in ("pandas", "x")\n')
    assert list(_engine_name_comparisons(planted)) == [1, 3]


def test_a_pandas_validation_leaves_polars_unloaded() -> None:
    script = (
        "import sys, accord, pandas as pd\n"
        "contract = accord.load('fields:\\n  a: {type: int64}\\n'.join(["
        "'accord: 1\\nname: t\\nversion: 1.0.0\\n', '']))\n"
        "report = contract.validate(pd.DataFrame({'a': [1, 2, None]}))\n"
        "assert report.engine == 'pandas' and not report.passed, report\n"
        "assert 'polars' not in sys.modules, 'polars was loaded'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
