"""Contracts as the plain mappings a person writes, and comparison by meaning.

The exporter works on these "YAML forms" (what ``accord import`` also writes). Two forms are
equal when the contract models they load to are equal, extension keys aside.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from accord.contract.base import EXTENSION_PREFIX
from accord.contract.checks import CHECK_MODELS, SCALAR_PARAM_KEY
from accord.contract.model import ContractModel, Field_

MISSING = object()


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one: ODCS files are read defensively."""
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_CHECK_DEFAULTS = {"severity": "error", "inclusive": "both", "name": None, "description": None}


def check_form(dumped: dict[str, Any]) -> dict[str, Any]:
    """A dumped check (``{"kind": "between", "min": 0, ...}``) as written in YAML."""
    data = dict(dumped)
    kind = data.pop("kind")
    extensions = data.pop("extensions", {}) or {}
    options = {k: data.pop(k) for k in ("severity", "name", "description") if k in data}
    if kind == "custom":
        params: Any = {"check": data["check"], **(data.get("params") or {})}
    elif SCALAR_PARAM_KEY in CHECK_MODELS[kind].model_fields:
        params = data[SCALAR_PARAM_KEY]
    else:
        params = {k: v for k, v in data.items() if v is not None and _CHECK_DEFAULTS.get(k) != v}
    out: dict[str, Any] = {kind: params}
    out.update({k: v for k, v in options.items() if v is not None and _CHECK_DEFAULTS[k] != v})
    out.update(extensions)
    return out


_FIELD_DEFAULTS: dict[str, Any] = {
    "required": True,
    "nullable": False,
    "unique": False,
    "checks": [],
    "role": "feature",
    "pii": False,
    "tags": [],
    "deprecated": False,
    "previous_names": [],
}


def field_form(dumped: dict[str, Any]) -> dict[str, Any]:
    """A dumped field as written in YAML: defaults left out, extensions as ``x-`` keys."""
    out: dict[str, Any] = {}
    for key, value in dumped.items():
        if key == "extensions":
            out.update(value or {})
        elif value is None or _FIELD_DEFAULTS.get(key, MISSING) == value:
            continue
        elif key == "checks":
            out[key] = [check_form(c) for c in value]
        elif key == "items":
            out[key] = field_form(value)
        elif key == "fields":
            out[key] = {name: field_form(spec) for name, spec in value.items()}
        else:
            out[key] = value
    return out


def contract_form(model: ContractModel) -> dict[str, Any]:
    """A loaded contract as the YAML mapping that loads back to it."""
    dumped = model.model_dump(by_alias=True, mode="json")
    defaults = ContractModel.model_validate(
        {"accord": 1, "name": "x", "version": "1.0.0", "fields": {"x": {"type": "bool"}}}
    ).model_dump(by_alias=True, mode="json")
    out: dict[str, Any] = {}
    for key, value in dumped.items():
        if key == "extensions":
            out.update(value or {})
        elif key == "fields":
            out[key] = {name: field_form(spec) for name, spec in value.items()}
        elif key in ("accord", "name", "version") or value != defaults.get(key):
            out[key] = _prune(value, defaults.get(key))
    return out


def _prune(value: Any, default: Any) -> Any:
    """Nested contract sections without their default entries, checks in YAML form."""
    if isinstance(value, dict) and isinstance(default, dict):
        return {k: _prune(v, default.get(k)) for k, v in value.items() if v != default.get(k)}
    if isinstance(value, dict):
        return {k: _prune(v, None) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prune_item(v) for v in value]
    return value


def _prune_item(value: Any) -> Any:
    if isinstance(value, dict) and "kind" in value:
        return check_form(value)
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None}
    return value


def strip_extensions(value: Any) -> Any:
    """A dump without any ``extensions`` (``x-`` content), at every depth."""
    if isinstance(value, dict):
        return {
            k: strip_extensions(v)
            for k, v in value.items()
            if k != "extensions" and not str(k).startswith(EXTENSION_PREFIX)
        }
    if isinstance(value, list):
        return [strip_extensions(v) for v in value]
    return value


def canonical_field(form: dict[str, Any]) -> Any:
    """What a field form means, or None when it is not a valid field."""
    try:
        model = Field_.model_validate(form)
    except (ValidationError, TypeError, ValueError):
        return None
    return strip_extensions(model.model_dump(by_alias=True, mode="json"))


def canonical_contract(form: dict[str, Any]) -> Any:
    try:
        model = ContractModel.model_validate(form)
    except (ValidationError, TypeError, ValueError):
        return None
    return strip_extensions(model.model_dump(by_alias=True, mode="json"))
