"""What a contract declares inside list items and struct members that no engine evaluates.

The type of every item and member is judged (``dtypes_*``); value checks, ``unique``,
``categories`` and an explicit ``nullable: false`` inside them are not. Rather than let them pass
in silence, the runner reports each as ``check.skipped`` with the reason (SPEC 6: never a silent
pass).
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.compile.plan import CheckSpec
from accord.contract.model import ContractModel, Field_

REASON = "checks inside list items and struct members are not evaluated; only their types are"


def unevaluated(contract: ContractModel) -> list[CheckSpec]:
    """Every nested declaration the run cannot evaluate, in contract order."""
    found: list[CheckSpec] = []
    for name, spec in contract.fields.items():
        for path, member in _members(f"fields.{name}", spec):
            found += _declared(contract, name, path, member)
    return found


def _members(path: str, spec: Field_) -> Iterator[tuple[str, Field_]]:
    if spec.items is not None:
        yield f"{path}.items", spec.items
        yield from _members(f"{path}.items", spec.items)
    for member_name, member in (spec.fields or {}).items():
        yield f"{path}.fields.{member_name}", member
        yield from _members(f"{path}.fields.{member_name}", member)


def _declared(contract: ContractModel, name: str, path: str, member: Field_) -> list[CheckSpec]:
    def spec(check_id: str, kind: str, severity: str, params: dict[str, object]) -> CheckSpec:
        return CheckSpec(check_id, kind, name, severity, params, line=contract.line_of(check_id))

    found = []
    if "nullable" in member.model_fields_set and not member.nullable:
        found.append(spec(f"{path}.nullable", "nullable", "error", {"nullable": False}))
    if member.unique:
        found.append(spec(f"{path}.unique", "unique", "error", {"unique": True}))
    if member.categories is not None:
        found.append(spec(f"{path}.categories", "in", "error", {"in": list(member.categories)}))
    for index, check in enumerate(member.checks):
        kind = str(getattr(check, "kind"))  # noqa: B009
        found.append(spec(f"{path}.checks[{index}]", kind, str(check.severity), {}))
    return found
