"""ODCS logical and physical types to accord types, and back (INTEROP A.5, A.9.9-13).

The logical type picks the family; a physical type may only narrow it within that family.
Physical types are read in the dialect of the document's servers (``dialects``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from accord.interop.odcs.dialects import NAIVE, TZ, scalar
from accord.interop.odcs.nested_types import NestedTypeError, is_nested, parse

DECIMAL = re.compile(r"^(?:decimal|numeric|number|bignumeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$")
FORMATS = {f"i{n}": f"int{n}" for n in (8, 16, 32, 64)} | {
    f"u{n}": f"uint{n}" for n in (8, 16, 32, 64)
}
FLOAT_FORMATS = {"f32": "float32", "f64": "float64"}
INTEGERS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})
LOGICAL_FAMILY = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
    "time": "time",
    "object": "struct",
    "array": "list",
}


@dataclass
class TypeResult:
    """The accord type keys of one property, plus what the reading had to say about it."""

    keys: dict[str, Any] = field(default_factory=dict)
    approximations: list[str] = field(default_factory=list)
    error: str | None = None


def token(physical: Any) -> str:
    """``VARCHAR(255)`` to ``varchar``, ``TIMESTAMP(6) WITH TIME ZONE`` to ``timestamp with time
    zone``: lower case, arguments dropped (but a decimal's), spaces collapsed."""
    text = " ".join(str(physical).strip().lower().split())
    if DECIMAL.match(text):
        return text
    return " ".join(re.sub(r"\([^()]*\)", " ", text).split())


def _nested(physical_raw: str, logical: Any, dialect: str | None, out: TypeResult) -> bool:
    """A struct or list read from the physical type (A.9.9); False when it says nothing usable."""
    try:
        parsed = parse(physical_raw, lambda text: _scalar_keys(text, dialect))
    except NestedTypeError as error:
        out.approximations.append(f"physical type {physical_raw!r} not parsed: {error}")
        return False
    wanted = {"object": "struct", "array": "list"}.get(str(logical), parsed.form["type"])
    if parsed.form["type"] != wanted:
        return False  # the logical type wins (A.5)
    out.keys.update({k: v for k, v in parsed.form.items() if k != "nullable"})
    out.approximations += [f"in physical type {physical_raw!r}, {note}" for note in parsed.notes]
    return True


def _scalar_keys(text: str, dialect: str | None) -> dict[str, Any] | None:
    """One scalar inside a structured physical type, as accord type keys."""
    physical = token(text)
    out = TypeResult()
    if not _scalar_type(physical, scalar(physical, dialect) or "", {}, out):
        return None
    return out.keys


def _is_text(physical: str, dialect: str | None) -> bool:
    return scalar(physical, dialect) == "string" or physical.startswith(("varchar", "char"))


def read_type(prop: dict[str, Any], dialect: str | None = None) -> TypeResult:
    logical = prop.get("logicalType")
    physical_raw = prop.get("physicalType")
    physical = token(physical_raw) if physical_raw is not None else ""
    reading = scalar(physical, dialect) or ""
    options = prop.get("logicalTypeOptions") or {}
    out = TypeResult()
    structured = (
        (logical is None and not prop.get("properties") and not prop.get("items"))
        or (logical == "object" and not prop.get("properties"))
        or (logical == "array" and not prop.get("items"))
    )
    if structured and is_nested(physical_raw) and _nested(str(physical_raw), logical, dialect, out):
        return out
    if logical is None:
        return _physical_only(physical, reading, prop, out)
    if logical in ("date", "timestamp", "object", "array") and _is_text(physical, dialect):
        out.keys["type"] = "string"
        out.approximations.append(
            f"logical type {logical} stored as {physical_raw}: accord checks the stored text"
        )
        return out
    if logical == "string":
        out.keys["type"] = "string"
    elif logical == "integer":
        out.keys["type"] = _integer(physical, reading, options, out)
    elif logical == "number":
        _number(physical, reading, physical_raw, options, out)
    elif logical == "boolean":
        out.keys["type"] = "bool"
    elif logical == "date":
        if reading.startswith("timestamp") or physical.startswith("timestamp"):
            _timestamp(reading, prop, out)
        else:
            out.keys["type"] = "date"
    elif logical == "timestamp":
        _timestamp(reading, prop, out)
    elif logical == "time":
        out.keys["type"] = "time"
    elif logical == "object":
        if not prop.get("properties"):
            plain = reading if reading and not reading.startswith("timestamp") else "string"
            out.keys["type"] = plain
            out.approximations.append(
                f"object without properties (physical type {physical_raw!r}) read as {plain}"
            )
        else:
            out.keys["type"] = "struct"
    elif logical == "array":
        out.keys["type"] = "list"
    else:
        out.error = f"unknown logicalType {logical!r}"
    return out


def _scalar_type(physical: str, reading: str, prop: dict[str, Any], out: TypeResult) -> bool:
    """The accord type of a scalar physical type (``reading``: the dialect's reading of it)
    into ``out``; False when accord reads none from it."""
    if reading.startswith("timestamp"):
        _timestamp(reading, prop, out)
    elif reading:
        out.keys["type"] = reading
    elif physical.startswith(("varchar", "char")):
        out.keys["type"] = "string"
    elif match := DECIMAL.match(physical):
        _decimal(match, out)
    else:
        return False
    return True


def _physical_only(
    physical: str, reading: str, prop: dict[str, Any], out: TypeResult
) -> TypeResult:
    if prop.get("properties"):
        out.keys["type"] = "struct"
    elif prop.get("items"):
        out.keys["type"] = "list"
    elif not _scalar_type(physical, reading, prop, out):
        if physical:
            out.keys["type"] = "string"
            out.approximations.append(f"no logicalType; physical type {physical!r} read as string")
        else:
            out.error = (
                "has neither logicalType nor a physicalType accord can read; add a logicalType"
            )
    return out


def _integer(physical: str, reading: str, options: dict[str, Any], out: TypeResult) -> str:
    fmt = options.get("format")
    narrowed = reading
    if narrowed in INTEGERS:
        if fmt in FORMATS and FORMATS[fmt] != narrowed:
            out.approximations.append(f"format {fmt} and physical type {physical} disagree")
        return narrowed
    if fmt in FORMATS:
        return FORMATS[fmt]
    return "integer"


def _number(
    physical: str, reading: str, physical_raw: Any, options: dict[str, Any], out: TypeResult
) -> None:
    if match := DECIMAL.match(physical):
        _decimal(match, out)
        return
    narrowed = reading
    fmt = options.get("format")
    if narrowed in ("float32", "float64", "integer") or narrowed in INTEGERS:
        if fmt in FLOAT_FORMATS and FLOAT_FORMATS[fmt] != narrowed:
            out.approximations.append(f"format {fmt} and physical type {physical_raw} disagree")
        out.keys["type"] = narrowed
        return
    out.keys["type"] = FLOAT_FORMATS.get(str(fmt), "number")


def _decimal(match: re.Match[str], out: TypeResult) -> None:
    out.keys["type"] = "decimal"
    out.keys["precision"] = int(match.group(1))
    if match.group(2) is not None:
        out.keys["scale"] = int(match.group(2))


def _timestamp(reading: str, prop: dict[str, Any], out: TypeResult) -> None:
    """``reading``: the physical type's reading, ``timestamp@tz``, ``timestamp@naive`` or other."""
    out.keys["type"] = "timestamp"
    options = prop.get("logicalTypeOptions") or {}
    zone = options.get("defaultTimezone")
    aware = options.get("timezone")
    if aware is False or reading == NAIVE:
        return
    if aware is True or reading == TZ:
        out.keys["tz"] = zone or "UTC"
        return
    out.keys["tz"] = zone or "UTC"
    out.approximations.append("no time zone signal: read as tz UTC (the ODCS default)")


def write_type(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An accord field's type keys to ODCS property keys and ``logicalTypeOptions`` entries.

    What ODCS cannot say exactly (category, duration, binary, ...) is left to the carrier by the
    caller, which re-reads the output and compares.
    """
    kind = spec["type"]
    keys: dict[str, Any] = {}
    options: dict[str, Any] = {}
    if kind in ("string", "category", "binary", "duration"):
        keys["logicalType"] = "string"
    elif kind == "integer":
        keys["logicalType"] = "integer"
    elif kind in INTEGERS:
        keys["logicalType"] = "integer"
        options["format"] = {v: k for k, v in FORMATS.items()}[kind]
    elif kind == "number":
        keys["logicalType"] = "number"
    elif kind in FLOAT_FORMATS.values():
        keys["logicalType"] = "number"
        options["format"] = {v: k for k, v in FLOAT_FORMATS.items()}[kind]
    elif kind == "decimal":
        keys["logicalType"] = "number"
        precision, scale = spec.get("precision"), spec.get("scale")
        if precision is not None:
            keys["physicalType"] = (
                f"decimal({precision},{scale})" if scale is not None else f"decimal({precision})"
            )
    elif kind == "bool":
        keys["logicalType"] = "boolean"
    elif kind in ("date", "time"):
        keys["logicalType"] = kind
    elif kind == "timestamp":
        keys["logicalType"] = "timestamp"
        tz = spec.get("tz")
        options["timezone"] = tz is not None
        if tz is not None:
            options["defaultTimezone"] = tz
    elif kind == "struct":
        keys["logicalType"] = "object"
    elif kind == "list":
        keys["logicalType"] = "array"
    return keys, options
