"""JSON Lines files read by Spark where they lie, as accord's own reader reads them.

accord reads JSON Lines with polars (``run.io.jsonl``): blank lines are no rows; a line that is
not one JSON object, nested deeper than accord reads, or holding bytes invalid in UTF-8 or a
number beyond float64 or 128 bits refuses the file naming the line; a declared field of a type
accord converts from text (numbers, bools, dates, timestamps) is read as polars' text of its
value and converted by the CSV rules, a value that does not convert being a ``field.type``
violation on its row with that text; a key a line lacks is null; keys differing in case are
different columns; the column order is the one polars infers.

Here each line is parsed in Spark (``spark_jsonl_lines``) and those rules are applied to it where
it lies: texts rendered as polars renders them (``spark_json_values``) and converted by
``spark_text``, rows positioned per (file, split) as CSV's are (``spark_csv``). The files with a
line Spark flags are walked on the driver by accord's own checks, which keep no lines: a
malformed file is refused naming its line, exactly as on the other engines. Where Spark's reading
could still differ from polars' (a key given twice, which polars reads as its first value; a
number Spark holds otherwise; a value whose polars text is not reproduced where it can show; lines
listing their keys in different orders where the order can show, since polars' order for them
comes from hashing; a list, struct or binary field; keys differing only in case, which Spark's
column names do not tell apart), the dataset is read by accord's reader instead, with a warning
saying why (:class:`DriverRead`): never a silent other reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl
from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.contract.model import ContractModel, Field_
from accord.engines.spark_columns import HIDDEN, ORIGINAL, ROW, column
from accord.engines.spark_csv_blocks import BLOCK, CORRUPT, FILE, ID, aggregated
from accord.engines.spark_files import DriverRead, SparkRead
from accord.engines.spark_json_values import (
    BOOL,
    FLOAT,
    INT,
    NULL,
    STRING,
    WIDE,
    kind,
    text,
)
from accord.engines.spark_jsonl_lines import (
    BAD,
    SEPARATOR,
    VALUES,
    FileFound,
    KeyFound,
    lines,
    survey,
)
from accord.engines.spark_text import Settled, rule, unsupported

if TYPE_CHECKING:
    from pyspark.sql import Column


class JsonlRules(Protocol):
    """accord's own JSON Lines rules for a contract (``run.io.jsonl.JsonlRules``)."""

    contract: ContractModel
    parsed_types: frozenset[str]
    """The field types read as polars' text of their values and converted by the text rules."""
    max_depth: int

    def refuse_malformed(self, path: Path) -> None: ...
    def common_dtype(self, name: str, typed: list[tuple[str, pl.DataType]]) -> pl.DataType: ...


def read_jsonl(session: Any, files: list[Path], rules: JsonlRules) -> SparkRead | DriverRead:
    """``files`` (discover order) as one frame of ``session``, typed by the contract."""
    contract = rules.contract
    paths = [str(path.absolute()) for path in files]
    parsed = lines(session, paths, rules.max_depth)
    found = survey(parsed)
    per_file = [found.get(path, FileFound()) for path in paths]
    for path, seen in zip(files, per_file, strict=True):
        if seen.bad or seen.checked:  # accord's walk of the file names its first bad line
            rules.refuse_malformed(path)
    orders, why = _orders(files, per_file, contract)
    if why is None:
        why = _not_here(files, per_file, rules)
    if why is not None:
        return DriverRead(why)
    names = list(dict.fromkeys(name for order in orders for name in order))
    missing = {
        name: [str(p) for p, seen in zip(files, per_file, strict=True) if name not in seen.keys]
        for name in names
    }
    nulls, why = _null_columns(files, per_file, names, rules)
    if why is not None:
        return DriverRead(why)
    texts = {name: _text(name) for name in names}
    raw = parsed.where(~column(BAD)).select(
        *[texts[name].alias(name) for name in names],
        f.lit(False).alias(CORRUPT),
        FILE,
        BLOCK,
        ID,
    )
    blocks = aggregated(raw, names, {n: column(n) for n in names}, [], contract)
    starts, counts = blocks.positions(paths)
    key = f.concat_ws("\u0000", column(FILE), column(BLOCK).cast("string"))
    first = f.create_map(*[f.lit(x) for pair in starts.items() for x in pair])[key]
    position = first if starts else f.lit(None).cast("bigint")
    frame = raw.select(
        *_converted(names, nulls, rules, blocks.settled), (position + column(ID)).alias(ROW)
    )
    return SparkRead(
        frame,
        [(str(path), counts.get(p, 0)) for path, p in zip(files, paths, strict=True)],
        {name: paths_ for name, paths_ in missing.items() if paths_},
        type_reasons=blocks.reasons(),
    )


def _text(name: str) -> Column:
    value = f.element_at(column(VALUES), f.lit(name))
    return text(value, kind(value))[0]


def _orders(
    files: list[Path], per_file: list[FileFound], contract: ContractModel
) -> tuple[list[list[str]], str | None]:
    """Each file's columns in polars' order; or why it cannot be told and matters."""
    every = {name for seen in per_file for name in seen.keys}
    undeclared = [name for name in every if name not in contract.fields]
    shows = contract.dataset.ordered or len(undeclared) > 1
    orders = []
    for path, seen in zip(files, per_file, strict=True):
        if len(seen.sequences) == 1:
            orders.append(next(iter(seen.sequences)).split(SEPARATOR))
            continue
        if len(seen.sequences) > 1 and shows:
            return [], (
                f"the lines of {path} list their keys in different orders, and polars' column "
                "order for them (which the report shows) comes from hashing"
            )
        orders.append(sorted(seen.keys, key=lambda name: seen.keys[name].first))
    return orders, None


