"""The check catalogue (SPEC 1.4) as a discriminated union.

In YAML a check is a one-key mapping, ``{between: {min: 0, max: 10}, severity: warning}``. The
``before`` validator :func:`normalise_check` turns it into ``{"kind": "between", "min": 0, ...}``
so pydantic can pick the model by ``kind`` and report errors at ``checks[0].between.min``.
Parameters stay as YAML scalars here; they are read in the field's type by ``params.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, JsonValue

from accord.contract.base import EXTENSION_PREFIX, StrictModel

Severity = Literal["error", "warning"]
Scalar = int | float | str | bool
Inclusive = Literal["both", "neither", "left", "right"]

# Keys a check mapping may hold beside its one kind key.
CHECK_OPTION_KEYS = frozenset({"severity", "name", "description"})
# Spellings accepted in YAML for the sake of readability, stored under their canonical kind.
CHECK_ALIASES = {"min": "greater_than_or_equal_to", "max": "less_than_or_equal_to"}
# Kinds whose YAML parameter is a scalar or a list rather than a mapping; stored under ``value``.
SCALAR_PARAM_KEY = "value"


class BaseCheck(StrictModel):
    allows_extensions: ClassVar[bool] = True
    severity: Severity = "error"
    """error fails the run; warning is reported (and fails with --fail-on warning)."""
    name: str | None = None
    """A label for the check in reports."""
    description: str | None = None
    """What the check protects, for people."""
    extensions: dict[str, JsonValue] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        """How reports name this check: the user's label if any, else its kind."""
        return self.name or str(getattr(self, "kind"))  # noqa: B009 - every subclass has kind


class EqualTo(BaseCheck):
    kind: Literal["equal_to"]
    value: Scalar
    """Every value must equal this."""


class NotEqualTo(BaseCheck):
    kind: Literal["not_equal_to"]
    value: Scalar
    """No value may equal this."""


class GreaterThan(BaseCheck):
    kind: Literal["greater_than"]
    value: Scalar
    """Every value must be greater than this."""


class GreaterThanOrEqualTo(BaseCheck):
    kind: Literal["greater_than_or_equal_to"]
    value: Scalar
    """Every value must be at least this."""


class LessThan(BaseCheck):
    kind: Literal["less_than"]
    value: Scalar
    """Every value must be less than this."""


class LessThanOrEqualTo(BaseCheck):
    kind: Literal["less_than_or_equal_to"]
    value: Scalar
    """Every value must be at most this."""


class Between(BaseCheck):
    kind: Literal["between"]
    min: Scalar | None = None
    """The lowest value allowed."""
    max: Scalar | None = None
    """The highest value allowed."""
    inclusive: Inclusive = "both"
    """Which ends are allowed: both, neither, left or right."""


class In(BaseCheck):
    kind: Literal["in"]
    value: list[Scalar | None]
    """The allowed values."""


class NotIn(BaseCheck):
    kind: Literal["not_in"]
    value: list[Scalar | None]
    """Values that are not allowed."""


class Pattern(BaseCheck):
    kind: Literal["pattern"]
    value: str
    """A regular expression every value must match whole (linear time: no backreferences or
    lookaround).
    """


class Length(BaseCheck):
    kind: Literal["length"]
    min: int | None = None
    """The fewest characters a value may have."""
    max: int | None = None
    """The most characters a value may have."""


class StartsWith(BaseCheck):
    kind: Literal["starts_with"]
    value: str
    """Every value must start with this text."""


class EndsWith(BaseCheck):
    kind: Literal["ends_with"]
    value: str
    """Every value must end with this text."""


class Contains(BaseCheck):
    kind: Literal["contains"]
    value: str
    """Every value must contain this text."""


class MaxNullFraction(BaseCheck):
    kind: Literal["max_null_fraction"]
    value: float = Field(ge=0.0, le=1.0)
    """The largest fraction of nulls allowed, 0 to 1."""


class MeanBetween(BaseCheck):
    kind: Literal["mean_between"]
    min: int | float | None = None
    """The lowest mean allowed."""
    max: int | float | None = None
    """The highest mean allowed."""


class MedianBetween(BaseCheck):
    kind: Literal["median_between"]
    min: int | float | None = None
    """The lowest median allowed."""
    max: int | float | None = None
    """The highest median allowed."""


