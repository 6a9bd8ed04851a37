"""CSV files read by Spark where they lie, as accord reads them: text first, then typed.

Every column is read as a string (an explicit all-string schema named from the header, which
the driver reads and checks as accord's reader does: one record per file, no data), null tokens
applied, and each declared field converted by ``spark_text``: a cell that does not parse is null
in the typed column and kept as text beside it (``ORIGINAL``), so the pass counts it as a
``field.type`` violation on its row with its original text.

Row positions. Spark's CSV source has no ``_metadata.row_index``. A file is cut into splits at
byte offsets (``_metadata.file_block_start``); a task reads each of its splits line by line, in
file order, and ``monotonically_increasing_id`` numbers the rows of a partition consecutively, so
the rows of one split carry consecutive ids. One aggregation per (file, split) gives each split's
row count and first id; on the driver those become, per split, the dataset position of its first
row, and a row's position is that plus its id minus the split's first id: exact file order
across splits, files, globs and directories, whatever the partitioning (tested with 64-byte
splits packed several to a partition). Every pass over the frame computes the ids again; they
agree because each pass lists the same files and cuts the same splits (the settings do not
change within a run), and the id is taken on the scan, before any join moves rows. The same
aggregation (``spark_csv_blocks``) counts null
tokens, settles ``number`` and unscaled ``decimal`` fields over the whole column and finds which
problems the failing cells have, so the reasons match accord's reader. With the header option
Spark drops the first line of each file only (a data row equal to the header stays data).

Where Spark's line-based parser could read a file differently from accord's (a quoted cell
spanning lines, a blank line, a stray quote, a record of the wrong width, bytes invalid in the
encoding), the file is first checked on the driver by accord's streaming structure walk, which
keeps no records: a malformed file is refused (exit 2) naming its line. A well-formed file that
Spark would still misread (a quoted cell spanning lines) makes the whole dataset read by accord's
readers instead, with a warning saying why (:class:`DriverRead`): never a silent other reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyspark.sql import functions as f  # this module loads only with the Spark engine
from pyspark.sql.types import StringType, StructField, StructType

from accord.contract.model import ContractModel
from accord.engines.spark_columns import ORIGINAL, ROW, column, tell_case_apart
from accord.engines.spark_csv_blocks import BLOCK, CORRUPT, FILE, ID, aggregated
from accord.engines.spark_files import DriverRead, SparkRead, listed_path
from accord.engines.spark_text import (
    Settled,
    rule,
    unsupported,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


class CsvLayout(Protocol):
    codec: str
    delimiter: str
    width: int
    columns: list[tuple[str, int]]
    duplicates: list[str]


class CsvStructure(Protocol):
    """Accord's own CSV rules for a contract's files (``run.io.csv.CsvStructure``), applied on
    the driver to a header, or to a file's structure without keeping its records."""

    contract: ContractModel

    def layout(self, path: Path) -> CsvLayout: ...
    def check(self, path: Path) -> None: ...


_JAVA_CODECS = {"utf-8-sig": "UTF-8", "latin-1": "ISO-8859-1", "ascii": "US-ASCII"}
"""Encodings whose line breaks are the ASCII bytes, so Spark can cut a file into lines."""


def read_csv(session: Any, files: list[Path], structure: CsvStructure) -> SparkRead | DriverRead:
    """``files`` (discover order) as one frame of ``session``, typed by the contract."""
    contract = structure.contract
    layouts = {path: structure.layout(path) for path in files}
    why = _not_here(layouts, contract)
    if why is not None:
        return DriverRead(why)
    names = list(dict.fromkeys(n for lay in layouts.values() for n, _ in lay.columns))
    missing = {
        name: [str(p) for p, lay in layouts.items() if name not in dict(lay.columns)]
        for name in names
    }
    suspect = _suspect_lines(session, files, contract)
    for path in suspect:
        structure.check(path)  # raises naming the line when the file is malformed
    if suspect:
        return DriverRead(
            f"{suspect[0]} has a quoted cell spanning lines or a blank line, which Spark's CSV "
            "reader reads by line"
        )
    tell_case_apart(session, names)
    raw = _raw(session, layouts, names, contract)
    tokens = list(dict.fromkeys(contract.source.csv.null_values))
    text = {name: _tokened(column(name), tokens) for name in names}
    blocks = aggregated(raw, names, text, tokens, contract)
    checked = [p for p in files if blocks.suspicious.get(str(p.absolute()), 0)]
    for path in checked:
        structure.check(path)
    split = [p for p in files if blocks.corrupt.get(str(p.absolute()), 0)]
    if split:  # well-formed for accord (checked above), yet Spark saw records of another width
        return DriverRead(f"Spark's CSV reader splits the records of {split[0]} differently")
    starts, counts = blocks.positions([str(p.absolute()) for p in files])
    key = f.concat_ws("\u0000", column(FILE), column(BLOCK).cast("string"))
    # no rows at all: no splits, and an empty map has no key type
    first = f.create_map(*[f.lit(x) for pair in starts.items() for x in pair])[key]
    position = first if starts else f.lit(None).cast("bigint")
    converted = _converted(names, text, contract, blocks.settled)
    frame = raw.select(*converted, (position + column(ID)).alias(ROW))
    return SparkRead(
        frame,
        [(str(path), counts.get(str(path.absolute()), 0)) for path in files],
        {name: paths for name, paths in missing.items() if paths},
        null_token_counts=blocks.tokens,
        duplicate_columns=list(
            dict.fromkeys(d for lay in layouts.values() for d in lay.duplicates)
        ),
        type_reasons=blocks.reasons(),
    )


