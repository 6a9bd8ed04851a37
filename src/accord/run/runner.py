"""Run a contract over one frame and produce the report: schema pass, checks, dataset rules.

The order is the one SPEC section 2 gives. The schema pass decides, per field, whether the column
is missing, of the declared type, of a type that fits value by value, or of another type; only
fields that can be judged go to pandera, and every check of a field that cannot is ``skipped``,
never passed. pandera's failure cases become violations with exact counts and capped examples.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from accord.compile.dtypes_polars import describe
from accord.compile.plan import CheckSpec, build_plan
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


@dataclass
class RunInput:
    """Everything a run needs besides the contract and the frame."""

    engine: Engine
    profile: str | None = None
    references: Mapping[str, Any] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    max_examples: int = 5
    fail_on: str = "error"
    sources: list[str] = field(default_factory=list)
    # Evidence from a reader: cells that could not be read, per field (rows, original texts).
    cell_failures: Mapping[str, tuple[np.ndarray, list[Any], str]] = field(default_factory=dict)
    duplicate_columns: list[str] = field(default_factory=list)
    missing_in_files: Mapping[str, list[str]] = field(default_factory=dict)
    null_token_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    locate: Any = None
    """Global row to (file, row in file), when several files were read."""
    reference: Any = None
    """Reference statistics (``accord.drift.ReferenceProfile``) to measure drift against."""


class _Run:
    def __init__(self, contract: ContractModel, frame: Any, options: RunInput) -> None:
        self.contract = contract
        self.frame = frame
        self.options = options
        self.engine = options.engine
        self.violations: list[Violation] = []
        self.results: list[CheckResult] = []
        self.failing_rows: list[np.ndarray] = []
        self.rows = self.engine.height(frame)
        self.bad_cells: dict[str, np.ndarray] = {}

    # -- evidence helpers -------------------------------------------------------------------
    def _examples(
        self,
        column: str | None,
        rows: np.ndarray,
        values: list[Any] | None = None,
        *,
        pii: bool = False,
    ) -> list[Example]:
        cap = self.options.max_examples
        shown = rows[:cap]
        if values is None:
            values = self.engine.values_at(self.frame, column, shown) if column else []
        examples = []
        for row, value in zip(shown.tolist(), values[:cap], strict=False):
            shown_value = REDACTED if pii else value
            if self.options.locate is not None:
                file, in_file = self.options.locate(int(row))
                examples.append(Example(row=in_file, value=shown_value, file=file))
            else:
                examples.append(Example(row=int(row), value=shown_value))
        return examples

    def _pii(self, name: str | None) -> bool:
        spec = self.contract.fields.get(name) if name else None
        return bool(spec and spec.pii)

    def _add(self, violation: Violation, rows: np.ndarray | None = None) -> None:
        self.violations.append(violation)
        if rows is not None and violation.severity is not Severity.INFO and len(rows):
            self.failing_rows.append(rows)

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

    # -- passes -----------------------------------------------------------------------------
    def schema_pass(self) -> set[str]:
        """Fields present and judgeable; everything else is reported here."""
        contract = self.contract
        columns = self.engine.columns(self.frame)
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
        judgeable: set[str] = set()
        replaced: dict[str, Any] = {}
        for name, spec in contract.fields.items():
            line = contract.line_of(f"fields.{name}")
            type_id = f"fields.{name}.type"
            if name not in columns:
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
            fit = self.engine.fit(spec, self.frame, name)
            expected = describe(spec)
            actual = self.engine.dtype_text(self.frame, name)
            if fit == "mismatch":
                self._add(
                    Violation(
                        code=Code.FIELD_TYPE,
                        severity=Severity.ERROR,
                        field=name,
                        check="type",
                        check_id=type_id,
                        message=f"'{name}' is {actual}, the contract says {expected}",
                        contract_line=line,
                        details={"expected": expected, "actual": actual},
                    )
                )
                self._result(type_id, name, "type", "failed", "error", line)
                self._skip_field(name, f"column type is {actual}, not {expected}", Severity.INFO)
                continue
            rows, originals, reason = np.array([], dtype=np.int64), [], ""
            if fit == "convert":
                conversion = self.engine.convert(spec, self.frame, name)
                replaced[name] = conversion.column
                rows, originals = conversion.rows, conversion.originals
                reason = f"not a {expected}"
            if name in self.options.cell_failures:
                rows, originals, reason = self.options.cell_failures[name]
            if len(rows):
                count = len(rows)
                self.bad_cells[name] = rows
                self._add(
                    Violation(
                        code=Code.FIELD_TYPE,
                        severity=Severity.ERROR,
                        field=name,
                        check="type",
                        check_id=type_id,
                        failure_count=count,
                        failure_fraction=self._fraction(count),
                        examples=self._examples(name, rows, originals, pii=spec.pii),
                        message=f"{count} value{'s' if count != 1 else ''} of '{name}' cannot be "
                        f"read as {expected} ({reason})",
                        contract_line=line,
                        details={"expected": expected, "actual": actual},
                    ),
                    rows,
                )
                self._result(type_id, name, "type", "failed", "error", line)
            else:
                self._result(type_id, name, "type", "passed", "error", line)
            judgeable.add(name)
        self.frame = self.engine.with_columns(self.frame, replaced)
        declared = set(contract.fields)
        closed = contract.dataset.columns == "closed"
        for column in columns:
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
        return judgeable

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
        columns = set(self.engine.columns(self.frame))
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

    def check_pass(self, judgeable: set[str]) -> None:
        references = self._references()
        runnable: set[str] = set(judgeable)
        evaluation = self.engine.failures(self.plan, self.frame, runnable, references)
        for spec in self.plan.all_checks():
            if spec.field is not None and spec.kind != "freshness" and spec.field not in runnable:
                continue  # reported as skipped by the schema pass
            missing_columns = [c for c in spec.columns if c not in runnable]
            if missing_columns:
                self._skipped(
                    spec,
                    f"needs {', '.join(missing_columns)}, which cannot be judged",
                    Severity.INFO,
                )
                continue
            if spec.kind == "in_reference" and spec.check_id not in references:
                self._skipped(
                    spec,
                    f"no data for reference '{spec.values['dataset']}'; pass "
                    f"--ref {spec.values['dataset']}=PATH",
                    Severity.WARNING,
                )
                continue
            error = evaluation.errors.get(spec.check_id)
            if error is not None:
                # never a silent pass: a check that cannot run fails, and says why
                message = f"{spec.name} could not be evaluated: {error}"
                self._add(_violation(spec, Code.CHECK_FAILED, message))
                self._result(
                    spec.check_id, spec.field, spec.kind, "failed", spec.severity, spec.line, error
                )
            elif spec.check_id in evaluation.failed:
                self._failed(spec, evaluation.failed[spec.check_id])
            else:
                self._result(
                    spec.check_id, spec.field, spec.kind, "passed", spec.severity, spec.line
                )

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

    def _failed(self, spec: CheckSpec, rows: np.ndarray | None) -> None:
        code = _CODES.get(spec.kind, Code.CHECK_FAILED)
        if rows is None:  # a whole-column or whole-dataset check
            observed = self.engine.aggregate(self.frame, spec)
            message = aggregate_message(spec, observed)
            self._add(_violation(spec, code, message, details={"observed": _plain(observed)}))
            self._result(spec.check_id, spec.field, spec.kind, "failed", spec.severity, spec.line)
            return
        unreadable = self._unreadable_rows(spec)
        if unreadable is not None:
            # a cell that could not be read is already a field.type violation; the null it left
            # behind must not fail the same row again as a null, a rule or a key
            rows = np.setdiff1d(rows, unreadable, assume_unique=True)
            if not len(rows):
                self._result(
                    spec.check_id, spec.field, spec.kind, "passed", spec.severity, spec.line
                )
                return
        count = len(rows)
        details: dict[str, Any] = {}
        if spec.kind in ("primary_key", "unique_together", "unique"):
            columns = spec.columns or (spec.field or "",)
            details["distinct_keys"] = self.engine.distinct_keys(self.frame, columns, rows)
            details["counting"] = "every row involved in a duplicate"
        if spec.kind == "rule":
            unknown = self.engine.null_rows(self.frame, spec)
            details["null_skipped"] = int(np.intersect1d(rows, unknown).size)
        if spec.field is not None:
            examples = self._examples(spec.field, rows, pii=self._pii(spec.field))
        else:
            examples = self._row_examples(spec, rows)
        message = check_message(spec, count)
        if spec.kind in ("primary_key", "unique_together", "unique"):
            keys = details["distinct_keys"]
            message += f" ({keys} distinct duplicated key{'s' if keys != 1 else ''})"
        if spec.kind == "rule" and details["null_skipped"]:
            message += f"; {details['null_skipped']} of them because of a null"
        self._add(
            _violation(
                spec,
                code,
                message,
                failure_count=count,
                failure_fraction=self._fraction(count),
                examples=examples,
                details=details,
            ),
            rows,
        )
        self._result(spec.check_id, spec.field, spec.kind, "failed", spec.severity, spec.line)

    def _unreadable_rows(self, spec: CheckSpec) -> np.ndarray | None:
        columns = [spec.field] if spec.kind == "nullable" else list(spec.columns)
        bad = [self.bad_cells[c] for c in columns if c in self.bad_cells]
        return np.unique(np.concatenate(bad)) if bad else None

    def _row_examples(self, spec: CheckSpec, rows: np.ndarray) -> list[Example]:
        shown = rows[: self.options.max_examples]
        columns = {name: self.engine.values_at(self.frame, name, shown) for name in spec.columns}
        values = [
            {name: (REDACTED if self._pii(name) else columns[name][i]) for name in spec.columns}
            for i in range(len(shown))
        ]
        return self._examples(None, shown, values)

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

    def null_token_notes(self) -> None:
        for name, tokens in self.options.null_token_counts.items():
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

    def run(self, original: ContractModel) -> None:
        self.original = original
        self.plan = build_plan(self.contract, as_of=self.options.as_of)
        self.profile_pass()
        judgeable = self.schema_pass()
        self.check_pass(judgeable)
        if self.options.reference is not None:
            from accord.drift.compare import evaluate_drift  # noqa: PLC0415 - drift loads lazily

            outcome = evaluate_drift(self.frame, self.contract, self.options.reference)
            self.violations += outcome.violations
            self.results += outcome.checks
        self.empty_pass()
        self.null_token_notes()


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


def run_contract(contract: ContractModel, frame: Any, options: RunInput) -> Report:
    """Validate ``frame`` against ``contract`` and return the report."""
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    if options.profile is not None and options.profile not in contract.profiles:
        known = ", ".join(contract.profiles) or "none"
        raise UsageError(
            f"contract '{contract.name}' has no profile '{options.profile}' (profiles: {known})"
        )
    if options.reference is not None:
        from accord.drift.compare import check_compatible  # noqa: PLC0415

        check_compatible(contract, options.reference)  # a wrong reference fails before any work
    applied = contract.apply_profile(options.profile)
    run = _Run(applied, frame, options)
    run.run(contract)
    failing = np.unique(np.concatenate(run.failing_rows)) if run.failing_rows else np.array([])
    return Report.assemble(
        contract=ContractRef(
            name=contract.name, version=contract.version, path=contract.origin.path
        ),
        profile=options.profile,
        engine=options.engine.name,
        dataset=DatasetInfo(
            sources=options.sources, rows=run.rows, columns=len(run.engine.columns(frame))
        ),
        violations=run.violations,
        checks=run.results,
        failing_rows=len(failing),
        started_at=started,
        duration_s=time.perf_counter() - clock,
        fail_on=options.fail_on,  # type: ignore[arg-type]
    )
