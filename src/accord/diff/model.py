"""The data of ``accord diff``: what it produces and the vocabulary it judges with.

* :class:`Change` and :class:`ContractDiff`, whose JSON form is SPEC section 4's shape exactly;
  what a renderer needs beyond it (the contract line of a change, which file that line is in, why
  the diff failed) is kept on the models but excluded from the JSON;
* :class:`Scope` and :class:`Verdict`, what a judge (``judges.py``) is given and gives back;
* the row types of the direction table (``rules.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from accord.contract import checks as c
from accord.diff.names import MODES, Mode

Direction = Literal["tightened", "relaxed", "changed", "added", "neutral"]
Bump = Literal["none", "patch", "minor", "major"]
Side = Literal["old", "new"]

BUMP_ORDER: dict[Bump, int] = {"none": 0, "patch": 1, "minor": 2, "major": 3}

# Which directions each compatibility mode forbids (SPEC 4). "added" and "neutral" never break.
FORBIDDEN: dict[Mode, frozenset[Direction]] = {
    "backward": frozenset({"tightened", "changed"}),
    "forward": frozenset({"relaxed", "changed"}),
    "full": frozenset({"tightened", "relaxed", "changed"}),
    "none": frozenset(),
}


@dataclass(frozen=True)
class Scope:
    """What a judge needs to know about where a key sits."""

    subject: str
    """Who the key belongs to, for messages: ``amount``, ``the dataset``, ``profile serving``."""
    old_major: str = "the old version"
    """``1.x`` style label of the old version, so a message can name the consumers at risk."""
    old_type: str | None = None
    new_type: str | None = None
    old_tz: str | None = None
    new_tz: str | None = None
    default_severity: tuple[str, str] = ("warning", "warning")
    """Severity that a ``None`` severity inherits, old and new (drift thresholds)."""

    @property
    def consumers(self) -> str:
        return f"consumers of {self.old_major}"


@dataclass(frozen=True)
class Verdict:
    direction: Direction
    reason: str


def combine(tightens: bool, relaxes: bool) -> Direction | None:
    """Both is ``changed``; neither is no semantic change at all."""
    if tightens and relaxes:
        return "changed"
    if tightens:
        return "tightened"
    if relaxes:
        return "relaxed"
    return None


def consequence(direction: Direction, scope: Scope) -> str:
    """What a change in ``direction`` means for data and consumers, in general terms."""
    return {
        "tightened": "data that passed before can now fail",
        "relaxed": f"data that failed before now passes, so {scope.consumers} may see data "
        "they never saw",
        "changed": "some old data can now fail and some new data was never seen",
        "added": "nothing existing is affected",
        "neutral": "metadata only",
    }[direction]


def show(value: Any) -> str:
    """A value as a message shows it: text quoted, lists bracketed, None as 'none'."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)


Judge = Callable[[Any, Any, Scope], Verdict | None]
"""How a key's old and new value become a verdict; None when they mean the same."""


# -- rows of the direction table (``rules.py``) ------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    kind: str
    judge: Judge
    names_fields: bool = False
    """The value names fields of this contract: old names are read through renames first, so
    renaming a key field is reported once, as the rename."""


@dataclass(frozen=True)
class Walk:
    kind: str
    what: str
    on_add: Direction = "tightened"
    on_remove: Direction = "relaxed"
    subject: str | None = None
    """Who the nested keys belong to in messages; None keeps the parent's."""

    def appeared(self, added: bool, scope: Scope) -> Verdict:
        """The whole nested model appeared (``added``) or disappeared."""
        direction = self.on_add if added else self.on_remove
        verb = "added" if added else "removed"
        reason = f"{self.what} of {scope.subject} {verb}: {consequence(direction, scope)}"
        return Verdict(direction, reason)


@dataclass(frozen=True)
class Entries:
    kind: str
    what: str
    on_add: Direction
    on_remove: Direction
    why_add: str
    why_remove: str
    subject: str = "{name}"
    """Who an entry's keys belong to in messages; ``{name}`` is the entry's key."""
    names_fields: bool = False
    """The entries are keyed by field names of this contract (see :attr:`Leaf.names_fields`)."""

    def appeared(self, name: str, added: bool) -> Verdict:
        if added:
            return Verdict(self.on_add, f"{self.what} {name} added: {self.why_add}")
        return Verdict(self.on_remove, f"{self.what} {name} removed: {self.why_remove}")


