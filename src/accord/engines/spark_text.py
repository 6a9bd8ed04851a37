"""Text cells to typed values as Spark columns: ``run.io.text_parse``'s rules, evaluated where
the data lies.

Each rule gives the typed value and the problems that make a present text a failure, with the
same reasons as ``text_parse``, so a CSV read by Spark fails the same cells for the same reasons
as one read by accord's own reader. Integers go through ``decimal(38,0)``, never a float, so ids
above 2**53 keep their exact value; Java regexes end in ``\\z`` (``$`` accepts a trailing
newline). A type or format whose rule is not written here (``time``, ``duration``, a ``format``
given in strftime terms, a zone other than UTC) is reported by :func:`unsupported`, and the
caller reads the data with accord's readers instead: never a near-miss reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.compile.dtypes_spark import spark_type_name
from accord.contract.model import Field_
from accord.contract.params import UTC_NAMES
from accord.contract.types import FLOAT_TYPES, INTEGER_RANGES, INTEGER_TYPES

if TYPE_CHECKING:
    from pyspark.sql import Column

_INT = r"^[+-]?[0-9]+\z"
_FLOAT = r"^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))\z"
_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\z"
_BOOL = r"^(?i:true|false|1|0)\z"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\z"
_LOOSE_DATE = r"^([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})\z"
_TIMESTAMP = (
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?\z"
)
_FRACTION_DIGITS = r"^[+-]?[0-9]*\.([0-9]*?)0*\z"
DECIMAL_MAX = 38


@dataclass(frozen=True)
class Settled:
    """What converting a field depends on in its whole column (``text_parse.Settled``): whether
    every value of a ``number`` field is an integer, the most fraction digits of a ``decimal``
    field without precision or scale."""

    integral: bool = True
    decimal_scale: int = 0


@dataclass(frozen=True)
class TextRule:
    """How one column of text becomes typed values (see ``text_parse.Parse``)."""

    value: Column
    """The typed value; null where the text is null or a problem applies."""
    problems: tuple[tuple[Column, str], ...]
    """``(mask, reason)``: never null, true only on present texts that fail."""


def unsupported(spec: Field_) -> str | None:
    """Why a field's text cannot be converted by Spark exactly as accord's reader does; None
    when it can."""
    if spec.type in ("time", "duration"):
        return f"{spec.type} fields are read by accord's own reader"
    if spec.type == "date" and spec.format not in (None, "%Y-%m-%d"):
        return f"a date format other than %Y-%m-%d ({spec.format}) is read by accord's own reader"
    if spec.type == "timestamp" and spec.format is not None:
        return "a timestamp format (strftime) is read by accord's own reader"
    if spec.type == "timestamp" and spec.tz is not None and spec.tz not in UTC_NAMES:
        return f"a timestamp in zone {spec.tz} is read by accord's own reader"
    if spec.type == "decimal" and (spec.precision or 0) > DECIMAL_MAX:
        return f"a decimal of precision {spec.precision} is read by accord's own reader"
    return None


def _bad(text: Column, mask: Column) -> Column:
    return f.coalesce(text.isNotNull() & mask, f.lit(False))


def _matches(text: Column, pattern: str) -> Column:
    return f.coalesce(text.rlike(pattern), f.lit(False))


def _guarded(value: Column, problems: list[tuple[Column, str]]) -> TextRule:
    failing = f.lit(False)
    for mask, _ in problems:
        failing = failing | mask
    return TextRule(f.when(~failing, value), tuple(problems))


def _integer(text: Column, logical_type: str, target: str) -> TextRule:
    low, high = INTEGER_RANGES[logical_type]
    syntax = _matches(text, _INT)
    wide = f.when(syntax, text.try_cast("decimal(38,0)"))  # null beyond 38 digits: out of range
    # bounds as decimals: a Python int beyond int64 (uint64's top) is no Spark literal
    bounds = [f.lit(str(bound)).cast("decimal(38,0)") for bound in (low, high)]
    in_range = f.coalesce((wide >= bounds[0]) & (wide <= bounds[1]), f.lit(False))
    return _guarded(
        wide.try_cast(target),
        [
            (_bad(text, ~syntax), f"not an {logical_type}"),
            (_bad(text, syntax & ~in_range), f"out of range for {logical_type} ({low} to {high})"),
        ],
    )


def _float(text: Column, logical_type: str, reason: str) -> TextRule:
    target = "float" if logical_type == "float32" else "double"
    value = text.try_cast(target)
    finite_text = ~f.coalesce(text.rlike("(?i:nan|inf)"), f.lit(False))
    infinite = f.coalesce(f.abs(value) == f.lit(float("inf")), f.lit(False))
    return _guarded(
        value,
        [
            (_bad(text, ~_matches(text, _FLOAT)), reason),
            (_bad(text, finite_text & infinite), f"too large for {logical_type}"),
        ],
    )


def _decimal(text: Column, precision: int, scale: int) -> TextRule:
    syntax = _matches(text, _DECIMAL)
    int_digits = f.length(f.regexp_extract(text, r"^[+-]?0*([0-9]*)", 1))
    frac_digits = f.length(f.regexp_extract(text, r"\.([0-9]*?)0*\z", 1))
    return _guarded(
        text.try_cast(f"decimal({precision},{scale})"),
        [
            (_bad(text, ~syntax), "not a decimal number"),
            (
                _bad(text, syntax & (frac_digits > scale)),
                f"more than {scale} digits after the decimal point (scale {scale})",
            ),
            (
                _bad(text, syntax & (int_digits > precision - scale)),
                f"more than {precision - scale} digits before the decimal point "
                f"(precision {precision}, scale {scale})",
            ),
        ],
    )


def _bool(text: Column) -> TextRule:
    value = f.lower(text).isin("true", "1")
    return _guarded(value, [(_bad(text, ~_matches(text, _BOOL)), "not a bool (true/false/1/0)")])


def _date(text: Column, fmt: str | None) -> TextRule:
    if fmt is None:
        value = f.when(_matches(text, _DATE), f.try_to_date(text, "yyyy-MM-dd"))
    else:  # "%Y-%m-%d" given: polars' strptime takes 1-4 year digits, 1-2 month and day digits
        found = [f.regexp_extract(text, _LOOSE_DATE, i) for i in (1, 2, 3)]
        padded = f.concat_ws(
            "-", f.lpad(found[0], 4, "0"), f.lpad(found[1], 2, "0"), f.lpad(found[2], 2, "0")
        )
        value = f.when(_matches(text, _LOOSE_DATE), f.try_to_date(padded, "yyyy-MM-dd"))
    held = f.coalesce(f.year(value) >= 1, f.lit(False))  # year 0000 parses; no engine holds it
    return _guarded(value, [(_bad(text, value.isNull() | ~held), "not a date in format %Y-%m-%d")])


def _timestamp(text: Column, tz: str | None) -> TextRule:
    def part(index: int) -> Column:
        found = f.regexp_extract(text, _TIMESTAMP, index)
        return f.when(found != "", found)

    syntax = _matches(text, _TIMESTAMP)
    fraction = f.coalesce(part(7), f.lit(""))
    micros = f.rpad(f.substring(fraction, 1, 6), 6, "0")
    second = f.coalesce(part(6), f.lit("00"))
    seconds = f.concat(second, f.lit("."), micros).try_cast("decimal(8,6)")
    year, month, day, hour, minute = (part(i).try_cast("int") for i in range(1, 6))
    held_year = f.coalesce(year >= 1, f.lit(False))  # year 0000 parses; no engine holds it
    # make_timestamp rolls second 60 over into the next minute; polars refuses it
    calendar = f.try_make_timestamp(year, month, day, hour, minute, seconds, f.lit("UTC"))
    valid_second = f.coalesce(second.try_cast("int") <= 59, f.lit(False))
    offset = f.regexp_replace(f.upper(part(8)), ":", "")
    hours = f.coalesce(f.substring(offset, 2, 2).try_cast("int"), f.lit(0))
    minutes = f.coalesce(f.substring(offset, 4, 2).try_cast("int"), f.lit(0))
    sign = f.when(offset.startswith("-"), -1).otherwise(1)
    aware = offset.isNotNull()
    valid_offset = (hours <= 23) & (minutes <= 59)
    problems = [
        (
            _bad(text, ~syntax),
            "not an ISO 8601 timestamp (YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|±HH:MM])",
        ),
        (
            _bad(text, syntax & (calendar.isNull() | ~valid_second | ~valid_offset | ~held_year)),
            "not a valid calendar date, time or UTC offset",
        ),
        (_bad(text, f.substring(fraction, 7, 3).rlike("[1-9]")), "finer than a microsecond"),
    ]
    epoch_micros = f.unix_micros(calendar)
    if tz is None:
        problems.append((_bad(text, aware), "timestamp with a UTC offset for a tz-naive field"))
        epoch = f.lit("1970-01-01 00:00:00").cast("timestamp_ntz")
        return _guarded(f.timestamp_add("MICROSECOND", epoch_micros, epoch), problems)
    problems.append((_bad(text, syntax & ~aware), f"naive timestamp for a tz={tz} field"))
    shift = sign * (hours * 60 + minutes) * f.lit(60_000_000)
    return _guarded(f.timestamp_micros(epoch_micros - shift.cast("bigint")), problems)


def rule(text: Column, spec: Field_, settled: Settled) -> TextRule:
    """How ``text`` becomes values of ``spec.type`` (:func:`unsupported` is None for it)."""
    kind = spec.type
    if kind in INTEGER_TYPES:
        return _integer(text, kind, spark_type_name(spec))
    if kind in FLOAT_TYPES:
        return _float(text, kind, f"not a {kind}")
    if kind == "number":
        if settled.integral:
            value = f.when(_matches(text, _INT), text.try_cast("bigint"))
            return _guarded(value, [(_bad(text, value.isNull()), "not a number")])
        return _float(text, "float64", "not a number")
    if kind == "decimal":
        scale = spec.scale if spec.scale is not None else settled.decimal_scale
        return _decimal(text, spec.precision or DECIMAL_MAX, scale)
    if kind == "bool":
        return _bool(text)
    if kind == "date":
        return _date(text, spec.format)
    if kind == "timestamp":
        return _timestamp(text, spec.tz)
    return TextRule(text, ())  # string, category: text is the value


def settling(text: Column, spec: Field_) -> Column | None:
    """The aggregate a field's conversion depends on (``text_parse.settle``), or None."""
    if spec.type == "number":
        whole = _matches(text, _INT) & text.try_cast("bigint").isNotNull()
        return f.bool_and(text.isNull() | whole)
    if spec.type == "decimal" and spec.scale is None and spec.precision is None:
        found = f.regexp_extract(text, _FRACTION_DIGITS, 1)
        return f.max(f.when(text.rlike(_FRACTION_DIGITS), f.length(found)))
    return None


def settled_of(spec: Field_, aggregate: object) -> Settled:
    """:class:`Settled` from the aggregate :func:`settling` gave, as collected."""
    if spec.type == "number":
        return Settled(integral=aggregate is None or bool(aggregate))
    if isinstance(aggregate, int):
        return Settled(decimal_scale=min(aggregate, DECIMAL_MAX))
    return Settled()
