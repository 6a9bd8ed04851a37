"""``benchmarks/contract.yaml`` written by hand: the one-pass polars query (the limit) and the
pandera schemas a careful user would write for pandas and for polars.

Each baseline means exactly what the contract means (SPEC sections 1.4, 1.5 and 2):

* nulls are the business of ``nullable`` alone; value checks pass nulls, and in a float column
  NaN is a null too (pandera's built-in range checks fail NaN, so float ranges are custom checks);
* a field's ``unique`` and the primary key ignore null keys (pandera's ``unique=True`` counts
  repeated nulls as duplicates, so both are custom checks) and count every row of a duplicate;
* patterns are full matches;
* the row rule fails a row unless it is true (false or unknown because of a null both fail);
* aggregates are one verdict: count 1 when failed, 0 when passed.

Every function here returns ``{check_id: failing rows}`` with the check ids accord reports, so the
harness can compare the counts of every variant rule by rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

UTC = dt.UTC
EVENT_ID_RE = "ev-[0-9a-f]{12}"
COUNTRY_RE = "[A-Z]{2}"
EMAIL_RE = "[^@ ]+@[^@ ]+"
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
CHANNELS = ["web", "app", "pos", "phone"]
TIME_MIN = dt.datetime(2024, 1, 1, tzinfo=UTC)
TIME_MAX = dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
AMOUNT_RANGE = (-10_000.0, 10_000.0)
AMOUNT_MAX_NULL_FRACTION = 0.05
AMOUNT_MEAN_RANGE = (0.0, 500.0)
AGE_RANGE = (18, 120)
SCORE_RANGE = (0.0, 1.0)
ROW_COUNT_RANGE = (1_000, 100_000_000)
NOT_NULL = [
    "row_id",
    "event_id",
    "customer_id",
    "event_time",
    "currency",
    "country",
    "channel",
    "customer_age",
    "is_fraud",
]
AGGREGATE_IDS = frozenset(
    {"fields.amount.checks[1]", "fields.amount.checks[2]", "dataset.row_count"}
)
COLUMNS = [
    "row_id",
    "event_id",
    "customer_id",
    "event_time",
    "amount",
    "currency",
    "country",
    "channel",
    "customer_age",
    "score",
    "email",
    "is_fraud",
]


def full(pattern: str) -> str:
    return f"^(?:{pattern})$"


# --------------------------------------------------------------------------------------------
# The limit: one polars query computing every check's failure count in one pass.
# --------------------------------------------------------------------------------------------


def _fails(passed: pl.Expr, present: pl.Expr) -> pl.Expr:
    """Rows that are present (not null, not NaN) and do not pass."""
    return (present & ~passed.fill_null(value=True)).sum().cast(pl.Int64)


def _flag(failed: pl.Expr) -> pl.Expr:
    return failed.cast(pl.Int64)


def limit_exprs() -> list[pl.Expr]:
    """One aliased expression per check, each the check's failure count."""
    c = pl.col
    amount, score = c("amount").fill_nan(None), c("score").fill_nan(None)
    exprs = [
        c(name).is_null().sum().cast(pl.Int64).alias(f"fields.{name}.nullable") for name in NOT_NULL
    ]
    mean = amount.mean()
    rows = pl.len()
    exprs += [
        (c("event_id").is_duplicated() & c("event_id").is_not_null())
        .sum()
        .cast(pl.Int64)
        .alias("fields.event_id.unique"),
        _fails(c("event_id").str.contains(full(EVENT_ID_RE)), c("event_id").is_not_null()).alias(
            "fields.event_id.checks[0]"
        ),
        _fails(c("customer_id") >= 1, c("customer_id").is_not_null()).alias(
            "fields.customer_id.checks[0]"
        ),
        _fails(c("event_time").is_between(TIME_MIN, TIME_MAX), c("event_time").is_not_null()).alias(
            "fields.event_time.checks[0]"
        ),
        _fails(amount.is_between(*AMOUNT_RANGE), amount.is_not_null()).alias(
            "fields.amount.checks[0]"
        ),
        _flag(amount.is_null().mean() > AMOUNT_MAX_NULL_FRACTION).alias("fields.amount.checks[1]"),
        _flag(~(mean.is_not_null() & mean.is_between(*AMOUNT_MEAN_RANGE))).alias(
            "fields.amount.checks[2]"
        ),
        _fails(c("currency").is_in(CURRENCIES), c("currency").is_not_null()).alias(
            "fields.currency.checks[0]"
        ),
        _fails(c("country").str.contains(full(COUNTRY_RE)), c("country").is_not_null()).alias(
            "fields.country.checks[0]"
        ),
        _fails(c("channel").cast(pl.String).is_in(CHANNELS), c("channel").is_not_null()).alias(
            "fields.channel.categories"
        ),
        _fails(c("customer_age").is_between(*AGE_RANGE), c("customer_age").is_not_null()).alias(
            "fields.customer_age.checks[0]"
        ),
        _fails(score.is_between(*SCORE_RANGE), score.is_not_null()).alias("fields.score.checks[0]"),
        _fails(c("email").str.contains(full(EMAIL_RE)), c("email").is_not_null()).alias(
            "fields.email.checks[0]"
        ),
        (c("row_id").is_duplicated() & c("row_id").is_not_null())
        .sum()
        .cast(pl.Int64)
        .alias("dataset.primary_key"),
        _flag(~rows.is_between(*ROW_COUNT_RANGE)).alias("dataset.row_count"),
        (~(amount.is_null() | (amount < 5_000) | score.is_not_null()).fill_null(value=False))
        .sum()
        .cast(pl.Int64)
        .alias("dataset.rules[0]"),
    ]
    return exprs


