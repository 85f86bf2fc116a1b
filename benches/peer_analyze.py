#!/usr/bin/env python3
"""The peer of `throughline analyze` for the benchmark: the same analysis in pandas + scipy.

    /usr/bin/time -v python3 benches/peer_analyze.py bench-data/ab_2m.csv

Reads only the three columns needed, then per metric and variant: n, mean, std dev, interval;
per treatment: Welch's t-test (revenue_usd) or the pooled two-proportion z-test (converted), the
difference with its interval and the relative lift; Holm per metric; the SRM chi-square test.
Prints JSON shaped like `throughline analyze --json` so the figures can be compared.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

path = sys.argv[1] if len(sys.argv) > 1 else "bench-data/ab_2m.csv"
alpha = 0.05
control = "control"
df = pd.read_csv(path, usecols=["variant", "revenue_usd", "converted"])
groups = {name: g for name, g in df.groupby("variant")}
names = [control] + sorted(v for v in groups if v != control)
counts = np.array([len(groups[v]) for v in names], dtype=float)
chi2, srm_p = stats.chisquare(counts)
z = stats.norm.isf(alpha / 2)


def holm(ps):
    order = np.argsort(ps)
    m = len(ps)
    out = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


metrics = []
for metric, kind in (("revenue_usd", "mean"), ("converted", "proportion")):
    values = {v: groups[v][metric].dropna().to_numpy() for v in names}
    variants = []
    for v in names:
        x = values[v]
        n, m, s = len(x), x.mean(), x.std(ddof=1)
        if kind == "mean":
            lo, hi = stats.t.interval(1 - alpha, n - 1, loc=m, scale=s / np.sqrt(n))
        else:
            c = (m + z * z / (2 * n) - z * np.sqrt(m * (1 - m) / n + z * z / (4 * n * n))) / (1 + z * z / n)
            lo, hi = c, (m + z * z / (2 * n) + z * np.sqrt(m * (1 - m) / n + z * z / (4 * n * n))) / (1 + z * z / n)
        variants.append(dict(variant=v, n=n, mean=m, std_dev=s, ci_low=lo, ci_high=hi))
    comps = []
    c = values[control]
    for v in names[1:]:
        t = values[v]
        diff = t.mean() - c.mean()
        if kind == "mean":
            res = stats.ttest_ind(t, c, equal_var=False)
            ci = res.confidence_interval(1 - alpha)
            stat, p, dof, lo, hi = res.statistic, res.pvalue, res.df, ci.low, ci.high
            vt, vc = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
        else:
            pt, pc = t.mean(), c.mean()
            pooled = (t.sum() + c.sum()) / (len(t) + len(c))
            stat = diff / np.sqrt(pooled * (1 - pooled) * (1 / len(t) + 1 / len(c)))
            p = 2 * stats.norm.sf(abs(stat))
            dof = None
            se = np.sqrt(pt * (1 - pt) / len(t) + pc * (1 - pc) / len(c))
            lo, hi = diff - z * se, diff + z * se
            vt, vc = pt * (1 - pt) / len(t), pc * (1 - pc) / len(c)
        mc, mt = c.mean(), t.mean()
        rel = diff / mc
        rse = np.sqrt(vt / mc**2 + mt**2 * vc / mc**4)
        comps.append(dict(treatment=v, diff=diff, diff_ci_low=lo, diff_ci_high=hi, rel_lift=rel,
                          rel_ci_low=rel - z * rse, rel_ci_high=rel + z * rse, statistic=stat,
                          df=dof, p_value=p))
    for comp, ph in zip(comps, holm(np.array([c["p_value"] for c in comps]))):
        comp["p_value_holm"] = ph
    metrics.append(dict(metric=metric, kind=kind, variants=variants, comparisons=comps))

out = dict(file=path, rows=len(df), alpha=alpha, control=control,
           srm=dict(chi2=chi2, p_value=srm_p, counts=dict(zip(names, counts.astype(int).tolist()))),
           metrics=metrics)
print(json.dumps(out, indent=1, default=float))
