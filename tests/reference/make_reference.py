#!/usr/bin/env python3
"""Reference values for Throughline's statistics, computed with scipy and statsmodels.

    pip install scipy statsmodels pandas numpy
    python3 tests/reference/make_reference.py

Writes small seeded datasets (CSV) next to this script and `expected.json`, which holds for
every case the command-line arguments of `throughline` and the figures its JSON output must
match (tests/cli_reference.rs checks them to 1e-9 relative), plus `distributions.json` for
the distribution functions (tests/engine_distributions.rs). Every figure here comes from a
library routine where one exists (scipy.stats, statsmodels); the delta-method lift and the
sample-size formula, which have none, follow CONTRACT.md literally.
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          proportions_ztest)
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
BANDS = []  # fitted-line bands, written to link_bands.json
rng = np.random.default_rng(4242)


def num(x):
    """A JSON number, or None for an undefined figure."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def write_csv(name, frame):
    frame.to_csv(os.path.join(HERE, name), index=False)


# ---------------------------------------------------------------- datasets

def two_arms():
    n_c, n_t = 900, 1150  # unequal arms
    v = np.array(["control"] * n_c + ["treatment"] * n_t)
    conv = np.concatenate([rng.random(n_c) < 0.11, rng.random(n_t) < 0.135]).astype(int)
    revenue = np.round(np.concatenate([rng.gamma(2.0, 5.0, n_c), rng.gamma(2.1, 5.0, n_t)]) * conv, 2)
    order = rng.permutation(len(v))
    return pd.DataFrame({"user": np.arange(len(v)) + 1, "variant": v[order],
                         "revenue_usd": revenue[order], "converted": conv[order]})


def four_arms():
    sizes = {"control": 1600, "arm_a": 820, "arm_b": 790, "arm_c": 845}
    rates = {"control": 0.20, "arm_a": 0.22, "arm_b": 0.195, "arm_c": 0.25}
    rows = []
    for name, n in sizes.items():
        conv = (rng.random(n) < rates[name]).astype(int)
        minutes = np.round(rng.lognormal(3.0 + (0.05 if name == "arm_c" else 0.0), 0.6, n), 3)
        sessions = rng.poisson(4.0 + (0.3 if name == "arm_a" else 0.0), n).astype(float)
        sessions[rng.random(n) < 0.05] = np.nan  # missing values
        rows.append(pd.DataFrame({"variant": name, "converted": conv,
                                  "minutes": minutes, "sessions": sessions}))
    frame = pd.concat(rows, ignore_index=True)
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


def link_points():
    n = 25
    acc = np.round(rng.uniform(0.80, 0.95, n), 2)  # rounded: ties
    revenue = np.round(2.0 + 30.0 * (acc - 0.85) + rng.normal(0, 0.35, n), 1)  # ties too
    return pd.DataFrame({"experiment": [f"exp{i:02d}" for i in range(n)],
                         "offline_accuracy": acc, "revenue_per_user": revenue})


def link_negative():
    n = 12
    latency = rng.uniform(80, 240, n).round(1)
    retention = (0.62 - 0.0007 * latency + rng.normal(0, 0.02, n)).round(4)
    return pd.DataFrame({"latency_ms": latency, "retention": retention})


def scores(n, decimals):
    label = (rng.random(n) < 0.3).astype(int)
    score = np.clip(rng.normal(0.35 + 0.3 * label, 0.18, n), 0, 1)
    if decimals is not None:
        score = np.round(score, decimals)  # ties
    return pd.DataFrame({"score": score, "is_fraud": label})


# ---------------------------------------------------------------- analyses

def holm(ps):
    ps = np.asarray(ps, dtype=float)
    return multipletests(ps, method="holm")[1]


