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
from accord.contract.yaml_tree import parse_yaml
from accord.errors import ContractError
from accord.interop.odcs import export_odcs, export_odcs_as
from accord.interop.odcs.forms import contract_form
from accord.interop.odcs.schema import odcs_schema
from accord.interop.yaml_out import to_yaml
from odcs_support import CORPUS, ROOT
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


VALIDATOR_302 = jsonschema.Draft201909Validator(odcs_schema("3.0.2"))


def same_meaning(before: ContractModel, after: ContractModel) -> None:
    """Equal but for x-odcs, which records the v3.0 spellings (a date logical type for a
    timestamp) because the importer compares with what a v3.1 export would write."""
    assert _without_odcs(after.model_dump()) == _without_odcs(before.model_dump())


def _without_odcs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_odcs(v) for k, v in value.items() if k != "x-odcs"}
    if isinstance(value, list):
        return [_without_odcs(v) for v in value]
    return value


def round_trip_302(model: ContractModel) -> ContractModel:
    """Export to ODCS v3.0.2: valid against its own JSON Schema, and it loads back the same."""
    document, _ = export_odcs_as(model, "3.0.2")
    assert document["apiVersion"] == "v3.0.2"
    problems = [
        f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR_302.iter_errors(document)
    ]
    assert problems == []
    return load_text(to_yaml(document), source="exported.odcs.yaml")


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_contracts_round_trip_through_odcs_302(path: Path) -> None:
    model = accord.load(path).model
    same_meaning(model, round_trip_302(model))


@SETTINGS
@given(mutants())
def test_generated_contracts_round_trip_through_odcs_302(mutant: tuple[str, Any]) -> None:
    _, tree = mutant
    try:
        model = load_text(dump(tree), source=None)
    except ContractError:
        return
    same_meaning(model, round_trip_302(model))


def test_odcs_302_spells_what_it_can_natively() -> None:
    """The v3.0 forms of A.6, not a carrier holding everything."""
    model = load_text(
        "accord: 1\nname: t\nversion: 1.0.0\nowner: ana\nfields:\n"
        "  at: {type: timestamp, tz: UTC}\n"
        "  n: {type: int32, checks: [{greater_than: 0}]}\n"
        "  s: {type: string, checks: [{in: [a, b]}]}\n"
        "dataset: {row_count: {min: 1}}\n",
        source=None,
    )
    document, warnings = export_odcs_as(model, "3.0.2")
    assert warnings == []
    assert document["team"] == [{"username": "ana", "role": "owner"}]
    at, n, s = document["schema"][0]["properties"]
    assert (at["logicalType"], at["physicalType"]) == ("date", "timestamp_tz")
    assert n["logicalTypeOptions"] == {"format": "i32", "minimum": 0, "exclusiveMinimum": True}
    assert s["quality"] == [{"rule": "validValues", "validValues": ["a", "b"], "mustBe": 0}]
    assert document["schema"][0]["quality"] == [{"rule": "rowCount", "mustBeGreaterOrEqualTo": 1}]
    assert "customProperties" not in at and "customProperties" not in n
    same_meaning(model, round_trip_302(model))


def test_a_pii_entry_that_is_not_true_beside_a_personal_classification_round_trips() -> None:
    """Found by the ODCS fuzzer on datacontract-cli's file: `pii` with a null value (not pii)
    on a field classified `sensitive`. The exporter writes `pii: false` there; the import kept
    that written entry as well, so every trip added one more to x-odcs."""
    (path,) = CORPUS.glob("*/dbt_export_datacontract.odcs.yaml")
    tree = parse_yaml(path.read_text(encoding="utf-8"), source=None).value
    tree["schema"][0]["properties"][0]["customProperties"] = [{"property": "pii", "value": None}]
    model = load_text(json.dumps(tree), source="m.odcs.yaml", object_name="orders")
    first = export_odcs(model)
    again = load_text(json.dumps(first), source="again.odcs.yaml")
    assert contract_form(again) == contract_form(model)
    assert export_odcs(again) == first
    assert first["schema"][0]["properties"][0]["customProperties"] == [
        {"property": "pii", "value": False},
        {"property": "pii", "value": None},
    ]
