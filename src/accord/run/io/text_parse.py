"""Text cells to typed values, as polars expressions shared by the CSV and JSON Lines readers.

Every rule is strict. A cell that breaks one is a *failure*: null in the typed frame and recorded
with its row and original text, never rounded, wrapped, truncated, re-zoned or guessed (SPEC 1.3).

- integers (``int8`` .. ``uint64``, ``integer``): an optional sign and ASCII digits, nothing else
  (no spaces, separators, decimal point or exponent), within the width's range. Parsed through
  Int128, never through a float, so ids above 2**53 keep their exact value.
- floats: decimal or exponent notation, ``NaN``, ``inf``, ``infinity`` (any case, optional sign). A
  finite text too large for the width (``1e400``, ``1e39`` for float32) is a failure, not ``inf``.
- ``number``: int64 when every value of the column is an integer that fits int64, else float64.
- ``decimal``: plain decimal notation; more digits after the point than ``scale`` (trailing zeros
  aside) or more before it than ``precision - scale`` is a failure. ``scale`` defaults to 0 when
  ``precision`` is given, else to the most fraction digits in the column; ``precision`` to 38.
- ``bool``: ``true``/``false`` in any case, ``1``/``0``.
- ``date``: the field's ``format`` applied strictly (default exactly ``YYYY-MM-DD``).
- ``date`` and ``timestamp``: years 0001 to 9999 only, written without a sign, the range every
  engine holds (polars alone would take year 0, ``-0001`` or ``+2020`` through ``%Y``).
  ISO timestamps and times (no ``format``) take seconds to 59: a ``:60`` (a leap second) is a
  failure, never rolled into the next minute as polars would. (Under a ``format``, polars'
  parser rolls it before accord sees it; Spark refuses it.)
- ``timestamp``: the ``format`` if given, else ISO 8601 ``YYYY-MM-DD[T ]HH:MM[:SS[.f]]`` with an
  optional ``Z``/``±HH:MM``/``±HHMM`` (a date alone is not a timestamp). With ``tz``, a value must
  carry an offset (``%z`` or a literal trailing ``Z`` in a format) and becomes that instant in the
  zone; naive values are never localized. Without ``tz``, a value with an offset is a failure.
  Microsecond resolution: nonzero digits beyond it are a failure.
- ``time``: ``HH:MM[:SS[.fffffffff]]`` or the ``format``.
- ``duration``: the forms of ``accord.contract.params.parse_duration`` (``90m``, ``26h``, ``1.5h``,
  ``7d``, ``2w``) or a plain integer number of seconds; no sign, no ISO ``PT..`` form. Exact to the
  microsecond (``0.1s`` is 100000us; a finer value is a failure), up to 18 digits either side of
  the point, within int64 microseconds.
- ``string``/``category``: kept exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from accord.contract.model import Field_
from accord.contract.types import FLOAT_TYPES, INTEGER_RANGES, INTEGER_TYPES
from accord.errors import DataReadError

# Types whose values are not text and so cannot come from a CSV cell.
NOT_TEXT_TYPES = frozenset({"binary", "list", "struct"})
# Types the JSON Lines reader reads as text so these same rules apply to them.
_TEMPORAL = {"date", "timestamp", "time", "duration"}
PARSED_TYPES = INTEGER_TYPES | FLOAT_TYPES | _TEMPORAL | {"number", "decimal", "bool"}

INT_RE = r"^[+-]?[0-9]+$"
FLOAT_RE = r"^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))$"
DECIMAL_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
BOOL_RE = r"^(?i:true|false|1|0)$"
ISO_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ISO_TIMESTAMP_RE = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?$"
)
TIME_RE = r"^([0-9]{2}:[0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?$"
DURATION_RE = r"^([0-9]+)(?:\.([0-9]{1,18}))?([smhdw])$"
_DURATION_UNIT_US = dict(
    zip("smhdw", (10**6 * s for s in (1, 60, 3600, 86400, 604800)), strict=True)
)
# Nonzero digits past the sixth after a point: precision a microsecond timestamp would drop.
_SUB_MICROSECOND_RE = r"\.[0-9]{6}[0-9]*[1-9]"
_POLARS_DECIMAL_MAX = 38
_I128 = pl.Int128
_INTEGER_DTYPES: dict[str, pl.DataType] = {
    "integer": pl.Int64(),
    **{type(d).__name__.lower(): d for d in (pl.Int8(), pl.Int16(), pl.Int32(), pl.Int64())},
    **{type(d).__name__.lower(): d for d in (pl.UInt8(), pl.UInt16(), pl.UInt32(), pl.UInt64())},
}
_T = pl.col("text")
_P = pl.col("parts")


@dataclass(frozen=True)
class Parse:
    """How one column of text becomes typed values."""

    value: pl.Expr
    """The typed value; null where the text is null and wherever a problem below applies."""
    problems: tuple[tuple[pl.Expr, str], ...]
    """``(mask, reason)``: masks that may be true only on non-null texts that fail."""
    prelude: tuple[pl.Expr, ...] = ()
    """Columns (``parts``) computed once before ``value`` and ``problems``, which read them."""


@dataclass(frozen=True)
class Settled:
    """What :func:`parse` must know of a whole column: whether every value of a ``number`` field
    is an integer, and the most fraction digits of a ``decimal`` field without a declared scale.
    Data read in parts merges the parts' answers (:meth:`merge`), so every part converts alike."""

    integral: bool = True
    decimal_scale: int = 0

    def merge(self, other: Settled) -> Settled:
        return Settled(
            self.integral and other.integral, max(self.decimal_scale, other.decimal_scale)
        )


