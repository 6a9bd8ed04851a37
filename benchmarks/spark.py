"""accord's Spark engine against a hand-written one-pass ``pyspark.sql`` query of the same checks.

    PYTHONPATH=src python -m benchmarks.spark --rows 1000000 5000000 20000000 [--repeat 3]
        [--master local[*]]

Both read the benchmark Parquet file (``benchmarks/generate.py``; written once per size) through
one session. The baseline is what a careful Spark user writes by hand: one ``agg`` holding every
check's failure count, the row count, the mean and the null fraction, and one ``groupBy`` per
key. accord does that and more (the first failing rows of every failed check, located), so the
ratio is the price of the report. Both must give the same failure count for every check; a
mismatch is printed and the exit code is 1. Times are medians of ``--repeat`` runs after a
warm-up run, with the session already started.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import baselines as b
from benchmarks import generate

GOAL = 1.3
CONTRACT = Path(__file__).resolve().parent / "contract.yaml"


def hand_written(frame: Any) -> dict[str, int]:
    """Every check's failure count: one aggregation and one groupBy per key."""
    from pyspark.sql import functions as f

    def fails(passed: Any, present: Any) -> Any:
        return f.sum(f.when(present & ~f.coalesce(passed, f.lit(True)), 1).otherwise(0))

    def pattern(name: str, regex: str) -> Any:
        return fails(f.col(name).rlike(f"(?U)^(?:{regex})\\z"), f.col(name).isNotNull())

    amount = f.nanvl(f.col("amount"), f.lit(None).cast("double"))
    score = f.nanvl(f.col("score"), f.lit(None).cast("double"))
    low, high = b.TIME_MIN, b.TIME_MAX
    counts = {
        **{
            f"fields.{n}.nullable": f.sum(f.when(f.col(n).isNull(), 1).otherwise(0))
            for n in b.NOT_NULL
        },
        "fields.event_id.checks[0]": pattern("event_id", b.EVENT_ID_RE),
        "fields.customer_id.checks[0]": fails(
            f.col("customer_id") >= 1, f.col("customer_id").isNotNull()
        ),
        "fields.event_time.checks[0]": fails(
            f.col("event_time").between(f.lit(low), f.lit(high)), f.col("event_time").isNotNull()
        ),
        "fields.amount.checks[0]": fails(amount.between(*b.AMOUNT_RANGE), amount.isNotNull()),
        "fields.currency.checks[0]": fails(
            f.col("currency").isin(b.CURRENCIES), f.col("currency").isNotNull()
        ),
        "fields.country.checks[0]": pattern("country", b.COUNTRY_RE),
        "fields.channel.categories": fails(
            f.col("channel").isin(b.CHANNELS), f.col("channel").isNotNull()
        ),
        "fields.customer_age.checks[0]": fails(
            f.col("customer_age").between(*b.AGE_RANGE), f.col("customer_age").isNotNull()
        ),
        "fields.score.checks[0]": fails(score.between(*b.SCORE_RANGE), score.isNotNull()),
        "fields.email.checks[0]": pattern("email", b.EMAIL_RE),
        "dataset.rules[0]": f.sum(
            f.when(
                ~f.coalesce(amount.isNull() | (amount < 5000) | score.isNotNull(), f.lit(False)), 1
            ).otherwise(0)
        ),
        "rows": f.count(f.lit(1)),
    }
    row = frame.agg(*[column.alias(name) for name, column in counts.items()]).first()
    found = {name: int(row[name] or 0) for name in counts}
    for key, check_id in (
        ("row_id", "dataset.primary_key"),
        ("event_id", "fields.event_id.unique"),
    ):
        repeated = frame.where(f.col(key).isNotNull()).groupBy(key).count().where("count > 1")
        found[check_id] = int(repeated.agg(f.sum("count")).first()[0] or 0)
    found.pop("rows")
    return {name: count for name, count in found.items() if count}


def accord_counts(contract: Any, frame: Any) -> dict[str, int]:
    report = contract.validate(frame)
    return {
        v.check_id: int(v.failure_count)
        for v in report.violations
        if v.failure_count is not None and v.check_id not in b.AGGREGATE_IDS
    }


def timed(run: Any, repeat: int) -> tuple[float, Any]:
    run()  # warm-up: JIT, file listing and footer caches
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000, 20_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--master", default="local[*]")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    import accord

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    contract = accord.load(CONTRACT)
    status = 0
    print(f"{'rows':>12} {'hand-written s':>15} {'accord s':>10} {'ratio':>7}  counts")
    for rows in args.rows:
        path = generate.ensure(rows)
        frame = spark.read.parquet(str(path))
        hand_s, hand = timed(lambda frame=frame: hand_written(frame), args.repeat)
        accord_s, ours = timed(lambda frame=frame: accord_counts(contract, frame), args.repeat)
        same = hand == ours
        status |= 0 if same else 1
        ratio = accord_s / hand_s
        verdict = "equal" if same else f"DIFFER: hand {hand} accord {ours}"
        print(f"{rows:>12,} {hand_s:>15.2f} {accord_s:>10.2f} {ratio:>6.2f}x  {verdict}")
        if ratio > GOAL:
            print(f"{'':>12} over the {GOAL}x goal")
    spark.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
