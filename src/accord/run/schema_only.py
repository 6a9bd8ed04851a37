"""Schema-only validation (``accord validate --schema-only``): what a file's schema alone shows.

A nightly job must learn that a key field is gone in under a second whatever the file size, so no
data row is read: Parquet is judged by its footer, Arrow IPC by its schema, CSV by its header and
JSON Lines by the keys of its first record (keys that appear later are not seen). The full run's
own schema and profile passes judge those columns on a frame without rows, so codes and messages
are a full run's; what needs values (checks, rules, a float column declared int) is skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from accord.compile.dtypes_polars import fit_polars
from accord.compile.plan import CheckSpec, build_plan
from accord.contract.fit import Fit, describe
from accord.contract.model import ContractModel, Field_
from accord.errors import DataReadError
from accord.report.codes import Code, Severity
from accord.report.model import ContractRef, DatasetInfo, Report, Violation
from accord.run.gathering import Gathering
from accord.run.io import csv_records
from accord.run.io.arrow_names import duplicated, first_of_each
from accord.run.io.common import READ_ERRORS, common_dtype, corrupt, dataset_files
from accord.run.io.parquet import check_parquet_envelope, utf8_metadata
from accord.run.io.paths import os_errors
from accord.run.io.remote_file import arrow_input
from accord.run.io.text_parse import NOT_TEXT_TYPES
from accord.run.io.wide_decimals import POLARS_DECIMAL_DIGITS, wide_decimal_message
from accord.run.options import RunInput
from accord.run.verdicts import Verdicts

SCHEMA_ONLY = "schema-only run"
UNTYPED = {
    "csv": "CSV headers carry no types; run without --schema-only to check values",
    "jsonl": "JSON Lines types are judged from values; run without --schema-only to check them",
}


@dataclass
class _Schema:
    """What one file's schema shows; a type is None where the format stores none (CSV, JSONL)."""

    columns: dict[str, pl.DataType | None]
    rows: int = 0
    duplicates: list[str] = field(default_factory=list)


# polars' schema import reports decimal256 columns as they are stored (POLARS_DECIMAL_DIGITS
# is the widest it holds), but no frame can be built of them.


def _widest_decimal(dtype: Any) -> int:
    if isinstance(dtype, pl.Decimal):
        return int(dtype.precision or 0)
    if isinstance(dtype, pl.List | pl.Array):
        return _widest_decimal(dtype.inner)
    if isinstance(dtype, pl.Struct):
        return max((_widest_decimal(member.dtype) for member in dtype.fields), default=0)
    return 0


def _refuse_wide_decimals(path: Path, schema: _Schema) -> None:
    """A clear refusal, naming the column, of a decimal with more digits than polars holds."""
    for name, dtype in schema.columns.items():
        digits = _widest_decimal(dtype)
        if digits > POLARS_DECIMAL_DIGITS:
            raise _bad(path, wide_decimal_message(name, digits))


def _bad(path: Path, message: str) -> DataReadError:
    return DataReadError(message, path=str(path))


def _parquet(path: Path, _: ContractModel) -> _Schema:
    import pyarrow as pa  # noqa: PLC0415 - pyarrow loads only for Parquet and Arrow
    import pyarrow.parquet as pq  # noqa: PLC0415

    check_parquet_envelope(path)
    try:
        with arrow_input(path) as handle:
            footer = pq.ParquetFile(handle)  # reads the footer, never a page
            schema, rows = footer.schema_arrow, footer.metadata.num_rows
        frame = _empty_frame(schema)
    except (*READ_ERRORS, pa.ArrowException) as error:
        raise corrupt("Parquet", path, str(error).splitlines()[0]) from None
    return _Schema(dict(frame.schema), int(rows), duplicated(schema.names))


def _empty_frame(schema: Any) -> pl.DataFrame:
    """As the full reader converts pyarrow's tables (from_batches: empty_table imports pandas),
    the first column of each name kept."""
    import pyarrow as pa  # noqa: PLC0415

    table = first_of_each(pa.Table.from_batches([], schema))
    return pl.DataFrame(utf8_metadata(table))


def _arrow(path: Path, _: ContractModel) -> _Schema:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.ipc  # noqa: PLC0415

    with path.open("rb") as handle:
        head = handle.read(6)
    if head.startswith(b"FEA1"):
        message = "Feather version 1 is not supported; rewrite it as Arrow IPC (Feather version 2)"
        raise _bad(path, message)
    try:
        with path.open("rb") as handle:
            # the file format's schema is in its footer, a stream's in its first message
            opened = pa.ipc.open_file(handle) if head == b"ARROW1" else pa.ipc.open_stream(handle)
            schema = opened.schema
        return _Schema(dict(_empty_frame(schema).schema), duplicates=duplicated(schema.names))
    except (*READ_ERRORS, pa.ArrowException) as error:
        raise corrupt("Arrow IPC", path, str(error).splitlines()[0]) from None