def analyze(frame, variant_col, control, metrics, alpha=0.05, kind="auto", weights=None):
    names = [control] + sorted(v for v in frame[variant_col].unique() if v != control)
    counts = np.array([int((frame[variant_col] == v).sum()) for v in names], dtype=float)
    if weights is None:
        expected = np.full(len(names), counts.sum() / len(names))
    else:
        w = np.array([weights[v] for v in names], dtype=float)
        expected = counts.sum() * w / w.sum()
    chi2, srm_p = stats.chisquare(counts, f_exp=expected)
    z = stats.norm.isf(alpha / 2)
    out_metrics = []
    for metric in metrics:
        col = frame[metric]
        present = col.dropna()
        binary = present.isin([0, 1]).all() and len(present) > 0
        resolved = "proportion" if (kind == "proportion" or (kind == "auto" and binary)) else "mean"
        vals = {v: frame.loc[frame[variant_col] == v, metric] for v in names}
        variants = []
        for v in names:
            x = vals[v].dropna().to_numpy(dtype=float)
            n = len(x)
            m = x.mean()
            s = x.std(ddof=1)
            if resolved == "mean":
                lo, hi = stats.t.interval(1 - alpha, n - 1, loc=m, scale=s / math.sqrt(n))
            else:
                lo, hi = proportion_confint(int(x.sum()), n, alpha=alpha, method="wilson")
            variants.append({"variant": v, "n": n, "missing": int(vals[v].isna().sum()),
                             "mean": num(m), "std_dev": num(s), "ci_low": num(lo), "ci_high": num(hi)})
        c = vals[control].dropna().to_numpy(dtype=float)
        comps = []
        for v in names[1:]:
            t = vals[v].dropna().to_numpy(dtype=float)
            diff = t.mean() - c.mean()
            if resolved == "mean":
                res = stats.ttest_ind(t, c, equal_var=False)
                ci = res.confidence_interval(confidence_level=1 - alpha)
                stat, p, dof, lo, hi = res.statistic, res.pvalue, res.df, ci.low, ci.high
                vt, vc = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
            else:
                kt, kc = int(t.sum()), int(c.sum())
                stat, p = proportions_ztest([kt, kc], [len(t), len(c)])
                dof = None
                lo, hi = confint_proportions_2indep(kt, len(t), kc, len(c), method="wald",
                                                    compare="diff", alpha=alpha)
                pt, pc = t.mean(), c.mean()
                vt, vc = pt * (1 - pt) / len(t), pc * (1 - pc) / len(c)
            mc, mt = c.mean(), t.mean()
            rel = diff / mc
            rse = math.sqrt(vt / mc**2 + mt**2 * vc / mc**4)
            comps.append({"treatment": v, "diff": num(diff), "diff_ci_low": num(lo),
                          "diff_ci_high": num(hi), "rel_lift": num(rel),
                          "rel_ci_low": num(rel - z * rse), "rel_ci_high": num(rel + z * rse),
                          "statistic": num(stat), "df": num(dof), "p_value": num(p)})
        for comp, ph in zip(comps, holm([c_["p_value"] for c_ in comps])):
            comp["p_value_holm"] = num(ph)
        out_metrics.append({"metric": metric, "kind": resolved, "variants": variants,
                            "comparisons": comps})
    return {"rows": len(frame), "alpha": alpha, "control": control,
            "srm": {"chi2": num(chi2), "p_value": num(srm_p),
                    "counts": {v: int(n) for v, n in zip(names, counts)}},
            "metrics": out_metrics}


