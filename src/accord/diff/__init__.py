"""Contract evolution (SPEC section 4): what changed between two versions, and which bump it needs.

Light on purpose: names load on first use and never a dataframe library, so ``accord diff``
and ``accord lint`` start fast.

    >>> result = compare(old_contract, new_contract, mode="backward")
    >>> result.passed, result.required_bump, result.declared_bump
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.diff.detect import compare, contract_added, contract_removed, detect_changes
    from accord.diff.model import Bump, Change, ContractDiff, ContractRef, Direction, Mode

__all__ = [
    "Bump",
    "Change",
    "ContractDiff",
    "ContractRef",
    "Direction",
    "Mode",
    "compare",
    "contract_added",
    "contract_removed",
    "detect_changes",
]

_DETECT = frozenset({"compare", "contract_added", "contract_removed", "detect_changes"})


def __getattr__(name: str) -> Any:
    # Loaded on first use, so `accord lint` never pays for the diff machinery it does not run.
    if name not in __all__:
        raise AttributeError(f"module 'accord.diff' has no attribute {name!r}")
    module = "accord.diff.detect" if name in _DETECT else "accord.diff.model"
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
