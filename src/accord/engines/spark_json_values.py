"""One JSON value of a line parsed by Spark (a ``variant``), as polars' JSON Lines reader sees it:
its kind (what polars infers the column's type from) and its text (what polars gives for it in a
column read as String, which accord's text rules then convert).

polars writes a number read as text from its value: an integer as its digits, any other number as
the shortest decimal that reads back as the same float64, never with an exponent (``1e3`` is
``1000``, ``1.50`` is ``1.5``, ``1e-7`` is ``0.0000001``). Spark holds a fraction as a decimal of
at most 38 digits and an exponent form as a double. A decimal of at most 15 significant digits
is that shortest decimal; so is a double whose Java form has at most 15 significant digits (it
reads back, so no shorter one does), written without an exponent. Any other number, and a list
or object (polars writes it as JSON with its own spacing), is marked inexact: the caller decides
whether the difference can show (a float64 field holds the same float whichever text it parses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyspark.sql import functions as f  # this module loads only with the Spark engine

if TYPE_CHECKING:
    from pyspark.sql import Column

NULL, STRING, BOOL, INT, WIDE, FLOAT, NESTED = (
    "null",
    "string",
    "bool",
    "int",
    "wide",
    "float",
    "nested",
)
"""Kinds: ``int`` fits int64 (polars Int64), ``wide`` is an integer beyond it (Int128)."""

_EXACT_DIGITS = 15
_INTEGERS = ("TINYINT", "SMALLINT", "INT", "BIGINT")


def kind(value: Column) -> Column:
    """The kind of a variant value; null for a key the line lacks."""
    schema = f.schema_of_variant(value)
    # Spark holds an integer within int64 as one; a fraction whose zeros it drops
    # (1.0 is DECIMAL(1,0)) stays a float for polars. Beyond int64, DECIMAL(p,0) is an integer
    # token: the caller refuses lines with a fraction of 19 or more integer digits.
    whole = schema.startswith("DECIMAL") & schema.endswith(",0)")
    beyond_int64 = f.abs(value.try_cast("decimal(38,0)")) > f.lit(2**63 - 1).cast("decimal(38,0)")
    return (
        f.when(value.isNull(), f.lit(None).cast("string"))
        .when(schema == "VOID", NULL)
        .when(schema == "STRING", STRING)
        .when(schema == "BOOLEAN", BOOL)
        .when(schema.isin(*_INTEGERS), INT)
        .when(whole & f.coalesce(beyond_int64, f.lit(False)), WIDE)
        .when(schema.startswith("DECIMAL") | schema.isin("DOUBLE", "FLOAT"), FLOAT)
        .otherwise(NESTED)
    )


def text(value: Column, value_kind: Column) -> tuple[Column, Column]:
    """polars' text of a variant value of ``value_kind``, and whether it is exactly polars'
    (never null; true for a missing value)."""
    plain = value.try_cast("string")
    schema = f.schema_of_variant(value)
    is_double = schema.isin("DOUBLE", "FLOAT")
    # Java writes a double as 1.0E-7 or 1000.0: through a decimal it is written plainly
    # (0.0000001, 1000), its trailing zeros and point dropped. Beyond the decimal's 18 digits
    # before the point it is null, and finer than its 20 after it, another number: inexact.
    through = plain.try_cast("decimal(38,20)").try_cast("string")
    rendered = f.regexp_replace(through, r"\.?0+\z", "")
    digits = f.length(f.regexp_replace(rendered, r"^-?0*\.?0*|\.", ""))
    decimal_digits = f.regexp_extract(schema, r"^DECIMAL\(([0-9]+),", 1).try_cast("int")
    # a list or object: its JSON text, inexact (polars spaces it otherwise)
    shown = f.when((value_kind == FLOAT) & is_double, rendered).otherwise(plain)
    exact = (
        f.when(value_kind.isNull() | value_kind.isin(NULL, STRING, BOOL, INT, WIDE), True)
        .when(
            value_kind == FLOAT,
            f.when(
                is_double,
                (digits <= _EXACT_DIGITS)
                & (rendered.try_cast("double") == value.try_cast("double")),
            ).otherwise(decimal_digits <= _EXACT_DIGITS),
        )
        .otherwise(False)
    )
    return f.when(value_kind != NULL, shown), f.coalesce(exact, f.lit(False))
