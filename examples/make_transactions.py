"""Generate examples/transactions.csv: 500 clean rows and a handful of deliberate violations.

Deterministic (seeded) and standard library only, so anyone can regenerate the example:
``python examples/make_transactions.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

ROWS = 500
OUT = Path(__file__).with_name("transactions.csv")
HEADER = [
    "transaction_id", "parent_id", "customer_id", "authorised_at", "settled_at", "amount",
    "currency", "country", "merchant_category", "card_age_days", "email", "is_fraud",
]


def main() -> None:
    rng = random.Random(20261127)
    start = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    rows = []
    for index in range(ROWS):
        authorised = start + dt.timedelta(seconds=rng.randrange(86_400))
        settled = authorised + dt.timedelta(hours=rng.randrange(1, 48))
        amount = round(rng.lognormvariate(3.5, 1.0), 2)
        rows.append({
            "transaction_id": 1_000_000 + index,
            "parent_id": "",
            "customer_id": rng.randrange(10_000, 99_999),
            "authorised_at": authorised.isoformat().replace("+00:00", "Z"),
            "settled_at": settled.isoformat().replace("+00:00", "Z") if rng.random() < 0.9 else "",
            "amount": amount,
            "currency": rng.choice(["EUR", "EUR", "EUR", "USD", "GBP"]),
            "country": rng.choice(["DE", "FR", "NL", "NA", "GB", "US"]),
            "merchant_category": rng.choice(["grocery", "travel", "electronics", "fuel"]),
            "card_age_days": rng.randrange(0, 3_000),
            "email": f"customer{index}@example.com" if rng.random() < 0.8 else "",
            "is_fraud": "true" if rng.random() < 0.02 else "false",
        })
    # The deliberate faults a nightly extract really shows:
    rows[17]["amount"] = "3750 EUR"               # a unit slipped into a number
    rows[42]["currency"] = "eur"                   # case drift in an enum
    rows[99]["transaction_id"] = rows[98]["transaction_id"]   # a duplicated key
    rows[123]["amount"] = -25.0                    # a refund without its parent
    rows[250]["country"] = "Germany"               # a value in the wrong shape
    rows[251]["authorised_at"] = "2026-11-26 14:03:00"        # a time zone dropped
    rows[300]["email"] = "not an email"            # a warning, and its value is redacted
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
