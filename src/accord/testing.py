"""Data tests in pytest: ``assert_valid(df, "contracts/transactions.yaml")``.

A failing assertion shows the whole report as the terminal renders it (without colour), so the
test log says which field broke which check, with examples, not just ``assert False``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from accord.api import Contract, load
from accord.guards import check_frame

if TYPE_CHECKING:
    from accord.drift.reference import ReferenceProfile
    from accord.report.model import Report

__all__ = ["assert_valid"]


def assert_valid(
    frame: Any,
    contract: Contract | str | Path,
    *,
    profile: str | None = None,
    references: Mapping[str, Any] | None = None,
    reference: ReferenceProfile | str | Path | None = None,
    fail_on: Literal["error", "warning"] = "error",
    engine: str = "auto",
) -> Report:
    """Validate a pandas or polars ``frame``; ``AssertionError`` with the report if it fails.

    ``engine`` names the engine as ``contract.validate`` takes it (``auto`` follows the frame).

    ``reference`` (a profile or a stats file from ``accord profile``) adds drift checks; drift
    violations are warnings unless the contract says otherwise, so pass ``fail_on="warning"`` to
    make them fail the test. Returns the report of a passing run for further assertions.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper's
    resolved = contract if isinstance(contract, Contract) else load(contract)
    report = check_frame(
        resolved,
        frame,
        profile=profile,
        references=references,
        reference=reference,
        fail_on=fail_on,
        engine=engine,
    )
    if not report.passed:
        from accord.report.render.text import render_text  # noqa: PLC0415 - loads rich

        raise AssertionError(
            f"data violates contract {resolved.name}@{resolved.version}\n"
            + render_text(report, color=False)
        )
    return report