@dataclass
class Converted:
    frame: pl.DataFrame
    cell_failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    failure_reasons: dict[str, str] = field(default_factory=dict)
    null_token_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failure_causes: dict[str, frozenset[str]] = field(default_factory=dict)
    """The problems behind each field's failures; :func:`failure_reason` words a union of them."""
    failure_flags: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Per field with failures: ``row`` and, per problem of its rule, a column named by the
    problem's reason, true where that problem applies: the causes of any range of rows."""


def _lit(value: int) -> pl.Expr:
    return pl.lit(value, dtype=_I128)


def _bad(mask: pl.Expr) -> pl.Expr:
    """``mask`` on present texts only, never null, so masks combine with plain boolean logic."""
    return (_T.is_not_null() & mask).fill_null(value=False)


def _guarded(
    value: pl.Expr, problems: list[tuple[pl.Expr, str]], prelude: tuple[pl.Expr, ...] = ()
) -> Parse:
    failing = pl.any_horizontal([mask for mask, _ in problems]) if problems else pl.lit(value=False)
    return Parse(pl.when(~failing).then(value), tuple(problems), prelude)


def _integer(logical_type: str) -> Parse:
    low, high = INTEGER_RANGES[logical_type]
    wide = _T.str.to_integer(dtype=_I128, strict=False)  # None when even Int128 cannot hold it
    syntax = _T.str.contains(INT_RE)
    return _guarded(
        wide.cast(_INTEGER_DTYPES[logical_type], strict=False),
        [
            (_bad(~syntax), f"not an {logical_type}"),
            (
                _bad(syntax & ~wide.is_between(_lit(low), _lit(high)).fill_null(value=False)),
                f"out of range for {logical_type} ({low} to {high})",
            ),
        ],
    )


def _float(logical_type: str, reason: str) -> Parse:
    dtype = pl.Float32 if logical_type == "float32" else pl.Float64
    value = _T.cast(dtype, strict=False)
    finite_text = ~_T.str.contains(r"(?i:nan|inf)")
    return _guarded(
        value,
        [
            (_bad(~_T.str.contains(FLOAT_RE)), reason),
            (_bad(finite_text & value.is_infinite()), f"too large for {logical_type}"),
        ],
    )


def _decimal(precision: int, scale: int) -> Parse:
    int_digits = _T.str.extract(r"^[+-]?0*([0-9]*)", 1).str.len_chars()
    frac_digits = _T.str.extract(r"\.([0-9]*?)0*$", 1).fill_null("").str.len_chars()
    return _guarded(
        _T.cast(pl.Decimal(precision, scale), strict=False),
        [
            (_bad(~_T.str.contains(DECIMAL_RE)), "not a decimal number"),
            (
                _bad(_T.str.contains(DECIMAL_RE) & (frac_digits > scale)),
                f"more than {scale} digits after the decimal point (scale {scale})",
            ),
            (
                _bad(_T.str.contains(DECIMAL_RE) & (int_digits > precision - scale)),
                f"more than {precision - scale} digits before the decimal point "
                f"(precision {precision}, scale {scale})",
            ),
        ],
    )


