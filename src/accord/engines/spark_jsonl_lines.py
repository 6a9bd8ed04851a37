"""The lines of JSON Lines files as Spark reads them, each parsed and judged where it lies, and
the one aggregation per (file, key) that says what the driver must know before reading them as
accord does: each key's kinds of value, whether polars' text of them is reproduced, where it
first appears, the key orders of the lines, and which lines need a closer look.

A line is *bad* when Spark does not read it as exactly one JSON object: ``try_parse_json`` reads
the first value and ignores what follows, so the line must also reduce to one bracketed value
(strings blanked, innermost brackets folded, at most the nesting depth accord reads). A line is
*checked* when accord's reader may refuse it though Spark read it: bytes invalid in UTF-8 (Spark
reads a line as its bytes), more openers than the depth limit, an exponent of three digits (a float
beyond float64) or an integer of 39 digits (beyond 128 bits). A line is *odd* when it holds a
number Spark holds otherwise than polars: a negative zero with a point or exponent (``-0.0``,
which Spark makes 0), or a fraction with 19 or more digits before its point (Spark may hold it
as an integer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.engines.spark_columns import HIDDEN, column
from accord.engines.spark_csv_blocks import BLOCK, FILE, ID
from accord.engines.spark_files import listed_path
from accord.engines.spark_json_values import FLOAT, kind, text

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

LINE, VALUES, KEYS, KEY, POS, SEQ = (
    f"{HIDDEN}{n}" for n in ("line", "values", "keys", "key", "pos", "seq")
)
BAD, CHECK, ODD = (f"{HIDDEN}{n}" for n in ("bad", "check", "odd"))
SEPARATOR = "\u0000"

_BLANKS = " \t\r\n"
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # possessive: no backtracking on long strings
_FLAT = r"^[ \t\r\n]*\{[^\[\]{}]*\}[ \t\r\n]*\z"
_INNERMOST = r"[\[{][^\[\]{}]*[\]}]"
_CHECKED = r"[eE][+]?0*[0-9]{3}|[0-9]{39}"
_ODD = (
    r"(?:^|[:,\[ \t])-0(?:\.0*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)(?=[ \t\r,}\]]|\z)"
    r"|[0-9]{19}[.eE]"
)


def lines(session: Any, paths: list[str], max_depth: int) -> DataFrame:
    """Every non-blank line of ``paths`` (in the order listed), parsed, placed and judged;
    ``max_depth``: the deepest nesting accord reads."""
    raw = session.read.option("lineSep", "\n").text(paths)
    kept = raw.select(
        f.col("value").alias(LINE),
        listed_path().alias(FILE),
        f.col("_metadata.file_block_start").alias(BLOCK),
    ).where(f.btrim(column(LINE), f.lit(_BLANKS)) != "")
    # numbered on the scan, after the blank lines are gone: see spark_csv on positions
    numbered = kept.select("*", f.monotonically_increasing_id().alias(ID))
    line = column(LINE)
    parsed = f.try_parse_json(line)
    is_object = f.coalesce(f.schema_of_variant(parsed).startswith("OBJECT"), f.lit(False))
    bad = ~(is_object & _one_value(line, max_depth))
    openers = f.length(line) - f.length(f.regexp_replace(line, r"[\[{]", ""))
    checked = ~f.is_valid_utf8(line) | (openers > max_depth) | line.rlike(_CHECKED)
    keys = f.when(~bad, f.json_object_keys(line))
    judged: DataFrame = numbered.select(
        "*",
        bad.alias(BAD),
        checked.alias(CHECK),
        line.rlike(_ODD).alias(ODD),
        keys.alias(KEYS),
        f.when(~bad, parsed.cast("map<string,variant>")).alias(VALUES),
        f.array_join(keys, SEPARATOR).alias(SEQ),
    )
    return judged


def _one_value(line: Column, max_depth: int) -> Column:
    """Whether the line holds one bracketed value and nothing else but blanks."""
    skeleton = f.regexp_replace(line, _STRING, '""')
    folded = skeleton
    for _ in range(max_depth + 1):
        folded = f.regexp_replace(folded, _INNERMOST, "0")
    return f.when(skeleton.rlike(_FLAT), True).otherwise(f.btrim(folded, f.lit(_BLANKS)) == "0")


@dataclass
class KeyFound:
    """One key in one file."""

    kinds: set[str]
    exact: bool
    """Every value's text is polars' (a float's aside: ``float_exact``)."""
    float_exact: bool
    first: tuple[int, int, int]


@dataclass
class FileFound:
    bad: int = 0
    checked: int = 0
    odd: int = 0
    keys: dict[str, KeyFound] = field(default_factory=dict)
    sequences: set[str] = field(default_factory=set)
    """The least and greatest key sequence of its lines (one: every line lists the same)."""


def survey(frame: DataFrame) -> dict[str, FileFound]:
    """Per file (as listed), what its lines hold: one aggregation, a row per (file, key)."""
    exploded = frame.select(
        FILE,
        BLOCK,
        ID,
        BAD,
        CHECK,
        ODD,
        SEQ,
        VALUES,
        f.posexplode_outer(column(KEYS)).alias(POS, KEY),
    )
    value = f.element_at(column(VALUES), column(KEY))
    value_kind = kind(value)
    _, exact = text(value, value_kind)
    once = column(POS).isNull() | (column(POS) == 0)  # each line counted once

    def lines_where(flag: str) -> Column:
        return f.sum(f.when(once & column(flag), 1).otherwise(0))

    rows = (
        exploded.groupBy(FILE, KEY)
        .agg(
            lines_where(BAD).alias("bad"),
            lines_where(CHECK).alias("checked"),
            lines_where(ODD).alias("odd"),
            f.collect_set(value_kind).alias("kinds"),
            f.min(f.when(value_kind != FLOAT, exact.cast("int"))).alias("exact"),
            f.min(f.when(value_kind == FLOAT, exact.cast("int"))).alias("float_exact"),
            f.min(f.struct(BLOCK, ID, POS)).alias("first"),
            f.min(SEQ).alias("least"),
            f.max(SEQ).alias("most"),
        )
        .collect()
    )
    found: dict[str, FileFound] = {}
    for row in rows:
        seen = found.setdefault(row[FILE], FileFound())
        seen.bad += int(row["bad"])
        seen.checked += int(row["checked"])
        seen.odd += int(row["odd"])
        if row[KEY] is None:
            continue
        seen.sequences.update(s for s in (row["least"], row["most"]) if s is not None)
        first = row["first"]
        seen.keys[row[KEY]] = KeyFound(
            set(row["kinds"]),
            row["exact"] is None or bool(row["exact"]),
            row["float_exact"] is None or bool(row["float_exact"]),
            (int(first[0]), int(first[1]), int(first[2])),
        )
    return found
