"""Frozen pydantic models of the contract file format (SPEC section 1).

These models describe the shape of a contract; cross-field meaning (a primary key naming a field
that exists, ``min <= max``, parameters readable in the field's type) is checked by
``semantics.py`` so that every problem of a file is reported together, with its line.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, JsonValue, PrivateAttr

from accord.contract.base import StrictModel
from accord.contract.checks import Check, Severity, normalise_check
from accord.contract.types import LogicalType, Role
from accord.errors import UsageError

NAME_PATTERN = r"^[a-z][a-z0-9_.-]*$"
DURATION_PATTERN = r"^[0-9]+(\.[0-9]+)?(s|m|h|d|w)$"
# Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, an optional pre-release (group 4) and build.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)

Compatibility = Literal["backward", "forward", "full", "none"]
Status = Literal["draft", "active", "deprecated"]
SourceFormat = Literal["csv", "parquet", "jsonl", "arrow"]
CheckList = list[Annotated[Check, BeforeValidator(normalise_check)]]


class CsvOptions(StrictModel):
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quote: str = Field(default='"', min_length=1, max_length=1)
    encoding: str = "utf-8"
    null_values: list[str] = Field(default_factory=lambda: [""])
    header: bool = True


class Source(StrictModel):
    format: SourceFormat | None = None
    csv: CsvOptions = Field(default_factory=CsvOptions)


class Field_(StrictModel):  # noqa: N801 - ``Field`` is pydantic's; the trailing _ keeps both readable
    """One column."""

    allows_extensions: ClassVar[bool] = True

    type: LogicalType
    required: bool = True
    nullable: bool = False
    unique: bool = False
    checks: CheckList = Field(default_factory=list)
    role: Role = "feature"
    pii: bool = False
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    deprecated: bool = False
    previous_names: list[str] = Field(default_factory=list)
    tz: str | None = None
    format: str | None = None
    categories: list[str | int] | None = None
    precision: int | None = Field(default=None, ge=1, le=76)
    scale: int | None = Field(default=None, ge=0, le=76)
    items: Field_ | None = None
    fields: dict[str, Field_] | None = None
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class RowCount(StrictModel):
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class Freshness(StrictModel):
    field: str
    max_age: str = Field(pattern=DURATION_PATTERN)


class Rule(StrictModel):
    name: str
    assert_: str = Field(alias="assert", min_length=1)
    severity: Severity = "error"
    description: str | None = None


class Dataset(StrictModel):
    columns: Literal["open", "closed"] = "open"
    ordered: bool = False
    primary_key: list[str] = Field(default_factory=list)
    unique: list[list[str]] = Field(default_factory=list)
    row_count: RowCount | None = None
    freshness: Freshness | None = None
    rules: list[Rule] = Field(default_factory=list)


class DatasetOverride(StrictModel):
    """``dataset:`` under a profile: only the keys given replace the contract's."""

    columns: Literal["open", "closed"] | None = None
    ordered: bool | None = None
    primary_key: list[str] | None = None
    unique: list[list[str]] | None = None
    row_count: RowCount | None = None
    freshness: Freshness | None = None
    rules: list[Rule] | None = None


class FieldOverride(StrictModel):
    """A field under a profile: every key optional, replacing the contract's value when given."""

    allows_extensions: ClassVar[bool] = True

    type: LogicalType | None = None
    required: bool | None = None
    nullable: bool | None = None
    unique: bool | None = None
    checks: CheckList | None = None
    role: Role | None = None
    pii: bool | None = None
    description: str | None = None
    tz: str | None = None
    format: str | None = None
    categories: list[str | int] | None = None
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class Profile(StrictModel):
    description: str | None = None
    require_roles: list[Role] = Field(default_factory=list)
    forbid_roles: list[Role] = Field(default_factory=list)
    dataset: DatasetOverride | None = None
    fields: dict[str, FieldOverride] = Field(default_factory=dict)


class DriftThresholds(StrictModel):
    psi: float | None = Field(default=None, ge=0)
    ks: float | None = Field(default=None, ge=0, le=1)
    mean_shift: float | None = Field(default=None, ge=0)
    null_fraction_delta: float | None = Field(default=None, ge=0, le=1)
    unseen_categories: float | None = Field(default=None, ge=0, le=1)
    severity: Severity | None = None


class Drift(StrictModel):
    default: DriftThresholds = Field(default_factory=DriftThresholds)
    fields: dict[str, DriftThresholds] = Field(default_factory=dict)
    severity: Severity = "warning"


class ReferenceDecl(StrictModel):
    contract: str | None = None
    description: str | None = None


class Origin(StrictModel):
    """Where a contract came from, so reports and errors can point at its lines."""

    path: str | None = None
    positions: dict[str, tuple[int, int]] = Field(default_factory=dict)
    """Contract path (``fields.amount.checks[0]``) to 1-based (line, column)."""
    warnings: tuple[str, ...] = ()
    """What the loader tolerated in a foreign file (an ODCS server entry off its schema)."""


class ContractModel(StrictModel):
    """A whole contract file."""

    allows_extensions: ClassVar[bool] = True

    accord: Literal[1]
    name: str = Field(pattern=NAME_PATTERN)
    version: str
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)
    status: Status = "active"
    compatibility: Compatibility = "full"
    source: Source = Field(default_factory=Source)
    dataset: Dataset = Field(default_factory=Dataset)
    fields: dict[str, Field_] = Field(min_length=1)
    profiles: dict[str, Profile] = Field(default_factory=dict)
    drift: Drift = Field(default_factory=Drift)
    references: dict[str, ReferenceDecl] = Field(default_factory=dict)
    extensions: dict[str, JsonValue] = Field(default_factory=dict)

    _origin: Origin = PrivateAttr(default_factory=Origin)

    @property
    def origin(self) -> Origin:
        return self._origin

    def line_of(self, path: str) -> int | None:
        """The contract line of a path such as ``fields.amount.checks[0]``, if known."""
        position = self._origin.positions.get(path)
        return position[0] if position else None

    def with_origin(self, origin: Origin) -> ContractModel:
        self._origin = origin
        return self

    def check_profile(self, name: str | None) -> None:
        """``UsageError`` naming the known profiles unless ``name`` is None or one of them."""
        if name is not None and name not in self.profiles:
            known = ", ".join(self.profiles) or "none"
            raise UsageError(f"contract '{self.name}' has no profile '{name}' (profiles: {known})")

    def apply_profile(self, name: str | None) -> ContractModel:
        """The contract as the profile ``name`` sees it (itself when ``name`` is None)."""
        if name is None:
            return self
        profile = self.profiles[name]
        data: dict[str, Any] = self.model_dump(by_alias=True, exclude_unset=False)
        if profile.dataset is not None:
            data["dataset"].update(profile.dataset.model_dump(by_alias=True, exclude_unset=True))
        for field_name, override in profile.fields.items():
            data["fields"][field_name].update(
                override.model_dump(by_alias=True, exclude_unset=True)
            )
        for field_data in data["fields"].values():
            if field_data["role"] in profile.forbid_roles:
                # a field the profile forbids cannot also be required by it
                field_data["required"] = False
        # Dumped checks carry ``kind``; the check normaliser passes that form through unchanged.
        return ContractModel.model_validate(data).with_origin(self._origin)