def _bool() -> Parse:
    value = _T.str.to_lowercase().is_in(["true", "1"])
    return _guarded(value, [(_bad(~_T.str.contains(BOOL_RE)), "not a bool (true/false/1/0)")])


def _padded(text: pl.Expr, fmt: str) -> pl.Expr:
    """True where polars would skip whitespace around a value that the format does not allow."""
    if fmt != fmt.strip():
        return pl.lit(value=False)
    return text != text.str.strip_chars()


def _outside_years(value: pl.Expr) -> pl.Expr:
    """True where a parsed date or time lies outside years 0001-9999: Spark, Python and pandas
    cannot all hold it, so no engine takes it from text."""
    return ~value.dt.year().is_between(1, 9999)


def _signed_year(text: pl.Expr, fmt: str) -> pl.Expr:
    """True where polars' ``%Y`` took a sign: a ``+`` the format does not write (a ``-`` before
    the year gives a year below 1, which :func:`_outside_years` refuses)."""
    if "%Y" not in fmt or "+" in fmt or re.search(r"%[:#]?z", fmt):
        return pl.lit(value=False)
    return text.str.contains("+", literal=True)


def _date(fmt: str | None) -> Parse:
    pattern = fmt or "%Y-%m-%d"
    value = _T.str.to_date(pattern, strict=False, exact=True)
    syntax = _T.str.contains(ISO_DATE_RE) if fmt is None else ~_padded(_T, pattern)
    unheld = _outside_years(value) | _signed_year(_T, pattern)
    return _guarded(
        value, [(_bad(~syntax | value.is_null() | unheld), f"not a date in format {pattern}")]
    )


def _time(fmt: str | None) -> Parse:
    if fmt is not None:
        value = _T.str.strptime(pl.Time, fmt, strict=False, exact=True)
        return _guarded(
            value, [(_bad(_padded(_T, fmt) | value.is_null()), f"not a time in format {fmt}")]
        )
    parts = (_T.str.extract_groups(TIME_RE).alias("parts"),)
    canonical = pl.concat_str(
        _P.struct[0],
        pl.lit(":"),
        _P.struct[1].fill_null("00"),
        pl.lit("."),
        _P.struct[2].fill_null("0"),
    )
    value = canonical.str.strptime(pl.Time, "%H:%M:%S%.f", strict=False, exact=True)
    leap = _P.struct[1] > "59"  # polars rolls :60 into the next minute
    return _guarded(
        value, [(_bad(value.is_null() | leap), "not a time written HH:MM[:SS[.ffffff]]")], parts
    )


def _timestamp(fmt: str | None, tz: str | None) -> Parse:
    if fmt is not None:
        return _formatted_timestamp(fmt, tz)
    # The regex runs once, into a ``parts`` column that every expression below reads.
    parts = (_T.str.extract_groups(ISO_TIMESTAMP_RE).alias("parts"),)
    fraction = _P.struct[3]
    canonical = pl.concat_str(
        _P.struct[0],
        pl.lit("T"),
        _P.struct[1],
        pl.lit(":"),
        _P.struct[2].fill_null("00"),
        pl.lit("."),
        fraction.fill_null("0").str.slice(0, 6),
    )
    naive = canonical.str.strptime(
        pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f", strict=False, exact=True
    )
    offset = _P.struct[4].str.to_uppercase().str.replace(":", "", literal=True)
    hours = offset.str.slice(1, 2).cast(pl.Int64, strict=False).fill_null(0)
    minutes = offset.str.slice(3, 2).cast(pl.Int64, strict=False).fill_null(0)
    sign = pl.when(offset.str.starts_with("-")).then(-1).otherwise(1)
    aware = offset.is_not_null()
    syntax = _P.struct[0].is_not_null()
    # polars rolls a :60 second into the next minute; the year 0000 parses too
    unheld = (_P.struct[2] > "59") | _outside_years(naive)
    problems = [
        (_bad(~syntax), "not an ISO 8601 timestamp (YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|±HH:MM])"),
        (
            _bad(syntax & (naive.is_null() | (hours > 23) | (minutes > 59) | unheld)),
            "not a valid calendar date, time or UTC offset",
        ),
        (_bad(fraction.str.slice(6).str.contains("[1-9]")), "finer than a microsecond"),
    ]
    if tz is None:
        problems.append((_bad(aware), "timestamp with a UTC offset for a tz-naive field"))
        return _guarded(naive, problems, parts)
    problems.append((_bad(syntax & ~aware), f"naive timestamp for a tz={tz} field"))
    instant = naive - pl.duration(minutes=sign * (hours * 60 + minutes))
    return _guarded(instant.dt.replace_time_zone("UTC").dt.convert_time_zone(tz), problems, parts)


