"""accord -> ODCS -> accord is lossless: for every contract in the repository and for generated
ones (the mutants of ``test_fuzz_contracts``). Every export is valid ODCS v3.1.0."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import accord
from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.errors import ContractError
from accord.interop.odcs import export_odcs
from accord.interop.odcs.forms import contract_form
from accord.interop.odcs.schema import odcs_schema
from accord.interop.yaml_out import to_yaml
from odcs_support import ROOT
from test_fuzz_contracts import SETTINGS, dump, mutants

VALIDATOR = jsonschema.Draft201909Validator(odcs_schema())


def repository_contracts() -> list[Path]:
    found = []
    for path in sorted([*ROOT.glob("contracts/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")]):
        if "odcs_corpus" in path.parts:
            continue
        try:
            accord.load(path)
        except (ContractError, UnicodeDecodeError):
            continue  # negative fixtures and non-contract YAML
        found.append(path)
    return found


CONTRACTS = repository_contracts()


def round_trip(model: ContractModel) -> ContractModel:
    """Export to ODCS, write it as YAML text, and load that text back."""
    document = export_odcs(model)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert problems == []
    return load_text(to_yaml(document), source="exported.odcs.yaml")


def same(before: ContractModel, after: ContractModel) -> None:
    assert contract_form(after) == contract_form(before)
    assert after.model_dump() == before.model_dump()


def test_the_repository_has_contracts_to_round_trip() -> None:
    assert len(CONTRACTS) >= 10


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_contracts_round_trip_losslessly(path: Path) -> None:
    model = accord.load(path).model
    same(model, round_trip(model))


def test_the_round_trip_is_not_vacuous() -> None:
    """The carrier and native keys really hold the contract: dropping either changes it."""
    model = accord.load(ROOT / "contracts" / "transactions.yaml").model
    document = export_odcs(model)
    stripped = copy.deepcopy(document)
    stripped.pop("customProperties", None)
    changed = load_text(json.dumps(stripped), source="stripped")
    assert contract_form(changed) != contract_form(model)
    native = document["schema"][0]["properties"][0]
    assert native["name"] in model.fields
    assert native["logicalType"] in ("integer", "string", "number")


@SETTINGS
@given(mutants())
def test_generated_contracts_round_trip_losslessly(mutant: tuple[str, Any]) -> None:
    _, tree = mutant
    try:
        model = load_text(dump(tree), source=None)
    except ContractError:
        return  # the mutant is not a contract; test_fuzz_contracts covers that side
    same(model, round_trip(model))


@pytest.mark.parametrize(("dataset", "column"), [("airlines", ""), ("air.lines", "code")])
def test_a_reference_odcs_cannot_name_travels_as_an_accord_rule(dataset: str, column: str) -> None:
    """ODCS relationships take ``table.column`` identifiers only; other references stay exact."""
    model = load_text(
        "accord: 1\nname: flights\nversion: 1.0.0\nfields:\n  carrier:\n    type: string\n"
        f"    checks:\n      - in_reference: {{dataset: '{dataset}', field: '{column}'}}\n"
        f"references:\n  '{dataset}': {{contract: airlines}}\n",
        source=None,
    )
    prop = export_odcs(model)["schema"][0]["properties"][0]
    assert "relationships" not in prop
    assert prop["quality"][0]["engine"] == "accord"
    same(model, round_trip(model))
