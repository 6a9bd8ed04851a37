"""What the run needs from an engine, cut by need.

- :class:`SchemaView` answers what a frame's schema holds: its columns, their types, how each
  relates to a declared field, and its height. A schema-only run implements it on a frame
  without rows.
- :class:`Evaluator` turns a compiled plan and a frame into :class:`Evidence`: per check the
  failure count, the first examples, distinct duplicated keys and null-skipped rows, never every
  failing row position, so an engine whose data is not on this machine can implement it.
- :class:`Engine` is both, plus what a full run does between them: value-by-value conversion of
  columns that may fit their type, aggregate observations for messages, reference values for
  ``in_reference``, and one column as Arrow for drift statistics.
- :class:`Measuring` is what an engine whose data lives elsewhere (Spark) adds so drift
  statistics are aggregations where the data lies, never a column moved to this machine; an
  engine without it keeps the default, its columns read through Arrow.

Row numbers are always 0-based positions in the frame, whatever index a pandas frame carries.
Engines import ``compile/`` and ``contract/`` only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from accord.compile.plan import CheckSpec, Plan
from accord.contract.fit import Fit
from accord.contract.model import Field_

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass
class CheckEvidence:
    """What one frame showed against one check."""

    count: int = 0
    """Rows that failed the check (after the request's exclusions)."""
    examples: list[tuple[int, Any]] = field(default_factory=list)
    """(row, value) of the first failing rows, at most the request's ``max_examples``. The row is
    a position in the frame, or in the dataset when the request gives ``positions``; the value
    is the field's value, or a record of the check's columns for a multi-column check."""
    distinct_keys: int = 0
    """For key checks: the distinct key values among the failing rows."""
    null_skipped: int = 0
    """For rules: failing rows where the assertion was unknown because of a null."""
    present: int = 0
    """For checks with ``mostly``: the non-null values of the field, what ``mostly`` is a
    fraction of. Given for every such check the frame could evaluate, failing or not."""
    held: np.ndarray | None = None
    """For checks with ``mostly``: the failing rows (positions as in the examples), left out of
    ``Evidence.failing_rows``; they count as failing only if the check fails as a whole."""
    failed: bool = False
    """A whole-column or whole-dataset verdict failed."""
    observed: Any = None
    """For a failed whole-column verdict: the value observed (a mean, a row count)."""
    error: str | None = None
    """Why the check could not be evaluated (an exception in a custom check, say)."""
    skipped: str | None = None
    """Why this engine does not run the check at all (it cannot express it, or the library it
    hands the check to raised): reported ``check.skipped`` with the reason, neither passed nor
    failed."""


@dataclass
class Evidence:
    """What evaluating a plan on one frame found."""

    checks: dict[str, CheckEvidence] = field(default_factory=dict)
    """Check id to its evidence; a check that passed on the frame has no entry."""
    failing_rows: np.ndarray | None = None
    """Rows (positions as in the examples) that failed a check above info severity, where the
    engine knows positions; None where it only counts them."""
    failing_row_count: int = 0
    """How many distinct rows failed a check above info severity."""
    rows: int | None = None
    """The frame's row count, where the engine counted it in the same pass (else the run asks
    ``height``, which may cost a pass of its own)."""
    types: dict[str, CheckEvidence] = field(default_factory=dict)
    """Field to the values an engine found it could not hold in the field's type during the
    pass, for engines that convert inside the pass rather than in ``convert``. Those rows are
    already left out of the checks' counts, as ``EvidenceRequest.unreadable`` rows are."""


@dataclass(frozen=True)
class EvidenceRequest:
    """What the run wants back beside the counts."""

    max_examples: int = 5
    unreadable: Mapping[str, np.ndarray] = field(default_factory=dict)
    """Column to rows whose cell could not be read in the field's type: already a ``field.type``
    violation, so the null left behind must not fail the same row again as a null, a rule or a
    key."""
    positions: np.ndarray | None = None
    """Where each row of the frame is in the dataset, when the frame gathers rows from several
    batches: examples are then the first in dataset order, and rows are given as positions."""
    examples: Mapping[str, int] = field(default_factory=dict)
    """Check id to how many examples the run still wants of it, when fewer than
    ``max_examples`` (a batched run has the first ones from earlier batches already)."""

    def examples_of(self, check_id: str) -> int:
        """How many example values to read for ``check_id``."""
        return self.examples.get(check_id, self.max_examples)


@dataclass
class Conversion:
    """A column judged value by value: the values that do not fit, and the column without them."""

    column: Any
    rows: np.ndarray
    originals: list[Any]


class SchemaView(Protocol):
    """A frame's schema as the schema and profile passes read it."""

    name: str

    def columns(self, frame: Any) -> list[str]: ...
    def height(self, frame: Any) -> int: ...
    def dtype_text(self, frame: Any, column: str) -> str: ...
    def fit(self, spec: Field_, frame: Any, column: str) -> Fit: ...


class Evaluator(Protocol):
    """A compiled plan on a frame, as evidence."""

    def evaluate(
        self,
        plan: Plan,
        frame: Any,
        present: set[str],
        references: Mapping[str, Any],
        request: EvidenceRequest,
    ) -> Evidence: ...


class Engine(SchemaView, Evaluator, Protocol):
    """Everything a full run asks of an engine."""

    batched: bool
    """Whether the batched path can run on it: its frames are the batch readers' (polars)."""

    def adopt(self, frame: Any) -> Any:
        """A frame read by accord's readers (polars) as this engine's frame."""
        ...

    def positional(self, frame: Any) -> tuple[Any, list[str]]:
        """A caller's frame as the run reads it (rows as positions, column names as text, one
        column per name), without changing the caller's frame; and the names held twice."""
        ...

    def to_pandera(self, plan: Plan) -> Any:
        """The plan as this engine's real pandera schema."""
        ...

    def convert(self, spec: Field_, frame: Any, column: str) -> Conversion: ...
    def with_columns(self, frame: Any, columns: Mapping[str, Any]) -> Any: ...
    def aggregate(self, frame: Any, spec: CheckSpec) -> Any: ...
    def reference_values(self, frame: Any, column: str, spec: Field_) -> Any: ...
    def arrow_column(self, frame: Any, column: str) -> pa.Array | pa.ChunkedArray: ...


@runtime_checkable
class DistributedEngine(Protocol):
    """An engine whose data may live on other machines (Spark): the run starts its session and
    lets it read files where they lie."""

    def start_session(
        self, master: str | None, conf: Mapping[str, str], remote: str | None
    ) -> Any: ...

    def failures(self) -> tuple[type[BaseException], ...]:
        """The errors the engine's library raises when the data or the cluster fails."""
        ...

    def read_files(self, files: list[Any], kind: str, text: Any = None) -> Any:
        """The files as one frame with each row's dataset position, their row counts and the
        columns some lack, text files typed by ``text`` (accord's rules for them); or None when
        accord's readers must read this format (an object with ``why`` when they must read these
        files, saying why)."""
        ...


class UnfitColumnError(TypeError):
    """A column whose type cannot carry its kind's drift statistics (text in a numeric field).
    Internal: drift turns it into a ``UsageError`` or a skipped metric naming the field."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class ColumnMeasure:
    """One column's counts and moments, as drift statistics need them. Null means every null
    kind, NaN included; "finite" leaves out the infinities as well."""

    rows: int
    nulls: int
    finite: int = 0
    total: float = 0.0
    """Numeric: the sum of the finite values."""
    mean: float | None = None
    std: float | None = None
    """Numeric: the sample standard deviation (ddof 1) of the finite values, None below two."""
    low: Any = None
    """Numeric: the least finite value (a float); temporal: the least value (``datetime64``)."""
    high: Any = None
    zone: str = "naive"
    """Temporal: ``UTC`` for instants, ``naive`` for wall-clock times and dates."""


@dataclass(frozen=True)
class CategoryCounts:
    """A text column's values counted by key (the value, or its ``sha256:`` prefix when hashed):
    rows per key of ``known``; of the rest, the rows, the distinct values and the most frequent
    values (most rows first, ties by value)."""

    known: dict[str, int]
    other_rows: int
    other_distinct: int
    top: list[tuple[str, int]]


@runtime_checkable
class Measuring(Protocol):
    """Drift statistics computed where the data lies. Kinds are ``numeric``, ``categorical``,
    ``temporal`` and ``other``; a column whose type cannot carry its kind raises
    :class:`UnfitColumnError`."""

    def measure(self, frame: Any, kinds: Mapping[str, str]) -> dict[str, ColumnMeasure]:
        """Counts and moments of every column named, in one pass."""
        ...

    def order_statistics(
        self, frame: Any, wanted: Mapping[str, tuple[int, Sequence[int], Sequence[float]]]
    ) -> dict[str, tuple[list[float], list[float]]]:
        """Per column (its finite count, ranks, probabilities): the exact values of those
        1-based ranks among its finite values, and its linear-interpolated quantiles."""
        ...

    def counts_below(
        self, frame: Any, edges: Mapping[str, Sequence[float]]
    ) -> dict[str, list[int]]:
        """Per numeric column, the non-null values (infinities included) below each edge."""
        ...

    def category_counts(
        self, frame: Any, column: str, *, top: int, hashed: bool, known: Collection[str]
    ) -> CategoryCounts: ...

    def finite_distribution(
        self, frame: Any, column: str, limit: int
    ) -> tuple[list[float], list[int]] | None:
        """The distinct finite values in ascending order with their rows; None when there are
        more than ``limit`` of them."""
        ...
