"""Run a contract over data and produce the report: schema pass, checks, dataset rules.

The order is the one SPEC section 2 gives. The schema pass decides, per field, whether the column
is missing, of the declared type, of a type that fits value by value, or of another type; only
fields that can be judged are checked, and every check of a field that cannot is ``skipped``,
never passed.

Data arrives as one frame (the API, small files) or as batches of one file larger than memory.
Either way each frame is judged row by row and what it shows is added up as evidence: counts,
the first examples, failing rows. Checks whose verdict on a row depends on other rows (keys) or
that judge a whole column (aggregates) run in the same fused pass when there is one frame, and
through ``dataset_wide`` summaries over every batch otherwise. Violations are built only at the
end, from the evidence and in one fixed order, so a batched run reports what an unbatched one
does.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from accord.compile.dtypes_polars import Fit, describe
from accord.compile.plan import KEY_KINDS, CheckSpec, Plan, build_plan, dataset_wide, runnable
from accord.contract.model import ContractModel
from accord.errors import UsageError
from accord.report.codes import Code, Severity
from accord.report.model import (
    CheckResult,
    ContractRef,
    DatasetInfo,
    Example,
    Report,
    Violation,
)
from accord.run.engines import Engine
from accord.run.messages import aggregate_message, check_message
from accord.run.tolerance import tolerance_details, tolerance_text, tolerated

if TYPE_CHECKING:
    from accord.run.batches import BatchedDataset

REDACTED = "<redacted>"

_CODES = {
    "nullable": Code.FIELD_NULL,
    "unique": Code.FIELD_UNIQUE,
    "in_reference": Code.REFERENCE_MISSING,
    "primary_key": Code.DATASET_PRIMARY_KEY,
    "unique_together": Code.DATASET_UNIQUE,
    "row_count": Code.DATASET_ROW_COUNT,
    "freshness": Code.DATASET_FRESHNESS,
    "rule": Code.DATASET_RULE,
}

CellFailures = Mapping[str, tuple[np.ndarray, list[Any], str]]
"""Field to (rows, original texts, reason) of cells a reader could not read in the field's type."""


@dataclass
class RunInput:
    """Everything a run needs besides the contract and the data."""

    engine: Engine
    profile: str | None = None
    references: Mapping[str, Any] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    max_examples: int = 5
    fail_on: str = "error"
    sources: list[str] = field(default_factory=list)
    cell_failures: CellFailures = field(default_factory=dict)
    """Evidence from a reader (one frame only; batches carry their own)."""
    duplicate_columns: list[str] = field(default_factory=list)
    missing_in_files: Mapping[str, list[str]] = field(default_factory=dict)
    null_token_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    locate: Any = None
    """Global row to (file, row in file), when several files were read."""
    reference: Any = None
    """Reference statistics (``accord.drift.ReferenceProfile``) to measure drift against."""


@dataclass
class _Found:
    """What the data showed against one check or one field's type, added up over batches."""

    count: int = 0
    examples: list[tuple[int, Any]] = field(default_factory=list)
    """(row in the dataset, value as shown) of the first failing rows, at most max_examples."""
    null_skipped: int = 0
    distinct_keys: int = 0
    failed: bool = False
    """A whole-column or whole-dataset verdict failed."""
    observed: Any = None
    error: str | None = None
    reason: str = ""
    present: int = 0
    """Non-null values of the check's field (checks with ``mostly`` only)."""
    held: list[np.ndarray] = field(default_factory=list)
    """Failing rows of a check with ``mostly``: they count as failing only if it fails."""