def _jsonl(path: Path, _: ContractModel) -> _Schema:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                where = handle.tell() - len(raw) + error.start
                raise _bad(path, f"not valid utf-8 at byte offset {where}") from None
            except ValueError as error:
                raise _bad(path, f"line {number}: not valid JSON ({error})") from None
            if not isinstance(record, dict):
                found = type(record).__name__
                raise _bad(path, f"line {number}: expected a JSON object, found {found}")
            return _Schema(dict.fromkeys(record))
    return _Schema({})  # empty or blank only: no rows and no columns, as a full run reads it


def _csv(path: Path, contract: ContractModel) -> _Schema:
    """The header record, checked as ``io.csv`` checks it, with the same messages."""
    options, declared = contract.source.csv, len(contract.fields)
    tab = path.suffix.lower() == ".tsv" and "delimiter" not in options.model_fields_set
    delimiter = "\t" if tab else options.delimiter
    codec = csv_records.codec_of(options.encoding, path)
    name = "utf-8" if codec == "utf-8-sig" else options.encoding
    # surrogateescape: a bad byte in a data row that shares the header's decoded chunk is a full
    # run's business; one in the header shows as a lone surrogate and is reported below.
    with path.open(encoding=codec, errors="surrogateescape", newline="") as handle:
        try:
            reader = csv.reader(handle, delimiter=delimiter, quotechar=options.quote, strict=True)
            first = next(reader, None)  # one record: a quoted header may span lines
        except UnicodeDecodeError:  # a bad byte surrogateescape cannot carry (UTF-16, say)
            first = ["\udcff"]  # reported just below, as a bad byte in the header
        except (TypeError, ValueError) as error:  # e.g. the same delimiter and quote
            raise DataReadError(f"invalid CSV options: {error}") from None
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                quote = options.quote
                message = f"unterminated quoted field (the {quote} opened here is never closed)"
                raise _bad(path, f"line 1: {message}") from None
            raise _bad(path, f"line {reader.line_num}: malformed CSV: {error}") from None
    if first is not None and any("\udc80" <= c <= "\udcff" for cell in first for c in cell):
        offset = csv_records.bad_byte_offset(path, codec)  # the file's first: in the header
        raise _bad(path, f"not valid {name} at byte offset {offset}")
    if first is None:
        raise _bad(path, "file is empty (no header)")
    if not first and options.header:
        raise _bad(path, "line 1: the header line is blank")
    hint = csv_records.delimiter_problem(first or [""], declared, delimiter, options.header)
    if hint:
        raise _bad(path, hint)
    if not options.header:  # the columns are the declared fields: only the width can be wrong
        if (found := len(first) or 1) != declared:
            blank = "" if first else " (a blank line)"
            raise _bad(path, f"line 1: expected {declared} fields, found {found}{blank}")
        first = list(contract.fields)
    for column in first:
        spec = contract.fields.get(column)
        if spec is not None and spec.type in NOT_TEXT_TYPES:
            what = "binary" if spec.type == "binary" else f"a {spec.type}"
            use = "use Parquet, Arrow or JSON Lines"
            raise _bad(path, f"field {column!r} is {what}; CSV cannot hold it — {use}")
    duplicates = [n for i, n in enumerate(first) if n in first[:i]]
    return _Schema(dict.fromkeys(first), duplicates=list(dict.fromkeys(duplicates)))


_READERS = {"csv": _csv, "parquet": _parquet, "arrow": _arrow, "jsonl": _jsonl}


class _NoRows:
    """A :class:`~accord.engines.base.SchemaView` of a frame without rows. Not PolarsEngine: its
    pandera import costs a third of a second and no check runs here. A type that only values can
    judge is "ok" here and noted in ``unjudged``, reported after the pass."""

    name = "schema-only"

    def __init__(self, kind: str) -> None:
        self.kind, self.unjudged = kind, dict[str, tuple[str, Severity]]()

    def columns(self, frame: pl.DataFrame) -> list[str]:
        return list(frame.columns)

    def height(self, frame: pl.DataFrame) -> int:
        return frame.height

    def dtype_text(self, frame: pl.DataFrame, column: str) -> str:
        return str(frame.schema[column])  # as PolarsEngine words it

    def fit(self, spec: Field_, frame: pl.DataFrame, column: str) -> Fit:
        dtype = frame.schema[column]
        fit = fit_polars(spec, dtype)
        if self.kind in UNTYPED:
            self.unjudged[column] = UNTYPED[self.kind], Severity.INFO
        elif fit == "convert" and not isinstance(dtype, pl.Null):  # nulls fit any type, as in a run
            # A float column declared int64 may hold 3.0 (fits) or 3.5 (does not): values can say.
            a = "an" if str(dtype)[0] in "AEIOU" else "a"
            why = f"values must be read to judge {a} {dtype} column declared {describe(spec)}"
            self.unjudged[column] = why, Severity.WARNING
        return "ok" if fit == "convert" else fit


