"""Custom checks: Python functions registered by name, the only way a contract reaches code.

A contract names a check (``custom: {check: positive_ratio, low: 0.1}``); it can never give code, a
lambda or an import path. Parameters are validated at load against the function's signature, so a
misspelt parameter is a contract error, not a ``TypeError`` halfway through a nightly run.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from accord.errors import UsageError

CheckFunction = Callable[..., Any]
F = TypeVar("F", bound=CheckFunction)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    function: CheckFunction
    params_model: type[BaseModel]
    element_wise: bool

    def validate_params(self, params: dict[str, Any]) -> list[str]:
        """Problems with ``params`` for this check; empty when they fit the signature."""
        try:
            self.params_model.model_validate(params)
        except ValidationError as error:
            return [
                f"parameter '{'.'.join(map(str, e['loc']))}' of custom check '{self.name}': "
                f"{e['msg'].lower()}"
                for e in error.errors(include_url=False)
            ]
        return []


_REGISTRY: dict[str, RegisteredCheck] = {}
# An installed package registers checks by naming, under this entry-point group, the module (or
# a function in it) whose import calls register_check: installing it is the consent to run it.
ENTRY_POINT_GROUP = "accord.checks"
_ENTRY_POINTS: dict[str, bool] = {"loaded": False}


def register_check(name: str, *, element_wise: bool = False) -> Callable[[F], F]:
    """Register ``function(values, **params)`` as the custom check ``name``.

    ``values`` is a pandas Series or a polars Series, depending on the engine (or a single value
    when ``element_wise=True``); the function returns booleans, True where the value passes. Extra
    keyword parameters, with their annotations, are what the contract may pass.
    """
    if not _NAME.match(name):
        raise ValueError(f"custom check name {name!r} must be an identifier")

    def decorator(function: F) -> F:
        parameters = list(inspect.signature(function).parameters.values())[1:]
        fields: dict[str, Any] = {
            p.name: (
                Any if p.annotation is inspect.Parameter.empty else p.annotation,
                ... if p.default is inspect.Parameter.empty else p.default,
            )
            for p in parameters
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        }
        model = create_model(f"{name}_params", __config__=ConfigDict(extra="forbid"), **fields)
        _REGISTRY[name] = RegisteredCheck(name, function, model, element_wise)
        return function

    return decorator


def registered_check(name: str) -> RegisteredCheck | None:
    """The check registered as ``name``; installed plugins load on the first unknown name, so a
    contract without custom checks never pays for scanning them."""
    if name not in _REGISTRY:
        load_entry_points()
    return _REGISTRY.get(name)


def registered_names() -> list[str]:
    load_entry_points()
    return sorted(_REGISTRY)


def load_entry_points() -> None:
    """Import every ``accord.checks`` entry point once. A plugin that fails to import stops the
    run: its checks would otherwise be reported unknown, which hides the real cause."""
    if _ENTRY_POINTS["loaded"]:
        return
    _ENTRY_POINTS["loaded"] = True
    from importlib import metadata  # noqa: PLC0415 - scanning installed packages is rare and slow

    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry.load()
        except Exception as error:
            owner = f" (from {entry.dist.name} {entry.dist.version})" if entry.dist else ""
            raise UsageError(
                f"the {ENTRY_POINT_GROUP} plugin '{entry.name} = {entry.value}'{owner} failed to "
                f"import: {type(error).__name__}: {error}; reinstall or uninstall that package"
            ) from error


def unregister_check(name: str) -> None:
    """Remove a registration (tests and notebooks re-register freely)."""
    _REGISTRY.pop(name, None)
