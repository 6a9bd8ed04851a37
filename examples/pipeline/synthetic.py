"""Seeded synthetic card payments for the example pipeline (numpy and pandas only).

``make_payments`` draws one batch. Fraud is more likely for large amounts, at night, for
electronics and for new cards, so a small model has something real to learn. ``drift=True``
shifts the batch the way a bad upstream change would: amounts one standard deviation higher and
a currency the model never saw (CHF) on a fifth of the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CURRENCIES = ["EUR", "USD", "GBP", "JPY"]
CURRENCY_WEIGHTS = [0.55, 0.25, 0.15, 0.05]
CATEGORIES = ["grocery", "travel", "electronics", "fuel", "restaurants", "other"]
CATEGORY_WEIGHTS = [0.35, 0.1, 0.1, 0.15, 0.2, 0.1]
START = pd.Timestamp("2026-11-01", tz="UTC")


def make_payments(
    rows: int, seed: int, *, first_id: int = 1, with_label: bool = True, drift: bool = False
) -> pd.DataFrame:
    """One batch of payments as a pandas DataFrame typed like ``card_features.yaml``."""
    rng = np.random.default_rng(seed)
    log_amount = rng.normal(3.5, 0.9, rows)
    amount = np.round(np.exp(log_amount), 2)
    if drift:
        amount = np.round(amount + amount.std(), 2)
    seconds = rng.integers(0, 30 * 86_400, rows)
    hour = (seconds // 3_600) % 24
    category = rng.choice(CATEGORIES, rows, p=CATEGORY_WEIGHTS)
    currency = rng.choice(CURRENCIES, rows, p=CURRENCY_WEIGHTS)
    if drift:
        currency = np.where(rng.random(rows) < 0.2, "CHF", currency)
    card_age = rng.integers(0, 3_000, rows).astype(np.int32)
    frame = pd.DataFrame(
        {
            "transaction_id": np.arange(first_id, first_id + rows, dtype=np.int64),
            "authorised_at": START + pd.to_timedelta(seconds, unit="s"),
            "amount": amount,
            "currency": currency,
            "merchant_category": category,
            "card_age_days": card_age,
        }
    )
    if with_label:
        logit = (
            -4.0
            + 1.1 * (log_amount - 3.5)
            + 1.5 * (hour < 6)
            + 1.0 * (category == "electronics")
            - 0.6 * card_age / 1_000
        )
        frame["is_fraud"] = rng.random(rows) < 1 / (1 + np.exp(-logit))
    return frame


def features(frame: pd.DataFrame, log_amount_mean: float, log_amount_std: float) -> np.ndarray:
    """The model's design matrix: intercept, scaled log amount, night, electronics, card age."""
    hours = frame["authorised_at"].dt.hour.to_numpy()
    log_amount = np.log(frame["amount"].to_numpy(dtype=float) + 1.0)
    return np.column_stack(
        [
            np.ones(len(frame)),
            (log_amount - log_amount_mean) / log_amount_std,
            (hours < 6).astype(float),
            (frame["merchant_category"].to_numpy() == "electronics").astype(float),
            frame["card_age_days"].to_numpy(dtype=float) / 1_000,
        ]
    )
