"""The reference profile as data: what ``accord profile`` writes and ``--reference`` reads.

A small, versioned JSON document (``profile_version: 1``): kilobytes per field whatever the size
of the data. Every model is frozen and strict, and a hand-edited file that contradicts itself
(bins and counts out of step, unsorted edges) is refused on reading, not trusted.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.errors import DataReadError, UsageError

Kind = Literal["numeric", "categorical", "temporal", "other"]
Method = Literal["exact", "sketch"]
MAX_PROFILE_BYTES = 256 * 2**20
"""The largest stats file read: a profile takes 1 to 6 KB a field, so this is room for about
50,000 fields, and a stray huge file is refused before it fills memory."""

__all__ = [
    "CategoricalStats",
    "ContractId",
    "FieldStats",
    "Kind",
    "NumericStats",
    "OtherStats",
    "ReferenceProfile",
    "TemporalStats",
    "round_float",
]


def round_float(value: float) -> float:
    """``value`` to 12 significant digits: what every float in a profile is stored as."""
    return float(f"{value:.12g}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ContractId(_Frozen):
    name: str
    version: str


class NumericStats(_Frozen):
    kind: Literal["numeric"] = "numeric"
    null_fraction: float = Field(ge=0, le=1)
    count: int = Field(ge=0)
    bin_edges: list[float]
    """Distinct deciles of the data (data values); bins (-inf, e0), [e0, e1), ..., [e_last, inf)."""
    bin_counts: list[int]
    mean: float | None
    std: float | None
    """Sample standard deviation (ddof 1); None below two finite values."""
    min: float | None
    max: float | None
    quantiles: list[float]
    """Quantile ``k`` of ``len - 1`` taken at probability ``k / (len - 1)`` (numpy "linear")."""
    values_withheld: bool = False
    """The field is ``pii: true``: no statistic made of its values (edges, quantiles, mean, std,
    min, max) is stored, only counts; drift metrics that need values are skipped, with a note."""
    method: Method = "exact"
    """``exact``: from every value. ``sketch``: the data was profiled in batches and the
    quantiles, bin edges and bin counts come from a bounded quantile sketch."""
    rank_error: float = Field(default=0.0, ge=0, le=1)
    """With ``sketch``: every quantile and edge is the value at a rank at most this fraction of
    ``count`` from its own, and every bin count is within twice that fraction of the truth."""

    @model_validator(mode="after")
    def _consistent(self) -> NumericStats:
        # A hand-edited stats.json must fail here, not as a wrong number in a drift report.
        if len(self.bin_counts) != len(self.bin_edges) + 1:
            raise ValueError("bin_counts must have one more entry than bin_edges")
        if sum(self.bin_counts) != self.count or min(self.bin_counts) < 0:
            raise ValueError("bin_counts must be non-negative and add up to count")
        if any(b <= a for a, b in zip(self.bin_edges, self.bin_edges[1:], strict=False)):
            raise ValueError("bin_edges must be strictly increasing")
        if any(b < a for a, b in zip(self.quantiles, self.quantiles[1:], strict=False)):
            raise ValueError("quantiles must be non-decreasing")
        if len(self.quantiles) == 1:
            raise ValueError("quantiles needs at least two values (or none)")
        return self


class CategoricalStats(_Frozen):
    kind: Literal["categorical"] = "categorical"
    null_fraction: float = Field(ge=0, le=1)
    count: int = Field(ge=0)
    distinct: int = Field(ge=0)
    frequencies: dict[str, int]
    """The most frequent categories (ties by name), then ``__other__`` for the rest, if any."""
    hashed: bool = False
    """Keys are :func:`category_key` hashes (the field is ``pii: true``)."""
    method: Method = "exact"
    """``exact``: every value counted. ``sketch``: profiled in batches with more distinct values
    than a bounded counter holds; ``distinct`` is then a lower bound."""
    count_error: int = Field(default=0, ge=0)
    """With ``sketch``: each frequency is at most this many rows below the true count (the
    difference is in ``__other__``)."""


class TemporalStats(_Frozen):
    kind: Literal["temporal"] = "temporal"
    null_fraction: float = Field(ge=0, le=1)
    count: int = Field(ge=0)
    min: str | None
    max: str | None
    """ISO 8601 text; time-zone-aware columns in UTC with a ``Z``."""
    values_withheld: bool = False
    """The field is ``pii: true``: ``min`` and ``max`` are not stored."""


class OtherStats(_Frozen):
    kind: Literal["other"] = "other"
    null_fraction: float = Field(ge=0, le=1)
    count: int = Field(ge=0)


FieldStats = Annotated[
    NumericStats | CategoricalStats | TemporalStats | OtherStats, Field(discriminator="kind")
]


class ReferenceProfile(_Frozen):
    """Statistics of a reference dataset, small enough to commit next to a model."""

    profile_version: Literal[1] = 1
    contract: ContractId
    profile: str | None = None
    """The contract profile the data was described under (``training``), if any."""
    created_at: AwareDatetime
    rows: int = Field(ge=0)
    fields: dict[str, FieldStats]

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON document ``accord profile`` writes; :meth:`from_json` reads it back."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> ReferenceProfile:
        """Parse a profile; ``UsageError`` naming the problem when it is not one."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in error.errors()
            )
            raise UsageError(f"not an accord reference profile: {problems}") from None

    @classmethod
    def read(cls, path: str | Path) -> ReferenceProfile:
        """Read a stats file written by ``accord profile``."""
        try:
            source = path if isinstance(path, Path) else Path(path)  # a RemotePath stays one
            with source.open("rb") as handle:
                try:
                    mode = os.fstat(handle.fileno()).st_mode
                except io.UnsupportedOperation:  # an object on remote storage: no descriptor
                    mode = source.stat().st_mode
                # /dev/zero or a pipe would be read until memory runs out: a profile is a
                # regular file of kilobytes per field, and never more than MAX_PROFILE_BYTES.
                if not stat.S_ISREG(mode):
                    raise DataReadError(
                        "is not a regular file; --reference takes a stats file written by "
                        "`accord profile`",
                        path=str(path),
                    )
                text = handle.read(MAX_PROFILE_BYTES + 1)
        except OSError as error:
            raise DataReadError(error.strerror or str(error), path=str(path)) from None
        if len(text) > MAX_PROFILE_BYTES:
            raise DataReadError(
                f"is larger than {MAX_PROFILE_BYTES // 2**20} MB, far more than a profile written "
                "by `accord profile` (kilobytes per field); is it the right file?",
                path=str(path),
            )
        try:
            return cls.from_json(text)
        except UsageError as error:
            raise DataReadError(str(error), path=str(path)) from None
