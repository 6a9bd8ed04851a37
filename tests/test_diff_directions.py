"""Every key kind of the contract format, in every direction it can move (SPEC section 4).

Each case names the old and new value of one key and the one change ``accord diff`` must report:
its path, kind and direction. Reversing a tightening must give a relaxation and vice versa.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.diff import compare
from test_diff_support import BASE, DELETE, diff_of, load, only, patched

A = "fields.amount"
AC = "fields.amount.checks.0"
CUR = "fields.currency"

# (id, old patch, new patch, expected path, kind, direction)
Case = tuple[str, dict[str, Any], dict[str, Any], str, str, str]

FIELD_CASES: list[Case] = [
    ("type-widened", {f"{A}.type": "float32"}, {}, f"{A}.type", "field.type", "relaxed"),
    ("type-narrowed", {}, {f"{A}.type": "float32"}, f"{A}.type", "field.type", "tightened"),
    ("type-to-number", {}, {f"{A}.type": "number"}, f"{A}.type", "field.type", "relaxed"),
    ("int-widened", {"fields.order_id.type": "int32"}, {}, "fields.order_id.type",
     "field.type", "relaxed"),
    ("uint-to-signed", {"fields.order_id.type": "uint16"}, {"fields.order_id.type": "int32"},
     "fields.order_id.type", "field.type", "relaxed"),
    ("signed-to-uint", {"fields.order_id.type": "int32"}, {"fields.order_id.type": "uint32"},
     "fields.order_id.type", "field.type", "changed"),
    ("type-changed", {}, {"fields.order_id.type": "string"}, "fields.order_id.type",
     "field.type", "changed"),
    ("category-to-string", {f"{CUR}.type": "category"}, {}, f"{CUR}.type", "field.type",
     "relaxed"),
    ("string-to-category", {}, {f"{CUR}.type": "category"}, f"{CUR}.type", "field.type",
     "tightened"),
    ("date-to-timestamp", {}, {"fields.ordered_on.type": "timestamp"},
     "fields.ordered_on.type", "field.type", "changed"),
    ("required-on", {f"{A}.required": False}, {}, f"{A}.required", "field.required",
     "tightened"),
    ("required-off", {}, {f"{A}.required": False}, f"{A}.required", "field.required",
     "relaxed"),
    ("nullable-off", {}, {f"{A}.nullable": False}, f"{A}.nullable", "field.nullable",
     "tightened"),
    ("nullable-on", {f"{A}.nullable": False}, {}, f"{A}.nullable", "field.nullable", "relaxed"),
    ("unique-on", {}, {"fields.order_id.unique": True}, "fields.order_id.unique",
     "field.unique", "tightened"),
    ("unique-off", {"fields.order_id.unique": True}, {}, "fields.order_id.unique",
     "field.unique", "relaxed"),
    ("tz-changed", {}, {"fields.created_at.tz": "Europe/Paris"}, "fields.created_at.tz",
     "field.tz", "changed"),
    ("tz-dropped", {}, {"fields.created_at.tz": DELETE}, "fields.created_at.tz", "field.tz",
     "changed"),
    ("format-set", {}, {"fields.ordered_on.format": "%d/%m/%Y"}, "fields.ordered_on.format",
     "field.format", "changed"),
    ("categories-narrowed", {f"{CUR}.type": "category", f"{CUR}.checks": [],
                             f"{CUR}.categories": ["a", "b"]},
     {f"{CUR}.type": "category", f"{CUR}.checks": [], f"{CUR}.categories": ["a"]},
     f"{CUR}.categories", "field.categories", "tightened"),
    ("categories-widened", {f"{CUR}.type": "category", f"{CUR}.checks": [],
                            f"{CUR}.categories": ["a"]},
     {f"{CUR}.type": "category", f"{CUR}.checks": [], f"{CUR}.categories": ["a", "b"]},
     f"{CUR}.categories", "field.categories", "relaxed"),
    ("categories-swapped", {f"{CUR}.type": "category", f"{CUR}.checks": [],
                            f"{CUR}.categories": ["a", "b"]},
     {f"{CUR}.type": "category", f"{CUR}.checks": [], f"{CUR}.categories": ["a", "c"]},
     f"{CUR}.categories", "field.categories", "changed"),
    ("precision-up", {"fields.price": {"type": "decimal", "precision": 10, "scale": 2}},
     {"fields.price": {"type": "decimal", "precision": 12, "scale": 2}},
     "fields.price.precision", "field.precision", "relaxed"),
    ("precision-down", {"fields.price": {"type": "decimal", "precision": 12, "scale": 2}},
     {"fields.price": {"type": "decimal", "precision": 10, "scale": 2}},
     "fields.price.precision", "field.precision", "tightened"),
    ("scale", {"fields.price": {"type": "decimal", "precision": 12, "scale": 2}},
     {"fields.price": {"type": "decimal", "precision": 12, "scale": 4}},
     "fields.price.scale", "field.scale", "changed"),
    ("items-widened", {"fields.tags": {"type": "list", "items": {"type": "int32"}}},
     {"fields.tags": {"type": "list", "items": {"type": "int64"}}},
     "fields.tags.items.type", "field.type", "relaxed"),
    ("items-check", {"fields.tags": {"type": "list", "items": {"type": "int64"}}},
     {"fields.tags": {"type": "list", "items": {"type": "int64",
                                                "checks": [{"min": 0}]}}},
     "fields.tags.items.checks[0]", "check.added", "tightened"),
    ("struct-member-narrowed",
     {"fields.address": {"type": "struct", "fields": {"zip": {"type": "int64"}}}},
     {"fields.address": {"type": "struct", "fields": {"zip": {"type": "int32"}}}},
     "fields.address.fields.zip.type", "field.type", "tightened"),
    ("struct-member-added",
     {"fields.address": {"type": "struct", "fields": {"zip": {"type": "int64"}}}},
     {"fields.address": {"type": "struct", "fields": {
         "zip": {"type": "int64"}, "city": {"type": "string", "required": False}}}},
     "fields.address.fields.city", "field.added", "added"),
    ("struct-member-removed",
     {"fields.address": {"type": "struct", "fields": {"zip": {"type": "int64"},
                                                      "city": {"type": "string"}}}},
     {"fields.address": {"type": "struct", "fields": {"zip": {"type": "int64"}}}},
     "fields.address.fields.city", "field.removed", "relaxed"),
]  # fmt: skip

METADATA_CASES: list[Case] = [
    (key, {}, {path: value}, path.replace(".checks.0", ".checks[0]"), "metadata", "neutral")
    for key, path, value in [
        ("title", "title", "Orders"),
        ("description", "description", "All orders."),
        ("owner", "owner", "team@example.com"),
        ("tags", "tags", ["sales"]),
        ("status", "status", "deprecated"),
        ("compatibility", "compatibility", "backward"),
        ("contract-extension", "x-team", "sales"),
        ("field-description", f"{A}.description", "Gross amount."),
        ("field-tags", f"{A}.tags", ["money"]),
        ("field-deprecated", f"{A}.deprecated", True),
        ("field-role", f"{A}.role", "label"),
        ("field-pii", f"{A}.pii", True),
        ("field-previous-names", f"{A}.previous_names", ["amt"]),
        ("field-extension", f"{A}.x-notes", "gross"),
        ("check-description", f"{AC}.description", "sane amounts"),
        ("check-extension", f"{AC}.x-origin", "finance"),
    ]
]

CHECK_CASES: list[Case] = [
    ("max-raised", {}, {f"{AC}.between.max": 5000}, f"{A}.checks[0].between.max",
     "check.param", "relaxed"),
    ("max-lowered", {}, {f"{AC}.between.max": 500}, f"{A}.checks[0].between.max",
     "check.param", "tightened"),
    ("min-raised", {}, {f"{AC}.between.min": 10}, f"{A}.checks[0].between.min",
     "check.param", "tightened"),
    ("min-lowered", {}, {f"{AC}.between.min": -10}, f"{A}.checks[0].between.min",
     "check.param", "relaxed"),
    ("max-removed", {}, {f"{AC}.between.max": DELETE}, f"{A}.checks[0].between.max",
     "check.param", "relaxed"),
    ("max-added", {f"{AC}.between.max": DELETE}, {}, f"{A}.checks[0].between.max",
     "check.param", "tightened"),
    ("inclusive-narrowed", {}, {f"{AC}.between.inclusive": "left"},
     f"{A}.checks[0].between.inclusive", "check.param", "tightened"),
    ("inclusive-widened", {f"{AC}.between.inclusive": "neither"}, {},
     f"{A}.checks[0].between.inclusive", "check.param", "relaxed"),
    ("inclusive-swapped", {f"{AC}.between.inclusive": "left"},
     {f"{AC}.between.inclusive": "right"}, f"{A}.checks[0].between.inclusive", "check.param",
     "changed"),
    ("date-max-raised", {"fields.ordered_on.checks": [{"between": {"max": "2015-12-31"}}]},
     {"fields.ordered_on.checks": [{"between": {"max": "2016-01-31"}}]},
     "fields.ordered_on.checks[0].between.max", "check.param", "relaxed"),
    ("timestamp-min-raised",
     {"fields.created_at.checks": [{"min": "2020-01-01T00:00:00+00:00"}]},
     {"fields.created_at.checks": [{"min": "2020-01-01T02:00:00+01:00"}]},
     "fields.created_at.checks[0].greater_than_or_equal_to", "check.param", "tightened"),
    ("greater-than-raised", {f"{A}.checks": [{"greater_than": 0}]},
     {f"{A}.checks": [{"greater_than": 1}]}, f"{A}.checks[0].greater_than", "check.param",
     "tightened"),
    ("less-than-raised", {f"{A}.checks": [{"less_than": 10}]},
     {f"{A}.checks": [{"less_than": 20}]}, f"{A}.checks[0].less_than", "check.param",
     "relaxed"),
    ("max-alias-lowered", {f"{A}.checks": [{"max": 10}]}, {f"{A}.checks": [{"max": 5}]},
     f"{A}.checks[0].less_than_or_equal_to", "check.param", "tightened"),
    ("equal-to", {f"{A}.checks": [{"equal_to": 1}]}, {f"{A}.checks": [{"equal_to": 2}]},
     f"{A}.checks[0].equal_to", "check.param", "changed"),
    ("not-equal-to", {f"{A}.checks": [{"not_equal_to": 1}]},
     {f"{A}.checks": [{"not_equal_to": 2}]}, f"{A}.checks[0].not_equal_to", "check.param",
     "changed"),
    ("in-value-removed", {}, {f"{CUR}.checks.0.in": ["EUR"]}, f"{CUR}.checks[0].in",
     "check.param", "tightened"),
    ("in-value-added", {}, {f"{CUR}.checks.0.in": ["EUR", "USD", "GBP"]},
     f"{CUR}.checks[0].in", "check.param", "relaxed"),
    ("in-value-swapped", {}, {f"{CUR}.checks.0.in": ["EUR", "GBP"]}, f"{CUR}.checks[0].in",
     "check.param", "changed"),
    ("in-reordered-is-no-change", {}, {f"{CUR}.checks.0.in": ["USD", "EUR"]}, "", "", ""),
    ("not-in-added", {f"{CUR}.checks": [{"not_in": ["XXX"]}]},
     {f"{CUR}.checks": [{"not_in": ["XXX", "ZZZ"]}]}, f"{CUR}.checks[0].not_in",
     "check.param", "tightened"),
    ("not-in-removed", {f"{CUR}.checks": [{"not_in": ["XXX", "ZZZ"]}]},
     {f"{CUR}.checks": [{"not_in": ["XXX"]}]}, f"{CUR}.checks[0].not_in", "check.param",
     "relaxed"),
    ("pattern", {}, {"fields.country.checks.0.pattern": "^[A-Z]{3}$"},
     "fields.country.checks[0].pattern", "check.param", "changed"),
    ("starts-with", {f"{CUR}.checks": [{"starts_with": "E"}]},
     {f"{CUR}.checks": [{"starts_with": "U"}]}, f"{CUR}.checks[0].starts_with", "check.param",
     "changed"),
    ("ends-with", {f"{CUR}.checks": [{"ends_with": "R"}]},
     {f"{CUR}.checks": [{"ends_with": "D"}]}, f"{CUR}.checks[0].ends_with", "check.param",
     "changed"),
    ("contains", {f"{CUR}.checks": [{"contains": "E"}]}, {f"{CUR}.checks": [{"contains": "U"}]},
     f"{CUR}.checks[0].contains", "check.param", "changed"),
    ("length-min-raised", {f"{CUR}.checks": [{"length": {"min": 2, "max": 3}}]},
     {f"{CUR}.checks": [{"length": {"min": 3, "max": 3}}]}, f"{CUR}.checks[0].length.min",
     "check.param", "tightened"),
    ("length-max-raised", {f"{CUR}.checks": [{"length": {"min": 2, "max": 3}}]},
     {f"{CUR}.checks": [{"length": {"min": 2, "max": 4}}]}, f"{CUR}.checks[0].length.max",
     "check.param", "relaxed"),
    ("null-fraction-lowered", {f"{A}.checks": [{"max_null_fraction": 0.1}]},
     {f"{A}.checks": [{"max_null_fraction": 0.01}]}, f"{A}.checks[0].max_null_fraction",
     "check.param", "tightened"),
    ("mean-widened", {f"{A}.checks": [{"mean_between": {"min": 1, "max": 2}}]},
     {f"{A}.checks": [{"mean_between": {"min": 0, "max": 2}}]},
     f"{A}.checks[0].mean_between.min", "check.param", "relaxed"),
    ("median-narrowed", {f"{A}.checks": [{"median_between": {"min": 1, "max": 5}}]},
     {f"{A}.checks": [{"median_between": {"min": 1, "max": 4}}]},
     f"{A}.checks[0].median_between.max", "check.param", "tightened"),
    ("stddev-widened", {f"{A}.checks": [{"stddev_between": {"max": 5}}]},
     {f"{A}.checks": [{"stddev_between": {"max": 6}}]}, f"{A}.checks[0].stddev_between.max",
     "check.param", "relaxed"),
    ("distinct-count-raised", {f"{CUR}.checks": [{"distinct_count_between": {"min": 1}}]},
     {f"{CUR}.checks": [{"distinct_count_between": {"min": 2}}]},
     f"{CUR}.checks[0].distinct_count_between.min", "check.param", "tightened"),
    ("severity-relaxed", {}, {f"{AC}.severity": "warning"}, f"{A}.checks[0].severity",
     "check.severity", "relaxed"),
    ("severity-tightened", {f"{AC}.severity": "warning"}, {}, f"{A}.checks[0].severity",
     "check.severity", "tightened"),
    ("check-added", {}, {f"{A}.checks.1": {"max_null_fraction": 0.5}}, f"{A}.checks[1]",
     "check.added", "tightened"),
    ("check-removed", {}, {f"{A}.checks": []}, f"{A}.checks[0]", "check.removed", "relaxed"),
    ("labelled-check-relabelled", {f"{AC}.name": "sane"}, {f"{AC}.name": "sane2"},
     f"{A}.checks[0].name", "metadata", "neutral"),
    ("labelled-twin-removed", {f"{A}.checks.1": {"between": {"min": 0, "max": 1000},
                                                 "name": "again"}}, {},
     f"{A}.checks[1]", "check.removed", "relaxed"),
]  # fmt: skip

REFERENCES = {"references.customers": {"contract": "customers"}}
REFERENCE_CASES: list[Case] = [
    ("in-reference-field", {**REFERENCES, "fields.order_id.checks": [
        {"in_reference": {"dataset": "customers", "field": "id"}}]},
     {**REFERENCES, "fields.order_id.checks": [
         {"in_reference": {"dataset": "customers", "field": "key"}}]},
     "fields.order_id.checks[0].in_reference.field", "check.param", "changed"),
    ("reference-added", {}, REFERENCES, "references.customers", "reference.added", "added"),
    ("reference-removed", REFERENCES, {}, "references.customers", "reference.removed",
     "relaxed"),
    ("reference-contract", REFERENCES, {"references.customers.contract": "clients"},
     "references.customers.contract", "reference.contract", "changed"),
    ("reference-description", REFERENCES, {**REFERENCES,
                                           "references.customers.description": "CRM"},
     "references.customers.description", "metadata", "neutral"),
]  # fmt: skip

DATASET_CASES: list[Case] = [
    ("columns-closed", {}, {"dataset.columns": "closed"}, "dataset.columns", "dataset.columns",
     "tightened"),
    ("columns-opened", {"dataset.columns": "closed"}, {}, "dataset.columns", "dataset.columns",
     "relaxed"),
    ("ordered-on", {}, {"dataset.ordered": True}, "dataset.ordered", "dataset.ordered",
     "tightened"),
    ("primary-key-added", {}, {"dataset.primary_key": ["order_id"]}, "dataset.primary_key",
     "dataset.primary_key", "changed"),
    ("primary-key-changed", {"dataset.primary_key": ["order_id"]},
     {"dataset.primary_key": ["order_id", "currency"]}, "dataset.primary_key",
     "dataset.primary_key", "changed"),
    ("unique-group-added", {}, {"dataset.unique": [["currency", "country"]]}, "dataset.unique",
     "dataset.unique", "tightened"),
    ("unique-group-removed", {"dataset.unique": [["currency", "country"]]},
     {"dataset.unique": []}, "dataset.unique", "dataset.unique", "relaxed"),
    ("unique-group-reordered", {"dataset.unique": [["currency", "country"]]},
     {"dataset.unique": [["country", "currency"]]}, "", "", ""),
    ("row-count-added", {}, {"dataset.row_count": {"min": 10}}, "dataset.row_count",
     "dataset.row_count", "tightened"),
    ("row-count-removed", {"dataset.row_count": {"min": 10}}, {}, "dataset.row_count",
     "dataset.row_count", "relaxed"),
    ("row-count-min-raised", {"dataset.row_count": {"min": 10}},
     {"dataset.row_count": {"min": 100}}, "dataset.row_count.min", "dataset.row_count",
     "tightened"),
    ("row-count-max-raised", {"dataset.row_count": {"max": 10}},
     {"dataset.row_count": {"max": 100}}, "dataset.row_count.max", "dataset.row_count",
     "relaxed"),
    ("freshness-added", {}, {"dataset.freshness": {"field": "created_at", "max_age": "26h"}},
     "dataset.freshness", "dataset.freshness", "tightened"),
    ("freshness-shorter", {"dataset.freshness": {"field": "created_at", "max_age": "2d"}},
     {"dataset.freshness": {"field": "created_at", "max_age": "26h"}},
     "dataset.freshness.max_age", "dataset.freshness", "tightened"),
    ("freshness-longer", {"dataset.freshness": {"field": "created_at", "max_age": "90m"}},
     {"dataset.freshness": {"field": "created_at", "max_age": "2h"}},
     "dataset.freshness.max_age", "dataset.freshness", "relaxed"),
    ("freshness-field", {"dataset.freshness": {"field": "created_at", "max_age": "2h"}},
     {"dataset.freshness": {"field": "ordered_on", "max_age": "2h"}},
     "dataset.freshness.field", "dataset.freshness", "changed"),
    ("rule-added", {}, {"dataset.rules": [{"name": "positive", "assert": "amount >= 0"}]},
     "dataset.rules[0]", "dataset.rule.added", "tightened"),
    ("rule-removed", {"dataset.rules": [{"name": "positive", "assert": "amount >= 0"}]}, {},
     "dataset.rules[0]", "dataset.rule.removed", "relaxed"),
    ("rule-assert", {"dataset.rules": [{"name": "positive", "assert": "amount >= 0"}]},
     {"dataset.rules": [{"name": "positive", "assert": "amount > 0"}]},
     "dataset.rules[0].assert", "dataset.rule", "changed"),
    ("rule-severity", {"dataset.rules": [{"name": "p", "assert": "amount >= 0"}]},
     {"dataset.rules": [{"name": "p", "assert": "amount >= 0", "severity": "warning"}]},
     "dataset.rules[0].severity", "dataset.rule", "relaxed"),
    ("rule-description", {"dataset.rules": [{"name": "p", "assert": "amount >= 0"}]},
     {"dataset.rules": [{"name": "p", "assert": "amount >= 0", "description": "why"}]},
     "dataset.rules[0].description", "metadata", "neutral"),
]  # fmt: skip

SERVING = "profiles.serving"
PROFILE_CASES: list[Case] = [
    ("profile-added", {}, {SERVING: {"forbid_roles": ["label"]}}, SERVING, "profile.added",
     "added"),
    ("profile-removed", {SERVING: {}}, {}, SERVING, "profile.removed", "changed"),
    ("profile-description", {SERVING: {}}, {f"{SERVING}.description": "online"},
     f"{SERVING}.description", "metadata", "neutral"),
    ("forbid-role-added", {SERVING: {"forbid_roles": ["label"]}},
     {SERVING: {"forbid_roles": ["label", "weight"]}}, f"{SERVING}.forbid_roles",
     "profile.roles", "tightened"),
    ("require-role-removed", {SERVING: {"require_roles": ["id"]}}, {SERVING: {}},
     f"{SERVING}.require_roles", "profile.roles", "relaxed"),
    ("profile-columns-opened", {SERVING: {"dataset": {"columns": "closed"}}}, {SERVING: {}},
     f"{SERVING}.dataset.columns", "dataset.columns", "relaxed"),
    ("profile-row-count", {SERVING: {"dataset": {"row_count": {"min": 1}}}},
     {SERVING: {"dataset": {"row_count": {"min": 5}}}}, f"{SERVING}.dataset.row_count.min",
     "dataset.row_count", "tightened"),
    ("profile-field-not-null", {SERVING: {}},
     {SERVING: {"fields": {"amount": {"nullable": False}}}},
     f"{SERVING}.fields.amount.nullable", "field.nullable", "tightened"),
    ("profile-field-override-dropped", {SERVING: {"fields": {"amount": {"nullable": False}}}},
     {SERVING: {}}, f"{SERVING}.fields.amount.nullable", "field.nullable", "relaxed"),
    ("profile-field-check-added", {SERVING: {}},
     {SERVING: {"fields": {"amount": {"checks": [
         {"between": {"min": 0, "max": 1000}}, {"max_null_fraction": 0.1}]}}}},
     f"{SERVING}.fields.amount.checks[1]", "check.added", "tightened"),
    ("profile-field-check-param", {SERVING: {"fields": {"amount": {"checks": [
         {"between": {"min": 0, "max": 10}}]}}}},
     {SERVING: {"fields": {"amount": {"checks": [{"between": {"min": 0, "max": 20}}]}}}},
     f"{SERVING}.fields.amount.checks[0].between.max", "check.param", "relaxed"),
]  # fmt: skip

DRIFT_CASES: list[Case] = [
    ("drift-default-lower", {"drift.default.psi": 0.2}, {"drift.default.psi": 0.1},
     "drift.default.psi", "drift.threshold", "tightened"),
    ("drift-default-higher", {"drift.default.psi": 0.2}, {"drift.default.psi": 0.3},
     "drift.default.psi", "drift.threshold", "relaxed"),
    ("drift-threshold-added", {}, {"drift.default.ks": 0.1}, "drift.default.ks",
     "drift.threshold", "tightened"),
    ("drift-field-added", {}, {"drift.fields.amount": {"mean_shift": 0.5}},
     "drift.fields.amount", "drift.field.added", "tightened"),
    ("drift-field-removed", {"drift.fields.amount": {"mean_shift": 0.5}}, {},
     "drift.fields.amount", "drift.field.removed", "relaxed"),
    ("drift-field-threshold", {"drift.fields.amount": {"mean_shift": 0.5}},
     {"drift.fields.amount": {"mean_shift": 0.25}}, "drift.fields.amount.mean_shift",
     "drift.threshold", "tightened"),
    ("drift-severity", {}, {"drift.severity": "error"}, "drift.severity", "drift.severity",
     "tightened"),
    ("drift-threshold-severity-inherits", {"drift.fields.amount": {"psi": 0.1}},
     {"drift.fields.amount": {"psi": 0.1, "severity": "error"}},
     "drift.fields.amount.severity", "drift.severity", "tightened"),
    ("drift-threshold-severity-same-as-inherited", {"drift.fields.amount": {"psi": 0.1}},
     {"drift.fields.amount": {"psi": 0.1, "severity": "warning"}}, "", "", ""),
]  # fmt: skip

SOURCE_CASES: list[Case] = [
    (f"csv-{key}", {}, {f"source.csv.{key}": value}, f"source.csv.{key}", "source.csv", "changed")
    for key, value in [
        ("delimiter", ";"),
        ("quote", "'"),
        ("encoding", "latin-1"),
        ("null_values", ["", "NA"]),
        ("header", False),
    ]
] + [
    ("source-format", {}, {"source.format": "parquet"}, "source.format", "source.format", "changed")
]

ALL_CASES = (
    FIELD_CASES
    + METADATA_CASES
    + CHECK_CASES
    + REFERENCE_CASES
    + DATASET_CASES
    + PROFILE_CASES
    + DRIFT_CASES
    + SOURCE_CASES
)
OPPOSITE = {
    "tightened": "relaxed",
    "relaxed": "tightened",
    "changed": "changed",
    "neutral": "neutral",
}


def _params(cases: list[Case], pick: Any) -> list[Any]:
    return [pytest.param(*pick(case), id=case[0]) for case in cases]


@pytest.mark.parametrize(
    ("old_patch", "new_patch", "path", "kind", "direction"),
    _params(ALL_CASES, lambda case: case[1:]),
)
def test_direction(
    old_patch: dict[str, Any], new_patch: dict[str, Any], path: str, kind: str, direction: str
) -> None:
    result = diff_of(old_patch, new_patch)
    if not kind:  # cases that must produce no semantic change at all
        assert [c for c in result.changes if c.direction != "neutral"] == []
        return
    change = only(result)
    assert (change.path, change.kind, change.direction) == (path, kind, direction)
    assert change.message and change.line is not None
    assert change.breaking == (direction in {"tightened", "relaxed", "changed"})  # mode full


@pytest.mark.parametrize(
    ("old_patch", "new_patch", "direction"),
    _params(
        [c for c in ALL_CASES if c[5] in OPPOSITE and not c[4].endswith((".added", ".removed"))],
        lambda case: (case[1], case[2], case[5]),
    ),
)
def test_reversing_a_change_reverses_its_direction(
    old_patch: dict[str, Any], new_patch: dict[str, Any], direction: str
) -> None:
    assert only(diff_of(new_patch, old_patch)).direction == OPPOSITE[direction]


def test_every_key_kind_has_a_case() -> None:
    kinds = {case[4] for case in ALL_CASES if case[4]}
    assert kinds >= {
        "field.type",
        "field.required",
        "field.nullable",
        "field.unique",
        "field.tz",
        "field.format",
        "field.categories",
        "field.precision",
        "field.scale",
        "field.added",
        "field.removed",
        "metadata",
        "check.param",
        "check.severity",
        "check.added",
        "check.removed",
        "dataset.columns",
        "dataset.ordered",
        "dataset.primary_key",
        "dataset.unique",
        "dataset.row_count",
        "dataset.freshness",
        "dataset.rule",
        "dataset.rule.added",
        "dataset.rule.removed",
        "profile.added",
        "profile.removed",
        "profile.roles",
        "drift.threshold",
        "drift.severity",
        "drift.field.added",
        "drift.field.removed",
        "source.csv",
        "source.format",
        "reference.added",
        "reference.removed",
        "reference.contract",
    }


def test_custom_check_parameters_are_changed(registered_checks: list[str]) -> None:
    from accord.contract.registry import register_check

    @register_check("at_most_ratio")
    def at_most_ratio(values: Any, ratio: float = 1.0) -> Any:
        return values

    registered_checks.append("at_most_ratio")
    old = {f"{A}.checks": [{"custom": {"check": "at_most_ratio", "ratio": 0.5}}]}
    new = {f"{A}.checks": [{"custom": {"check": "at_most_ratio", "ratio": 0.7}}]}
    change = only(diff_of(old, new))
    assert (change.path, change.kind, change.direction) == (
        f"{A}.checks[0].custom",
        "check.param",
        "changed",
    )
    assert change.old == {"ratio": 0.5}


@pytest.mark.parametrize(
    ("old_columns", "new_columns", "required", "direction"),
    [
        ("open", "open", False, "added"),
        ("open", "open", True, "tightened"),
        ("closed", "closed", False, "relaxed"),
        ("closed", "closed", True, "changed"),
    ],
)
def test_field_added_depends_on_required_and_on_closed_columns(
    old_columns: str, new_columns: str, required: bool, direction: str
) -> None:
    new_field = {"type": "string", "required": required, "nullable": True}
    result = diff_of(
        {"dataset.columns": old_columns},
        {"dataset.columns": new_columns, "fields.region": new_field},
    )
    change = only(result)
    assert (change.path, change.kind, change.direction) == (
        "fields.region",
        "field.added",
        direction,
    )
    assert change.old is None and change.new == {
        k: v for k, v in new_field.items() if k != "required" or not v
    }


@pytest.mark.parametrize(
    ("columns", "required", "direction"),
    [("open", True, "relaxed"), ("open", False, "relaxed"), ("closed", True, "changed"),
     ("closed", False, "tightened")],
)  # fmt: skip
def test_field_removed_depends_on_closed_columns(
    columns: str, required: bool, direction: str
) -> None:
    result = diff_of(
        {"dataset.columns": columns, f"{A}.required": required},
        {"dataset.columns": columns, A: DELETE},
    )
    change = only(result)
    assert (change.path, change.kind, change.direction) == (A, "field.removed", direction)
    assert change.side == "old" and change.new is None
    assert "amount" in change.message


def test_base_change_is_not_repeated_under_a_profile_that_does_not_override_it() -> None:
    result = diff_of(
        {SERVING: {"forbid_roles": ["label"]}},
        {SERVING: {"forbid_roles": ["label"]}, f"{A}.nullable": False},
    )
    assert [c.path for c in result.changes] == [f"{A}.nullable"]


def test_profile_override_follows_a_renamed_field() -> None:
    old = {SERVING: {"fields": {"amount": {"nullable": False}}}}
    new = patched(BASE, {"fields.amount": DELETE, "fields.total": BASE["fields"]["amount"]})
    new = patched(
        new,
        {
            "fields.total.previous_names": ["amount"],
            "version": "2.0.0",
            SERVING: {"fields": {"total": {"nullable": True}}},
        },
    )
    result = compare(load(patched(BASE, old)), load(new))
    assert [(c.path, c.kind, c.direction) for c in result.changes] == [
        ("fields.total", "field.renamed", "changed"),
        ("fields.total.previous_names", "metadata", "neutral"),
        (f"{SERVING}.fields.total.nullable", "field.nullable", "relaxed"),
    ]
