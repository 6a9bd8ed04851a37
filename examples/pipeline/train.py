"""Train the example fraud model: validate the training set, fit, record reference statistics.

    python examples/pipeline/train.py [--out DIR] [--rows N] [--seed S]

Writes ``model.json`` and, next to it, ``stats.json``: the reference statistics that score.py
compares every serving batch with. Runs in about a second; numpy only, no scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
from synthetic import features, make_payments

import accord
from accord.drift import build_profile

HERE = Path(__file__).resolve().parent
CONTRACT = HERE / "card_features.yaml"


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 500, rate: float = 0.5) -> np.ndarray:
    """Plain gradient descent on the mean log loss: small, dependency-free, good enough here."""
    weights = np.zeros(x.shape[1])
    for _ in range(steps):
        predicted = 1 / (1 + np.exp(-x @ weights))
        weights -= rate * x.T @ (predicted - y) / len(y)
    return weights


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve from ranks (the Mann-Whitney U statistic)."""
    ranks = np.argsort(np.argsort(scores)) + 1
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "build", help="where model and stats go")
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args(argv)

    contract = accord.load(CONTRACT)
    train = make_payments(args.rows, args.seed)
    # The training profile requires the label; a failing report stops training here.
    contract.validate(train, profile="training").raise_for_errors()
    print(f"training set: {len(train):,} rows valid under {contract.name}@{contract.version}")

    log_amount = np.log(train["amount"].to_numpy() + 1.0)
    scale = {"log_amount_mean": float(log_amount.mean()), "log_amount_std": float(log_amount.std())}
    x = features(train, scale["log_amount_mean"], scale["log_amount_std"])
    y = train["is_fraud"].to_numpy()
    weights = fit_logistic(x, y.astype(float))
    train_auc = auc(x @ weights, y)
    print(f"model: logistic regression, fraud rate {y.mean():.1%}, training AUC {train_auc:.3f}")

    args.out.mkdir(parents=True, exist_ok=True)
    model = {"weights": weights.round(6).tolist(), **scale, "contract": contract.version}
    (args.out / "model.json").write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    # Reference statistics of exactly the data the model learnt from, under the same profile.
    stats = build_profile(train, contract.model, profile="training")
    (args.out / "stats.json").write_text(stats.to_json() + "\n", encoding="utf-8")
    size = (args.out / "stats.json").stat().st_size / 1024
    print(f"wrote model.json and stats.json ({size:.1f} KiB) to {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
