"""Contract evolution (SPEC section 4): what changed between two versions, and which bump it needs.

Light on purpose: only pydantic and the contract model are imported here, so ``accord diff``
starts fast and never loads a dataframe library.

    >>> result = compare(old_contract, new_contract, mode="backward")
    >>> result.passed, result.required_bump, result.declared_bump
"""

from __future__ import annotations

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