class StddevBetween(BaseCheck):
    kind: Literal["stddev_between"]
    min: int | float | None = Field(default=None, ge=0)
    """The lowest standard deviation allowed."""
    max: int | float | None = Field(default=None, ge=0)
    """The highest standard deviation allowed."""


class DistinctCountBetween(BaseCheck):
    kind: Literal["distinct_count_between"]
    min: int | None = Field(default=None, ge=0)
    """The fewest distinct values allowed."""
    max: int | None = Field(default=None, ge=0)
    """The most distinct values allowed."""


class InReference(BaseCheck):
    kind: Literal["in_reference"]
    dataset: str
    """The reference dataset, declared under references and given with --ref NAME=PATH."""
    field: str
    """The column of the reference dataset holding the allowed values."""


class Custom(BaseCheck):
    kind: Literal["custom"]
    check: str
    """The name a Python function was registered under (accord.register_check)."""
    params: dict[str, JsonValue] = Field(default_factory=dict)
    """Parameters passed to the function, validated against its signature."""


Check = Annotated[
    EqualTo
    | NotEqualTo
    | GreaterThan
    | GreaterThanOrEqualTo
    | LessThan
    | LessThanOrEqualTo
    | Between
    | In
    | NotIn
    | Pattern
    | Length
    | StartsWith
    | EndsWith
    | Contains
    | MaxNullFraction
    | MeanBetween
    | MedianBetween
    | StddevBetween
    | DistinctCountBetween
    | InReference
    | Custom,
    Field(discriminator="kind"),
]

CHECK_MODELS: dict[str, type[BaseCheck]] = {
    model.model_fields["kind"].annotation.__args__[0]: model  # type: ignore[union-attr]
    for model in BaseCheck.__subclasses__()
}
CHECK_KINDS: tuple[str, ...] = tuple(CHECK_MODELS)
MAPPING_PARAM_KINDS = frozenset(
    kind
    for kind, model in CHECK_MODELS.items()
    if SCALAR_PARAM_KEY not in model.model_fields and kind != "custom"
)
# The one-value comparisons, in catalogue order: each engine maps every one to an operator.
COMPARISON_KINDS = (
    "equal_to",
    "not_equal_to",
    "greater_than",
    "greater_than_or_equal_to",
    "less_than",
    "less_than_or_equal_to",
)
ORDERING_KINDS = frozenset(
    {
        "greater_than",
        "greater_than_or_equal_to",
        "less_than",
        "less_than_or_equal_to",
        "between",
    }
)
TEXT_KINDS = frozenset({"pattern", "length", "starts_with", "ends_with", "contains"})
NUMERIC_AGGREGATE_KINDS = frozenset({"mean_between", "median_between", "stddev_between"})
AGGREGATE_KINDS = NUMERIC_AGGREGATE_KINDS | {"max_null_fraction", "distinct_count_between"}


class UnknownCheckError(ValueError):
    """A check mapping names no known kind, or several."""


def check_kind_keys(raw: dict[Any, Any]) -> list[str]:
    """The keys of a YAML check mapping that should name its kind."""
    return [
        str(key)
        for key in raw
        if key not in CHECK_OPTION_KEYS and not str(key).startswith(EXTENSION_PREFIX)
    ]


def normalise_check(raw: Any) -> Any:
    """``{between: {min: 0}, severity: warning}`` to ``{"kind": "between", "min": 0, ...}``.

    Anything that does not look like a check is passed through unchanged so that pydantic reports
    it with its usual message and location.
    """
    if not isinstance(raw, dict):
        return raw
    kind_keys = check_kind_keys(raw)
    if len(kind_keys) != 1:
        return raw
    written = kind_keys[0]
    kind = CHECK_ALIASES.get(written, written)
    options = {k: v for k, v in raw.items() if k != written}
    params = raw[written]
    if kind == "custom" and isinstance(params, dict):
        check_name = params.get("check")
        rest = {k: v for k, v in params.items() if k != "check"}
        return {"kind": kind, "check": check_name, "params": rest, **options}
    if kind in MAPPING_PARAM_KINDS and isinstance(params, dict):
        return {"kind": kind, **params, **options}
    if kind in CHECK_MODELS and kind not in MAPPING_PARAM_KINDS and kind != "custom":
        return {"kind": kind, SCALAR_PARAM_KEY: params, **options}
    return raw
