"""A rich console that renders into a string: the one setting every text renderer shares."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def string_console(*, color: bool, width: int, soft_wrap: bool = False) -> tuple[Console, StringIO]:
    """A console writing to a buffer: ANSI colour only when asked, no markup or emoji read
    from text (data must never be interpreted), and no highlighting guesses."""
    # rich is imported here, not at module level, to keep `import accord` light.
    from rich.console import Console  # noqa: PLC0415

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=soft_wrap,
    )
    return console, buffer