def schema_report(
    paths: Sequence[str | Path],
    contract: ContractModel,
    *,
    profile: str | None = None,
    data_format: str | None = None,
    fail_on: str = "error",
) -> Report:
    """Validate what the schemas of the files at ``paths`` show, reading no data row.

    ``field.missing``, ``field.unexpected``, ``field.type`` (Parquet, Arrow), ``profile.*`` and
    ``dataset.duplicate_column`` come with a full run's codes and messages; JSON Lines are judged
    by their first record's keys. Every value check and dataset rule is ``skipped``, and the first
    violation (info ``check.skipped``) says how many. ``dataset.rows`` is what Parquet footers
    record, else 0. DataReadError and UsageError as in a full run.
    """
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    contract.check_profile(profile)
    files, kind = dataset_files(paths, contract, data_format)
    pairs = []
    for path in files:
        with os_errors(path):  # read with the contract's own options
            read = _READERS[kind](path, contract)
        _refuse_wide_decimals(path, read)
        pairs.append((str(path), read))
    names = list(dict.fromkeys(n for _, s in pairs for n in s.columns))
    # Several files: the dtype a full run reads them into, or its DataReadError when they differ.
    # Null, which fits every type, stands in where a file has no column or no types.
    typed = {n: [(p, s.columns.get(n) or pl.Null()) for p, s in pairs] for n in names}
    dtypes = {n: common_dtype(n, typed[n]) for n in names}
    missing = {n: [p for p, s in pairs if n not in s.columns] for n in names}
    schema = _NoRows(kind)
    options = RunInput(
        profile=profile,
        fail_on=fail_on,
        sources=[p for p, _ in pairs],
        duplicate_columns=list(dict.fromkeys(d for _, s in pairs for d in s.duplicates)),
        missing_in_files={n: lack for n, lack in missing.items() if lack},
    )
    # The full run's passes over a frame of these columns and no rows: one source of truth for
    # codes and messages.
    applied = contract.apply_profile(profile)
    gathered = Gathering(applied, build_plan(applied), options)
    gathered.decide(schema, pl.DataFrame(schema=dtypes))
    run = Verdicts(gathered, contract)
    run.profile_pass()
    run.schema_pass()
    results, run.results = run.results, []
    for result in results:
        why = schema.unjudged.get(result.field or "") if result.check == "type" else None
        if why is None:
            run.results.append(result)
            continue
        reason, severity = why  # a CSV type is a note (info), an unjudged Parquet type a warning
        line, warn = result.contract_line, severity is Severity.WARNING
        spec = CheckSpec(result.check_id, "type", result.field, severity.value, {}, line=line)
        run.skipped(spec, reason, severity if warn else None)
    judged = {r.check_id for r in run.results}  # a missing or retyped field's are skipped already
    for spec in run.plan.all_checks():
        if spec.check_id not in judged:
            run.skipped(spec, SCHEMA_ONLY, None)
    rules, rows = len(run.plan.dataset_checks), sum(s.rows for _, s in pairs)
    values = len(run.plan.all_checks()) - rules
    # First in the list, so no reader of the report takes the unread checks for passed ones.
    note = Violation(
        code=Code.CHECK_SKIPPED,
        severity=Severity.INFO,
        check="schema_only",
        message=f"{SCHEMA_ONLY}: {values} value checks and {rules} dataset rules were not "
        "evaluated",
    )
    ref = ContractRef(name=contract.name, version=contract.version, path=contract.origin.path)
    return Report.assemble(
        contract=ref,
        profile=profile,
        engine="schema-only",
        dataset=DatasetInfo(sources=options.sources, rows=rows, columns=len(names)),
        violations=[note, *run.violations],
        checks=run.results,
        failing_rows=0,
        started_at=started,
        duration_s=time.perf_counter() - clock,
        fail_on="warning" if fail_on == "warning" else "error",
    )
