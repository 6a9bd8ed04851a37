"""Reference statistics: what ``accord profile`` records and drift checks compare against.

Every column goes through Arrow (``pyarrow``, already a dependency) before any statistic is taken:
pandas and polars both hand their columns over losslessly, so one code path computes the numbers
and a profile built from the same data is the same JSON whichever engine held it. Floats are
rounded to 12 significant digits so last-bit differences in summation order cannot show.

Null means every null kind (None, NaN, NaT, pd.NA), as in validation. Numeric statistics (bins,
quantiles, mean, std, min, max) are taken over finite values; +-inf still lands in an outer bin.
Categories of ``pii: true`` fields are stored as SHA-256 prefixes, never in clear (a hash is not
anonymisation: keep a stats file as private as the data's aggregates). Of a ``pii: true`` number,
date or timestamp nothing made of its values is stored (bin edges and quantiles are data values,
min and max are the extreme ones, a mean of few rows is one): only its counts and null fraction,
marked ``values_withheld``, so drift checks null_fraction_delta and says it skipped the rest.

This module takes the statistics of a frame held whole, from every value (``"method": "exact"``);
``profiling.ProfileBuilder`` takes them batch by batch, in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from accord.contract.model import ContractModel
from accord.contract.types import NUMERIC_TYPES
from accord.drift.metrics import OTHER, FloatArray
from accord.drift.reference import (
    CategoricalStats,
    ContractId,
    FieldStats,
    Kind,
    NumericStats,
    OtherStats,
    ReferenceProfile,
    TemporalStats,
    round_float,
)
from accord.engines.base import Measuring, UnfitColumnError
from accord.engines.registry import engine_for
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.engines.base import Engine

__all__ = [
    "ColumnData",
    "build_profile",
    "categorical_stats",
    "category_key",
    "kind_of",
    "numeric_stats",
    "read_column",
    "withheld_stats",
]

BINS = 10
QUANTILES = 101
MAX_CATEGORIES = 100


def kind_of(logical: str) -> Kind:
    """Which statistics a logical type gets."""
    if logical in NUMERIC_TYPES:
        return "numeric"
    if logical in ("string", "category", "bool"):
        return "categorical"
    if logical in ("date", "timestamp"):
        return "temporal"
    return "other"


def category_key(value: str, *, hashed: bool) -> str:
    """The key a category is stored under: itself, or a SHA-256 prefix for pii fields."""
    if not hashed:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_NUMERIC_ARROW = (pa.types.is_integer, pa.types.is_floating, pa.types.is_decimal)


class ColumnData:
    """One column, read once through Arrow, in the form its kind's statistics need."""

    def __init__(self, array: pa.Array, kind: Kind) -> None:
        self.rows = len(array)
        self.kind = kind
        self.values: FloatArray = np.array([], dtype=np.float64)
        self.counts: dict[str, int] = {}
        self.extremes: tuple[Any, str] | None = None
        """Temporal: the least and greatest value as a datetime64 array, and the zone."""
        nulls = array.null_count
        if pa.types.is_null(array.type):
            pass  # all null and of no type (polars' Null): every kind reads it as nulls only
        elif kind == "numeric":
            if not any(test(array.type) for test in _NUMERIC_ARROW):
                raise TypeError(f"a numeric field holds {array.type}")
            # safe=False: an id above 2**53 loses its last digits, which no statistic notices.
            floats = pc.cast(array, pa.float64(), safe=False).to_numpy(zero_copy_only=False)
            self.values = floats[~np.isnan(floats)]
            nulls = self.rows - len(self.values)
        elif kind == "categorical":
            self.counts = _value_counts(array)
        elif kind == "temporal":
            self.extremes = _temporal_extremes(array)
        self.null_count = nulls

    @classmethod
    def summary(
        cls,
        kind: Kind,
        rows: int,
        null_count: int,
        *,
        values: FloatArray | None = None,
        counts: dict[str, int] | None = None,
        extremes: tuple[Any, str] | None = None,
    ) -> ColumnData:
        """A column known from merged batch summaries rather than read whole."""
        column = cls(pa.array([], type=pa.null()), kind)
        column.rows, column.null_count = rows, null_count
        if values is not None:
            column.values = values
        column.counts = counts or {}
        column.extremes = extremes
        return column

    @property
    def bounds(self) -> tuple[str | None, str | None]:
        """Temporal: the least and greatest value as ISO text."""
        return iso_bounds(self.extremes)

    @property
    def count(self) -> int:
        return int(self.rows - self.null_count)

    @property
    def null_fraction(self) -> float:
        return self.null_count / self.rows if self.rows else 0.0


