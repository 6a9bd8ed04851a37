"""``accord.diff.compare``: the verdict (semver, names, modes), renames, real-world pairs, the
JSON shape of SPEC 4, and the light import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import accord.diff
from accord.contract.loader import load_contract
from accord.diff import compare, contract_added, contract_removed
from accord.errors import ContractError, UsageError
from test_diff_directions import ALL_CASES
from test_diff_support import BASE, DELETE, FIXTURES, diff_of, load, only, patched

TIGHTEN = {"fields.amount.nullable": False}
RELAX = {"fields.currency.checks.0.in": ["EUR", "USD", "GBP"]}


def fixture_diff(old: str, new: str, mode: str | None = None) -> accord.diff.ContractDiff:
    return compare(load_contract(FIXTURES / old), load_contract(FIXTURES / new), mode=mode)


def summary(result: accord.diff.ContractDiff) -> list[tuple[str, str, str, bool]]:
    return [(c.path, c.kind, c.direction, c.breaking) for c in result.changes]


# -- the verdict ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old_version", "new_version", "patch", "mode", "passed", "required", "declared"),
    [
        ("1.0.0", "2.0.0", TIGHTEN, "full", True, "major", "major"),
        ("1.0.0", "1.1.0", TIGHTEN, "full", False, "major", "minor"),
        ("1.0.0", "1.1.0", TIGHTEN, "forward", True, "minor", "minor"),
        ("1.0.0", "1.1.0", TIGHTEN, "backward", False, "major", "minor"),
        ("1.0.0", "1.1.0", RELAX, "backward", True, "minor", "minor"),
        ("1.0.0", "1.1.0", RELAX, "forward", False, "major", "minor"),
        ("1.0.0", "1.0.1", RELAX, "none", False, "minor", "patch"),
        ("1.0.0", "1.1.0", RELAX, "none", True, "minor", "minor"),
        ("1.0.0", "1.0.1", {"description": "x"}, "full", True, "patch", "patch"),
        ("1.0.0", "1.0.0", {"description": "x"}, "full", False, "patch", "none"),
        ("1.0.0", "1.0.0", {}, "full", True, "none", "none"),
        ("1.0.0", "1.0.1", {}, "full", True, "none", "patch"),
        ("2.0.0", "1.9.0", {}, "full", False, "none", "none"),
        ("1.0.0", "2.0.0", {"fields.region": {"type": "string", "required": False}}, "full",
         True, "minor", "major"),
    ],
)  # fmt: skip
def test_verdict(
    old_version: str,
    new_version: str,
    patch: dict[str, object],
    mode: str,
    passed: bool,
    required: str,
    declared: str,
) -> None:
    result = compare(
        load(patched(BASE, {"version": old_version})),
        load(patched(BASE, {"version": new_version, **patch})),
        mode=mode,
    )
    assert (result.passed, result.required_bump, result.declared_bump) == (
        passed,
        required,
        declared,
    )
    assert result.mode == mode
    assert bool(result.failures) == (not passed)


def test_failure_messages_say_what_to_do() -> None:
    too_small = diff_of(new_patch=TIGHTEN | {"version": "1.1.0"})
    assert too_small.failures == [
        "version 1.0.0 -> 1.1.0 declares a minor bump, but 1 change breaking under mode full "
        "requires a major bump (at least 2.0.0)"
    ]
    unchanged = diff_of(new_patch=TIGHTEN | {"version": "1.0.0"})
    assert unchanged.failures == [
        "the contract changed but its version is still 1.0.0: a major bump is required "
        "(at least 2.0.0)"
    ]
    down = diff_of(new_patch={"version": "0.9.0"})
    assert down.failures == ["version went down from 1.0.0 to 0.9.0"]


def test_mode_defaults_to_the_new_contracts_compatibility_key() -> None:
    result = diff_of({"compatibility": "full"}, {"compatibility": "forward", **RELAX})
    assert result.mode == "forward"
    assert [c.breaking for c in result.changes if c.direction != "neutral"] == [True]
    result = diff_of({"compatibility": "full"}, {"compatibility": "backward", **RELAX})
    assert [c.breaking for c in result.changes if c.direction != "neutral"] == [False]
    assert diff_of(new_patch={"compatibility": "backward", **RELAX}, mode="full").mode == "full"


def test_an_unknown_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown compatibility mode 'sideways'"):
        diff_of(mode="sideways")


def test_different_names_fail_without_a_change_list() -> None:
    result = compare(load(BASE), load(patched(BASE, {"name": "invoices", "version": "2.0.0"})))
    assert not result.passed
    assert result.changes == []
    assert result.failures == [
        "contract names differ: 'orders' and 'invoices' are different contracts, "
        "not two versions of one"
    ]


def test_identical_contracts_have_no_changes_and_pass() -> None:
    result = fixture_diff("transactions_2.1.0.yaml", "transactions_2.1.0.yaml")
    assert (result.changes, result.passed, result.required_bump) == ([], True, "none")


def test_new_and_deleted_contracts() -> None:
    contract = load_contract(FIXTURES / "orders_1.0.0.yaml")
    added = contract_added(contract)
    assert added.passed and added.old is None and added.changes[0].kind == "contract.added"
    removed = contract_removed(contract)
    assert not removed.passed and removed.new is None
    assert removed.changes[0].breaking and removed.required_bump == "major"


# -- renames ----------------------------------------------------------------------------------


def test_rename_declared_in_previous_names_is_one_rename() -> None:
    result = fixture_diff("customers_1.0.0.yaml", "customers_2.0.0.yaml")
    assert summary(result) == [
        ("fields.customer_id", "field.renamed", "changed", True),
        ("fields.customer_id.previous_names", "metadata", "neutral", False),
        ("fields.email", "field.added", "tightened", True),
        ("fields.mail", "field.removed", "relaxed", True),
    ]
    # The primary key follows the rename, so it is not reported as a second change.
    assert "dataset.primary_key" not in [c.path for c in result.changes]
    assert result.changes[0].old == "cust_id" and result.changes[0].new == "customer_id"


def test_rename_with_other_changes_reports_both() -> None:
    renamed = patched(BASE["fields"]["amount"], {"previous_names": ["amount"], "type": "float32"})
    result = diff_of(new_patch={"fields.amount": DELETE, "fields.total": renamed})
    assert [(c.path, c.kind, c.direction) for c in result.changes] == [
        ("fields.total", "field.renamed", "changed"),
        ("fields.total.type", "field.type", "tightened"),
        ("fields.total.previous_names", "metadata", "neutral"),
    ]


def test_previous_name_still_in_use_is_not_a_rename() -> None:
    # Only a vanished field can be the old name of a new one.
    renamed = {"type": "string", "required": False, "previous_names": ["nothing_like_it"]}
    result = diff_of(new_patch={"fields.region": renamed})
    assert [c.kind for c in result.changes] == ["field.added"]


# -- real-world pairs (inspired by datacontract-cli's changelog and breaking fixtures) --------


def test_orders_release_two_under_backward_mode() -> None:
    result = fixture_diff("orders_1.0.0.yaml", "orders_2.0.0.yaml")
    assert summary(result) == [
        ("fields.order_id.description", "metadata", "neutral", False),
        ("fields.order_date.type", "field.type", "changed", True),
        ("fields.total_amount.required", "field.required", "tightened", True),
        ("fields.region", "field.added", "added", False),
        ("fields.customer_id", "field.removed", "relaxed", False),
    ]
    assert result.passed and result.required_bump == "major"
    # Under full (or forward) compatibility the removed field breaks consumers too.
    full = fixture_diff("orders_1.0.0.yaml", "orders_2.0.0.yaml", mode="full")
    removed = [c for c in full.changes if c.kind == "field.removed"]
    assert removed[0].breaking and "consumers that read customer_id break" in removed[0].message


def test_catalog_patch_release_that_breaks_everything_fails() -> None:
    result = fixture_diff("catalog_0.0.1.yaml", "catalog_0.0.2.yaml")
    assert not result.passed
    assert (result.required_bump, result.declared_bump) == ("major", "patch")
    by_path = {c.path: c.direction for c in result.changes}
    assert by_path == {
        "fields.sku.checks[0].pattern": "changed",
        "fields.sku.checks[1].length.min": "tightened",
        "fields.sku.checks[1].length.max": "relaxed",
        "fields.size_code.type": "changed",
        "fields.size_code.required": "tightened",
        "fields.barcode.unique": "tightened",
        "fields.colour.checks[0].in": "relaxed",
        "fields.weight_g.type": "relaxed",
        "fields.weight_g.checks[0].between.min": "tightened",
        "fields.weight_g.checks[0].between.max": "relaxed",
        "fields.supplier_email.pii": "neutral",
        "fields.supplier_email.tags": "neutral",
    }
    # Reversed, the same pair turns each tightening into a relaxation.
    back = fixture_diff("catalog_0.0.2.yaml", "catalog_0.0.1.yaml")
    assert back.failures == ["version went down from 0.0.2 to 0.0.1"]
    flipped = {"tightened": "relaxed", "relaxed": "tightened"}
    assert {c.path: c.direction for c in back.changes} == {
        path: flipped.get(direction, direction) for path, direction in by_path.items()
    }


def test_lines_point_into_the_new_file_or_the_old_one_for_removals() -> None:
    result = fixture_diff("orders_1.0.0.yaml", "orders_2.0.0.yaml")
    lines = {c.path: (c.side, c.line) for c in result.changes}
    assert lines["fields.order_date.type"] == ("new", 13)
    assert lines["fields.customer_id"] == ("old", 12)


# -- properties -------------------------------------------------------------------------------

BOUND = st.integers(min_value=-1000, max_value=1000)


@given(old_low=BOUND, old_high=BOUND, new_low=BOUND, new_high=BOUND)
def test_between_direction_follows_set_inclusion(
    old_low: int, old_high: int, new_low: int, new_high: int
) -> None:
    old_low, old_high = sorted((old_low, old_high))
    new_low, new_high = sorted((new_low, new_high))
    result = diff_of(
        {"fields.amount.checks.0.between": {"min": old_low, "max": old_high}},
        {"fields.amount.checks.0.between": {"min": new_low, "max": new_high}},
    )
    directions = {c.direction for c in result.changes}
    narrower = new_low >= old_low and new_high <= old_high
    wider = new_low <= old_low and new_high >= old_high
    if narrower and wider:
        assert directions == set()
    elif narrower:
        assert directions == {"tightened"}
    elif wider:
        assert directions == {"relaxed"}
    else:
        assert "tightened" in directions and "relaxed" in directions
    assert result.required_bump == ("major" if directions else "none")


VALUES = st.sets(st.sampled_from(["EUR", "USD", "GBP", "JPY", "CHF"]), min_size=1)


@given(old=VALUES, new=VALUES)
def test_in_lists_compare_as_sets(old: set[str], new: set[str]) -> None:
    result = diff_of(
        {"fields.currency.checks.0.in": sorted(old)},
        {"fields.currency.checks.0.in": sorted(new, reverse=True)},
    )
    if old == new:
        assert result.changes == []
        return
    expected = {(True, False): "tightened", (False, True): "relaxed", (True, True): "changed"}
    assert only(result).direction == expected[(bool(old - new), bool(new - old))]


# -- JSON and the light import -----------------------------------------------------------------


def test_json_has_exactly_the_shape_of_spec_section_4() -> None:
    result = fixture_diff("transactions_2.1.0.yaml", "transactions_2.2.0.yaml")
    data = json.loads(result.to_json())
    assert list(data) == [
        "old", "new", "mode", "passed", "required_bump", "declared_bump", "changes",
    ]  # fmt: skip
    assert data["old"] == {"name": "transactions", "version": "2.1.0"}
    assert data["new"] == {"name": "transactions", "version": "2.2.0"}
    assert (data["mode"], data["passed"], data["required_bump"], data["declared_bump"]) == (
        "full",
        False,
        "major",
        "minor",
    )
    bound = next(c for c in data["changes"] if c["kind"] == "check.param")
    assert bound == {
        "path": "fields.amount.checks[0].between.max",
        "kind": "check.param",
        "direction": "relaxed",
        "breaking": True,
        "old": 1000000,
        "new": 5000000,
        "message": "upper bound of amount raised from 1000000 to 5000000: values up to 5000000 "
        "now pass, so consumers of 2.x may see values they never saw",
    }


def test_compare_loads_no_dataframe_library() -> None:
    src = Path(accord.__file__).resolve().parents[1]
    code = (
        "import sys\n"
        "from accord.contract.loader import load_contract\n"
        "from accord.diff import compare\n"
        "from accord.diff.render import render\n"
        f"old = load_contract({str(FIXTURES / 'transactions_2.1.0.yaml')!r})\n"
        f"new = load_contract({str(FIXTURES / 'transactions_2.2.0.yaml')!r})\n"
        "result = compare(old, new)\n"
        "for fmt in ('text', 'json', 'markdown', 'github', 'junit'):\n"
        "    render([result], fmt)\n"
        "heavy = ('pandas', 'polars', 'pyarrow', 'pandera', 'numpy')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# Patches of every direction case, combined at random on both sides.
PATCHES = [case[side] for case in ALL_CASES for side in (1, 2) if case[side]]


@settings(max_examples=60, deadline=None)
@given(
    old=st.lists(st.sampled_from(PATCHES), max_size=4),
    new=st.lists(st.sampled_from(PATCHES), max_size=4),
)
def test_any_pair_of_valid_contracts_compares_without_error(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> None:
    def build(patches: list[dict[str, Any]], version: str) -> Any:
        data = patched(BASE, {"version": version})
        try:
            for patch in patches:
                data = patched(data, patch)
            return load(data)
        except (ContractError, KeyError, IndexError, TypeError):
            return None  # the patches contradict each other: not a contract

    before, after = build(old, "1.0.0"), build(new, "1.0.1")
    assume(before is not None and after is not None)
    result = compare(before, after)
    for change in result.changes:
        assert change.path and change.kind and change.message
        assert change.direction in {"tightened", "relaxed", "changed", "added", "neutral"}
    assert json.loads(result.to_json())["changes"] == [
        change.model_dump(mode="json") for change in result.changes
    ]
    assert compare(after, after).changes == []
