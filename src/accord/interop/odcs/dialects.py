"""Physical types per SQL dialect (INTEROP A.9.13): the servers of a document decide.

The same word means different types in different databases: ``int8`` is 64-bit in Postgres and
DuckDB, ``float`` is 32-bit in Spark and DuckDB but 64-bit in Postgres, Snowflake, SQL Server and
BigQuery, ``timestamp`` is an instant in Spark and BigQuery but a naive value in Postgres,
Snowflake and DuckDB, ``tinyint`` is unsigned in SQL Server. A token no dialect table names falls
back to ``GENERIC``, which holds only readings every dialect shares.

Values are accord types, except the timestamp readings: ``timestamp@tz`` (an instant),
``timestamp@naive`` and ``timestamp`` (no signal; A.9.12 decides).
"""

from __future__ import annotations

from typing import Any

TZ = "timestamp@tz"
NAIVE = "timestamp@naive"
_TEXT = ("varchar", "text", "string", "char", "character varying", "nvarchar", "nchar", "clob")

GENERIC: dict[str, str] = {
    **dict.fromkeys(_TEXT, "string"),
    "str": "string",
    "uuid": "string",
    "tinyint": "int8",
    "byteint": "int8",
    "smallint": "int16",
    "int2": "int16",
    "smallserial": "int16",
    "int": "int32",
    "integer": "int32",
    "int4": "int32",
    "int32": "int32",
    "serial": "int32",
    "bigint": "int64",
    "long": "int64",
    "int64": "int64",
    "bigserial": "int64",
    "real": "float32",
    "float4": "float32",
    "float32": "float32",
    "double": "float64",
    "double precision": "float64",
    "float8": "float64",
    "float64": "float64",
    "boolean": "bool",
    "bool": "bool",
    "date": "date",
    "time": "time",
    "bytes": "binary",
    "bytea": "binary",
    "binary": "binary",
    "varbinary": "binary",
    "blob": "binary",
    "timestamp": "timestamp",
    "timestamp_tz": TZ,
    "timestamptz": TZ,
    "timestamp with time zone": TZ,
    "timestamp_ltz": TZ,
    "timestamp with local time zone": TZ,
    "datetime_tz": TZ,
    "timestamp_ntz": NAIVE,
    "timestamp without time zone": NAIVE,
    "datetime": NAIVE,
}

_POSTGRES = {
    "int8": "int64",
    "float": "float64",
    "timestamp": NAIVE,
}
_SNOWFLAKE = {
    # every Snowflake integer is NUMBER(38,0): wider than int64
    **dict.fromkeys(
        ("number", "int", "integer", "bigint", "smallint", "tinyint", "byteint"), "integer"
    ),
    **dict.fromkeys(("float", "float4", "float8", "double", "double precision", "real"), "float64"),
    "timestamp": NAIVE,  # TIMESTAMP_TYPE_MAPPING defaults to TIMESTAMP_NTZ
}
_BIGQUERY = {
    **dict.fromkeys(
        ("int64", "int", "integer", "smallint", "bigint", "tinyint", "byteint"), "int64"
    ),
    "float": "float64",
    "float64": "float64",
    "bool": "bool",
    "bytes": "binary",
    "timestamp": TZ,
    "datetime": NAIVE,
}
_SPARK = {
    "byte": "int8",
    "short": "int16",
    "float": "float32",
    "real": "float32",
    "timestamp": TZ,  # TIMESTAMP is TIMESTAMP_LTZ: an instant
}
_DUCKDB = {
    "int1": "int8",
    "int8": "int64",
    "short": "int16",
    "signed": "int32",
    "hugeint": "integer",
    "utinyint": "uint8",
    "usmallint": "uint16",
    "uinteger": "uint32",
    "ubigint": "uint64",
    "float": "float32",
    "timestamp": NAIVE,
}
_SQLSERVER = {
    "tinyint": "uint8",  # 0 to 255
    "float": "float64",
    "bit": "bool",
    "datetime2": NAIVE,
    "smalldatetime": NAIVE,
    "datetimeoffset": TZ,
    "uniqueidentifier": "string",
    "ntext": "string",
    "image": "binary",
}
_MYSQL = {"mediumint": "int32", "float": "float32", "double": "float64", "real": "float64"}
_ORACLE = {
    "varchar2": "string",
    "nvarchar2": "string",
    "binary_float": "float32",
    "binary_double": "float64",
    "float": "float64",
    "date": NAIVE,  # an Oracle DATE holds a time of day too
    "timestamp": NAIVE,
    "raw": "binary",
}

# server ``type`` values (ODCS enum and what files write) to their table
DIALECTS: dict[str, dict[str, str]] = {
    "postgres": _POSTGRES,
    "postgresql": _POSTGRES,
    "redshift": _POSTGRES,
    "snowflake": _SNOWFLAKE,
    "bigquery": _BIGQUERY,
    "databricks": _SPARK,
    "spark": _SPARK,
    "duckdb": _DUCKDB,
    "sqlserver": _SQLSERVER,
    "synapse": _SQLSERVER,
    "mysql": _MYSQL,
    "oracle": _ORACLE,
}


def dialect_of(servers: Any) -> tuple[str | None, str | None]:
    """The dialect the servers agree on (None: the generic table), and a note when they do not."""
    listed = servers if isinstance(servers, list) else []
    kinds = {
        str(server.get("type")).lower()
        for server in listed
        if isinstance(server, dict) and str(server.get("type", "")).lower() in DIALECTS
    }
    tables = {id(DIALECTS[kind]) for kind in kinds}
    if len(tables) == 1:
        return sorted(kinds)[0], None
    if tables:
        return None, (
            f"servers of types {', '.join(sorted(kinds))} read physical types differently; "
            "only the readings they share are used"
        )
    return None, None


def scalar(token: str, dialect: str | None) -> str | None:
    """The accord reading of a physical type token (lower case, no arguments), or None."""
    if dialect is not None and token in DIALECTS[dialect]:
        return DIALECTS[dialect][token]
    return GENERIC.get(token)
