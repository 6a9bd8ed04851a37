"""accord's Spark engine against a hand-written one-pass ``pyspark.sql`` query of the same checks.

    PYTHONPATH=src python -m benchmarks.spark --rows 1000000 5000000 20000000 [--repeat 3]
        [--master local[*]] [--spark-conf KEY=VALUE ...] [--warmup 1] [--write-results]

Both read the benchmark Parquet file (``benchmarks/generate.py``; written once per size) through
one session. The baseline is what a careful Spark user writes by hand: one ``agg`` holding every
check's failure count, the row count, the mean and the null fraction, and one ``groupBy`` per
key. accord does that and more (the first failing rows of every failed check, located), so the
ratio is the price of the report. Both must give the same failure count for every check; a
mismatch is printed and the exit code is 1. Times are medians of ``--repeat`` runs after
``--warmup`` runs, with the session already started.

The driver's peak memory is printed after each size: the Python process's ``ru_maxrss`` and the
JVM's ``VmHWM`` (high-water resident set, from ``/proc``; cumulative over the sizes of one
invocation, so run a large size on its own to read its figure). Nothing but counts and a few
example rows comes back to the driver, so the figure must not grow with the data.
``--write-results`` puts the table in the Spark section of ``benchmarks/RESULTS.md``
(``benchmarks.run`` keeps that section when it rewrites the file).

``pandera.pyspark`` runs beside them where ``--pandera-python`` (default
``.venv-pandera-spark/bin/python``, which ``make bench-pandera-spark`` creates) exists:
``benchmarks/pandera_spark.py`` validates the same file with a hand-written ``pandera.pyspark``
schema in that interpreter (its own JVM, same master) and its time and verdicts are printed and
recorded beside the others; where it does not exist, the table says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import baselines as b
from benchmarks import generate

GOAL = 1.3
HERE = Path(__file__).resolve().parent
CONTRACT = HERE / "contract.yaml"
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- spark results -->", "<!-- /spark results -->"
"""The Spark section of RESULTS.md lies between these lines; ``benchmarks.run`` keeps it."""


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


def timed(run: Any, repeat: int, warmup: int) -> tuple[float, Any]:
    for _ in range(warmup):  # JIT, file listing and footer caches
        run()
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def driver_peak_mb() -> tuple[float, float]:
    """Peak resident memory of this Python process and of the JVM it started (0 if none)."""
    python_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jvm_mb = 0.0
    for pid in _descendants(os.getpid()):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "\nName:\tjava" not in "\n" + status:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                jvm_mb = max(jvm_mb, int(line.split()[1]) / 1024)
    return python_mb, jvm_mb


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def write_results(lines: list[str], pandera: list[str], argv: list[str], load: str) -> None:
    """The Spark section of RESULTS.md, replaced (or appended) between its marker lines."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    pandera_table = pandera  # a sentence saying why it was not measured, or the table's rows
    if pandera and pandera[0].startswith("|"):
        header = "| rows | pandera.pyspark s | what it reports; what the data holds |"
        pandera_table = [header, "|---:|---:|---|", *pandera]
    section = "\n".join(
        [
            BEGIN,
            "## Spark: accord vs a hand-written one-pass pyspark.sql query",
            "",
            f"Written by `python -m benchmarks.spark {' '.join(argv)}` on {when}; load average "
            f"before and after: {load}. Times are medians over the session already started.",
            "",
            "| rows | hand-written s | accord s | ratio | counts | driver peak RSS MB "
            "(python + JVM) |",
            "|---:|---:|---:|---:|---|---:|",
            *lines,
            "",
            "`pandera.pyspark` on the same file, a hand-written schema of the same rules "
            "(`benchmarks/pandera_spark.py`, its own JVM on the same master, pandas < 3):",
            "",
            *pandera_table,
            END,
        ]
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS}")


