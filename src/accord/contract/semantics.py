"""What a well-shaped contract must also mean: every cross-reference and parameter makes sense.

Each rule yields ``(path, message)``; the loader turns paths into lines. Nothing here stops at the
first problem.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from accord.contract import checks as c
from accord.contract.expressions import ExpressionSyntaxError, infer_kind, parse, referenced_fields
from accord.contract.model import SEMVER, ContractModel, Dataset, Field_
from accord.contract.params import ParamError, read_param
from accord.contract.regex_safety import regex_problem
from accord.contract.registry import registered_check, registered_names
from accord.contract.suggest import did_you_mean
from accord.contract.types import (
    NUMERIC_TYPES,
    ORDERED_TYPES,
    SCALAR_TYPES,
    TEXT_TYPES,
    kind_of,
)

Loc = tuple[str | int, ...]
Found = Iterator[tuple[Loc, str]]


def semantic_problems(contract: ContractModel) -> list[tuple[Loc, str]]:
    return list(_contract(contract))


def partial_semantic_problems(raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """The meaning of a contract whose overall shape is broken, as far as it can be judged.

    Each field that is well-shaped on its own is still checked, so one run reports a misspelt
    key and an impossible range together; so is each well-shaped dataset key, except what
    depends on a broken field (its type is unknown), so no problem waits for a second run.
    """
    found: list[tuple[Loc, str]] = []
    version = raw.get("version")
    if isinstance(version, str) and not SEMVER.match(version):
        found.append((("version",), _semver_message(version)))
    references = raw.get("references")
    names = references if isinstance(references, dict) else {}
    fields = raw.get("fields")
    good: dict[str, Field_] = {}
    broken: set[str] = set()
    for name, spec in fields.items() if isinstance(fields, dict) else []:
        try:
            model = Field_.model_validate(spec)
        except ValidationError:
            broken.add(str(name))
            continue
        good[str(name)] = model
        found.extend(_field(str(name), model, ("fields", name), names))
    found.extend(_partial_dataset(raw.get("dataset"), good, broken))
    return found


def _partial_dataset(raw: Any, good: dict[str, Field_], broken: set[str]) -> Found:
    """Dataset keys that are well-shaped on their own, judged against the fields: a broken
    field counts as existing, and whatever needs its type (freshness, a rule's operand types)
    waits until it is fixed."""
    if not isinstance(raw, dict):
        return
    kept = {}
    for key, value in raw.items():
        try:
            Dataset.model_validate({key: value})
        except ValidationError:
            continue
        kept[key] = value
    dataset = Dataset.model_validate(kept)
    placeholder = Field_(type="string")
    known = {**good, **dict.fromkeys(broken, placeholder)}
    for loc, message in _dataset(dataset, known, ("dataset",)):
        if loc[1:2] == ("freshness",) and dataset.freshness and dataset.freshness.field in broken:
            continue
        if loc[1:2] == ("rules",) and _rule_uses(dataset.rules[int(loc[2])].assert_, broken):
            continue
        yield loc, message


def _rule_uses(text: str, names: set[str]) -> bool:
    """Whether a rule that parses refers to one of ``names`` (a syntax error is always shown)."""
    try:
        return bool(set(referenced_fields(parse(text))) & names)
    except ExpressionSyntaxError:
        return False


def _semver_message(version: str) -> str:
    return f"version {version!r} is not semantic versioning MAJOR.MINOR.PATCH, e.g. 1.0.0"


def _contract(contract: ContractModel) -> Found:
    if not SEMVER.match(contract.version):
        yield ("version",), _semver_message(contract.version)
    for name, spec in contract.fields.items():
        yield from _field(name, spec, ("fields", name), contract.references)
    yield from _previous_names(contract)
    yield from _dataset(contract.dataset, contract.fields, ("dataset",))
    for name, profile in contract.profiles.items():
        here: Loc = ("profiles", name)
        unknown = [f for f in profile.fields if f not in contract.fields]
        for field_name in unknown:
            yield (*here, "fields", field_name), _no_field(field_name, contract.fields)
        if unknown:
            continue
        try:
            applied = contract.apply_profile(name)
        except ValidationError as error:
            yield here, f"profile '{name}' does not make a valid contract: {error}"
            continue
        if profile.dataset is not None:
            yield from _dataset(applied.dataset, applied.fields, (*here, "dataset"))
        for field_name, override in profile.fields.items():
            # only keys that change what a field's checks mean are judged again
            if override.model_fields_set & {"type", "checks", "tz", "format", "categories"}:
                yield from _field(
                    field_name,
                    applied.fields[field_name],
                    (*here, "fields", field_name),
                    contract.references,
                )
    for field_name in contract.drift.fields:
        if field_name not in contract.fields:
            yield ("drift", "fields", field_name), _no_field(field_name, contract.fields)


def _no_field(name: str, fields: Mapping[str, Any]) -> str:
    return f"no field named '{name}'" + did_you_mean(name, fields)


def _field(name: str, spec: Field_, here: Loc, references: Mapping[str, Any]) -> Found:
    kind = spec.type
    if spec.tz is not None:
        if kind != "timestamp":
            yield (*here, "tz"), f"'tz' applies to timestamp fields only, not {kind}"
        elif not _valid_zone(spec.tz):
            yield (*here, "tz"), f"unknown time zone {spec.tz!r}; use UTC or an IANA name"
    if spec.format is not None and kind not in {"date", "timestamp", "time"}:
        yield (*here, "format"), f"'format' applies to date, timestamp and time fields, not {kind}"
    if spec.categories is not None:
        if kind != "category":
            yield (*here, "categories"), f"'categories' applies to category fields, not {kind}"
        elif not spec.categories:
            yield (*here, "categories"), "'categories' is empty: no value could ever pass"
    if (spec.precision is not None or spec.scale is not None) and kind != "decimal":
        yield (*here,), f"'precision' and 'scale' apply to decimal fields, not {kind}"
    if spec.precision is not None and spec.scale is not None and spec.scale > spec.precision:
        yield (*here, "scale"), f"scale {spec.scale} exceeds precision {spec.precision}"
    if kind == "list" and spec.items is None:
        yield (*here,), "a list field needs 'items' to declare its element type"
    if spec.items is not None:
        if kind != "list":
            yield (*here, "items"), f"'items' applies to list fields, not {kind}"
        else:
            yield from _field(f"{name}[]", spec.items, (*here, "items"), references)
    if kind == "struct" and not spec.fields:
        yield (*here,), "a struct field needs 'fields' to declare its members"
    if spec.fields is not None:
        if kind != "struct":
            yield (*here, "fields"), f"'fields' applies to struct fields, not {kind}"
        else:
            for member, member_spec in spec.fields.items():
                yield from _field(
                    f"{name}.{member}", member_spec, (*here, "fields", member), references
                )
    if spec.unique and kind not in SCALAR_TYPES:
        yield (*here, "unique"), f"'unique' applies to scalar fields, not {kind}"
    for index, check in enumerate(spec.checks):
        yield from _check(check, spec, name, (*here, "checks", index), references)


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _applies(check: c.BaseCheck, logical_type: str) -> str | None:
    """Why ``check`` cannot apply to a field of ``logical_type``, or None when it can."""
    kind = str(getattr(check, "kind"))  # noqa: B009
    if kind in c.ORDERING_KINDS and logical_type not in ORDERED_TYPES:
        return f"'{kind}' compares order, which {logical_type} fields do not have"
    if kind in c.TEXT_KINDS and logical_type not in TEXT_TYPES:
        return f"'{kind}' applies to string and category fields, not {logical_type}"
    if kind in c.NUMERIC_AGGREGATE_KINDS and logical_type not in NUMERIC_TYPES:
        return f"'{kind}' needs a numeric field, not {logical_type}"
    if kind in {"equal_to", "not_equal_to", "in", "not_in", "in_reference"} and (
        logical_type not in SCALAR_TYPES or logical_type == "binary"
    ):
        return f"'{kind}' applies to scalar fields, not {logical_type}"
    return None


def _check(
    check: c.BaseCheck, spec: Field_, name: str, here: Loc, references: Mapping[str, Any]
) -> Found:
    kind = str(getattr(check, "kind"))  # noqa: B009
    written: Loc = (*here, kind)
    reason = _applies(check, spec.type)
    if reason is not None:
        yield written, reason
        return
    read = _reader(spec)
    if isinstance(
        check,
        c.EqualTo
        | c.NotEqualTo
        | c.GreaterThan
        | c.GreaterThanOrEqualTo
        | c.LessThan
        | c.LessThanOrEqualTo,
    ):
        yield from _read_all(read, [(written, check.value)])
    elif isinstance(check, c.Between):
        yield from _bounds(read, written, check.min, check.max, needs_one=True)
        if check.min is not None and check.min == check.max and check.inclusive != "both":
            yield written, f"between {check.min} and {check.max} ({check.inclusive}) admits nothing"
    elif isinstance(check, c.In | c.NotIn):
        if not check.value:
            yield (
                written,
                f"'{kind}' list is empty: "
                + ("no value could ever pass" if kind == "in" else "it excludes nothing"),
            )
        for position, item in enumerate(check.value):
            if item is None:
                yield (
                    (*written, position),
                    (f"null in an '{kind}' list: nulls are the business of 'nullable', remove it"),
                )
            else:
                yield from _read_all(read, [((*written, position), item)])
    elif isinstance(check, c.Pattern):
        problem = regex_problem(check.value)
        if problem:
            yield written, f"invalid pattern for field {name}: {problem}"
    elif isinstance(
        check, c.Length | c.DistinctCountBetween | c.MeanBetween | c.MedianBetween | c.StddevBetween
    ):
        yield from _min_max(written, check.min, check.max)
    elif isinstance(check, c.InReference):
        if check.dataset not in references:
            yield (
                (*written, "dataset"),
                (
                    f"'{check.dataset}' is not declared under 'references'"
                    + did_you_mean(check.dataset, references)
                ),
            )
    elif isinstance(check, c.Custom):
        registered = registered_check(check.check)
        if registered is None:
            known = registered_names()
            yield (
                (*written, "check"),
                (
                    f"unknown check '{check.check}': custom checks must be registered in Python "
                    "with accord.register_check, in a module named with --plugin MODULE or in an "
                    "installed package's 'accord.checks' entry point"
                    + did_you_mean(check.check, known)
                ),
            )
        else:
            for message in registered.validate_params(dict(check.params)):
                yield written, message


def _reader(spec: Field_) -> Any:
    def read(value: Any) -> Any:
        return read_param(value, spec.type, tz=spec.tz)

    return read


def _read_all(read: Any, items: list[tuple[Loc, Any]]) -> Found:
    for path, value in items:
        try:
            read(value)
        except ParamError as error:
            yield path, str(error)


def _bounds(read: Any, here: Loc, low: Any, high: Any, *, needs_one: bool) -> Found:
    if needs_one and low is None and high is None:
        yield here, "give at least one of 'min' and 'max'"
        return
    parsed = {}
    for key, value in (("min", low), ("max", high)):
        if value is None:
            continue
        try:
            parsed[key] = read(value)
        except ParamError as error:
            yield (*here, key), str(error)
    if len(parsed) == 2 and parsed["min"] > parsed["max"]:
        yield here, f"min {low} is greater than max {high}: no value could ever pass"


def _min_max(here: Loc, low: float | None, high: float | None) -> Found:
    if low is None and high is None:
        yield here, "give at least one of 'min' and 'max'"
    elif low is not None and high is not None and low > high:
        yield here, f"min {low} is greater than max {high}: no value could ever pass"


def _dataset(dataset: Dataset, fields: Mapping[str, Field_], here: Loc) -> Found:
    for index, key in enumerate(dataset.primary_key):
        if key not in fields:
            yield (*here, "primary_key", index), _no_field(key, fields)
    if len(set(dataset.primary_key)) != len(dataset.primary_key):
        yield (*here, "primary_key"), "primary_key names a field twice"
    for group_index, group in enumerate(dataset.unique):
        if not group:
            yield (*here, "unique", group_index), "a unique group needs at least one field"
        for index, key in enumerate(group):
            if key not in fields:
                yield (*here, "unique", group_index, index), _no_field(key, fields)
    if dataset.row_count is not None:
        yield from _min_max((*here, "row_count"), dataset.row_count.min, dataset.row_count.max)
    if dataset.freshness is not None:
        target = dataset.freshness.field
        if target not in fields:
            yield (*here, "freshness", "field"), _no_field(target, fields)
        elif fields[target].type not in {"timestamp", "date"}:
            yield (
                (*here, "freshness", "field"),
                (f"freshness needs a timestamp or date field; '{target}' is {fields[target].type}"),
            )
    seen: set[str] = set()
    for index, rule in enumerate(dataset.rules):
        at: Loc = (*here, "rules", index)
        if rule.name in seen:
            yield (*at, "name"), f"rule name '{rule.name}' is used twice"
        seen.add(rule.name)
        yield from _rule(rule.assert_, fields, (*at, "assert"))


def _rule(text: str, fields: Mapping[str, Field_], here: Loc) -> Found:
    try:
        expression = parse(text)
    except ExpressionSyntaxError as error:
        yield here, f"{error}\n    {error.caret().replace(chr(10), chr(10) + '    ')}"
        return
    for name in referenced_fields(expression):
        if name not in fields:
            yield here, f"rule refers to {_no_field(name, fields)}"
    kinds = {name: kind_of(spec.type) for name, spec in fields.items()}
    for message in infer_kind(expression, kinds):
        yield here, message


def _previous_names(contract: ContractModel) -> Found:
    for name, spec in contract.fields.items():
        for index, old in enumerate(spec.previous_names):
            if old in contract.fields:
                yield (
                    ("fields", name, "previous_names", index),
                    (f"previous name '{old}' is still a field of this contract"),
                )