LEAN_IDS = frozenset(
    {f"fields.{name}.nullable" for name in NOT_NULL}
    | {
        "dataset.primary_key",
        "fields.customer_id.checks[0]",
        "fields.event_time.checks[0]",
        "fields.amount.checks[0]",
        "fields.channel.categories",
        "fields.customer_age.checks[0]",
    }
)
"""The checks of the lean contract (``lean.yaml``): 15, of the same ids as the full contract's."""


def lean_limit_exprs() -> list[pl.Expr]:
    """The limit query of the lean contract: one expression per check of ``LEAN_IDS``."""
    return [e for e in limit_exprs() if e.meta.output_name() in LEAN_IDS]


def limit_counts(
    frame: pl.LazyFrame | pl.DataFrame,
    *,
    engine: str = "auto",
    exprs: list[pl.Expr] | None = None,
) -> dict[str, int]:
    """Run the one-pass query (``exprs``, by default the full contract's) over a (lazy) frame."""
    query = frame.lazy().select(limit_exprs() if exprs is None else exprs)
    return {k: int(v) for k, v in query.collect(engine=engine).row(0, named=True).items()}  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Hand-written pandera on polars.
# --------------------------------------------------------------------------------------------


def pandera_polars_schema() -> Any:
    import pandera.polars as pa

    def expr_check(check_id: str, build: Any) -> Any:
        def check(data: Any) -> pl.LazyFrame:
            return data.lazyframe.select(build(pl.col(data.key)))

        return pa.Check(check, name=check_id)

    def scalar_check(check_id: str, build: Any) -> Any:
        def check(data: Any) -> bool:
            return bool(data.lazyframe.select(build(pl.col(data.key))).collect().item())

        return pa.Check(check, name=check_id)

    def float_between(low: float, high: float) -> Any:
        return lambda col: col.is_nan() | col.is_between(low, high)

    def amount_mean_ok(col: pl.Expr) -> pl.Expr:
        mean = col.fill_nan(None).mean()
        return mean.is_not_null() & mean.is_between(*AMOUNT_MEAN_RANGE)

    def row_count_ok(data: Any) -> bool:
        low, high = ROW_COUNT_RANGE
        return bool(low <= data.lazyframe.select(pl.len()).collect().item() <= high)

    def primary_key(data: Any) -> pl.LazyFrame:
        key = pl.col("row_id")
        return data.lazyframe.select(~key.is_duplicated() | key.is_null())

    def rule(data: Any) -> pl.LazyFrame:
        amount, score = pl.col("amount").fill_nan(None), pl.col("score").fill_nan(None)
        ok = amount.is_null() | (amount < 5_000) | score.is_not_null()
        return data.lazyframe.select(ok.fill_null(value=False))

    unique = expr_check("fields.event_id.unique", lambda c: ~c.is_duplicated() | c.is_null())
    columns = {
        "row_id": pa.Column(pl.Int64, nullable=False),
        "event_id": pa.Column(
            pl.String,
            nullable=False,
            checks=[
                unique,
                pa.Check.str_matches(
                    full(EVENT_ID_RE),
                    name="fields.event_id.checks[0]",
                    error="fields.event_id.checks[0]",
                ),
            ],
        ),
        "customer_id": pa.Column(
            pl.Int64,
            nullable=False,
            checks=pa.Check.ge(
                1, name="fields.customer_id.checks[0]", error="fields.customer_id.checks[0]"
            ),
        ),
        "event_time": pa.Column(
            pl.Datetime("us", "UTC"),
            nullable=False,
            checks=pa.Check.in_range(
                TIME_MIN,
                TIME_MAX,
                name="fields.event_time.checks[0]",
                error="fields.event_time.checks[0]",
            ),
        ),
        "amount": pa.Column(
            pl.Float64,
            nullable=True,
            checks=[
                expr_check("fields.amount.checks[0]", float_between(*AMOUNT_RANGE)),
                scalar_check(
                    "fields.amount.checks[1]",
                    lambda c: (c.is_null() | c.is_nan()).mean() <= AMOUNT_MAX_NULL_FRACTION,
                ),
                scalar_check("fields.amount.checks[2]", amount_mean_ok),
            ],
        ),
        "currency": pa.Column(
            pl.String,
            nullable=False,
            checks=pa.Check.isin(
                CURRENCIES, name="fields.currency.checks[0]", error="fields.currency.checks[0]"
            ),
        ),
        "country": pa.Column(
            pl.String,
            nullable=False,
            checks=pa.Check.str_matches(
                full(COUNTRY_RE), name="fields.country.checks[0]", error="fields.country.checks[0]"
            ),
        ),
        "channel": pa.Column(
            pl.Categorical,
            nullable=False,
            checks=expr_check(
                "fields.channel.categories", lambda c: c.cast(pl.String).is_in(CHANNELS)
            ),
        ),
        "customer_age": pa.Column(
            pl.Int16,
            nullable=False,
            checks=pa.Check.in_range(
                *AGE_RANGE,
                name="fields.customer_age.checks[0]",
                error="fields.customer_age.checks[0]",
            ),
        ),
        "score": pa.Column(
            pl.Float64,
            nullable=True,
            checks=expr_check("fields.score.checks[0]", float_between(*SCORE_RANGE)),
        ),
        "email": pa.Column(
            pl.String,
            nullable=True,
            checks=pa.Check.str_matches(
                full(EMAIL_RE), name="fields.email.checks[0]", error="fields.email.checks[0]"
            ),
        ),
        "is_fraud": pa.Column(pl.Boolean, nullable=False),
    }
    return pa.DataFrameSchema(
        columns,
        checks=[
            pa.Check(primary_key, name="dataset.primary_key"),
            pa.Check(row_count_ok, name="dataset.row_count"),
            pa.Check(rule, name="dataset.rules[0]"),
        ],
        strict=True,
        name="bench_features",
    )


