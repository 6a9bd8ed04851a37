"""Compiled schemas of realistic contracts, pinned as golden text, and compiled per profile.

For each contract in ``tests/fixtures/contracts`` and each engine, ``describe_schema`` of the
compiled pandera schema must equal ``tests/golden/compile/<name>.<engine>.txt``. Set
ACCORD_UPDATE_GOLDEN=1 to rewrite the golden files from the current output, then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandera.pandas
import pandera.polars
import pytest
import yaml

import accord
from accord.compile.show import describe_schema
from accord.contract.registry import unregister_check

ENGINES = ("pandas", "polars")
SCHEMA_TYPES = {
    "pandas": pandera.pandas.DataFrameSchema,
    "polars": pandera.polars.DataFrameSchema,
}
FIXTURES = Path(__file__).parent / "fixtures" / "contracts"
GOLDEN = Path(__file__).parent / "golden" / "compile"
NAMES = sorted(path.stem for path in FIXTURES.glob("*.yaml"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def within_sigma() -> Iterator[None]:
    """The custom check ``sensors.yaml`` names; a contract naming an unknown one does not load."""

    @accord.register_check("within_sigma")
    def check(values: Any, *, sigmas: float = 3.0) -> Any:
        return (values - values.mean()).abs() <= sigmas * values.std()

    yield
    unregister_check("within_sigma")


def load_fixture(name: str) -> accord.Contract:
    return accord.load(FIXTURES / f"{name}.yaml")


def test_fixtures_are_present() -> None:
    assert len(NAMES) >= 4, NAMES


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str, engine: str) -> None:
    schema = load_fixture(name).to_pandera(engine)
    assert isinstance(schema, SCHEMA_TYPES[engine])
    output = describe_schema(schema, engine=engine)
    path = GOLDEN / f"{name}.{engine}.txt"
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"missing {path}; run with ACCORD_UPDATE_GOLDEN=1 to create it"
    assert output == path.read_bytes().decode("utf-8"), (
        f"compiled {name} ({engine}) differs from {path}; if the change is intended, rerun with "
        "ACCORD_UPDATE_GOLDEN=1 and review the diff"
    )


def test_every_golden_file_has_a_fixture() -> None:
    expected = {f"{name}.{engine}.txt" for name in NAMES for engine in ENGINES}
    assert {path.name for path in GOLDEN.glob("*.txt")} == expected


def test_fixtures_cover_every_type_and_check() -> None:
    from accord.contract.checks import CHECK_KINDS
    from accord.contract.types import LOGICAL_TYPES

    types: set[str] = set()
    kinds: set[str] = set()
    modes: set[str] = set()
    profiles = 0
    rules = 0
    for name in NAMES:
        model = load_fixture(name).model
        profiles += len(model.profiles)
        rules += len(model.dataset.rules)
        for spec in model.fields.values():
            types.add(spec.type)
            types.update(member.type for member in (spec.fields or {}).values())
            for check in spec.checks:
                kinds.add(str(check.kind))  # type: ignore[attr-defined]
                modes.add(str(getattr(check, "inclusive", "both")))
    assert set(LOGICAL_TYPES) <= types
    assert set(CHECK_KINDS) <= kinds
    assert modes == {"both", "neither", "left", "right"}
    assert profiles >= len(NAMES)
    assert rules >= 4


def test_compiling_twice_gives_the_same_text(engine: str) -> None:
    contract = load_fixture(NAMES[0])
    first = describe_schema(contract.to_pandera(engine), engine=engine)
    assert describe_schema(contract.to_pandera(engine), engine=engine) == first


# --- profiles --------------------------------------------------------------------------------


def _fixture_profiles() -> list[tuple[str, str]]:
    """Every (fixture, profile) pair, read as plain YAML: collection needs no check registry."""
    pairs = []
    for name in NAMES:
        raw = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
        pairs.extend((name, str(profile)) for profile in raw.get("profiles") or {})
    return pairs


PROFILE_PAIRS = _fixture_profiles()


def checks_of(schema: Any) -> dict[str, dict[str, Any]]:
    """Check name (its contract path) to its statistics, over columns and the whole frame."""
    checks = [check for column in schema.columns.values() for check in column.checks]
    return {check.name: dict(check.statistics) for check in [*checks, *schema.checks]}


def test_every_fixture_has_profiles() -> None:
    assert {name for name, _ in PROFILE_PAIRS} == set(NAMES)


@pytest.mark.parametrize(
    ("name", "profile"), PROFILE_PAIRS, ids=[f"{n}@{p}" for n, p in PROFILE_PAIRS]
)
def test_profile_compiles_with_its_overrides(name: str, profile: str, engine: str) -> None:
    contract = load_fixture(name)
    model = contract.model
    declared = model.profiles[profile]
    schema = contract.to_pandera(engine, profile=profile)
    assert isinstance(schema, SCHEMA_TYPES[engine])
    assert describe_schema(schema, engine=engine).startswith("pandera.")
    checks = checks_of(schema)

    primary_key = model.dataset.primary_key
    if declared.dataset is not None:
        override = declared.dataset
        if override.columns is not None:
            assert schema.strict == (override.columns == "closed")
        if override.ordered is not None:
            assert schema.ordered == override.ordered
        if override.primary_key is not None:
            primary_key = override.primary_key
            assert checks["dataset.primary_key"]["primary_key"] == override.primary_key
        if override.unique is not None:
            groups = {check for check in checks if check.startswith("dataset.unique[")}
            assert groups == {f"dataset.unique[{i}]" for i in range(len(override.unique))}
    for field_name, override in declared.fields.items():
        column = schema.columns[field_name]
        if override.required is not None:
            assert column.required == override.required
        if override.nullable is not None:
            judged = f"fields.{field_name}.nullable" in checks
            assert judged == (not override.nullable or field_name in primary_key)
        if override.unique is not None:
            assert (f"fields.{field_name}.unique" in checks) == override.unique
    # SPEC 1.6: a label column in serving data is leakage, so data without it must not fail
    for field_name, spec in model.fields.items():
        if spec.role in declared.forbid_roles and field_name in schema.columns:
            assert not schema.columns[field_name].required, (
                f"profile {profile!r} forbids role {spec.role}, yet the compiled schema requires "
                f"the column {field_name!r}"
            )


def test_unknown_profile_is_a_usage_error(engine: str) -> None:
    with pytest.raises(accord.UsageError, match="no profile 'nope'"):
        load_fixture(NAMES[0]).to_pandera(engine, profile="nope")


BASE = """accord: 1
name: overrides
version: 1.0.0
dataset:
  row_count: {min: 1}
  freshness: {field: at, max_age: 26h}
  rules: [{name: base, assert: "n >= 0"}]
