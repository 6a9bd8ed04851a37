"""Score a serving batch with the example fraud model, guarded by contracts and drift checks.

    python examples/pipeline/score.py [--model DIR] [--drift] [--rows N] [--seed S]

The batch is validated under the ``serving`` profile (no label allowed) and compared with the
reference statistics train.py recorded; the scores are validated against their own contract.
Drift is a warning by default; this job treats warnings as failures (``fail_on="warning"``), so
``--drift`` makes it exit 1 without writing scores. Exit 0: scored. Exit 1: violations.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
import polars as pl
from synthetic import features, make_payments

import accord
from accord.guards import validate_io

HERE = Path(__file__).resolve().parent


def score_batch(batch: pl.DataFrame, model: dict[str, object]) -> pl.DataFrame:
    """Fraud probability per transaction (a polars batch in, a polars frame out)."""
    frame = batch.to_pandas()
    x = features(frame, float(model["log_amount_mean"]), float(model["log_amount_std"]))
    scores = 1 / (1 + np.exp(-x @ np.asarray(model["weights"])))
    return pl.DataFrame({"transaction_id": batch["transaction_id"], "fraud_score": scores})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=HERE / "build", help="train.py's --out")
    parser.add_argument("--drift", action="store_true", help="shift the batch away from training")
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    model_file, stats_file = args.model / "model.json", args.model / "stats.json"
    if not model_file.exists() or not stats_file.exists():
        print(f"no model in {args.model}: run examples/pipeline/train.py first", file=sys.stderr)
        return 2
    model = json.loads(model_file.read_text(encoding="utf-8"))
    guarded = validate_io(
        inputs={"batch": HERE / "card_features.yaml"},
        output=HERE / "fraud_scores.yaml",
        profile="serving",
        reference=stats_file,
        fail_on="warning",
    )(score_batch)

    raw = make_payments(
        args.rows, args.seed, first_id=10_000_000, with_label=False, drift=args.drift
    )
    batch = pl.from_pandas(raw)
    try:
        scores = guarded(batch, model)
    except accord.ContractViolation as error:
        # The message lists the first violations; error.report holds all of them with evidence.
        print(f"batch rejected, nothing scored:\n{error}", file=sys.stderr)
        return 1
    flagged = scores.filter(pl.col("fraud_score") > 0.1).height
    print(f"scored {scores.height:,} transactions; {flagged} flagged for review (score > 0.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
