"""``accord --version``: accord's version and the libraries that decide its verdicts."""

from __future__ import annotations

import platform

import typer

from accord import __version__

# What a bug report needs beside accord's own version: these decide how data is read and judged.
_LIBRARIES = ("pandera", "polars", "pandas", "pyarrow", "pydantic")


def version_text() -> str:
    from importlib import metadata  # noqa: PLC0415 - 15 ms every command would pay for --version

    parts = [f"Python {platform.python_version()}"]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return f"accord {__version__} ({', '.join(parts)})"


def show_version(value: bool) -> None:
    """The eager ``--version`` option: print and stop before any command runs."""
    if value:
        typer.echo(version_text())
        raise typer.Exit(0)
