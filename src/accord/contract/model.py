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
    """The one character between cells (a .tsv file uses a tab unless this is set)."""
    quote: str = Field(default='"', min_length=1, max_length=1)
    """The character that quotes a cell holding delimiters, quotes or line breaks."""
    encoding: str = "utf-8"
    """The text encoding of the file."""
    null_values: list[str] = Field(default_factory=lambda: [""])
    """Cells read as null; only the empty cell by default, so "NA" stays data."""
    header: bool = True
    """Whether the first line names the columns."""


class Source(StrictModel):
    format: SourceFormat | None = None
    """csv, parquet, jsonl or arrow: the format of data files whose suffix names none (a telling
    suffix wins; --data-format wins over both).
    """
    csv: CsvOptions = Field(default_factory=CsvOptions)
    """How CSV and TSV files are read."""


class Field_(StrictModel):  # noqa: N801 - ``Field`` is pydantic's; the trailing _ keeps both readable
    """One column."""

    allows_extensions: ClassVar[bool] = True

    type: LogicalType
    """The logical type every value must be representable in exactly (int64, string, timestamp,
    ...).
    """
    required: bool = True
    """Whether the column must be present in the data."""
    nullable: bool = False
    """Whether nulls (None, NaN, NaT, a null_values token) are allowed."""
    unique: bool = False
    """Whether every non-null value must appear once."""
    checks: CheckList = Field(default_factory=list)
    """Value checks, each a one-key mapping such as {between: {min: 0, max: 1}}."""
    role: Role = "feature"
    """What the column is to a model: id, feature, label, prediction, timestamp, weight or
    metadata; profiles require or forbid roles.
    """
    pii: bool = False
    """Personal data: example values are shown as <redacted> in every report."""
    description: str | None = None
    """What the column means, for people."""
    tags: list[str] = Field(default_factory=list)
    """Free labels for people and tools."""
    deprecated: bool = False
    """Still valid, but consumers should stop relying on it."""
    previous_names: list[str] = Field(default_factory=list)
    """Names this column had before, so accord diff sees a rename rather than a removal."""
    tz: str | None = None
    """For timestamps: the time zone values must carry (e.g. UTC); without it, values must be
    naive.
    """
    format: str | None = None
    """For text sources: the exact strftime format of a date or timestamp, applied strictly."""
    categories: list[str | int] | None = None
    """For category fields: the allowed values."""
    precision: int | None = Field(default=None, ge=1, le=76)
    """For decimals: the total number of digits."""
    scale: int | None = Field(default=None, ge=0, le=76)
    """For decimals: the digits after the point."""
    items: Field_ | None = None
    """For lists: the field every item must satisfy."""
    fields: dict[str, Field_] | None = None
    """For structs: the member fields."""
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class RowCount(StrictModel):
    min: int | None = Field(default=None, ge=0)
    """The fewest rows the data may have."""
    max: int | None = Field(default=None, ge=0)
    """The most rows the data may have."""


class Freshness(StrictModel):
    field: str
    """The timestamp or date field whose newest value is judged."""
    max_age: str = Field(pattern=DURATION_PATTERN)
    """How old the newest value may be, as a duration: 90m, 26h, 7d."""


class Rule(StrictModel):
    name: str
    """The rule's name in reports; unique within the contract."""
    assert_: str = Field(alias="assert", min_length=1)
    """A row-level assertion in accord's expression language, e.g. "amount >= 0 or parent_id is not
    null".
    """
    severity: Severity = "error"
    """error fails the run; warning is reported (and fails with --fail-on warning)."""
    description: str | None = None
    """What the rule protects, for people."""


class Dataset(StrictModel):
    columns: Literal["open", "closed"] = "open"
    """open allows columns the contract does not declare; closed reports them."""
    ordered: bool = False
    """Whether the columns must appear in the declared order."""
    primary_key: list[str] = Field(default_factory=list)
    """Fields whose values identify a row: unique together, never null."""
    unique: list[list[str]] = Field(default_factory=list)
    """Groups of fields whose values must be unique together (rows with a null take no part)."""
    row_count: RowCount | None = None
    """Bounds on the number of rows."""
    freshness: Freshness | None = None
    """How recent the newest row must be."""
    rules: list[Rule] = Field(default_factory=list)
    """Named row-level assertions."""


