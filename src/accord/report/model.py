"""The violation report: everything one validation run found (SPEC section 3).

Its JSON form is public and versioned (``report_version: 1``); after changing a model here run
``python -m accord.report.model > src/accord/report/report.schema.json``. Data-derived values are
made JSON- and UTF-8-safe while a model is built, so serialising a report can never fail.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from accord.docstrings import describe_properties, models_by_name
from accord.errors import ContractViolation
from accord.report.codes import Code, FailOn, Severity
from accord.report.sanitize import (
    SafeJson,
    SafeJsonDict,
    SafeStr,
    UtcDatetime,
    escape_invisible_json,
    visible_text,
)

__all__ = [
    "Category",
    "CheckResult",
    "ContractRef",
    "DatasetInfo",
    "Example",
    "FailOn",
    "Report",
    "Severity",
    "Summary",
    "Violation",
    "build_report",
    "load_report_schema",
    "report_json_schema",
]

Category = Literal["failure", "skipped", "note"]

_STR_VIOLATIONS = 10  # violations str(report) lists
_MESSAGE_VIOLATIONS = 5  # violations a ContractViolation message lists before "... more"


class _Model(BaseModel):
    # Every level strict and immutable (ARCHITECTURE.md); fields with defaults are still always
    # written, so the shipped schema marks every key required.
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
        defer_build=True,
    )


class Example(_Model):
    """One failing value and where it is in the input."""

    row: int = Field(ge=0)
    """0-based position among the data rows (within ``file`` when the run read several files)."""
    value: SafeJson
    """The original value, made JSON-safe (bytes, NaN, dates become strings); pii is redacted."""
    file: SafeStr | None = None
    """The file the row is in, when the run read several files."""
    # Optional and additive: left out when unknown, so reports keep their earlier exact form.
    line: int | None = Field(default=None, ge=1, exclude_if=lambda line: line is None)
    """The 1-based line of the file where the row starts, for text files (CSV, JSON Lines):
    a header and quoted multi-line cells make it differ from ``row``."""


class Violation(_Model):
    """One failed rule with its evidence."""

    code: Code
    severity: Severity
    field: SafeStr | None = None
    """The column name; None for a dataset-level violation."""
    check: SafeStr | None = None
    """The check kind: between, pattern, required, type, nullable, unique, primary_key, rule..."""
    check_name: SafeStr | None = None
    """The optional label the contract gave the check."""
    check_id: SafeStr | None = None
    """Stable path of the rule inside the contract, e.g. fields.amount.checks[0]."""
    message: SafeStr
    params: SafeJsonDict | None = None
    """The check's parameters as the contract states them."""
    failure_count: int | None = Field(default=None, ge=0)
    """Failing values or rows; never capped."""
    failure_fraction: float | None = Field(default=None, ge=0, le=1)
    examples: list[Example] = []
    """The first failing rows in input order, capped by --max-examples."""
    contract_line: int | None = Field(default=None, ge=1)
    """1-based line of the rule in the contract file."""
    details: SafeJsonDict = {}
    """Further evidence: expected/actual types, distinct_keys, null_skipped, drift statistics."""

    @property
    def category(self) -> Category:
        """``failure`` (a rule the data broke), ``skipped`` (a check not evaluated) or ``note``
        (information). Only failures are violations when a report is read by a person."""
        if self.code is Code.CHECK_SKIPPED:
            return "skipped"
        return "note" if self.severity is Severity.INFO else "failure"


class CheckResult(_Model):
    """The outcome of one evaluated check: one JUnit testcase, one tally in the summary."""

    check_id: SafeStr
    field: SafeStr | None
    check: SafeStr
    status: Literal["passed", "failed", "skipped"]
    severity: Severity
    contract_line: int | None = Field(default=None, ge=1)
    reason: SafeStr | None = None
    """Why the check was skipped (or failed without values to show)."""
    details: SafeJsonDict = {}
    """Evidence of a measurement whether it passed or not: for drift, the observed value, the
    threshold and both histograms, so a report shows what was compared even when nothing moved."""