def link(frame, x, y, alpha=0.05):
    xs = frame[x].to_numpy(dtype=float)
    ys = frame[y].to_numpy(dtype=float)
    pr = stats.pearsonr(xs, ys)
    ci = pr.confidence_interval(confidence_level=1 - alpha)
    sr = stats.spearmanr(xs, ys)
    fit = sm.OLS(ys, sm.add_constant(xs)).fit()
    lo, hi = fit.conf_int(alpha=alpha)[1]
    # The bands of the scatter plot, at a few x (checked by tests/engine_link_band.rs).
    grid = np.linspace(xs.min() - 0.1 * np.ptp(xs), xs.max() + 0.1 * np.ptp(xs), 5)
    frame = fit.get_prediction(sm.add_constant(grid)).summary_frame(alpha=alpha)
    band = [{"x": float(g), "fit": float(r["mean"]), "mean_low": float(r["mean_ci_lower"]),
             "mean_high": float(r["mean_ci_upper"]), "predict_low": float(r["obs_ci_lower"]),
             "predict_high": float(r["obs_ci_upper"])}
            for g, (_, r) in zip(grid, frame.iterrows())]
    BANDS.append({"x": xs.tolist(), "y": ys.tolist(), "alpha": alpha, "band": band})
    return {"n": len(xs), "pearson_r": num(pr.statistic), "pearson_p": num(pr.pvalue),
            "pearson_ci_low": num(ci.low), "pearson_ci_high": num(ci.high),
            "spearman_rho": num(sr.statistic), "spearman_p": num(sr.pvalue),
            "slope": num(fit.params[1]), "intercept": num(fit.params[0]),
            "slope_se": num(fit.bse[1]), "slope_ci_low": num(lo), "slope_ci_high": num(hi),
            "r_squared": num(fit.rsquared)}


def threshold(frame, score, label, v_tp, v_fp, v_fn, v_tn):
    s = frame[score].to_numpy(dtype=float)
    lab = frame[label].to_numpy().astype(bool)
    points = {}
    for t in np.unique(s):
        flag = s >= t
        tp = int(np.sum(flag & lab)); fp = int(np.sum(flag & ~lab))
        fn = int(np.sum(~flag & lab)); tn = int(np.sum(~flag & ~lab))
        value = tp * v_tp + fp * v_fp + fn * v_fn + tn * v_tn
        precision = tp / (tp + fp)
        recall = tp / (tp + fn)
        f1 = 2 * tp / (2 * tp + fp + fn)
        points[float(t)] = {"threshold": float(t), "value": float(value), "precision": precision,
                            "recall": recall, "f1": f1}
    ordered = [points[t] for t in sorted(points)]
    # Ties: the lowest threshold wins (max() keeps the first maximum in ascending order).
    best_v = max(ordered, key=lambda p: p["value"])
    best_f = max(ordered, key=lambda p: p["f1"])
    return {"best_value_threshold": best_v["threshold"], "best_value": best_v["value"],
            "best_f1_threshold": best_f["threshold"], "best_f1": best_f["f1"],
            "value_at_best_f1": best_f["value"]}, points


def power(baseline=None, std_dev=None, mde=None, relative=False, alpha=0.05, power_=0.8,
          variants=2):
    za = stats.norm.ppf(1 - alpha / 2)
    zb = stats.norm.ppf(power_)
    if std_dev is None:
        p1 = baseline
        p2 = p1 * (1 + mde) if relative else p1 + mde
        n = (za + zb) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1) ** 2
    else:
        d = baseline * mde if relative else mde
        n = 2 * (za + zb) ** 2 * std_dev**2 / d**2
    n = math.ceil(n)
    return {"n_per_variant": n, "total": n * variants}


# ---------------------------------------------------------------- cases

