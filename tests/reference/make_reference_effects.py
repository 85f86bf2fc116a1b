#!/usr/bin/env python3
"""Reference figures for per-experiment effects from one unit-level file holding many
experiments (`throughline link FILE --experiment-col E --variant-col V --control C --x X --y Y`),
from numpy/scipy, independently of Throughline:

    python3 tests/reference/make_reference_effects.py

writes wave2_experiment_units.csv (8 experiments; one has no control rows, one has a second
treatment) and expected_effects.json. Per experiment and treatment, CONTRACT.md's experiment
formulas: the difference of means with Welch's standard error sqrt(s_T^2/n_T + s_C^2/n_C) for a
mean metric, and the difference of proportions with the unpooled standard error
sqrt(p_T(1-p_T)/n_T + p_C(1-p_C)/n_C) for a 0/1 metric; then the York fit across experiments
(york() of make_reference_wave2.py, York et al. 2004) and the plain least-squares fit.
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ALPHA = 0.05
rng = np.random.default_rng(20261129)


def york(X, Y, sx, sy, alpha=ALPHA):
    """York et al. (2004), section 3, r_i = 0 (the same as make_reference_wave2.py)."""
    X, Y, sx, sy = map(lambda a: np.asarray(a, float), (X, Y, sx, sy))
    n = len(X)
    b = np.polyfit(X, Y, 1)[0]
    ols = b
    for _ in range(1000):
        W = 1.0 / (sy ** 2 + b ** 2 * sx ** 2)
        Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)
        U, V = X - Xbar, Y - Ybar
        beta = W * (U * sy ** 2 + b * V * sx ** 2)
        b_new = np.sum(W * beta * V) / np.sum(W * beta * U)
        done = abs(b_new - b) <= 1e-15 * abs(b_new)
        b = b_new
        if done:
            break
    W = 1.0 / (sy ** 2 + b ** 2 * sx ** 2)
    Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)
    U, V = X - Xbar, Y - Ybar
    beta = W * (U * sy ** 2 + b * V * sx ** 2)
    a = Ybar - b * Xbar
    x = Xbar + beta
    xbar = np.sum(W * x) / np.sum(W)
    sigma_b = math.sqrt(1.0 / np.sum(W * (x - xbar) ** 2))
    mswd = np.sum(W * (Y - b * X - a) ** 2) / (n - 2)
    se = sigma_b * math.sqrt(max(1.0, mswd))
    q = stats.t.isf(alpha / 2, n - 2)
    return {"n": n, "slope": b, "intercept": a, "slope_se": se, "slope_ci_low": b - q * se,
            "slope_ci_high": b + q * se, "mswd": mswd, "ols_slope": ols,
            "reliability_x": 1 - np.mean(sx ** 2) / np.var(X, ddof=1)}


rows = []
for e in range(1, 9):
    arms = ["control", "treatment"]
    if e == 3:
        arms = ["treatment"]            # no control rows: left out with a warning
    if e == 6:
        arms = ["control", "treatment", "bigger"]   # two treatments: two points
    d_ml = rng.normal(0.01, 0.02)
    for k, arm in enumerate(arms):
        n = int(rng.integers(60, 140))
        shift = 0.0 if arm == "control" else d_ml * (1 + 0.5 * (arm == "bigger"))
        ml = 0.6 + shift + rng.normal(0, 0.05, n)
        clicked = (rng.random(n) < 0.2 + 3 * shift).astype(int)
        for m, c in zip(ml, clicked):
            rows.append((f"e{e}", arm, m, c))
frame = pd.DataFrame(rows, columns=["experiment", "arm", "ml_score", "clicked"])
frame.to_csv(os.path.join(HERE, "wave2_experiment_units.csv"), index=False, float_format="%.17g")

points = []
for e, g in frame.groupby("experiment", sort=False):
    control = g[g.arm == "control"]
    if control.empty:
        continue
    for arm, t in g[g.arm != "control"].groupby("arm", sort=False):
        label = f"{e}: {arm}" if g.arm.nunique() > 2 else e
        xt, xc = t.ml_score.to_numpy(), control.ml_score.to_numpy()
        yt, yc = t.clicked.to_numpy(), control.clicked.to_numpy()
        x = xt.mean() - xc.mean()
        x_se = math.sqrt(xt.var(ddof=1) / len(xt) + xc.var(ddof=1) / len(xc))
        pt, pc = yt.mean(), yc.mean()
        y = pt - pc
        y_se = math.sqrt(pt * (1 - pt) / len(yt) + pc * (1 - pc) / len(yc))
        points.append({"label": label, "x": x, "x_se": x_se, "y": y, "y_se": y_se})

X = [p["x"] for p in points]
Y = [p["y"] for p in points]
fit = york(X, Y, [p["x_se"] for p in points], [p["y_se"] for p in points])
plain = stats.linregress(X, Y)
expected = {"file": "wave2_experiment_units.csv", "alpha": ALPHA, "experiments": points,
            "york": fit, "plain": {"slope": plain.slope, "intercept": plain.intercept,
                                   "pearson_r": plain.rvalue}}


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (int, np.integer)) and not isinstance(o, bool):
        return int(o)
    if isinstance(o, (float, np.floating)):
        return float(o)
    return o


with open(os.path.join(HERE, "expected_effects.json"), "w") as f:
    json.dump(clean(expected), f, indent=1)
print("wrote wave2_experiment_units.csv and expected_effects.json:", len(points), "points")
