"""Violation reports: the model, its JSON Schema, and renderers for every output format.

Light on purpose: nothing here imports pandas, polars, pyarrow or pandera, rich is imported only
when text is rendered, and the models load on first use, so a command that only needs
``accord.report.sanitize`` (every command's error printing) never builds them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Bound now, not on first use: ``render`` is also the name of a submodule, and importing that
# submodule (as every renderer's caller does) would rebind the package's ``render`` to it.
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

_MODULES = {
    **dict.fromkeys(("CODE_DESCRIPTIONS", "Code", "FailOn", "Severity"), "accord.report.codes"),
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'accord.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULES.get(name, "accord.report.model")), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
