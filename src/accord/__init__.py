"""accord: versioned data contracts for ML and data pipelines.

>>> import accord
>>> contract = accord.load("contracts/transactions.yaml")
>>> report = contract.validate(df, profile="serving")
>>> report.raise_for_errors()

Importing accord loads no dataframe library; engines load on first use.
"""

# The subpackage is imported before the function of the same name, so ``accord.diff`` stays the
# function: importing a submodule later would otherwise rebind the name to the package.
import accord.diff as _diff_package  # noqa: F401
from accord.api import Contract, diff, load
from accord.contract.registry import register_check
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
