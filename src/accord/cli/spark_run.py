"""``accord validate --engine pyspark``: the session from ``--spark-*``, files read where they lie.

Parquet, CSV and JSON Lines are read by Spark itself (text with accord's rules: null tokens,
exact numbers, unreadable values as violations with their text), so a dataset larger than this
machine is validated on the cluster. Files Spark would read differently (said on stderr) go
through accord's readers and are handed to Spark as one frame. Any error Spark raises becomes
exit 2 with its first line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import typer

from accord.engines.base import DistributedEngine
from accord.errors import DataReadError, UsageError


@dataclass(frozen=True)
class SparkSettings:
    master: str | None
    conf: dict[str, str]
    remote: str | None

    @property
    def given(self) -> bool:
        return self.master is not None or bool(self.conf) or self.remote is not None


def settings(master: str | None, conf: list[str], remote: str | None) -> SparkSettings:
    """The ``--spark-*`` options, checked before anything is read."""
    pairs: dict[str, str] = {}
    for item in conf:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--spark-conf takes KEY=VALUE, not {item!r}")
        pairs[key.strip()] = value
    if remote is not None and not remote.startswith("sc://"):
        raise UsageError(f"--spark-remote takes a Spark Connect URL sc://HOST:PORT, not {remote!r}")
    return SparkSettings(master, pairs, remote)


def distributed(engine: Any) -> bool:
    return isinstance(engine, DistributedEngine)


def start(engine: Any, given: SparkSettings) -> None:
    """Start the session an engine that runs on a cluster asks for; refuse ``--spark-*`` for
    the others, whose data never leaves this process."""
    if not isinstance(engine, DistributedEngine):
        if given.given:
            raise UsageError(
                f"--spark-master, --spark-conf and --spark-remote apply to Spark; the "
                f"{engine.name} engine runs here (add --engine pyspark)"
            )
        return
    remote = given.remote or os.environ.get("SPARK_REMOTE") or None
    with spark_errors(engine, "start a Spark session"):
        engine.start_session(given.master, given.conf, remote)


@contextmanager
def spark_errors(engine: Any, doing: str) -> Iterator[None]:
    """The engine's (Spark's and the JVM's) errors as exit 2 with their first line, never a
    traceback."""
    try:
        yield
    except engine.failures() as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        detail = lines[0] if lines else type(error).__name__
        raise DataReadError(f"Spark could not {doing}: {detail}") from None


def read(engine: Any, data: list[str], model: Any, data_format: str | None) -> Any:
    """The dataset read by Spark where it lies (text typed by the contract, as accord's
    readers type it), or None to read it with accord's readers."""
    if not isinstance(engine, DistributedEngine):
        return None
    from accord.cli.common import warn  # noqa: PLC0415
    from accord.run.io.common import dataset_files  # noqa: PLC0415
    from accord.run.io.csv import CsvStructure  # noqa: PLC0415
    from accord.run.io.jsonl import JsonlRules  # noqa: PLC0415

    files, kind = dataset_files(data, model, data_format)
    with spark_errors(engine, "read the data"):
        rules = {"csv": CsvStructure, "jsonl": JsonlRules}.get(kind)
        found = engine.read_files(files, kind, rules(model) if rules else None)
    why = getattr(found, "why", None)
    if why is not None:
        warn(f"warning: the data is read on this machine by accord's reader, not by Spark: {why}")
        return None
    return found


def with_spark_read(options: Any, found: Any) -> Any:
    """Run options with what Spark's read found: the files, the columns some lack, and where
    a dataset row lies (file and row within it) when there are several files."""
    from accord.run.io.common import FileSpan, locate  # noqa: PLC0415

    spans, start_row = [], 0
    for path, rows in found.rows:
        spans.append(FileSpan(path, start_row, rows))
        start_row += rows
    where: Callable[[int], tuple[str, int]] | None = None
    if len(spans) > 1:

        def where(row: int) -> tuple[str, int]:
            return locate(spans, row, start_row)

    return replace(
        options,
        sources=[span.path for span in spans],
        missing_in_files=dict(found.missing_in_files),
        null_token_counts=dict(found.null_token_counts),
        duplicate_columns=list(found.duplicate_columns),
        type_reasons=dict(found.type_reasons),
        locate=where,
    )


# The --spark-* options, one definition for every command that can run on Spark.
def master_option() -> Any:
    return typer.Option(
        None,
        "--spark-master",
        help="With --engine pyspark: the cluster (spark://HOST:PORT, yarn, local[4]). Default: "
        "the active session, else local[*].",
    )


def conf_option() -> Any:
    return typer.Option(
        [], "--spark-conf", help="With --engine pyspark: a Spark setting KEY=VALUE (repeatable)."
    )


def remote_option() -> Any:
    return typer.Option(
        None,
        "--spark-remote",
        help="With --engine pyspark: a Spark Connect server sc://HOST:PORT (default: "
        "$SPARK_REMOTE).",
    )