class ContractRef(_Model):
    """Which contract the data was validated against."""

    name: SafeStr
    version: SafeStr
    path: SafeStr | None = None


class DatasetInfo(_Model):
    """What was read."""

    sources: list[SafeStr]
    rows: int = Field(ge=0)
    columns: int = Field(ge=0)


class Summary(_Model):
    """Tallies: checks by status, violations by severity, and distinct failing rows."""

    checks: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    skipped: int = Field(ge=0)
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    failing_rows: int = Field(ge=0)
    """Distinct rows with at least one failing value (only the runner can know this)."""

    @classmethod
    def tally(
        cls, violations: Sequence[Violation], checks: Sequence[CheckResult], failing_rows: int
    ) -> Summary:
        """The summary these violations and check results imply."""
        statuses = [c.status for c in checks]
        severities = [v.severity for v in violations]
        return cls(
            checks=len(statuses),
            passed=statuses.count("passed"),
            failed=statuses.count("failed"),
            skipped=statuses.count("skipped"),
            errors=severities.count(Severity.ERROR),
            warnings=severities.count(Severity.WARNING),
            failing_rows=failing_rows,
        )


def _verdict(violations: Sequence[Violation], fail_on: FailOn, *, complete: bool) -> bool:
    # A run that stopped early has not shown the data is valid, so it can never pass.
    return complete and not any(v.severity.fails_run(fail_on) for v in violations)


