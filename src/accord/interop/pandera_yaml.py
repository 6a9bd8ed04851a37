"""``accord export --to pandera-yaml``: the compiled pandera schema through pandera's own YAML
writer, with the precise list of what that YAML cannot hold (INTEROP part C).

pandera writes only registered checks; accord compiles every check to a function (so that each
engine reports the same evidence), and pandera skips those with a ``UserWarning`` (#929). The
warnings name each skipped check, and we repeat them to the user instead of letting them pass.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import TYPE_CHECKING, Any

from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.contract.model import ContractModel

_BUILDERS = {
    "pandas": ("accord.compile.pandas_engine", "to_pandera_pandas"),
    "polars": ("accord.compile.polars_engine", "to_pandera_polars"),
}
"""The engines whose pandera schemas pandera can write as YAML, and their builders."""
ENGINES = tuple(_BUILDERS)
_SKIPPED = re.compile(r"Check `([^`]+)` will be skipped")


def pandera_yaml(model: ContractModel, *, engine: str = "pandas") -> tuple[str, list[str]]:
    """The YAML text and one warning line per kind of loss."""
    if engine not in ENGINES:
        raise UsageError(
            f"pandera has no YAML writer for the {engine!r} engine; choose one of: "
            + ", ".join(ENGINES)
        )
    from accord.compile.plan import build_plan  # noqa: PLC0415 - pandera loads on use

    module, builder = _BUILDERS[engine]
    schema: Any = getattr(importlib.import_module(module), builder)(build_plan(model))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = str(schema.to_yaml())
    skipped = [m.group(1) for w in caught if (m := _SKIPPED.search(str(w.message)))]
    notes = []
    if skipped:
        notes.append(
            f"{len(skipped)} checks are not in the YAML (pandera writes only registered checks, "
            f"#929; accord compiles its checks as functions): {', '.join(skipped)}"
        )
    if _has_metadata(model):
        notes.append(
            "roles, pii, contract lines and profile/drift settings are not in pandera YAML "
            "(pandera drops metadata, #1301)"
        )
    return text, notes


def _has_metadata(model: ContractModel) -> bool:
    return (
        bool(model.profiles)
        or model.drift != type(model.drift)()
        or any(f.pii or f.role != "feature" for f in model.fields.values())
    )
