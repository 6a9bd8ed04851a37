"""Mutated real ODCS files are an accord contract or a ContractError, never a crash; what loads
also exports and loads back to the same contract."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, note
from hypothesis import strategies as st

from accord.contract.loader import load_text
from accord.contract.yaml_tree import parse_yaml
from accord.errors import ContractError
from accord.interop.odcs import export_odcs
from accord.interop.odcs.forms import contract_form
from odcs_support import CORPUS
from test_fuzz_contracts import SETTINGS, documents, parent_of, paths

SOURCES = {
    path.name: parse_yaml(path.read_text(encoding="utf-8"), source=None).value
    for path in sorted(CORPUS.glob("*/*.yaml"))
    if "invalid" not in path.name
}
SOURCES = {name: tree for name, tree in SOURCES.items() if isinstance(tree, dict)}
ODCS_WORDS = [
    "logicalType", "physicalType", "required", "unique", "primaryKey", "primaryKeyPosition",
    "quality", "metric", "rule", "mustBe", "mustBeBetween", "unit", "arguments", "items",
    "properties", "customProperties", "logicalTypeOptions", "minimum", "exclusiveMinimum",
    "pattern", "relationships", "to", "classification", "team", "slaProperties", "element",
    "timestamp", "array", "object", "integer", "number", "date", "accord", "x-odcs",
]  # fmt: skip


@st.composite
def odcs_mutants(draw: st.DrawFn) -> Any:
    name = draw(st.sampled_from(sorted(SOURCES)))
    tree = json.loads(json.dumps(SOURCES[name]))
    for _ in range(draw(st.integers(1, 3))):
        every = [p for p in paths(tree) if p]
        path = draw(st.sampled_from(every))
        parent, last = parent_of(tree, path), path[-1]
        action = draw(st.sampled_from(["delete", "replace", "rename", "word"]))
        note(f"{name}: {action} {path}")
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(documents)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(ODCS_WORDS))] = parent.pop(last)
        else:
            parent[last] = draw(st.sampled_from(ODCS_WORDS))
    return tree


@SETTINGS
@given(odcs_mutants())
def test_mutated_odcs_is_a_contract_or_a_contract_error(tree: Any) -> None:
    text = json.dumps(tree)
    names = [o.get("name") for o in tree.get("schema") or [] if isinstance(o, dict)]
    for name in [*names[:1], None]:
        try:
            model = load_text(text, source="mutant.odcs.yaml", object_name=name)
        except ContractError as error:
            assert error.problems
            continue
        again = load_text(json.dumps(export_odcs(model)), source="again.odcs.yaml")
        assert contract_form(again) == contract_form(model)
