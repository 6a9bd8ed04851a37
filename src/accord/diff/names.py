"""The names ``accord diff`` accepts, in a module without heavy imports so the CLI can declare
its options without loading the diff machinery."""

from __future__ import annotations

from typing import Literal, get_args

Mode = Literal["backward", "forward", "full", "none"]
MODES: tuple[Mode, ...] = get_args(Mode)
FORMAT_NAMES = ("text", "json", "markdown", "github", "junit")