def _value_counts(array: pa.Array) -> dict[str, int]:
    kind = array.type
    if not (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_integer(kind)  # integer-coded categories
    ):
        raise TypeError(f"a text field holds {kind}")
    counted = pc.value_counts(pc.cast(array, pa.large_string()))
    values = counted.field("values").to_pylist()
    counts = counted.field("counts").to_pylist()
    return {v: int(c) for v, c in zip(values, counts, strict=True) if v is not None}


def _temporal_extremes(array: pa.Array) -> tuple[Any, str] | None:
    kind = array.type
    if pa.types.is_date(kind):
        days = pc.cast(pc.cast(array, pa.date32()), pa.int32())
        extremes = pc.min_max(days)
        low, high = extremes["min"].as_py(), extremes["max"].as_py()
        unit, zone = "D", "naive"
    elif pa.types.is_timestamp(kind):
        extremes = pc.min_max(pc.cast(array, pa.int64()))
        low, high = extremes["min"].as_py(), extremes["max"].as_py()
        unit, zone = kind.unit, "UTC" if kind.tz else "naive"
    else:
        raise TypeError(f"a date or timestamp field holds {kind}")
    if low is None:
        return None
    return np.array([low, high], dtype=f"datetime64[{unit}]"), zone


def merged_extremes(
    one: tuple[Any, str] | None, other: tuple[Any, str] | None
) -> tuple[Any, str] | None:
    """The extremes of two batches of the same column together."""
    if one is None or other is None:
        return one or other
    both = np.concatenate([one[0], other[0]])
    return np.array([both.min(), both.max()]), one[1]


def iso_bounds(extremes: tuple[Any, str] | None) -> tuple[str | None, str | None]:
    """Extremes as ISO 8601 text, time-zone-aware ones in UTC with a ``Z``."""
    if extremes is None:
        return None, None
    # "auto" picks the coarsest exact unit, so microsecond and nanosecond columns holding the same
    # instants give the same text.
    values, zone = extremes
    first, last = np.datetime_as_string(values, unit="auto", timezone=zone).tolist()  # type: ignore[call-overload]
    return str(first), str(last)


