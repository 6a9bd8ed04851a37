"""JUnit XML for CI test tabs: one testcase per check (SPEC section 3).

Layout, chosen to be read by Jenkins, GitLab, Azure and the GitHub test-report actions alike::

    <testsuites name="accord" tests= failures= errors= skipped= time=>
      <testsuite name="accord:{contract}" tests= failures= errors= skipped= time= timestamp=>
        <properties>  contract version, path, profile, engine, rows, fail_on, complete
        <testcase classname="{contract}.{field or 'dataset'}" name="{check_id}">
          <failure message= type="{code}">  when a violation counts against the run
          <skipped message="{reason}"/>      when the check could not be evaluated (unless
                                             that itself is a violation failing the run)
          <system-out>                       warnings and info that do not fail the run

Violations without a matching check result (a missing or unexpected column) get a testcase of
their own so nothing is lost; an incomplete run adds an ``<error>`` testcase.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from accord.report.sanitize import format_example, format_fraction, xml_text

if TYPE_CHECKING:
    from accord.report.model import CheckResult, Report, Violation

__all__ = ["render_junit"]


def render_junit(report: Report) -> str:
    """Render ``report`` as JUnit XML (UTF-8, with an XML declaration)."""
    contract = xml_text(report.contract.name)
    suite = ET.Element("testsuite", name=f"accord:{contract}")
    _add_properties(suite, report)

    by_check: defaultdict[str, list[Violation]] = defaultdict(list)
    unmatched: list[Violation] = []
    known = {c.check_id for c in report.checks}
    for v in report.violations:
        if v.check_id is not None and v.check_id in known:
            by_check[v.check_id].append(v)
        else:
            unmatched.append(v)

    for check in report.checks:
        _add_check_case(suite, report, check, by_check.get(check.check_id, []))
    for v in unmatched:
        case = _case(suite, contract, v.field, v.check_id or _fallback_name(v))
        _add_outcome(case, report, [v])
    if not report.complete:
        case = _case(suite, contract, None, "accord.run")
        ET.SubElement(
            case, "error", message="validation stopped early; the report is incomplete"
        ).text = "Only part of the data was checked. Do not treat missing failures as passes."

    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    time = f"{report.duration_s:.3f}"
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", time)
    # The Ant JUnit XSD allows no zone or fraction in the timestamp; started_at is UTC.
    suite.set("timestamp", report.started_at.strftime("%Y-%m-%dT%H:%M:%S"))
    root = ET.Element("testsuites", name="accord", time=time)
    for key, value in counts.items():
        root.set(key, str(value))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_properties(suite: ET.Element, report: Report) -> None:
    props = ET.SubElement(suite, "properties")
    values = {
        "contract.name": report.contract.name,
        "contract.version": report.contract.version,
        "contract.path": report.contract.path or "",
        "profile": report.profile or "",
        "engine": report.engine,
        "dataset.rows": str(report.dataset.rows),
        "dataset.sources": ", ".join(report.dataset.sources),
        "fail_on": report.fail_on,
        "complete": str(report.complete).lower(),
        "passed": str(report.passed).lower(),
    }
    for name, value in values.items():
        ET.SubElement(props, "property", name=name, value=xml_text(value))


def _case(suite: ET.Element, contract: str, field: str | None, name: str) -> ET.Element:
    group = "dataset" if field is None else xml_text(field)
    return ET.SubElement(suite, "testcase", classname=f"{contract}.{group}", name=xml_text(name))


def _fallback_name(v: Violation) -> str:
    # field.missing and friends come from the schema pass, not from a listed check.
    return str(v.code) if v.check is None else f"{v.code}:{v.check}"


def _add_check_case(
    suite: ET.Element, report: Report, check: CheckResult, violations: list[Violation]
) -> None:
    case = _case(suite, xml_text(report.contract.name), check.field, check.check_id)
    blocking = any(v.severity.fails_run(report.fail_on) for v in violations)
    if check.status == "skipped" and not blocking:
        ET.SubElement(case, "skipped", message=xml_text(check.reason or "check not evaluated"))
        if violations:
            _system_out(case, report, violations)
        return
    if check.status == "failed" and not violations:
        # A failed check with no violation to show still fails, so it cannot read as a pass.
        if check.severity.fails_run(report.fail_on):
            reason = xml_text(check.reason or "check failed")
            ET.SubElement(case, "failure", message=reason, type="check.failed").text = reason
        return
    _add_outcome(case, report, violations)


def _add_outcome(case: ET.Element, report: Report, violations: list[Violation]) -> None:
    failing = [v for v in violations if v.severity.fails_run(report.fail_on)]
    others = [v for v in violations if not v.severity.fails_run(report.fail_on)]
    if failing:
        first = failing[0]
        message = xml_text("; ".join(v.message for v in failing))
        failure = ET.SubElement(case, "failure", message=message, type=str(first.code))
        failure.text = "\n\n".join(_describe(report, v) for v in failing)
    if others:
        _system_out(case, report, others)


def _system_out(case: ET.Element, report: Report, violations: list[Violation]) -> None:
    ET.SubElement(case, "system-out").text = "\n\n".join(_describe(report, v) for v in violations)


def _describe(report: Report, v: Violation) -> str:
    lines = [xml_text(f"{v.severity} {v.code}: {v.message}")]
    if v.failure_count is not None:
        fraction = "" if v.failure_fraction is None else f" ({format_fraction(v.failure_fraction)})"
        lines.append(f"failures: {v.failure_count:,}{fraction}")
    if v.contract_line is not None:
        lines.append(
            xml_text(f"contract: {report.contract.path or '<contract>'}:{v.contract_line}")
        )
    lines.extend(xml_text(f"  {format_example(e)}") for e in v.examples)
    return "\n".join(lines)
