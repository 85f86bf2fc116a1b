#!/usr/bin/env python3
"""Reference figures for `throughline analyze` with the options of issue 12 (CONTRACT.md,
"Options added in the second wave"), computed independently with numpy, scipy and statsmodels
from the committed data files:

- wave2_cuped.csv with --covariate revenue=pre_revenue --covariate converted=pre_sessions
  --success revenue --guardrail converted:0.05: CUPED-adjusted and unadjusted comparisons, every
  decision figure (rel_p_value, mde, mde_rel, chance_to_win, expected_loss) and the decisions;
- wave2_ratio.csv with --ratio revenue_per_session=revenue/sessions --lower-is-better
  revenue_per_session: the ratio metric with the direction flipped;
- wave2_segments.csv with --metric revenue --metric converted --segment country: the overall
  comparisons (Welch and the pooled two-proportion z-test) with their decision figures;
- wave2_growthbook.csv, GrowthBook's published case as a summary-statistics file.

Writes wave2_growthbook.csv and expected_cli12.json next to this script; tests/cli_wave2.rs
checks the command line against them to 1e-9 relative. Run from anywhere:

    python3 tests/reference/make_reference_cli12.py
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
ALPHA = 0.05
Z = stats.norm.isf(ALPHA / 2)
ZB = stats.norm.ppf(0.8)


def num(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def extras(diff, se, mean_c, rel, se_rel, lower=False):
    d = -diff if lower else diff
    loss = se * stats.norm.pdf(d / se) - d * stats.norm.cdf(-d / se)
    return {
        "rel_p_value": None if rel is None else 2 * stats.norm.sf(abs(rel / se_rel)),
        "mde": (Z + ZB) * se,
        "mde_rel": (Z + ZB) * se / abs(mean_c),
        "chance_to_win": stats.norm.cdf(d / se),
        "expected_loss": max(loss, 0.0),
    }


def welch(t, c, lower=False):
    res = stats.ttest_ind(t, c, equal_var=False)
    vt, vc = np.var(t, ddof=1) / len(t), np.var(c, ddof=1) / len(c)
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (len(t) - 1) + vc ** 2 / (len(c) - 1))
    mt, mc = np.mean(t), np.mean(c)
    diff = mt - mc
    q = stats.t.isf(ALPHA / 2, df)
    rel = diff / mc
    se_rel = math.sqrt(vt / mc ** 2 + mt ** 2 * vc / mc ** 4)
    out = {"diff": diff, "diff_ci_low": diff - q * se, "diff_ci_high": diff + q * se,
           "statistic": res.statistic, "df": df, "p_value": res.pvalue,
           "rel_lift": rel, "rel_ci_low": rel - Z * se_rel, "rel_ci_high": rel + Z * se_rel}
    out.update(extras(diff, se, mc, rel, se_rel, lower))
    return out, se_rel


def proportion(t, c):
    pt, pc = np.mean(t), np.mean(c)
    _, p = proportions_ztest([t.sum(), c.sum()], [len(t), len(c)])
    vt, vc = pt * (1 - pt) / len(t), pc * (1 - pc) / len(c)
    se = math.sqrt(vt + vc)
    diff = pt - pc
    rel = diff / pc
    se_rel = math.sqrt(vt / pc ** 2 + pt ** 2 * vc / pc ** 4)
    out = {"diff": diff, "diff_ci_low": diff - Z * se, "diff_ci_high": diff + Z * se,
           "p_value": p, "rel_lift": rel, "rel_ci_low": rel - Z * se_rel,
           "rel_ci_high": rel + Z * se_rel}
    out.update(extras(diff, se, pc, rel, se_rel))
    return out, se_rel


def with_holm(comps):
    holm = multipletests([c["p_value"] for c in comps], method="holm")[1]
    for c, h in zip(comps, holm):
        c["p_value_holm"] = h
    return comps


def decide(treatment, outcomes, treatments):
    """CONTRACT.md's rule: outcomes are (role, margin, rel, se_rel)."""
    successes = sum(1 for o in outcomes if o[0] == "success")
    a_success = ALPHA / (successes * treatments)
    z_s = stats.norm.isf(a_success)
    z_g = stats.norm.isf(ALPHA)
    worse = superior = False
    guards_ok = True
    for role, margin, rel, se in outcomes:
        if rel + Z * se < 0:
            worse = True
        if role == "success" and rel - z_s * se > 0:
            superior = True
        if role == "guardrail" and not (rel - z_g * se > -margin):
            guards_ok = False
    if worse:
        return "do_not_ship"
    if superior and guards_ok:
        return "ship"
    return "inconclusive"


