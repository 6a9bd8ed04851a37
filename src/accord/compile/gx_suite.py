"""A contract as a Great Expectations 1.x Expectation Suite (INTEROP B), as plain JSON.

It lives in ``compile/`` because it is the GX translation of the checks: ``accord export --to
gx`` writes it, and the gx engine (``engines/gx.py``) runs it; neither imports the other.

:func:`export_gx` gives the suite dict GX loads as is (``ExpectationSuite(**suite)``), one
expectation per accord check it can express, each carrying ``meta.accord`` (contract path, check
id, violation code, contract line) so results map back to accord; and the list of what GX cannot
express, with the reason. An engine that runs suites reuses the same function and reads the
per-expectation metadata from :attr:`GxExport.expectations`.

Column types are not expectations: accord accepts several pandas dtypes for one logical type
(numpy, nullable and arrow storage) and ``ExpectColumnTypeToBe`` names exactly one, so types stay
with accord's schema pass. They are carried in ``meta.accord.fields`` (which ``accord import gx``
reads back) and listed as unexported with ``kind: type``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accord.compile.gx_common import FRESHNESS_PARAMETER, GX_SEVERITY, full_match_regex
from accord.compile.plan import CheckSpec, build_plan
from accord.contract.expressions import Comparison, Expr, FieldRef, InList, IsNull, Literal
from accord.contract.model import ContractModel

_CODES = {
    "nullable": "field.null",
    "unique": "field.unique",
    "in_reference": "reference.missing",
    "primary_key": "dataset.primary_key",
    "unique_together": "dataset.unique",
    "row_count": "dataset.row_count",
    "freshness": "dataset.freshness",
    "rule": "dataset.rule",
    "required": "field.missing",
    "columns": "field.unexpected",
}
_BETWEEN_KINDS = {
    "mean_between": "expect_column_mean_to_be_between",
    "median_between": "expect_column_median_to_be_between",
    "stddev_between": "expect_column_stdev_to_be_between",
    "distinct_count_between": "expect_column_unique_value_count_to_be_between",
    "min_between": "expect_column_min_to_be_between",
    "max_between": "expect_column_max_to_be_between",
    "unique_fraction_between": "expect_column_proportion_of_unique_values_to_be_between",
    "length": "expect_column_value_lengths_to_be_between",
}
_ONE_BOUND = {
    "greater_than": ("min_value", True),
    "greater_than_or_equal_to": ("min_value", False),
    "less_than": ("max_value", True),
    "less_than_or_equal_to": ("max_value", False),
}
_STRICT = {"both": (False, False), "neither": (True, True), "left": (False, True)}
_PAIR_SWAP = {"<": ">", "<=": ">="}


@dataclass(frozen=True)
class Unexported:
    path: str
    """Where in the contract: a check id (``fields.amount.checks[2]``) or a key."""
    reason: str
    kind: str = "check"
    """``check`` for a rule the suite does not enforce; ``type`` for a column type, which stays
    with accord's schema pass (``--strict`` refuses only checks)."""

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason, "kind": self.kind}


@dataclass(frozen=True)
class Exported:
    """One expectation and the accord check it stands for."""

    expectation: dict[str, Any]
    check_id: str
    code: str
    line: int | None


@dataclass
class GxExport:
    suite: dict[str, Any]
    expectations: list[Exported] = field(default_factory=list)
    unexported: list[Unexported] = field(default_factory=list)


def export_gx(
    contract: ContractModel, *, profile: str | None = None, path: str | None = None
) -> GxExport:
    """The suite for ``contract`` as ``profile`` sees it; ``path`` is the contract file shown in
    each expectation's ``meta.accord.path``."""
    contract.check_profile(profile)
    seen = contract.apply_profile(profile)
    builder = _Builder(seen, path or contract.origin.path)
    builder.schema()
    plan = build_plan(seen)
    for spec in plan.all_checks():
        builder.check(spec)
    builder.unsupported(contract, profile)
    name = f"{contract.name}@{contract.version}" + (f":{profile}" if profile else "")
    meta = {
        "accord": {
            "contract": {"name": contract.name, "version": contract.version, "path": builder.path},
            "profile": profile,
            "fields": builder.fields,
            "unexported": [u.as_json() for u in builder.unexported],
            **({"suite_parameters": builder.parameters} if builder.parameters else {}),
        }
    }
    suite = {
        "name": name,
        "expectations": [e.expectation for e in builder.exported],
        "meta": meta,
        "notes": f"Exported by accord from contract {contract.name} {contract.version}.",
    }
    return GxExport(suite, builder.exported, builder.unexported)


