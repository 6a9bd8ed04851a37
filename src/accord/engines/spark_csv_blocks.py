"""The one aggregation per (file, split) of a CSV read by Spark (``spark_csv``): each split's
row count and first row id (its rows' positions), rows of the wrong width, cells Python's parser
may read otherwise, null-token counts, the settling of ``number`` and unscaled ``decimal`` fields
and which problems their failing cells have, merged on the driver over a few rows per split."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.contract.model import ContractModel
from accord.engines.spark_columns import HIDDEN, column
from accord.engines.spark_text import DECIMAL_MAX, Settled, rule, settled_of, settling

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

FILE, BLOCK, ID, CORRUPT = (f"{HIDDEN}{n}" for n in ("file", "block", "id", "corrupt"))
"""The hidden columns placing a raw row: its file, its split's first byte, its row id, and
whether Spark found it of another width than the header."""


class Blocks:
    """What the one aggregation per (file, split) found."""

    def __init__(self, rows: list[Any], labels: Mapping[str, tuple[str, str]]) -> None:
        self.rows = rows
        self.labels = labels
        total: dict[str, Any] = {}
        self.corrupt: dict[str, int] = defaultdict(int)
        self.suspicious: dict[str, int] = defaultdict(int)
        for row in rows:
            self.corrupt[row[FILE]] += int(row["corrupt"] or 0)
            self.suspicious[row[FILE]] += int(row["corrupt"] or 0) + int(row["odd"] or 0)
            for label in labels:
                total[label] = _merge(total.get(label), row[label], label)
        self.total = total
        self.settled: dict[str, Settled] = {}
        self.tokens: dict[str, dict[str, int]] = {}

    def positions(self, files: list[str]) -> tuple[dict[str, int], dict[str, int]]:
        """Per split (``file NUL block``), its first row's position minus its first id; and each
        file's row count."""
        by_file: dict[str, list[Any]] = defaultdict(list)
        for row in self.rows:
            by_file[row[FILE]].append(row)
        starts: dict[str, int] = {}
        counts: dict[str, int] = {}
        start = 0
        for path in files:
            counts[path] = 0
            for row in sorted(by_file.get(path, []), key=lambda r: int(r[BLOCK])):
                starts[f"{path}\u0000{int(row[BLOCK])}"] = start - int(row["first"])
                start += int(row["rows"])
                counts[path] += int(row["rows"])
        return starts, counts

    def reasons(self) -> dict[str, str]:
        """Per converted field whose cells fail, the reasons, in the order the rule lists them."""
        found: dict[str, list[str]] = defaultdict(list)
        for label, (name, why) in self.labels.items():
            if label.startswith("p") and self.total.get(label) and why not in found[name]:
                found[name].append(why)
        for label, (name, _) in self.labels.items():
            most = self.total.get(label)
            if label.startswith("m") and most is not None:
                scale = self.settled[name].decimal_scale
                if int(most) > DECIMAL_MAX - scale:
                    found[name].append(
                        f"more than {DECIMAL_MAX - scale} digits before the decimal point "
                        f"(precision {DECIMAL_MAX}, scale {scale})"
                    )
        return {name: "; ".join(whys) for name, whys in found.items() if whys}


def _merge(held: Any, value: Any, label: str) -> Any:
    """Two splits' answers as one (None: a split said nothing)."""
    if value is None or held is None:
        return held if value is None else value
    if isinstance(value, bool):  # a number field: every value an integer
        return held and value
    if label.startswith(("s", "m")):  # most digits of a decimal field
        return max(int(held), int(value))
    return int(held) + int(value)


def aggregated(
    raw: DataFrame,
    names: list[str],
    text: Mapping[str, Column],
    tokens: list[str],
    contract: ContractModel,
) -> Blocks:
    labels: dict[str, tuple[str, str]] = {}
    aggregates: list[Column] = [
        f.count(f.lit(1)).alias("rows"),
        f.min(ID).alias("first"),
        f.sum(f.when(column(CORRUPT), 1).otherwise(0)).alias("corrupt"),
        f.sum(f.when(_odd(names, contract), 1).otherwise(0)).alias("odd"),
    ]
    for i, name in enumerate(names):
        for j, token in enumerate(t for t in tokens if t != ""):
            labels[f"t{i}_{j}"] = (name, token)
            aggregates.append(f.sum(f.when(column(name) == token, 1)).alias(f"t{i}_{j}"))
        spec = contract.fields.get(name)
        if spec is None:
            continue
        problems = rule(text[name], spec, Settled(integral=False)).problems
        settle = settling(text[name], spec)
        if settle is not None:
            labels[f"s{i}"] = (name, "")
            aggregates.append(settle.alias(f"s{i}"))
        if settle is not None and spec.type == "decimal":
            # the scale is the column's most fraction digits: only the syntax and the digits
            # before the point can fail, and those against the scale found (``reasons``)
            problems = problems[:1]
            labels[f"m{i}"] = (name, "")
            digits = f.max(f.when(~problems[0][0], _int_digits(text[name])))
            aggregates.append(digits.alias(f"m{i}"))
        for k, (mask, why) in enumerate(problems):
            labels[f"p{i}_{k}"] = (name, why)
            aggregates.append(f.sum(f.when(mask, 1).otherwise(0)).alias(f"p{i}_{k}"))
    rows = raw.groupBy(FILE, BLOCK).agg(*aggregates).collect()
    blocks = Blocks(rows, labels)
    for label, (name, token) in labels.items():
        if label.startswith("t") and blocks.total.get(label):
            blocks.tokens.setdefault(name, {})[token] = int(blocks.total[label])
        if label.startswith("s"):
            value = blocks.total.get(label)
            blocks.settled[name] = settled_of(contract.fields[name], value)
    return blocks


def _int_digits(text: Column) -> Column:
    return f.length(f.regexp_extract(text, r"^[+-]?0*([0-9]*)", 1))


def _odd(names: list[str], contract: ContractModel) -> Column:
    """A row holding a quote character or an undecodable byte (U+FFFD) in a cell: Python's
    strict parser may refuse what Spark's accepted."""
    quote = contract.source.csv.quote
    flagged = f.lit(False)
    for name in names:
        flagged = flagged | f.coalesce(f.instr(column(name), quote) > 0, f.lit(False))
        flagged = flagged | f.coalesce(f.instr(column(name), "\ufffd") > 0, f.lit(False))
    return flagged
