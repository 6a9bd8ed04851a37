"""Every exception accord raises, as one designed hierarchy.

::

    AccordError                      base of everything accord raises on purpose
    ├── ContractError                a contract file is unusable; carries every Problem found
    │   └── ContractTooLargeError    the YAML exceeded a size, depth, node or alias limit
    ├── UsageError                   the caller asked for something that does not exist
    │                                (an unknown profile, engine, format or reference name)
    ├── DataReadError                input data could not be read (missing, corrupt, truncated)
    ├── OutputError                  a result could not be written (a file, or standard output)
    ├── ContractViolation            ``Report.raise_for_errors()``: the data broke the contract;
    │                                the report is attached as ``.report``
    └── DiffError                    two contracts cannot be compared (git ref missing, ...)

Bad *data* is never an exception: it becomes violations in a report. Exceptions are for a bad
contract, unreadable input, or a bad request. Every message names the file and, where there is one,
the line, the key and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "AccordError",
    "ContractError",
    "ContractTooLargeError",
    "ContractViolation",
    "DataReadError",
    "DiffError",
    "OutputError",
    "Problem",
    "UsageError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a contract, located as precisely as the loader could."""

    message: str
    location: str = ""
    """Path inside the contract, e.g. ``fields.amount.checks[0].between.min``."""
    line: int | None = None
    """1-based line in the contract file."""
    column: int | None = None
    """1-based column in the contract file."""
    source: str | None = None
    """The file the contract came from, or None for text."""

    def __str__(self) -> str:
        where = self.source or "<contract>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = f"{self.location}: " if self.location else ""
        return f"{where} {prefix}{self.message}"


class AccordError(Exception):
    """Base class of every error accord raises deliberately."""


class ContractError(AccordError):
    """A contract cannot be used. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in contract {source or '<text>'}"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


class ContractTooLargeError(ContractError):
    """The contract YAML exceeded a safety limit (bytes, depth, nodes or aliases)."""


class UsageError(AccordError):
    """A request names something that does not exist or cannot be combined."""


class DataReadError(AccordError):
    """Input data could not be read. ``path`` names the file when there is one."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        self.reason = message
        """The message without the file, for callers that name the file in their own words."""
        super().__init__(f"cannot read data {path}: {message}" if path else message)


class OutputError(AccordError):
    """A result could not be written: the file named, or standard output. ``path`` names the
    file, or is None for standard output."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(message)


class ContractViolation(AccordError):  # noqa: N818 - the public name from the specification
    """The data violated its contract. The full report is attached as ``report``."""

    def __init__(self, message: str, *, report: Any) -> None:
        self.report = report
        super().__init__(message)


class DiffError(AccordError):
    """Two contracts cannot be compared (unreadable git ref, a path that is not a contract, ...)."""