fields:
  at: {type: timestamp, tz: UTC}
  n: {type: int64, checks: [{min: 0}]}
profiles:
  p:
"""
OVERRIDES = [
    ("row_count", "    dataset: {row_count: {min: 5}}\n", "dataset.row_count", {"min": 5}),
    (
        "freshness",
        "    dataset: {freshness: {field: at, max_age: 1h}}\n",
        "dataset.freshness",
        {"max_age": "1h"},
    ),
    (
        "rules",
        "    dataset: {rules: [{name: strict, assert: 'n > 1'}]}\n",
        "dataset.rules[0]",
        {"assert": "n > 1"},
    ),
    (
        "field-checks",
        "    fields: {n: {checks: [{min: 5}]}}\n",
        "fields.n.checks[0]",
        {"greater_than_or_equal_to": 5},
    ),
]


@pytest.mark.parametrize(
    ("override", "check", "statistics"),
    [case[1:] for case in OVERRIDES],
    ids=[case[0] for case in OVERRIDES],
)
def test_profile_override_reaches_the_compiled_schema(
    override: str, check: str, statistics: dict[str, Any], engine: str
) -> None:
    """SPEC 1.6: a profile may override any ``dataset:`` key and any field key, checks included."""
    contract = accord.load(BASE + override)
    compiled = checks_of(contract.to_pandera(engine, profile="p"))
    assert statistics.items() <= compiled[check].items()
    assert not statistics.items() <= checks_of(contract.to_pandera(engine))[check].items()