def cuped():
    frame = pd.read_csv(os.path.join(HERE, "wave2_cuped.csv"))
    names = ["control", "arm_a", "arm_b"]
    metrics = []
    rels = {}
    for metric, covariate, binary in [("revenue", "pre_revenue", False),
                                      ("converted", "pre_sessions", True)]:
        y = frame[metric].to_numpy(float)
        x = frame[covariate].to_numpy(float)
        both = np.isfinite(y) & np.isfinite(x)
        theta = np.cov(y[both], x[both], ddof=1)[0, 1] / np.var(x[both], ddof=1)
        x_mean = np.mean(x[both])
        y_adj = y - theta * (np.where(np.isfinite(x), x, x_mean) - x_mean)
        arm = {v: (frame["variant"] == v).to_numpy() & np.isfinite(y) for v in names}
        adjusted, unadjusted = [], []
        for v in names[1:]:
            comp, se_rel = welch(y_adj[arm[v]], y_adj[arm["control"]])
            adjusted.append({"treatment": v, **comp})
            rels[(metric, v)] = (comp["rel_lift"], se_rel)
            raw = y[arm[v]], y[arm["control"]]
            comp, _ = proportion(*raw) if binary else welch(*raw)
            unadjusted.append({"treatment": v, **comp})
        metrics.append({"metric": metric, "covariate": covariate, "theta": theta,
                        "comparisons": with_holm(adjusted),
                        "comparisons_unadjusted": with_holm(unadjusted)})
    decisions = []
    for v in names[1:]:
        outcomes = [("success", 0.0, *rels[("revenue", v)]),
                    ("guardrail", 0.05, *rels[("converted", v)])]
        decisions.append({"treatment": v, "decision": decide(v, outcomes, len(names) - 1)})
    return {"file": "wave2_cuped.csv",
            "args": ["--metric", "revenue", "--metric", "converted",
                     "--covariate", "revenue=pre_revenue", "--covariate", "converted=pre_sessions",
                     "--success", "revenue", "--guardrail", "converted:0.05"],
            "metrics": metrics, "decisions": decisions}


def ratio():
    frame = pd.read_csv(os.path.join(HERE, "wave2_ratio.csv"))
    names = ["control", "t1", "t2"]
    per = {}
    for v in names:
        sel = frame[frame["variant"] == v]
        ok = sel["revenue"].notna() & sel["sessions"].notna()
        N = sel.loc[ok, "revenue"].to_numpy(float)
        D = sel.loc[ok, "sessions"].to_numpy(float)
        n = len(N)
        R = N.sum() / D.sum()
        cov = np.cov(N, D, ddof=1)
        var = (cov[0, 0] - 2 * R * cov[0, 1] + R ** 2 * cov[1, 1]) / (n * D.mean() ** 2)
        per[v] = (R, var)
    rc, vc = per["control"]
    comps = []
    for v in names[1:]:
        rt, vt = per[v]
        diff = rt - rc
        se = math.sqrt(vt + vc)
        rel = diff / rc
        se_rel = math.sqrt(vt / rc ** 2 + rt ** 2 * vc / rc ** 4)
        comp = {"treatment": v, "diff": diff, "p_value": 2 * stats.norm.sf(abs(diff / se)),
                "rel_lift": rel}
        comp.update(extras(diff, se, rc, rel, se_rel, lower=True))
        comps.append(comp)
    return {"file": "wave2_ratio.csv",
            "args": ["--ratio", "revenue_per_session=revenue/sessions",
                     "--lower-is-better", "revenue_per_session"],
            "metrics": [{"metric": "revenue_per_session", "comparisons": with_holm(comps)}]}


def segments():
    frame = pd.read_csv(os.path.join(HERE, "wave2_segments.csv"))
    metrics = []
    for metric, binary in [("revenue", False), ("converted", True)]:
        c = frame.loc[frame["variant"] == "control", metric].to_numpy(float)
        t = frame.loc[frame["variant"] == "treatment", metric].to_numpy(float)
        comp, _ = proportion(t, c) if binary else welch(t, c)
        metrics.append({"metric": metric, "comparisons": [{"treatment": "treatment", **comp}]})
    return {"file": "wave2_segments.csv",
            "args": ["--metric", "revenue", "--metric", "converted", "--segment", "country"],
            "metrics": metrics}


def growthbook():
    nc, mc, sc = 3407, 0.41, 3.9
    nt, mt, st = 3461, 0.70, 6.2
    pd.DataFrame({"variant": ["control", "treatment"], "n": [nc, nt],
                  "metric_mean": [mc, mt], "metric_std_dev": [sc, st]}).to_csv(
        os.path.join(HERE, "wave2_growthbook.csv"), index=False, lineterminator="\n")
    res = stats.ttest_ind_from_stats(mt, st, nt, mc, sc, nc, equal_var=False)
    vt, vc = st ** 2 / nt, sc ** 2 / nc
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
    diff = mt - mc
    q = stats.t.isf(ALPHA / 2, df)
    rel = diff / mc
    se_rel = math.sqrt(vt / mc ** 2 + mt ** 2 * vc / mc ** 4)
    comp = {"treatment": "treatment", "diff": diff, "diff_ci_low": diff - q * se,
            "diff_ci_high": diff + q * se, "statistic": res.statistic, "df": df,
            "p_value": res.pvalue, "rel_lift": rel, "rel_ci_low": rel - Z * se_rel,
            "rel_ci_high": rel + Z * se_rel}
    comp.update(extras(diff, se, mc, rel, se_rel))
    return {"file": "wave2_growthbook.csv", "args": ["--metric", "metric"],
            "metrics": [{"metric": "metric", "comparisons": [comp]}]}


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (bool, np.bool_)):
        return bool(o)
    if isinstance(o, (int, np.integer)):
        return int(o)
    if isinstance(o, (float, np.floating)):
        return num(o)
    return o


OUT = {"alpha": ALPHA, "runs": {"cuped": cuped(), "ratio": ratio(), "segments": segments(),
                                "growthbook": growthbook()}}
with open(os.path.join(HERE, "expected_cli12.json"), "w") as f:
    json.dump(clean(OUT), f, indent=1)
    f.write("\n")
