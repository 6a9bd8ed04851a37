"""The direction table: one row per key of the contract format, saying how a change is judged.

``detect.py`` walks two contracts by iterating each model's own fields and looking every key up
here, so a key added to the format without a row here stops the diff with a ``KeyError`` (and a
test enumerating every model fails first) instead of being silently skipped.

Row types (defined in ``model.py``):

* :class:`Leaf`: a value compared by a judge from ``judges.py`` (a bound, a flag, a set, ...);
* :class:`Walk`: a nested model, compared key by key; appearing or disappearing has a direction;
* :class:`Entries`: a name-to-model mapping (profiles, references, drift fields);
* :class:`Extensions`: ``x-*`` keys, neutral one by one;
* :class:`Handled`: compared by a dedicated routine (field maps with renames, check lists matched
  by kind) or used to match things up rather than compared (a check's kind, a rule's name).
"""

from __future__ import annotations

from functools import partial

from pydantic import BaseModel

from accord.contract import checks as c
from accord.contract import model as m
from accord.diff import judges as j
from accord.diff.model import Entries, Extensions, Handled, Leaf, Row, Table, Walk


def _neutral(what: str) -> Leaf:
    return Leaf("metadata", partial(j.neutral, what=what))


def _changed(kind: str, what: str, why: str) -> Leaf:
    return Leaf(kind, partial(j.changed, what=what, why=why))


def _flag(kind: str, what: str, *, tight_when: bool) -> Leaf:
    return Leaf(kind, partial(j.flag, what=what, tight_when=tight_when))


def _bound(
    kind: str, what: str, *, upper: bool, reader: j.Reader = "raw", values: bool = False
) -> Leaf:
    return Leaf(kind, partial(j.bound, what=what, upper=upper, reader=reader, values=values))


def _members(kind: str, what: str, *, allow: bool) -> Leaf:
    return Leaf(kind, partial(j.members, what=what, allow=allow))


def _severity(kind: str) -> Leaf:
    return Leaf(kind, j.severity)


# Check parameters compared in the field's type (dates, timestamps, numbers).
_LOWER = _bound("check.param", "lower bound", upper=False, reader="field", values=True)
_UPPER = _bound("check.param", "upper bound", upper=True, reader="field", values=True)
_TEXT_WHY = "values are matched against different text: old data can fail, new data is unfamiliar"


def _text_match(what: str) -> Table:
    return {"value": _changed("check.param", what, _TEXT_WHY)}


def _exact(what: str) -> Table:
    return {"value": _changed("check.param", what, "a different value is required")}


_REFERENCE = _changed("check.param", "reference", "values are looked up in different data")
_TEXT_BOUNDS: Table = {
    "min": _bound("check.param", "minimum length", upper=False, values=True),
    "max": _bound("check.param", "maximum length", upper=True, values=True),
}


def _aggregate(what: str) -> Table:
    return {
        "min": _bound("check.param", f"lower bound of the {what}", upper=False),
        "max": _bound("check.param", f"upper bound of the {what}", upper=True),
    }


def _extreme(what: str) -> Table:
    """Bounds on the smallest or largest value, compared in the field's type (dates too)."""
    return {
        "min": _bound("check.param", f"lower bound of the {what}", upper=False, reader="field"),
        "max": _bound("check.param", f"upper bound of the {what}", upper=True, reader="field"),
    }


CHECK_OPTIONS: Table = {
    "kind": Handled("match"),
    # Checks are matched by kind and name, but a relabelled twin is still matched (walk.py),
    # and a label is only shown in reports.
    "name": _neutral("label"),
    "severity": _severity("check.severity"),
    "description": _neutral("description"),
    "mostly": Leaf("check.param", j.mostly),
    "extensions": Extensions(),
}

