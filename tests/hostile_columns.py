"""Hostile columns for the process-level fuzzer: pyarrow arrays of every type the columnar
formats carry (integers and floats of every width, decimals of random precision and scale,
dates, timestamps of every unit with and without a zone, times, durations, text plain, large
and dictionary-encoded, binary, lists, structs and lists of structs), with nulls, NaN,
infinities and values at the edges of their types, each with the contract field that matches it
and the checks that field may carry.

Values stay near the check parameters ``test_fuzz_parity`` draws (-3..3 around 2020-01-01), so
checks both pass and fail; the edges (a type's minimum and maximum, dates no Python ``date``
can hold) are mixed in. Used by ``hostile_strategies.py``; see ``test_fuzz_hostile.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa
from hypothesis import strategies as st

from accord.contract.types import INTEGER_RANGES
from test_fuzz_parity import check, values

# Every integer and float width.
NUMBERS: dict[str, pa.DataType] = {
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
}
INDEX_TYPES = [pa.int8(), pa.int16(), pa.int32(), pa.int64()]
UNITS = ("s", "ms", "us", "ns")
PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
ZONES = (None, "UTC", "Europe/Paris", "America/New_York")
EPOCH_DAYS = (dt.date(2020, 1, 1) - dt.date(1970, 1, 1)).days
INT64 = INTEGER_RANGES["int64"]
# A type the column is not, for the contract to get wrong now and then.
NEIGHBOURS = {
    "number": ["string", "int8", "uint8", "float32", "integer", "number", "decimal", "bool"],
    "text": ["int64", "category", "binary", "date"],
    "temporal": ["date", "timestamp", "time", "duration", "int64", "string"],
    "nested": ["list", "struct", "string"],
    "other": ["string", "int64", "binary", "bool"],
}


@dataclass(frozen=True)
class Column:
    """One column, the contract field that matches it exactly, and what it holds."""

    name: str
    array: pa.Array
    spec: dict[str, Any]
    family: str
    nulls: int
    """Nulls as the contract counts them: None, and NaN in a float column."""


def _maybe_dictionary(draw: st.DrawFn, array: pa.Array) -> pa.Array:
    """``array`` as stored, or dictionary-encoded with an index of a random width."""
    if len(array) == 0 or draw(st.integers(0, 2)):
        return array
    encoded = array.dictionary_encode()
    index = draw(st.sampled_from(INDEX_TYPES))
    return pa.DictionaryArray.from_arrays(encoded.indices.cast(index), encoded.dictionary)


def _count_nulls(array: pa.Array) -> int:
    plain = array.dictionary_decode() if pa.types.is_dictionary(array.type) else array
    nulls = plain.null_count
    if pa.types.is_floating(plain.type):
        nulls += sum(1 for v in plain.to_pylist() if v is not None and math.isnan(v))
    return int(nulls)


def _bounded(kinds: list[str], bound: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    one = st.sampled_from(kinds).flatmap(lambda kind: bound.map(lambda value: {kind: value}))
    return one | st.lists(bound, min_size=1, max_size=3).map(lambda xs: {"in": xs})


# Parameter strategies of the types test_fuzz_parity's ``check`` does not draw.
_DECIMAL_BOUNDS = st.integers(-3, 3) | st.sampled_from(["0.5", "-1.25", "2", "0.001"])
_TIME_BOUNDS = st.sampled_from(["00:00", "01:00:00", "02:30", "23:59:59.999999"])
_DURATION_BOUNDS = st.sampled_from(["0s", "90m", "1h", "2d", "1.5h"])
# Example values no Python date, datetime or timedelta can hold (a date32 of 2**31 - 1 days, a
# duration[ms] of 2**63 - 1), and durations pandas cannot hold (999,999,999 days)
BEYOND_PYTHON = True
# decimal256 (precision above 38), which polars cannot hold: refused naming file and column
DECIMAL256 = True
_ORDERED = ["min", "max", "equal_to", "not_equal_to", "greater_than", "less_than"]
# The column kind and parameter type ``check`` draws in, per logical type: every value of the
# logical type can hold the parameters drawn.
_PARITY_ARGS = {
    "int8": ("small", "int8"),
    "int16": ("int", "int32"),
    "int32": ("int", "int32"),
    "int64": ("int", "int64"),
    "integer": ("int", "integer"),
    "uint8": ("small", "uint8"),
    "uint16": ("small", "uint8"),
    "uint32": ("small", "uint8"),
    "uint64": ("small", "uint8"),
    "float32": ("float", "float64"),
    "float64": ("float", "float64"),
    "number": ("float", "number"),
    "string": ("text", "string"),
    "category": ("text", "category"),
    "bool": ("bool", "bool"),
    "date": ("date", "date"),
}


def one_check(
    logical: str, tz: str | None = None, decimal: tuple[int, int] = (38, 10)
) -> st.SearchStrategy[dict[str, Any]] | None:
    """A check from the catalogue for a field of ``logical`` type, or None if none applies."""
    if logical in _PARITY_ARGS:
        return check(*_PARITY_ARGS[logical])
    if logical == "timestamp":
        return check("utc" if tz else "naive", "timestamp")
    if logical == "decimal":
        return _bounded(_ORDERED, _DECIMAL_BOUNDS)  # bounds the column may not hold, too
    if logical == "time":
        return _bounded(_ORDERED, _TIME_BOUNDS)
    if logical == "duration":
        return _bounded(["min", "max", "greater_than", "less_than"], _DURATION_BOUNDS)
    return None


@st.composite
def checks_for(
    draw: st.DrawFn,
    logical: str,
    tz: str | None = None,
    decimal: tuple[int, int] = (38, 10),
    *,
    at_least: int = 0,
) -> list[dict[str, Any]]:
    """Up to two checks for a field, now and then a warning, as a contract would list them."""
    one = one_check(logical, tz, decimal)
    if one is None:
        return []
    found = draw(st.lists(one, min_size=at_least, max_size=2))
    for item in found:
        if draw(st.integers(0, 4)) == 0:
            item["severity"] = "warning"
    return found


def _column(name: str, array: pa.Array, spec: dict[str, Any], family: str) -> Column:
    kept = {k: v for k, v in spec.items() if v is not None and v != []}
    return Column(name, array, kept, family, _count_nulls(array))


@st.composite
def number_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    logical = draw(st.sampled_from(sorted(NUMBERS)))
    if logical.startswith(("int", "uint")):
        low, high = INTEGER_RANGES[logical]
        cell = st.integers(max(low, -3), min(high, 3)) | st.sampled_from([low, high])
    else:
        cell = values("float")
    cells = draw(st.lists(st.none() | cell, min_size=rows, max_size=rows))
    array = _maybe_dictionary(draw, pa.array(cells, type=NUMBERS[logical], from_pandas=False))
    spec = {"type": logical, "checks": draw(checks_for(logical))}
    return _column(name, array, spec, "number")


@st.composite
def decimal_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    most = 76 if DECIMAL256 else 38
    precision = draw(st.integers(1, most) if draw(st.integers(0, 3)) == 0 else st.integers(1, 38))
    scale = draw(st.integers(0, precision))
    widest = 10**precision - 1
    unscaled = st.integers(max(-widest, -3 * 10**scale), min(widest, 3 * 10**scale))
    edges = st.sampled_from([widest, -widest])
    cells = draw(st.lists(st.none() | unscaled | edges, min_size=rows, max_size=rows))
    decimal = pa.decimal128 if precision <= 38 else pa.decimal256
    scaled = [None if c is None else Decimal(f"{c}e-{scale}") for c in cells]  # exact
    array = pa.array(scaled, type=decimal(precision, scale))
    spec = {
        "type": "decimal",
        "precision": precision,
        "scale": scale,
        "checks": draw(checks_for("decimal", decimal=(precision, scale))),
    }
    return _column(name, array, spec, "number")


def _python_edges(kind: str, per_second: int) -> list[int]:
    """The extreme values of ``kind`` that Python and pandas (in nanoseconds) can still hold, as
    stored (days, or units since the epoch)."""
    if kind == "date":
        return [-719162, 2932896]  # 0001-01-01 and 9999-12-31
    per_unit = 1_000_000_000 // per_second  # nanoseconds in one unit
    extremes = [-(INT64[1] // per_unit), INT64[1] // per_unit]
    return [*extremes, 0, -1] if kind == "timestamp" else [*extremes, 1]


def _beyond_python_edges(kind: str, per_second: int) -> list[int]:
    if kind == "date":
        return [-719163, 2**31 - 1]  # year 0 and year 5,881,580
    days = dt.timedelta.max.days * 86400 * per_second  # Python's, beyond pandas' nanoseconds
    return [INT64[0] + 1, INT64[1], *([-days, days] if days < INT64[1] else [])]


@st.composite
def temporal_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    kind = draw(st.sampled_from(["date", "timestamp", "time", "duration"]))
    unit = draw(st.sampled_from(UNITS))
    per_second = PER_SECOND[unit]
    hour = 3600 * per_second
    zone = None
    edges = _python_edges(kind, per_second)
    if BEYOND_PYTHON:
        edges += _beyond_python_edges(kind, per_second)
    if kind == "date":
        arrow_type: pa.DataType = pa.date32()
        cell = st.integers(EPOCH_DAYS - 3, EPOCH_DAYS + 3) | st.sampled_from(edges)
    elif kind == "timestamp":
        zone = draw(st.sampled_from(ZONES))
        arrow_type = pa.timestamp(unit, tz=zone)
        start = EPOCH_DAYS * 86400 * per_second
        cell = st.integers(-3, 3).map(lambda h: start + h * hour + 7) | st.sampled_from(edges)
    elif kind == "time":
        arrow_type = pa.time32(unit) if unit in ("s", "ms") else pa.time64(unit)
        cell = st.integers(0, 3).map(lambda h: h * hour) | st.sampled_from(
            [0, 86400 * per_second - 1, 1]
        )
    else:
        arrow_type = pa.duration(unit)
        cell = st.integers(-3, 3).map(lambda h: h * hour) | st.sampled_from(edges)
    cells = draw(st.lists(st.none() | cell, min_size=rows, max_size=rows))
    narrow = kind == "date" or (kind == "time" and unit in ("s", "ms"))
    storage = pa.array(cells, type=pa.int64())
    array = (storage.cast(pa.int32(), safe=False) if narrow else storage).view(arrow_type)
    checks = draw(checks_for(kind, zone))
    spec = {"type": kind, "tz": zone, "checks": checks}
    return _column(name, array, spec, "temporal")


@st.composite
def text_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    arrow_type = draw(st.sampled_from([pa.string(), pa.large_string()]))
    cells = draw(st.lists(st.none() | values("text"), min_size=rows, max_size=rows))
    array = _maybe_dictionary(draw, pa.array(cells, type=arrow_type))
    logical = draw(st.sampled_from(["string", "string", "category"]))
    return _column(name, array, {"type": logical, "checks": draw(checks_for(logical))}, "text")


@st.composite
def other_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    if draw(st.booleans()):
        cells = draw(st.lists(st.none() | st.booleans(), min_size=rows, max_size=rows))
        spec = {"type": "bool", "checks": draw(checks_for("bool"))}
        return _column(name, pa.array(cells, type=pa.bool_()), spec, "other")
    binary = draw(st.sampled_from([pa.binary(), pa.large_binary()]))
    cells = draw(st.lists(st.none() | st.binary(max_size=4), min_size=rows, max_size=rows))
    return _column(name, pa.array(cells, type=binary), {"type": "binary"}, "other")


@st.composite
def nested_column(draw: st.DrawFn, name: str, rows: int) -> Column:
    """A list of integers or text, a struct, or a list of structs, with checks inside."""
    small = st.none() | st.integers(-3, 3)
    number = {"type": "int64", "nullable": True, "checks": draw(checks_for("int64"))}
    text = {"type": "string", "nullable": True, "checks": draw(checks_for("string"))}
    members = {
        "x": {k: v for k, v in number.items() if v},
        "y": {k: v for k, v in text.items() if v},
    }
    struct_cell = st.none() | st.fixed_dictionaries({"x": small, "y": st.none() | values("text")})
    struct_type = pa.struct([("x", pa.int64()), ("y", pa.string())])
    shape = draw(st.sampled_from(["list_int", "list_text", "struct", "list_struct"]))
    if shape == "list_int":
        cell: st.SearchStrategy[Any] = st.lists(small, max_size=3)
        arrow_type = draw(st.sampled_from([pa.list_(pa.int64()), pa.large_list(pa.int64())]))
        spec: dict[str, Any] = {"type": "list", "items": members["x"]}
    elif shape == "list_text":
        cell = st.lists(st.none() | values("text"), max_size=3)
        arrow_type = pa.list_(pa.string())
        spec = {"type": "list", "items": members["y"]}
    elif shape == "struct":
        cell = struct_cell
        arrow_type = struct_type
        spec = {"type": "struct", "fields": members}
    else:
        cell = st.lists(struct_cell, max_size=3)
        arrow_type = pa.list_(struct_type)
        spec = {"type": "list", "items": {"type": "struct", "nullable": True, "fields": members}}
    cells = draw(st.lists(st.none() | cell, min_size=rows, max_size=rows))
    return _column(name, pa.array(cells, type=arrow_type), spec, "nested")


def any_column(name: str, rows: int) -> st.SearchStrategy[Column]:
    return st.one_of(
        number_column(name, rows),
        decimal_column(name, rows),
        temporal_column(name, rows),
        text_column(name, rows),
        other_column(name, rows),
        nested_column(name, rows),
    )


def mistyped(draw: st.DrawFn, spec: dict[str, Any], family: str) -> dict[str, Any]:
    """``spec`` declared as some other type (checks dropped: they may no longer be readable in
    it), or with a narrower decimal (checks kept, bounds it may not hold) or another zone."""
    spec = dict(spec)
    if spec["type"] == "decimal" and draw(st.booleans()):
        spec["precision"] = max(1, spec["precision"] - draw(st.integers(1, 3)))
        spec["scale"] = min(spec["scale"], spec["precision"])
        return spec
    if spec["type"] == "timestamp" and draw(st.booleans()):
        spec.pop("tz", None)
        zone = draw(st.sampled_from(ZONES))
        return spec if zone is None else {**spec, "tz": zone}
    new = draw(st.sampled_from(NEIGHBOURS.get(family, NEIGHBOURS["other"])))
    spec = {"type": new}
    if new == "list":
        spec["items"] = {"type": draw(st.sampled_from(["int64", "string"])), "nullable": True}
    elif new == "struct":
        spec["fields"] = {"x": {"type": "int64", "nullable": True}}
    elif new == "decimal":
        spec["precision"], spec["scale"] = 10, 2
    return spec
