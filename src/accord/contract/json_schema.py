"""The JSON Schema of the contract file as users write it (``accord schema``).

pydantic generates the schema of the models; two things differ from the file's surface and are
rewritten here: a check is written as a one-key mapping (``{between: {...}}``), not with a
``kind`` tag, and ``x-`` keys are free extension metadata rather than an ``extensions`` field.
"""

from __future__ import annotations

from typing import Any

from accord.contract import checks as c
from accord.contract.base import StrictModel
from accord.contract.model import ContractModel
from accord.docstrings import attribute_docstrings, describe_properties, models_by_name

_OPTION_KEYS = ("severity", "name", "description", "mostly")
_EXTENSIONS = {"^x-": {"description": "extension metadata, carried through and ignored"}}


def contract_json_schema() -> dict[str, Any]:
    schema = ContractModel.model_json_schema(by_alias=True, mode="validation")
    describe_properties(schema, models_by_name(StrictModel))
    definitions: dict[str, Any] = schema.setdefault("$defs", {})
    for model in c.CHECK_MODELS.values():
        definitions.pop(model.__name__, None)
    definitions["Check"] = _check_schema()
    _rewrite(schema)
    for definition in [schema, *definitions.values()]:
        properties = definition.get("properties", {})
        if "extensions" in properties:
            del properties["extensions"]
            definition["patternProperties"] = _EXTENSIONS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://accord.dev/schema/contract-1.json",
        "title": "accord contract, format 1",
        **schema,
    }


def _rewrite(node: Any) -> None:
    """Replace every check union with a reference to the one-key ``Check`` schema."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if (
                isinstance(value, dict)
                and value.get("discriminator", {}).get("propertyName") == "kind"
            ):
                node[key] = {"$ref": "#/$defs/Check"}
            else:
                _rewrite(value)
    elif isinstance(node, list):
        for item in node:
            _rewrite(item)


def _check_schema() -> dict[str, Any]:
    docs = attribute_docstrings(c.BaseCheck)
    said = {k: v.description or docs.get(k) for k, v in c.BaseCheck.model_fields.items()}
    options = {
        "severity": {
            "enum": ["error", "warning"],
            "default": "error",
            "description": said["severity"],
        },
        "name": {"type": "string", "description": said["name"]},
        "description": {"type": "string", "description": said["description"]},
        "mostly": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1,
            "description": said["mostly"],
        },
    }
    variants = []
    spellings = {kind: [kind] for kind in c.CHECK_KINDS}
    for alias, kind in c.CHECK_ALIASES.items():
        spellings[kind].append(alias)
    for kind, model in c.CHECK_MODELS.items():
        for written in spellings[kind]:
            variants.append(
                {
                    "type": "object",
                    "properties": {written: _params_schema(kind, model), **options},
                    "required": [written],
                    "additionalProperties": False,
                    "patternProperties": _EXTENSIONS,
                }
            )
    return {
        "description": "one check: a one-key mapping such as {between: {min: 0, max: 1}}",
        "oneOf": variants,
    }


def _params_schema(kind: str, model: type[c.BaseCheck]) -> dict[str, Any]:
    schema = model.model_json_schema()
    describe_properties(schema, {str(schema.get("title")): model})
    properties = {
        k: v
        for k, v in schema.get("properties", {}).items()
        if k not in ("kind", "extensions", *_OPTION_KEYS)
    }
    if kind == "custom":
        return {
            "type": "object",
            "description": "The registered check's name, and its parameters beside it.",
            "properties": {"check": properties["check"]},
            "required": ["check"],
            "additionalProperties": True,
        }
    if c.SCALAR_PARAM_KEY in properties and len(properties) == 1:
        return dict(properties[c.SCALAR_PARAM_KEY])
    required = [k for k in schema.get("required", []) if k in properties]
    return {
        "description": f"The parameters of {kind}: {', '.join(properties)}.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