FIELD: Table = {
    "type": Leaf("field.type", partial(j.logical_type, what="type")),
    "required": _flag("field.required", "required", tight_when=True),
    "nullable": _flag("field.nullable", "nullable", tight_when=False),
    "unique": _flag("field.unique", "unique", tight_when=True),
    "checks": Handled("checks"),
    "role": _neutral("role"),
    "pii": _neutral("pii"),
    "description": _neutral("description"),
    "tags": _neutral("tags"),
    "deprecated": _neutral("deprecated"),
    "previous_names": _neutral("previous names"),
    "tz": _changed(
        "field.tz",
        "time zone",
        "timestamps in the old zone now fail and consumers see a different zone",
    ),
    "format": _changed("field.format", "format", "text is parsed with a different format"),
    "categories": _members("field.categories", "categories", allow=True),
    "precision": _bound("field.precision", "precision", upper=True),
    "scale": _changed(
        "field.scale", "scale", "digits move between the integer and the fraction part"
    ),
    "items": Walk("field.items", "element type", on_add="changed", on_remove="changed"),
    "fields": Handled("fields"),
    "extensions": Extensions(),
}

DATASET: Table = {
    "columns": Leaf("dataset.columns", partial(j.columns, what="columns")),
    "ordered": _flag("dataset.ordered", "ordered", tight_when=True),
    "primary_key": Leaf(
        "dataset.primary_key",
        partial(
            j.changed,
            what="primary key",
            why="rows are identified by different fields, so joins and deduplication change",
        ),
        names_fields=True,
    ),
    "unique": Leaf(
        "dataset.unique",
        partial(j.members, what="unique field groups", allow=False),
        names_fields=True,
    ),
    "row_count": Walk("dataset.row_count", "row count"),
    "freshness": Walk("dataset.freshness", "freshness"),
    "rules": Handled("rules"),
}