class Report(_Model):
    """Everything one validation run found. Build it with :meth:`assemble`."""

    report_version: Literal[1] = 1
    passed: bool
    contract: ContractRef
    profile: SafeStr | None
    engine: SafeStr
    dataset: DatasetInfo
    summary: Summary
    violations: list[Violation]
    checks: list[CheckResult]
    started_at: UtcDatetime
    duration_s: float = Field(ge=0)
    fail_on: FailOn = "error"
    complete: bool = True
    """False when the run stopped early: the report then covers only part of the data."""

    @model_validator(mode="after")
    def _check_consistent(self) -> Report:
        # A report that contradicts itself (passed with errors, counts that do not add up) is a
        # bug in whoever built it; refuse it rather than mislead a CI job.
        verdict = _verdict(self.violations, self.fail_on, complete=self.complete)
        expected = Summary.tally(self.violations, self.checks, self.summary.failing_rows)
        if self.passed != verdict or self.summary != expected:
            msg = f"passed={self.passed}, {self.summary!r} contradict the violations and checks"
            raise ValueError(f"{msg} (expected passed={verdict}, {expected!r}); use assemble()")
        return self

    @classmethod
    def assemble(
        cls,
        *,
        contract: ContractRef,
        profile: str | None,
        engine: str,
        dataset: DatasetInfo,
        violations: Sequence[Violation],
        checks: Sequence[CheckResult],
        failing_rows: int,
        started_at: datetime,
        duration_s: float,
        fail_on: FailOn = "error",
        complete: bool = True,
    ) -> Report:
        """Build a report, computing ``summary`` and ``passed`` from violations and checks."""
        return cls(
            passed=_verdict(violations, fail_on, complete=complete),
            contract=contract,
            profile=profile,
            engine=engine,
            dataset=dataset,
            summary=Summary.tally(violations, checks, failing_rows),
            violations=list(violations),
            checks=list(checks),
            started_at=started_at,
            duration_s=duration_s,
            fail_on=fail_on,
            complete=complete,
        )

    @property
    def errors(self) -> list[Violation]:
        """Violations of severity error."""
        return [v for v in self.violations if v.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Violation]:
        """Violations of severity warning."""
        return [v for v in self.violations if v.severity is Severity.WARNING]

    @property
    def failures(self) -> list[Violation]:
        """Rules the data broke: violations that are neither skipped checks nor notes."""
        return [v for v in self.violations if v.category == "failure"]

    def by_field(self) -> list[tuple[str | None, list[Violation]]]:
        """Violations grouped by field: the dataset-level group first, then fields in order of
        first appearance (the runner reports in contract order)."""
        groups: dict[str | None, list[Violation]] = {None: []}
        for v in self.violations:
            groups.setdefault(v.field, []).append(v)
        return [(name, items) for name, items in groups.items() if items]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form as plain Python data (enums as strings, ``started_at`` as ISO text)."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON form; always valid, strict JSON and always encodable as UTF-8. Invisible
        characters from the data (bidi overrides, C1 controls) are ``\\u`` escapes."""
        return escape_invisible_json(self.model_dump_json(indent=indent))

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """Read a report back from its JSON form (``pydantic.ValidationError`` if malformed)."""
        return cls.model_validate_json(text)

    def render(self, fmt: str) -> str:
        """Render as text, json, junit, markdown, github or html (``UsageError`` otherwise)."""
        from accord.report.render import render  # noqa: PLC0415 - render imports this module

        return render(self, fmt)

    def to_junit(self) -> str:
        """JUnit XML, one testcase per check."""
        return self.render("junit")

    def __repr__(self) -> str:
        # A model repr of every violation runs to kilobytes; this is what a reader needs.
        from accord.report.render.counting import plural, violations_line  # noqa: PLC0415

        s = self.summary
        verdict = "INCOMPLETE" if not self.complete else "PASSED" if self.passed else "FAILED"
        return (
            f"<Report {self.contract.name}@{self.contract.version} {verdict}: violations "
            f"{violations_line(self)}; {plural(s.checks, 'check')} ({s.passed:,} passed, "
            f"{s.failed:,} failed, {s.skipped:,} skipped); {plural(self.dataset.rows, 'row')}>"
        )

    def __str__(self) -> str:
        """The verdict line and the first violations; ``render("text")`` shows everything."""
        lines = [repr(self)[1:-1]]
        failures = self.failures
        lines += [
            f"  {v.severity} {v.code}{'' if v.field is None else ' ' + v.field}: {v.message}"
            for v in failures[:_STR_VIOLATIONS]
        ]
        if len(failures) > _STR_VIOLATIONS:
            lines.append(f"  ... and {len(failures) - _STR_VIOLATIONS} more: report.render('text')")
        return "\n".join(visible_text(line) for line in lines)

    def _repr_html_(self) -> str:
        """The HTML report, compact (groups without failures folded), for notebooks."""
        from accord.report.render.html import render_html_fragment  # noqa: PLC0415

        return render_html_fragment(self, compact=True)

    def raise_for_errors(self) -> None:
        """Raise :class:`accord.errors.ContractViolation` carrying this report unless it passed."""
        if not self.passed:
            raise ContractViolation(self._failure_message(), report=self)

    def _failure_message(self) -> str:
        head = (
            f"data violates contract {self.contract.name}@{self.contract.version}: "
            f"{len(self.errors):,} error(s), {len(self.warnings):,} warning(s), "
            f"{self.summary.failing_rows:,} failing row(s)"
        )
        if not self.complete:
            head += " (validation stopped early; the report is incomplete)"
        blocking = [v for v in self.violations if v.severity.fails_run(self.fail_on)]
        lines = [head] + [
            f"  {v.severity} {v.code}{'' if v.field is None else ' ' + v.field}: {v.message}"
            for v in blocking[:_MESSAGE_VIOLATIONS]
        ]
        if len(blocking) > _MESSAGE_VIOLATIONS:
            lines.append(f"  ... and {len(blocking) - _MESSAGE_VIOLATIONS} more in .report")
        # Data-derived text may end up on a terminal via a traceback: make controls visible.
        return "\n".join(visible_text(line) for line in lines)


# The same builder as a plain function, for callers who prefer one.
build_report = Report.assemble


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a report's JSON form, generated from the models."""
    schema = Report.model_json_schema(mode="serialization")
    describe_properties(schema, models_by_name(_Model))  # the fields' docstrings
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def load_report_schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package (``report.schema.json``), as data."""
    text = resources.files("accord.report").joinpath("report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


if __name__ == "__main__":
    sys.stdout.write(json.dumps(report_json_schema(), indent=2, sort_keys=True) + "\n")
