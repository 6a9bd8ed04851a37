"""The direction table covers every key, the type lattice, the semver rule and the modes."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from pydantic import BaseModel

from accord.contract import checks as c
from accord.contract import model as m
from accord.diff import rules
from accord.diff.model import (
    BUMP_ORDER,
    Change,
    Direction,
    Entries,
    Extensions,
    Handled,
    Leaf,
    Mode,
    Walk,
)
from accord.diff.semver import (
    bump_fits,
    declared_step,
    is_breaking,
    parse_version,
    precedence,
    required_bump,
)
from accord.diff.typelattice import is_wider, type_direction, wider_types

# Every model of the format, named as the brief lists them; the walk below must find each one.
LISTED: tuple[type[BaseModel], ...] = (
    m.ContractModel, m.Field_, m.Dataset, m.Profile, m.Drift, m.DriftThresholds, m.Source,
    m.CsvOptions, m.RowCount, m.Freshness, m.Rule, m.ReferenceDecl, m.FieldOverride,
    m.DatasetOverride, *c.CHECK_MODELS.values(),
)  # fmt: skip


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Pydantic models mentioned anywhere in a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, str):  # a forward reference such as "Field_"
        found = getattr(m, annotation, None)
        return _models_in(found) if found is not None else []
    found_models: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found_models.extend(_models_in(arg))
    return found_models


def reachable_models() -> set[type[BaseModel]]:
    """Every model reachable from ContractModel through its fields, plus the check catalogue."""
    seen: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [m.ContractModel, *c.CHECK_MODELS.values()]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in model.model_fields.values():
            pending.extend(_models_in(info.annotation))
    return seen


def test_the_walk_finds_every_listed_model() -> None:
    assert reachable_models() >= set(LISTED)


@pytest.mark.parametrize(
    ("model", "key"),
    sorted(
        ((model, key) for model in reachable_models() for key in model.model_fields),
        key=lambda pair: (pair[0].__name__, pair[1]),
    ),
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value),
)
def test_every_key_of_every_model_has_a_rule(model: type[BaseModel], key: str) -> None:
    assert isinstance(rules.rule_for(model, key), Leaf | Walk | Entries
                      | Extensions | Handled)  # fmt: skip


def test_a_key_without_a_row_is_an_error_not_a_silent_skip() -> None:
    class Future(m.Field_):
        brand_new: int = 0

    with pytest.raises(KeyError, match=r"no diff rule for Future\.brand_new"):
        rules.rule_for(Future, "brand_new")


def test_override_rows_are_the_rows_of_the_keys_they_override() -> None:
    for key in m.FieldOverride.model_fields:
        assert rules.rule_for(m.FieldOverride, key) is rules.rule_for(m.Field_, key)
    for key in m.DatasetOverride.model_fields:
        assert rules.rule_for(m.DatasetOverride, key) is rules.rule_for(m.Dataset, key)


# -- the type lattice -------------------------------------------------------------------------

WIDENINGS = [
    ("int8", "int16"), ("int8", "int64"), ("int16", "int32"), ("int32", "int64"),
    ("int64", "integer"), ("integer", "number"), ("int8", "number"), ("uint8", "uint16"),
    ("uint16", "uint32"), ("uint32", "uint64"), ("uint64", "integer"), ("uint8", "int16"),
    ("uint16", "int32"), ("uint32", "int64"), ("uint8", "int64"), ("float32", "float64"),
    ("float64", "number"), ("float32", "number"), ("category", "string"),
]  # fmt: skip
UNRELATED = [
    ("int64", "uint64"), ("uint64", "int64"), ("int8", "uint8"), ("uint8", "int8"),
    ("int64", "float64"), ("float64", "int64"), ("string", "int64"), ("date", "timestamp"),
    ("decimal", "number"), ("bool", "int8"), ("time", "duration"), ("binary", "string"),
    ("list", "struct"),
]  # fmt: skip


@pytest.mark.parametrize(("narrow", "wide"), WIDENINGS)
def test_widening_relaxes_and_narrowing_tightens(narrow: str, wide: str) -> None:
    assert is_wider(wide, narrow)
    assert type_direction(narrow, wide) == "relaxed"
    assert type_direction(wide, narrow) == "tightened"


@pytest.mark.parametrize(("old", "new"), UNRELATED)
def test_unrelated_types_are_changed(old: str, new: str) -> None:
    assert type_direction(old, new) == "changed"


def test_same_type_is_no_change_and_widening_is_transitive() -> None:
    assert type_direction("int64", "int64") is None
    assert wider_types("int8") == {"int16", "int32", "int64", "integer", "number"}
    assert "string" not in wider_types("int8")


# -- semver -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "bump", "went_down"),
    [
        ("1.2.3", "2.0.0", "major", False), ("1.2.3", "1.3.0", "minor", False),
        ("1.2.3", "1.2.4", "patch", False), ("1.2.3", "1.2.3", "none", False),
        ("1.2.3", "1.2.2", "none", True), ("2.0.0", "1.9.9", "none", True),
        ("1.9.0", "1.10.0", "minor", False), ("2.0.0-rc.1", "2.0.0", "none", False),
        ("2.0.0", "2.0.0-rc.1", "none", True), ("1.0.0", "2.0.0-rc.1", "major", False),
        ("1.0.0+build.1", "1.0.0+build.2", "none", False),
    ],
)  # fmt: skip
def test_declared_bump(old: str, new: str, bump: str, went_down: bool) -> None:
    step = declared_step(old, new)
    assert (step.bump, step.went_down, step.problem) == (bump, went_down, None)
    assert step.changed == (old != new)


def test_a_version_that_is_not_semver_is_a_problem() -> None:
    assert declared_step("1.0", "1.1.0").problem == "version '1.0' is not MAJOR.MINOR.PATCH"
    assert parse_version("v1.0.0") is None


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
     ("1.0.0-alpha.beta", "1.0.0-beta"), ("1.0.0-beta.2", "1.0.0-beta.11"),
     ("1.0.0-rc.1", "1.0.0"), ("1.0.0", "1.0.1")],
)  # fmt: skip
def test_precedence_follows_semver_2(lower: str, higher: str) -> None:
    a, b = parse_version(lower), parse_version(higher)
    assert a is not None and b is not None
    assert precedence(a, b) == -1 and precedence(b, a) == 1 and precedence(a, a) == 0


def _change(direction: Direction, breaking: bool = False) -> Change:
    return Change(path="x", kind="k", direction=direction, breaking=breaking, message="m")


@pytest.mark.parametrize(
    ("changes", "required"),
    [
        ([], "none"),
        ([_change("neutral")], "patch"),
        ([_change("neutral"), _change("added")], "minor"),
        ([_change("relaxed")], "minor"),
        ([_change("tightened"), _change("changed", breaking=True)], "major"),
    ],
)
def test_required_bump(changes: list[Change], required: str) -> None:
    assert required_bump(changes) == required


def test_bump_fits_when_declared_is_at_least_required() -> None:
    for declared in BUMP_ORDER:
        for required in BUMP_ORDER:
            assert bump_fits(declared, required) == (BUMP_ORDER[declared] >= BUMP_ORDER[required])


# -- modes ------------------------------------------------------------------------------------

FORBIDDEN: dict[Mode, set[str]] = {
    "backward": {"tightened", "changed"},
    "forward": {"relaxed", "changed"},
    "full": {"tightened", "relaxed", "changed"},
    "none": set(),
}


@pytest.mark.parametrize("mode", list(FORBIDDEN))
@pytest.mark.parametrize("direction", ["tightened", "relaxed", "changed", "added", "neutral"])
def test_each_mode_forbids_exactly_its_directions(mode: Mode, direction: Direction) -> None:
    assert is_breaking(direction, mode) == (direction in FORBIDDEN[mode])


def test_rule_rows_are_plain_data() -> None:
    # Rows are frozen dataclasses: the table cannot be changed by accident at run time.
    row = rules.rule_for(m.Field_, "nullable")
    assert isinstance(row, Leaf)
    with pytest.raises(AttributeError):
        row.kind = "x"  # type: ignore[misc]
