"""Contracts and seeded samples shared by the drift, guard and testing-helper tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from accord.api import Contract, load
from conftest import make_frame

CREATED = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)

# The SPEC's example thresholds, with ks 0.1, on a small feature table.
SHOP = """\
accord: 1
name: shop
version: 2.1.0
fields:
  order_id: {type: int64, role: id}
  amount: {type: float64, nullable: true, checks: [{between: {min: -1000, max: 1000}}]}
  currency: {type: string}
  basket: {type: category, nullable: true, role: metadata}
  returned: {type: bool, role: label}
profiles:
  training: {require_roles: [label]}
  serving:
    forbid_roles: [label]
    fields:
      returned: {required: false}
drift:
  default: {psi: 0.2}
  fields:
    amount: {psi: 0.2, mean_shift: 0.25, ks: 0.1, null_fraction_delta: 0.05}
    currency: {unseen_categories: 0.0}
"""

CURRENCIES = ["EUR", "USD", "GBP", "JPY"]
WEIGHTS = [0.5, 0.3, 0.15, 0.05]


def shop(text: str = SHOP) -> Contract:
    return load(text)


def orders(
    engine: str,
    rows: int,
    seed: int,
    *,
    shift: float = 0.0,
    new_currency: float = 0.0,
    label: bool = True,
) -> Any:
    """``rows`` orders; amounts ~ N(100 + 20 * shift, 20), a new currency on ``new_currency``."""
    rng = np.random.default_rng(seed)
    currency = rng.choice(CURRENCIES, rows, p=WEIGHTS)
    currency = np.where(rng.random(rows) < new_currency, "CHF", currency)
    columns: dict[str, list[Any]] = {
        "order_id": list(range(rows)),
        "amount": rng.normal(100 + 20 * shift, 20, rows).round(2).tolist(),
        "currency": currency.tolist(),
        "basket": rng.choice(["small", "large"], rows).tolist(),
    }
    if label:
        columns["returned"] = (rng.random(rows) < 0.1).tolist()
    return make_frame(engine, columns)
