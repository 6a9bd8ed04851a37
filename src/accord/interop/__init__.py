"""Contracts in and out of other formats (Great Expectations suites), as plain JSON.

Nothing here imports pandas, polars, pandera or great_expectations: an export is a dict, an
import is a contract text, so ``accord export`` and ``accord import`` start fast.
"""
