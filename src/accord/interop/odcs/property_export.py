"""One accord field to one ODCS property: the export half of ``fields.py`` (INTEROP A.6, A.7).

The rule of ``fields.py`` seen from this side: after exporting a field, every accord key that the
importer would not read back identically goes into the property's ``accord`` carrier, and the
original ODCS values kept under ``x-odcs`` are restored only while they still mean the field.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from accord.contract.base import EXTENSION_PREFIX
from accord.interop.odcs import fields as importer
from accord.interop.odcs import quality as q
from accord.interop.odcs.forms import canonical_field, mapping
from accord.interop.odcs.notes import CARRIER, ODCS_KEY
from accord.interop.odcs.types import write_type

# ODCS ShorthandReference: ``table.column`` with plain identifiers; anything else travels custom.
_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RANGE_KINDS = frozenset(
    {"between", "greater_than", "greater_than_or_equal_to", "less_than", "less_than_or_equal_to"}
)


def export_property(
    key: str, form: dict[str, Any], position: int | None, ctx: importer.Context
) -> dict[str, Any]:
    """One accord field form as an ODCS property that imports back to the same field."""
    kept = mapping(form.get(ODCS_KEY))
    want = canonical_field(_without_odcs(form))
    best: dict[str, Any] | None = None
    for layout in ("native", "quality", "custom"):
        prop = _native(key, form, position, layout, ctx)
        carrier = _carrier_for(prop, form, ctx)
        if carrier:
            prop.setdefault("customProperties", []).append({"property": CARRIER, "value": carrier})
        best = prop
        if "checks" not in carrier:
            break
    assert best is not None
    return _overlay(best, kept, key, want, position, ctx)


def _without_odcs(form: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if k != ODCS_KEY}


def _native(
    key: str, form: dict[str, Any], position: int | None, layout: str, ctx: importer.Context
) -> dict[str, Any]:
    type_keys, options = write_type(form)
    prop: dict[str, Any] = {"name": key, **type_keys}
    prop["required"] = not form.get("nullable", False)
    prop["unique"] = bool(form.get("unique", False))
    prop["primaryKey"] = position is not None
    if position is not None and position > 0:
        prop["primaryKeyPosition"] = position
    if form.get("description") is not None:
        prop["description"] = form["description"]
    if form.get("tags"):
        prop["tags"] = list(form["tags"])
    rules: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    customs: list[dict[str, Any]] = []
    for check in form.get("checks") or []:
        if not _write_enum(check, customs):
            _write_check(check, form, options, rules, relations, layout)
    if options:
        prop["logicalTypeOptions"] = options
    if rules:
        prop["quality"] = rules
    if relations:
        prop["relationships"] = relations
    if form.get("pii"):
        customs.append({"property": "pii", "value": True})
    elif _looks_pii(form, ctx):
        customs.append({"property": "pii", "value": False})
    if customs:
        prop["customProperties"] = customs
    if isinstance(form.get("items"), dict):
        items = export_property(importer.ELEMENT, form["items"], None, ctx)
        for key_name in ("name", "physicalName"):
            if items.get(key_name) == importer.ELEMENT:
                del items[key_name]
        prop["items"] = items
    if isinstance(form.get("fields"), dict):
        prop["properties"] = [
            export_property(name, spec, None, ctx) for name, spec in form["fields"].items()
        ]
    return prop


def _looks_pii(form: dict[str, Any], ctx: importer.Context) -> bool:
    kept = mapping(form.get(ODCS_KEY))
    classification = kept.get("classification")
    return isinstance(classification, str) and classification.lower() in ctx.pii_classes


def _write_enum(check: dict[str, Any], customs: list[dict[str, Any]]) -> bool:
    """An ``in`` check imported from an enum customProperty goes back as that customProperty."""
    entry = mapping(check.get(ODCS_KEY)).get(importer.ENUM_ENTRY)
    if set(check) != {"in", ODCS_KEY} or not isinstance(entry, dict):
        return False
    if importer.enum_values(entry.get("value"))[0] != check["in"]:
        entry = {"property": entry.get("property", "enum"), "value": check["in"]}
    customs.append(entry)
    return True


def _write_check(
    check: dict[str, Any],
    form: dict[str, Any],
    options: dict[str, Any],
    rules: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    layout: str,
) -> None:
    kind = next(k for k in check if k not in ("severity", "name", "description"))
    kind = {"min": "greater_than_or_equal_to", "max": "less_than_or_equal_to"}.get(kind, kind)
    plain = set(check) == {kind} and not str(kind).startswith(EXTENSION_PREFIX)
    params = next(iter(check.values())) if plain else check.get(kind)
    identity = {k: check[k] for k in ("name",) if k in check}
    if check.get("severity") == "warning":
        identity["severity"] = "warning"
    identity.update(
        {k: v for k, v in mapping(check.get(ODCS_KEY)).items() if k != importer.ENUM_ENTRY}
    )
    if layout == "native" and plain and form.get("type") != "string" and kind in _RANGE_KINDS:
        written = q.write_range({kind: params})
        if written and not set(written) & set(options):
            options.update(written)
            return
    if (
        layout == "native"
        and plain
        and kind == "length"
        and not {"minLength", "maxLength"} & set(options)
        and isinstance(params, dict)
    ):
        pairs = (("min", "minLength"), ("max", "maxLength"))
        options.update({o: params[k] for k, o in pairs if k in params})
        return
    if layout == "native" and plain and kind == "pattern" and "pattern" not in options:
        options["pattern"] = f"^(?:{params})$"
        return
    if (
        layout == "native"
        and plain
        and kind == "in_reference"
        and isinstance(params, dict)
        and all(_SHORTHAND.fullmatch(str(params.get(k, ""))) for k in ("dataset", "field"))
    ):
        relations.append({"type": "foreignKey", "to": f"{params['dataset']}.{params['field']}"})
        return
    if layout != "custom" and kind == "in":
        rules.append(
            {"metric": "invalidValues", "arguments": {"validValues": params}, "mustBe": 0}
            | identity
        )
        return
    if layout != "custom" and kind == "max_null_fraction" and isinstance(params, int | float):
        rules.append(
            {
                "metric": "nullValues",
                "mustBeLessOrEqualTo": q.fraction_to_percent(float(params)),
                "unit": "percent",
            }
            | identity
        )
        return
    implementation = {k: v for k, v in check.items() if k != ODCS_KEY}
    rules.append({"type": "custom", "engine": CARRIER, "implementation": implementation} | identity)


def _carrier_for(
    prop: dict[str, Any], form: dict[str, Any], ctx: importer.Context
) -> dict[str, Any]:
    """The accord keys this property cannot say natively."""
    mirror = ctx.mirror()
    back = importer.import_property(copy.deepcopy(prop), "", "", mirror)
    got = canonical_field(_without_odcs(back.form)) if back is not None else None
    want = canonical_field(_without_odcs(form))
    carrier = {k: v for k, v in form.items() if k.startswith(EXTENSION_PREFIX) and k != ODCS_KEY}
    if want is None:
        return {**carrier, **_without_odcs(form)}
    for name, value in want.items():
        if got is None or got.get(name) != value:
            if name in form:
                carrier[name] = form[name]
            elif name == "nullable":
                carrier[name] = False
            elif name == "required":
                carrier[name] = True
            else:
                carrier[name] = value
    return carrier


def _overlay(
    prop: dict[str, Any],
    kept: dict[str, Any],
    key: str,
    want: Any,
    position: int | None,
    ctx: importer.Context,
) -> dict[str, Any]:
    """Restore the original ODCS values kept under x-odcs where they still mean the field."""
    if not kept:
        return prop
    mirror = ctx.mirror()
    # Two passes: a kept value may only mean the field once another kept value is back.
    for name, value in [*kept.items(), *kept.items()]:
        trial = copy.deepcopy(prop)
        if name == "customProperties":
            present = trial.get(name) or []
            trial[name] = [*present, *(e for e in value if e not in present)]
        elif name == "logicalTypeOptions" and isinstance(value, dict):
            trial[name] = {**(trial.get(name) or {}), **value}
        else:
            trial[name] = value
        if name == "logicalType" and trial.get(name) != prop.get(name):
            # the native options belong to the native logical type
            trial.pop("logicalTypeOptions", None)
            if isinstance(kept.get("logicalTypeOptions"), dict):
                trial["logicalTypeOptions"] = dict(kept["logicalTypeOptions"])
        if name == "name":
            trial["physicalName"] = key
        if trial.get("logicalType") not in ("timestamp", "time") and trial.get(
            "logicalTypeOptions"
        ):
            for option in ("timezone", "defaultTimezone"):
                trial["logicalTypeOptions"].pop(option, None)
        back = importer.import_property(copy.deepcopy(trial), "", "", mirror)
        same_key = back is not None and back.key == key
        same_field = (
            same_key
            and back is not None
            and canonical_field(_without_odcs(back.form)) == want
            and (back.position == position or None not in (position, back.position))
        )
        if same_field:
            prop = trial
    if "name" in kept and prop.get("name") != key:
        prop["physicalName"] = key
    return prop
