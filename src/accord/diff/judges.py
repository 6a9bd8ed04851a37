"""How one key's old and new value become a direction and a reason (the cells of the table).

Each judge answers the SPEC 4 question for its kind of key: is some data valid under OLD now
invalid (tightened), some data valid under NEW unseen before (relaxed), both (changed), or is
only metadata touched (neutral)? The reason names what now fails or what consumers may now see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from accord.contract.params import ParamError, parse_duration, read_param
from accord.diff.model import Direction, Scope, Verdict, combine, consequence, show
from accord.diff.typelattice import type_direction

# -- readers: a bound is compared in the type it is read in ------------------------------------

Reader = Literal["field", "duration", "raw"]


def read_bound(value: Any, reader: Reader, logical_type: str | None, tz: str | None) -> Any:
    """``value`` as something ordered: a date for a date field, a timedelta for ``26h``."""
    try:
        if reader == "duration" and isinstance(value, str):
            return parse_duration(value)
        if reader == "field" and logical_type is not None:
            read = read_param(value, logical_type, tz=tz)
            # A naive and an aware timestamp cannot be ordered; compare both as UTC instants.
            if isinstance(read, dt.datetime) and read.tzinfo is None:
                return read.replace(tzinfo=dt.UTC)
            return read
    except ParamError:
        pass
    return value


def bound(
    old: Any, new: Any, scope: Scope, *, what: str, upper: bool, reader: Reader, values: bool
) -> Verdict | None:
    """A lower or upper limit: loosening lets unseen data through, tightening rejects old data."""
    label = f"{what} of {scope.subject}"
    unseen = f"so {scope.consumers} may see {'values' if values else 'data'} they never saw"
    if old is None:
        side = "above" if upper else "below"
        fail = (
            f"values {side} {show(new)} that passed before now fail"
            if values
            else "data that passed before can now fail"
        )
        return Verdict("tightened", f"{label} set to {show(new)}: {fail}")
    if new is None:
        return Verdict(
            "relaxed", f"{label} {show(old)} removed: anything beyond it now passes, {unseen}"
        )
    low = read_bound(old, reader, scope.old_type, scope.old_tz)
    high = read_bound(new, reader, scope.new_type, scope.new_tz)
    try:
        if low == high:
            return None
        raised = bool(high > low)
    except TypeError:
        return Verdict(
            "changed",
            f"{label} changed from {show(old)} to {show(new)}, values that "
            "cannot be ordered against each other",
        )
    verb = "raised" if raised else "lowered"
    head = f"{label} {verb} from {show(old)} to {show(new)}"
    if raised == upper:  # a higher upper or a lower lower limit lets more through
        reach = (
            f"values {'up' if upper else 'down'} to {show(new)} now pass"
            if values
            else ("data that failed before now passes")
        )
        return Verdict("relaxed", f"{head}: {reach}, {unseen}")
    fail = (
        f"values {'above' if upper else 'below'} {show(new)} that passed before now fail"
        if values
        else "data that passed before can now fail"
    )
    return Verdict("tightened", f"{head}: {fail}")


def members(old: Any, new: Any, scope: Scope, *, what: str, allow: bool) -> Verdict | None:
    """A set of values: for an allow-list removing is tightening; for a deny-list, adding is."""
    label = f"{what} of {scope.subject}"
    if old is None or new is None:
        present = new if old is None else old
        direction: Direction = "tightened" if (old is None) == allow else "relaxed"
        verb = "set to" if old is None else "removed, was"
        return Verdict(
            direction, f"{label} {verb} {show(present)}: {consequence(direction, scope)}"
        )
    old_set, new_set = _as_set(old), _as_set(new)
    gone, came = old_set - new_set, new_set - old_set
    if not gone and not came:
        return None
    tightens, relaxes = (bool(gone), bool(came)) if allow else (bool(came), bool(gone))
    found = combine(tightens, relaxes)
    assert found is not None
    if gone and came:
        head = f"{label}: {_items(gone)} removed and {_items(came)} added"
    elif came:
        head = f"{_items(came)} added to the {label}"
    else:
        head = f"{_items(gone)} removed from the {label}"
    return Verdict(found, f"{head}: {consequence(found, scope)}")


def _items(values: frozenset[Any]) -> str:
    shown = [show(sorted(v)) if isinstance(v, frozenset) else show(v) for v in values]
    return ", ".join(sorted(shown))


def _as_set(values: Iterable[Any]) -> frozenset[Any]:
    # Unique groups are lists of field names whose order carries no meaning.
    return frozenset(frozenset(v) if isinstance(v, list) else v for v in values)


def flag(old: Any, new: Any, scope: Scope, *, what: str, tight_when: bool) -> Verdict | None:
    """A yes/no constraint; ``tight_when`` is the value that rejects more data."""
    if bool(old) == bool(new):
        return None
    now = "now" if new else "no longer"
    if bool(new) == tight_when:
        return Verdict(
            "tightened", f"{scope.subject} is {now} {what}: data that passed before can now fail"
        )
    return Verdict(
        "relaxed", f"{scope.subject} is {now} {what}: {scope.consumers} may see data they never saw"
    )


def severity(old: Any, new: Any, scope: Scope) -> Verdict | None:
    """error to warning stops failing runs (relaxed); warning to error starts (tightened)."""
    old_level = old if old is not None else scope.default_severity[0]
    new_level = new if new is not None else scope.default_severity[1]
    if old_level == new_level:
        return None
    head = f"severity of {scope.subject} changed from {old_level} to {new_level}"
    if new_level == "error":
        return Verdict("tightened", f"{head}: failures that were warnings now fail the run")
    return Verdict("relaxed", f"{head}: failures no longer fail the run")


def mostly(old: Any, new: Any, scope: Scope) -> Verdict | None:
    """The fraction of values that must pass; absent means every one (1). Lowering it, adding it
    below 1 included, lets failures through (relaxed); raising it, or removing it, rejects data
    that passed (tightened)."""
    before = Decimal(repr(old)) if old is not None else Decimal(1)
    after = Decimal(repr(new)) if new is not None else Decimal(1)
    if before == after:
        return None
    shown = {None: "1 (every value)"}
    head = (
        f"mostly of {scope.subject} changed from {shown.get(old, show(old))} "
        f"to {shown.get(new, show(new))}"
    )
    if after < before:
        return Verdict("relaxed", f"{head}: more failing values are now tolerated")
    return Verdict("tightened", f"{head}: data whose failures were tolerated can now fail")


_ENDS = {"both": {"min", "max"}, "left": {"min"}, "right": {"max"}, "neither": set()}


def inclusive(old: Any, new: Any, scope: Scope, *, what: str) -> Verdict | None:
    """Endpoints included: dropping one rejects the boundary value, adding one admits it."""
    before, after = _ENDS[str(old)], _ENDS[str(new)]
    found = combine(bool(before - after), bool(after - before))
    if found is None:
        return None
    return Verdict(
        found,
        f"{what} of {scope.subject} changed from {old} to {new}: "
        + {
            "tightened": "boundary values that passed before now fail",
            "relaxed": "boundary values that failed before now pass",
            "changed": "one boundary now passes and the other fails",
        }[found],
    )


def logical_type(old: Any, new: Any, scope: Scope, *, what: str) -> Verdict | None:
    found = type_direction(str(old), str(new))
    if found is None:
        return None
    verb = {"relaxed": "widened", "tightened": "narrowed", "changed": "changed"}[found]
    why = {
        "relaxed": f"{scope.consumers} may see values that do not fit {old}",
        "tightened": f"values that do not fit {new} now fail",
        "changed": "old data can fail and consumers read a different type",
    }[found]
    return Verdict(found, f"{what} of {scope.subject} {verb} from {old} to {new}: {why}")


def columns(old: Any, new: Any, scope: Scope, *, what: str) -> Verdict | None:
    if old == new:
        return None
    if new == "closed":
        return Verdict(
            "tightened", f"{what} of {scope.subject} closed: data with undeclared columns now fails"
        )
    return Verdict(
        "relaxed",
        f"{what} of {scope.subject} opened: undeclared columns now pass, "
        f"so {scope.consumers} may see columns they never saw",
    )


def changed(old: Any, new: Any, scope: Scope, *, what: str, why: str) -> Verdict | None:
    if old == new:
        return None
    return Verdict(
        "changed", f"{what} of {scope.subject} changed from {show(old)} to {show(new)}: {why}"
    )


def neutral(old: Any, new: Any, scope: Scope, *, what: str) -> Verdict | None:
    if old == new:
        return None
    return Verdict(
        "neutral",
        f"{what} of {scope.subject} changed (metadata only; no data is judged differently)",
    )


# -- structure: things that appear, disappear or change name --------------------------------


def field_added(subject: str, required: bool, closed: bool, scope: Scope) -> Verdict:
    """Declaring an optional field in an open contract promises nothing new about old data; in
    a closed one the column was refused before and now passes (SPEC 4 keeps "added" for what no
    existing data or consumer can trip over)."""
    found = combine(required, closed) or "added"
    head = f"{'required' if required else 'optional'} field {subject} added"
    if closed:
        head += " to a closed contract"
    why = {
        "added": "data without it still passes",
        "tightened": "data without the column, valid before, now fails",
        "relaxed": "data with that column failed before and now passes, so "
        f"{scope.consumers} may see a column they never saw",
        "changed": "data without it now fails and data with it was refused before",
    }[found]
    return Verdict(found, f"{head}: {why}")


def field_removed(subject: str, required: bool, closed: bool) -> Verdict:
    """Removing a field relaxes (its values go unchecked, a required column may be missing);
    when the contract is closed, data that still carries the column now fails as well."""
    found = combine(closed, not closed or required) or "relaxed"
    head = f"field {subject} removed" + (" from a closed contract" if closed else "")
    why = {
        "relaxed": f"data without it now passes, and consumers that read {subject} break",
        "tightened": "data that still has the column now fails",
        "changed": "data without it now passes, data that still has it fails, and consumers "
        "that read it break",
    }[found]
    return Verdict(found, f"{head}: {why}")


def field_renamed(old_subject: str, subject: str) -> Verdict:
    return Verdict(
        "changed",
        f"{old_subject} renamed to {subject}: data with the old column "
        f"name fails, and consumers that read {old_subject} must read "
        f"{subject}",
    )


def check_presence(gone: Any, came: Any, scope: Scope) -> Verdict:
    """A check added rejects data that passed; a check removed lets unseen values through."""
    if came is not None:
        return Verdict(
            "tightened",
            f"{came.label} check on {scope.subject} added: data that passed before can now fail",
        )
    return Verdict(
        "relaxed",
        f"{gone.label} check on {scope.subject} removed: values it "
        f"rejected now pass, so {scope.consumers} may see values they "
        "never saw",
    )


def rule_presence(name: str, *, added: bool) -> Verdict:
    if added:
        return Verdict("tightened", f"rule {name} added: rows that passed before can now fail")
    return Verdict("relaxed", f"rule {name} removed: rows it rejected now pass")


def extension(name: str, scope: Scope) -> Verdict:
    return Verdict(
        "neutral", f"extension {name} of {scope.subject} changed (ignored by validation)"
    )
