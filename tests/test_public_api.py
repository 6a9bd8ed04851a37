"""The public surface: a curated __all__, a light import, and the error hierarchy."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import accord
from accord import errors

PUBLIC = [
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


def test_all_is_curated_and_sorted() -> None:
    assert accord.__all__ == PUBLIC
    assert accord.__all__ == sorted(accord.__all__)
    for name in accord.__all__:
        assert hasattr(accord, name), name


def test_import_loads_no_dataframe_library() -> None:
    code = (
        "import sys, accord\n"
        "accord.load('contracts/transactions.yaml')\n"
        "heavy = [m for m in ('pandas', 'polars', 'pyspark', 'pandera', 'great_expectations',"
        " 'pyarrow', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    assert result.stdout.strip() == ""


def test_diff_is_callable_again_after_the_subpackage_loads() -> None:
    first = accord.diff("contracts/transactions.yaml", "contracts/transactions.yaml")
    importlib.import_module("accord.diff.detect")  # what would rebind the name if unguarded
    second = accord.diff("contracts/transactions.yaml", "contracts/transactions.yaml")
    assert first.passed and second.passed and second.changes == []


def test_error_hierarchy_matches_its_docstring() -> None:
    for name in ("ContractError", "UsageError", "DataReadError", "ContractViolation", "DiffError"):
        assert issubclass(getattr(errors, name), errors.AccordError)
        assert name in (errors.__doc__ or "")
    assert issubclass(errors.ContractTooLargeError, errors.ContractError)