def pandera_spark(python: Path, rows: int, args: Any) -> tuple[str, str]:
    """``pandera.pyspark`` on the file of ``rows`` rows, in its own interpreter: the printed
    line and the table's row."""
    command = [str(python), str(HERE / "pandera_spark.py"), "--rows", str(rows)]
    command += ["--repeat", str(args.repeat), "--master", args.master, "--facts"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
        seconds = float(found["seconds"])
    except (IndexError, KeyError, ValueError):
        why = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return f"pandera.pyspark failed: {why}", f"| {rows:,} | failed: {why} | | |"
    failed = found["failed_checks"]
    verdict = f"{'passed' if found['passed'] else 'failed'}, {len(failed)} checks failed"
    duplicates = [c["error"] for c in failed if c["check"] == "unique"]
    facts = found.get("facts", {})
    said = "; ".join(
        [verdict + " (no counts, no rows)", *duplicates]
        + [f"{name}: {count}" for name, count in facts.items()]
    )
    return f"pandera.pyspark {seconds:.2f} s: {said}", f"| {rows:,} | {seconds:.2f} | {said} |"


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000, 20_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before the timed ones")
    parser.add_argument("--master", default="local[*]")
    parser.add_argument(
        "--spark-conf", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
    )
    parser.add_argument("--write-results", action="store_true", help="update RESULTS.md")
    parser.add_argument(
        "--pandera-python",
        type=Path,
        default=HERE.parent / ".venv-pandera-spark" / "bin" / "python",
        help="an interpreter with pandas < 3 and pandera[pyspark] (make bench-pandera-spark)",
    )
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv

    from pyspark.sql import SparkSession

    import accord

    builder = (
        SparkSession.builder.master(args.master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    for item in args.spark_conf:
        key, _, value = item.partition("=")
        builder = builder.config(key, value)
    load_before = _load().split("load average:")[-1].strip()
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    contract = accord.load(CONTRACT)
    status = 0
    lines: list[str] = []
    pandera: list[str] = []
    if not args.pandera_python.exists():
        pandera.append(
            f"Not measured: {args.pandera_python} does not exist (`make bench-pandera-spark` "
            "creates it). pandera.pyspark cannot be imported beside pandas 3, which accord's "
            "environment holds."
        )
        print(pandera[0])
    print(f"{'rows':>12} {'hand-written s':>15} {'accord s':>10} {'ratio':>7}  counts")
    for rows in args.rows:
        path = generate.ensure(rows)
        frame = spark.read.parquet(str(path))
        hand_s, hand = timed(lambda frame=frame: hand_written(frame), args.repeat, args.warmup)
        accord_s, ours = timed(
            lambda frame=frame: accord_counts(contract, frame), args.repeat, args.warmup
        )
        same = hand == ours
        status |= 0 if same else 1
        ratio = accord_s / hand_s
        verdict = "equal" if same else f"DIFFER: hand {hand} accord {ours}"
        python_mb, jvm_mb = driver_peak_mb()
        print(f"{rows:>12,} {hand_s:>15.2f} {accord_s:>10.2f} {ratio:>6.2f}x  {verdict}")
        print(f"{'':>12} driver peak RSS: python {python_mb:.0f} MB, JVM {jvm_mb:.0f} MB")
        if ratio > GOAL:
            print(f"{'':>12} over the {GOAL}x goal")
        lines.append(
            f"| {rows:,} | {hand_s:.2f} | {accord_s:.2f} | {ratio:.2f}x | "
            f"{'equal' if same else 'DIFFER'} | {python_mb:.0f} + {jvm_mb:.0f} |"
        )
        if args.pandera_python.exists():
            said, row = pandera_spark(args.pandera_python, rows, args)
            print(f"{'':>12} {said}")
            pandera.append(row)
    spark.stop()
    load = f"{load_before}; {_load().split('load average:')[-1].strip()}"
    print(f"load average before and after: {load}")
    if args.write_results:
        write_results(lines, pandera, argv, load)
    return status


if __name__ == "__main__":
    sys.exit(main())