def _formatted_timestamp(fmt: str, tz: str | None) -> Parse:
    parsed = _T.str.to_datetime(fmt, time_unit="us", strict=False, exact=True)
    has_offset = re.search(r"%[:#]?z", fmt) is not None
    if not has_offset and re.search(r"(?<!%)Z$", fmt):  # a literal Z: the values are UTC
        has_offset, parsed = True, parsed.dt.replace_time_zone("UTC")
    unheld = _outside_years(parsed) | _signed_year(_T, fmt)
    problems = [
        (
            _bad(_padded(_T, fmt) | parsed.is_null() | unheld),
            f"not a timestamp in format {fmt}",
        )
    ]
    if re.search(r"%\.?[0-9]?f", fmt):
        problems.append((_bad(_T.str.contains(_SUB_MICROSECOND_RE)), "finer than a microsecond"))
    # A format with %z gives UTC instants, one without gives naive values; a mismatch with the
    # field's tz fails every value, and the (all-null) column still gets the declared dtype.
    if tz is not None and not has_offset:
        problems.append(
            (
                _bad(pl.lit(value=True)),
                f"naive timestamp for a tz={tz} field (the format has no %z)",
            )
        )
        parsed = parsed.dt.replace_time_zone(tz, ambiguous="null", non_existent="null")
    elif tz is None and has_offset:
        problems.append(
            (_bad(pl.lit(value=True)), "timestamp with a UTC offset for a tz-naive field")
        )
        parsed = parsed.dt.replace_time_zone(None)
    elif tz is not None:
        parsed = parsed.dt.convert_time_zone(tz)
    return _guarded(parsed, problems)


def _duration() -> Parse:
    seconds = pl.when(_T.str.contains(r"^[0-9]+$")).then(_T + "s").otherwise(_T)
    parts = (seconds.str.extract_groups(DURATION_RE).alias("parts"),)
    # At most 18 digits before the point keep every product below within Int128 (no wrapping).
    whole = _P.struct[0].str.to_integer(dtype=_I128, strict=False)
    whole = pl.when(_P.struct[0].str.len_chars() <= 18).then(whole)
    # The fraction as an integer count of 1e-18 units keeps 1.5h and 0.1s exact.
    padded = _P.struct[1].fill_null("").str.pad_end(18, "0")
    unit = _P.struct[2].replace_strict(_DURATION_UNIT_US, default=None, return_dtype=_I128)
    scaled = padded.str.to_integer(dtype=_I128, strict=False) * unit
    micros = whole * unit + scaled // _lit(10**18)
    syntax = _P.struct[0].is_not_null()
    in_range = micros.is_between(_lit(0), _lit(2**63 - 1)).fill_null(value=False)
    return _guarded(
        micros.cast(pl.Int64, strict=False).cast(pl.Duration("us")),
        [
            (_bad(~syntax), "not a duration (90m, 26h, 1.5h, 7d, 2w or whole seconds)"),
            (_bad(syntax & (scaled % _lit(10**18) != 0)), "finer than a microsecond"),
            (_bad(syntax & ~in_range), "too long for a duration"),
        ],
        parts,
    )


