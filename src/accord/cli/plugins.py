"""``--plugin MODULE``: import modules that register custom checks, before contracts load.

A contract names a check, never code; code runs only when the person running accord names it
here or installed a package that registers it (the ``accord.checks`` entry-point group, loaded by
``accord.contract.registry``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import typer

from accord.errors import UsageError

PLUGIN_HELP = (
    "Import this module (a dotted name, or a .py file) first: its @accord.register_check "
    "functions become custom checks. Repeatable."
)


def plugin_option() -> Any:
    return typer.Option([], "--plugin", metavar="MODULE", help=PLUGIN_HELP)


def load_plugins(names: list[str]) -> None:
    """Import each ``--plugin`` in order; a plugin that cannot be imported stops the run."""
    for name in names:
        if name.endswith(".py") or os.sep in name or "/" in name:
            _load_file(name)
        else:
            _load_module(name)


def _load_module(name: str) -> None:
    # The console script's sys.path lacks the working directory that `python -m` would add;
    # a module beside the user's contracts is the common case, so look there too.
    here = str(Path.cwd())
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name is not None and name.startswith(error.name):
            raise UsageError(
                f"--plugin {name}: no module named '{error.name}' in the working directory or on "
                "the Python path; give a dotted module name or a file such as ./checks.py"
            ) from None
        raise _failed(name, error) from error
    except Exception as error:
        raise _failed(name, error) from error
    finally:
        if added:
            sys.path.remove(here)


def _load_file(name: str) -> None:
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"--plugin {name}: no such file")
    module_name = f"accord_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"--plugin {name}: not a Python module (a .py file)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[module_name]
        raise _failed(name, error) from error


def _failed(name: str, error: Exception) -> UsageError:
    where = ""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is not None:
        where = f" ({trace.tb_frame.f_code.co_filename}:{trace.tb_lineno})"
    return UsageError(f"--plugin {name} failed to import: {type(error).__name__}: {error}{where}")
