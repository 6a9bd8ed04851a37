"""Current data against a reference profile: drift violations for the report (SPEC 1.7).

Which fields: role ``feature`` or ``prediction``, plus any field ``drift.fields`` names. Which
metrics: each threshold resolves per metric from ``drift.fields[name]``, then ``drift.default``;
a metric without a threshold is not evaluated, and one that does not apply to the field's kind
(``ks`` on text) is ignored when it comes from the default and noted (info) when the field's own
entry asks for it. A metric that cannot be computed (zero rows, no non-null values on a side) is
a ``check.skipped`` warning, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from accord.contract.model import ContractModel, DriftThresholds
from accord.drift.current import Current, summarise
from accord.drift.measure import APPLIES, METRICS, NotEvaluable, measure, message
from accord.drift.measured import MeasuredFrame
from accord.drift.reference import FieldStats, ReferenceProfile
from accord.drift.stats import kind_of, read_column
from accord.engines.base import Measuring
from accord.engines.registry import engine_for
from accord.errors import UsageError
from accord.report.codes import Code, Severity
from accord.report.model import CheckResult, Violation

if TYPE_CHECKING:
    from accord.engines.base import Engine

__all__ = [
    "DriftOutcome",
    "check_compatible",
    "drift_violations",
    "evaluate_drift",
    "load_reference",
    "measured_drift",
    "measured_fields",
]

CODES = {
    "psi": Code.DRIFT_PSI,
    "ks": Code.DRIFT_KS,
    "mean_shift": Code.DRIFT_MEAN_SHIFT,
    "null_fraction_delta": Code.DRIFT_NULL_FRACTION,
    "unseen_categories": Code.DRIFT_UNSEEN_CATEGORIES,
}
DEFAULT_ROLES = ("feature", "prediction")
_Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class DriftOutcome:
    """Drift findings: violations, and one check result per (field, metric) considered."""

    violations: list[Violation]
    checks: list[CheckResult]


def load_reference(reference: ReferenceProfile | str | Path) -> ReferenceProfile:
    """A profile object as given, or read from a stats file (``DataReadError`` if unreadable)."""
    if isinstance(reference, ReferenceProfile):
        return reference
    return ReferenceProfile.read(reference)


def check_compatible(contract: ContractModel, reference: ReferenceProfile) -> None:
    """``UsageError`` unless the reference was made for this contract name and MAJOR version."""
    made_for = f"{reference.contract.name}@{reference.contract.version}"
    if reference.contract.name != contract.name:
        raise UsageError(
            f"the reference profile was made for contract {made_for}, not '{contract.name}'; "
            f"build one for this contract with `accord profile`"
        )
    if reference.contract.version.split(".")[0] != contract.version.split(".")[0]:
        raise UsageError(
            f"the reference profile was made for {made_for}, another major version than "
            f"{contract.name}@{contract.version}: the data's meaning may have changed, so rebuild "
            "the reference with `accord profile`"
        )


class Measured(Protocol):
    """The current data as drift reads it: its height, its columns, and one field summarised
    (``TypeError`` when its values cannot carry its kind's statistics)."""

    rows: int
    columns: set[str]

    def current(self, name: str, stats: FieldStats) -> Current: ...


class _WholeFrame:
    """A frame read whole: each field summarised with every value kept, so metrics are exact."""

    def __init__(self, frame: Any, engine: Engine) -> None:
        self.frame, self.engine = frame, engine
        self.rows = engine.height(frame)  # a Spark frame has no len()
        self.columns = set(engine.columns(frame))

    def current(self, name: str, stats: FieldStats) -> Current:
        return summarise(read_column(self.frame, name, stats.kind, self.engine), stats)


class _Drift:
    def __init__(
        self, data: Measured, contract: ContractModel, reference: ReferenceProfile
    ) -> None:
        self.data, self.contract, self.reference = data, contract, reference
        self.rows = data.rows
        self.columns = data.columns
        self.violations: list[Violation] = []
        self.checks: list[CheckResult] = []

    def _line(self, *paths: str) -> int | None:
        return next((line for p in paths if (line := self.contract.line_of(p))), None)

    def _result(
        self, name: str, metric: str, status: _Status, severity: Severity, **extra: Any
    ) -> None:
        self.checks.append(
            CheckResult(
                check_id=f"drift.fields.{name}.{metric}",
                field=name,
                check=metric,
                status=status,
                severity=severity,
                **extra,
            )
        )

    def _skip(self, name: str, metrics_: list[str], reason: str, note: Severity | None) -> None:
        for metric in metrics_:
            self._result(name, metric, "skipped", self._severity(name), reason=reason)
        if note is not None:
            self.violations.append(
                Violation(
                    code=Code.CHECK_SKIPPED,
                    severity=note,
                    field=name,
                    check="drift",
                    message=f"drift of {name} not evaluated: {reason}",
                    contract_line=self._line(f"drift.fields.{name}", "drift.default", "drift"),
                    details={"metrics": metrics_},
                )
            )

    def _severity(self, name: str) -> Severity:
        drift = self.contract.drift
        own = drift.fields.get(name, DriftThresholds()).severity
        return Severity(own or drift.default.severity or drift.severity)

    def run(self) -> None:
        drift = self.contract.drift
        for name in measured_fields(self.contract):
            spec = self.contract.fields[name]
            stats = self.reference.fields.get(name)
            kind = stats.kind if stats is not None else kind_of(spec.type)
            own = drift.fields.get(name, DriftThresholds())
            wanted: list[str] = []
            for metric in METRICS:
                threshold = getattr(own, metric)
                if threshold is None and getattr(drift.default, metric) is None:
                    continue
                if metric in APPLIES[kind]:
                    wanted.append(metric)
                elif threshold is not None:
                    self._not_applicable(name, metric, kind)
            if wanted:
                self._field(name, stats, wanted, pii=spec.pii)

    def _not_applicable(self, name: str, metric: str, kind: str) -> None:
        reason = f"{metric} does not apply to a {kind} field"
        line = self._line(f"drift.fields.{name}.{metric}")
        self._result(
            name, metric, "skipped", self._severity(name), reason=reason, contract_line=line
        )
        self.violations.append(
            Violation(
                code=Code.CHECK_SKIPPED,
                severity=Severity.INFO,
                field=name,
                check=metric,
                check_id=f"drift.fields.{name}.{metric}",
                message=f"{metric} of {name} not evaluated: {reason}",
                contract_line=line,
            )
        )

    def _field(self, name: str, stats: FieldStats | None, wanted: list[str], *, pii: bool) -> None:
        if name not in self.columns:
            self._skip(name, wanted, f"field '{name}' is not in the data", None)
            return
        if stats is None:
            reason = "the reference profile has no statistics for it"
            self._skip(name, wanted, reason, Severity.INFO)
            return
        if self.rows == 0:
            self._skip(name, wanted, "the data has zero rows", Severity.WARNING)
            return
        try:
            column = self.data.current(name, stats)
        except TypeError as error:
            self._skip(name, wanted, f"its values cannot be measured ({error})", Severity.INFO)
            return
        not_evaluable: dict[str, str] = {}
        for metric in wanted:
            try:
                observed, details = measure(metric, stats, column, pii=pii)
            except NotEvaluable as problem:
                not_evaluable[metric] = str(problem)
                continue
            self._judge(name, metric, observed, details)
        for reason in dict.fromkeys(not_evaluable.values()):
            skipped = [m for m, r in not_evaluable.items() if r == reason]
            self._skip(name, skipped, reason, Severity.WARNING)

    def _judge(self, name: str, metric: str, observed: float, details: dict[str, Any]) -> None:
        drift = self.contract.drift
        own = getattr(drift.fields.get(name, DriftThresholds()), metric)
        threshold = float(own if own is not None else getattr(drift.default, metric))
        path = f"drift.fields.{name}.{metric}" if own is not None else f"drift.default.{metric}"
        severity = self._severity(name)
        line = self._line(path)
        evidence = {"metric": metric, "observed": observed, "threshold": threshold, **details}
        if not observed > threshold:
            self._result(name, metric, "passed", severity, contract_line=line, details=evidence)
            return
        self._result(name, metric, "failed", severity, contract_line=line, details=evidence)
        self.violations.append(
            Violation(
                code=CODES[metric],
                severity=severity,
                field=name,
                check=metric,
                check_id=f"drift.fields.{name}.{metric}",
                params={metric: threshold},
                message=message(name, metric, observed, threshold, details),
                contract_line=line,
                details=evidence,
            )
        )


def measured_fields(contract: ContractModel) -> list[str]:
    """The fields drift is measured on, in contract order: a batched run keeps only these."""
    return [
        name
        for name, spec in contract.fields.items()
        if spec.role in DEFAULT_ROLES or name in contract.drift.fields
    ]


def evaluate_drift(
    frame: Any, contract: ContractModel, reference: ReferenceProfile, engine: Engine | None = None
) -> DriftOutcome:
    """Drift violations and per-metric check results of ``frame`` (pandas or polars).

    ``contract`` is the contract as the run sees it (with its profile applied); ``engine`` is
    the one holding ``frame`` (a run hands in its own; by default the frame's). Raises
    ``UsageError`` when the reference belongs to another contract or MAJOR version.
    """
    check_compatible(contract, reference)
    engine = engine or engine_for(frame)
    data: Measured = (
        MeasuredFrame(frame, engine, engine.height(frame), set(engine.columns(frame)))
        if isinstance(engine, Measuring)
        else _WholeFrame(frame, engine)
    )
    return measured_drift(data, contract, reference)


def measured_drift(
    data: Measured, contract: ContractModel, reference: ReferenceProfile
) -> DriftOutcome:
    """Drift of data summarised field by field (a frame, or batches merged)."""
    run = _Drift(data, contract, reference)
    run.run()
    return DriftOutcome(run.violations, run.checks)


def drift_violations(
    frame: Any, contract: ContractModel, reference: ReferenceProfile, engine: Engine | None = None
) -> list[Violation]:
    """The drift violations of ``frame`` against ``reference`` (see :func:`evaluate_drift`)."""
    return evaluate_drift(frame, contract, reference, engine).violations
