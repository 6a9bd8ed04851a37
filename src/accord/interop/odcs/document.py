"""An ODCS document and one of its schema objects to one accord contract, and back (A.1, A.2).

Document and object keys follow the rule of ``fields.py``: originals that the exporter would not
write back identically are kept under the contract's ``x-odcs`` (object keys under
``x-odcs.object``); accord keys ODCS cannot say go into the ``accord`` carrier.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from accord.contract.base import EXTENSION_PREFIX
from accord.errors import Problem
from accord.interop.odcs import quality as q
from accord.interop.odcs.dialects import dialect_of
from accord.interop.odcs.fields import Context, Imported, import_property
from accord.interop.odcs.forms import MISSING, canonical_contract, mapping
from accord.interop.odcs.notes import CARRIER, ODCS_KEY, Notes
from accord.interop.odcs.property_export import export_property

API_VERSION = "v3.1.0"
OBJECT_KEY = "object"
_STATUS = {
    "proposed": "draft",
    "draft": "draft",
    "active": "active",
    "deprecated": "deprecated",
    "retired": "deprecated",
}
_UNITS = {
    "d": "d",
    "day": "d",
    "days": "d",
    "h": "h",
    "hr": "h",
    "hour": "h",
    "hours": "h",
    "m": "m",
    "min": "m",
    "minute": "m",
    "minutes": "m",
}
_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_AGE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(s|m|h|d|w)$")


def slug(name: Any) -> str:
    """INTEROP A.1: lower case, runs outside ``[a-z0-9_.-]`` to ``_``, no leading non-letter."""
    text = re.sub(r"[^a-z0-9_.-]+", "_", str(name).lower())
    return re.sub(r"^[^a-z]+", "", text) or "object"


@dataclass
class ImportedObject:
    name: str
    odcs_name: str
    index: int
    form: dict[str, Any]
    notes: Notes
    positions: dict[tuple[str, ...], str] = field(default_factory=dict)
    """accord path to the ODCS path it came from."""
    problems: list[Problem] = field(default_factory=list)
    """Why this object cannot become a contract; empty when it can."""


def import_object(doc: dict[str, Any], index: int, name: str, ctx: Context) -> ImportedObject:
    obj = doc["schema"][index]
    where = f"schema[{index}]"
    if not ctx.dialect_set:
        ctx.dialect, disagreement = dialect_of(doc.get("servers"))
        ctx.dialect_set = True
        if disagreement:
            ctx.notes.approximated("servers", "", disagreement)
    form: dict[str, Any] = {"accord": 1, "name": name, "version": _version(doc, ctx.notes)}
    positions = {
        (): where,
        ("name",): f"{where}.name",
        ("version",): "version",
        ("status",): "status",
        ("owner",): "team",
    }
    _metadata(doc, obj, form, ctx.notes)
    fields: dict[str, Any] = {}
    members: list[tuple[int, Imported]] = []
    names: dict[str, str] = {}
    for position, prop in enumerate(obj.get("properties") or []):
        at = f"{where}.properties[{position}]"
        done = import_property(prop, at, "fields", ctx)
        if done is None:
            continue
        if done.key in fields:
            ctx.notes.error(at, f"a second property named '{done.key}'")
            continue
        fields[done.key] = done.form
        positions[("fields", done.key)] = at
        for sub, odcs_key in (("nullable", "required"), ("type", "logicalType")):
            if odcs_key in prop:
                positions[("fields", done.key, sub)] = f"{at}.{odcs_key}"
        names[str(prop.get("name", done.key))] = done.key
        if done.position is not None:
            members.append((position, done))
    if not fields and not ctx.notes.errors:
        ctx.notes.error(
            f"{where}.properties",
            f"schema object {obj.get('name')!r} declares no properties; an accord contract needs "
            "at least one field",
        )
    form["fields"] = fields
    dataset = _dataset(obj, where, members, names, ctx)
    freshness = _freshness(doc, obj, names, ctx)
    if freshness:
        dataset["freshness"] = freshness
    if dataset:
        form["dataset"] = dataset
    if ctx.references:
        form["references"] = {k: {"contract": v} for k, v in ctx.references.items()}
    _merge(form, _carrier(doc))
    _merge(form, _carrier(obj))
    if ctx.keep:
        kept = _kept(doc, obj, form, ctx)
        if kept:
            form[ODCS_KEY] = kept
    return ImportedObject(name, str(obj.get("name")), index, form, ctx.notes, positions)


def _metadata(doc: dict[str, Any], obj: dict[str, Any], form: dict[str, Any], notes: Notes) -> None:
    """Title, description, owner, tags, status and source format (INTEROP A.2)."""
    title = obj.get("businessName") or doc.get("name")
    if isinstance(title, str):
        form["title"] = title
    description = obj.get("description")
    purpose = doc.get("description")
    if isinstance(purpose, dict):
        purpose = purpose.get("purpose")
    if isinstance(description, str):
        form["description"] = description
    elif isinstance(purpose, str):
        form["description"] = purpose
    owner = _owner(doc.get("team"))
    if owner:
        form["owner"] = owner
    tags = [str(t) for t in [*(doc.get("tags") or []), *(obj.get("tags") or [])]]
    if tags:
        form["tags"] = list(dict.fromkeys(tags))
    form["status"] = _status(doc.get("status"), notes)
    fmt = _source_format(doc.get("servers"))
    if fmt:
        form["source"] = {"format": fmt}


def _version(doc: dict[str, Any], notes: Notes) -> str:
    raw = doc.get("version")
    text = str(raw) if raw is not None else ""
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        padded = ".".join([*text.split("."), "0", "0"][:3])
        notes.approximated("version", "version", f"{text!r} padded to semantic version {padded}")
        return padded
    return text


def _owner(team: Any) -> str | None:
    members = (
        team
        if isinstance(team, list)
        else (team or {}).get("members")
        if isinstance(team, dict)
        else None
    )
    for member in members or []:
        if (
            isinstance(member, dict)
            and re.search("owner", str(member.get("role", "")), re.IGNORECASE)
            and not member.get("dateOut")
            and member.get("username")
        ):
            return str(member["username"])
    if isinstance(team, dict) and isinstance(team.get("name"), str):
        return str(team["name"])
    return None


def _status(raw: Any, notes: Notes) -> str:
    word = str(raw).lower() if raw is not None else "active"
    if word in _STATUS:
        return _STATUS[word]
    notes.approximated(
        "status", "status", f"status {raw!r} has no accord equivalent; read as active"
    )
    return "active"


def _source_format(servers: Any) -> str | None:
    formats = set()
    for server in servers if isinstance(servers, list) else []:
        if not isinstance(server, dict) or not server.get("format"):
            return None
        fmt = str(server["format"]).lower()
        if fmt == "json" and server.get("delimiter") == "new_line":
            fmt = "jsonl"
        formats.add(fmt)
    if len(formats) == 1 and (only := formats.pop()) in ("csv", "parquet", "jsonl", "arrow"):
        return only
    return None


def _dataset(
    obj: dict[str, Any],
    where: str,
    members: list[tuple[int, Imported]],
    names: dict[str, str],
    ctx: Context,
) -> dict[str, Any]:
    dataset: dict[str, Any] = {}
    if members:
        positioned = sorted(
            (m for m in members if (m[1].position or -1) > 0), key=lambda m: m[1].position or 0
        )
        rest = [m for m in members if (m[1].position or -1) <= 0]
        dataset["primary_key"] = [m[1].key for m in [*positioned, *rest]]
    low: int | None = None
    high: int | None = None
    for index, rule in enumerate(obj.get("quality") or []):
        at = f"{where}.quality[{index}]"
        if not isinstance(rule, dict):
            continue
        if rule.get("type") == "custom" and str(rule.get("engine", "")).lower() == CARRIER:
            implementation = rule.get("implementation")
            if isinstance(implementation, dict) and "assert" in implementation:
                dataset.setdefault("rules", []).append(implementation)
                ctx.notes.mapped(at, "dataset.rules", "accord rule")
                continue
        name, found = q.metric(rule), q.operator(rule)
        if name == "rowCount" and found and q.severity(rule) == "error":
            bounds = q.row_count_bounds(*found)
            if bounds is not None:
                low = bounds[0] if low is None or (bounds[0] or 0) > low else low
                if bounds[1] is not None:
                    high = bounds[1] if high is None else min(high, bounds[1])
                ctx.notes.mapped(at, "dataset.row_count")
                continue
        arguments = mapping(rule.get("arguments"))
        columns = arguments.get("properties")
        if (
            name == "duplicateValues"
            and found == ("mustBe", 0)
            and isinstance(columns, list)
            and columns
            and all(str(c) in names for c in columns)
            and q.severity(rule) == "error"
        ):
            dataset.setdefault("unique", []).append([names[str(c)] for c in columns])
            ctx.notes.mapped(at, "dataset.unique")
            continue
        ctx.notes.kept(
            at, "", f"{rule.get('type', 'library')} rule not mapped: accord cannot run it"
        )
    if low is not None or high is not None:
        dataset["row_count"] = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    return dataset


def _freshness(
    doc: dict[str, Any], obj: dict[str, Any], names: dict[str, str], ctx: Context
) -> dict[str, Any] | None:
    for index, sla in enumerate(doc.get("slaProperties") or []):
        if not isinstance(sla, dict) or sla.get("property") != "freshness":
            continue
        at = f"slaProperties[{index}]"
        element = str(sla.get("element") or doc.get("slaDefaultElement") or "")
        target = element.split(".")
        age = _age(sla.get("value"), sla.get("unit"))
        if len(target) == 2 and target[0] == obj.get("name") and target[1] in names and age:
            ctx.notes.mapped(at, "dataset.freshness")
            return {"field": names[target[1]], "max_age": age}
        ctx.notes.kept(at, "", f"freshness of {element!r} is not a field of this object")
    return None


def _age(value: Any, unit: Any) -> str | None:
    if isinstance(value, str) and (iso := _ISO.match(value)) and any(iso.groups()):
        days, hours, minutes = (int(g or 0) for g in iso.groups())
        return f"{(days * 24 + hours) * 60 + minutes}m"
    word = _UNITS.get(str(unit).lower())
    if isinstance(value, int | float) and not isinstance(value, bool) and word and value >= 0:
        return f"{value}{word}"
    return None


def _carrier(mapping: dict[str, Any]) -> dict[str, Any]:
    for entry in mapping.get("customProperties") or []:
        if isinstance(entry, dict) and entry.get("property") == CARRIER:
            value = entry.get("value")
            return dict(value) if isinstance(value, dict) else {}
    return {}


def _merge(form: dict[str, Any], carrier: dict[str, Any]) -> None:
    for key, value in carrier.items():
        if key in ("dataset", "source") and isinstance(value, dict):
            form[key] = {**(form.get(key) or {}), **value}
        else:
            form[key] = value


def _kept(
    doc: dict[str, Any], obj: dict[str, Any], form: dict[str, Any], ctx: Context
) -> dict[str, Any]:
    exported = export_contract(form, ctx)
    kept = _differing(doc, exported, skip={"schema"})
    kept_object = _differing(obj, exported["schema"][0], skip={"properties"})
    if kept_object:
        kept[OBJECT_KEY] = kept_object
    for name in kept:
        if name != OBJECT_KEY:
            ctx.notes.kept(name, f"{ODCS_KEY}.{name}")
    for name in kept_object:
        ctx.notes.kept(f"schema[].{name}", f"{ODCS_KEY}.{OBJECT_KEY}.{name}")
    return kept


def _differing(
    original: dict[str, Any], exported: dict[str, Any], *, skip: set[str]
) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for name, value in original.items():
        if name in skip:
            continue
        if name == "customProperties" and isinstance(value, list):
            extra = [
                e
                for e in value
                if e not in (exported.get(name) or [])
                and not (isinstance(e, dict) and e.get("property") == CARRIER)
            ]
            if extra:
                kept[name] = extra
        elif exported.get(name, MISSING) != value:
            kept[name] = value
    return kept


# ----------------------------------------------------------------------------------- export


def export_contract(form: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """One accord contract form as an ODCS v3.1.0 document with one schema object."""
    kept = mapping(form.get(ODCS_KEY))
    if not ctx.dialect_set:
        ctx.dialect = dialect_of(kept.get("servers"))[0]
        ctx.dialect_set = True
    doc = _native_doc(form, ctx)
    carrier = _contract_carrier(doc, form, ctx)
    if carrier:
        doc.setdefault("customProperties", []).append({"property": CARRIER, "value": carrier})
    return _overlay(doc, kept, form, ctx)


def _native_doc(form: dict[str, Any], ctx: Context) -> dict[str, Any]:
    name = form["name"]
    doc: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": "DataContract",
        "id": name,
        "version": form["version"],
        "status": form.get("status", "active"),
    }
    if form.get("title") is not None:
        doc["name"] = form["title"]
    if form.get("owner") is not None:
        doc["team"] = {"members": [{"username": form["owner"], "role": "owner"}]}
    obj: dict[str, Any] = {"name": name, "logicalType": "object"}
    if form.get("description") is not None:
        obj["description"] = form["description"]
    if form.get("tags"):
        obj["tags"] = list(form["tags"])
    dataset = form.get("dataset") or {}
    key = list(dataset.get("primary_key") or [])
    obj["properties"] = [
        export_property(
            field_name, spec, key.index(field_name) + 1 if field_name in key else None, ctx
        )
        for field_name, spec in (form.get("fields") or {}).items()
    ]
    rules = _object_rules(dataset)
    if rules:
        obj["quality"] = rules
    doc["schema"] = [obj]
    freshness = dataset.get("freshness")
    if isinstance(freshness, dict) and (written := _write_age(str(freshness.get("max_age")))):
        value, unit = written
        doc["slaProperties"] = [
            {
                "property": "freshness",
                "element": f"{name}.{freshness.get('field')}",
                "value": value,
                "unit": unit,
            }
        ]
    return doc


def _object_rules(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for columns in dataset.get("unique") or []:
        rules.append(
            {"metric": "duplicateValues", "arguments": {"properties": list(columns)}, "mustBe": 0}
        )
    count = dataset.get("row_count") or {}
    if count.get("min") is not None:
        rules.append({"metric": "rowCount", "mustBeGreaterOrEqualTo": count["min"]})
    if count.get("max") is not None:
        rules.append({"metric": "rowCount", "mustBeLessOrEqualTo": count["max"]})
    for rule in dataset.get("rules") or []:
        rules.append({"type": "custom", "engine": CARRIER, "implementation": rule})
    return rules


def _write_age(age: str) -> tuple[int | float, str] | None:
    match = _AGE.match(age)
    if not match:
        return None
    number = float(match.group(1))
    value: int | float = int(number) if number.is_integer() else number
    unit = match.group(2)
    if unit == "w":
        return value * 7, "d"
    if unit == "s":
        return None
    return value, {"m": "min"}.get(unit, unit)


def _contract_carrier(doc: dict[str, Any], form: dict[str, Any], ctx: Context) -> dict[str, Any]:
    mirror = ctx.mirror()
    back = import_object(copy.deepcopy(doc), 0, form["name"], mirror)
    got = canonical_contract(back.form) if back is not None and not mirror.notes.errors else None
    want = canonical_contract(_without(form))
    carrier = {k: v for k, v in form.items() if k.startswith(EXTENSION_PREFIX) and k != ODCS_KEY}
    if want is None:
        return carrier
    for name, value in want.items():
        if name == "fields" or (got is not None and got.get(name) == value):
            continue
        if name in ("dataset", "source") and isinstance(value, dict):
            old = (got or {}).get(name) or {}
            carrier[name] = {
                k: v for k, v in (form.get(name) or {}).items() if old.get(k) != value.get(k)
            }
            for sub, sub_value in value.items():
                if old.get(sub) != sub_value and sub not in carrier[name]:
                    carrier[name][sub] = sub_value
        else:
            carrier[name] = form.get(name, value)
    return carrier


def _without(form: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if k != ODCS_KEY}


def _overlay(
    doc: dict[str, Any], kept: dict[str, Any], form: dict[str, Any], ctx: Context
) -> dict[str, Any]:
    if not kept:
        return doc
    want = canonical_contract(_without(form))
    mirror_ctx = ctx.mirror()
    items: list[tuple[str | None, str, Any]] = [
        (OBJECT_KEY, k, v) for k, v in mapping(kept.get(OBJECT_KEY)).items()
    ]
    items += [(None, k, v) for k, v in kept.items() if k != OBJECT_KEY]
    # All at once first: kept values may only mean the contract together (an object name and
    # the SLA element naming it). Then one by one, twice: a value may need another one back.
    for batch in [items, *([item] for item in [*items, *items])]:
        trial = copy.deepcopy(doc)
        for level, name, value in batch:
            target = trial["schema"][0] if level == OBJECT_KEY else trial
            if name == "customProperties" and isinstance(value, list):
                present = target.get(name) or []
                target[name] = [*present, *(e for e in value if e not in present)]
            else:
                target[name] = value
        mirror_ctx.notes = Notes()
        mirror_ctx.references = {}
        back = import_object(copy.deepcopy(trial), 0, form["name"], mirror_ctx)
        if back is not None and canonical_contract(back.form) == want:
            doc = trial
            if batch is items:
                return doc
    return doc
