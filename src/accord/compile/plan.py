"""A contract flattened into the list of checks every engine compiles, in one fixed order.

The plan is engine-free: each engine module turns each :class:`CheckSpec` into a pandera check
named by the spec's ``check_id``, so a failure case maps back to one contract path and line.
Keeping the order and meaning here, once, is what lets pandas and polars give the same verdict.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from accord.contract import checks as c
from accord.contract.expressions import parse, referenced_fields
from accord.contract.model import ContractModel, Field_
from accord.contract.params import parse_duration, read_param
from accord.contract.types import FLOAT_TYPES

# Check kinds that are not in the YAML catalogue but come from field and dataset keys.
FIELD_KEY_KINDS = ("nullable", "unique", "categories")
DATASET_KINDS = ("primary_key", "unique_together", "row_count", "freshness", "rule")


@dataclass(frozen=True)
class CheckSpec:
    """One check as every engine runs it."""

    check_id: str
    """Path inside the contract, e.g. ``fields.amount.checks[0]``: the check's stable name."""
    kind: str
    field: str | None
    severity: str
    params: dict[str, Any]
    """Parameters as written in the contract (for reports)."""
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    """Parameters read in the field's type (for engines)."""
    label: str | None = None
    line: int | None = None
    aggregate: bool = False
    """True when the check judges the column as a whole (one verdict, no failing rows)."""
    columns: tuple[str, ...] = ()
    """Fields a dataset-level check reads."""
    float_column: bool = False
    """NaN counts as null in float columns, on every engine."""
    written: str | None = None
    """The kind's spelling in the contract when it was an alias (``min`` for
    ``greater_than_or_equal_to``): reports name a check as its author wrote it."""
    mostly: Decimal | None = None
    """The fraction of non-null values that must pass a row-level check (None: every one), as
    the decimal the contract writes, so the boundary is judged exactly."""

    @property
    def name(self) -> str:
        return self.label or self.shown_kind

    @property
    def shown_kind(self) -> str:
        """The check kind as written in the contract."""
        return self.written or self.kind

    @property
    def shown_params(self) -> dict[str, Any]:
        """The parameters keyed as written in the contract."""
        if self.written and self.kind in self.params:
            return {self.written if k == self.kind else k: v for k, v in self.params.items()}
        return self.params

    def statistics(self) -> dict[str, Any]:
        """What the check tests, kept on the pandera check so a compiled schema explains itself."""
        labelled = {"name": self.label} if self.label else {}
        tolerance = {"mostly": float(self.mostly)} if self.mostly is not None else {}
        return {
            "kind": self.kind,
            "severity": self.severity,
            **labelled,
            **tolerance,
            **self.params,
        }


@dataclass(frozen=True)
class Plan:
    contract: ContractModel
    field_checks: dict[str, list[CheckSpec]]
    dataset_checks: list[CheckSpec]

    def all_checks(self) -> list[CheckSpec]:
        return [s for specs in self.field_checks.values() for s in specs] + self.dataset_checks

    def only(self, keep: Callable[[CheckSpec], bool]) -> Plan:
        """The plan with only the checks ``keep`` accepts, in the same order."""
        return Plan(
            self.contract,
            {name: [s for s in specs if keep(s)] for name, specs in self.field_checks.items()},
            [s for s in self.dataset_checks if keep(s)],
        )


KEY_KINDS = ("unique", "primary_key", "unique_together")


def dataset_wide(spec: CheckSpec) -> bool:
    """Whether a row's verdict depends on other rows (a key) or the check judges a whole column
    (an aggregate): a batched run cannot judge these one batch at a time."""
    return spec.aggregate or spec.kind in KEY_KINDS


def runnable(
    plan: Plan, present: set[str] | None, references: Mapping[str, Any]
) -> list[CheckSpec]:
    """The checks that can run on columns ``present`` (all when None): a reference check needs
    its reference data, a dataset check all the columns it reads."""
    fields = set(plan.field_checks) if present is None else present
    chosen = [
        spec
        for name, specs in plan.field_checks.items()
        if name in fields
        for spec in specs
        if spec.kind != "in_reference" or spec.check_id in references
    ]
    chosen += [s for s in plan.dataset_checks if all(c in fields for c in s.columns)]
    return chosen


def build_plan(contract: ContractModel, *, as_of: dt.datetime | None = None) -> Plan:
    """The checks of ``contract`` (a profile already applied) in contract order."""
    field_checks = {
        name: list(_field_specs(contract, name, spec)) for name, spec in contract.fields.items()
    }
    return Plan(contract, field_checks, list(_dataset_specs(contract, as_of)))


def _spec(contract: ContractModel, check_id: str, **kwargs: Any) -> CheckSpec:
    return CheckSpec(check_id=check_id, line=contract.line_of(check_id), **kwargs)


def _field_specs(contract: ContractModel, name: str, spec: Field_) -> list[CheckSpec]:
    base = f"fields.{name}"
    is_float = spec.type in FLOAT_TYPES or spec.type == "number"
    specs = []
    if not spec.nullable or name in contract.dataset.primary_key:  # a key implies not-null
        specs.append(
            _spec(
                contract,
                f"{base}.nullable",
                kind="nullable",
                field=name,
                severity="error",
                params={"nullable": False},
                float_column=is_float,
            )
        )
    if spec.unique:
        specs.append(
            _spec(
                contract,
                f"{base}.unique",
                kind="unique",
                field=name,
                severity="error",
                params={"unique": True},
                float_column=is_float,
            )
        )
    if spec.categories is not None:
        specs.append(
            _spec(
                contract,
                f"{base}.categories",
                kind="in",
                field=name,
                severity="error",
                params={"in": list(spec.categories)},
                values={"values": [str(v) for v in spec.categories]},
            )
        )
    for index, check in enumerate(spec.checks):
        specs.append(_check_spec(contract, f"{base}.checks[{index}]", name, spec, check))
    return specs


