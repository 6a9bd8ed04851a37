"""The contract an import builds, and what it keeps beside it: fields, dataset keys and rules,
the expectations kept under ``x-gx`` with their reasons, and where each check came from. The
handlers of :mod:`accord.interop.gx_handlers` fill it, one expectation at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from accord.compile.gx_common import ACCORD_SEVERITY
from accord.interop import gx_args
from accord.interop.gx_args import Unmappable
from accord.interop.gx_suite import Expectation, Suite

_KEY_ORDER = ["type", "tz", "precision", "scale", "format", "required", "nullable", "unique", "pii"]
_NAME = re.compile(r"[^a-z0-9_.-]+")


@dataclass
class Imported:
    """The contract as plain data, and what could not be said in it."""

    document: dict[str, Any]
    untyped: list[str]
    """Columns with no type from the suite: ``--data`` must give them one."""
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    """(where, reason) for each expectation kept under ``x-gx`` only."""
    notes: list[str] = field(default_factory=list)
    mapped: list[int] = field(default_factory=list)
    """Indexes of the expectations that became part of the contract."""
    moved: list[int] = field(default_factory=list)
    """Indexes of mapped expectations the loader refused, kept under ``x-gx`` after all."""
    origins: dict[str, int] = field(default_factory=dict)
    """Contract path of each imported check, rule or key (``fields.a.checks[0]``,
    ``dataset.rules[1]``, ``dataset.unique[0]``) to the expectation it came from."""


class Importer:
    """One import under way: the contract as plain data so far."""

    def __init__(self, suite: Suite, fallback_name: str) -> None:
        self.suite = suite
        self.fallback = fallback_name
        self.fields: dict[str, dict[str, Any]] = {}
        self.typed: set[str] = set()
        self.dataset: dict[str, Any] = {}
        self.rules: list[dict[str, Any]] = []
        self.unmapped: list[dict[str, Any]] = []
        self.reasons: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.exported = _accord_meta(suite)
        self.origins: dict[str, int] = {}
        self.mapped: list[int] = []

    # -- the document -------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        contract = self.exported.get("contract", {})
        name = contract.get("name") or _contract_name(self.suite.name or self.fallback)
        document: dict[str, Any] = {
            "accord": 1,
            "name": name,
            "version": contract.get("version") or "0.1.0",
            "description": f"Imported from Great Expectations suite "
            f"{self.suite.name or self.fallback!r} (GX {self.suite.flavor}).",
        }
        if self.dataset:
            document["dataset"] = self.dataset
        fields = {}
        for name, spec in self.fields.items():
            # keys in the order people write them: type first, checks last
            ordered = sorted(spec, key=lambda k: _KEY_ORDER.index(k) if k in _KEY_ORDER else 50)
            fields[name] = {k: spec[k] for k in ordered if k != "checks" or spec[k]}
        document["fields"] = fields
        gx: dict[str, Any] = {"suite": self.suite.name, "format": self.suite.flavor}
        if self.unmapped:
            gx["unmapped"] = self.unmapped
        if self.notes:
            gx["notes"] = self.notes
        document["x-gx"] = gx
        return document

    def untyped(self) -> list[str]:
        return [name for name, spec in self.fields.items() if "type" not in spec]

    def unmap(self, expectation: Expectation, reason: str) -> None:
        where = f"expectations[{expectation.index}] {expectation.kind}"
        column = expectation.kwargs.get("column")
        if isinstance(column, str):
            where += f" ({column})"
        self.reasons.append((where, reason))
        self.unmapped.append({"expectation": expectation.raw, "reason": reason})

    def field(self, name: Any) -> dict[str, Any]:
        if not isinstance(name, str) or not name:
            raise Unmappable("the expectation names no column")
        # a suite says nothing of nulls unless it expects none: nullable until told otherwise
        return self.fields.setdefault(name, {"nullable": True, "checks": []})

    # -- shared by the handlers -------------------------------------------------------------
    def known(self, e: Expectation, allowed: set[str]) -> None:
        extra = sorted(
            k
            for k in e.kwargs
            if k not in allowed and k not in gx_args.IGNORED and k not in gx_args.UNSUPPORTED_ARGS
        )
        if extra:
            raise Unmappable(f"argument {', '.join(extra)} has no accord meaning")

    def note(self, e: Expectation, text: str) -> None:
        self.notes.append(f"expectations[{e.index}] {e.kind}: {text}")

    def options(self, e: Expectation) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if e.severity is not None:
            severity = ACCORD_SEVERITY.get(e.severity.lower())
            if severity is None:
                self.note(e, f"severity {e.severity!r} read as error")
            elif severity == "warning":
                options["severity"] = "warning"
        if e.description:
            options["name"] = e.description
        return options

    def table_level(self, options: dict[str, Any]) -> None:
        if options.get("severity") == "warning":
            raise Unmappable("accord's dataset keys are errors: they take no warning severity")

    def add(
        self, e: Expectation, check: dict[str, Any], options: dict[str, Any], *, row_level: bool
    ) -> None:
        mostly = gx_args.mostly(e.kwargs)
        if mostly is not None:
            if not row_level:
                raise Unmappable("mostly on an aggregate has no accord meaning")
            if mostly <= 0:
                raise Unmappable("mostly 0 never fails")
            options = {**options, "mostly": float(mostly)}
        self.check(e, {**check, **options})

    def check(self, e: Expectation, check: dict[str, Any]) -> None:
        name = e.kwargs.get("column")
        checks = self.field(name)["checks"]
        self.origins[f"fields.{name}.checks[{len(checks)}]"] = e.index
        checks.append(check)


def _accord_meta(suite: Suite) -> dict[str, Any]:
    """What a suite accord exported says of its contract (types, name, version)."""
    accord = suite.meta.get("accord")
    return accord if isinstance(accord, dict) else {}


def _contract_name(text: str) -> str:
    name = _NAME.sub("_", text.lower()).strip("_.-")
    return name if name[:1].isalpha() else f"gx_{name}".rstrip("_")