def parse(spec: Field_, *, integral: bool = False, decimal_scale: int = 0) -> Parse:
    """How the text column ``text`` becomes values of ``spec.type``.

    ``integral`` settles a ``number`` field (every value an integer) and ``decimal_scale`` a
    ``decimal`` field without a declared scale; :func:`convert_text` works both out from the data.
    """
    kind = spec.type
    if kind in INTEGER_TYPES:
        return _integer(kind)
    if kind in FLOAT_TYPES:
        return _float(kind, f"not a {kind}")
    if kind == "number":
        if integral:
            value = _T.str.to_integer(dtype=pl.Int64, strict=False)
            return _guarded(value, [(_bad(value.is_null()), "not a number")])
        return _float("float64", "not a number")
    if kind == "decimal":
        scale = spec.scale if spec.scale is not None else decimal_scale
        return _decimal(spec.precision or _POLARS_DECIMAL_MAX, scale)
    if kind == "bool":
        return _bool()
    if kind == "date":
        return _date(spec.format)
    if kind == "timestamp":
        return _timestamp(spec.format, spec.tz)
    if kind == "time":
        return _time(spec.format)
    if kind == "duration":
        return _duration()
    return Parse(_T, ())  # string, category: text is the value


def needs_settling(spec: Field_) -> bool:
    """Whether converting ``spec``'s values depends on the whole column (see :class:`Settled`)."""
    unscaled = spec.type == "decimal" and spec.scale is None and spec.precision is None
    return spec.type == "number" or unscaled


def settle(text: pl.Series, spec: Field_) -> Settled:
    """:class:`Settled` read from a column of text (nulls say nothing)."""
    frame = text.rename("text").to_frame()
    if spec.type == "number":
        whole = (
            _T.str.contains(INT_RE) & _T.str.to_integer(dtype=pl.Int64, strict=False).is_not_null()
        )
        return Settled(integral=bool(frame.select((_T.is_null() | whole).all()).item()))
    if needs_settling(spec):
        digits = _T.str.extract(r"^[+-]?[0-9]*\.([0-9]*?)0*$", 1).str.len_chars().max()
        found = frame.select(digits).item()
        return Settled(decimal_scale=min(int(found or 0), _POLARS_DECIMAL_MAX))
    return Settled()


def _rule(spec: Field_, settled: Settled) -> Parse:
    return parse(spec, integral=settled.integral, decimal_scale=settled.decimal_scale)


def failure_reason(spec: Field_, causes: Collection[str], settled: Settled | None = None) -> str:
    """The reason text for failures with these causes, in the order the rule lists them."""
    rule = _rule(spec, settled or Settled())
    return "; ".join(why for _, why in rule.problems if why in causes) or f"not a {spec.type}"


def _convert(
    text: pl.Series, spec: Field_, name: str, settled: Settled
) -> tuple[pl.Series, pl.DataFrame, frozenset[str], pl.DataFrame]:
    if spec.type == "decimal" and (spec.precision or 0) > _POLARS_DECIMAL_MAX:
        raise DataReadError(
            f"field {name!r}: decimal precision {spec.precision} is more than the "
            f"{_POLARS_DECIMAL_MAX} digits polars can hold"
        )
    frame = text.rename("text").to_frame()
    rule = _rule(spec, settled)
    try:
        frame = frame.with_columns(*rule.prelude).with_columns(rule.value.alias("value"))
    except pl.exceptions.PolarsError as error:  # e.g. a format polars cannot use
        raise DataReadError(f"field {name!r}: cannot read values as {spec.type}: {error}") from None
    failing = frame.with_row_index("row").filter(_T.is_not_null() & pl.col("value").is_null())
    failures = failing.select(pl.col("row").cast(pl.UInt64), _T.alias("value"))
    causes: frozenset[str] = frozenset()
    reasons = list(dict.fromkeys(why for _, why in rule.problems))
    flags = pl.DataFrame(schema={"row": pl.UInt64, **dict.fromkeys(reasons, pl.Boolean)})
    if failing.height:
        # One column per reason (a reason two masks share is either of them).
        by_reason = {
            why: pl.any_horizontal([m for m, w in rule.problems if w == why]) for why in reasons
        }
        flags = failing.select(
            pl.col("row").cast(pl.UInt64), *[mask.alias(why) for why, mask in by_reason.items()]
        )
        hits = flags.select(pl.col(reasons).any()).row(0) if reasons else ()
        causes = frozenset(why for why, hit in zip(reasons, hits, strict=True) if hit)
    return frame.get_column("value").rename(name), failures, causes, flags


