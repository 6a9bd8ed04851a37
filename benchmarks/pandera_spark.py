"""``benchmarks/contract.yaml`` as a hand-written ``pandera.pyspark`` schema, on the same Parquet.

    .venv-pandera-spark/bin/python benchmarks/pandera_spark.py --rows 1000000 [--repeat 2]
        [--master local[2]]

Runs in its own environment (``make bench-pandera-spark`` makes it): ``pandera.pyspark`` cannot be
imported beside pandas 3, which accord's environment holds. So this file imports neither accord
nor anything of ``benchmarks`` beyond the data file ``benchmarks/generate.py`` wrote, and spells
the contract's rules out again. It prints one JSON line: the median wall time of ``validate``
(session started, one warm-up run) and what pandera reports, beside the facts of the data that
say what that report leaves out:

* pandera gives each check pass or fail only (``filter(~ok).limit(1).count()``): no counts, no
  rows;
* ``str_matches`` prepends ``^`` and nothing else, so it accepts any value that merely starts
  with a match;
* ``unique`` counts the duplicated groups (keys seen more than once), not the rows involved;
* a range check's filter is pushed into the Parquet reader, whose min/max statistics leave NaN
  out, so NaN values (out of every range in Spark's ordering) can go unseen.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
# benchmarks/contract.yaml, as benchmarks/baselines.py spells it for polars and pandas
EVENT_ID_RE = "ev-[0-9a-f]{12}"
COUNTRY_RE = "[A-Z]{2}"
EMAIL_RE = "[^@ ]+@[^@ ]+"
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
CHANNELS = ["web", "app", "pos", "phone"]
TIME_RANGE = ("2024-01-01 00:00:00", "2025-12-31 23:59:59")
NOT_NULL = ["row_id", "event_id", "customer_id", "event_time", "currency", "country", "channel"]
NOT_NULL += ["customer_age", "is_fraud"]


def schema() -> Any:
    import datetime as dt

    import pandera.pyspark as pa
    from pyspark.sql import types as t

    low, high = (dt.datetime.fromisoformat(v).replace(tzinfo=dt.UTC) for v in TIME_RANGE)

    def column(dtype: Any, *checks: Any, name: str) -> Any:
        return pa.Column(dtype, checks=list(checks), nullable=name not in NOT_NULL)

    columns = {
        "row_id": (t.LongType(),),
        "event_id": (t.StringType(), pa.Check.str_matches(EVENT_ID_RE)),
        "customer_id": (t.LongType(), pa.Check.ge(1)),
        "event_time": (t.TimestampType(), pa.Check.in_range(low, high)),
        "amount": (t.DoubleType(), pa.Check.in_range(-10000.0, 10000.0)),
        "currency": (t.StringType(), pa.Check.isin(CURRENCIES)),
        "country": (t.StringType(), pa.Check.str_matches(COUNTRY_RE)),
        "channel": (t.StringType(), pa.Check.isin(CHANNELS)),
        "customer_age": (t.ShortType(), pa.Check.in_range(18, 120)),
        "score": (t.DoubleType(), pa.Check.in_range(0.0, 1.0)),
        "email": (t.StringType(), pa.Check.str_matches(EMAIL_RE)),
        "is_fraud": (t.BooleanType(),),
    }
    return pa.DataFrameSchema(
        {name: column(*spec, name=name) for name, spec in columns.items()},
        # the primary key; event_id's own ``unique`` has no spelling here: pandera.pyspark's
        # Column takes no ``unique`` and the schema's is one key over all the columns it names
        unique=["row_id"],
    )


def reported(validated: Any) -> dict[str, Any]:
    """What pandera says: each failed check with its message, and nothing else."""
    errors = validated.pandera.errors
    failed = []
    for scope in errors.values():
        for entries in scope.values():
            for entry in entries:
                failed.append(
                    {
                        "column": entry.get("column"),
                        "check": entry.get("check"),
                        "error": str(entry.get("error"))[:160],
                    }
                )
    return {"passed": not failed, "failed_checks": failed}


def facts(spark: Any, path: Path) -> dict[str, Any]:
    """What the data holds that pandera's verdicts above leave out, counted with plain Spark."""
    from pyspark.sql import functions as f

    frame = spark.read.parquet(str(path))
    full = {
        n: f"(?U)^(?:{r})\\z"
        for n, r in (("event_id", EVENT_ID_RE), ("country", COUNTRY_RE), ("email", EMAIL_RE))
    }
    prefix = {"event_id": EVENT_ID_RE, "country": COUNTRY_RE, "email": EMAIL_RE}
    counts: dict[str, Any] = {}
    row = frame.agg(
        *[
            f.sum(f.when(~f.col(n).rlike(r), 1).otherwise(0)).alias(f"full_{n}")
            for n, r in full.items()
        ],
        *[
            f.sum(f.when(~f.col(n).rlike(f"^{r}"), 1).otherwise(0)).alias(f"prefix_{n}")
            for n, r in prefix.items()
        ],
        *[f.sum(f.when(f.isnan(n), 1).otherwise(0)).alias(f"nan_{n}") for n in ("amount", "score")],
    ).first()
    for name in full:
        counts[f"{name}: values failing the full match"] = int(row[f"full_{name}"] or 0)
        counts[f"{name}: values failing pandera's prefix match"] = int(row[f"prefix_{name}"] or 0)
    for name in ("amount", "score"):
        counts[f"{name}: NaN values"] = int(row[f"nan_{name}"] or 0)
    for key in ("row_id", "event_id"):
        repeated = frame.where(f.col(key).isNotNull()).groupBy(key).count().where("count > 1")
        total = repeated.agg(
            f.count(f.lit(1)).alias("groups"), f.sum("count").alias("rows")
        ).first()
        counts[f"{key}: duplicated keys (groups)"] = int(total["groups"])
        counts[f"{key}: rows involved in duplicates"] = int(total["rows"] or 0)
    # pandera's in_range on amount, evaluated as pandera does, with and without the pushdown
    for pushdown in ("true", "false"):
        spark.conf.set("spark.sql.parquet.filterPushdown", pushdown)
        amount = spark.read.parquet(str(path)).select("amount")
        outside = amount.filter(~((f.col("amount") >= -10000.0) & (f.col("amount") <= 10000.0)))
        counts[f"amount: rows outside the range as pandera filters them, pushdown {pushdown}"] = (
            outside.count()
        )
    spark.conf.set("spark.sql.parquet.filterPushdown", "true")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--facts", action="store_true", help="also count what pandera leaves out")
    args = parser.parse_args(argv)
    path = DATA / f"features_{args.rows}.parquet"
    if not path.exists():
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    "error": f"{path} is missing: run benchmarks.spark "
                    "(or benchmarks.generate) first",
                }
            )
        )
        return 2

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    contract = schema()
    frame = spark.read.parquet(str(path))
    result = reported(contract.validate(frame))  # warm-up, and the report
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        reported(contract.validate(frame))
        times.append(time.perf_counter() - start)
    out = {"rows": args.rows, "seconds": statistics.median(times), **result}
    if args.facts:
        out["facts"] = facts(spark, path)
    spark.stop()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
