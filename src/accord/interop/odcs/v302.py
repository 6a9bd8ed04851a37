"""ODCS v3.1.0 exports rewritten as v3.0.2 (INTEROP A.6, the 3.0.2 column).

The export is made in v3.1.0 first; this module rewrites what v3.0.2 spells differently (a
``team`` list, ``rule:`` quality entries, booleans for exclusive bounds, no ``timestamp``/``time``
logical types, no ``relationships``), then re-imports the result and puts every accord key the
rewrite lost into the ``accord`` carrier, so accord -> ODCS 3.0.2 -> accord stays lossless.
"""

from __future__ import annotations

import copy
from typing import Any

from accord.interop.odcs.forms import canonical_contract, mapping, sequence
from accord.interop.odcs.notes import CARRIER

API_VERSION = "v3.0.2"
_RANGE_OPTIONS = (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum"))
_V31_OPTIONS = ("timezone", "defaultTimezone")


def downgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A v3.0.2 document saying what ``doc`` says, and what it could not place natively."""
    out = copy.deepcopy(doc)
    warnings: list[str] = []
    out["apiVersion"] = API_VERSION
    team = out.get("team")
    if isinstance(team, dict):
        out["team"] = list(sequence(team.get("members")))
        rest = {k: v for k, v in team.items() if k != "members"}
        if rest:
            out.setdefault("customProperties", []).append({"property": "team", "value": rest})
            warnings.append(
                f"team keys {', '.join(rest)} have no ODCS 3.0.2 place: written as the "
                "customProperty 'team'"
            )
    for obj in sequence(out.get("schema")):
        if isinstance(obj, dict):
            obj["quality"] = _rules(obj.get("quality"))
            if not obj["quality"]:
                del obj["quality"]
            for prop in sequence(obj.get("properties")):
                _property(prop)
    return out, warnings


def _property(prop: Any) -> None:
    if not isinstance(prop, dict):
        return
    options = mapping(prop.get("logicalTypeOptions"))
    logical = prop.get("logicalType")
    if logical == "timestamp":
        prop["logicalType"] = "date"
        if not str(prop.get("physicalType", "")).lower().startswith(("timestamp", "datetime")):
            prop["physicalType"] = "timestamp_tz" if options.get("timezone") else "timestamp_ntz"
    elif logical == "time":
        prop["logicalType"] = "string"
        prop.setdefault("physicalType", "time")
        # v3.0.2 strings take no bounds; the range check then rides in the carrier (repair)
        for strict, bound in _RANGE_OPTIONS:
            options.pop(strict, None)
            options.pop(bound, None)
    for name in _V31_OPTIONS:
        options.pop(name, None)
    for strict, bound in _RANGE_OPTIONS:
        value = options.get(strict)
        if value is not None and not isinstance(value, bool) and bound not in options:
            options[bound] = value
            options[strict] = True
    bounds = [options.get(bound) for _, bound in _RANGE_OPTIONS if bound in options]
    if prop.get("logicalType") in ("integer", "number") and any(
        isinstance(b, bool) or not isinstance(b, int | float) for b in bounds
    ):
        # v3.0.2 bounds of numbers are numbers; a decimal written as text rides in the carrier
        for strict, bound in _RANGE_OPTIONS:
            options.pop(strict, None)
            options.pop(bound, None)
    if "logicalTypeOptions" in prop and not options:
        del prop["logicalTypeOptions"]
    relations = prop.pop("relationships", None)
    rules = _rules(prop.get("quality"))
    for relation in sequence(relations):
        target = str(mapping(relation).get("to", ""))
        dataset, _, column = target.partition(".")
        rules.append(
            {
                "type": "custom",
                "engine": CARRIER,
                "implementation": {"in_reference": {"dataset": dataset, "field": column}},
            }
        )
    if rules:
        prop["quality"] = rules
    else:
        prop.pop("quality", None)
    for member in sequence(prop.get("properties")):
        _property(member)
    if isinstance(prop.get("items"), dict):
        _property(prop["items"])


def _rules(rules: Any) -> list[Any]:
    return [_rule(rule) for rule in sequence(rules)]


def _rule(rule: Any) -> Any:
    """A v3.1 ``metric:`` rule in v3.0's ``rule:`` spelling (``validValues`` for allowed values)."""
    if not isinstance(rule, dict) or "metric" not in rule:
        return rule
    rest = {k: v for k, v in rule.items() if k != "metric"}
    name = rule["metric"]
    arguments = mapping(rest.get("arguments"))
    if name == "invalidValues" and set(arguments) == {"validValues"}:
        del rest["arguments"]
        return {"rule": "validValues", "validValues": arguments["validValues"], **rest}
    return {"rule": name, **rest}


def repair(
    doc: dict[str, Any], form: dict[str, Any], back: dict[str, Any] | None
) -> dict[str, Any]:
    """Put into the carriers every accord key that ``back`` (``doc`` imported) lost."""
    want = canonical_contract(form)
    got = canonical_contract(back) if back is not None else None
    if want is None or got == want:
        return doc
    doc = copy.deepcopy(doc)
    fields = mapping(form.get("fields"))
    got_fields = mapping((got or {}).get("fields"))
    props = doc["schema"][0]["properties"]
    for prop, (name, spec) in zip(props, fields.items(), strict=True):
        wanted, had = want["fields"][name], mapping(got_fields.get(name))
        lost = {k: spec.get(k, v) for k, v in wanted.items() if had.get(k) != v}
        if lost:
            _carrier(prop).update(lost)
    lost_top = {
        k: form[k]
        for k, v in want.items()
        if k != "fields" and (got or {}).get(k) != v and k in form
    }
    if lost_top:
        _carrier(doc).update(lost_top)
    return doc


def _carrier(node: dict[str, Any]) -> dict[str, Any]:
    entries = node.setdefault("customProperties", [])
    for entry in entries:
        if isinstance(entry, dict) and entry.get("property") == CARRIER:
            value: dict[str, Any] = entry.setdefault("value", {})
            return value
    value = {}
    entries.append({"property": CARRIER, "value": value})
    return value
