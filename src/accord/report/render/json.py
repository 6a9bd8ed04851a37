"""The JSON report: the stable, schema-described form (SPEC section 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.report.model import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """``report.to_json()``: two-space indented, strict JSON, valid against the shipped schema."""
    return report.to_json()