def read_column(frame: Any, name: str, kind: Kind, engine: Engine) -> ColumnData:
    """Column ``name`` of a frame ``engine`` holds, through Arrow.

    Raises ``TypeError`` when the column's data cannot carry its kind's statistics (a numeric
    field holding text, a pandas object column of mixed types).
    """
    try:
        array = engine.arrow_column(frame, name)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
        raise TypeError(str(error).splitlines()[0]) from None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    try:
        return ColumnData(array, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise TypeError(str(error).splitlines()[0]) from None


def numeric_stats(column: ColumnData, bins: int, quantiles: int) -> NumericStats:
    """Exact numeric statistics of a column's values (all of them, not a sketch)."""
    values = np.sort(column.values)  # one sort serves bins, quantiles, min and max
    finite = values[np.isfinite(values)]
    if len(finite):
        # Edges are data values: the k-th decile is the smallest value with F >= k / bins (the
        # empirical quantile), taken with integer arithmetic so no float noise moves an edge. A
        # discrete column so gets whole-value bins, and tied deciles collapse into one edge.
        n = len(finite)
        deciles = [finite[-(-n * k // bins) - 1] for k in range(1, bins)]
        edges = np.unique(np.array([round_float(e) for e in deciles]))
        sketch = [round_float(q) for q in np.quantile(finite, np.linspace(0, 1, quantiles))]
    else:
        edges, sketch = np.array([], dtype=np.float64), []
    positions = np.searchsorted(values, edges, side="left")  # values below each edge
    counts = np.diff(np.concatenate([[0], positions, [len(values)]]))
    enough = len(finite) > 1
    return NumericStats(
        null_fraction=round_float(column.null_fraction),
        count=column.count,
        bin_edges=[float(e) for e in edges],
        bin_counts=[int(c) for c in counts],
        mean=round_float(float(np.mean(finite))) if len(finite) else None,
        std=round_float(float(np.std(finite, ddof=1))) if enough else None,
        min=round_float(float(finite[0])) if len(finite) else None,
        max=round_float(float(finite[-1])) if len(finite) else None,
        quantiles=sketch,
    )


def withheld_stats(column: ColumnData, kind: Kind) -> NumericStats | TemporalStats:
    """Statistics of a pii field that hold no value of it: counts and the null fraction."""
    nulls = round_float(column.null_fraction)
    if kind == "temporal":
        return TemporalStats(
            null_fraction=nulls, count=column.count, min=None, max=None, values_withheld=True
        )
    return NumericStats(
        null_fraction=nulls,
        count=column.count,
        bin_edges=[],
        bin_counts=[column.count],
        mean=None,
        std=None,
        min=None,
        max=None,
        quantiles=[],
        values_withheld=True,
    )


def categorical_stats(
    column: ColumnData, cap: int, *, hashed: bool, distinct: int | None = None, error: int = 0
) -> CategoricalStats:
    """The frequency table of a column's value counts: exact, or from a :class:`FrequentItems`
    whose counts are each at most ``error`` below the truth (``distinct`` then a lower bound)."""
    ranked = sorted(column.counts.items(), key=lambda item: (-item[1], item[0]))
    table = {category_key(value, hashed=hashed): count for value, count in ranked[:cap]}
    other = column.count - sum(table.values())  # the rest, and what a sketch lost track of
    if other:
        table[OTHER] = table.get(OTHER, 0) + other
    return CategoricalStats(
        null_fraction=round_float(column.null_fraction),
        count=column.count,
        distinct=len(ranked) if distinct is None else distinct,
        frequencies=table,
        hashed=hashed,
        method="exact" if error == 0 else "sketch",
        count_error=error,
    )


def build_profile(
    frame: Any,
    contract: ContractModel,
    *,
    profile: str | None = None,
    created_at: dt.datetime | None = None,
    bins: int = BINS,
    quantiles: int = QUANTILES,
    max_categories: int = MAX_CATEGORIES,
    engine: Engine | None = None,
) -> ReferenceProfile:
    """Reference statistics of every contract field present in a pandas or polars ``frame``.

    ``profile`` describes the data under that contract profile (its roles and pii flags).
    Raises ``UsageError`` for a frame of another kind or a column whose data does not fit its
    field's type (validate the data first).
    """
    engine = engine or engine_for(frame)
    contract.check_profile(profile)
    if bins < 1 or quantiles < 2 or max_categories < 1:
        raise UsageError("bins >= 1, quantiles >= 2 and max_categories >= 1 are required")
    model = contract.apply_profile(profile)
    columns = set(frame.columns)
    present = {n: s for n, s in model.fields.items() if n in columns}  # optional ones may lack
    if isinstance(engine, Measuring):  # aggregations where the data lies, no column moved here
        from accord.drift.measured import measured_profile  # noqa: PLC0415 - it builds on this

        try:
            stats = measured_profile(
                frame,
                engine,
                {n: (kind_of(s.type), s.pii) for n, s in present.items()},
                bins=bins,
                quantiles=quantiles,
                max_categories=max_categories,
            )
        except UnfitColumnError as error:
            raise _unfit(error.column, present[error.column].type, error) from None
        return _profile(contract, profile, created_at, engine.height(frame), stats)
    stats = {}
    for name, spec in present.items():
        kind = kind_of(spec.type)
        try:
            column = read_column(frame, name, kind, engine)
        except TypeError as error:
            raise _unfit(name, spec.type, error) from None
        nulls = round_float(column.null_fraction)
        if spec.pii and kind in ("numeric", "temporal"):
            stats[name] = withheld_stats(column, kind)
        elif kind == "numeric":
            stats[name] = numeric_stats(column, bins, quantiles)
        elif kind == "categorical":
            stats[name] = categorical_stats(column, max_categories, hashed=spec.pii)
        elif kind == "temporal":
            low, high = column.bounds
            stats[name] = TemporalStats(null_fraction=nulls, count=column.count, min=low, max=high)
        else:
            stats[name] = OtherStats(null_fraction=nulls, count=column.count)
    return _profile(contract, profile, created_at, engine.height(frame), stats)


def _unfit(name: str, logical: str, error: Exception) -> UsageError:
    return UsageError(
        f"cannot profile field '{name}' ({logical}): {error}; validate the data with "
        "`accord validate` first"
    )


def _profile(
    contract: ContractModel,
    profile: str | None,
    created_at: dt.datetime | None,
    rows: int,
    stats: dict[str, FieldStats],
) -> ReferenceProfile:
    return ReferenceProfile(
        contract=ContractId(name=contract.name, version=contract.version),
        profile=profile,
        created_at=created_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        rows=rows,
        fields=stats,
    )
