"""One ODCS property to one accord field (INTEROP A.3); the way back is ``property_export``.

Both directions share one rule, which is what makes round trips hold: after importing a property,
every original ODCS key that the exporter would not write back identically is kept verbatim under
the field's ``x-odcs``; after exporting a field, every accord key that the importer would not read
back identically goes into the property's ``accord`` carrier. The exporter restores ``x-odcs``
values only while they still import to the field as it is now, so an edited contract wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from accord.contract.types import INTEGER_TYPES
from accord.interop.odcs import property_export
from accord.interop.odcs import quality as q
from accord.interop.odcs.formats import strftime
from accord.interop.odcs.forms import MISSING, mapping, sequence
from accord.interop.odcs.notes import CARRIER, ODCS_KEY, Notes
from accord.interop.odcs.types import read_type

DEFAULT_PII = frozenset({"confidential", "restricted", "sensitive", "pii", "personal", "secret"})
_TRUE_WORDS = frozenset({"true", "yes", "1"})
# The key an array element is read and written under: never a name in a file (it has no column).
ELEMENT = "<element>"
# customProperty names real files use for allowed values (datacontract-cli, its protobuf import)
ENUM_PROPERTIES = frozenset({"enum", "enumValues"})
ENUM_ENTRY = "customProperty"
"""The check-level ``x-odcs`` key holding the customProperty an ``in`` check came from."""


@dataclass
class Context:
    notes: Notes = field(default_factory=Notes)
    pii_classes: frozenset[str] = DEFAULT_PII
    keep: bool = True
    """Work out ``x-odcs`` (off while the exporter re-reads its own output)."""
    references: dict[str, str] = field(default_factory=dict)
    """Datasets named by relationships, to their accord contract names."""
    slug: Any = None
    dialect: str | None = None
    """The SQL dialect physical types are read in (``dialects``); None: the generic table."""
    dialect_set: bool = False
    """The dialect is decided (by the servers of the document, or of the contract's x-odcs)."""

    def mirror(self) -> Context:
        """A context for re-reading an export: same PII set and dialect, no x-odcs, no notes."""
        return Context(
            pii_classes=self.pii_classes,
            keep=False,
            slug=self.slug,
            dialect=self.dialect,
            dialect_set=self.dialect_set,
        )


@dataclass
class Imported:
    key: str
    form: dict[str, Any]
    position: int | None = None
    """``primaryKeyPosition`` (-1 when unpositioned) for a primary-key member, else None."""


def import_property(prop: Any, where: str, here: str, ctx: Context) -> Imported | None:
    if not isinstance(prop, dict):
        ctx.notes.error(where, "a property must be a mapping")
        return None
    key = prop.get("physicalName") or prop.get("name")
    if not isinstance(key, str) or not key:
        ctx.notes.error(where, "a property needs a name")
        return None
    here = here if key == ELEMENT else f"{here}.{key}" if here else key
    typed = read_type(prop, ctx.dialect)
    if typed.error:
        ctx.notes.error(where, typed.error)
        return None
    form: dict[str, Any] = dict(typed.keys)
    for text in typed.approximations:
        ctx.notes.approximated(where, here, text)
    form["nullable"] = prop.get("required") is not True
    if prop.get("unique") is True:
        form["unique"] = True
    if isinstance(prop.get("description"), str):
        form["description"] = prop["description"]
    tags = prop.get("tags")
    if isinstance(tags, list) and tags:
        form["tags"] = [str(t) for t in tags]
    checks: list[dict[str, Any]] = []
    _options(prop, form, checks, where, here, ctx)
    _quality(prop.get("quality"), form, checks, where, here, ctx)
    _enums(prop.get("customProperties"), checks, where, here, ctx)
    _relationships(prop.get("relationships"), checks, ctx)
    _nested(prop, form, where, here, ctx)
    if _is_pii(prop, ctx):
        form["pii"] = True
    position = None
    if prop.get("primaryKey") is True:
        raw = prop.get("primaryKeyPosition")
        position = raw if isinstance(raw, int) and not isinstance(raw, bool) else -1
        if form["nullable"]:
            form["nullable"] = False
            ctx.notes.approximated(where, here, "primary key member read as not nullable")
    if checks:
        form["checks"] = checks
    carrier = _carrier(prop)
    form.update(carrier)
    if form.get("nullable") is True and "checks" in form and not form["checks"]:
        del form["checks"]
    ctx.notes.mapped(where, here, f"{form.get('type')}, nullable {str(form['nullable']).lower()}")
    if ctx.keep:
        kept = _kept(prop, key, form, position, ctx)
        if kept:
            form[ODCS_KEY] = kept
            for name in kept:
                ctx.notes.kept(f"{where}.{name}", f"{here}.{ODCS_KEY}.{name}")
    return Imported(key, form, position)


def _options(
    prop: dict[str, Any],
    form: dict[str, Any],
    checks: list[dict[str, Any]],
    where: str,
    here: str,
    ctx: Context,
) -> None:
    options = prop.get("logicalTypeOptions")
    if not isinstance(options, dict):
        return
    integral = form["type"] in INTEGER_TYPES
    ranged = q.range_check(options, integral) if form["type"] != "string" else None
    if ranged is not None:
        checks.append(ranged)
    low, high = options.get("minLength"), options.get("maxLength")
    if form["type"] == "string" and (low is not None or high is not None):
        checks.append({"length": {k: v for k, v in (("min", low), ("max", high)) if v is not None}})
    pattern = options.get("pattern")
    if isinstance(pattern, str) and form["type"] == "string":
        full, approximated = q.anchored_pattern(pattern)
        checks.append({"pattern": full})
        if approximated:
            ctx.notes.approximated(
                f"{where}.logicalTypeOptions.pattern",
                here,
                "ODCS patterns search; accord matches whole values, so it became "
                "(?s:.*)(?:p)(?s:.*)",
            )
    fmt = options.get("format")
    if form["type"] in ("date", "timestamp", "time") and isinstance(fmt, str):
        at = f"{where}.logicalTypeOptions.format"
        converted, note = strftime(fmt)
        if converted is not None:
            form["format"] = converted
            if note:
                ctx.notes.approximated(at, f"{here}.format", note)
        elif note:
            ctx.notes.kept(at, "", note)


def _quality(
    rules: Any,
    form: dict[str, Any],
    checks: list[dict[str, Any]],
    where: str,
    here: str,
    ctx: Context,
) -> None:
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        at = f"{where}.quality[{index}]"
        mapped = _rule(rule, form, checks) if isinstance(rule, dict) else None
        if mapped is None:
            what = rule.get("type", "library") if isinstance(rule, dict) else "rule"
            ctx.notes.kept(at, "", f"{what} rule not mapped: accord cannot run it")
        else:
            ctx.notes.mapped(at, here, mapped)


def _rule(rule: dict[str, Any], form: dict[str, Any], checks: list[dict[str, Any]]) -> str | None:
    if rule.get("type") == "custom" and str(rule.get("engine", "")).lower() == "accord":
        options = q.check_options(rule, "custom")
        implementation = rule.get("implementation")
        if isinstance(implementation, dict) and options is not None:
            checks.append(implementation)
            return "accord check"
        return None
    name, found = q.metric(rule), q.operator(rule)
    options = q.check_options(rule, "library")
    if name is None or found is None or options is None:
        return None
    op, value = found
    arguments = mapping(rule.get("arguments"))
    if name == "missingValues" and arguments.get("missingValues", [None]) != [None]:
        return None
    if name in ("nullValues", "missingValues"):
        read = q.null_rule(op, value, str(rule.get("unit", "rows")))
        if read is None:
            return None
        kind, fraction = read
        # The rule's name and descriptive keys come back from x-odcs (the whole quality list is
        # kept when export would write it differently); only a warning stays a check (A.9.5).
        if kind == "not_null" and options.get("severity") != "warning":
            form["nullable"] = False
            return "nullable: false"
        checks.append({"max_null_fraction": fraction or 0, **options})
        return "max_null_fraction"
    if (
        name == "duplicateValues"
        and op == "mustBe"
        and value == 0
        and options.get("severity") != "warning"
    ):
        form["unique"] = True
        return "unique: true"
    if name == "invalidValues" and op == "mustBe" and value == 0:
        valid = arguments.get("validValues", rule.get("validValues"))
        if isinstance(valid, list) and valid and None not in valid and "" not in valid:
            checks.append({"in": valid, **options})
            return "in"
        pattern = arguments.get("pattern")
        if isinstance(pattern, str):
            checks.append({"pattern": q.anchored_pattern(pattern)[0], **options})
            return "pattern"
    return None


def _enums(entries: Any, checks: list[dict[str, Any]], where: str, here: str, ctx: Context) -> None:
    """Allowed values given as a customProperty, datacontract-cli's convention (A.9.7)."""
    for index, entry in enumerate(sequence(entries)):
        if not isinstance(entry, dict) or entry.get("property") not in ENUM_PROPERTIES:
            continue
        at = f"{where}.customProperties[{index}]"
        values, approximation = enum_values(entry.get("value"))
        if values is None:
            ctx.notes.kept(at, "", approximation or "")
            continue
        # the entry rides on the check, so the export writes it back as a customProperty
        checks.append({"in": values, ODCS_KEY: {ENUM_ENTRY: entry}})
        if approximation:
            ctx.notes.approximated(at, here, approximation)
        else:
            ctx.notes.mapped(at, here, "in")


def enum_values(value: Any) -> tuple[list[Any] | None, str | None]:
    """The allowed values of an enum customProperty, and a note; None when it holds none.

    Real files give a list, a JSON list inside a string, or (protobuf imports) a mapping of
    names to numbers, whose names are what a string column holds.
    """
    note = None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None, "enum value is neither a list nor a JSON list: not mapped"
    if isinstance(value, dict):
        value, note = list(value), "enum names read as the allowed values (not their numbers)"
    if not isinstance(value, list) or not value:
        return None, "enum value is not a non-empty list: not mapped"
    if any(v is None for v in value):
        return None, "enum lists null as a value; accord says that with nullable: not mapped"
    if not all(isinstance(v, str | int | float) for v in value):
        return None, "enum values must be scalars: not mapped"
    return list(value), note


def _relationships(relations: Any, checks: list[dict[str, Any]], ctx: Context) -> None:
    for relation in relations if isinstance(relations, list) else []:
        target = relation.get("to") if isinstance(relation, dict) else None
        if (
            not isinstance(target, str)
            or target.count(".") != 1
            or set(relation) - {"to", "type"}
            or relation.get("type", "foreignKey") != "foreignKey"
        ):
            continue
        dataset, column = target.split(".")
        ctx.references[dataset] = ctx.slug(dataset) if ctx.slug else dataset
        checks.append({"in_reference": {"dataset": dataset, "field": column}})


def _nested(
    prop: dict[str, Any], form: dict[str, Any], where: str, here: str, ctx: Context
) -> None:
    if form["type"] == "list" and "items" not in form:  # else read from the physical type
        items = prop.get("items")
        element = (
            import_property({"name": ELEMENT, **items}, f"{where}.items", f"{here}.items", ctx)
            if isinstance(items, dict)
            else None
        )
        if element is None:
            form["items"] = {"type": "string", "nullable": True}
            ctx.notes.approximated(where, here, "array without items read as a list of strings")
        else:
            if ctx.keep and isinstance(items, dict) and "name" in items:
                # an element's name is not a column name, so only x-odcs can bring it back
                element.form.setdefault(ODCS_KEY, {})["name"] = items["name"]
            form["items"] = element.form
    if form["type"] == "struct" and "fields" not in form:
        members: dict[str, Any] = {}
        for index, sub in enumerate(prop.get("properties") or []):
            done = import_property(sub, f"{where}.properties[{index}]", f"{here}.fields", ctx)
            if done is not None:
                members[done.key] = done.form
        form["fields"] = members


def _is_pii(prop: dict[str, Any], ctx: Context) -> bool:
    for entry in prop.get("customProperties") or []:
        if isinstance(entry, dict) and entry.get("property") == "pii":
            return str(entry.get("value")).lower() in _TRUE_WORDS
    classification = prop.get("classification")
    if isinstance(classification, str) and classification.lower() in ctx.pii_classes:
        return True
    tags = sequence(prop.get("tags"))
    return any(
        str(t).lower() == "pii" or str(t).lower().startswith("pii:") for t in tags
    ) and not any(str(t).lower() == "pii:false" for t in tags)


def _pii_false_written(
    prop: dict[str, Any], form: dict[str, Any], ctx: Context
) -> list[dict[str, Any]]:
    """The ``pii: false`` entry the exporter writes for this field, if it writes one: for a
    field not pii whose classification looks personal (``property_export._looks_pii``)."""
    classification = prop.get("classification")
    looks = isinstance(classification, str) and classification.lower() in ctx.pii_classes
    return [{"property": "pii", "value": False}] if looks and not form.get("pii") else []


def _carrier(prop: dict[str, Any]) -> dict[str, Any]:
    for entry in prop.get("customProperties") or []:
        if isinstance(entry, dict) and entry.get("property") == CARRIER:
            value = entry.get("value")
            return dict(value) if isinstance(value, dict) else {}
    return {}


def _kept(
    prop: dict[str, Any], key: str, form: dict[str, Any], position: int | None, ctx: Context
) -> dict[str, Any]:
    """Original keys the exporter would not write back as they were."""
    exported = property_export.export_property(key, form, position, ctx)
    kept: dict[str, Any] = {}
    for name, value in prop.items():
        if name in ("properties", "items"):
            continue  # members keep their own x-odcs
        if name == "customProperties" and isinstance(value, list):
            # The export below sees no x-odcs, so it lacks the `pii: false` the exporter writes
            # where the classification looks personal: kept too, that entry would pile up
            # beside the written one on every round trip.
            will_write = [*(exported.get(name) or []), *_pii_false_written(prop, form, ctx)]
            extra = [e for e in value if e not in will_write]
            extra = [e for e in extra if not (isinstance(e, dict) and e.get("property") == CARRIER)]
            if extra:
                kept[name] = extra
        elif name == "logicalTypeOptions" and isinstance(value, dict):
            native = exported.get(name) or {}
            extra_options = {k: v for k, v in value.items() if native.get(k, MISSING) != v}
            if extra_options:
                kept[name] = extra_options
        elif exported.get(name, MISSING) != value:
            kept[name] = value
    return kept
