"""Checks that judge the dataset as a whole, kept exact when the data arrives in batches.

A batched run (files larger than memory) judges rows one batch at a time, but a key can repeat
across batches and a mean belongs to the whole column. Each such check keeps a summary here, batch
by batch, and is judged once every batch has been seen:

- keys (``unique``, ``primary_key``, ``unique_together``): a 64-bit hash of each row's key, 8 bytes
  a row. Equal keys hash alike, so every duplicated key is among the hashes seen more than once;
  the runner reads the key columns of those rows again and judges them with the very expressions
  an unbatched run uses, so a hash collision can add a candidate but never a failure.
- row counts, null fractions and means: counts and sums added up. A mean is the sum over the
  count, as in one pass; summed in another order, it can differ from a one-pass mean in the last
  bits (never more, unless the values cancel out catastrophically).
- freshness, smallest and largest values: the newest (smallest, largest) value of each batch,
  judged at the end by the very expression a one-pass run uses, in the field's own type.
- medians and standard deviations keep the field's non-null values, and distinct counts and
  unique fractions its distinct values (plus the non-null count), and compute the statistic at
  the end by the same polars function.

So memory grows with the rows by 8 bytes a row per key check, plus what a median, a standard
deviation or a distinct count keeps; everything else is constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from accord.compile.expr_polars import column
from accord.compile.plan import KEY_KINDS, CheckSpec, dataset_wide
from accord.compile.polars_checks import (
    aggregate_passes,
    dataset_check_expr,
    field_check_expr,
    is_missing,
)

_EXEMPT = 0
"""The hash of a row that cannot fail a key check (a null in its key); real hashes of 0 become 1."""


def key_hashes(frame: pl.DataFrame, spec: CheckSpec) -> np.ndarray:
    """A uint64 per row: the hash of its key, or ``_EXEMPT`` when a null or NaN exempts it."""
    names = spec.columns or (spec.field or "",)
    keys, missing = [], []
    for name in names:
        dtype = frame.schema[name]
        key = column(name)
        if spec.kind == "unique":
            missing.append(is_missing(key, spec))
        else:  # as dataset_check_expr: NaN is a null in any float column
            missing.append(key.is_null() | key.is_nan() if dtype.is_float() else key.is_null())
        if isinstance(dtype, pl.Categorical | pl.Enum):
            key = key.cast(pl.String)  # category codes differ between batches; the text does not
        elif dtype.is_float():
            key = key + 0.0  # -0.0 and 0.0 are one key
        keys.append(key)
    # one column hashes alone: a struct of one field costs three times as much, to no avail
    hashed = (keys[0] if len(keys) == 1 else pl.struct(keys)).hash(seed=0)
    hashed = pl.max_horizontal(hashed, pl.lit(1, dtype=pl.UInt64))
    exempt = pl.any_horizontal(missing)
    result = frame.select(
        pl.when(exempt).then(pl.lit(_EXEMPT, dtype=pl.UInt64)).otherwise(hashed).alias("hash")
    )
    return result.to_series().to_numpy()


def among(hashes: np.ndarray, repeated: np.ndarray) -> np.ndarray:
    """The positions in ``hashes`` of a hash in ``repeated``, by polars' hash set: ``np.isin``
    compared every row with each repeated hash in turn (or sorted the rows), ten times slower."""
    if not repeated.size:
        return np.empty(0, dtype=np.int64)
    found = pl.Series(hashes).is_in(pl.Series(repeated).implode())
    return np.flatnonzero(found.to_numpy())


class _KeyHashes:
    """Every row's key hash, in a buffer sized up front when the row count is known (so that
    sorting happens in place, without a second copy)."""

    def __init__(self, expected_rows: int | None) -> None:
        self.buffer = np.empty(expected_rows, dtype=np.uint64) if expected_rows else None
        self.filled = 0
        self.parts: list[np.ndarray] = []

    def add(self, hashes: np.ndarray) -> None:
        end = self.filled + len(hashes)
        if self.buffer is not None and not self.parts and end <= len(self.buffer):
            self.buffer[self.filled : end] = hashes
            self.filled = end
            return
        if self.buffer is not None:  # more rows than announced: fall back to a list of parts
            self.parts.append(self.buffer[: self.filled].copy())
            self.buffer = None
        self.parts.append(hashes)

    def repeated(self) -> np.ndarray:
        """The hashes held by more than one row (sorted, exempt rows excluded); frees the rest."""
        if self.parts:
            every = np.concatenate(self.parts)
            self.parts = []
        elif self.buffer is not None:
            every, self.buffer = self.buffer[: self.filled], None
        else:
            every = np.empty(0, dtype=np.uint64)
        every.sort()
        repeated: np.ndarray = np.unique(every[1:][every[1:] == every[:-1]])
        kept: np.ndarray = repeated[repeated != _EXEMPT]
        return kept


@dataclass
class _Mean:
    """Count and sum of the non-null values seen so far: infinities propagate as in a one-pass
    mean (inf and -inf make NaN)."""

    count: int = 0
    total: float = 0.0

    def value(self) -> float | None:
        return self.total / self.count if self.count else None


@dataclass
class DatasetWide:
    """The summaries of a contract's dataset-wide checks, fed one batch at a time."""

    specs: Sequence[CheckSpec]
    expected_rows: int | None = None
    rows: int = 0
    _keys: dict[str, _KeyHashes] = field(default_factory=dict)
    _missing: dict[str, int] = field(default_factory=dict)
    _means: dict[str, _Mean] = field(default_factory=dict)
    _values: dict[str, list[pl.Series]] = field(default_factory=dict)
    _distinct: dict[str, pl.Series] = field(default_factory=dict)
    _newest: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    _extremes: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    _present: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.specs = [s for s in self.specs if dataset_wide(s)]
        for spec in self.specs:
            if spec.kind in KEY_KINDS:
                self._keys[spec.check_id] = _KeyHashes(self.expected_rows)

    def add(self, frame: pl.DataFrame) -> None:
        """Take one batch (already converted to the contract's types, zones named as UTC)."""
        self.rows += frame.height
        scalars: dict[str, pl.Expr] = {}
        for spec in self.specs:
            key = spec.check_id
            if spec.kind in KEY_KINDS:
                self._keys[key].add(key_hashes(frame, spec))
                continue
            if spec.kind == "row_count":
                continue
            values = column(spec.columns[0] if spec.kind == "freshness" else spec.field or "")
            if spec.kind == "freshness":
                self._newest.setdefault(key, []).append(frame.select(values.max()))
                continue
            present = values.filter(~is_missing(values, spec))
            if spec.kind in ("min_between", "max_between"):
                # the batch's extreme keeps the column's name and type, so the check's own
                # expression judges the extremes of all batches at the end
                extreme = present.min() if spec.kind == "min_between" else present.max()
                self._extremes.setdefault(key, []).append(frame.select(extreme))
                continue
            if spec.kind == "unique_fraction_between":
                scalars[f"{key}/count"] = present.count()
                self._add_distinct(key, frame.select(present.unique()).to_series())
            elif spec.kind == "max_null_fraction":
                scalars[f"{key}/missing"] = is_missing(values, spec).sum()
            elif spec.kind == "mean_between":
                scalars[f"{key}/count"] = present.count()
                scalars[f"{key}/total"] = present.cast(pl.Float64).sum()  # no integer overflow
            elif spec.kind in ("median_between", "stddev_between"):
                self._values.setdefault(key, []).append(frame.select(present).to_series())
            elif spec.kind == "distinct_count_between":
                self._add_distinct(key, frame.select(present.unique()).to_series())
        if scalars:
            found = frame.select([expr.alias(name) for name, expr in scalars.items()]).row(
                0, named=True
            )
            for spec in self.specs:
                key = spec.check_id
                if spec.kind == "max_null_fraction":
                    self._missing[key] = self._missing.get(key, 0) + found[f"{key}/missing"]
                elif spec.kind == "unique_fraction_between":
                    self._present[key] = self._present.get(key, 0) + found[f"{key}/count"]
                elif spec.kind == "mean_between":
                    mean = self._means.setdefault(key, _Mean())
                    mean.count += found[f"{key}/count"]
                    mean.total += found[f"{key}/total"]

    def _add_distinct(self, key: str, values: pl.Series) -> None:
        if isinstance(values.dtype, pl.Categorical | pl.Enum):
            values = values.cast(pl.String)  # categories of different batches do not compare
        seen = self._distinct.get(key)
        self._distinct[key] = values if seen is None else pl.concat([seen, values]).unique()

    def repeated_keys(self) -> dict[str, np.ndarray]:
        """Key check id to the hashes held by more than one row: the only keys that can fail."""
        found = {key: hashes.repeated() for key, hashes in self._keys.items()}
        self._keys = {}
        return {key: repeated for key, repeated in found.items() if repeated.size}

    def verdicts(self) -> dict[str, tuple[bool, Any]]:
        """Aggregate check id to (passed, the observed statistic), over every batch."""
        verdicts: dict[str, tuple[bool, Any]] = {}
        for spec in self.specs:
            if spec.kind not in KEY_KINDS:
                verdicts[spec.check_id] = self._verdict(spec)
        return verdicts

    def _verdict(self, spec: CheckSpec) -> tuple[bool, Any]:
        key = spec.check_id
        if spec.kind == "row_count":
            passed = pl.select(dataset_check_expr(spec, pl.lit(self.rows))).item()
            return bool(passed), self.rows
        if spec.kind == "freshness":
            newest = pl.concat(self._newest[key])
            passed = newest.select(dataset_check_expr(spec, pl.len())).item()
            return bool(passed), newest.select(column(spec.columns[0]).max()).item()
        if spec.kind in ("min_between", "max_between"):
            extremes = pl.concat(self._extremes[key])
            name = spec.field or ""
            passed = extremes.select(field_check_expr(column(name), spec, {})).item()
            extreme = column(name).min() if spec.kind == "min_between" else column(name).max()
            return bool(passed), extremes.select(extreme).item()
        observed: Any
        if spec.kind == "unique_fraction_between":
            distinct = self._distinct.get(key)
            present = self._present.get(key, 0)
            observed = (0 if distinct is None else distinct.len()) / present if present else None
        elif spec.kind == "max_null_fraction":
            observed = self._missing.get(key, 0) / self.rows if self.rows else 0.0
        elif spec.kind == "mean_between":
            observed = self._means.get(key, _Mean()).value()
        elif spec.kind in ("median_between", "stddev_between"):
            # the statistic of the whole column, by the very polars function a one-pass run uses
            values = pl.concat(self._values[key]) if self._values.get(key) else pl.Series([])
            observed = values.median() if spec.kind == "median_between" else values.std(ddof=1)
        else:
            distinct = self._distinct.get(key)
            observed = 0 if distinct is None else distinct.len()
        return aggregate_passes(spec, None if observed is None else float(observed)), observed
