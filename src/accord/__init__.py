"""accord: versioned data contracts for ML and data pipelines.

>>> import accord
>>> contract = accord.load("contracts/transactions.yaml")
>>> report = contract.validate(df, profile="serving")
>>> report.raise_for_errors()

Importing accord is cheap: the names below load on first use, and dataframe engines only when
data is validated, so `accord lint` and `accord diff` start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The subpackage is bound first: importing ``accord.diff`` binds the package to the name
# ``diff`` here, so the function below must come after it or a later import would replace it.
import accord.diff as _diff_package  # noqa: F401 - light: its names load on first use
from accord.errors import (
    AccordError,
    ContractError,
    ContractTooLargeError,
    ContractViolation,
    DataReadError,
    DiffError,
    Problem,
    UsageError,
)

if TYPE_CHECKING:
    from accord.api import Contract, load
    from accord.contract.registry import register_check
    from accord.diff.model import ContractDiff
    from accord.guards import validate_io

__version__ = "0.1.0"

__all__ = [
    "AccordError",
    "Contract",
    "ContractError",
    "ContractTooLargeError",
    "ContractViolation",
    "DataReadError",
    "DiffError",
    "Problem",
    "UsageError",
    "__version__",
    "diff",
    "load",
    "register_check",
    "validate_io",
]


def diff(old: Any, new: Any, *, mode: str | None = None) -> ContractDiff:
    """Compare two contracts (paths, YAML text or loaded contracts): the changes, their
    direction, and the required and declared semver bump. See :func:`accord.api.diff`."""
    from accord.api import diff as compare_contracts  # noqa: PLC0415 - loads on first use

    return compare_contracts(old, new, mode=mode)


_LAZY = {
    "Contract": "accord.api",
    "load": "accord.api",
    "register_check": "accord.contract.registry",
    "validate_io": "accord.guards",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
