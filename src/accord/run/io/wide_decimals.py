"""A clear refusal of decimals wider than polars holds, before any reader meets them.

Arrow and Parquet store decimals of up to 76 digits (decimal256); polars holds 38. Handed a
wider column, polars panics (a full read: "operator does not support primitive Int256"; an
empty one reaches pandas with a precision it asserts on). The schema is read by pyarrow first
and such a column is refused by name, as ``--schema-only`` refuses it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from accord.errors import DataReadError

POLARS_DECIMAL_DIGITS = 38
"""The widest decimal polars holds."""


def widest_decimal(arrow: pa.DataType) -> int:
    """The most digits of any decimal in ``arrow``, nested ones included (0 for none)."""
    if pa.types.is_decimal(arrow):
        return int(arrow.precision)
    if pa.types.is_dictionary(arrow):
        return widest_decimal(arrow.value_type)
    if pa.types.is_map(arrow):
        return max(widest_decimal(arrow.key_type), widest_decimal(arrow.item_type))
    if isinstance(arrow, pa.ListType | pa.LargeListType | pa.FixedSizeListType):
        return widest_decimal(arrow.value_type)
    if pa.types.is_struct(arrow):
        return max(
            (widest_decimal(arrow.field(i).type) for i in range(arrow.num_fields)), default=0
        )
    return 0


def wide_decimal_message(name: str, digits: int) -> str:
    return (
        f"column {name!r} holds decimals of precision {digits}, and accord validates "
        f"decimals of at most {POLARS_DECIMAL_DIGITS} digits; store the column as "
        f"decimal with precision {POLARS_DECIMAL_DIGITS} or less, or as text"
    )


def refuse_wide_decimals(path: Path, schema: pa.Schema) -> None:
    """DataReadError naming the first column of ``schema`` with a decimal polars cannot hold."""
    for arrow_field in schema:
        digits = widest_decimal(arrow_field.type)
        if digits > POLARS_DECIMAL_DIGITS:
            raise DataReadError(wide_decimal_message(arrow_field.name, digits), path=str(path))