# --------------------------------------------------------------------------------------------
# Hand-written pandera on pandas.
# --------------------------------------------------------------------------------------------


def _pd_missing(series: Any) -> Any:
    """Null, or NaN: pyarrow-backed floats keep NaN apart from null."""
    return (
        series.isna()
        | (series != series)  # noqa: PLR0124 - NaN is unequal to itself
        .fillna(value=False)
    ).astype(bool)


def pandera_pandas_schema(dtypes: str = "pyarrow") -> Any:
    """The schema for frames read with ``pd.read_parquet(dtype_backend='pyarrow')`` (the
    default) or with pandas' default numpy dtypes (``dtypes='numpy'``: nullable integers arrive
    as float64 and the nullable bool as object, so those columns get no dtype)."""
    import pandas as pd
    import pandera.pandas as pa
    import pyarrow

    if dtypes == "pyarrow":
        kinds: dict[str, Any] = {
            "row_id": pd.ArrowDtype(pyarrow.int64()),
            "event_id": pd.ArrowDtype(pyarrow.string()),
            "customer_id": pd.ArrowDtype(pyarrow.int64()),
            "event_time": pd.ArrowDtype(pyarrow.timestamp("us", tz="UTC")),
            "amount": pd.ArrowDtype(pyarrow.float64()),
            "currency": pd.ArrowDtype(pyarrow.string()),
            "country": pd.ArrowDtype(pyarrow.string()),
            "channel": None,  # dictionary<string>: pandera has no spelling for it
            "customer_age": pd.ArrowDtype(pyarrow.int16()),
            "score": pd.ArrowDtype(pyarrow.float64()),
            "email": pd.ArrowDtype(pyarrow.string()),
            "is_fraud": pd.ArrowDtype(pyarrow.bool_()),
        }
    else:
        kinds = dict.fromkeys(COLUMNS)
        kinds.update(
            event_time=pd.DatetimeTZDtype("us", "UTC"),
            amount="float64",
            score="float64",
            channel="category",
        )

    def float_between(check_id: str, low: float, high: float) -> Any:
        def check(series: Any) -> Any:
            return _pd_missing(series) | series.between(low, high).fillna(value=True).astype(bool)

        return pa.Check(check, name=check_id, ignore_na=False)

    def unique(series: Any) -> Any:
        return ~series.duplicated(keep=False) | series.isna()

    def max_null_fraction(series: Any) -> bool:
        return bool(_pd_missing(series).mean() <= AMOUNT_MAX_NULL_FRACTION)

    def amount_mean_ok(series: Any) -> bool:
        present = series[~_pd_missing(series)]
        if present.empty:
            return False
        mean = float(present.mean())
        return AMOUNT_MEAN_RANGE[0] <= mean <= AMOUNT_MEAN_RANGE[1]

    def primary_key(frame: Any) -> Any:
        key = frame["row_id"]
        return ~key.duplicated(keep=False) | key.isna()

    def row_count_ok(frame: Any) -> bool:
        return ROW_COUNT_RANGE[0] <= len(frame) <= ROW_COUNT_RANGE[1]

    def rule(frame: Any) -> Any:
        amount, score = frame["amount"], frame["score"]
        no_amount = _pd_missing(amount)
        small = (amount < 5_000).fillna(value=False).astype(bool) & ~no_amount
        return no_amount | small | ~_pd_missing(score)

    def column(name: str, checks: Any = None, *, nullable: bool = False) -> Any:
        return pa.Column(kinds[name], nullable=nullable, checks=checks)

    columns = {
        "row_id": column("row_id"),
        "event_id": column(
            "event_id",
            [
                pa.Check(unique, name="fields.event_id.unique", ignore_na=False),
                pa.Check.str_matches(
                    full(EVENT_ID_RE),
                    name="fields.event_id.checks[0]",
                    error="fields.event_id.checks[0]",
                ),
            ],
        ),
        "customer_id": column(
            "customer_id",
            pa.Check.ge(
                1, name="fields.customer_id.checks[0]", error="fields.customer_id.checks[0]"
            ),
        ),
        "event_time": column(
            "event_time",
            pa.Check.in_range(
                pd.Timestamp(TIME_MIN),
                pd.Timestamp(TIME_MAX),
                name="fields.event_time.checks[0]",
                error="fields.event_time.checks[0]",
            ),
        ),
        "amount": column(
            "amount",
            [
                float_between("fields.amount.checks[0]", *AMOUNT_RANGE),
                pa.Check(max_null_fraction, name="fields.amount.checks[1]", ignore_na=False),
                pa.Check(amount_mean_ok, name="fields.amount.checks[2]", ignore_na=False),
            ],
            nullable=True,
        ),
        "currency": column(
            "currency",
            pa.Check.isin(
                CURRENCIES, name="fields.currency.checks[0]", error="fields.currency.checks[0]"
            ),
        ),
        "country": column(
            "country",
            pa.Check.str_matches(
                full(COUNTRY_RE), name="fields.country.checks[0]", error="fields.country.checks[0]"
            ),
        ),
        "channel": column(
            "channel",
            pa.Check.isin(
                CHANNELS, name="fields.channel.categories", error="fields.channel.categories"
            ),
        ),
        "customer_age": column(
            "customer_age",
            pa.Check.in_range(
                *AGE_RANGE,
                name="fields.customer_age.checks[0]",
                error="fields.customer_age.checks[0]",
            ),
        ),
        "score": column(
            "score", float_between("fields.score.checks[0]", *SCORE_RANGE), nullable=True
        ),
        "email": column(
            "email",
            pa.Check.str_matches(
                full(EMAIL_RE), name="fields.email.checks[0]", error="fields.email.checks[0]"
            ),
            nullable=True,
        ),
        "is_fraud": column("is_fraud"),
    }
    return pa.DataFrameSchema(
        columns,
        checks=[
            pa.Check(primary_key, name="dataset.primary_key", ignore_na=False),
            pa.Check(row_count_ok, name="dataset.row_count", ignore_na=False),
            pa.Check(rule, name="dataset.rules[0]", ignore_na=False),
        ],
        strict=True,
        name="bench_features",
    )


# --------------------------------------------------------------------------------------------
# Counting pandera's failure cases per check id.
# --------------------------------------------------------------------------------------------


def pandera_counts(schema: Any, frame: Any) -> dict[str, int]:
    """Validate lazily and count failing rows per check id (aggregates: 1 when failed)."""
    import pandera.errors

    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        if not isinstance(cases, pl.DataFrame):
            cases = pl.from_pandas(cases.astype({"failure_case": str, "index": "Int64"}))
        return _count_cases(cases)
    return {}


def _count_cases(cases: pl.DataFrame) -> dict[str, int]:
    cases = cases.with_columns(
        pl.when(pl.col("check") == "not_nullable")
        .then(pl.format("fields.{}.nullable", pl.col("column")))
        .otherwise(pl.col("check"))
        .alias("check_id")
    )
    counts: dict[str, int] = {}
    for (check_id,), group in cases.group_by("check_id", maintain_order=True):
        key = str(check_id)
        if key in AGGREGATE_IDS:
            counts[key] = 1
            continue
        index = group.get_column("index").drop_nulls()
        counts[key] = index.n_unique() if len(index) else -1  # -1: failed without rows
    return counts