RULES: dict[type[BaseModel], Table] = {
    m.ContractModel: {
        "accord": _changed(
            "contract.format", "format version", "the file is read by different rules"
        ),
        "name": Handled("identity"),
        "version": Handled("version"),
        "title": _neutral("title"),
        "description": _neutral("description"),
        "owner": _neutral("owner"),
        "tags": _neutral("tags"),
        "status": _neutral("status"),
        "compatibility": _neutral("compatibility mode"),
        "source": Walk(
            "source", "read options", on_add="changed", on_remove="changed", subject="the source"
        ),
        "dataset": Walk("dataset", "dataset rules", subject="the dataset"),
        "fields": Handled("fields"),
        "profiles": Entries(
            "profile",
            "profile",
            on_add="added",
            on_remove="changed",
            why_add="nothing existing can use it yet",
            why_remove="consumers that validate with it break",
            subject="profile {name}",
        ),
        "drift": Walk("drift", "drift thresholds", subject="drift"),
        "references": Entries(
            "reference",
            "reference",
            on_add="added",
            on_remove="relaxed",
            why_add="it only names another dataset",
            why_remove="nothing needs to be supplied for it any more",
            subject="reference {name}",
        ),
        "extensions": Extensions(),
    },
    m.Field_: FIELD,
    # A profile's override keys are judged like the keys they override; the rows are shared,
    # and a key only an override has would be missing here and fail the coverage test.
    m.FieldOverride: {key: FIELD[key] for key in m.FieldOverride.model_fields if key in FIELD},
    m.Dataset: DATASET,
    m.DatasetOverride: {
        key: DATASET[key] for key in m.DatasetOverride.model_fields if key in DATASET
    },
    m.RowCount: {
        "min": _bound("dataset.row_count", "minimum row count", upper=False),
        "max": _bound("dataset.row_count", "maximum row count", upper=True),
    },
    m.Freshness: {
        "field": Leaf(
            "dataset.freshness",
            partial(j.changed, what="freshness field", why="a different column must be recent"),
            names_fields=True,
        ),
        "max_age": _bound("dataset.freshness", "maximum age", upper=True, reader="duration"),
    },
    m.Rule: {
        "name": Handled("match"),
        "assert_": _changed(
            "dataset.rule", "assertion", "rows are tested by a different expression"
        ),
        "severity": _severity("dataset.rule"),
        "description": _neutral("description"),
    },
    m.Profile: {
        "description": _neutral("description"),
        "require_roles": _members("profile.roles", "required roles", allow=False),
        "forbid_roles": _members("profile.roles", "forbidden roles", allow=False),
        "dataset": Handled("profile_dataset"),
        "fields": Handled("profile_fields"),
    },
    m.Drift: {
        "default": Walk("drift.default", "default thresholds", subject="default drift"),
        "fields": Entries(
            "drift.field",
            "drift thresholds",
            on_add="tightened",
            on_remove="relaxed",
            why_add="the field's drift is now measured",
            why_remove="the field's drift is no longer measured",
            subject="{name} drift",
            names_fields=True,
        ),
        "severity": _severity("drift.severity"),
    },
    m.DriftThresholds: {
        **{
            key: _bound("drift.threshold", f"{key} threshold", upper=True)
            for key in ("psi", "ks", "mean_shift", "null_fraction_delta", "unseen_categories")
        },
        "severity": _severity("drift.severity"),
    },
    m.Source: {
        "format": _changed("source.format", "format", "files are read differently"),
        "csv": Walk("source.csv", "CSV options", on_add="changed", on_remove="changed"),
    },
    m.CsvOptions: {
        key: _changed(
            "source.csv",
            f"CSV {key.replace('_', ' ')}",
            "files are read differently, so the same bytes can give different values",
        )
        for key in ("delimiter", "quote", "encoding", "null_values", "header")
    },
    m.ReferenceDecl: {
        "contract": _changed("reference.contract", "contract", "it names a different dataset"),
        "description": _neutral("description"),
    },
    c.BaseCheck: CHECK_OPTIONS,
    c.EqualTo: _exact("required value"),
    c.NotEqualTo: _exact("excluded value"),
    c.GreaterThan: {"value": _LOWER},
    c.GreaterThanOrEqualTo: {"value": _LOWER},
    c.LessThan: {"value": _UPPER},
    c.LessThanOrEqualTo: {"value": _UPPER},
    c.Between: {
        "min": _LOWER,
        "max": _UPPER,
        "inclusive": Leaf("check.param", partial(j.inclusive, what="inclusive ends")),
    },
    c.In: {"value": _members("check.param", "allowed values", allow=True)},
    c.NotIn: {"value": _members("check.param", "forbidden values", allow=False)},
    c.Pattern: _text_match("pattern"),
    c.Length: _TEXT_BOUNDS,
    c.StartsWith: _text_match("required prefix"),
    c.EndsWith: _text_match("required suffix"),
    c.Contains: _text_match("required text"),
    c.MaxNullFraction: {"value": _bound("check.param", "maximum null fraction", upper=True)},
    c.MeanBetween: _aggregate("mean"),
    c.MedianBetween: _aggregate("median"),
    c.StddevBetween: _aggregate("standard deviation"),
    c.DistinctCountBetween: _aggregate("distinct count"),
    c.UniqueFractionBetween: _aggregate("unique fraction"),
    c.MinBetween: _extreme("smallest value"),
    c.MaxBetween: _extreme("largest value"),
    c.InReference: {"dataset": _REFERENCE, "field": _REFERENCE},
    c.Custom: {
        "check": Handled("match"),
        "params": _changed(
            "check.param", "parameters", "the custom check is run with different parameters"
        ),
    },
}


def rule_for(model: type[BaseModel], key: str) -> Row:
    """The row for ``key`` of ``model`` (or of the nearest base model that declares it)."""
    for klass in model.__mro__:
        table = RULES.get(klass)
        if table is not None and key in table:
            return table[key]
    raise KeyError(f"no diff rule for {model.__name__}.{key}: add a row to accord.diff.rules")
