"""How a Spark column type relates to a declared logical type, and how a column that may fit is
converted value by value.

Spark has no unsigned integers and one timestamp type per meaning: ``timestamp`` holds instants
(the session time zone is UTC; a zone name is not kept per column), ``timestamp_ntz`` holds
wall-clock times. So a ``tz:`` field takes a ``timestamp`` column, a naive one a
``timestamp_ntz`` column, and an unsigned field an integer column whose values are checked.
A text column in a field of another type is a mismatch, as on the other engines for a frame
handed in: text read from files is converted by the reader, which knows its null tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.contract.fit import Fit
from accord.contract.model import Field_
from accord.contract.params import UTC_NAMES
from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

if TYPE_CHECKING:
    from pyspark.sql import Column

_SPARK_INTEGERS = {"tinyint": "int8", "smallint": "int16", "int": "int32", "bigint": "int64"}
_TARGET = {
    "int8": "tinyint",
    "int16": "smallint",
    "int32": "int",
    "int64": "bigint",
    "integer": "bigint",
    # no unsigned types: the values are checked against the declared range, held one size up
    "uint8": "smallint",
    "uint16": "int",
    "uint32": "bigint",
    "uint64": "decimal(20,0)",
}
FLOAT_EXACT_INTEGERS = 2**53


def spark_type_name(spec: Field_) -> str:
    """The Spark SQL type a field's values are held in."""
    if spec.type in _TARGET:
        return _TARGET[spec.type]
    simple = {
        "string": "string",
        "category": "string",
        "bool": "boolean",
        "float32": "float",
        "float64": "double",
        "number": "double",
        "date": "date",
        "binary": "binary",
        "duration": "interval day to second",
    }
    if spec.type in simple:
        return simple[spec.type]
    if spec.type == "decimal":
        return f"decimal({spec.precision or 38},{spec.scale or 0})"
    if spec.type == "timestamp":
        return "timestamp" if spec.tz else "timestamp_ntz"
    raise ValueError(f"no Spark type for {spec.type}")


def fit_spark(spec: Field_, type_name: str) -> Fit:
    """How a column of Spark type ``type_name`` (``DataType.simpleString()``) relates to the
    declared field type."""
    logical = spec.type
    if type_name == "void":
        return "convert"  # a column of nulls only: any type holds it
    if logical in ("string", "category"):
        return (
            "ok"
            if type_name == "string" or type_name.startswith(("varchar", "char"))
            else ("mismatch")
        )
    if logical in INTEGER_TYPES:
        actual = _SPARK_INTEGERS.get(type_name)
        if actual is not None:
            low, high = INTEGER_RANGES[actual]
            want_low, want_high = INTEGER_RANGES[logical]
            return "ok" if want_low <= low and high <= want_high else "convert"
        if type_name in ("float", "double") or type_name.startswith("decimal"):
            return "convert"
        return "mismatch"
    if logical in ("float32", "float64", "number"):
        if type_name in ("float", "double") or type_name in _SPARK_INTEGERS:
            return "ok"
        return "mismatch"
    if logical == "decimal":
        return _decimal_fit(spec, type_name)
    expected = {
        "bool": ("boolean",),
        "date": ("date",),
        "binary": ("binary",),
        "duration": ("interval day to second",),
    }
    if logical in expected:
        return "ok" if type_name in expected[logical] else "mismatch"
    if logical == "timestamp":
        wanted = "timestamp" if spec.tz else "timestamp_ntz"
        if type_name == wanted:
            return "ok" if not spec.tz or spec.tz in UTC_NAMES else "mismatch"
        return "mismatch"
    if logical == "time":
        return "ok" if type_name.startswith("time(") or type_name == "time" else "mismatch"
    if logical == "list":
        return "ok" if type_name.startswith("array<") else "mismatch"
    if logical == "struct":
        return "ok" if type_name.startswith("struct<") else "mismatch"
    return "mismatch"  # pragma: no cover


def _decimal_fit(spec: Field_, type_name: str) -> Fit:
    if not type_name.startswith("decimal("):
        return "mismatch"
    precision, scale = (int(part) for part in type_name[len("decimal(") : -1].split(","))
    want_precision, want_scale = spec.precision or 38, spec.scale or 0
    if scale == want_scale and precision <= want_precision:
        return "ok"
    return "convert"  # the values may still fit: each one is checked


def fits(spec: Field_, column: Column, type_name: str) -> Column:
    """True where the non-null value can be held in the declared type exactly; never null."""
    from pyspark.sql import functions as f  # noqa: PLC0415 - pyspark loads only with this engine

    present = column
    if type_name in ("float", "double"):
        present = f.nanvl(column, f.lit(None).cast("double"))
    target = spark_type_name(spec)
    if spec.type in INTEGER_TYPES and (type_name in ("float", "double")):
        low, high = INTEGER_RANGES[spec.type]
        # floor() returns a long, which overflows (an error under ANSI) beyond 2**63 and on
        # infinities: only values small enough to be exact integers are floored at all.
        small = f.abs(present) <= FLOAT_EXACT_INTEGERS
        whole = (present == f.floor(f.when(small, present))) & small
        ok = whole & (present >= float(low)) & (present <= float(high))
    elif spec.type in INTEGER_TYPES and type_name != "string":
        low, high = INTEGER_RANGES[spec.type]
        held = present.cast("decimal(38,0)") if type_name.startswith("decimal") else present
        ok = (held >= _bound(low)) & (held <= _bound(high))
        if type_name.startswith("decimal"):
            ok = ok & (present == f.floor(present))
    else:
        converted: Any = present.try_cast(target)
        if spec.type in INTEGER_TYPES:
            low, high = INTEGER_RANGES[spec.type]
            ok = converted.isNotNull() & (converted >= _bound(low)) & (converted <= _bound(high))
        else:
            ok = converted.isNotNull()
            if spec.type == "decimal" and type_name.startswith("decimal"):
                # a value the target scale would round is not held exactly
                ok = ok & (converted.cast(type_name) == present)
    return f.coalesce(present.isNull() | ok, f.lit(False))


def _bound(value: int) -> Column:
    """An integer bound as a Spark literal: uint64's top is beyond a long, so a decimal."""
    from pyspark.sql import functions as f  # noqa: PLC0415

    return f.lit(str(value)).cast("decimal(38,0)") if value > 2**63 - 1 else f.lit(value)
