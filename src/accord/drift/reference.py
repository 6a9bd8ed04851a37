"""The reference profile as data: what ``accord profile`` writes and ``--reference`` reads.

A small, versioned JSON document (``profile_version: 1``): kilobytes per field whatever the size
of the data. Every model is frozen and strict, and a hand-edited file that contradicts itself
(bins and counts out of step, unsorted edges) is refused on reading, not trusted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.errors import DataReadError, UsageError

Kind = Literal["numeric", "categorical", "temporal", "other"]

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


class TemporalStats(_Frozen):
    kind: Literal["temporal"] = "temporal"
    null_fraction: float = Field(ge=0, le=1)
    count: int = Field(ge=0)
    min: str | None
    max: str | None
    """ISO 8601 text; time-zone-aware columns in UTC with a ``Z``."""


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
            text = Path(path).read_bytes()
        except OSError as error:
            raise DataReadError(error.strerror or str(error), path=str(path)) from None
        try:
            return cls.from_json(text)
        except UsageError as error:
            raise DataReadError(str(error), path=str(path)) from None
