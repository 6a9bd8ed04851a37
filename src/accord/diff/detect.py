"""Compare two versions of a contract: every change, judged, and the verdict on the version bump.

The walking itself lives in ``walk.py``, the direction of each key in ``rules.py``, the bump rule
in ``semver.py``; this module puts them together into a :class:`ContractDiff`.
"""

from __future__ import annotations

from accord.contract.model import ContractModel
from accord.diff.model import (
    BUMP_ORDER,
    MODES,
    Bump,
    Change,
    ContractDiff,
    ContractRef,
    Mode,
    Scope,
)
from accord.diff.semver import bump_fits, declared_step, parse_version, required_bump
from accord.diff.walk import Walker
from accord.errors import UsageError

__all__ = ["compare", "contract_added", "contract_removed", "detect_changes"]


def detect_changes(old: ContractModel, new: ContractModel, mode: Mode) -> list[Change]:
    """Every change from ``old`` to ``new``, in contract order, judged under ``mode``."""
    version = parse_version(old.version)
    scope = Scope(
        subject=new.name,
        old_major=f"{version.major}.x" if version else old.version,
        default_severity=(old.drift.severity, new.drift.severity),
    )
    walker = Walker(old, new, mode, scope)
    walker.model(old, new, (), scope)
    return walker.changes


def _ref(contract: ContractModel) -> ContractRef:
    return ContractRef(
        name=contract.name,
        version=contract.version,
        path=contract.origin.path,
        version_line=contract.line_of("version"),
    )


def _mode(mode: str | None, contract: ContractModel) -> Mode:
    chosen = contract.compatibility if mode is None else mode.strip().lower()
    for valid in MODES:
        if chosen == valid:
            return valid
    raise UsageError(f"unknown compatibility mode {mode!r}; use one of: " + ", ".join(MODES))


def compare(old: ContractModel, new: ContractModel, *, mode: str | None = None) -> ContractDiff:
    """Every change from ``old`` to ``new`` and whether the declared version bump covers them.

    ``mode`` overrides the new contract's ``compatibility`` key; :class:`UsageError` when it is
    not one of backward, forward, full, none.
    """
    chosen = _mode(mode, new)
    step = declared_step(old.version, new.version)
    if old.name != new.name:
        # Two different contracts: a change list would be meaningless, so give none.
        return ContractDiff(
            old=_ref(old),
            new=_ref(new),
            mode=chosen,
            passed=False,
            required_bump="none",
            declared_bump=step.bump,
            failures=[
                f"contract names differ: {old.name!r} and {new.name!r} are different "
                "contracts, not two versions of one"
            ],
        )
    changes = detect_changes(old, new, chosen)
    required = required_bump(changes)
    failures: list[str] = []
    if step.problem:
        failures.append(step.problem)
    elif step.went_down:
        failures.append(f"version went down from {old.version} to {new.version}")
    elif changes and not step.changed:
        failures.append(
            f"the contract changed but its version is still {new.version}: "
            f"a {required} bump is required ({_next(old.version, required)})"
        )
    elif not bump_fits(step.bump, required):
        breaking = sum(change.breaking for change in changes)
        why = "the changes require"
        if breaking:
            plural = breaking != 1
            why = (
                f"{breaking} change{'s' if plural else ''} breaking under mode {chosen} "
                f"require{'' if plural else 's'}"
            )
        failures.append(
            f"version {old.version} -> {new.version} declares a {step.bump} bump, but {why} a "
            f"{required} bump ({_next(old.version, required)})"
        )
    return ContractDiff(
        old=_ref(old),
        new=_ref(new),
        mode=chosen,
        passed=not failures,
        required_bump=required,
        declared_bump=step.bump,
        changes=changes,
        failures=failures,
    )


def contract_added(new: ContractModel, *, mode: str | None = None) -> ContractDiff:
    """A contract with no earlier version (new since the git ref): nothing can break."""
    change = Change(
        path="",
        kind="contract.added",
        direction="added",
        new=new.version,
        message=f"new contract {new.name} {new.version}: nothing existing uses it",
        line=1,
    )
    return ContractDiff(
        old=None,
        new=_ref(new),
        mode=_mode(mode, new),
        passed=True,
        required_bump="none",
        declared_bump="none",
        changes=[change],
    )


def contract_removed(old: ContractModel, *, mode: str | None = None) -> ContractDiff:
    """A contract deleted since the git ref: every consumer of its dataset loses its promise."""
    chosen = _mode(mode, old)
    change = Change(
        path="",
        kind="contract.removed",
        direction="changed",
        breaking=True,
        old=old.version,
        side="old",
        line=1,
        message=f"contract {old.name} {old.version} deleted: consumers that rely on "
        "it lose every promise it made",
    )
    return ContractDiff(
        old=_ref(old),
        new=None,
        mode=chosen,
        passed=False,
        required_bump="major",
        declared_bump="none",
        changes=[change],
        failures=[
            f"contract {old.name} was deleted; keep it with status: deprecated until its "
            "consumers have moved"
        ],
    )


def _next(version: str, bump: Bump) -> str:
    """The smallest version with the bump, as advice: ``at least 3.0.0`` for major from 2.1.0."""
    parsed = parse_version(version)
    if parsed is None or BUMP_ORDER[bump] == 0:
        return version
    if bump == "major":
        return f"at least {parsed.major + 1}.0.0"
    if bump == "minor":
        return f"at least {parsed.major}.{parsed.minor + 1}.0"
    return f"at least {parsed.major}.{parsed.minor}.{parsed.patch + 1}"
