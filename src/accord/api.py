"""The facade users touch: ``load``, the user-facing :class:`Contract`, and ``diff``.

It wraps the pure model so the model never imports the layers above it. Engines load on first
use: importing this module imports no dataframe library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.contract.loader import load_contract

if TYPE_CHECKING:
    from accord.contract.model import ContractModel
    from accord.diff.model import ContractDiff
    from accord.report.model import Report


class Contract:
    """A loaded contract: validate frames with it, or compile it to a pandera schema."""

    def __init__(self, model: ContractModel) -> None:
        self.model = model

    def __repr__(self) -> str:
        return f"<Contract {self.model.name}@{self.model.version}>"

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def version(self) -> str:
        return self.model.version

    @property
    def path(self) -> str | None:
        return self.model.origin.path

    @property
    def profiles(self) -> list[str]:
        return list(self.model.profiles)

    def _check_profile(self, profile: str | None) -> None:
        self.model.check_profile(profile)

    def to_pandera(self, engine: str = "pandas", profile: str | None = None) -> Any:
        """A real pandera schema (``pandera.pandas`` or ``pandera.polars``) for this contract."""
        self._check_profile(profile)
        from accord.compile.plan import build_plan  # noqa: PLC0415 - engines load lazily
        from accord.engines.registry import engine_named  # noqa: PLC0415

        return engine_named(engine).to_pandera(build_plan(self.model.apply_profile(profile)))

    def validate(
        self,
        frame: Any,
        *,
        profile: str | None = None,
        references: Mapping[str, Any] | None = None,
        as_of: dt.datetime | None = None,
        max_examples: int = 5,
        fail_on: str = "error",
        reference: Any = None,
        engine: str = "auto",
    ) -> Report:
        """Validate a pandas, polars or pyspark DataFrame; never raises for bad data.

        ``engine`` picks the engine by name, as ``accord validate --engine`` does (``gx`` runs
        the exported Great Expectations suite); ``auto`` follows the frame. A polars frame is
        converted for the pandas and gx engines without changing a value. The frame is never
        modified. ``reference`` (a ``ReferenceProfile`` or the path of a stats file from
        ``accord profile``) adds drift checks; ``references`` maps names declared under
        ``references:`` to their data.
        """
        self._check_profile(profile)  # bad options fail before any work, as accord errors
        from accord.engines.registry import engine_with_frame  # noqa: PLC0415 - loads lazily
        from accord.run.runner import RunInput, run_contract  # noqa: PLC0415

        chosen, frame = engine_with_frame(frame, engine)
        options = RunInput(  # checks fail_on and max_examples
            engine=chosen,
            profile=profile,
            references=dict(references or {}),
            as_of=as_of,
            max_examples=max_examples,
            fail_on=fail_on,
            sources=["<DataFrame>"],
            reference=_reference(reference),
        )
        frame, duplicates = chosen.positional(frame)
        return run_contract(self.model, frame, replace(options, duplicate_columns=duplicates))


def _reference(reference: Any) -> Any:
    if reference is None:
        return None
    from accord.drift.compare import load_reference  # noqa: PLC0415 - drift loads lazily

    return load_reference(reference)


def load(path_or_text: str | Path, *, object_name: str | None = None) -> Contract:
    """Load a contract from a file path or YAML text; raises :class:`accord.ContractError`.

    ODCS v3 files load too (told apart by their ``apiVersion`` and ``kind``); ``object_name``
    picks one schema object of an ODCS file that holds several.
    """
    return Contract(load_contract(path_or_text, object_name=object_name))


def diff(
    old: Contract | str | Path, new: Contract | str | Path, *, mode: str | None = None
) -> ContractDiff:
    """Compare two contracts: changes, their direction, the required and declared bump."""
    from accord.diff.detect import compare  # noqa: PLC0415

    def model(item: Contract | str | Path) -> ContractModel:
        return item.model if isinstance(item, Contract) else load_contract(item)

    return compare(model(old), model(new), mode=mode)
