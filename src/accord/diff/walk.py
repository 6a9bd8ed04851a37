"""The walker behind :func:`accord.diff.detect.detect_changes`.

Every model is compared by iterating its own pydantic fields and looking each key up in
``rules.py``; only structure (field maps with renames, check lists, rules, profile overrides) has
code of its own here. Paths are the YAML paths a user sees (``fields.amount.checks[0].between.max``)
and index into the new contract, or into the old one for something removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from accord.contract import checks as c
from accord.contract.model import ContractModel, DatasetOverride, Field_, FieldOverride, Rule
from accord.contract.yaml_tree import path_text
from accord.diff import judges as j
from accord.diff import rules as r
from accord.diff.model import (
    Change,
    Entries,
    Extensions,
    Leaf,
    Mode,
    Row,
    Scope,
    Side,
    Verdict,
    Walk,
    yaml_form,
)
from accord.diff.semver import is_breaking

Loc = tuple[str | int, ...]


def _line(contract: ContractModel, path: Loc) -> int | None:
    """The line of ``path`` or, when it was written differently (an alias), of its parent."""
    for end in range(len(path), 0, -1):
        line = contract.line_of(path_text(path[:end]))
        if line is not None:
            return line
    return None


def _check_key(check: c.BaseCheck) -> tuple[str, str | None, str | None]:
    # Checks are matched by kind and user label; custom checks also by the registered name.
    return str(getattr(check, "kind")), check.name, getattr(check, "check", None)  # noqa: B009


Pair = tuple[int | None, int | None]


def match_checks(old: list[c.BaseCheck], new: list[c.BaseCheck]) -> list[Pair]:
    """Pairs of (old index, new index); None on one side for a removed or added check.

    Identical checks pair first (removing one of two ``between`` checks is one removal, not a
    changed bound plus a removal), then checks of the same kind and name, then checks that
    differ only in their label.
    """
    free = list(range(len(old)))
    found: dict[int, int | None] = dict.fromkeys(range(len(new)))
    tests = (
        lambda a, b: a == b,
        lambda a, b: _check_key(a) == _check_key(b),
        lambda a, b: a.model_copy(update={"name": None}) == b.model_copy(update={"name": None}),
    )
    for same in tests:
        for index, twin in found.items():
            if twin is None:
                match = next((o for o in free if same(old[o], new[index])), None)
                if match is not None:
                    free.remove(match)
                    found[index] = match
    return [(o, n) for n, o in found.items()] + [(o, None) for o in free]


def renames_of(old: dict[str, Field_], new: dict[str, Field_]) -> dict[str, str]:
    """New name to old name, for new fields whose ``previous_names`` name a vanished field."""
    found: dict[str, str] = {}
    for name, spec in new.items():
        if name not in old:
            taken = set(found.values())
            gone = [p for p in spec.previous_names if p in old and p not in new and p not in taken]
            if gone:
                found[name] = gone[0]
    return found


def _named(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


@dataclass
class Walker:
    old: ContractModel
    new: ContractModel
    mode: Mode
    root: Scope
    changes: list[Change] = field(default_factory=list)
    renames: dict[str, str] = field(init=False)
    """Top-level fields, new name to old name."""
    new_names: dict[str, str] = field(init=False)
    """Top-level fields, old name to new name."""

    def __post_init__(self) -> None:
        self.renames = renames_of(self.old.fields, self.new.fields)
        self.new_names = {old: new for new, old in self.renames.items()}

    def renamed(self, value: Any) -> Any:
        """An old value that names fields, with renamed fields under their new names."""
        if isinstance(value, str):
            return self.new_names.get(value, value)
        if isinstance(value, list):
            return [self.renamed(item) for item in value]
        if isinstance(value, dict):
            return {self.renamed(key): item for key, item in value.items()}
        return value

    def emit(self, at: Loc, kind: str, verdict: Verdict, old: Any, new: Any) -> None:
        # Something only the old contract has is located in the old file; so is a key that
        # went back to its default and is no longer written in the new one.
        side: Side = "old" if new is None and old is not None else "new"
        line = _line(self.new if side == "new" else self.old, at)
        if line is None and side == "new":
            side, line = "old", _line(self.old, at)
        breaking = is_breaking(verdict.direction, self.mode)
        change = Change(
            path=path_text(at),
            kind=kind,
            direction=verdict.direction,
            breaking=breaking,
            old=yaml_form(old),
            new=yaml_form(new),
            message=verdict.reason,
            line=line,
            side=side,
        )
        self.changes.append(change)

    def model(self, old: BaseModel, new: BaseModel, at: Loc, scope: Scope) -> None:
        klass = type(new)
        for key, info in klass.model_fields.items():
            before, after = getattr(old, key), getattr(new, key)
            if before != after:
                self.key(r.rule_for(klass, key), before, after, (*at, info.alias or key), scope)

    def key(self, rule: Row, old: Any, new: Any, at: Loc, scope: Scope) -> None:
        if isinstance(rule, Leaf | Entries) and rule.names_fields:
            old = self.renamed(old)
        if isinstance(rule, Leaf):
            verdict = rule.judge(old, new, scope)
            if verdict is not None:
                self.emit(at, rule.kind, verdict, old, new)
        elif isinstance(rule, Walk):
            self.walk(rule, old, new, at, scope)
        elif isinstance(rule, Entries):
            self.entries(rule, old, new, at, scope)
        elif isinstance(rule, Extensions):
            for name in [*new, *(k for k in old if k not in new)]:
                if old.get(name) != new.get(name):
                    verdict = j.extension(name, scope)
                    self.emit((*at[:-1], name), "metadata", verdict, old.get(name), new.get(name))
        elif rule.how == "fields":
            self.fields(old or {}, new or {}, at, "" if at == ("fields",) else scope.subject)
        elif rule.how == "checks":
            self.checks(old, new, at, scope)
        elif rule.how == "rules":
            self.rules(old, new, at, scope)
        elif rule.how == "profile_dataset":
            self.profile_dataset(str(at[1]), at, scope)
        elif rule.how == "profile_fields":
            self.profile_fields(str(at[1]), at)
        # "identity", "version" and "match" keys are compared by whoever called us.

    def walk(self, rule: Walk, old: Any, new: Any, at: Loc, scope: Scope) -> None:
        if old is None or new is None:
            self.emit(at, rule.kind, rule.appeared(old is None, scope), old, new)
        elif isinstance(new, Field_):
            self.model(old, new, at, self.field_scope(old, new, f"{scope.subject} items"))
        else:
            self.model(old, new, at, replace(scope, subject=rule.subject or scope.subject))

    def entries(
        self, rule: Entries, old: dict[str, Any], new: dict[str, Any], at: Loc, scope: Scope
    ) -> None:
        for name in [*new, *(k for k in old if k not in new)]:
            here = (*at, name)
            if name not in old or name not in new:
                added = name not in old
                kind = f"{rule.kind}.{'added' if added else 'removed'}"
                self.emit(here, kind, rule.appeared(name, added), old.get(name), new.get(name))
            elif old[name] != new[name]:
                inner = replace(scope, subject=rule.subject.format(name=name))
                self.model(old[name], new[name], here, inner)

    # -- fields, with renames --------------------------------------------------------------

    def fields(self, old: dict[str, Field_], new: dict[str, Field_], at: Loc, parent: str) -> None:
        top = at == ("fields",)
        renames = self.renames if top else renames_of(old, new)
        for name, spec in new.items():
            here, subject = (*at, name), _named(parent, name)
            source = name if name in old else renames.get(name)
            if source is None:
                closed = top and self.old.dataset.columns == "closed"
                verdict = j.field_added(subject, spec.required, closed, self.root)
                self.emit(here, "field.added", verdict, None, spec)
                continue
            if source != name:
                verdict = j.field_renamed(_named(parent, source), subject)
                self.emit(here, "field.renamed", verdict, source, name)
            if old[source] != spec:
                self.model(old[source], spec, here, self.field_scope(old[source], spec, subject))
        kept = {*new, *renames.values()}
        for name, spec in old.items():
            if name not in kept:
                closed = top and self.new.dataset.columns == "closed"
                verdict = j.field_removed(_named(parent, name), spec.required, closed)
                self.emit((*at, name), "field.removed", verdict, spec, None)

    def field_scope(self, old: Field_, new: Field_, subject: str) -> Scope:
        return replace(
            self.root,
            subject=subject,
            old_type=old.type,
            new_type=new.type,
            old_tz=old.tz,
            new_tz=new.tz,
        )

    # -- checks and rules ------------------------------------------------------------------

    def checks(self, old: list[c.BaseCheck], new: list[c.BaseCheck], at: Loc, scope: Scope) -> None:
        for before, after in match_checks(old, new):
            if before is not None and after is not None:
                if old[before] != new[after]:
                    self.check_pair(old[before], new[after], (*at, after), scope)
                continue
            gone = old[before] if before is not None else None
            came = new[after] if after is not None else None
            here = (*at, after if after is not None else before or 0)
            kind = "check.added" if gone is None else "check.removed"
            self.emit(here, kind, j.check_presence(gone, came, scope), gone, came)

    def check_pair(self, old: c.BaseCheck, new: c.BaseCheck, at: Loc, scope: Scope) -> None:
        kind = str(getattr(new, "kind"))  # noqa: B009
        options = replace(scope, subject=f"the {new.label} check on {scope.subject}")
        for key in type(new).model_fields:
            before, after = getattr(old, key), getattr(new, key)
            if before == after:
                continue
            # YAML paths: options sit beside the kind, a scalar parameter *is* the kind's value.
            rule = r.rule_for(type(new), key)
            if key in r.CHECK_OPTIONS:
                self.key(rule, before, after, (*at, key), options)
            elif key in (c.SCALAR_PARAM_KEY, "params"):
                self.key(rule, before, after, (*at, kind), scope)
            else:
                self.key(rule, before, after, (*at, kind, key), scope)

    def rules(self, old: list[Rule], new: list[Rule], at: Loc, scope: Scope) -> None:
        old_by_name = {rule.name: (index, rule) for index, rule in enumerate(old)}
        new_names = {rule.name for rule in new}
        for index, rule in enumerate(new):
            if rule.name not in old_by_name:
                verdict = j.rule_presence(rule.name, added=True)
                self.emit((*at, index), "dataset.rule.added", verdict, None, rule)
            elif old_by_name[rule.name][1] != rule:
                inner = replace(scope, subject=f"rule {rule.name}")
                self.model(old_by_name[rule.name][1], rule, (*at, index), inner)
        for name, (index, rule) in old_by_name.items():
            if name not in new_names:
                verdict = j.rule_presence(name, added=False)
                self.emit((*at, index), "dataset.rule.removed", verdict, rule, None)

    # -- profiles: overrides judged on the values they produce ------------------------------

    def profile_dataset(self, name: str, at: Loc, scope: Scope) -> None:
        before = self.old.profiles[name].dataset
        after = self.new.profiles[name].dataset
        inner = replace(scope, subject=f"the dataset in profile {name}")
        for key, info in DatasetOverride.model_fields.items():
            if _overrides(before, key) or _overrides(after, key):
                old_value = _effective(before, key, self.old.dataset)
                new_value = _effective(after, key, self.new.dataset)
                if old_value != new_value:
                    rule = r.rule_for(DatasetOverride, key)
                    self.key(rule, old_value, new_value, (*at, info.alias or key), inner)

    def profile_fields(self, name: str, at: Loc) -> None:
        old_profile, new_profile = self.old.profiles[name], self.new.profiles[name]
        gone = [n for n in old_profile.fields if n not in new_profile.fields]
        for field_name in [*new_profile.fields, *gone]:
            source = self.renames.get(field_name, field_name)
            if source not in self.old.fields or field_name not in self.new.fields:
                continue  # an added or removed field is reported once, at the top level
            before, after = old_profile.fields.get(source), new_profile.fields.get(field_name)
            old_spec = _merged(self.old.fields[source], before)
            new_spec = _merged(self.new.fields[field_name], after)
            scope = self.field_scope(old_spec, new_spec, f"{field_name} in profile {name}")
            for key, info in FieldOverride.model_fields.items():
                overridden = _overrides(before, key) or _overrides(after, key)
                old_value, new_value = getattr(old_spec, key), getattr(new_spec, key)
                if overridden and old_value != new_value:
                    here = (*at, field_name, info.alias or key)
                    self.key(r.rule_for(FieldOverride, key), old_value, new_value, here, scope)


def _overrides(override: BaseModel | None, key: str) -> bool:
    """Whether a profile override sets ``key`` (an unset override inherits the contract's)."""
    if override is None:
        return False
    value = getattr(override, key)
    return value is not None and value != {}


def _effective(override: BaseModel | None, key: str, base: BaseModel) -> Any:
    return getattr(override, key) if _overrides(override, key) else getattr(base, key)


def _merged(base: Field_, override: FieldOverride | None) -> Field_:
    """The field as the profile sees it (already-validated values, so no re-validation)."""
    if override is None:
        return base
    keys = [key for key in FieldOverride.model_fields if _overrides(override, key)]
    return base.model_copy(update={key: getattr(override, key) for key in keys})