_NOT_PARAMS = frozenset({"kind", "severity", "name", "description", "extensions", "mostly"})


def _params(check: c.BaseCheck) -> dict[str, Any]:
    """The check's parameters that are set, as ``model_dump(exclude_none=True)`` gives them.
    Read from the fields directly: a check model's first ``model_dump`` builds its serializer,
    a few milliseconds per check kind at every start of the CLI."""
    return {
        key: _plain(value)
        for key in type(check).model_fields
        if key not in _NOT_PARAMS and (value := getattr(check, key)) is not None
    }


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_none=True)
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    return value


def _check_spec(
    contract: ContractModel, check_id: str, name: str, spec: Field_, check: c.BaseCheck
) -> CheckSpec:
    kind = str(getattr(check, "kind"))  # noqa: B009
    # The model keeps only the canonical kind; the contract's own positions still hold the key
    # its author typed, so a report can say ``min`` where the contract says ``min``.
    written = next(
        (
            alias
            for alias, canonical in c.CHECK_ALIASES.items()
            if canonical == kind and f"{check_id}.{alias}" in contract.origin.positions
        ),
        None,
    )
    params = _params(check)
    if c.SCALAR_PARAM_KEY in params and len(params) == 1:
        params = {kind: params[c.SCALAR_PARAM_KEY]}

    def read(value: Any) -> Any:
        return None if value is None else read_param(value, spec.type, tz=spec.tz)

    values: dict[str, Any]
    if isinstance(check, c.Between):
        values = {"min": read(check.min), "max": read(check.max), "inclusive": check.inclusive}
    elif isinstance(check, c.In | c.NotIn):
        values = {"values": [read(v) for v in check.value]}
    elif isinstance(
        check,
        c.EqualTo
        | c.NotEqualTo
        | c.GreaterThan
        | c.GreaterThanOrEqualTo
        | c.LessThan
        | c.LessThanOrEqualTo,
    ):
        values = {"value": read(check.value)}
    elif isinstance(check, c.MinBetween | c.MaxBetween):
        values = {"min": read(check.min), "max": read(check.max)}
    elif isinstance(
        check,
        c.Length
        | c.MeanBetween
        | c.MedianBetween
        | c.StddevBetween
        | c.DistinctCountBetween
        | c.UniqueFractionBetween,
    ):
        values = {"min": check.min, "max": check.max}
    elif isinstance(check, c.Pattern | c.StartsWith | c.EndsWith | c.Contains | c.MaxNullFraction):
        values = {"value": check.value}
    elif isinstance(check, c.InReference):
        values = {"dataset": check.dataset, "field": check.field}
    elif isinstance(check, c.Custom):
        values = {"check": check.check, "params": dict(check.params)}
    else:  # pragma: no cover - the union is closed; a new member must be added above
        raise TypeError(f"no plan for check kind {kind}")
    return _spec(
        contract,
        check_id,
        kind=kind,
        field=name,
        severity=check.severity,
        params=params,
        values=values,
        label=check.name,
        aggregate=kind in c.AGGREGATE_KINDS,
        float_column=spec.type in FLOAT_TYPES or spec.type == "number",
        written=written,
        # repr is the shortest text that reads back as the same float: the YAML's decimal
        mostly=None if check.mostly is None else Decimal(repr(check.mostly)),
    )


def _dataset_specs(contract: ContractModel, as_of: dt.datetime | None) -> list[CheckSpec]:
    dataset = contract.dataset
    specs = []
    if dataset.primary_key:
        specs.append(
            _spec(
                contract,
                "dataset.primary_key",
                kind="primary_key",
                field=None,
                severity="error",
                params={"primary_key": dataset.primary_key},
                columns=tuple(dataset.primary_key),
            )
        )
    for index, group in enumerate(dataset.unique):
        specs.append(
            _spec(
                contract,
                f"dataset.unique[{index}]",
                kind="unique_together",
                field=None,
                severity="error",
                params={"unique": group},
                columns=tuple(group),
            )
        )
    if dataset.row_count is not None:
        bounds = dataset.row_count.model_dump(exclude_none=True)
        specs.append(
            _spec(
                contract,
                "dataset.row_count",
                kind="row_count",
                field=None,
                severity="error",
                params=bounds,
                values=bounds,
                aggregate=True,
            )
        )
    if dataset.freshness is not None:
        fresh = dataset.freshness
        target = contract.fields[fresh.field]
        moment = as_of or dt.datetime.now(dt.UTC)
        specs.append(
            _spec(
                contract,
                "dataset.freshness",
                kind="freshness",
                field=fresh.field,
                severity="error",
                params={"field": fresh.field, "max_age": fresh.max_age},
                values={
                    "max_age": parse_duration(fresh.max_age),
                    "as_of": moment,
                    "field_type": target.type,
                    "tz": target.tz,
                },
                aggregate=True,
                columns=(fresh.field,),
            )
        )
    for index, rule in enumerate(dataset.rules):
        expression = parse(rule.assert_)
        specs.append(
            _spec(
                contract,
                f"dataset.rules[{index}]",
                kind="rule",
                field=None,
                severity=rule.severity,
                params={"assert": rule.assert_},
                values={"expression": expression},
                label=rule.name,
                columns=referenced_fields(expression),
            )
        )
    return specs
