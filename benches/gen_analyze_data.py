#!/usr/bin/env python3
"""Write the benchmark file for `throughline analyze`: a unit-level A/B/C test as CSV.

    python3 benches/gen_analyze_data.py [ROWS] [OUT]
    (defaults: 2000000 rows, bench-data/ab_2m.csv, about 70 MB; bench-data/ is git-ignored)

Six columns: user_id, ts (unix seconds), variant (control / model_b / model_c), country,
revenue_usd (0 for most users, a few dollars for converters), converted (0/1). Seeded, so the
file is the same on every machine.
"""
import os
import sys

import numpy as np

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "bench-data", "ab_2m.csv")
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

rng = np.random.default_rng(20240601)
variants = np.array(["control", "model_b", "model_c"])
arm = rng.integers(0, 3, rows)
rate = np.array([0.100, 0.104, 0.097])[arm]
converted = (rng.random(rows) < rate).astype(np.int8)
spend = np.round(rng.gamma(2.0, np.array([6.0, 6.3, 6.0])[arm]), 2)
revenue = np.where(converted == 1, spend, 0.0)
user_id = rng.permutation(rows) + 1_000_000
ts = 1_717_200_000 + np.sort(rng.integers(0, 14 * 86_400, rows))
country = np.array(["US", "DE", "FR", "GB", "JP", "BR"])[rng.integers(0, 6, rows)]

rev_text = np.where(converted == 1, np.char.mod("%.2f", revenue), "0")
with open(out, "w", newline="") as f:
    f.write("user_id,ts,variant,country,revenue_usd,converted\n")
    chunk = 200_000
    for start in range(0, rows, chunk):
        end = min(rows, start + chunk)
        lines = [
            f"{u},{t},{v},{c},{r},{k}\n"
            for u, t, v, c, r, k in zip(
                user_id[start:end], ts[start:end], variants[arm[start:end]],
                country[start:end], rev_text[start:end], converted[start:end])
        ]
        f.write("".join(lines))
print(f"wrote {rows} rows to {out} ({os.path.getsize(out) / 1e6:.1f} MB)")