@dataclass(frozen=True)
class Extensions:
    """``x-*`` extension keys: carried through, ignored by validation, neutral for diff."""


@dataclass(frozen=True)
class Handled:
    how: Literal[
        "identity",
        "version",
        "match",
        "fields",
        "checks",
        "rules",
        "profile_fields",
        "profile_dataset",
    ]


Row = Leaf | Walk | Entries | Extensions | Handled
Table = dict[str, Row]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(_Frozen):
    """One difference between two versions of a contract."""

    path: str
    """Where in the contract, e.g. ``fields.amount.checks[0].between.max``."""
    kind: str
    """What kind of key changed, e.g. ``check.param``, ``field.removed``, ``metadata``."""
    direction: Direction
    breaking: bool = False
    old: JsonValue = None
    new: JsonValue = None
    message: str
    line: int | None = Field(default=None, exclude=True)
    """Contract line of the change, in the file named by ``side``."""
    side: Side = Field(default="new", exclude=True)
    """``old`` for things that exist only in the old contract (a removed field or check)."""


class ContractRef(_Frozen):
    name: str
    version: str
    path: str | None = Field(default=None, exclude=True)
    version_line: int | None = Field(default=None, exclude=True)
    """Line of the ``version`` key, where a failed bump is annotated."""


class ContractDiff(_Frozen):
    """Every change between two versions of one contract, and whether the version bump fits.

    ``old`` is None for a contract that did not exist at the git ref; ``new`` is None for a
    contract that was deleted since.
    """

    old: ContractRef | None
    new: ContractRef | None
    mode: Mode
    passed: bool
    required_bump: Bump
    declared_bump: Bump
    changes: list[Change] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list, exclude=True)
    """Why the diff did not pass, one sentence each (empty when it passed)."""

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.breaking]

    @property
    def name(self) -> str:
        ref = self.new or self.old
        return ref.name if ref is not None else ""

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON form of SPEC section 4, as plain data."""
        dumped: dict[str, JsonValue] = self.model_dump(mode="json")
        return dumped

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def __repr__(self) -> str:
        old = self.old.version if self.old else "(none)"
        new = self.new.version if self.new else "(deleted)"
        return (
            f"<ContractDiff {self.name} {old} -> {new} {'PASSED' if self.passed else 'FAILED'}: "
            f"{len(self.changes)} change{'' if len(self.changes) == 1 else 's'} "
            f"({len(self.breaking)} breaking), required bump {self.required_bump}, declared "
            f"{self.declared_bump}>"
        )

    def __str__(self) -> str:
        """What ``accord diff`` prints: verdict, reasons, then every change."""
        from accord.diff.render import render_text  # noqa: PLC0415 - render imports this module

        return render_text([self]).rstrip("\n")

    def _repr_html_(self) -> str:
        from accord.diff.render_html import render_html_fragment  # noqa: PLC0415

        return render_html_fragment(self)


def yaml_form(value: Any) -> Any:
    """A model as the user wrote it (checks as ``{between: {...}}``), defaults left out."""
    if isinstance(value, c.BaseCheck):
        dumped = value.model_dump(mode="json", exclude_defaults=True)
        kind = dumped.pop("kind")
        options = {k: dumped.pop(k) for k in ("severity", "name", "description") if k in dumped}
        extensions = dumped.pop("extensions", {})
        if isinstance(value, c.Custom):
            params: Any = {"check": dumped.pop("check"), **dumped.pop("params", {})}
        elif c.SCALAR_PARAM_KEY in type(value).model_fields:
            params = dumped[c.SCALAR_PARAM_KEY]
        else:
            params = dumped
        return {kind: params, **options, **extensions}
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        dumped = value.model_dump(exclude_defaults=True)
        out = {
            fields[k].alias or k: yaml_form(getattr(value, k)) for k in dumped if k != "extensions"
        }
        return {**out, **dumped.get("extensions", {})}
    if isinstance(value, dict):
        return {k: yaml_form(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [yaml_form(v) for v in value]
    return value


__all__ = [
    "BUMP_ORDER",
    "FORBIDDEN",
    "MODES",
    "Bump",
    "Change",
    "ContractDiff",
    "ContractRef",
    "Direction",
    "Entries",
    "Extensions",
    "Handled",
    "Judge",
    "Leaf",
    "Mode",
    "Row",
    "Scope",
    "Side",
    "Table",
    "Verdict",
    "Walk",
    "combine",
    "consequence",
    "show",
    "yaml_form",
]