def main():
    cases = {"analyze": [], "link": [], "threshold": [], "power": []}

    ab2 = two_arms()
    write_csv("ab_two_arms.csv", ab2)
    cases["analyze"].append({
        "name": "two unequal arms, mean and proportion",
        "args": ["ab_two_arms.csv", "--variant-col", "variant", "--control", "control",
                 "--metric", "revenue_usd", "--metric", "converted"],
        "expected": analyze(ab2, "variant", "control", ["revenue_usd", "converted"])})

    ab4 = four_arms()
    write_csv("ab_four_arms.csv", ab4)
    weights = {"control": 0.4, "arm_a": 0.2, "arm_b": 0.2, "arm_c": 0.2}
    b_expected = analyze(ab4, "variant", "control", ["converted", "minutes", "sessions"],
                         alpha=0.01, weights=weights)
    cases["analyze"].append({
        "name": "four arms, alpha 0.01, weighted SRM, missing values",
        "args": ["ab_four_arms.csv", "--variant-col", "variant", "--control", "control",
                 "--metric", "converted", "--metric", "minutes", "--metric", "sessions",
                 "--alpha", "0.01", "--weights", "control=0.4,arm_a=0.2,arm_b=0.2,arm_c=0.2"],
        "expected": b_expected})
    cases["analyze"].append({
        "name": "four arms, every metric as a mean, other control, alpha 0.1",
        "args": ["ab_four_arms.csv", "--variant-col", "variant", "--control", "arm_b",
                 "--metric", "converted", "--metric", "minutes", "--kind", "mean",
                 "--alpha", "0.1"],
        "expected": analyze(ab4, "variant", "arm_b", ["converted", "minutes"], alpha=0.1,
                            kind="mean")})

    # The same experiment as summary statistics, in both forms.
    groups = ab4.groupby("variant")
    summary = pd.DataFrame({
        "variant": list(groups.groups.keys()),
        "n": groups.size().to_numpy(),
        "converted_n": groups["converted"].count().to_numpy(),
        "converted_mean": groups["converted"].mean().to_numpy(),
        "converted_std": groups["converted"].std(ddof=1).to_numpy(),
        "minutes_n": groups["minutes"].count().to_numpy(),
        "minutes_mean": groups["minutes"].mean().to_numpy(),
        "minutes_std": groups["minutes"].std(ddof=1).to_numpy(),
        "sessions_n": groups["sessions"].count().to_numpy(),
        "sessions_sum": groups["sessions"].sum().to_numpy(),
        "sessions_sum_sq": groups["sessions"].apply(lambda s: float((s.dropna() ** 2).sum())).to_numpy(),
    })
    with open(os.path.join(HERE, "ab_four_arms_summary.csv"), "w") as f:
        f.write(summary.to_csv(index=False, float_format="%.17g"))
    # The shape the Data page's warehouse SQL produces: n, then <metric>_n, _mean, _std_dev.
    warehouse = pd.DataFrame({"variant": list(groups.groups.keys()), "n": groups.size().to_numpy()})
    for metric in ("converted", "minutes", "sessions"):
        warehouse[f"{metric}_n"] = groups[metric].count().to_numpy()
        warehouse[f"{metric}_mean"] = groups[metric].mean().to_numpy()
        warehouse[f"{metric}_std_dev"] = groups[metric].std(ddof=1).to_numpy()
    with open(os.path.join(HERE, "ab_four_arms_warehouse.csv"), "w") as f:
        f.write(warehouse.to_csv(index=False, float_format="%.17g"))
    cases["analyze"].append({
        "name": "warehouse summary of the four-arm experiment",
        "args": ["ab_four_arms_warehouse.csv", "--variant-col", "variant", "--control",
                 "control", "--metric", "converted", "--metric", "minutes", "--metric",
                 "sessions", "--alpha", "0.01", "--weights",
                 "control=0.4,arm_a=0.2,arm_b=0.2,arm_c=0.2"],
        "expected": b_expected})
    # Missing values show as n minus the metric's own count (the warehouse SQL's shape).
    summary_expected = b_expected
    cases["analyze"].append({
        "name": "summary statistics of the four-arm experiment",
        "args": ["ab_four_arms_summary.csv", "--variant-col", "variant", "--control", "control",
                 "--metric", "converted", "--metric", "minutes", "--metric", "sessions",
                 "--alpha", "0.01", "--weights", "control=0.4,arm_a=0.2,arm_b=0.2,arm_c=0.2"],
        "expected": summary_expected})

    lp = link_points()
    write_csv("link_points.csv", lp)
    cases["link"].append({
        "name": "25 experiments with ties",
        "args": ["link_points.csv", "--x", "offline_accuracy", "--y", "revenue_per_user"],
        "expected": link(lp, "offline_accuracy", "revenue_per_user")})
    cases["link"].append({
        "name": "25 experiments with ties, alpha 0.1",
        "args": ["link_points.csv", "--x", "offline_accuracy", "--y", "revenue_per_user",
                 "--alpha", "0.1"],
        "expected": link(lp, "offline_accuracy", "revenue_per_user", alpha=0.1)})
    ln = link_negative()
    write_csv("link_negative.csv", ln)
    cases["link"].append({
        "name": "12 points, negative link",
        "args": ["link_negative.csv", "--x", "latency_ms", "--y", "retention"],
        "expected": link(ln, "latency_ms", "retention")})

    for name, n, decimals, values in (("threshold_ties.csv", 500, 2, (40, -5, -20, 0)),
                                       ("threshold_many.csv", 3000, None, (25, -3, -12, 0.5))):
        frame = scores(n, decimals)
        write_csv(name, frame)
        expected, points = threshold(frame, "score", "is_fraud", *values)
        cases["threshold"].append({
            "name": f"{n} scores" + (" with ties" if decimals else ", all distinct"),
            "args": [name, "--score", "score", "--label", "is_fraud",
                     "--value-tp", str(values[0]), "--value-fp", str(values[1]),
                     "--value-fn", str(values[2]), "--value-tn", str(values[3])],
            "expected": expected,
            "curve_points": len(points),
            # Points of the curve to check: all of them for the small case, every 60th
            # threshold for the large one (whose curve is down-sampled to 1000 points).
            "points": [points[t] for t in sorted(points)][::1 if len(points) <= 1000 else 60]})

    for kwargs, args in (
        ({"baseline": 0.1, "mde": 0.02}, ["--baseline", "0.1", "--mde", "0.02"]),
        ({"baseline": 0.1, "mde": 0.05, "relative": True},
         ["--baseline", "0.1", "--mde", "0.05", "--relative"]),
        ({"baseline": 0.3, "mde": -0.03, "alpha": 0.01, "power_": 0.9, "variants": 4},
         ["--baseline", "0.3", "--mde=-0.03", "--alpha", "0.01", "--power", "0.9",
          "--variants", "4"]),
        ({"std_dev": 4.5, "mde": 0.25}, ["--std-dev", "4.5", "--mde", "0.25"]),
        ({"std_dev": 4.5, "baseline": 12.0, "mde": 0.02, "relative": True, "variants": 3},
         ["--std-dev", "4.5", "--baseline", "12", "--mde", "0.02", "--relative",
          "--variants", "3"]),
        ({"std_dev": 1.0, "mde": 0.1, "alpha": 0.1, "power_": 0.95},
         ["--std-dev", "1", "--mde", "0.1", "--alpha", "0.1", "--power", "0.95"]),
    ):
        cases["power"].append({"name": " ".join(args), "args": args, "expected": power(**kwargs)})

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "link_bands.json"), "w") as f:
        json.dump(BANDS, f, indent=1)
        f.write("\n")

    distributions()


