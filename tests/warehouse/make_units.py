#!/usr/bin/env python3
"""Writes units.csv: a small seeded unit-level A/B table whose column names are awkward for SQL.

One row per user: `group` (the variant; a reserved word), `order` (0/1, a reserved word),
`Revenue USD` (a space; NaN, inf and -inf among the values), `buyer's "score"` (both quote
characters), ``days`active`` (a back-quote) and `segment` (the warehouse tests keep only rows
where segment <> 'internal'). Some values are empty (missing). Run it from anywhere:

    python3 tests/warehouse/make_units.py
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["user_id", "group", "order", "Revenue USD", "buyer's \"score\"", "days`active", "segment"]
ARMS = [("control", 0.10, 4.0), ("new_checkout", 0.13, 4.6), ("one_click", 0.11, 4.1)]
SEGMENTS = ["retail", "retail", "retail", "wholesale", "internal"]


def main() -> None:
    rng = random.Random(20261128)
    rows = []
    for i in range(900):
        arm, p, scale = ARMS[i % 3] if rng.random() < 0.9 else ARMS[rng.randrange(3)]
        converted = 1 if rng.random() < p else 0
        order = "" if rng.random() < 0.02 else str(converted)
        r = rng.random()
        if r < 0.01:
            revenue = "NaN"
        elif r < 0.02:
            revenue = "inf"
        elif r < 0.025:
            revenue = "-inf"
        elif r < 0.05:
            revenue = ""
        else:
            revenue = repr(converted * rng.expovariate(1 / scale) * 10 + rng.random())
        score = "NaN" if rng.random() < 0.02 else repr(rng.uniform(-1, 1) * 1e3 + 12345.678)
        days = "" if rng.random() < 0.03 else str(rng.randrange(0, 31))
        segment = rng.choice(SEGMENTS)
        rows.append([f"u{i:04d}", arm, order, revenue, score, days, segment])
    with open(os.path.join(HERE, "units.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


if __name__ == "__main__":
    main()
