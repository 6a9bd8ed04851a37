"""A deterministic, realistic feature table for the benchmarks, with a few violations per rule.

``python -m benchmarks.generate --rows 10000000`` writes
``benchmarks/data/features_10000000.parquet`` (one row group per million rows, zstd) and, next
to it, ``features_10000000.expected.json``: the number of failing rows each check of
``benchmarks/contract.yaml`` must report, known by construction. It also writes the 1,000-row
CSV ``benchmarks/data/features_1000.csv`` used for the small-file timing (``--csv-rows 0``
skips it).

Generation is vectorised (numpy and pyarrow compute, no Python object per row) and works one
chunk of a million rows at a time, so 50M rows need the memory of one chunk. Chunk ``i`` is drawn
from the seed ``(SEED, i)`` alone, so every file is a prefix of every larger one.

Violations: in each chunk, ``RATE`` of the rows (at least two) fail each row-level check. The rows
of different checks are disjoint, and the natural values never fail, so the expected counts are
exact. Duplicates are injected as pairs; both rows of a pair count, as the contract counts every
row involved in a duplicate. Aggregate checks (``max_null_fraction``, ``mean_between``,
``row_count``) pass. The data also carries the traps a real extract has: NaN next to nulls in the
nullable float columns (NaN counts as null), the country "NA" (Namibia, not a null), a
dictionary-encoded (categorical) text column, a tz-aware timestamp and nullable integers.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SEED = 20261127
CHUNK_ROWS = 1_000_000
RATE = 1e-4  # 0.01% of rows fail each row-level check, as in the field reference
DATA_DIR = Path(__file__).resolve().parent / "data"

EPOCH_US = 1_704_067_200_000_000  # 2024-01-01T00:00:00Z
SPAN_US = 730 * 86_400 * 1_000_000  # two years: every natural time is inside the contract range
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
CURRENCY_P = [0.45, 0.30, 0.15, 0.05, 0.05]
# fmt: off
COUNTRIES = [
    "DE", "FR", "GB", "US", "NL", "BE", "ES", "IT", "PT", "IE", "AT", "CH", "SE", "NO", "DK",
    "FI", "PL", "CZ", "HU", "RO", "GR", "JP", "CA", "AU", "NZ", "BR", "MX", "ZA", "NA", "SG",
]
# fmt: on
CHANNELS = ["web", "app", "pos", "phone"]
CHANNEL_P = [0.40, 0.35, 0.20, 0.05]
DOMAINS = ["example.com", "mail.example.org", "post.example.net", "inbox.example.de"]
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)

SCHEMA = pa.schema(
    [
        ("row_id", pa.int64()),
        ("event_id", pa.string()),
        ("customer_id", pa.int64()),
        ("event_time", pa.timestamp("us", tz="UTC")),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("country", pa.string()),
        ("channel", pa.dictionary(pa.int32(), pa.string())),
        ("customer_age", pa.int16()),
        ("score", pa.float64()),
        ("email", pa.string()),
        ("is_fraud", pa.bool_()),
    ]
)

# Row-level checks of benchmarks/contract.yaml and how a violation of each is injected. A "pair"
# injection copies a key from one row to another: two failing rows per injection.
ROW_CHECKS: dict[str, str] = {
    "fields.row_id.nullable": "row",
    "fields.event_id.nullable": "row",
    "fields.event_id.unique": "pair",
    "fields.event_id.checks[0]": "row",
    "fields.customer_id.nullable": "row",
    "fields.customer_id.checks[0]": "row",
    "fields.event_time.nullable": "row",
    "fields.event_time.checks[0]": "row",
    "fields.amount.checks[0]": "row",
    "fields.currency.nullable": "row",
    "fields.currency.checks[0]": "row",
    "fields.country.nullable": "row",
    "fields.country.checks[0]": "row",
    "fields.channel.nullable": "row",
    "fields.channel.categories": "row",
    "fields.customer_age.nullable": "row",
    "fields.customer_age.checks[0]": "row",
    "fields.score.checks[0]": "row",
    "fields.email.checks[0]": "row",
    "fields.is_fraud.nullable": "row",
    "dataset.primary_key": "pair",
    "dataset.rules[0]": "row",
}
AGGREGATE_CHECKS = (
    "fields.amount.checks[1]",  # max_null_fraction
    "fields.amount.checks[2]",  # mean_between
    "dataset.row_count",
)


def injections_per_check(rows: int) -> int:
    """Failing rows per row-level check in a chunk of ``rows`` rows (even, at least two)."""
    wanted = max(2, round(rows * RATE))
    return wanted + wanted % 2


def _fixed_text(prefix: bytes, codes: np.ndarray, digits: int) -> pa.StringArray:
    """``prefix`` + ``digits`` lowercase hex digits of ``codes``, built from raw buffers."""
    n = len(codes)
    width = len(prefix) + digits
    data = np.empty((n, width), dtype=np.uint8)
    data[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    for k in range(digits):
        shift = np.uint64(4 * (digits - 1 - k))
        data[:, len(prefix) + k] = HEX[((codes >> shift) & np.uint64(15)).astype(np.intp)]
    offsets = np.arange(0, width * (n + 1), width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data.ravel()))


def _replace(array: pa.Array, rows: np.ndarray, values: pa.Array, n: int) -> pa.Array:
    """``array`` with ``values[i]`` at ``rows[i]``."""
    if not len(rows):
        return array
    order = np.argsort(rows, kind="stable")
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(array, pa.array(mask), values.take(pa.array(order)))


def _cycle(values: list, count: int, kind: pa.DataType) -> pa.Array:
    return pa.array([values[i % len(values)] for i in range(count)], type=kind)


def _pick_rows(rng: np.random.Generator, n: int, k: int) -> dict[str, np.ndarray]:
    """Disjoint sets of ``k`` rows, one per row-level check (a pair check: k/2 + k/2 rows)."""
    chosen = rng.choice(n, size=k * len(ROW_CHECKS), replace=False)
    return {cid: np.sort(chosen[i * k : (i + 1) * k]) for i, cid in enumerate(ROW_CHECKS)}


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _numeric_columns(
    rng: np.random.Generator, g: np.ndarray, rows: dict[str, np.ndarray], k: int
) -> dict[str, pa.Array]:
    n = len(g)
    row_id = g + 1
    customer_id = rng.integers(1, 2_000_001, n, dtype=np.int64)
    event_time = EPOCH_US + rng.integers(0, SPAN_US // 1_000_000, n) * 1_000_000
    amount = np.round(np.clip(rng.lognormal(3.6, 1.1, n), 0.5, 4_999.0), 2)
    amount[rng.random(n) < 0.03] *= -1  # refunds
    amount_null = rng.random(n) < 0.01
    amount_nan = amount_null & (rng.random(n) < 0.2)  # a fifth of the missing amounts are NaN
    age = np.clip(np.round(rng.normal(41, 13, n)), 18, 95).astype(np.int16)
    score = np.round(rng.beta(2, 8, n), 6)
    score_null = rng.random(n) < 0.02
    score_nan = score_null & (rng.random(n) < 0.2)
    is_fraud = rng.random(n) < 0.002

    half = k // 2
    pk_rows = rows["dataset.primary_key"]
    row_id[pk_rows[half:]] = row_id[pk_rows[:half]]
    customer_id[rows["fields.customer_id.checks[0]"]] = np.resize(np.array([0, -1, -42]), k)
    late = np.array([1_900_000_000, 1_690_000_000]) * 1_000_000  # 2030-03-17, 2023-07-22
    event_time[rows["fields.event_time.checks[0]"]] = np.resize(late, k)
    bad_amount = rows["fields.amount.checks[0]"]
    amount[bad_amount] = np.resize(np.array([25_000.0, -25_000.0, 10_000.5, -10_000.01]), k)
    amount_null[bad_amount] = amount_nan[bad_amount] = False
    score_null[bad_amount] = score_nan[bad_amount] = False  # out of range, but the rule holds
    rule = rows["dataset.rules[0]"]
    amount[rule] = np.resize(np.array([5_000.0, 7_250.5, 9_999.99]), k)  # in range, needs a score
    amount_null[rule] = amount_nan[rule] = False
    score_null[rule] = True
    score_nan[rule] = np.arange(k) % 2 == 1  # NaN is null too
    age[rows["fields.customer_age.checks[0]"]] = np.resize(np.array([7, 130, 0, -1], np.int16), k)
    bad_score = rows["fields.score.checks[0]"]
    score[bad_score] = np.resize(np.array([1.5, -0.2, 1.000001]), k)
    score_null[bad_score] = score_nan[bad_score] = False
    amount[amount_nan] = np.nan
    score[score_nan] = np.nan

    def nulls(field: str) -> np.ndarray:
        return _mask(n, rows[f"fields.{field}.nullable"])

    return {
        "row_id": pa.array(row_id, mask=nulls("row_id")),
        "customer_id": pa.array(customer_id, mask=nulls("customer_id")),
        "event_time": pa.array(event_time, mask=nulls("event_time")).cast(SCHEMA.field(3).type),
        "amount": pa.array(amount, mask=amount_null & ~amount_nan),
        "customer_age": pa.array(age, mask=nulls("customer_age")),
        "score": pa.array(score, mask=score_null & ~score_nan),
        "is_fraud": pa.array(is_fraud, mask=nulls("is_fraud")),
        "_customer_id_values": pa.array(customer_id),  # for the e-mail addresses
    }


def _text_columns(
    rng: np.random.Generator, g: np.ndarray, rows: dict[str, np.ndarray], k: int
) -> dict[str, pa.Array]:
    n = len(g)
    codes = (g.astype(np.uint64) * np.uint64(0x5DEECE66D) + np.uint64(11)) & np.uint64(2**48 - 1)
    event_id: pa.Array = _fixed_text(b"ev-", codes, 12)
    pairs = rows["fields.event_id.unique"]
    event_id = _replace(event_id, pairs[k // 2 :], event_id.take(pa.array(pairs[: k // 2])), n)
    bad_ids = rows["fields.event_id.checks[0]"]
    event_id = _replace(event_id, bad_ids, _fixed_text(b"EV-", codes[bad_ids], 12), n)
    event_id = _replace(event_id, rows["fields.event_id.nullable"], pa.nulls(k, pa.string()), n)

    def text(
        choices: list[str], idx: np.ndarray, field: str, bad_id: str, bad: list[str]
    ) -> pa.Array:
        column = pa.array(choices).take(pa.array(idx))
        column = _replace(column, rows[bad_id], _cycle(bad, k, pa.string()), n)
        return _replace(column, rows[f"fields.{field}.nullable"], pa.nulls(k, pa.string()), n)

    currency_idx = rng.choice(len(CURRENCIES), n, p=CURRENCY_P)
    country_idx = rng.integers(0, len(COUNTRIES), n)
    channel_idx = rng.choice(len(CHANNELS), n, p=CHANNEL_P)
    return {
        "event_id": event_id,
        "currency": text(
            CURRENCIES,
            currency_idx,
            "currency",
            "fields.currency.checks[0]",
            ["usd", "XXX", "EURO", "eur "],
        ),
        "country": text(
            COUNTRIES,
            country_idx,
            "country",
            "fields.country.checks[0]",
            ["usa", "U1", "D", "DEU", "de"],
        ),
        "channel": pc.dictionary_encode(
            text(
                CHANNELS,
                channel_idx,
                "channel",
                "fields.channel.categories",
                ["fax", "WEB", "kiosk"],
            )
        ),
    }


def _email(
    rng: np.random.Generator, customer_id: pa.Array, rows: dict[str, np.ndarray], k: int
) -> pa.Array:
    n = len(customer_id)
    email_null = rng.random(n) < 0.05
    domains = pa.array(DOMAINS).take(pa.array(rng.integers(0, len(DOMAINS), n)))
    email = pc.binary_join_element_wise("user", pc.cast(customer_id, pa.string()), "@", domains, "")
    bad = rows["fields.email.checks[0]"]
    email_null[bad] = False
    invalid = ["user.example.com", "first last@example.com", "a@b@c", "@example.com"]
    email = _replace(email, bad, _cycle(invalid, k, pa.string()), n)
    return pc.if_else(pa.array(email_null), pa.scalar(None, pa.string()), email)


def make_chunk(index: int, rows: int) -> tuple[pa.Table, dict[str, int]]:
    """Chunk ``index`` (rows ``index * CHUNK_ROWS ...``) and its expected failure counts."""
    rng = np.random.default_rng([SEED, index])
    start = index * CHUNK_ROWS
    g = np.arange(start, start + rows, dtype=np.int64)
    k = injections_per_check(rows)
    picked = _pick_rows(rng, rows, k)
    columns = _numeric_columns(rng, g, picked, k)
    columns.update(_text_columns(rng, g, picked, k))
    columns["email"] = _email(rng, columns.pop("_customer_id_values"), picked, k)
    table = pa.Table.from_arrays([columns[name] for name in SCHEMA.names], schema=SCHEMA)
    expected = dict.fromkeys(ROW_CHECKS, k)
    expected.update(dict.fromkeys(AGGREGATE_CHECKS, 0))
    return table, expected


def write_parquet(rows: int, out: Path, log: Callable[[str], None] = print) -> dict[str, int]:
    """Write ``rows`` rows to ``out`` chunk by chunk; returns (and writes) the expected counts."""
    out.parent.mkdir(parents=True, exist_ok=True)
    totals: dict[str, int] = {}
    started = time.perf_counter()
    tmp = out.with_suffix(out.suffix + ".tmp")
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
        for index in range((rows + CHUNK_ROWS - 1) // CHUNK_ROWS):
            size = min(CHUNK_ROWS, rows - index * CHUNK_ROWS)
            table, expected = make_chunk(index, size)
            writer.write_table(table, row_group_size=size)
            for cid, count in expected.items():
                totals[cid] = totals.get(cid, 0) + count
            if index % 10 == 9:
                log(f"  {index * CHUNK_ROWS + size:,} rows ({time.perf_counter() - started:.1f} s)")
    tmp.replace(out)
    expected_path(out).write_text(
        json.dumps({"rows": rows, "expected": totals}, indent=1) + "\n", encoding="utf-8"
    )
    return totals


def write_csv(rows: int, out: Path) -> None:
    """A small CSV of the same table: timestamps as ISO 8601 with Z, null as the empty cell."""
    import polars as pl

    table, expected = make_chunk(0, rows)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(
        pl.col("event_time").dt.strftime("%Y-%m-%dT%H:%M:%SZ"), pl.col("channel").cast(pl.String)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out)
    expected_path(out).write_text(
        json.dumps({"rows": rows, "expected": expected}, indent=1) + "\n", encoding="utf-8"
    )


def expected_path(data: Path) -> Path:
    return data.with_name(data.name.split(".")[0] + ".expected.json")


def default_path(rows: int, suffix: str = "parquet") -> Path:
    return DATA_DIR / f"features_{rows}.{suffix}"


def ensure(rows: int, log: Callable[[str], None] = print) -> Path:
    """The Parquet file of ``rows`` rows, generated when missing."""
    path = default_path(rows)
    if not path.exists() or not expected_path(path).exists():
        log(f"generating {path} ...")
        write_parquet(rows, path, log)
    return path


def ensure_csv(rows: int = 1000) -> Path:
    path = default_path(rows, "csv")
    if not path.exists() or not expected_path(path).exists():
        write_csv(rows, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    parser.add_argument("--rows", type=int, required=True, help="rows of the Parquet file")
    parser.add_argument("--out", type=Path, help="default: benchmarks/data/features_ROWS.parquet")
    parser.add_argument("--csv-rows", type=int, default=1000, help="rows of the CSV (0: none)")
    parser.add_argument("--csv-out", type=Path, help="default: benchmarks/data/features_N.csv")
    args = parser.parse_args(argv)
    out = args.out or default_path(args.rows)
    started = time.perf_counter()
    write_parquet(args.rows, out)
    took = time.perf_counter() - started
    size = out.stat().st_size / 2**20
    print(f"wrote {out} ({args.rows:,} rows, {size:,.0f} MiB) in {took:.1f} s")
    if args.csv_rows:
        csv_out = args.csv_out or default_path(args.csv_rows, "csv")
        write_csv(args.csv_rows, csv_out)
        print(f"wrote {csv_out} ({args.csv_rows:,} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
