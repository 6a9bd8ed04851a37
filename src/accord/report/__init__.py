"""Violation reports: the model, its JSON Schema, and renderers for every output format.

Light on purpose: nothing here imports pandas, polars, pyarrow or pandera, and rich is imported
only when text is rendered, so the CLI's light commands stay fast.
"""

from accord.report.codes import CODE_DESCRIPTIONS, Code, FailOn, Severity
from accord.report.model import (
    CheckResult,
    ContractRef,
    DatasetInfo,
    Example,
    Report,
    Summary,
    Violation,
    build_report,
    load_report_schema,
    report_json_schema,
)
from accord.report.render import RENDERERS, render

__all__ = [
    "CODE_DESCRIPTIONS",
    "RENDERERS",
    "CheckResult",
    "Code",
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
    "render",
    "report_json_schema",
]