class DatasetOverride(StrictModel):
    """``dataset:`` under a profile: only the keys given replace the contract's."""

    columns: Literal["open", "closed"] | None = None
    """Replaces dataset.columns under this profile."""
    ordered: bool | None = None
    """Replaces dataset.ordered under this profile."""
    primary_key: list[str] | None = None
    """Replaces dataset.primary_key under this profile."""
    unique: list[list[str]] | None = None
    """Replaces dataset.unique under this profile."""
    row_count: RowCount | None = None
    """Replaces dataset.row_count under this profile."""
    freshness: Freshness | None = None
    """Replaces dataset.freshness under this profile."""
    rules: list[Rule] | None = None
    """Replaces dataset.rules under this profile."""


class FieldOverride(StrictModel):
    """A field under a profile: every key optional, replacing the contract's value when given."""

    allows_extensions: ClassVar[bool] = True

    type: LogicalType | None = None
    """Replaces the field's type under this profile."""
    required: bool | None = None
    """Replaces the field's required under this profile."""
    nullable: bool | None = None
    """Replaces the field's nullable under this profile."""
    unique: bool | None = None
    """Replaces the field's unique under this profile."""
    checks: CheckList | None = None
    """Replaces the field's checks under this profile."""
    role: Role | None = None
    """Replaces the field's role under this profile."""
    pii: bool | None = None
    """Replaces the field's pii under this profile."""
    description: str | None = None
    """Replaces the field's description under this profile."""
    tz: str | None = None
    """Replaces the field's tz under this profile."""
    format: str | None = None
    """Replaces the field's format under this profile."""
    categories: list[str | int] | None = None
    """Replaces the field's categories under this profile."""
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class Profile(StrictModel):
    description: str | None = None
    """When this profile applies, for people."""
    require_roles: list[Role] = Field(default_factory=list)
    """Roles at least one present field must have (training requires a label)."""
    forbid_roles: list[Role] = Field(default_factory=list)
    """Roles no field may have in the data (a label in serving data is leakage)."""
    dataset: DatasetOverride | None = None
    """Dataset keys that replace the contract's under this profile."""
    fields: dict[str, FieldOverride] = Field(default_factory=dict)
    """Per field, keys that replace the contract's under this profile."""


class DriftThresholds(StrictModel):
    psi: float | None = Field(default=None, ge=0)
    """Population stability index above which the distribution has drifted."""
    ks: float | None = Field(default=None, ge=0, le=1)
    """Kolmogorov-Smirnov statistic above which the distribution has drifted."""
    mean_shift: float | None = Field(default=None, ge=0)
    """Mean shift, in reference standard deviations, above which it has drifted."""
    null_fraction_delta: float | None = Field(default=None, ge=0, le=1)
    """Change in the null fraction above which it has drifted."""
    unseen_categories: float | None = Field(default=None, ge=0, le=1)
    """Fraction of values in categories the reference never saw above which it has drifted."""
    severity: Severity | None = None
    """Overrides drift.severity for these thresholds."""


class Drift(StrictModel):
    default: DriftThresholds = Field(default_factory=DriftThresholds)
    """Thresholds for every field not listed under fields."""
    fields: dict[str, DriftThresholds] = Field(default_factory=dict)
    """Thresholds per field."""
    severity: Severity = "warning"
    """How drift is reported: warning by default, error to fail the run."""


class ReferenceDecl(StrictModel):
    contract: str | None = None
    """The contract of the reference dataset, if it has one."""
    description: str | None = None
    """What the reference dataset is, for people."""


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
    """The contract format version: 1."""
    name: str = Field(pattern=NAME_PATTERN)
    """The dataset's name: lowercase letters, digits, '_', '.' and '-'."""
    version: str
    """The contract's semantic version MAJOR.MINOR.PATCH; accord diff says which bump a change
    needs.
    """
    title: str | None = None
    """A human title."""
    description: str | None = None
    """What the dataset is, who writes it and who reads it."""
    owner: str | None = None
    """Who to ask: a team or an address."""
    tags: list[str] = Field(default_factory=list)
    """Free labels for people and tools."""
    status: Status = "active"
    """draft, active or deprecated."""
    compatibility: Compatibility = "full"
    """Which changes accord diff allows without a major bump: backward, forward, full or none."""
    source: Source = Field(default_factory=Source)
    """How data files are read."""
    dataset: Dataset = Field(default_factory=Dataset)
    """Rules over the whole dataset: columns, keys, row count, freshness, row rules."""
    fields: dict[str, Field_] = Field(min_length=1)
    """The columns, by name."""
    profiles: dict[str, Profile] = Field(default_factory=dict)
    """Named variants of the contract, such as training and serving."""
    drift: Drift = Field(default_factory=Drift)
    """Thresholds for drift against reference statistics (accord profile, --reference)."""
    references: dict[str, ReferenceDecl] = Field(default_factory=dict)
    """Other datasets that in_reference checks look values up in, by name."""
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
