"""The stable vocabulary of reports: violation codes (SPEC section 3) and severities.

Codes are part of the public contract with users' CI jobs (they grep and filter on them), so a
code is never renamed or removed within ``report_version`` 1; new ones may be added.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

__all__ = ["CODE_DESCRIPTIONS", "Code", "FailOn", "Severity"]

FailOn = Literal["error", "warning"]
"""Which severities fail a run: errors only (the default), or errors and warnings."""


class Severity(StrEnum):
    """How much a violation matters; ``fail_on`` decides which severities fail a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def fails_run(self, fail_on: FailOn = "error") -> bool:
        """Whether a violation of this severity makes a run with this ``fail_on`` fail."""
        return self is Severity.ERROR or (self is Severity.WARNING and fail_on == "warning")


class Code(StrEnum):
    """What kind of rule a violation broke. The value is the string shown in every report."""

    FIELD_MISSING = "field.missing"
    FIELD_UNEXPECTED = "field.unexpected"
    FIELD_TYPE = "field.type"
    FIELD_NULL = "field.null"
    FIELD_UNIQUE = "field.unique"
    CHECK_FAILED = "check.failed"
    CHECK_SKIPPED = "check.skipped"
    DATASET_ROW_COUNT = "dataset.row_count"
    DATASET_PRIMARY_KEY = "dataset.primary_key"
    DATASET_COLUMN_ORDER = "dataset.column_order"
    DATASET_UNIQUE = "dataset.unique"
    DATASET_FRESHNESS = "dataset.freshness"
    DATASET_RULE = "dataset.rule"
    DATASET_EMPTY = "dataset.empty"
    DATASET_DUPLICATE_COLUMN = "dataset.duplicate_column"
    REFERENCE_MISSING = "reference.missing"
    PROFILE_FORBIDDEN_FIELD = "profile.forbidden_field"
    PROFILE_REQUIRED_ROLE = "profile.required_role"
    DRIFT_PSI = "drift.psi"
    DRIFT_KS = "drift.ks"
    DRIFT_MEAN_SHIFT = "drift.mean_shift"
    DRIFT_NULL_FRACTION = "drift.null_fraction"
    DRIFT_UNSEEN_CATEGORIES = "drift.unseen_categories"

    @property
    def description(self) -> str:
        """One line saying what the code means, for docs, ``--help`` and report legends."""
        return CODE_DESCRIPTIONS[self]


CODE_DESCRIPTIONS: dict[Code, str] = {
    Code.FIELD_MISSING: "A required field is absent from the data.",
    Code.FIELD_UNEXPECTED: "The data has a column the contract does not declare.",
    Code.FIELD_TYPE: "A column's type, or a value in it, does not fit the declared logical type.",
    Code.FIELD_NULL: "A null in a field that is not nullable (or part of the primary key).",
    Code.FIELD_UNIQUE: "Non-null values repeat in a field declared unique.",
    Code.CHECK_FAILED: "Values of a field failed one of its checks.",
    Code.CHECK_SKIPPED: "A check could not be evaluated (wrong column type, unsupported engine).",
    Code.DATASET_ROW_COUNT: "The number of rows is outside the declared range.",
    Code.DATASET_PRIMARY_KEY: "Rows share the same primary key.",
    Code.DATASET_COLUMN_ORDER: "The declared fields are not in contract order (ordered: true).",
    Code.DATASET_UNIQUE: "Rows share the same values in a unique field combination.",
    Code.DATASET_FRESHNESS: "The newest timestamp is older than the allowed maximum age.",
    Code.DATASET_RULE: "Rows fail a row-level rule across fields.",
    Code.DATASET_EMPTY: "The dataset has no rows and no row_count rule says that is fine.",
    Code.DATASET_DUPLICATE_COLUMN: "The same column name appears more than once in the input.",
    Code.REFERENCE_MISSING: "Values are absent from the referenced dataset.",
    Code.PROFILE_FORBIDDEN_FIELD: "A field whose role the profile forbids is present.",
    Code.PROFILE_REQUIRED_ROLE: "No field has a role the profile requires.",
    Code.DRIFT_PSI: "Population stability index against the reference exceeds its threshold.",
    Code.DRIFT_KS: "Kolmogorov-Smirnov statistic against the reference exceeds its threshold.",
    Code.DRIFT_MEAN_SHIFT: "The mean moved more reference standard deviations than allowed.",
    Code.DRIFT_NULL_FRACTION: "The null fraction moved further from the reference than allowed.",
    Code.DRIFT_UNSEEN_CATEGORIES: "Too many rows hold categories never seen in the reference.",
}
