"""``accord export --to jsonschema``: a JSON Schema (2020-12) of one record of the dataset.

Values a JSON Schema can state (types, nullability, ranges, allowed values, patterns, lengths)
are written; dataset-wide and aggregate rules cannot be said about one record and are listed as
warnings, never dropped silently.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from accord.contract.types import INTEGER_RANGES

if TYPE_CHECKING:
    from accord.contract.checks import BaseCheck
    from accord.contract.model import ContractModel, Field_

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_FORMATS = {"date": "date", "timestamp": "date-time", "time": "time", "duration": "duration"}


def record_schema(model: ContractModel) -> tuple[dict[str, Any], list[str]]:
    lost: list[str] = []
    properties = {name: _field(spec, f"fields.{name}", lost) for name, spec in model.fields.items()}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:accord:{model.name}:{model.version}",
        "title": model.title or model.name,
        "type": "object",
        "properties": properties,
        "required": [name for name, spec in model.fields.items() if spec.required],
        "additionalProperties": model.dataset.columns != "closed",
    }
    if model.description:
        schema["description"] = model.description
    dataset = model.dataset
    for name, value in (
        ("primary_key", dataset.primary_key),
        ("unique", dataset.unique),
        ("row_count", dataset.row_count),
        ("freshness", dataset.freshness),
        ("rules", dataset.rules),
    ):
        if value:
            lost.append(f"dataset.{name}: a rule over many records, not one")
    if model.dataset.primary_key:
        # the key members are still not null in every record
        for member in model.dataset.primary_key:
            _not_null(properties[member])
    return schema, lost


def record_schema_text(model: ContractModel) -> tuple[str, list[str]]:
    schema, lost = record_schema(model)
    return json.dumps(schema, indent=2, ensure_ascii=False), lost


def _field(spec: Field_, path: str, lost: list[str]) -> dict[str, Any]:
    out = _type(spec, path, lost)
    if spec.description:
        out["description"] = spec.description
    if spec.categories is not None:
        out["enum"] = list(spec.categories)
    if spec.unique:
        lost.append(f"{path}.unique: a rule across records, not one")
    for index, check in enumerate(spec.checks):
        if not _check(check, out, spec):
            lost.append(f"{path}.checks[{index}] ({check.label}): not expressible for one value")
    if spec.nullable:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _not_null(schema: dict[str, Any]) -> None:
    if isinstance(schema.get("type"), list):
        schema["type"] = [t for t in schema["type"] if t != "null"]
        schema["type"] = schema["type"][0] if len(schema["type"]) == 1 else schema["type"]
    if "enum" in schema:
        schema["enum"] = [v for v in schema["enum"] if v is not None]


def _type(spec: Field_, path: str, lost: list[str]) -> dict[str, Any]:
    kind = spec.type
    if kind in INTEGER_RANGES:
        low, high = INTEGER_RANGES[kind]
        return {"type": "integer", "minimum": low, "maximum": high}
    if kind in ("float32", "float64", "number"):
        return {"type": "number"}
    if kind == "decimal":
        return {"type": "number"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind in _FORMATS:
        return {"type": "string", "format": _FORMATS[kind]}
    if kind == "binary":
        return {"type": "string", "contentEncoding": "base64"}
    if kind == "list" and spec.items is not None:
        return {"type": "array", "items": _field(spec.items, f"{path}.items", lost)}
    if kind == "struct" and spec.fields is not None:
        return {
            "type": "object",
            "properties": {
                n: _field(s, f"{path}.fields.{n}", lost) for n, s in spec.fields.items()
            },
            "required": [n for n, s in spec.fields.items() if s.required],
        }
    return {"type": "string"}


def _check(check: BaseCheck, out: dict[str, Any], spec: Field_) -> bool:
    """Add one check to a value schema; False when JSON Schema cannot say it."""
    kind = getattr(check, "kind", "")
    value = getattr(check, "value", None)
    numeric = out.get("type") in ("integer", "number")
    if kind == "between" and numeric:
        inclusive = getattr(check, "inclusive", "both")
        low, high = getattr(check, "min", None), getattr(check, "max", None)
        if low is not None:
            out["exclusiveMinimum" if inclusive in ("neither", "right") else "minimum"] = low
        if high is not None:
            out["exclusiveMaximum" if inclusive in ("neither", "left") else "maximum"] = high
        return True
    keys = {
        "greater_than": "exclusiveMinimum",
        "greater_than_or_equal_to": "minimum",
        "less_than": "exclusiveMaximum",
        "less_than_or_equal_to": "maximum",
    }
    if kind in keys and numeric and isinstance(value, int | float):
        out[keys[kind]] = value
        return True
    if kind == "in" and isinstance(value, list):
        out["enum"] = list(value)
        return True
    if kind == "equal_to":
        out["const"] = value
        return True
    if kind == "not_in" and isinstance(value, list):
        out["not"] = {"enum": list(value)}
        return True
    if kind == "pattern" and isinstance(value, str):
        return _add_pattern(out, f"^(?:{value})$")
    if kind in ("starts_with", "ends_with", "contains") and isinstance(value, str):
        text = re.escape(value)
        return _add_pattern(
            out, {"starts_with": f"^{text}", "ends_with": f"{text}$", "contains": text}[kind]
        )
    if kind == "length":
        if getattr(check, "min", None) is not None:
            out["minLength"] = check.min  # type: ignore[attr-defined]
        if getattr(check, "max", None) is not None:
            out["maxLength"] = check.max  # type: ignore[attr-defined]
        return True
    del spec
    return False


def _add_pattern(out: dict[str, Any], pattern: str) -> bool:
    if "pattern" in out:
        out.setdefault("allOf", []).append({"pattern": pattern})
    else:
        out["pattern"] = pattern
    return True
