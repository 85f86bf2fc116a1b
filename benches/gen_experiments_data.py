#!/usr/bin/env python3
"""Write the benchmark file for per-experiment effects: one unit-level CSV holding many A/B
tests (`throughline link FILE --experiment-col experiment_id --variant-col variant --control
control --x ml_score --y revenue_usd`, docs/PERFORMANCE.md).

    python3 benches/gen_experiments_data.py [ROWS] [EXPERIMENTS] [OUT]
    (defaults: 20000000 rows, 200 experiments, bench-data/experiments_20m.csv, about 0.8 GB;
    bench-data/ is git-ignored)

Five columns: user_id, experiment_id (exp-001 ...), variant (control / treatment), ml_score (a
per-user online model metric), revenue_usd. Each experiment gets rows/experiments users, half
in each arm, written in chunks (the script never holds more than one chunk). Seeded, so the file
is the same on every machine; each experiment's true ML change and revenue change are related
with slope 40 (revenue per unit of ml_score).
"""
import os
import sys

import numpy as np

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
experiments = int(sys.argv[2]) if len(sys.argv) > 2 else 200
out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    os.path.dirname(__file__), "..", "bench-data", "experiments_20m.csv")
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

rng = np.random.default_rng(20261129)
ml_change = rng.normal(0.002, 0.004, experiments)
revenue_change = 40.0 * ml_change + rng.normal(0.0, 0.02, experiments)
per_experiment = rows // experiments
chunk = 500_000

written = 0
with open(out, "w", newline="") as f:
    f.write("user_id,experiment_id,variant,ml_score,revenue_usd\n")
    for e in range(experiments):
        n = per_experiment if e < experiments - 1 else rows - written
        name = f"exp-{e + 1:03d}"
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            treated = rng.integers(0, 2, m)
            ml = 0.45 + treated * ml_change[e] + rng.normal(0.0, 0.08, m)
            revenue = np.maximum(0.0, 2.0 + treated * revenue_change[e]
                                 + rng.normal(0.0, 3.0, m))
            ids = np.arange(written + start, written + start + m) + 10_000_000
            variant = np.where(treated == 1, "treatment", "control")
            lines = [
                f"{u},{name},{v},{x:.4f},{r:.2f}\n"
                for u, v, x, r in zip(ids, variant, ml, revenue)
            ]
            f.write("".join(lines))
        written += n
print(f"wrote {written} rows, {experiments} experiments to {out} "
      f"({os.path.getsize(out) / 1e6:.1f} MB)")