def convert_column(
    text: pl.Series, spec: Field_, *, name: str, settled: Settled | None = None
) -> tuple[pl.Series, pl.DataFrame, str]:
    """Typed values, failures (``row``, ``value``) and the reason text for one column of text.

    ``settled`` gives what the whole column says when ``text`` is only part of it; by default it
    is read from ``text``.
    """
    known = settled or settle(text, spec)
    values, failures, causes, _ = _convert(text, spec, name, known)
    return values, failures, failure_reason(spec, causes, known) if failures.height else ""


def _without_tokens(column: pl.Series, tokens: list[str]) -> tuple[pl.Series, dict[str, int]]:
    """``column`` with the null tokens made null, and how often each non-empty one was found."""
    if not tokens or column.dtype != pl.String:
        return column, {}
    counts = {tok: int((column == tok).sum()) for tok in tokens if tok != ""}
    return (
        column.set(column.is_in(tokens).fill_null(value=False), None),
        {tok: n for tok, n in counts.items() if n},
    )


def _parsed_columns(
    frame: pl.DataFrame,
    fields: Mapping[str, Field_],
    null_values: Sequence[str],
    parse_columns: Collection[str] | None,
) -> Iterator[tuple[int, str, pl.Series, dict[str, int], Field_ | None]]:
    """Each column of ``frame`` under the plain name ``text``, null tokens applied, with the
    field that converts it (None: it stays as it is)."""
    tokens = list(dict.fromkeys(null_values))
    for index, name in enumerate(frame.columns):
        # Series methods run as expressions on the series' name, so a column named "*" or
        # "^a.*$" would select other columns: work under a plain name, restore it at the end.
        column, counts = _without_tokens(frame.get_column(name).rename("text"), tokens)
        spec = fields.get(name)
        if parse_columns is not None and name not in parse_columns:
            spec = None
        yield index, name, column, counts, spec


def settle_text(
    frame: pl.DataFrame,
    fields: Mapping[str, Field_],
    *,
    null_values: Sequence[str] = (),
    parse_columns: Collection[str] | None = None,
) -> dict[str, Settled]:
    """:class:`Settled` of each column of ``frame`` that :func:`convert_text` converts and whose
    conversion depends on the whole column, as :func:`convert_text` would read it."""
    return {
        name: settle(column, spec)
        for _, name, column, _, spec in _parsed_columns(frame, fields, null_values, parse_columns)
        if spec is not None and needs_settling(spec)
    }


def convert_text(
    frame: pl.DataFrame,
    fields: Mapping[str, Field_],
    *,
    null_values: Sequence[str] = (),
    parse_columns: Collection[str] | None = None,
    settled: Mapping[str, Settled] | None = None,
) -> Converted:
    """Null tokens applied to every text column, then declared fields converted to their types.

    ``parse_columns`` limits conversion (JSON Lines converts only the fields it read as text);
    by default every declared field present is converted. Undeclared columns stay text.
    ``settled`` holds, for a frame that is part of a dataset, what the whole dataset's columns
    say (:func:`settle_text`); by default each column is read from ``frame``.
    """
    result = Converted(frame.clone())  # shallow: replacing columns must not touch the caller's
    parsed = _parsed_columns(frame, fields, null_values, parse_columns)
    for index, name, text, counts, spec in parsed:
        column = text
        if counts:
            result.null_token_counts[name] = counts
        if spec is not None:
            known = (settled or {}).get(name) or settle(text, spec)
            column, failures, causes, flags = _convert(text, spec, name, known)
            if failures.height:
                result.cell_failures[name] = failures
                result.failure_reasons[name] = failure_reason(spec, causes, known)
                result.failure_causes[name] = causes
                result.failure_flags[name] = flags
        result.frame.replace_column(index, column.rename(name))
    return result