def distributions():
    dfs = [1, 1.5, 2, 2.5, 3, 4.7, 7.3, 10, 30, 118.7, 1000, 11900.5, 1e5, 1e6, 4e6, 1e8]
    ts = [0.001, 0.01, 0.5, 1, 1.5, 1.7, 1.75, 1.96, 2.5, 4, 8, 20, 60]
    alphas = [0.5, 0.2, 0.1, 0.05, 0.01, 0.001, 1e-6, 1e-10]
    out = {"t_p": [], "t_q": [], "z_q": [], "z_p": [], "chi2": []}
    for df in dfs:
        for t in ts:
            out["t_p"].append([t, df, float(2 * stats.t.sf(t, df))])
        for a in alphas:
            out["t_q"].append([a, df, float(stats.t.isf(a / 2, df))])
    for a in alphas:
        out["z_q"].append([a, float(stats.norm.isf(a / 2))])
    for z in [0, 0.01, 0.5, 1, 1.96, 3, 5, 8, 12, 20, 30]:
        out["z_p"].append([z, float(2 * stats.norm.sf(z))])
    for k in [1, 2, 3, 4, 5, 9]:
        for x in [0.001, 0.1, 1, 3.3, 10, 30, 80, 200, 700]:
            out["chi2"].append([x, k, float(stats.chi2.sf(x, k))])
    with open(os.path.join(HERE, "distributions.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