class _Run:
    def __init__(self, contract: ContractModel, original: ContractModel, options: RunInput) -> None:
        self.contract = contract
        self.original = original
        self.options = options
        self.engine = options.engine
        self.plan = build_plan(contract, as_of=options.as_of)
        self.specs = {spec.check_id: spec for spec in self.plan.all_checks()}
        self.violations: list[Violation] = []
        self.results: list[CheckResult] = []
        self.rows = 0
        self.columns: list[str] = []
        self.fits: dict[str, Fit] = {}
        self.actual: dict[str, str] = {}
        self.judgeable: set[str] = set()
        self.references: dict[str, Any] = {}
        self.typed: dict[str, _Found] = {}
        self.found: dict[str, _Found] = {}
        self.failing: list[np.ndarray] = []
        """Per frame, the dataset rows that failed a check of severity above info."""

    # -- the data -----------------------------------------------------------------------------
    def decide(self, frame: Any) -> None:
        """What the schema says, from the first frame: every later batch has the same dtypes."""
        self.columns = self.engine.columns(frame)
        for name, spec in self.contract.fields.items():
            if name in self.columns:
                self.fits[name] = self.engine.fit(spec, frame, name)
                self.actual[name] = self.engine.dtype_text(frame, name)
        self.judgeable = {name for name, fit in self.fits.items() if fit != "mismatch"}
        self.references = self._references()

    def prepare(self, frame: Any, cell_failures: CellFailures) -> tuple[Any, dict[str, Any]]:
        """The frame with every column that fits value by value converted, and per field the
        (rows, originals, reason) of values that could not be read."""
        replaced: dict[str, Any] = {}
        bad: dict[str, Any] = {}
        present = set(self.engine.columns(frame))  # a key pass reads a few columns only
        for name, spec in self.contract.fields.items():
            if name not in self.judgeable or name not in present:
                continue
            if self.fits[name] == "convert":
                conversion = self.engine.convert(spec, frame, name)
                replaced[name] = conversion.column
                if len(conversion.rows):
                    bad[name] = (conversion.rows, conversion.originals, f"not a {describe(spec)}")
            if name in cell_failures:
                bad[name] = cell_failures[name]
        return self.engine.with_columns(frame, replaced), bad

    def take(
        self, frame: Any, start: int, cell_failures: CellFailures, plan: Plan | None = None
    ) -> Any:
        """Judge one frame whose first row is row ``start`` of the dataset; return it converted.

        ``plan`` is the checks to run on it, all of them by default."""
        self.rows += self.engine.height(frame)
        frame, bad = self.prepare(frame, cell_failures)
        failing: list[np.ndarray] = []
        unreadable: dict[str, np.ndarray] = {}
        for name, (rows, originals, reason) in bad.items():
            found = self.typed.setdefault(name, _Found(reason=reason))
            found.count += len(rows)
            self._keep(found, (start + rows).tolist(), originals, pii=self._pii(name))
            unreadable[name] = rows
            failing.append(rows)
        plan = plan or self.plan
        evaluation = self.engine.failures(plan, frame, self.judgeable, self.references)
        for spec in runnable(plan, self.judgeable, self.references):
            if spec.mostly is not None:  # a row-level field check: its field is in the frame
                self.found.setdefault(spec.check_id, _Found()).present += self.engine.present(
                    frame, spec
                )
        for check_id, error in evaluation.errors.items():
            self.found.setdefault(check_id, _Found()).error = error
        for check_id, rows in evaluation.failed.items():
            spec = self.specs[check_id]
            if rows is None:  # a whole-column or whole-dataset verdict
                found = self.found.setdefault(check_id, _Found())
                found.failed, found.observed = True, self.engine.aggregate(frame, spec)
                continue
            kept = self.evidence(spec, frame, rows, start + rows, unreadable)
            if kept is not None and spec.mostly is not None:
                self.found[check_id].held.append(start + kept)
            elif kept is not None and Severity(spec.severity) is not Severity.INFO:
                failing.append(kept)
        if failing:
            self.failing.append(start + np.unique(np.concatenate(failing)))
        return frame

    def evidence(
        self,
        spec: CheckSpec,
        frame: Any,
        rows: np.ndarray,
        positions: np.ndarray,
        unreadable: Mapping[str, np.ndarray],
    ) -> np.ndarray | None:
        """Add the failing ``rows`` of ``frame`` (``positions`` in the dataset) to the check's
        evidence; return the rows that count, or None when none does."""
        columns = [spec.field or ""] if spec.kind == "nullable" else list(spec.columns)
        bad = [unreadable[c] for c in columns if c in unreadable]
        if bad:
            # a cell that could not be read is already a field.type violation; the null it left
            # behind must not fail the same row again as a null, a rule or a key
            keep = ~np.isin(rows, np.concatenate(bad))
            rows, positions = rows[keep], positions[keep]
        if not len(rows):
            return None
        found = self.found.setdefault(spec.check_id, _Found())
        found.count += len(rows)
        if spec.kind in KEY_KINDS:
            key_columns = spec.columns or (spec.field or "",)
            found.distinct_keys += self.engine.distinct_keys(frame, key_columns, rows)
        if spec.kind == "rule":
            unknown = self.engine.null_rows(frame, spec)
            found.null_skipped += int(np.intersect1d(rows, unknown).size)
        wanted = self.options.max_examples - len(found.examples)
        if wanted > 0:
            shown = rows[:wanted]
            if spec.field is not None:
                values = self.engine.values_at(frame, spec.field, shown)
                self._keep(found, positions[:wanted].tolist(), values, pii=self._pii(spec.field))
            else:
                by_column = {n: self.engine.values_at(frame, n, shown) for n in spec.columns}
                records = [
                    {n: REDACTED if self._pii(n) else by_column[n][i] for n in spec.columns}
                    for i in range(len(shown))
                ]
                self._keep(found, positions[:wanted].tolist(), records, pii=False)
        return rows

    def _keep(self, found: _Found, rows: list[int], values: list[Any], *, pii: bool) -> None:
        room = self.options.max_examples - len(found.examples)
        for row, value in zip(rows[:room], values[:room], strict=False):
            found.examples.append((row, REDACTED if pii else value))

    def _pii(self, name: str | None) -> bool:
        spec = self.contract.fields.get(name) if name else None
        return bool(spec and spec.pii)

    def _references(self) -> dict[str, Any]:
        prepared: dict[str, Any] = {}
        for spec in self.plan.all_checks():
            if spec.kind != "in_reference":
                continue
            data = self.options.references.get(spec.values["dataset"])
            if data is None:
                continue
            column = spec.values["field"]
            columns = list(getattr(data, "columns", []))
            if column not in columns:
                raise UsageError(
                    f"reference dataset '{spec.values['dataset']}' has no column "
                    f"'{column}' (it has: {', '.join(map(str, columns))})"
                )
            prepared[spec.check_id] = self.engine.reference_values(
                data, column, self.contract.fields[spec.field or ""]
            )
        return prepared

    # -- the report ---------------------------------------------------------------------------
    def _add(self, violation: Violation) -> None:
        self.violations.append(violation)

    def _result(
        self,
        spec_id: str,
        field_name: str | None,
        check: str,
        status: Literal["passed", "failed", "skipped"],
        severity: str,
        line: int | None,
        reason: str | None = None,
    ) -> None:
        self.results.append(
            CheckResult(
                check_id=spec_id,
                field=field_name,
                check=check,
                status=status,
                severity=Severity(severity),
                contract_line=line,
                reason=reason,
            )
        )

    def _fraction(self, count: int) -> float | None:
        return count / self.rows if self.rows else None

    def _examples(self, found: _Found) -> list[Example]:
        examples = []
        for row, value in found.examples:
            if self.options.locate is not None:
                file, in_file = self.options.locate(row)
                examples.append(Example(row=in_file, value=value, file=file))
            else:
                examples.append(Example(row=row, value=value))
        return examples

    def schema_pass(self) -> None:
        """Missing, retyped, unreadable and unexpected columns, in contract order."""
        contract = self.contract
        for name in self.options.duplicate_columns:
            self._add(
                Violation(
                    code=Code.DATASET_DUPLICATE_COLUMN,
                    severity=Severity.ERROR,
                    field=name,
                    check="columns",
                    message=f"duplicate column '{name}' in the header; only the "
                    "first was validated",
                )
            )
        for name, spec in contract.fields.items():
            line = contract.line_of(f"fields.{name}")
            type_id = f"fields.{name}.type"
            if name not in self.fits:
                if spec.required:
                    self._add(
                        Violation(
                            code=Code.FIELD_MISSING,
                            severity=Severity.ERROR,
                            field=name,
                            check="required",
                            check_id=f"fields.{name}",
                            message=f"required field '{name}' is missing",
                            contract_line=line,
                        )
                    )
                    self._result(
                        f"fields.{name}.required", name, "required", "failed", "error", line
                    )
                reason = f"field '{name}' is not in the data"
                self._skip_field(name, reason, Severity.INFO if spec.required else None)
                continue
            if spec.required:
                self._result(f"fields.{name}.required", name, "required", "passed", "error", line)
            missing_files = self.options.missing_in_files.get(name)
            if missing_files:
                self._add(
                    Violation(
                        code=Code.FIELD_MISSING,
                        severity=Severity.ERROR,
                        field=name,
                        check="required",
                        check_id=f"fields.{name}",
                        message=f"field '{name}' is missing from "
                        f"{len(missing_files)} of the files read",
                        contract_line=line,
                        details={"files": missing_files},
                    )
                )
            expected, actual = describe(spec), self.actual[name]
            mistyped = partial(
                Violation,
                code=Code.FIELD_TYPE,
                severity=Severity.ERROR,
                field=name,
                check="type",
                check_id=type_id,
                contract_line=line,
                details={"expected": expected, "actual": actual},
            )
            if self.fits[name] == "mismatch":
                self._add(mistyped(message=f"'{name}' is {actual}, the contract says {expected}"))
                self._result(type_id, name, "type", "failed", "error", line)
                self._skip_field(name, f"column type is {actual}, not {expected}", Severity.INFO)
                continue
            found = self.typed.get(name)
            if found is None:
                self._result(type_id, name, "type", "passed", "error", line)
                continue
            count = found.count
            self._add(
                mistyped(
                    failure_count=count,
                    failure_fraction=self._fraction(count),
                    examples=self._examples(found),
                    message=f"{count} value{'s' if count != 1 else ''} of '{name}' cannot be "
                    f"read as {expected} ({found.reason})",
                )
            )
            self._result(type_id, name, "type", "failed", "error", line)
        declared = set(contract.fields)
        closed = contract.dataset.columns == "closed"
        for column in self.columns:
            if column not in declared:
                self._add(
                    Violation(
                        code=Code.FIELD_UNEXPECTED,
                        severity=Severity.ERROR if closed else Severity.INFO,
                        field=column,
                        check="columns",
                        message=f"column '{column}' is not in the contract"
                        + (" (columns: closed)" if closed else " (columns: open)"),
                        contract_line=contract.line_of("dataset.columns"),
                    )
                )

    def _skip_field(self, name: str, reason: str, severity: Severity | None) -> None:
        for spec in self.plan.field_checks.get(name, []):
            self._skipped(spec, reason, severity)

    def _skipped(self, spec: CheckSpec, reason: str, severity: Severity | None) -> None:
        self._result(
            spec.check_id, spec.field, spec.kind, "skipped", spec.severity, spec.line, reason
        )
        if severity is not None:
            self._add(
                _violation(spec, Code.CHECK_SKIPPED, f"{spec.name} skipped: {reason}", severity)
            )

    def profile_pass(self) -> None:
        name = self.options.profile
        if name is None:
            return
        profile = self.original.profiles[name]
        columns = set(self.columns)
        for field_name, spec in self.contract.fields.items():
            if spec.role in profile.forbid_roles and field_name in columns:
                self._add(
                    Violation(
                        code=Code.PROFILE_FORBIDDEN_FIELD,
                        severity=Severity.ERROR,
                        field=field_name,
                        check="forbid_roles",
                        check_id=f"profiles.{name}.forbid_roles",
                        message=f"'{field_name}' has role {spec.role}, which profile '{name}' "
                        "forbids (a label in serving data is leakage)",
                        contract_line=self.contract.line_of(f"profiles.{name}.forbid_roles"),
                    )
                )
        for role in profile.require_roles:
            if not any(
                spec.role == role and field_name in columns
                for field_name, spec in self.contract.fields.items()
            ):
                self._add(
                    Violation(
                        code=Code.PROFILE_REQUIRED_ROLE,
                        severity=Severity.ERROR,
                        check="require_roles",
                        check_id=f"profiles.{name}.require_roles",
                        message=f"profile '{name}' requires a field with role {role}; none present",
                        contract_line=self.contract.line_of(f"profiles.{name}.require_roles"),
                    )
                )

    def check_pass(self) -> None:
        for spec in self.plan.all_checks():
            field_name = spec.field if spec.kind != "freshness" else None
            if field_name is not None and field_name not in self.judgeable:
                continue  # reported as skipped by the schema pass
            missing_columns = [c for c in spec.columns if c not in self.judgeable]
            if missing_columns:
                self._skipped(
                    spec,
                    f"needs {', '.join(missing_columns)}, which cannot be judged",
                    Severity.INFO,
                )
                continue
            if spec.kind == "in_reference" and spec.check_id not in self.references:
                self._skipped(
                    spec,
                    f"no data for reference '{spec.values['dataset']}'; pass "
                    f"--ref {spec.values['dataset']}=PATH",
                    Severity.WARNING,
                )
                continue
            found = self.found.get(spec.check_id)
            status: Literal["passed", "failed"] = "passed"
            reason = None
            if found is not None and found.error is not None:
                # never a silent pass: a check that cannot run fails, and says why
                message = f"{spec.name} could not be evaluated: {found.error}"
                self._add(_violation(spec, Code.CHECK_FAILED, message))
                status, reason = "failed", found.error
            elif found is not None and found.failed:
                self._aggregate_failed(spec, found.observed)
                status = "failed"
            elif found is not None and found.count:
                if tolerated(found.count, found.present, spec.mostly):
                    self._rows_tolerated(spec, found)
                else:
                    self._rows_failed(spec, found)
                    self.failing += found.held
                    status = "failed"
            self._result(
                spec.check_id, spec.field, spec.kind, status, spec.severity, spec.line, reason
            )

    def _aggregate_failed(self, spec: CheckSpec, observed: Any) -> None:
        code = _CODES.get(spec.kind, Code.CHECK_FAILED)
        message = aggregate_message(spec, observed)
        self._add(_violation(spec, code, message, details={"observed": _plain(observed)}))

    def _rows_failed(self, spec: CheckSpec, found: _Found) -> None:
        count = found.count
        details: dict[str, Any] = {}
        message = check_message(spec, count)
        if spec.kind in KEY_KINDS:
            keys = found.distinct_keys
            details["distinct_keys"] = keys
            details["counting"] = "every row involved in a duplicate"
            message += f" ({keys} distinct duplicated key{'s' if keys != 1 else ''})"
        if spec.kind == "rule":
            details["null_skipped"] = found.null_skipped
            if found.null_skipped:
                message += f"; {found.null_skipped} of them because of a null"
        if spec.mostly is not None:
            details.update(tolerance_details(count, found.present, spec.mostly))
            message += f" ({tolerance_text(count, found.present, spec.mostly)})"
        self._add(
            _violation(
                spec,
                _CODES.get(spec.kind, Code.CHECK_FAILED),
                message,
                failure_count=count,
                failure_fraction=self._fraction(count),
                examples=self._examples(found),
                details=details,
            )
        )

    def _rows_tolerated(self, spec: CheckSpec, found: _Found) -> None:
        """A check within its ``mostly``: it passes, and an info violation (which never fails a
        run) still shows the failing values, so a tolerance never hides what it tolerates."""
        assert spec.mostly is not None
        count = found.count
        self._add(
            _violation(
                spec,
                Code.CHECK_FAILED,
                f"{check_message(spec, count)}, within tolerance "
                f"({tolerance_text(count, found.present, spec.mostly)})",
                Severity.INFO,
                failure_count=count,
                failure_fraction=self._fraction(count),
                examples=self._examples(found),
                details={
                    "tolerated": True,
                    **tolerance_details(count, found.present, spec.mostly),
                },
            )
        )

    def drift_pass(self, frame: Any) -> None:
        if self.options.reference is None:
            return
        from accord.drift.compare import evaluate_drift  # noqa: PLC0415 - drift loads lazily

        outcome = evaluate_drift(frame, self.contract, self.options.reference)
        self.violations += outcome.violations
        self.results += outcome.checks

    def empty_pass(self) -> None:
        if self.rows == 0 and self.contract.dataset.row_count is None:
            self._add(
                Violation(
                    code=Code.DATASET_EMPTY,
                    severity=Severity.WARNING,
                    check="row_count",
                    message="the data has zero rows: nothing was validated",
                )
            )

    def null_token_notes(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        for name, tokens in counts.items():
            listed = ", ".join(f"{count} x {token!r}" for token, count in tokens.items())
            self._add(
                Violation(
                    code=Code.FIELD_NULL,
                    severity=Severity.INFO,
                    field=name,
                    check="null_values",
                    message=f"read as null by the contract's null_values: {listed}",
                    details={"null_tokens": dict(tokens)},
                )
            )

    def report(
        self, drift_frame: Any, null_tokens: Mapping[str, Mapping[str, int]], started: Any
    ) -> Report:
        """Every pass's violations in SPEC order, from the evidence gathered."""
        self.profile_pass()
        self.schema_pass()
        self.check_pass()
        self.drift_pass(drift_frame)
        self.empty_pass()
        self.null_token_notes(null_tokens)
        failing = np.unique(np.concatenate(self.failing)) if self.failing else np.array([])
        contract = self.original
        clock, started_at = started
        return Report.assemble(
            contract=ContractRef(
                name=contract.name, version=contract.version, path=contract.origin.path
            ),
            profile=self.options.profile,
            engine=self.engine.name,
            dataset=DatasetInfo(
                sources=self.options.sources, rows=self.rows, columns=len(self.columns)
            ),
            violations=self.violations,
            checks=self.results,
            failing_rows=len(failing),
            started_at=started_at,
            duration_s=time.perf_counter() - clock,
            fail_on=self.options.fail_on,  # type: ignore[arg-type]
        )


def _violation(
    spec: CheckSpec, code: Code, message: str, severity: Severity | None = None, **evidence: Any
) -> Violation:
    """A violation of the check ``spec``, located and labelled as the contract states it."""
    return Violation(
        code=code,
        severity=severity or Severity(spec.severity),
        field=spec.field,
        check=spec.kind,
        check_name=spec.label,
        check_id=spec.check_id,
        params=spec.params,
        message=message,
        contract_line=spec.line,
        **evidence,
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return str(value)
    return value


def _start(contract: ContractModel, options: RunInput) -> tuple[_Run, tuple[float, dt.datetime]]:
    started = (time.perf_counter(), dt.datetime.now(dt.UTC))
    contract.check_profile(options.profile)
    if options.reference is not None:
        from accord.drift.compare import check_compatible  # noqa: PLC0415

        check_compatible(contract, options.reference)  # a wrong reference fails before any work
    return _Run(contract.apply_profile(options.profile), contract, options), started


def run_contract(contract: ContractModel, frame: Any, options: RunInput) -> Report:
    """Validate ``frame`` against ``contract`` and return the report."""
    run, started = _start(contract, options)
    run.decide(frame)
    converted = run.take(frame, 0, options.cell_failures)
    return run.report(converted, options.null_token_counts, started)


Progress = Callable[[int, int], None]
"""Called after each batch with the rows and the batches done so far."""


def run_batched(
    contract: ContractModel,
    dataset: BatchedDataset,
    options: RunInput,
    *,
    progress: Progress | None = None,
) -> Report:
    """Validate a dataset batch by batch, with memory bounded by a batch plus the summaries of
    the dataset-wide checks (``dataset_wide``), and return the report an unbatched run gives.

    Polars only: the batches are polars frames. ``options.locate`` is ignored; rows are located
    through ``dataset``.
    """
    import polars as pl  # noqa: PLC0415 - the batched path is polars' alone

    from accord.compile.expr_polars import column  # noqa: PLC0415
    from accord.run.dataset_wide import DatasetWide  # noqa: PLC0415
    from accord.run.engine_polars import utc_named  # noqa: PLC0415

    if options.engine.name != "polars":
        raise UsageError("batch-wise validation runs on the polars engine; use --engine polars")
    run, started = _start(contract, options)
    row_plan = run.plan.only(lambda spec: not dataset_wide(spec))
    wide: DatasetWide | None = None
    drift_columns: list[str] = []
    drift_parts: list[pl.DataFrame] = []
    null_tokens: dict[str, dict[str, int]] = {}
    for batches, batch in enumerate(dataset.batches(), start=1):
        if wide is None:
            run.decide(batch.frame)
            present = runnable(run.plan, run.judgeable, run.references)
            wide = DatasetWide(present, expected_rows=dataset.total_rows)
            if options.reference is not None:
                from accord.drift.compare import measured_fields  # noqa: PLC0415

                drift_columns = [n for n in measured_fields(run.contract) if n in run.columns]
        failures = cell_failures_of(batch.cell_failures, batch.failure_reasons)
        frame = run.take(batch.frame, batch.start, failures, row_plan)
        wide.add(utc_named(frame))
        if drift_columns:
            drift_parts.append(frame.select([column(name) for name in drift_columns]))
        for name, tokens in batch.null_token_counts.items():
            counts = null_tokens.setdefault(name, {})
            for token, count in tokens.items():
                counts[token] = counts.get(token, 0) + count
        if progress is not None:
            progress(run.rows, batches)
    assert wide is not None  # a dataset always yields a batch, if only to give its schema
    for name, reason in dataset.failure_reasons.items():  # worded for the whole data, not a batch
        if name in run.typed:
            run.typed[name].reason = reason
    for check_id, (passed, observed) in wide.verdicts().items():
        if not passed:
            run.found[check_id] = _Found(failed=True, observed=observed)
    _judge_keys(run, dataset, wide.repeated_keys())
    if len(dataset.files_read) > 1:
        run.options = _located(options, dataset)
    drift_frame = pl.concat(drift_parts) if drift_parts else pl.DataFrame()
    return run.report(drift_frame, null_tokens, started)


def _judge_keys(run: _Run, dataset: BatchedDataset, repeated: Mapping[str, np.ndarray]) -> None:
    """Read the key columns of the rows whose key hash repeats and judge them with the key
    checks' own expressions: exact, whatever the hash collides. Row positions travel beside the
    frame, never as a column that a key column's name could collide with."""
    import polars as pl  # noqa: PLC0415

    from accord.run.dataset_wide import key_hashes  # noqa: PLC0415

    if not repeated:
        return
    specs = [s for s in run.plan.all_checks() if s.check_id in repeated]
    names = list(dict.fromkeys(c for s in specs for c in (s.columns or (s.field or "",))))
    # Per key check: the candidate rows' key columns, and where each row is in the dataset.
    gathered: dict[str, list[tuple[pl.DataFrame, np.ndarray]]] = {s.check_id: [] for s in specs}
    for batch in dataset.batches(columns=names):
        frame, _ = run.prepare(batch.frame, {})
        for spec in specs:
            rows = np.flatnonzero(np.isin(key_hashes(frame, spec), repeated[spec.check_id]))
            if rows.size:
                gathered[spec.check_id].append((frame[rows], batch.start + rows))
    for spec in specs:
        parts = gathered.pop(spec.check_id)
        if not parts:
            continue
        frame = pl.concat([part for part, _ in parts])
        positions = np.concatenate([where for _, where in parts])
        only_this = run.plan.only(partial(_is_check, spec.check_id))
        evaluation = run.engine.failures(only_this, frame, run.judgeable, {})
        if spec.check_id in evaluation.errors:
            run.found.setdefault(spec.check_id, _Found()).error = evaluation.errors[spec.check_id]
        failed = evaluation.failed.get(spec.check_id)
        if failed is None:
            continue
        rows = failed[np.argsort(positions[failed], kind="stable")]  # examples: the first rows
        kept = run.evidence(spec, frame, rows, positions[rows], {})
        if kept is not None and Severity(spec.severity) is not Severity.INFO:
            run.failing.append(positions[kept])


def cell_failures_of(
    cells: Mapping[str, Any], reasons: Mapping[str, str]
) -> dict[str, tuple[np.ndarray, list[Any], str]]:
    """A reader's cell failures (per field, a frame of ``row`` and ``value``) as the runner
    takes them."""
    return {
        name: (
            failed.get_column("row").to_numpy().astype(np.int64),
            failed.get_column("value").to_list(),
            reasons.get(name, ""),
        )
        for name, failed in cells.items()
    }


def _is_check(check_id: str, spec: CheckSpec) -> bool:
    return spec.check_id == check_id


def _located(options: RunInput, dataset: BatchedDataset) -> RunInput:
    return replace(options, locate=dataset.locate, sources=[s.path for s in dataset.files_read])
