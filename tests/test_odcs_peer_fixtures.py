"""Every ODCS file of the peer fixtures gets the verdict its MANIFEST states (INTEROP A.8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import accord
from accord.cli.app import main
from accord.errors import ContractError
from odcs_support import peer

CITIES = "02-schema-evolution"


def verdict(
    contract: Path,
    data: Path,
    engine: str,
    capsys: pytest.CaptureFixture[str],
    options: list[str] | None = None,
) -> dict:
    args = ["validate", str(contract), str(data), "--engine", engine, "--format", "json"]
    code = main([*args, *(options or [])])
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["passed"] else 1)
    return report


def test_cities_v2_imports_as_interop_a8_says() -> None:
    model = accord.load(peer(f"{CITIES}/odcs-datacontract-cities-version-2.yaml")).model
    assert list(model.fields) == ["city_id", "name", "population"]
    city_id, name, population = model.fields.values()
    assert (city_id.type, city_id.nullable, city_id.unique) == ("string", False, True)
    assert model.dataset.primary_key == ["city_id"]
    assert (name.type, name.nullable) == ("string", False)
    assert (population.type, population.nullable) == ("int64", True)
    (between,) = population.checks
    assert (between.kind, between.min, between.max) == ("between", 10000, 5000000)
    v3 = accord.load(peer(f"{CITIES}/odcs-datacontract-cities-version-3.yaml")).model
    assert v3.fields["population"].nullable is False


@pytest.mark.parametrize("engine", ["pandas", "polars"])
@pytest.mark.parametrize(
    ("data", "passed", "codes"),
    [
        ("cities-version-1.csv", False, ["field.missing"]),
        ("cities-version-2.csv", True, []),
        ("cities-version-1.parquet", False, ["field.missing"]),
        ("cities-version-2.parquet", True, []),
        ("cities-version-2.json --data-format jsonl", True, []),
        ("invalid/cities-version-2-invalid.csv", False, ["check.failed"]),
        ("invalid/cities-version-2-invalid.parquet", False, ["check.failed"]),
    ],
)
def test_cities_v2_verdicts_match_the_manifest(
    data: str, passed: bool, codes: list[str], engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = peer(f"{CITIES}/odcs-datacontract-cities-version-2.yaml")
    name, *options = data.split()
    report = verdict(contract, peer(f"{CITIES}/{name}"), engine, capsys, options)
    assert report["passed"] is passed
    errors = [v for v in report["violations"] if v["severity"] == "error"]
    assert sorted(v["code"] for v in errors) == codes
    if codes == ["check.failed"]:  # one population of 9000 < 10000; the empty one is allowed
        assert errors[0]["failure_count"] == 1


def test_cities_v3_fails_on_v1_data(capsys: pytest.CaptureFixture[str]) -> None:
    contract = peer(f"{CITIES}/odcs-datacontract-cities-version-3.yaml")
    report = verdict(contract, peer(f"{CITIES}/cities-version-1.csv"), "polars", capsys)
    assert report["passed"] is False


def test_cities_v1_to_v2_diff_tightens_with_a_new_required_field(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = peer(f"{CITIES}/odcs-datacontract-cities-version-1.yaml")
    new = peer(f"{CITIES}/odcs-datacontract-cities-version-2.yaml")
    change = accord.diff(old, new)
    breaking = [c for c in change.changes if c.path == "fields.population"]
    assert [c.direction for c in breaking] == ["tightened"]
    # the major bump was declared, so the diff passes at the command line too
    assert main(["diff", str(old), str(new)]) == 0
    assert "tightened fields.population" in capsys.readouterr().out


def test_changelog_v2_gives_orders_and_customers_and_diffs_orders() -> None:
    v1 = peer("04-changelog/integration/changelog_integration_v1.yaml")
    v2 = peer("04-changelog/integration/changelog_integration_v2.yaml")
    with pytest.raises(ContractError, match=r"holds 2 objects \(orders, customers\)"):
        accord.load(v2)
    orders = accord.load(v2, object_name="orders").model
    customers = accord.load(v2, object_name="customers").model
    assert (orders.name, customers.name) == ("orders", "customers")
    change = accord.diff(accord.load(v1), accord.load(v2, object_name="orders"))
    by_path = {c.path: c for c in change.changes}
    assert by_path["fields.customer_id"].breaking  # a removed required field breaks
    assert by_path["fields.order_date.type"].direction == "changed"  # string -> date
    assert by_path["fields.total_amount.nullable"].direction == "tightened"
    assert "fields.region" in by_path


@pytest.mark.parametrize(
    ("name", "messages"),
    [
        ("invalid.odcs.yaml", [":1:1 missing required key 'status'"]),
        (
            "invalid_multiple_errors.odcs.yaml",
            [":1:1 missing required key 'version'", ":1:1 missing required key 'status'"],
        ),
        (
            "invalid_multiple_schema_errors.odcs.yaml",
            [":10:5 schema[0].description: null is not a string"],
        ),
    ],
)
def test_lint_rejects_invalid_odcs_with_every_problem_located(
    name: str, messages: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = peer(f"06-lint-invalid-contracts/{name}")
    assert main(["lint", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{len(messages)} problem" in err
    for message in messages:
        assert f"{path}{message}" in err
    assert "Traceback" not in err


def test_lint_accepts_valid_odcs(capsys: pytest.CaptureFixture[str]) -> None:
    path = peer("06-lint-invalid-contracts/valid.odcs.yaml")
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == f"ok: {path} (shipments2@2.0.0, 8 fields)\n"


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_logical_type_wins_and_nested_types_fail(
    engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = "07-parquet-timestamps-and-types"
    contract = peer(f"{folder}/datacontract_invalid_logical_types_example.yaml")
    data = peer(f"{folder}/data/nested_type_structures.parquet")
    report = verdict(contract, data, engine, capsys)
    assert report["passed"] is False
    wrong = sorted(v["field"] for v in report["violations"] if v["code"] == "field.type")
    assert wrong == ["metadata", "values"]


def test_full_example_imports_as_interop_a8_says() -> None:
    model = accord.load(peer("08-odcs-full-example/full-example.odcs.yaml")).model
    assert (model.name, model.version, model.status, model.owner) == (
        "tbl",
        "1.1.0",
        "active",
        "daustin",
    )
    assert model.extensions["x-odcs"]["status"] == "current"
    rcvr = model.fields["rcvr_id"]
    assert (rcvr.type, rcvr.pii, rcvr.nullable) == ("string", True, False)
    assert "rcvr_id" in model.dataset.primary_key
    assert model.fields["rcvr_cntry_code"].nullable is False  # legacy rule: nullValues
    nested = model.fields["array_of_array"]
    assert nested.type == "list"
    assert nested.items is not None and nested.items.type == "list"
    assert nested.items.items is not None and nested.items.items.type == "string"
    assert model.dataset.row_count is not None and model.dataset.row_count.min == 1001
    assert [s["property"] for s in model.extensions["x-odcs"]["slaProperties"]] == [
        "latency",
        "generalAvailability",
        "endOfSupport",
        "endOfLife",
        "retention",
        "frequency",
        "timeOfAvailability",
        "timeOfAvailability",
    ]


def test_lint_accepts_server_entries_off_the_schema_with_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = peer(f"{CITIES}/odcs-datacontract-cities-version-2.yaml")
    assert main(["lint", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"ok: {path} (cities@2.0.0, 3 fields)\n"
    assert captured.err.splitlines() == [
        f"warning: {path}:{line}:5 servers[{index}]: unknown key 'delimiter'"
        for line, index in ((48, 8), (54, 9), (60, 10))
    ]