def _not_here(layouts: Mapping[Path, CsvLayout], contract: ContractModel) -> str | None:
    """Why Spark cannot read these files as accord does, or None."""
    for path, lay in layouts.items():
        if lay.codec not in _JAVA_CODECS:
            return f"{path} is in {lay.codec}, which Spark cannot cut into lines as accord does"
        for name, _ in lay.columns:
            spec = contract.fields.get(name)
            why = unsupported(spec) if spec is not None else None
            if why is not None:
                return f"field {name!r}: {why}"
    return None


def _suspect_lines(session: Any, files: list[Path], contract: ContractModel) -> list[Path]:
    """The files with a blank line or a line holding an odd number of quote characters (the
    start or end of a quoted cell spanning lines, or a stray quote), in one pass over the
    lines: Spark skips blank lines and reads a file line by line."""
    quote = contract.source.csv.quote
    lines = session.read.text([str(p.absolute()) for p in files])
    quotes = f.length("value") - f.length(f.replace(f.col("value"), f.lit(quote), f.lit("")))
    flagged = (f.col("value") == "") | (f.pmod(quotes, f.lit(2)) == 1)
    found = lines.where(flagged).select(listed_path().alias("path")).distinct().collect()
    hit = {str(row["path"]) for row in found}
    return [path for path in files if str(path.absolute()) in hit]


def _raw(
    session: Any, layouts: Mapping[Path, CsvLayout], names: list[str], contract: ContractModel
) -> DataFrame:
    """Every file's records as text under the dataset's column names (null where a file lacks
    one), with the hidden columns that place each row; one read per distinct header."""
    quote = contract.source.csv.quote
    groups: dict[tuple[Any, ...], list[Path]] = defaultdict(list)
    for path, lay in layouts.items():
        groups[(lay.codec, lay.delimiter, lay.width, tuple(lay.columns))].append(path)
    frames = []
    for (codec, delimiter, width, header), paths in groups.items():
        schema = StructType(
            [StructField(f"c{i}", StringType()) for i in range(width)]
            + [StructField(CORRUPT, StringType())]
        )
        reader = session.read.schema(schema).options(
            header=str(contract.source.csv.header).lower(),
            sep=delimiter,
            quote=quote,
            escape=quote,
            encoding=_JAVA_CODECS[codec],
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            multiLine="false",
            maxColumns=str(max(20480, width + 1)),
            enforceSchema="true",
        )
        read = reader.csv([str(p.absolute()) for p in paths])
        index = dict(header)
        frames.append(
            read.select(
                *[
                    column(f"c{index[name]}").alias(name)
                    if name in index
                    else f.lit(None).cast("string").alias(name)
                    for name in names
                ],
                column(CORRUPT).isNotNull().alias(CORRUPT),
                listed_path().alias(FILE),
                f.col("_metadata.file_block_start").alias(BLOCK),
                f.monotonically_increasing_id().alias(ID),  # before any union: see the docstring
            )
        )
    result: DataFrame = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def _tokened(raw: Column, tokens: list[str]) -> Column:
    """A cell's text as accord reads it: Spark gives an empty cell (quoted or not) as null, and
    only the null tokens are null."""
    text = f.coalesce(raw, f.lit(""))
    if not tokens:
        return text
    return f.when(text.isin(*tokens), f.lit(None).cast("string")).otherwise(text)


def _converted(
    names: list[str],
    text: Mapping[str, Column],
    contract: ContractModel,
    settled: Mapping[str, Settled],
) -> list[Column]:
    """Every column as the run reads it: declared fields typed, their text kept beside them."""
    columns: list[Column] = []
    originals: list[Column] = []
    for name in names:
        spec = contract.fields.get(name)
        if spec is None or spec.type in ("string", "category"):
            columns.append(text[name].alias(name))
            continue
        typed = rule(text[name], spec, settled.get(name, Settled()))
        columns.append(typed.value.alias(name))
        originals.append(text[name].alias(f"{ORIGINAL}{name}"))
    return columns + originals
