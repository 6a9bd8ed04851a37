"""``accord export --to gx``: a GX 1.x suite as plain JSON, one expectation per expressible check,
each mapped back to its accord check; what GX cannot express listed, never dropped silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli.app import main
from accord.compile.gx_suite import export_gx
from accord.contract.loader import load_text

ROOT = Path(__file__).resolve().parents[1]
TRANSACTIONS = ROOT / "contracts" / "transactions.yaml"


def contract(body: str, *, dataset: str = "") -> Any:
    text = "accord: 1\nname: t\nversion: 1.0.0\n" + dataset + "fields:\n" + body
    return load_text(text, source="t.yaml")


def expectations(model: Any, **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(e["type"], e["kwargs"]) for e in export_gx(model, **kwargs).suite["expectations"]]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_example_contract_exports_with_accord_metadata_on_every_expectation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["export", str(TRANSACTIONS), "--to", "gx"], capsys)
    assert code == 0
    suite = json.loads(out)
    assert suite["name"] == "transactions@1.2.0"
    for expectation in suite["expectations"]:
        meta = expectation["meta"]["accord"]
        assert set(meta) == {"path", "check", "code", "contract_line"}
        assert meta["path"] == str(TRANSACTIONS)
        assert isinstance(meta["contract_line"], int)
        assert expectation["severity"] in ("critical", "warning")
    checks = {e["meta"]["accord"]["check"]: e for e in suite["expectations"]}
    mean = checks["fields.amount.checks[1]"]
    assert mean["type"] == "expect_column_mean_to_be_between"
    assert mean["severity"] == "warning"
    unexported = {u["path"]: u for u in suite["meta"]["accord"]["unexported"]}
    assert unexported["dataset.rules[0]"]["kind"] == "check"
    assert unexported["fields.amount.type"]["kind"] == "type"
    assert "drift" in unexported
    # the same list on stderr, one line each (types summed up in one line)
    assert "dataset.rules[0]: rule 'amount >= 0 or parent_id is not null'" in err
    assert "drift: drift against a reference profile" in err
    assert "fields.*.type: 12 column types stay with accord's schema pass" in err
    assert suite["meta"]["accord"]["fields"]["authorised_at"] == {
        "type": "timestamp",
        "tz": "UTC",
        "nullable": False,
        "required": True,
    }


def test_strict_refuses_a_contract_with_checks_gx_cannot_express(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "suite.json"
    code, _, err = run(
        ["export", str(TRANSACTIONS), "--to", "gx", "--strict", "-o", str(out)], capsys
    )
    assert code == 2
    assert "3 checks cannot be expressed in a GX suite (--strict)" in err
    assert not out.exists()
    simple = tmp_path / "simple.yaml"
    simple.write_text(
        "accord: 1\nname: s\nversion: 1.0.0\nfields:\n  a: {type: int64, checks: [{min: 0}]}\n"
    )
    code, _, _ = run(["export", str(simple), "--to", "gx", "--strict", "-o", str(out)], capsys)
    assert code == 0  # types stay with the schema pass and do not count
    assert json.loads(out.read_text())["expectations"][1]["type"] == (
        "expect_column_values_to_not_be_null"
    )


def test_profiles_name_the_suite_and_their_role_rules_are_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        ["export", str(TRANSACTIONS), "--to", "gx", "--profile", "serving"], capsys
    )
    assert code == 0
    assert json.loads(out)["name"] == "transactions@1.2.0:serving"
    assert (
        "profiles.serving.forbid_roles: GX has no expectation that a column must not exist" in err
    )
    code, _, err = run(["export", str(TRANSACTIONS), "--to", "gx", "--profile", "nope"], capsys)
    assert code == 2
    assert "no profile 'nope'" in err


def test_bad_contract_and_unknown_format_are_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "accord: 1\nname: s\nversion: 1.0.0\nfields:\n  a: {type: int64, checks: [{mn: 0}]}\n"
    )
    code, _, err = run(["export", str(bad), "--to", "gx"], capsys)
    assert code == 2
    assert "bad.yaml:5" in err
    code, _, err = run(["export", str(TRANSACTIONS), "--to", "soda"], capsys)
    assert code == 2
    assert "unknown export format 'soda'" in err


@pytest.mark.parametrize(
    ("inclusive", "strict"),
    [
        ("both", (False, False)),
        ("neither", (True, True)),
        ("left", (False, True)),
        ("right", (True, False)),
    ],
)
def test_between_ends_become_strict_flags(inclusive: str, strict: tuple[bool, bool]) -> None:
    model = contract(
        f"  a: {{type: int64, checks: [{{between: {{min: 0, max: 9, inclusive: {inclusive}}}}}]}}\n"
    )
    [(_, kwargs)] = [e for e in expectations(model) if e[0] == "expect_column_values_to_be_between"]
    assert (kwargs["strict_min"], kwargs["strict_max"]) == strict
    assert (kwargs["min_value"], kwargs["max_value"]) == (0, 9)


def test_fractions_are_computed_in_decimal() -> None:
    # 1 - 0.7 in floats is 0.30000000000000004, which GX judges differently at the boundary
    model = contract(
        "  a: {type: int64, nullable: true, checks: [{max_null_fraction: 0.7}, "
        "{between: {min: 0, max: 1}, mostly: 0.95}]}\n"
    )
    found = expectations(model)
    assert ("expect_column_values_to_not_be_null", {"column": "a", "mostly": 0.3}) in found
    between = next(k for t, k in found if t == "expect_column_values_to_be_between")
    assert between["mostly"] == 0.95


def test_text_checks_become_search_regexes_that_mean_a_full_match() -> None:
    model = contract(
        "  a: {type: string, checks: [{pattern: 'a|b'}, {starts_with: 'x.'}, "
        "{ends_with: '$'}, {contains: '+'}]}\n"
    )
    regexes = [k["regex"] for t, k in expectations(model) if t.endswith("match_regex")]
    assert regexes == ["^(?:a|b)\\Z", "^x\\.", "\\$\\Z", "\\+"]


def test_keys_rules_and_table_checks() -> None:
    model = contract(
        "  a: {type: int64}\n  b: {type: int64}\n  c: {type: int64, nullable: true}\n",
        dataset=(
            "dataset:\n  primary_key: [a, b]\n  unique: [[b, c]]\n  row_count: {min: 1}\n"
            "  columns: closed\n  ordered: true\n"
            "  rules:\n"
            "    - {name: r1, assert: 'a < b'}\n"
            "    - {name: r2, assert: 'a == b'}\n"
            "    - {name: r3, assert: 'a >= 3'}\n"
            "    - {name: r4, assert: 'c > 3'}\n"
            "    - {name: r5, assert: 'c is not null'}\n"
            "    - {name: r6, assert: 'a + b > 3'}\n"
        ),
    )
    exported = export_gx(model)
    found = [(e["type"], e["kwargs"]) for e in exported.suite["expectations"]]
    assert (
        "expect_compound_columns_to_be_unique",
        {"column_list": ["a", "b"], "ignore_row_if": "any_value_is_missing"},
    ) in found
    assert (
        "expect_compound_columns_to_be_unique",
        {"column_list": ["b", "c"], "ignore_row_if": "any_value_is_missing"},
    ) in found
    assert ("expect_table_row_count_to_be_between", {"min_value": 1, "max_value": None}) in found
    assert (
        "expect_table_columns_to_match_set",
        {"column_set": ["a", "b", "c"], "exact_match": True},
    ) in found
    assert ("expect_table_columns_to_match_ordered_list", {"column_list": ["a", "b", "c"]}) in found
    assert (
        "expect_column_pair_values_a_to_be_greater_than_b",
        {"column_A": "b", "column_B": "a", "or_equal": False, "ignore_row_if": "neither"},
    ) in found
    assert (
        "expect_column_pair_values_to_be_equal",
        {"column_A": "a", "column_B": "b", "ignore_row_if": "neither"},
    ) in found
    assert (
        "expect_column_values_to_be_between",
        {"column": "a", "min_value": 3, "strict_min": False},
    ) in found
    assert ("expect_column_values_to_not_be_null", {"column": "c"}) in found
    skipped = {u.path for u in exported.unexported if u.kind == "check"}
    assert skipped == {"dataset.rules[3]", "dataset.rules[5]"}  # c is nullable; arithmetic


def test_closed_columns_with_optional_fields_and_reference_checks_are_unexported() -> None:
    text = (
        "accord: 1\nname: t\nversion: 1.0.0\n"
        "references: {other: {contract: other}}\n"
        "dataset: {columns: closed, freshness: {field: at, max_age: 26h}}\n"
        "fields:\n"
        "  a: {type: int64, required: false,\n"
        "      checks: [{in_reference: {dataset: other, field: id}}]}\n"
        "  at: {type: timestamp, tz: UTC}\n"
    )
    exported = export_gx(load_text(text, source="t.yaml"))
    reasons = {u.path: u.reason for u in exported.unexported}
    assert "GX's column set is exact or open" in reasons["dataset.columns"]
    assert "only in SQL" in reasons["fields.a.checks[0]"]
    [fresh] = [
        e for e in exported.suite["expectations"] if e["type"] == "expect_column_max_to_be_between"
    ]
    assert fresh["kwargs"] == {
        "column": "at",
        "min_value": {"$PARAMETER": "accord_freshness_min__at"},
    }
    assert (
        exported.suite["meta"]["accord"]["suite_parameters"]["accord_freshness_min__at"]["max_age"]
        == "26h"
    )
    assert fresh["meta"]["accord"]["code"] == "dataset.freshness"


def test_pii_fields_keep_their_values_out_of_gx_results() -> None:
    model = contract(
        "  e: {type: string, pii: true, checks: [{contains: '@'}]}\n  f: {type: string}\n"
    )
    by_column = {
        (e["type"], e["kwargs"].get("column")): e["kwargs"]
        for e in export_gx(model).suite["expectations"]
    }
    assert by_column[("expect_column_values_to_match_regex", "e")]["result_format"] == {
        "result_format": "COMPLETE",
        "exclude_unexpected_values": True,
    }
    assert "result_format" not in by_column[("expect_column_values_to_not_be_null", "f")]


def test_export_imports_no_dataframe_library_nor_gx() -> None:
    code = (
        "import sys\n"
        "from accord.contract.loader import load_contract\n"
        "from accord.compile.gx_suite import export_gx\n"
        f"export_gx(load_contract({str(TRANSACTIONS)!r}))\n"
        "import accord.interop.gx_import, accord.interop.gx_contract\n"
        "heavy = [m for m in ('pandas', 'polars', 'pandera', 'great_expectations', 'pyspark')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
