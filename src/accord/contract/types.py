"""Logical types of the contract format and the families they belong to.

Families answer the questions the loader, compiler and diff ask of a type: may it carry an ordering
check, a string check, an arithmetic mean? Keeping them in one table means a new type is one row.
"""

from __future__ import annotations

from typing import Literal, get_args

LogicalType = Literal[
    "string",
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "integer",
    "float32",
    "float64",
    "number",
    "decimal",
    "date",
    "timestamp",
    "time",
    "duration",
    "category",
    "binary",
    "list",
    "struct",
]
LOGICAL_TYPES: tuple[str, ...] = get_args(LogicalType)

Role = Literal["id", "feature", "label", "prediction", "timestamp", "weight", "metadata"]
ROLES: tuple[str, ...] = get_args(Role)

INTEGER_TYPES = frozenset(
    {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "integer"}
)
FLOAT_TYPES = frozenset({"float32", "float64"})
NUMERIC_TYPES = INTEGER_TYPES | FLOAT_TYPES | {"number", "decimal"}
TEMPORAL_TYPES = frozenset({"date", "timestamp", "time", "duration"})
TEXT_TYPES = frozenset({"string", "category"})
ORDERED_TYPES = NUMERIC_TYPES | TEMPORAL_TYPES
NESTED_TYPES = frozenset({"list", "struct"})
SCALAR_TYPES = frozenset(LOGICAL_TYPES) - NESTED_TYPES

# Inclusive value ranges of the fixed-width integer types, used to reject parameters and values
# that the declared width cannot hold (300 for int8) instead of letting an engine wrap them.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "integer": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}


def kind_of(logical_type: str) -> Literal["number", "string", "bool", "temporal", "other"]:
    """The coarse kind used by the row-rule type checker."""
    if logical_type in NUMERIC_TYPES:
        return "number"
    if logical_type in TEXT_TYPES:
        return "string"
    if logical_type == "bool":
        return "bool"
    if logical_type in TEMPORAL_TYPES:
        return "temporal"
    return "other"
