#!/usr/bin/env python3
"""Write the benchmark file for `throughline analyze`: a unit-level A/B/C test as CSV.

    python3 benches/gen_analyze_data.py [ROWS] [OUT] [wave2]
    (defaults: 2000000 rows, bench-data/ab_2m.csv, about 70 MB; bench-data/ is git-ignored)

Six columns: user_id, ts (unix seconds), variant (control / model_b / model_c), country,
revenue_usd (0 for most users, a few dollars for converters), converted (0/1). Seeded, so the
file is the same on every machine. With `wave2` (issue 12's benchmark case), three more:
pre_revenue (the pre-experiment revenue, the CUPED covariate; a few missing), sessions (1 or
more, the ratio metric's denominator) and region (10 values, the segment column); the first six
columns are the same as without it.
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
wave2 = len(sys.argv) > 3 and sys.argv[3] == "wave2"
if wave2:
    pre = np.round(0.6 * revenue + rng.gamma(1.5, 2.0, rows), 2)
    pre_text = np.where(rng.random(rows) < 0.02, "", np.char.mod("%.2f", pre))
    sessions = (1 + rng.poisson(2.0 + converted, rows)).astype(str)
    regions = np.array([f"region_{i:02d}" for i in range(10)])
    region = regions[rng.integers(0, 10, rows)]
else:
    pre_text = sessions = region = np.full(rows, "")
with open(out, "w", newline="") as f:
    extra_header = ",pre_revenue,sessions,region" if wave2 else ""
    f.write(f"user_id,ts,variant,country,revenue_usd,converted{extra_header}\n")
    chunk = 200_000
    for start in range(0, rows, chunk):
        end = min(rows, start + chunk)
        lines = [
            f"{u},{t},{v},{c},{r},{k}" + (f",{p},{s},{g}\n" if wave2 else "\n")
            for u, t, v, c, r, k, p, s, g in zip(
                user_id[start:end], ts[start:end], variants[arm[start:end]],
                country[start:end], rev_text[start:end], converted[start:end],
                pre_text[start:end], sessions[start:end], region[start:end])
        ]
        f.write("".join(lines))
print(f"wrote {rows} rows to {out} ({os.path.getsize(out) / 1e6:.1f} MB)")
