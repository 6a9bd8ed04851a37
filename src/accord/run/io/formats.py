"""Each format's readers, by the format's name (``common.FORMATS``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from accord.contract.model import ContractModel
from accord.run.io import arrow, csv, jsonl, parquet
from accord.run.io.common import OpenedFile

ReadFile = Callable[[Path, ContractModel, Sequence[str] | None], tuple[pl.DataFrame, list[str]]]
"""A whole file as one frame (only the columns given, all: None), and its duplicate columns."""
OpenFile = Callable[[Path, ContractModel, int], OpenedFile]
"""A file opened to be read in parts of about the number of rows given."""

READ_FILE: dict[str, ReadFile] = {
    "csv": csv.read_file,
    "parquet": parquet.read_file,
    "jsonl": jsonl.read_file,
    "arrow": arrow.read_file,
}
OPEN_FILE: dict[str, OpenFile] = {
    "csv": csv.open_file,
    "parquet": parquet.open_file,
    "jsonl": jsonl.open_file,
    "arrow": arrow.open_file,
}
