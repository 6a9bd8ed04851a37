"""The import report: what each ODCS item became, item by item.

Nothing is dropped silently: every ODCS value is either mapped to an accord key, mapped with an
approximation (the contract says so in a comment), or kept verbatim under ``x-odcs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["mapped", "approximated", "kept", "error"]
ODCS_KEY = "x-odcs"
CARRIER = "accord"


@dataclass(frozen=True, slots=True)
class Note:
    kind: Kind
    odcs_path: str
    """Where in the ODCS file, e.g. ``schema[0].properties[2].logicalTypeOptions.pattern``."""
    message: str
    accord_path: str = ""
    """Where in the accord contract, when the item landed somewhere."""


@dataclass
class Notes:
    """Collects notes while one object is imported."""

    items: list[Note] = field(default_factory=list)

    def mapped(self, odcs_path: str, accord_path: str, message: str = "") -> None:
        self.items.append(Note("mapped", odcs_path, message, accord_path))

    def approximated(self, odcs_path: str, accord_path: str, message: str) -> None:
        self.items.append(Note("approximated", odcs_path, message, accord_path))

    def kept(self, odcs_path: str, accord_path: str, message: str = "") -> None:
        self.items.append(Note("kept", odcs_path, message, accord_path))

    def error(self, odcs_path: str, message: str) -> None:
        self.items.append(Note("error", odcs_path, message))

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.items if n.kind == "error"]


def render_notes(notes: list[Note], *, title: str) -> str:
    """Plain text, one line per item, grouped by what happened to it."""
    lines = [title]
    headings = {
        "mapped": "mapped",
        "approximated": "approximated (see the comments in the contract)",
        "kept": "kept unmapped under x-odcs (exported back as they were)",
    }
    for kind, heading in headings.items():
        chosen = [n for n in notes if n.kind == kind]
        lines.append(f"  {heading}: {len(chosen)}")
        for note in chosen:
            target = f" -> {note.accord_path}" if note.accord_path else ""
            detail = f": {note.message}" if note.message else ""
            lines.append(f"    {note.odcs_path}{target}{detail}")
    return "\n".join(lines)