class _Builder:
    def __init__(self, contract: ContractModel, path: str | None) -> None:
        self.contract = contract
        self.path = path
        self.exported: list[Exported] = []
        self.unexported: list[Unexported] = []
        self.parameters: dict[str, dict[str, str]] = {}
        self.fields: dict[str, dict[str, Any]] = {}

    # -- helpers ------------------------------------------------------------------------------
    def add(
        self,
        kind: str,
        kwargs: dict[str, Any],
        *,
        check_id: str,
        code: str,
        severity: str = "error",
        label: str | None = None,
        columns: tuple[str, ...] = (),
    ) -> None:
        line = _line(self.contract, check_id)
        expectation: dict[str, Any] = {
            "type": kind,
            "kwargs": kwargs,
            "meta": {
                "accord": {
                    "path": self.path,
                    "check": check_id,
                    "code": code,
                    "contract_line": line,
                }
            },
            "severity": GX_SEVERITY[severity],
        }
        if label:
            expectation["description"] = label
        if any(self._pii(c) for c in columns):
            # counts and row indexes, never the values of a pii field
            kwargs["result_format"] = {
                "result_format": "COMPLETE",
                "exclude_unexpected_values": True,
            }
        self.exported.append(Exported(expectation, check_id, code, line))

    def skip(self, path: str, reason: str, kind: str = "check") -> None:
        self.unexported.append(Unexported(path, reason, kind))

    def _pii(self, name: str) -> bool:
        spec = self.contract.fields.get(name)
        return bool(spec and spec.pii)

    # -- the schema ---------------------------------------------------------------------------
    def schema(self) -> None:
        contract = self.contract
        for name, spec in contract.fields.items():
            described = spec.model_dump(
                include={
                    "type",
                    "tz",
                    "nullable",
                    "required",
                    "precision",
                    "scale",
                    "format",
                    "pii",
                },
                exclude_none=True,
            )
            if not spec.pii:
                del described["pii"]
            if spec.items is not None:
                described["items"] = spec.items.model_dump(mode="json", exclude_defaults=True)
            if spec.fields is not None:
                described["fields"] = {
                    k: v.model_dump(mode="json", exclude_defaults=True)
                    for k, v in spec.fields.items()
                }
            self.fields[name] = described
            if spec.required:
                self.add(
                    "expect_column_to_exist",
                    {"column": name},
                    check_id=f"fields.{name}",
                    code="field.missing",
                )
            self.skip(
                f"fields.{name}.type",
                f"type {spec.type}: accord accepts several pandas dtypes for it and "
                "ExpectColumnTypeToBe names one; accord's schema pass checks it",
                kind="type",
            )
            if spec.format is not None:
                self.skip(
                    f"fields.{name}.format",
                    "a strict strftime format of text has no GX expectation",
                )
        dataset = contract.dataset
        all_required = all(spec.required for spec in contract.fields.values())
        if dataset.columns == "closed":
            if all_required:
                self.add(
                    "expect_table_columns_to_match_set",
                    {"column_set": list(contract.fields), "exact_match": True},
                    check_id="dataset.columns",
                    code="field.unexpected",
                )
            else:
                self.skip(
                    "dataset.columns",
                    "closed columns with optional fields: GX's column set is exact or open",
                )
        if dataset.ordered:
            if all_required and dataset.columns == "closed":
                self.add(
                    "expect_table_columns_to_match_ordered_list",
                    {"column_list": list(contract.fields)},
                    check_id="dataset.ordered",
                    code="field.unexpected",
                )
            else:
                self.skip(
                    "dataset.ordered",
                    "column order is expressible only when columns are closed and all required",
                )

    # -- checks -------------------------------------------------------------------------------
    def check(self, spec: CheckSpec) -> None:
        kind, column, params = spec.kind, spec.field, spec.params
        add = _partial_add(self, spec)
        mostly = {} if spec.mostly is None else {"mostly": float(spec.mostly)}
        if kind == "nullable":
            add("expect_column_values_to_not_be_null", {"column": column})
        elif kind == "unique":
            add("expect_column_values_to_be_unique", {"column": column})
        elif kind in ("in", "not_in", "equal_to", "not_equal_to"):
            self._set(spec, add, mostly)
        elif kind == "between":
            strict_min, strict_max = _STRICT.get(params.get("inclusive", "both"), (True, False))
            kwargs: dict[str, Any] = {"column": column}
            if params.get("min") is not None:
                kwargs.update(min_value=params["min"], strict_min=strict_min)
            if params.get("max") is not None:
                kwargs.update(max_value=params["max"], strict_max=strict_max)
            kwargs.update(mostly)
            add("expect_column_values_to_be_between", kwargs)
        elif kind in _ONE_BOUND:
            key, strict = _ONE_BOUND[kind]
            strict_key = "strict_min" if key == "min_value" else "strict_max"
            add(
                "expect_column_values_to_be_between",
                {"column": column, key: params[kind], strict_key: strict, **mostly},
            )
        elif kind in ("pattern", "starts_with", "ends_with", "contains"):
            regex = _regex(kind, params[kind])
            add("expect_column_values_to_match_regex", {"column": column, "regex": regex, **mostly})
        elif kind in _BETWEEN_KINDS:
            bounds = {"min_value": params.get("min"), "max_value": params.get("max")}
            add(_BETWEEN_KINDS[kind], {"column": column, **bounds, **mostly})
        elif kind == "max_null_fraction":
            allowed = Decimal(repr(params[kind]))
            add(
                "expect_column_values_to_not_be_null",
                {"column": column, "mostly": float(1 - allowed)},
            )
        elif kind in ("primary_key", "unique_together"):
            self._key(spec, add)
        elif kind == "row_count":
            add(
                "expect_table_row_count_to_be_between",
                {"min_value": params.get("min"), "max_value": params.get("max")},
            )
        elif kind == "freshness":
            name = FRESHNESS_PARAMETER.format(field=column)
            # the importer reads this back as the freshness rule it was
            self.parameters[name] = {
                "field": str(column),
                "max_age": params["max_age"],
                "value": "the as-of time minus max_age, as an ISO timestamp; accord passes it "
                "when it runs the suite",
            }
            add(
                "expect_column_max_to_be_between",
                {"column": column, "min_value": {"$PARAMETER": name}},
            )
        elif kind == "rule":
            self._rule(spec, add)
        elif kind == "in_reference":
            self.skip(
                spec.check_id,
                "in_reference: GX checks membership in another dataset only in SQL",
            )
        elif kind == "custom":
            self.skip(spec.check_id, f"custom check {params.get('check')!r} is accord Python code")
        else:  # pragma: no cover - a new kind must be mapped or listed here
            self.skip(spec.check_id, f"{kind} has no GX mapping")

    def _set(self, spec: CheckSpec, add: Any, mostly: dict[str, Any]) -> None:
        kind, params = spec.kind, spec.params
        values = params[kind] if kind in ("in", "not_in") else [params[kind]]
        if spec.check_id.endswith(".categories"):
            values = spec.values["values"]  # categories are compared as text
        positive = kind in ("in", "equal_to")
        add(
            "expect_column_values_to_be_in_set"
            if positive
            else "expect_column_values_to_not_be_in_set",
            {"column": spec.field, "value_set": list(values), **mostly},
        )

    def _key(self, spec: CheckSpec, add: Any) -> None:
        columns = list(spec.columns)
        if len(columns) == 1:
            add("expect_column_values_to_be_unique", {"column": columns[0]})
        else:
            # a row with a null in the key takes no part, as accord's null rule says
            add(
                "expect_compound_columns_to_be_unique",
                {"column_list": columns, "ignore_row_if": "any_value_is_missing"},
            )

    def _rule(self, spec: CheckSpec, add: Any) -> None:
        expression: Expr = spec.values["expression"]
        mapped = _rule_expectation(expression, lambda name: self.contract.fields[name].nullable)
        if mapped is None:
            self.skip(
                spec.check_id,
                f"rule {spec.params['assert']!r}: GX (pandas) expresses only one comparison of "
                "two fields, 'is not null', and a comparison or 'in (...)' on a non-nullable "
                "field (GX skips the nulls that fail an accord rule)",
            )
            return
        add(*mapped)

    def unsupported(self, original: ContractModel, profile: str | None) -> None:
        """Contract parts that are rules but have no GX form at all."""
        if profile is not None:
            chosen = original.profiles[profile]
            if chosen.forbid_roles:
                self.skip(
                    f"profiles.{profile}.forbid_roles",
                    "GX has no expectation that a column must not exist",
                )
            if chosen.require_roles:
                self.skip(
                    f"profiles.{profile}.require_roles",
                    "roles are accord metadata; GX cannot require a column by role",
                )
        if "drift" in original.model_fields_set:
            self.skip("drift", "drift against a reference profile has no GX expectation")


