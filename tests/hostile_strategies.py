"""Hostile cases for the process-level fuzzer (``test_fuzz_hostile.py``): data files in every
format accord reads, a contract that matches them or not, and the arguments of one
``accord validate`` run.

- Parquet (one to three files, random row groups, compression, page version, dictionary pages)
  and Arrow IPC files and streams (random batches and compression) of the columns
  ``hostile_columns`` draws;
- JSON Lines with mixed and nested values, integers beyond int64, blank lines and CRLF;
- CSV with random quoting, delimiters, widths, a BOM, CRLF, null tokens and ragged rows.

Each case knows what it can promise beyond the exit code: how many rows a run must count, and
how many nulls each non-nullable field must report.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from hypothesis import reject
from hypothesis import strategies as st
from pyarrow import ipc

from fault_support import HEADER
from hostile_columns import Column, any_column, checks_for, mistyped
from test_fuzz_parity import NAMES, TEXTS

AS_OF = "2020-01-02T00:00:00Z"  # freshness is judged at a fixed moment, so runs repeat exactly
PROFILES = {"serving": {"forbid_roles": ["label"]}, "strict": {"dataset": {"columns": "closed"}}}
NUMERIC = ("int8", "int16", "int32", "int64", "integer", "uint8", "float64", "number")
SCALAR_FAMILIES = ("number", "temporal", "text", "other")


@dataclass
class Case:
    """Files to write, the contract, and the arguments of ``accord validate`` but the engine."""

    files: dict[str, bytes]
    data: list[str]
    contract: str
    options: list[str] = field(default_factory=list)
    rows: int | None = None
    """The rows every run that gets to read the data must count; None when unknown."""
    nulls: dict[str, int] = field(default_factory=dict)
    """Declared, non-nullable fields of the right type, and the nulls they hold."""

    @property
    def batch_rows(self) -> int | None:
        return _value_of(self.options, "--batch-rows")

    @property
    def output(self) -> str | None:
        return (
            self.options[self.options.index("--output") + 1] if "--output" in self.options else None
        )

    @property
    def schema_only(self) -> bool:
        return "--schema-only" in self.options

    def without(self, flag: str) -> Case:
        """The case run without ``flag`` and its value."""
        at = self.options.index(flag)
        rest = self.options[:at] + self.options[at + 2 :]
        return Case(self.files, self.data, self.contract, rest, self.rows, self.nulls)

    def describe(self) -> str:
        return f"data {self.data}\noptions {self.options}\n{self.contract}"


def _value_of(options: list[str], flag: str) -> int | None:
    return int(options[options.index(flag) + 1]) if flag in options else None


# -- contracts -------------------------------------------------------------------------------


@dataclass
class Declared:
    """A column as the contract will see it: its exact field, family and nulls."""

    name: str
    spec: dict[str, Any]
    family: str
    nulls: int | None = None


@st.composite
def contract(
    draw: st.DrawFn, columns: list[Declared], source: dict[str, Any] | None = None
) -> tuple[str, dict[str, int]]:
    """A contract over ``columns``: most declared as they are, some mistyped or left out, one
    absent from the data now and then; keys, row counts, rules and profiles at random.
    Returns the YAML text and the null counts it promises (see ``Case.nulls``)."""
    fields: dict[str, Any] = {}
    promised: dict[str, int] = {}
    seen = [c.name for c in columns]
    for column in columns:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # left out: an undeclared column
        exact = choice > 1
        spec = dict(column.spec) if exact else mistyped(draw, column.spec, column.family)
        nullable = draw(st.booleans()) if column.nulls else draw(st.integers(0, 3)) == 0
        if nullable:
            spec["nullable"] = True
        elif exact and _countable(column, seen):
            promised[column.name] = column.nulls or 0
        if draw(st.integers(0, 5)) == 0:
            spec["unique"] = True
        if draw(st.integers(0, 7)) == 0:
            spec["pii"] = True
        if draw(st.integers(0, 7)) == 0:
            spec["role"] = draw(st.sampled_from(["label", "id", "metadata"]))
        fields[column.name] = spec
    if not fields or draw(st.integers(0, 7)) == 0:
        fields["absent"] = {"type": "int64", "required": draw(st.booleans())}
    dataset: dict[str, Any] = {}
    scalars = [n for n, s in fields.items() if s["type"] not in ("list", "struct", "binary")]
    if scalars and draw(st.integers(0, 4)) == 0:
        dataset["primary_key"] = draw(st.lists(st.sampled_from(scalars), min_size=1, unique=True))
    if scalars and draw(st.integers(0, 4)) == 0:
        dataset["unique"] = [draw(st.lists(st.sampled_from(scalars), min_size=1, unique=True))]
    if draw(st.integers(0, 3)) == 0:
        low = draw(st.integers(0, 4))
        dataset["row_count"] = {"min": low, "max": low + draw(st.integers(0, 4))}
    if draw(st.integers(0, 5)) == 0:
        dataset["columns"] = "closed"
    if draw(st.integers(0, 7)) == 0:
        dataset["ordered"] = True
    numeric = [n for n, s in fields.items() if s["type"] in NUMERIC]
    if numeric and draw(st.booleans()):
        left, right = draw(st.sampled_from(numeric)), draw(st.sampled_from(numeric))
        dataset["rules"] = [{"name": "r", "assert": draw(st.sampled_from(_rules(left, right)))}]
    body: dict[str, Any] = {}
    if source:
        body["source"] = source
    if dataset:
        body["dataset"] = dataset
    body["fields"] = fields
    if draw(st.booleans()):
        body["profiles"] = PROFILES
    text = HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
    return text, promised


def _countable(column: Declared, names: list[str]) -> bool:
    """Whether the nulls of ``column`` are known and its own (a duplicated name is its own
    violation; the nulls of a list or struct are left to other tests)."""
    known = column.nulls is not None and column.family in SCALAR_FAMILIES
    return known and names.count(column.name) == 1


def _rules(left: str, right: str) -> list[str]:
    return [
        f"`{left}` <= `{right}`",
        f"`{left}` is null or `{left}` > 0",
        f"`{left}` + 1 > `{right}` or `{right}` is null",
        f"not (`{left}` = 2)",
        f"`{left}` * 3 - `{right}` / 2 >= -1",
        f"`{left}` in (1, 2, 3)",
    ]


@st.composite
def options(draw: st.DrawFn, data_format: str, profiles: bool) -> list[str]:
    """The arguments of one run: examples, fail-on, profile, batches, schema-only, format."""
    found = ["--as-of", AS_OF]
    if draw(st.booleans()):
        found += ["--max-examples", str(draw(st.sampled_from([0, 1, 2, 5, 1000])))]
    if draw(st.booleans()):
        found += ["--fail-on", draw(st.sampled_from(["error", "warning"]))]
    if profiles and draw(st.booleans()):
        found += ["--profile", draw(st.sampled_from(sorted(PROFILES)))]
    elif draw(st.integers(0, 15)) == 0:
        found += ["--profile", "nope"]  # a profile the contract does not have: exit 2
    batch = draw(st.sampled_from([None, None, None, 0, 1, 2, 3, 1_000_000]))
    if batch is not None:
        found += ["--batch-rows", str(batch)]
    if draw(st.integers(0, 7)) == 0:
        found.append("--schema-only")
    if draw(st.integers(0, 3)) == 0:
        found += ["--data-format", data_format]
    if draw(st.booleans()):
        found += ["--output", "report.json"]
    return found


# -- Parquet and Arrow -------------------------------------------------------------------------

# Names with spaces, dots, slashes and non-ASCII letters (see test_fuzz_parity) and two more.
COLUMN_NAMES = [*NAMES, "x", "Ü n"]


@st.composite
def columns(draw: st.DrawFn) -> list[Column]:
    rows = draw(st.integers(0, 8))
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=5, unique=True))
    if draw(st.integers(0, 11)) == 0:
        names.append(names[0])  # a duplicated column name, which Parquet and Arrow can hold
    return [draw(any_column(name, rows)) for name in names]


def _slices(draw: st.DrawFn, table: pa.Table, most: int) -> list[pa.Table]:
    cuts = sorted(draw(st.lists(st.integers(0, table.num_rows), max_size=most - 1)))
    bounds = [0, *cuts, table.num_rows]
    return [table.slice(a, b - a) for a, b in itertools.pairwise(bounds)]


def _parquet_bytes(draw: st.DrawFn, table: pa.Table) -> bytes:
    sink = io.BytesIO()
    try:
        pq.write_table(
            table,
            sink,
            row_group_size=draw(st.sampled_from([None, 1, 2, 5])),
            compression=draw(st.sampled_from(["none", "snappy", "zstd", "gzip"])),
            use_dictionary=draw(st.booleans()),
            write_statistics=draw(st.booleans()),
            data_page_version=draw(st.sampled_from(["1.0", "2.0"])),
            write_page_checksum=draw(st.booleans()),
        )
    except pa.ArrowInvalid:
        # Parquet has no seconds unit: a timestamp[s] beyond int64 milliseconds cannot be stored
        reject()
    return sink.getvalue()


def _arrow_bytes(draw: st.DrawFn, table: pa.Table, stream: bool) -> bytes:
    sink = io.BytesIO()
    compression = draw(st.sampled_from([None, "lz4", "zstd"]))
    write_options = ipc.IpcWriteOptions(compression=compression)
    opener = ipc.new_stream if stream else ipc.new_file
    with opener(sink, table.schema, options=write_options) as writer:
        writer.write_table(table, max_chunksize=draw(st.sampled_from([None, 1, 3])))
    return sink.getvalue()


@st.composite
def columnar_cases(draw: st.DrawFn, kind: str) -> Case:
    """Parquet (``kind`` parquet) or Arrow IPC files and streams (``kind`` arrow)."""
    drawn = draw(columns())
    table = pa.table([c.array for c in drawn], names=[c.name for c in drawn])
    files: dict[str, bytes] = {}
    suffixes = [".parquet", ".pq"] if kind == "parquet" else [".arrow", ".feather", ".ipc"]
    stream = draw(st.booleans())
    for number, piece in enumerate(_slices(draw, table, 3)):
        name = f"part{number}{draw(st.sampled_from(suffixes))}"
        if kind == "parquet":
            files[name] = _parquet_bytes(draw, piece)
        else:
            files[name] = _arrow_bytes(draw, piece, stream)
    declared = [Declared(c.name, c.spec, c.family, c.nulls) for c in drawn]
    text, promised = draw(contract(declared))
    return Case(
        files,
        sorted(files),
        text,
        draw(options(kind, "profiles:" in text)),
        rows=table.num_rows,
        nulls=promised,
    )


# -- JSON Lines --------------------------------------------------------------------------------

DEEP_NESTING = True
# 2**127 and beyond is refused as too large. waits on h11-checks (internal errors on data,
# Int128): 2**63, 2**64, -(2**63) - 1 and 10**30 are read as Int128 (2**63 alone too), and are
# "internal error: ArrowInvalid: Invalid or unsupported format string: '_pli128'" on pandas
INT128_READY = True
HUGE_INTS = [2**63 - 1, 2**127, *([2**63, 2**64, -(2**63) - 1, 10**30] if INT128_READY else [])]
_json_scalars = {
    "int": st.integers(-3, 3) | st.sampled_from(HUGE_INTS),
    "float": st.sampled_from([1.5, -0.0, 0.1, 1e308, 5e-324, 2.0, -3.25]),
    "bool": st.booleans(),
    "text": st.sampled_from(TEXTS) | st.sampled_from(["2020-01-01", "2020-01-01T01:00:00Z"]),
}
_json_nested = st.recursive(
    st.none() | st.integers(-3, 3) | st.sampled_from(TEXTS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("xy"), inner),
    max_leaves=6,
)
# Types a contract may declare for a key holding mostly values of a kind, first = natural.
_JSON_TYPES = {
    "int": ["int64", "integer", "int8", "uint64", "number", "float64", "string", "decimal"],
    "float": ["float64", "number", "int64", "decimal"],
    "bool": ["bool", "string"],
    "text": ["string", "category", "date", "timestamp", "int64"],
    "list": ["list", "string"],
    "struct": ["struct", "string"],
}


def _json_value(kind: str) -> st.SearchStrategy[Any]:
    if kind == "list":
        return st.lists(st.none() | st.integers(-3, 3), max_size=3)
    if kind == "struct":
        return st.fixed_dictionaries({"x": st.none() | st.integers(-3, 3)})
    return _json_scalars[kind]


def _json_spec(draw: st.DrawFn, logical: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": logical}
    if logical == "list":
        spec["items"] = {"type": "int64", "nullable": True, "checks": draw(checks_for("int64"))}
    elif logical == "struct":
        spec["fields"] = {"x": {"type": "int64", "nullable": True}}
    elif logical == "decimal":
        spec["precision"], spec["scale"] = draw(st.sampled_from([(10, 2), (38, 0), (5, 5)]))
    elif logical == "timestamp" and draw(st.booleans()):
        spec["tz"] = "UTC"
    checks = draw(
        checks_for(logical, spec.get("tz"), (spec.get("precision", 38), spec.get("scale", 0)))
    )
    if checks:
        spec["checks"] = checks
    if "items" in spec and not spec["items"]["checks"]:
        del spec["items"]["checks"]
    return spec


@st.composite
def jsonl_cases(draw: st.DrawFn) -> Case:
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=4, unique=True))
    kinds = {n: draw(st.sampled_from(sorted(_JSON_TYPES))) for n in names}
    rows = draw(st.integers(0, 7))
    records: list[dict[str, Any]] = []
    for _ in range(rows):
        record = {}
        for name in names:
            roll = draw(st.integers(0, 9))
            if roll == 0:
                continue  # a key missing from this line
            value = (
                None
                if roll == 1
                else draw(_json_nested)
                if roll == 2
                else draw(_json_value(draw(st.sampled_from(sorted(_JSON_TYPES)))))
                if roll == 3
                else draw(_json_value(kinds[name]))
            )
            record[name] = value
        records.append(record)
    lines = [json.dumps(record, ensure_ascii=draw(st.booleans())) for record in records]
    # waits on h11-checks (internal errors on data, deep nesting): 50 levels of lists are
    # "internal error: ArrowInvalid: Recursion level in ArrowSchema struct exceeded" on pandas
    if DEEP_NESTING and rows and draw(st.integers(0, 15)) == 0:
        lines[0] = json.dumps({names[0]: _deep(draw(st.sampled_from([50, 300])))})
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    if draw(st.integers(0, 4)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), "  ")  # a blank line
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    declared = []
    for n in names:
        logical = draw(st.sampled_from(_JSON_TYPES[kinds[n]]))
        declared.append(Declared(n, _json_spec(draw, logical), "json"))
    contract_text, _ = draw(contract(declared))
    name = draw(st.sampled_from(["data.jsonl", "data.ndjson"]))
    return Case(
        {name: text.encode("utf-8")},
        [name],
        contract_text,
        draw(options("jsonl", "profiles:" in contract_text)),
        rows=rows,
    )


def _deep(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


# -- CSV ---------------------------------------------------------------------------------------

_INTS = st.integers(-3, 3).map(str)
_CSV_CELLS: dict[str, st.SearchStrategy[str]] = {
    "int64": _INTS
    | st.sampled_from(["3750 g", "8,425,333", "1.7", "1e3", " 1", "+2", "9223372036854775808"]),
    "int8": st.integers(-130, 130).map(str),
    "uint8": st.integers(-2, 258).map(str),
    "float64": st.sampled_from(["1.5", "-0.0", "NaN", "inf", "-inf", "1e400", "1,5", "2", "x"]),
    "decimal": st.sampled_from(["1.23", "123.456", "-0.5", "99999.99", "1e2", "0"]),
    "string": st.sampled_from(TEXTS),
    "category": st.sampled_from(TEXTS),
    "bool": st.sampled_from(["true", "false", "True", "0", "1", "yes"]),
    "date": st.sampled_from(["2020-01-01", "2020-01-03", "2020-02-30", "01/02/2020", "2020-1-1"]),
    "timestamp": st.sampled_from(
        ["2020-01-01T00:00:00", "2020-01-01 01:00:00+00:00", "2020-01-01T02:00:00Z", "noon"]
    ),
    "time": st.sampled_from(["01:00", "00:00:00", "25:00", "23:59:59.5"]),
}
NULL_TOKENS = ["", "NA", "null", "None", "-"]


def _quote(draw: st.DrawFn, cell: str, delimiter: str, alone: bool) -> str:
    must = any(c in cell for c in (delimiter, '"', "\n", "\r")) or (alone and cell == "")
    if must or draw(st.integers(0, 3)) == 0:
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def csv_cases(draw: st.DrawFn) -> Case:
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=5, unique=True))
    logicals = {n: draw(st.sampled_from(sorted(_CSV_CELLS))) for n in names}
    tokens = draw(st.lists(st.sampled_from(NULL_TOKENS), min_size=1, max_size=3, unique=True))
    cell_of = {n: st.sampled_from(NULL_TOKENS) | _CSV_CELLS[logicals[n]] for n in names}
    records = [[draw(cell_of[n]) for n in names] for _ in range(draw(st.integers(0, 7)))]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    ragged = bool(records) and draw(st.integers(0, 4)) == 0
    if ragged:
        record = draw(st.sampled_from(records))
        if len(record) > 1 and draw(st.booleans()):
            record.pop()
        else:
            record.append("extra")
    quoting = draw(st.sampled_from(["minimal", "all", "random"]))
    buffer = io.StringIO()
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    if quoting == "random":
        for record in [names, *records]:
            quoted = [_quote(draw, c, delimiter, len(record) == 1) for c in record]
            buffer.write(delimiter.join(quoted) + eol)
    else:
        style = csv.QUOTE_MINIMAL if quoting == "minimal" else csv.QUOTE_ALL
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=eol, quoting=style)
        writer.writerows([names, *records])
    text = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:
        text = text.removesuffix(eol)
    bom = "\ufeff" if draw(st.integers(0, 3)) == 0 else ""
    declared_delimiter = delimiter if draw(st.integers(0, 7)) else draw(st.sampled_from(",;"))
    source = {"csv": {"delimiter": declared_delimiter, "null_values": tokens}}
    declared = []
    for name in names:
        logical = logicals[name]
        spec: dict[str, Any] = {"type": logical}
        if logical == "decimal":
            spec["precision"], spec["scale"] = 7, 2
        if logical == "timestamp" and draw(st.booleans()):
            spec["tz"] = "UTC"
        checks = draw(checks_for(logical, spec.get("tz"), (7, 2)))
        if checks:
            spec["checks"] = checks
        declared.append(Declared(name, spec, "csv"))
    contract_text, _ = draw(contract(declared, source))
    file_name = "data.tsv" if delimiter == "\t" and draw(st.booleans()) else "data.csv"
    return Case(
        {file_name: (bom + text).encode("utf-8")},
        [file_name],
        contract_text,
        draw(options("csv", "profiles:" in contract_text)),
        rows=None if ragged or declared_delimiter != delimiter else len(records),
    )


def any_case() -> st.SearchStrategy[Case]:
    return st.one_of(columnar_cases("parquet"), columnar_cases("arrow"), jsonl_cases(), csv_cases())
