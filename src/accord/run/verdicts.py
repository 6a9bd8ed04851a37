"""Verdicts from the evidence: every pass's violations and check results, in SPEC order.

The schema pass decides, per field, whether the column is missing, of the declared type, of a
type that fits value by value, or of another type; only fields that can be judged are checked,
and every check of a field that cannot is ``skipped``, never passed. Violations are built only
here, once the evidence of every frame is in, so a batched run reports what an unbatched one
does.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from accord.compile.nested import REASON as REASON_NESTED
from accord.compile.nested import unevaluated
from accord.compile.plan import KEY_KINDS, CheckSpec
from accord.contract.fit import describe
from accord.contract.model import ContractModel
from accord.report.codes import Code, Severity
from accord.report.model import (
    CheckResult,
    ContractRef,
    DatasetInfo,
    Example,
    Report,
    Violation,
)
from accord.run.gathering import REDACTED, Found, Gathering
from accord.run.messages import aggregate_message, check_message
from accord.run.tolerance import tolerance_details, tolerance_text, tolerated

if TYPE_CHECKING:
    from accord.drift.compare import DriftOutcome

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


_VALUE_AGGREGATES = frozenset({"freshness", "median_between", "min_between", "max_between"})
"""Aggregate checks whose observed value is a value of the field, redacted for pii fields."""


class Verdicts:
    """The violations and check results of a run whose evidence is all in ``gathered``;
    ``original`` is the contract as written (before its profile is applied)."""

    def __init__(self, gathered: Gathering, original: ContractModel) -> None:
        self.gathered = gathered
        self.original = original
        self.contract = gathered.contract
        self.options = gathered.options
        self.plan = gathered.plan
        self.rows = gathered.rows
        self.columns = gathered.columns
        self.fits = gathered.fits
        self.actual = gathered.actual
        self.judgeable = gathered.judgeable
        self.references = gathered.references
        self.typed = gathered.typed
        self.found = gathered.found
        self.violations: list[Violation] = []
        self.results: list[CheckResult] = []

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

    def _examples(self, found: Found) -> list[Example]:
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
                            check_id=f"fields.{name}.required",
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
            missing_files = self.options.missing_in_files.get(name)
            if spec.required:
                # one id for the violation and the check, so JUnit shows one testcase per field
                status: Literal["passed", "failed"] = "failed" if missing_files else "passed"
                self._result(f"fields.{name}.required", name, "required", status, "error", line)
            if missing_files:
                self._add(
                    Violation(
                        code=Code.FIELD_MISSING,
                        severity=Severity.ERROR,
                        field=name,
                        check="required",
                        check_id=f"fields.{name}.required",
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
                    message=f"{count:,} value{'s' if count != 1 else ''} of '{name}' cannot be "
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
        if contract.dataset.ordered:
            self.order_pass()

    def order_pass(self) -> None:
        """``ordered: true``: the declared fields present must come in contract order.
        Undeclared columns between them are the business of ``columns: open|closed``."""
        line = self.contract.line_of("dataset.ordered")
        declared = [name for name in self.contract.fields if name in self.columns]
        seen = [column for column in self.columns if column in self.contract.fields]
        status: Literal["passed", "failed"] = "passed"
        if seen != declared:
            status = "failed"
            self._add(
                Violation(
                    code=Code.DATASET_COLUMN_ORDER,
                    severity=Severity.ERROR,
                    check="ordered",
                    check_id="dataset.ordered",
                    message=f"columns are in the order {', '.join(seen)}; the contract "
                    f"(ordered: true) says {', '.join(declared)}",
                    contract_line=line,
                    details={"expected": declared, "actual": seen},
                )
            )
        self._result("dataset.ordered", None, "ordered", status, "error", line)

    def _skip_field(self, name: str, reason: str, severity: Severity | None) -> None:
        for spec in self.plan.field_checks.get(name, []):
            self.skipped(spec, reason, severity)

    def skipped(self, spec: CheckSpec, reason: str, severity: Severity | None) -> None:
        self._result(
            spec.check_id, spec.field, spec.shown_kind, "skipped", spec.severity, spec.line, reason
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
                self.skipped(
                    spec,
                    f"needs {', '.join(missing_columns)}, which cannot be judged",
                    Severity.INFO,
                )
                continue
            if spec.kind == "in_reference" and spec.check_id not in self.references:
                self.skipped(
                    spec,
                    f"no data for reference '{spec.values['dataset']}'; pass "
                    f"--ref {spec.values['dataset']}=PATH",
                    Severity.WARNING,
                )
                continue
            found = self.found.get(spec.check_id)
            if found is not None and found.skipped is not None:
                # the engine did not run it: neither a pass nor a verdict on the data
                self.skipped(spec, found.skipped, Severity.WARNING)
                continue
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
                    self.gathered.failing += found.held
                    status = "failed"
            self._result(
                spec.check_id, spec.field, spec.shown_kind, status, spec.severity, spec.line, reason
            )
        for spec in unevaluated(self.contract):
            self.skipped(spec, REASON_NESTED, Severity.WARNING)

    def _aggregate_failed(self, spec: CheckSpec, observed: Any) -> None:
        code = _CODES.get(spec.kind, Code.CHECK_FAILED)
        if spec.kind in _VALUE_AGGREGATES and self.gathered.pii(spec.field):
            observed = REDACTED  # the newest timestamp, a median, a min: a value of the pii field
        message = aggregate_message(spec, observed)
        self._add(_violation(spec, code, message, details={"observed": _plain(observed)}))

    def _rows_failed(self, spec: CheckSpec, found: Found) -> None:
        count = found.count
        details: dict[str, Any] = {}
        message = check_message(spec, count)
        if spec.kind in KEY_KINDS:
            keys = found.distinct_keys
            details["distinct_keys"] = keys
            details["counting"] = "every row involved in a duplicate"
            message += f" ({keys:,} distinct duplicated key{'s' if keys != 1 else ''})"
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

    def _rows_tolerated(self, spec: CheckSpec, found: Found) -> None:
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

    def drift_pass(self, drift: DriftOutcome | None) -> None:
        if drift is not None:
            self.violations += drift.violations
            self.results += drift.checks

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
        self,
        engine: str,
        drift: DriftOutcome | None,
        null_tokens: Mapping[str, Mapping[str, int]],
        started: tuple[float, dt.datetime],
    ) -> Report:
        """Every pass's violations in SPEC order, from the evidence gathered, as run by the
        engine named ``engine``."""
        self.profile_pass()
        self.schema_pass()
        self.check_pass()
        self.drift_pass(drift)
        self.empty_pass()
        self.null_token_notes(null_tokens)
        contract = self.original
        clock, started_at = started
        return Report.assemble(
            contract=ContractRef(
                name=contract.name, version=contract.version, path=contract.origin.path
            ),
            profile=self.options.profile,
            engine=engine,
            dataset=DatasetInfo(
                sources=self.options.sources, rows=self.rows, columns=len(self.columns)
            ),
            violations=self.violations,
            checks=self.results,
            failing_rows=self.gathered.failing_rows(),
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
        check=spec.shown_kind,
        check_name=spec.label,
        check_id=spec.check_id,
        params=spec.shown_params,
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
