"""Each format's readers, by the format's name (``common.FORMATS``).

A format's module is imported when a file of that format is read: reading a CSV file never
loads pyarrow's Parquet and Arrow machinery (about a tenth of a small run's time).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from accord.contract.model import ContractModel
    from accord.run.io.common import OpenedFile

ReadFile = Callable[[Path, "ContractModel", Sequence[str] | None], tuple["pl.DataFrame", list[str]]]
"""A whole file as one frame (only the columns given, all: None), and its duplicate columns."""
OpenFile = Callable[[Path, "ContractModel", int], "OpenedFile"]
"""A file opened to be read in parts of about the number of rows given."""

# The module that reads each format (each has ``read_file`` and ``open_file``).
_MODULES = {
    "csv": "accord.run.io.csv",
    "parquet": "accord.run.io.parquet",
    "jsonl": "accord.run.io.jsonl",
    "arrow": "accord.run.io.arrow",
}


def read_file(kind: str) -> ReadFile:
    """The reader of a whole ``kind`` file."""
    reader: ReadFile = importlib.import_module(_MODULES[kind]).read_file
    return reader


def open_file(kind: str) -> OpenFile:
    """The reader of a ``kind`` file in parts."""
    opener: OpenFile = importlib.import_module(_MODULES[kind]).open_file
    return opener
