"""The engines by name, loaded on first use, and the engine for a frame.

This is the one place an engine's name is spelled: the CLI and the API offer
:data:`ENGINE_NAMES`, and everything below them is handed an engine object, never a name. A new
engine is one row in :data:`_ENGINES` (and in :data:`_FRAME_MODULES` when the API accepts its
frames directly).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from accord.contract.suggest import did_you_mean
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.engines.base import Engine

_ENGINES: dict[str, str] = {
    "pandas": "accord.engines.pandas:PandasEngine",
    "polars": "accord.engines.polars:PolarsEngine",
    "gx": "accord.engines.gx:GxEngine",
    "pyspark": "accord.engines.spark:SparkEngine",
}
"""Engine name to ``module:class`` of its implementation, imported only when asked for."""

_EXTRAS: dict[str, str] = {"pyspark": "spark"}
"""Engine name to the extra that installs what it needs beyond accord's dependencies."""

ENGINE_NAMES: tuple[str, ...] = tuple(_ENGINES)
"""Every engine, in the order help texts list them."""

AUTO = "auto"
"""Follow the frame (API) or use :data:`FILE_ENGINE` (files)."""

FILE_ENGINE = "polars"
"""The engine for files when none is named: accord's readers produce polars frames."""

_FRAME_MODULES: dict[str, str] = {"pandas": "pandas", "polars": "polars", "pyspark": "pyspark"}
"""Top-level module of a DataFrame class to the engine that validates it."""

_OWN_FRAMES: dict[str, str] = {"gx": "pandas"}
"""Engine name to the library of the frames it runs on, where that is not the engine's name:
the gx engine hands pandas frames to Great Expectations."""

_ADOPTS: dict[str, tuple[str, ...]] = {"pandas": ("polars",), "gx": ("polars",)}
"""Engine name to the libraries whose frames it converts with ``adopt`` (polars frames become
Arrow-backed pandas frames: no value changes)."""


def check_engine_name(name: str, *, asked_as: str = "engine") -> None:
    """``UsageError`` naming the choices unless ``name`` is an engine or ``auto``; imports
    nothing, so a caller can refuse a bad name long before the engine runs."""
    if name != AUTO and name not in _ENGINES:
        raise UsageError(
            f"unknown {asked_as} '{name}'{did_you_mean(name, ENGINE_NAMES)}; choose one of: "
            f"{', '.join((AUTO, *ENGINE_NAMES))}"
        )


def engine_named(name: str, *, asked_as: str = "engine") -> Engine:
    """The engine called ``name`` (``auto`` means the file engine); ``UsageError`` otherwise,
    naming the engine as the caller asked for it (``--engine`` on the command line)."""
    if name == AUTO:
        name = FILE_ENGINE
    check_engine_name(name, asked_as=asked_as)
    module, _, cls = _ENGINES[name].partition(":")
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        extra = _EXTRAS.get(name)
        hint = f": pip install 'accord[{extra}]'" if extra else ""
        raise UsageError(
            f"the {name} engine needs the package '{error.name}', which is not installed{hint}"
        ) from None
    engine: Engine = getattr(loaded, cls)()
    return engine


def engine_with_frame(frame: Any, name: str = AUTO) -> tuple[Engine, Any]:
    """The engine called ``name`` for an in-memory frame (``auto``: the one for the frame's
    library) and the frame as that engine takes it; ``UsageError`` when it cannot take it."""
    native = engine_for(frame)  # a frame of no known library fails here, whatever the name
    if name in (AUTO, native.name):
        return native, frame
    check_engine_name(name)
    library = type(frame).__module__.split(".")[0]
    own = _OWN_FRAMES.get(name, name)
    if library != own and library not in _ADOPTS.get(name, ()):
        # refused before the engine is imported: it may be slow to load, or not installed
        takes = " or ".join((own, *_ADOPTS.get(name, ())))
        raise UsageError(
            f"the {name} engine cannot validate a {library} DataFrame: pass a {takes} "
            f"DataFrame, or leave engine='{AUTO}' to use the {native.name} engine"
        )
    chosen = engine_named(name)
    return chosen, frame if library == own else chosen.adopt(frame)


def engine_for(frame: Any) -> Engine:
    """The engine for an in-memory frame, judged by its class's module without importing any
    dataframe library the caller has not."""
    kind = type(frame)
    module = kind.__module__.split(".")[0]
    name = _FRAME_MODULES.get(module)
    if name is not None and kind.__name__ == "DataFrame":
        return engine_named(name)
    *others, last = sorted(_FRAME_MODULES)
    accepted = f"{', '.join(others)} or {last}" if others else last
    if name is not None:
        hint = " (collect() the LazyFrame first)" if kind.__name__ == "LazyFrame" else ""
        raise UsageError(f"cannot validate a {module} {kind.__name__}: pass a DataFrame{hint}")
    raise UsageError(f"cannot validate a {kind.__name__}: pass a {accepted} DataFrame")