def _not_here(files: list[Path], per_file: list[FileFound], rules: JsonlRules) -> str | None:
    """Why Spark's reading of these lines could differ from polars', or None."""
    for path, seen in zip(files, per_file, strict=True):
        if seen.bad:
            return (
                f"Spark's JSON parser refuses a line of {path} that accord reads (a key "
                "given twice, or an escaped lone surrogate)"
            )
        if seen.odd:
            return (
                f"{path} holds a number Spark holds otherwise than polars (a negative zero "
                "with a point or exponent, or 19 digits before a point)"
            )
    names = {name for seen in per_file for name in seen.keys}
    folded: dict[str, str] = {}
    for name in sorted(names):
        if name.startswith(HIDDEN) or SEPARATOR in name:
            return f"the key {name!r} is a name the Spark engine keeps for itself"
        if name.casefold() in folded:
            return (
                f"the keys {folded[name.casefold()]!r} and {name!r} differ only in case, "
                "which Spark's column names do not tell apart"
            )
        folded[name.casefold()] = name
    if len(files) > 1 and not names and any(not seen.keys for seen in per_file):
        return "no line of any file has a key"
    for path, seen in zip(files, per_file, strict=True):
        for name, key in seen.keys.items():
            spec = rules.contract.fields.get(name)
            why = _differs(spec, key, rules.parsed_types) if spec else None
            if why is not None:
                return f"field {name!r} in {path}: {why}"
    return None


def _differs(spec: Field_, key: KeyFound, parsed_types: frozenset[str]) -> str | None:
    """Why a declared field's values in one file are not read here as polars reads them."""
    kinds, exact, float_exact = key.kinds, key.exact, key.float_exact
    if spec.type in parsed_types:
        why = unsupported(spec)
        if why is not None:
            return why
        if not exact or (not float_exact and spec.type != "float64"):
            return "a value whose text polars writes otherwise (a list, an object or a long float)"
        return None
    if spec.type in ("string", "category"):
        if not kinds <= {NULL, STRING} and not (STRING in kinds and exact and float_exact):
            return "values that are not strings, which polars reads in another type"
        return None
    return f"{spec.type} fields are read by accord's own reader"


_DTYPES: dict[frozenset[str], pl.DataType] = {
    frozenset(): pl.Null(),
    frozenset({BOOL}): pl.Boolean(),
    frozenset({INT}): pl.Int64(),
    frozenset({WIDE}): pl.Int128(),
    frozenset({INT, WIDE}): pl.Int128(),
}


def _dtype(kinds: set[str]) -> pl.DataType | None:
    """The type polars infers from one file's kinds of value of a key; None: not told here."""
    held = frozenset(kinds - {NULL})
    if STRING in held:
        return pl.String()
    if held and held <= {INT, WIDE, FLOAT} and FLOAT in held:
        return pl.Float64()
    return _DTYPES.get(held)


def _null_columns(
    files: list[Path], per_file: list[FileFound], names: list[str], rules: JsonlRules
) -> tuple[set[str], str | None]:
    """The columns polars holds as nulls only, or why polars' types for a column are not told
    here; DataReadError where the files disagree on a column's type, as accord's reader
    raises it."""
    nulls: set[str] = set()
    for name in names:
        spec = rules.contract.fields.get(name)
        if spec is not None and spec.type in rules.parsed_types:
            continue  # read as text in every file
        found = [(p, s.keys[name]) for p, s in zip(files, per_file, strict=True) if name in s.keys]
        typed = [(str(path), _dtype(key.kinds)) for path, key in found]
        untold = [path for path, dtype in typed if dtype is None]
        mixed = [
            path for path, key in found if len(key.kinds - {NULL}) > 1 and not _dtype(key.kinds)
        ]
        if mixed:
            return nulls, (
                f"the key {name!r} holds values of several kinds in {mixed[0]}, which polars may "
                "refuse or read in a type not told here"
            )
        if untold and sum(1 for _, key in found if key.kinds - {NULL}) > 1:
            return nulls, (
                f"the key {name!r} holds nested or mixed values in {untold[0]} and values in "
                "another file: polars' common type for them is not told here"
            )
        if untold:
            continue  # one file's nested values, held as their JSON text
        if rules.common_dtype(name, [(p, d) for p, d in typed if d is not None]) == pl.Null:
            nulls.add(name)
    return nulls, None


def _converted(
    names: list[str], nulls: set[str], rules: JsonlRules, settled: Mapping[str, Settled]
) -> list[Column]:
    """Every column as the run reads it: declared fields of converted types typed, their text
    kept beside them; the others as text (nulls only: a column of no type, as polars')."""
    columns: list[Column] = []
    originals: list[Column] = []
    for name in names:
        spec = rules.contract.fields.get(name)
        if name in nulls:
            columns.append(f.lit(None).alias(name))
        elif spec is None or spec.type not in rules.parsed_types:
            columns.append(column(name))
        else:
            typed = rule(column(name), spec, settled.get(name, Settled()))
            columns.append(typed.value.alias(name))
            originals.append(column(name).alias(f"{ORIGINAL}{name}"))
    return columns + originals
