"""The benchmark contract's checks hand-written as a dataframely schema (the ``dataframely``
variant): column constraints where dataframely's meaning is the contract's, rules elsewhere
(NaN counts as null in a float column, aggregates, the row rule). dataframely is in the
``bench`` extra; it is imported only when this variant runs."""

# ruff: noqa: N805 - dataframely calls each rule with the schema class, named cls
from __future__ import annotations

from typing import Any

import polars as pl

from benchmarks.baselines import (
    AGE_RANGE,
    AGGREGATE_IDS,
    AMOUNT_MAX_NULL_FRACTION,
    AMOUNT_MEAN_RANGE,
    AMOUNT_RANGE,
    CHANNELS,
    COUNTRY_RE,
    CURRENCIES,
    EMAIL_RE,
    EVENT_ID_RE,
    ROW_COUNT_RANGE,
    SCORE_RANGE,
    TIME_MAX,
    TIME_MIN,
    full,
)

RULE_IDS = {
    "row_id_key": "dataset.primary_key",
    "event_id|regex": "fields.event_id.checks[0]",
    "customer_id|min": "fields.customer_id.checks[0]",
    "event_time|min": "fields.event_time.checks[0]",
    "event_time|max": "fields.event_time.checks[0]",
    "amount_between": "fields.amount.checks[0]",
    "amount_null_fraction": "fields.amount.checks[1]",
    "amount_mean": "fields.amount.checks[2]",
    "currency_in": "fields.currency.checks[0]",
    "country|regex": "fields.country.checks[0]",
    "channel_in": "fields.channel.categories",
    "customer_age|min": "fields.customer_age.checks[0]",
    "customer_age|max": "fields.customer_age.checks[0]",
    "score_between": "fields.score.checks[0]",
    "email|regex": "fields.email.checks[0]",
    "event_id_unique": "fields.event_id.unique",
    "row_count": "dataset.row_count",
    "large_amount_scored": "dataset.rules[0]",
}
"""dataframely's rule names to the contract's check ids (``column|nullability``: not-null)."""


def schema() -> Any:
    import dataframely as dy

    def between(name: str, low: float, high: float) -> pl.Expr:
        value = pl.col(name).fill_nan(None)
        return value.is_between(low, high).fill_null(value=True)

    class Features(dy.Schema):
        row_id = dy.Int64()
        event_id = dy.String(regex=full(EVENT_ID_RE))
        customer_id = dy.Int64(min=1)
        event_time = dy.Datetime(min=TIME_MIN, max=TIME_MAX, time_zone="UTC")
        amount = dy.Float64(nullable=True, allow_nan=True, allow_inf=True)
        currency = dy.String()
        country = dy.String(regex=full(COUNTRY_RE))
        channel = dy.Categorical()
        customer_age = dy.Int16(min=AGE_RANGE[0], max=AGE_RANGE[1])
        score = dy.Float64(nullable=True, allow_nan=True, allow_inf=True)
        email = dy.String(nullable=True, regex=full(EMAIL_RE))
        is_fraud = dy.Bool()

        @dy.rule()
        def amount_between(cls: Any) -> pl.Expr:
            return between("amount", *AMOUNT_RANGE)

        @dy.rule()
        def score_between(cls: Any) -> pl.Expr:
            return between("score", *SCORE_RANGE)

        @dy.rule()
        def currency_in(cls: Any) -> pl.Expr:
            return pl.col("currency").is_in(CURRENCIES).fill_null(value=True)

        @dy.rule()
        def channel_in(cls: Any) -> pl.Expr:
            return pl.col("channel").cast(pl.String).is_in(CHANNELS).fill_null(value=True)

        # dataframely's primary_key counts rows of a null key as repeats of one another; the
        # contract leaves a null key to the not-null check.
        @dy.rule()
        def row_id_key(cls: Any) -> pl.Expr:
            return ~pl.col("row_id").is_duplicated() | pl.col("row_id").is_null()

        @dy.rule()
        def event_id_unique(cls: Any) -> pl.Expr:
            return ~pl.col("event_id").is_duplicated() | pl.col("event_id").is_null()

        @dy.rule()
        def amount_null_fraction(cls: Any) -> pl.Expr:
            return pl.col("amount").fill_nan(None).is_null().mean() <= AMOUNT_MAX_NULL_FRACTION

        @dy.rule()
        def amount_mean(cls: Any) -> pl.Expr:
            mean = pl.col("amount").fill_nan(None).mean()
            return mean.is_not_null() & mean.is_between(*AMOUNT_MEAN_RANGE)

        @dy.rule()
        def row_count(cls: Any) -> pl.Expr:
            return pl.len().is_between(*ROW_COUNT_RANGE)

        @dy.rule()
        def large_amount_scored(cls: Any) -> pl.Expr:
            amount, score = pl.col("amount").fill_nan(None), pl.col("score").fill_nan(None)
            return (amount.is_null() | (amount < 5_000) | score.is_not_null()).fill_null(
                value=False
            )

    return Features


def counts(features: Any, frame: pl.DataFrame) -> dict[str, int]:
    """Failing rows per check id (aggregates and the row count: 1 when failed)."""
    _, failures = features.filter(frame)
    found: dict[str, int] = {}
    for rule, count in failures.counts().items():
        column, _, kind = rule.partition("|")
        check_id = f"fields.{column}.nullable" if kind == "nullability" else RULE_IDS[rule]
        if not count:
            continue
        found[check_id] = 1 if check_id in AGGREGATE_IDS else found.get(check_id, 0) + count
    return found
