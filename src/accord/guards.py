"""Pipeline guards: check a step's input frames and its result against contracts (SPEC 7).

>>> @accord.validate_io(inputs={"df": "contracts/transactions.yaml"}, profile="training")
... def build_features(df): ...

Contracts given as paths are loaded once, when the decorator is applied, so a broken contract
fails at import time rather than in the middle of a nightly run. This module stays on the light
import path: the drift machinery (numpy, pyarrow) loads only when a ``reference`` is given.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from accord.api import Contract, load
from accord.engines.registry import check_engine_name
from accord.errors import ContractViolation, UsageError
from accord.report.sanitize import visible_text

if TYPE_CHECKING:
    from accord.drift.reference import ReferenceProfile
    from accord.report.model import Report

__all__ = ["ContractLike", "check_frame", "summarize", "validate_io"]

P = ParamSpec("P")
R = TypeVar("R")
ContractLike = Contract | str | Path
OnViolation = Literal["raise", "warn"]
FailOn = Literal["error", "warning"]

logger = logging.getLogger("accord")
_SHOWN = 5  # violations a log line lists before "... more"


def _contract(item: ContractLike) -> Contract:
    return item if isinstance(item, Contract) else load(item)


def summarize(report: Report, where: str) -> str:
    """A few lines for a log or an exception: the verdict, then the first warnings and errors."""
    ref = report.contract
    head = (
        f"{where}: contract {ref.name}@{ref.version}: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )
    serious = report.errors + report.warnings
    lines = [head] + [
        f"  {v.severity} {v.code}{'' if v.field is None else ' ' + v.field}: {v.message}"
        for v in serious[:_SHOWN]
    ]
    if len(serious) > _SHOWN:
        lines.append(f"  ... and {len(serious) - _SHOWN} more")
    return "\n".join(visible_text(line) for line in lines)


def check_frame(
    contract: Contract,
    frame: Any,
    *,
    profile: str | None = None,
    references: Mapping[str, Any] | None = None,
    reference: ReferenceProfile | str | Path | None = None,
    fail_on: FailOn = "error",
    engine: str = "auto",
) -> Report:
    """``contract.validate`` plus drift against ``reference`` when one is given."""
    return contract.validate(
        frame,
        profile=profile,
        references=references,
        fail_on=fail_on,
        reference=reference,
        engine=engine,
    )


def validate_io(
    inputs: Mapping[str, ContractLike] | None = None,
    output: ContractLike | None = None,
    *,
    profile: str | None = None,
    reference: ReferenceProfile | str | Path | None = None,
    on_violation: OnViolation = "raise",
    fail_on: FailOn = "error",
    engine: str = "auto",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Validate the named arguments before each call and the return value after it.

    ``inputs`` maps parameter names to contracts (objects or paths); ``output`` is the contract of
    the return value. ``profile`` applies to every guarded contract that declares it (one of them
    must). ``reference`` (a :class:`accord.drift.ReferenceProfile` or a stats file) adds drift
    checks to every frame whose contract has the reference's contract name (one must).

    On a failing report, ``on_violation="raise"`` raises :class:`accord.ContractViolation` (the
    report is ``.report``) and ``"warn"`` logs a warning on the ``accord`` logger; warnings of a
    passing report are always logged. ``fail_on="warning"`` makes warnings (drift) fail too.
    ``engine`` names the engine as ``contract.validate`` takes it (``auto`` follows the frame).
    An argument passed as ``None`` is not validated. Raises ``UsageError`` at decoration time for
    an unknown parameter, profile, mode or engine, and ``ContractError`` for a bad contract file.
    """
    check_engine_name(engine)
    if on_violation not in ("raise", "warn"):
        raise UsageError(f"on_violation takes 'raise' or 'warn', not {on_violation!r}")
    if fail_on not in ("error", "warning"):
        raise UsageError(f"fail_on takes 'error' or 'warning', not {fail_on!r}")
    guarded = {name: _contract(item) for name, item in (inputs or {}).items()}
    result_contract = _contract(output) if output is not None else None
    every = [*guarded.values(), *([result_contract] if result_contract else [])]
    if profile is not None and not any(profile in c.profiles for c in every):
        names = ", ".join(f"{c.name} ({', '.join(c.profiles) or 'no profiles'})" for c in every)
        raise UsageError(f"no guarded contract has a profile '{profile}': {names}")
    stats = _reference(reference, every)

    def check(contract: Contract, frame: Any, where: str) -> None:
        report = check_frame(
            contract,
            frame,
            profile=profile if profile in contract.profiles else None,
            reference=stats if stats is not None and stats.contract.name == contract.name else None,
            fail_on=fail_on,
            engine=engine,
        )
        if report.passed:
            if report.warnings:
                logger.warning("%s", summarize(report, where))
            return
        if on_violation == "warn":
            logger.warning("%s", summarize(report, where))
            return
        try:
            report.raise_for_errors()
        except ContractViolation as error:
            raise ContractViolation(f"{where}: {error}", report=report) from None

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        if inspect.iscoroutinefunction(func):
            raise UsageError(f"validate_io cannot guard {func.__qualname__}: it is async")
        signature = inspect.signature(func)
        catch_all = next(
            (p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None
        )
        named = {n for n, p in signature.parameters.items() if p.kind not in _VARIADIC}
        unknown = [name for name in guarded if name not in named and catch_all is None]
        if unknown:
            raise UsageError(
                f"validate_io: {func.__qualname__} has no parameter "
                f"{', '.join(map(repr, unknown))} (parameters: {', '.join(named) or 'none'})"
            )

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            extra = bound.arguments.get(catch_all, {}) if catch_all else {}
            for name, contract in guarded.items():
                frame = bound.arguments[name] if name in named else extra.get(name)
                if frame is not None:
                    check(contract, frame, f"argument '{name}' of {func.__qualname__}")
            result = func(*args, **kwargs)
            if result_contract is not None:
                check(result_contract, result, f"return value of {func.__qualname__}")
            return result

        return wrapper

    return decorate


_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _reference(
    reference: ReferenceProfile | str | Path | None, contracts: list[Contract]
) -> ReferenceProfile | None:
    """The reference, read now, after checking it belongs to one of the guarded contracts."""
    if reference is None:
        return None
    from accord.drift.compare import check_compatible, load_reference  # noqa: PLC0415

    stats = load_reference(reference)
    matching = [c for c in contracts if c.name == stats.contract.name]
    if not matching:
        names = ", ".join(c.name for c in contracts) or "none"
        raise UsageError(
            f"the reference profile is for contract '{stats.contract.name}', which is not among "
            f"the guarded contracts ({names})"
        )
    for contract in matching:
        check_compatible(contract.model, stats)
    return stats
