"""``accord import gx``: every suite shape found in the wild becomes an accord contract; what has
no accord form is listed on stderr and kept under ``x-gx``; never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from accord.cli.app import main
from accord.compile.gx_suite import export_gx
from accord.contract.loader import load_contract, load_text
from accord.interop.gx_contract import contract_text
from accord.interop.gx_import import contract_from_suite
from accord.interop.gx_suite import read_suite
from test_fuzz_contracts import (  # within_sigma: an autouse fixture registering a custom check
    SETTINGS,
    dump,
    loads_or_contract_error,
    mutants,
    within_sigma,  # noqa: F401
)

ROOT = Path(__file__).resolve().parents[1]
TRANSACTIONS = ROOT / "contracts" / "transactions.yaml"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def write_suite(tmp_path: Path, suite: dict[str, Any]) -> Path:
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    return path


def imported(
    tmp_path: Path, suite: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> tuple[Any, str]:
    out = tmp_path / "contract.yaml"
    code, _, err = run(["import", "gx", str(write_suite(tmp_path, suite)), "-o", str(out)], capsys)
    assert code == 0, err
    return load_contract(out), err


def comparable(suite: dict[str, Any]) -> list[str]:
    """The expectations as GX runs them: type, arguments, severity (not accord's bookkeeping).
    A set: two accord checks can be one expectation (a field's ``unique`` and a one-field
    dataset ``unique``), which comes back as one."""
    return sorted(
        {
            json.dumps(
                [e["type"], e["kwargs"], e["severity"], e.get("description")], sort_keys=True
            )
            for e in suite["expectations"]
        }
    )


def round_trip(model: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    first = export_gx(model).suite
    suite = read_suite(json.loads(json.dumps(first)), "suite.json")
    text, back, moved = contract_text(
        contract_from_suite(suite, fallback_name="suite"), suite, source="imported"
    )
    assert moved == [], text
    return first, export_gx(back).suite


def test_the_example_round_trips_through_gx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = round_trip(load_contract(TRANSACTIONS))
    assert comparable(first) == comparable(second)
    suite = tmp_path / "suite.json"
    assert main(["export", str(TRANSACTIONS), "--to", "gx", "-o", str(suite)]) == 0
    back = tmp_path / "back.yaml"
    code, _, err = run(["import", "gx", str(suite), "-o", str(back)], capsys)
    assert code == 0
    contract = load_contract(back)
    assert (contract.name, contract.version) == ("transactions", "1.2.0")
    assert contract.fields["authorised_at"].tz == "UTC"
    assert err == ""  # nothing unmapped: the suite held only what GX can say


@SETTINGS
@given(mutants())
def test_generated_contracts_keep_every_exportable_check_through_gx(
    mutant: tuple[str, Any],
) -> None:
    _, tree = mutant
    contract = loads_or_contract_error(dump(tree))
    if contract is None:
        return
    first, second = round_trip(contract.model)
    assert comparable(first) == comparable(second)


GX0 = {
    "expectation_suite_name": "Titanic.Default",
    "data_asset_type": "Dataset",
    "meta": {"great_expectations_version": "0.13.1"},
    "expectations": [
        {"expectation_type": "expect_column_to_exist", "kwargs": {"column": "Name"}},
        {
            "expectation_type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "Age", "mostly": 0.7},
            "meta": {"severity": "warning"},
        },
        {
            "expectation_type": "expect_column_values_to_be_of_type",
            "kwargs": {"column": "Age", "type_": "float64"},
        },
        {
            "expectation_type": "expect_column_values_to_be_of_type",
            "kwargs": {"column": "Name", "type_": "str"},
        },
        {
            "expectation_type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "Name", "regex": "[A-Z][a-z]+, ", "mostly": 0.95},
        },
        {
            "expectation_type": "expect_column_values_to_be_between",
            "kwargs": {"column": "Age", "min_value": 0, "max_value": 80, "strict_max": True},
        },
        {
            "expectation_type": "expect_table_columns_to_match_set",
            "kwargs": {"column_set": ["Name", "Age"]},
        },
        {
            "expectation_type": "expect_column_kl_divergence_to_be_less_than",
            "kwargs": {"column": "Age", "threshold": 0.1},
        },
        {
            "expectation_type": "expect_column_mean_to_be_between",
            "kwargs": {"column": "Age", "min_value": {"$PARAMETER": "mean_low"}},
        },
        {
            "expectation_type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "Name", "value_set": ["a"], "row_condition": 'Age>"3"'},
        },
    ],
}


def test_a_0x_suite_imports_with_types_mostly_and_every_unmapped_expectation_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, err = imported(tmp_path, GX0, capsys)
    assert contract.name == "titanic.default"
    age, name = contract.fields["Age"], contract.fields["Name"]
    assert (age.type, name.type) == ("float64", "string")
    assert contract.dataset.columns == "closed"  # 0.x: no exact_match means an exact set
    [null_fraction, between] = age.checks
    assert null_fraction.kind == "max_null_fraction" and null_fraction.value == 0.3  # exact
    assert null_fraction.severity == "warning"
    assert (between.kind, between.min, between.max, between.inclusive) == ("between", 0, 80, "left")
    [pattern] = name.checks
    assert pattern.value == "(?s:.*)(?:[A-Z][a-z]+, )(?s:.*)"  # GX searches; accord matches in full
    assert pattern.mostly == 0.95
    unmapped = (
        contract.model_extra_or_extensions()
        if hasattr(contract, "model_extra_or_extensions")
        else contract.extensions
    )
    kept = unmapped["x-gx"]["unmapped"]
    assert [k["expectation"]["expectation_type"] for k in kept] == [
        "expect_column_kl_divergence_to_be_less_than",
        "expect_column_mean_to_be_between",
        "expect_column_values_to_be_in_set",
    ]
    assert (
        "expectations[7] expect_column_kl_divergence_to_be_less_than (Age): "
        "accord has no equivalent check" in err
    )
    assert (
        "expectations[8] expect_column_mean_to_be_between (Age): min_value is a suite parameter"
        in err
    )
    assert "expectations[9] expect_column_values_to_be_in_set (Name): row_condition" in err


def test_a_searched_regex_keeps_its_meaning_when_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = {
        "name": "s",
        "expectations": [
            {
                "type": "expect_column_values_to_be_of_type",
                "kwargs": {"column": "c", "type_": "str"},
            },
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": "c", "regex": "[0-9]{2}"},
            },
        ],
    }
    imported(tmp_path, suite, capsys)
    data = tmp_path / "d.csv"
    data.write_text("c\nab12cd\n12\nx1y\n")
    capsys.readouterr()
    code = main(["validate", str(tmp_path / "contract.yaml"), str(data), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    [violation] = [v for v in report["violations"] if v["code"] == "check.failed"]
    assert violation["failure_count"] == 1
    assert violation["examples"][0]["value"] == "x1y"


def test_a_regex_accord_cannot_run_is_kept_aside_with_the_loaders_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = {
        "name": "s",
        "expectations": [
            {
                "type": "expect_column_values_to_be_of_type",
                "kwargs": {"column": "c", "type_": "str"},
            },
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": "c", "regex": "(?=a)b"},
            },
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "c", "value_set": ["b"]},
            },
        ],
    }
    contract, err = imported(tmp_path, suite, capsys)
    [check] = contract.fields["c"].checks
    assert check.kind == "in"
    assert "fields.c.checks[0]:" in err and "pattern" in err
    assert contract.extensions["x-gx"]["unmapped"][0]["expectation"]["kwargs"]["regex"] == "(?=a)b"


def test_a_suite_without_types_needs_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = {
        "name": "visitors",
        "expectations": [
            {
                "expectation_type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "event", "value_set": ["a", "b"]},
            },
            {
                "expectation_type": "expect_column_values_to_be_between",
                "kwargs": {"column": "n", "min_value": 0},
            },
        ],
    }
    path = write_suite(tmp_path, suite)
    code, out, err = run(["import", "gx", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert "states no type for 2 columns (event, n); pass --data FILE" in err
    data = tmp_path / "sample.csv"
    data.write_text("event,n,other\na,1,x\nb,2,y\n")
    code, out, _ = run(["import", "gx", str(path), "--data", str(data)], capsys)
    assert code == 0
    contract = load_text(out, source="out.yaml")
    assert contract.fields["event"].type == "string"
    assert contract.fields["n"].type == "int64"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("event\na\n")
    code, _, err = run(["import", "gx", str(path), "--data", str(wrong)], capsys)
    assert code == 2
    assert "has no column n, which the suite checks" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "suite.json:1:2: not valid JSON"),
        ("[]", "not a Great Expectations suite"),
        ('{"expectations": [{"kwargs": {}}]}', "expectations[0] names no expectation type"),
        ('{"expectations": [3]}', "expectations[0] is not a JSON object"),
    ],
)
def test_what_is_not_a_suite_is_exit_2_without_a_traceback(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "suite.json"
    path.write_text(content)
    code, _, err = run(["import", "gx", str(path)], capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    code, _, err = run(["import", "gx", str(tmp_path / "missing.json")], capsys)
    assert code == 2
    assert "no such file" in err


def test_1x_open_column_sets_pairs_and_compound_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = {
        "name": "orders",
        "expectations": [
            {
                "type": "expect_column_values_to_be_of_type",
                "kwargs": {"column": c, "type_": "int64"},
            }
            for c in ("a", "b")
        ]
        + [
            {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["a", "b"]}},
            {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["a", "b"]}},
            {
                "type": "expect_column_pair_values_a_to_be_greater_than_b",
                "kwargs": {"column_A": "a", "column_B": "b", "or_equal": True},
                "severity": "warning",
            },
        ],
    }
    contract, err = imported(tmp_path, suite, capsys)
    assert contract.dataset.columns == "open"  # 1.x: exact_match absent means extras allowed
    assert contract.fields["a"].required and contract.fields["b"].required
    assert contract.dataset.unique == [["a", "b"]]
    assert "ignore_row_if 'all_values_are_missing'" in err
    [rule] = contract.dataset.rules
    assert rule.assert_ == "(`a` is null and `b` is null) or `a` >= `b`"
    assert rule.severity == "warning"