def _line(contract: ContractModel, path: str) -> int | None:
    """The line of ``path``, or of the nearest key above it that is written (a default such as
    ``nullable: false`` has no line of its own; its field does)."""
    while path:
        line = contract.line_of(path)
        if line is not None:
            return line
        path = path.rpartition(".")[0]
    return None


def _partial_add(builder: _Builder, spec: CheckSpec) -> Any:
    columns = spec.columns or ((spec.field,) if spec.field else ())

    def add(kind: str, kwargs: dict[str, Any]) -> None:
        builder.add(
            kind,
            kwargs,
            check_id=spec.check_id,
            code=_CODES.get(spec.kind, "check.failed"),
            severity=spec.severity,
            label=spec.label,
            columns=columns,
        )

    return add


def _regex(kind: str, text: str) -> str:
    """The search-style regex GX runs for a text check (a full match for ``pattern``)."""
    if kind == "pattern":
        return full_match_regex(text)
    if kind == "starts_with":
        return "^" + re.escape(text)
    if kind == "ends_with":
        return re.escape(text) + "\\Z"
    return re.escape(text)


_FLIPPED: dict[str, Any] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _rule_expectation(
    expression: Expr, nullable: Callable[[str], bool]
) -> tuple[str, dict[str, Any]] | None:
    """The one GX expectation a simple row rule is, or None (B.1: pairs and single columns)."""
    if isinstance(expression, IsNull) and isinstance(expression.operand, FieldRef):
        if expression.negated:
            return "expect_column_values_to_not_be_null", {"column": expression.operand.name}
        return None
    if (
        isinstance(expression, InList)
        and isinstance(expression.operand, FieldRef)
        and not nullable(expression.operand.name)
    ):
        values = [v.value for v in expression.values]
        if any(v is None for v in values):
            return None
        return (
            "expect_column_values_to_not_be_in_set"
            if expression.negated
            else "expect_column_values_to_be_in_set",
            {"column": expression.operand.name, "value_set": values},
        )
    if not isinstance(expression, Comparison):
        return None
    left, right = expression.left, expression.right
    op: str = expression.op
    if isinstance(left, FieldRef) and isinstance(right, FieldRef):
        if op in _PAIR_SWAP:
            left, right, op = right, left, _PAIR_SWAP[op]
        if op in (">", ">="):
            return (
                "expect_column_pair_values_a_to_be_greater_than_b",
                {
                    "column_A": left.name,
                    "column_B": right.name,
                    "or_equal": op == ">=",
                    "ignore_row_if": "neither",
                },
            )
        if op == "==":
            return (
                "expect_column_pair_values_to_be_equal",
                {"column_A": left.name, "column_B": right.name, "ignore_row_if": "neither"},
            )
        return None
    if isinstance(left, Literal) and isinstance(right, FieldRef):
        left, right, op = right, left, _FLIPPED[op]
    if not (isinstance(left, FieldRef) and isinstance(right, Literal)) or right.value is None:
        return None
    if nullable(left.name):
        return None  # accord fails a row whose field is null; GX's value expectations skip it
    column, value = left.name, right.value
    if op == "==":
        return "expect_column_values_to_be_in_set", {"column": column, "value_set": [value]}
    if op == "!=":
        return "expect_column_values_to_not_be_in_set", {"column": column, "value_set": [value]}
    bound = {">": ("min_value", True), ">=": ("min_value", False)}.get(op) or {
        "<": ("max_value", True),
        "<=": ("max_value", False),
    }[op]
    strict_key = "strict_min" if bound[0] == "min_value" else "strict_max"
    return (
        "expect_column_values_to_be_between",
        {"column": column, bound[0]: value, strict_key: bound[1]},
    )
