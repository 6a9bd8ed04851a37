"""Small batches cut from a larger part read and converted at once, each exactly as if it had
been read and converted alone.

Reading and converting a part costs a fixed overhead (opening the file, a polars call per column
and per rule), so ``--batch-rows 1`` over 100,000 rows spent minutes in it. ``batches`` reads a
part of :func:`read_rows` rows, converts it once, and cuts it here into batches of the size
asked: the same rows, cell failures (rows counted within the batch), reasons worded for the
batch's own failures, and null-token counts of the batch alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from accord.contract.model import Field_
from accord.run.text_parse import Converted, Settled, failure_reason

READ_ROWS = 4_096
"""The fewest rows read and converted at once, when the batches asked for are smaller..."""
READ_CELLS = 1_000_000
"""... unless that many rows would hold more cells than this (a wide table)."""


def read_rows(batch_rows: int, columns: int) -> int:
    """Rows to read and convert at once for batches of ``batch_rows`` rows of ``columns``
    columns: a whole number of batches, so batches fall where they would otherwise."""
    floor = max(1, min(READ_ROWS, READ_CELLS // max(columns, 1)))
    return batch_rows * max(1, -(-floor // batch_rows))


@dataclass
class Piece:
    frame: pl.DataFrame
    cell_failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    failure_reasons: dict[str, str] = field(default_factory=dict)
    null_token_counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _tokens(
    text: pl.DataFrame, columns: Sequence[str], tokens: Sequence[str]
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for name in columns:
        column = text.get_column(name)
        found = {tok: int((column == tok).sum()) for tok in tokens}
        if found := {tok: n for tok, n in found.items() if n}:
            counts[name] = found
    return counts


def pieces(
    text: pl.DataFrame,
    converted: Converted,
    rows: int,
    fields: Mapping[str, Field_],
    settled: Mapping[str, Settled],
    null_values: Sequence[str],
) -> Iterator[Piece]:
    """``converted`` (of the frame ``text``) in pieces of ``rows`` rows, the last fewer."""
    height = converted.frame.height
    if height <= rows:
        yield Piece(
            converted.frame,
            converted.cell_failures,
            converted.failure_reasons,
            converted.null_token_counts,
        )
        return
    tokens = [tok for tok in dict.fromkeys(null_values) if tok != ""]
    for start in range(0, height, rows):
        piece = Piece(converted.frame.slice(start, rows))
        end = start + piece.frame.height
        for name, failures in converted.cell_failures.items():
            within = pl.col("row").is_between(start, end - 1)
            part = failures.filter(within)
            if not part.height:
                continue
            piece.cell_failures[name] = part.with_columns(pl.col("row") - start)
            flags = converted.failure_flags[name].filter(within)
            hits = flags.drop("row").select(pl.all().any()).row(0, named=True)
            causes = {why for why, hit in hits.items() if hit}
            piece.failure_reasons[name] = failure_reason(fields[name], causes, settled.get(name))
        if converted.null_token_counts:
            piece.null_token_counts = _tokens(
                text.slice(start, rows), list(converted.null_token_counts), tokens
            )
        yield piece
