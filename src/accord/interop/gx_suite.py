"""Great Expectations suites as found in the wild, read into one shape (INTEROP B.3).

Four shapes exist: GX 1.x (``name``, ``expectations[].type``), GX 0.x
(``expectation_suite_name``, ``expectations[].expectation_type``,
``meta.great_expectations_version``), a hybrid (1.x ``name`` with 0.x entries) and very old 0.4
files with no suite name. Type names come from Python, numpy, pandas, Spark or SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from accord.errors import UsageError


@dataclass(frozen=True)
class Expectation:
    index: int
    kind: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]
    severity: str | None
    description: str | None
    raw: dict[str, Any]


@dataclass
class Suite:
    name: str | None
    flavor: str
    """``1.x`` or ``0.x``: decides defaults that changed between them (``exact_match``)."""
    expectations: list[Expectation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def read_suite(raw: Any, source: str) -> Suite:
    """``raw`` (parsed JSON) as a :class:`Suite`; a :class:`UsageError` naming ``source`` and
    what is wrong when it is not a suite at all."""
    if not isinstance(raw, dict) or not isinstance(raw.get("expectations"), list):
        raise UsageError(
            f"{source}: not a Great Expectations suite (expected a JSON object with an "
            "'expectations' list)"
        )
    name = raw.get("name") or raw.get("expectation_suite_name") or raw.get("data_asset_name")
    meta = _mapping(raw.get("meta"))
    entries = raw["expectations"]
    expectations = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise UsageError(f"{source}: expectations[{index}] is not a JSON object")
        kind = entry.get("type") or entry.get("expectation_type")
        if not isinstance(kind, str):
            raise UsageError(
                f"{source}: expectations[{index}] names no expectation type "
                "('type' or 'expectation_type')"
            )
        kwargs = entry.get("kwargs")
        if kwargs is None:  # 0.4 files sometimes put the arguments beside the type
            kwargs = {k: v for k, v in entry.items() if k not in ("expectation_type", "meta")}
        if not isinstance(kwargs, dict):
            raise UsageError(f"{source}: expectations[{index}].kwargs is not a JSON object")
        entry_meta = _mapping(entry.get("meta"))
        severity = entry.get("severity") or entry_meta.get("severity")
        description = entry.get("description")
        expectations.append(
            Expectation(
                index=index,
                kind=kind.removeprefix("great_expectations."),
                kwargs=dict(kwargs),
                meta=entry_meta,
                severity=str(severity) if severity is not None else None,
                description=str(description) if description else None,
                raw=entry,
            )
        )
    return Suite(
        name=str(name) if name else None,
        flavor=_flavor(raw, meta),
        expectations=expectations,
        meta=meta,
    )


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _flavor(raw: dict[str, Any], meta: dict[str, Any]) -> str:
    version = meta.get("great_expectations_version") or meta.get("great_expectations.__version__")
    if isinstance(version, str) and version[:1].isdigit():
        return "0.x" if version.startswith("0.") else "1.x"
    if "expectation_suite_name" in raw or "name" not in raw:
        return "0.x"
    return "1.x"


# GX type names (Python, numpy, pandas, Spark, SQL) to accord logical types.
_TYPES = {
    **dict.fromkeys(["int", "int64", "Int64", "Int64Dtype", "LongType", "BIGINT", "long"], "int64"),
    **dict.fromkeys(["int32", "Int32", "Int32Dtype", "IntegerType", "INTEGER", "INT"], "int32"),
    **dict.fromkeys(["int16", "Int16", "Int16Dtype", "ShortType", "SMALLINT"], "int16"),
    **dict.fromkeys(["int8", "Int8", "Int8Dtype", "ByteType", "TINYINT"], "int8"),
    **dict.fromkeys(["uint8", "UInt8", "UInt8Dtype"], "uint8"),
    **dict.fromkeys(["uint16", "UInt16", "UInt16Dtype"], "uint16"),
    **dict.fromkeys(["uint32", "UInt32", "UInt32Dtype"], "uint32"),
    **dict.fromkeys(["uint64", "UInt64", "UInt64Dtype"], "uint64"),
    **dict.fromkeys(
        [
            "float",
            "float64",
            "Float64",
            "Float64Dtype",
            "DoubleType",
            "DOUBLE",
            "FLOAT8",
            "FLOAT",
            "DOUBLE_PRECISION",
        ],
        "float64",
    ),
    **dict.fromkeys(
        ["float32", "Float32", "Float32Dtype", "FloatType", "REAL", "FLOAT4"], "float32"
    ),
    **dict.fromkeys(
        [
            "str",
            "string",
            "String",
            "StringDtype",
            "StringType",
            "VARCHAR",
            "TEXT",
            "STRING",
            "CHAR",
            "NVARCHAR",
        ],
        "string",
    ),
    **dict.fromkeys(["category", "CategoricalDtype"], "category"),
    **dict.fromkeys(["bool", "boolean", "BooleanDtype", "BooleanType", "BOOLEAN"], "bool"),
    **dict.fromkeys(["date", "DateType", "DATE"], "date"),
    **dict.fromkeys(
        [
            "datetime",
            "datetime64",
            "datetime64[ns]",
            "datetime64[us]",
            "Timestamp",
            "TimestampType",
            "TIMESTAMP",
            "TimestampNTZType",
        ],
        "timestamp",
    ),
    **dict.fromkeys(["timedelta", "timedelta64[ns]", "DayTimeIntervalType"], "duration"),
    **dict.fromkeys(["bytes", "BinaryType", "BYTEA", "BLOB"], "binary"),
    **dict.fromkeys(["Decimal", "DecimalType", "NUMERIC", "DECIMAL"], "decimal"),
}
_AWARE = re.compile(r"^datetime64\[(?:ns|us|ms|s), (?P<tz>[^\]]+)\]$")
_INTEGERS = frozenset(
    {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "integer"}
)


def accord_type(name: str) -> dict[str, str] | None:
    """One GX type name as accord field keys (``{"type": "timestamp", "tz": "UTC"}``), or None."""
    text = name.strip()
    aware = _AWARE.match(text)
    if aware is not None:
        return {"type": "timestamp", "tz": aware.group("tz")}
    base = re.sub(r"\(.*\)$", "", text)  # VARCHAR(20), DecimalType(10,2)
    found = _TYPES.get(base) or _TYPES.get(base.upper())
    return {"type": found} if found else None


def accord_type_of_list(names: list[Any]) -> dict[str, str] | None:
    """The one accord type a GX type list names: all the same type, all integers (``integer``)
    or all numbers (``number``); None when the list mixes kinds accord cannot say."""
    mapped = [accord_type(str(n)) for n in names]
    if not mapped or any(m is None for m in mapped):
        return None
    kinds = {m["type"] for m in mapped if m is not None}
    if len(kinds) == 1 and len({tuple(sorted(m.items())) for m in mapped if m}) == 1:
        return mapped[0]
    if kinds <= _INTEGERS:
        return {"type": "integer"}
    if kinds <= _INTEGERS | {"float32", "float64"}:
        return {"type": "number"}
    if kinds <= {"float32", "float64", "decimal"} and kinds & {"float32", "float64"}:
        # profilers list every dialect's name for a float column, SQL's NUMERIC among them
        return {"type": "float64"}
    if kinds <= {"string", "category"}:
        return {"type": "string"}
    return None
