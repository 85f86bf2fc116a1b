#!/usr/bin/env python3
"""Reference values for the second-wave statistics (CUPED, ratio metrics, segments, decision
figures, York fit, DerSimonian-Laird meta-analysis, discounting), from scipy/statsmodels/numpy.

    pip install scipy statsmodels pandas numpy
    python3 tests/reference/make_reference_wave2.py

Writes small seeded datasets (wave2_*.csv) next to this script and `expected_wave2.json`, whose
figures tests/stats_wave2.rs checks to 1e-9 relative through the public functions of
src/analysis (cuped, ratio, segments, decision, york, meta, npv). Library routines are used where
they exist (scipy.stats Welch tests and quantiles, statsmodels' proportions_ztest, multipletests
and combine_effects); CUPED, the delta-method ratio, the decision figures, discounting and the
York iteration have none and follow CONTRACT.md literally. The York fit is written here from the
paper (York et al. 2004, section 3, steps 1-10, uncorrelated errors) independently of the Rust
code, and checked against the paper's published Pearson/York result.
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261128)
ALPHA = 0.05
OUT = {}


def num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def write_csv(name, frame):
    frame.to_csv(os.path.join(HERE, name), index=False, float_format="%.17g")


def z2(alpha):
    return stats.norm.isf(alpha / 2)


def delta_rel(mean_t, mean_c, v_t, v_c):
    return math.sqrt(v_t / mean_c ** 2 + mean_t ** 2 * v_c / mean_c ** 4)


def welch(t, c, alpha):
    """Welch comparison of two samples as CONTRACT.md defines it (scipy for the test)."""
    res = stats.ttest_ind(t, c, equal_var=False)
    vt, vc = np.var(t, ddof=1) / len(t), np.var(c, ddof=1) / len(c)
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (len(t) - 1) + vc ** 2 / (len(c) - 1))
    diff = np.mean(t) - np.mean(c)
    q = stats.t.isf(alpha / 2, df)
    mean_c = np.mean(c)
    rel = diff / mean_c
    se_rel = delta_rel(np.mean(t), mean_c, vt, vc)
    return {"diff": diff, "diff_ci_low": diff - q * se, "diff_ci_high": diff + q * se,
            "statistic": res.statistic, "df": df, "p_value": res.pvalue,
            "rel_lift": rel, "rel_ci_low": rel - z2(alpha) * se_rel,
            "rel_ci_high": rel + z2(alpha) * se_rel, "se_diff": se}


# ------------------------------------------------------------ GrowthBook case (issue 12)

def growthbook():
    nc, mc, sc = 3407, 0.41, 3.9
    nt, mt, st = 3461, 0.70, 6.2
    res = stats.ttest_ind_from_stats(mt, st, nt, mc, sc, nc, equal_var=False)
    vt, vc = st ** 2 / nt, sc ** 2 / nc
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
    diff = mt - mc
    q = stats.t.isf(ALPHA / 2, df)
    rel = diff / mc
    se_rel = delta_rel(mt, mc, vt, vc)
    z = z2(ALPHA)
    zb = stats.norm.ppf(0.8)
    d = diff
    OUT["growthbook"] = {
        "control": {"n": nc, "mean": mc, "std_dev": sc},
        "treatment": {"n": nt, "mean": mt, "std_dev": st},
        "alpha": ALPHA,
        "expected": {
            "diff": diff, "diff_ci_low": diff - q * se, "diff_ci_high": diff + q * se,
            "statistic": res.statistic, "df": df, "p_value": res.pvalue,
            "rel_lift": rel, "rel_ci_low": rel - z * se_rel, "rel_ci_high": rel + z * se_rel,
            "se_diff": se, "se_rel": se_rel,
            "rel_p_value": 2 * stats.norm.sf(abs(rel / se_rel)),
            "mde": (z + zb) * se, "mde_rel": (z + zb) * se / abs(mc),
            "chance_to_win": stats.norm.cdf(d / se),
            "expected_loss": se * stats.norm.pdf(d / se) - d * stats.norm.cdf(-d / se),
        },
    }


# ------------------------------------------------------------ decision figures

def decision_figures():
    cases = []
    for diff, se, mean_c, alpha, lower in [
        (0.8, 0.5, 10.0, 0.05, False),
        (-0.3, 0.2, 4.0, 0.01, False),
        (-0.3, 0.2, 4.0, 0.10, True),
        (0.02, 0.01, -0.5, 0.05, False),
        (5.0, 0.4, 100.0, 0.005, True),
    ]:
        d = -diff if lower else diff
        z, zb = z2(alpha), stats.norm.ppf(0.8)
        cases.append({
            "diff": diff, "se_diff": se, "mean_c": mean_c, "alpha": alpha,
            "lower_is_better": lower,
            "mde": (z + zb) * se, "mde_rel": (z + zb) * se / abs(mean_c),
            "chance_to_win": stats.norm.cdf(d / se),
            "expected_loss": se * stats.norm.pdf(d / se) - d * stats.norm.cdf(-d / se),
            "rel_p_value": 2 * stats.norm.sf(abs((diff / mean_c) / (se / abs(mean_c)))),
            "rel_lift": diff / mean_c, "se_rel": se / abs(mean_c),
        })
    OUT["decision_figures"] = cases


# ------------------------------------------------------------ CUPED

def cuped_data():
    sizes = {"control": 1500, "arm_a": 1400, "arm_b": 1450}
    lifts = {"control": 0.0, "arm_a": 0.6, "arm_b": 0.2}
    frames = []
    for v, n in sizes.items():
        pre = rng.gamma(2.0, 5.0, n)
        revenue = 0.7 * pre + rng.normal(3.0 + lifts[v], 4.0, n)
        pre_sessions = rng.poisson(5.0, n).astype(float)
        p = 1 / (1 + np.exp(-(-2.0 + 0.25 * pre_sessions + (0.2 if v == "arm_a" else 0.0))))
        converted = (rng.random(n) < p).astype(float)
        pre = np.where(rng.random(n) < 0.05, np.nan, pre)            # covariate missing
        revenue = np.where(rng.random(n) < 0.02, np.nan, revenue)    # metric missing
        pre_sessions = np.where(rng.random(n) < 0.03, np.nan, pre_sessions)
        frames.append(pd.DataFrame({"variant": v, "revenue": np.round(revenue, 4),
                                    "pre_revenue": np.round(pre, 4), "converted": converted,
                                    "pre_sessions": pre_sessions}))
    frame = pd.concat(frames, ignore_index=True)
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


def cuped_case(frame, metric, covariate, names):
    y = frame[metric].to_numpy(float)
    x = frame[covariate].to_numpy(float)
    both = ~np.isnan(y) & ~np.isnan(x)
    theta = np.cov(y[both], x[both], ddof=1)[0, 1] / np.var(x[both], ddof=1)
    x_mean = np.mean(x[both])
    x_imputed = np.where(np.isnan(x), x_mean, x)
    y_adj = y - theta * (x_imputed - x_mean)
    variants = []
    arrays = {}
    num_adj = den_raw = 0.0
    for v in names:
        sel = (frame["variant"] == v).to_numpy() & ~np.isnan(y)
        ya, yr = y_adj[sel], y[sel]
        arrays[v] = ya
        num_adj += (len(ya) - 1) * np.var(ya, ddof=1)
        den_raw += (len(yr) - 1) * np.var(yr, ddof=1)
        variants.append({"variant": v, "n": int(len(ya)), "mean": np.mean(ya),
                         "std_dev": np.std(ya, ddof=1),
                         "unadjusted_mean": np.mean(yr), "unadjusted_std_dev": np.std(yr, ddof=1),
                         "covariate_missing": int(np.sum(sel & np.isnan(x)))})
    comps = []
    for v in names[1:]:
        w = welch(arrays[v], arrays[names[0]], ALPHA)
        w.pop("se_diff")
        comps.append({"treatment": v, **w})
    return {"metric": metric, "covariate": covariate, "theta": theta,
            "covariate_mean": x_mean,
            "variance_reduction": 1 - num_adj / den_raw,
            "covariate_missing": int(np.sum(~np.isnan(y) & np.isnan(x))),
            "variants": variants, "comparisons": comps}


def cuped():
    frame = cuped_data()
    write_csv("wave2_cuped.csv", frame)
    names = ["control", "arm_a", "arm_b"]
    OUT["cuped"] = {"file": "wave2_cuped.csv", "control": "control", "variants": names,
                    "alpha": ALPHA,
                    "cases": [cuped_case(frame, "revenue", "pre_revenue", names),
                              cuped_case(frame, "converted", "pre_sessions", names)]}


# ------------------------------------------------------------ ratio metrics

def ratio():
    sizes = {"control": 1200, "t1": 1100, "t2": 1250}
    rows = []
    for v, n in sizes.items():
        sessions = rng.poisson(3.0 + (0.4 if v == "t2" else 0.0), n).astype(float) + 1
        per = 2.0 + (0.25 if v == "t1" else 0.0)
        revenue = np.round(rng.gamma(sessions * per, 1.0), 3)
        revenue = np.where(rng.random(n) < 0.03, np.nan, revenue)
        sessions = np.where(rng.random(n) < 0.02, np.nan, sessions)
        rows.append(pd.DataFrame({"variant": v, "revenue": revenue, "sessions": sessions}))
    frame = pd.concat(rows, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    write_csv("wave2_ratio.csv", frame)
    names = ["control", "t1", "t2"]
    z = z2(ALPHA)
    per_variant = {}
    variants = []
    summary = []
    for v in names:
        sel = frame[frame["variant"] == v]
        ok = sel["revenue"].notna() & sel["sessions"].notna()
        N = sel.loc[ok, "revenue"].to_numpy(float)
        D = sel.loc[ok, "sessions"].to_numpy(float)
        n = len(N)
        R = N.sum() / D.sum()
        cov = np.cov(N, D, ddof=1)
        var = (cov[0, 0] - 2 * R * cov[0, 1] + R ** 2 * cov[1, 1]) / (n * D.mean() ** 2)
        per_variant[v] = (R, var)
        variants.append({"variant": v, "n": n, "missing": int((~ok).sum()), "mean": R,
                         "std_dev": math.sqrt(n * var), "var_ratio": var,
                         "ci_low": R - z * math.sqrt(var), "ci_high": R + z * math.sqrt(var)})
        summary.append({"variant": v, "n": n, "missing": int((~ok).sum()),
                        "mean_num": N.mean(), "mean_den": D.mean(), "var_num": cov[0, 0],
                        "var_den": cov[1, 1], "cov": cov[0, 1]})
    comps = []
    rc, vc = per_variant["control"]
    for v in names[1:]:
        rt, vt = per_variant[v]
        diff = rt - rc
        se = math.sqrt(vt + vc)
        zs = diff / se
        rel = diff / rc
        se_rel = delta_rel(rt, rc, vt, vc)
        comps.append({"treatment": v, "diff": diff, "se_diff": se, "statistic": zs,
                      "p_value": 2 * stats.norm.sf(abs(zs)),
                      "diff_ci_low": diff - z * se, "diff_ci_high": diff + z * se,
                      "rel_lift": rel, "se_rel": se_rel,
                      "rel_ci_low": rel - z * se_rel, "rel_ci_high": rel + z * se_rel,
                      "rel_p_value": 2 * stats.norm.sf(abs(rel / se_rel))})
    holm = multipletests([c["p_value"] for c in comps], method="holm")[1]
    for c, h in zip(comps, holm):
        c["p_value_holm"] = h
    OUT["ratio"] = {"file": "wave2_ratio.csv", "metric": "revenue_per_session",
                    "numerator": "revenue", "denominator": "sessions", "control": "control",
                    "variants_order": names, "alpha": ALPHA, "summary": summary,
                    "expected": {"variants": variants, "comparisons": comps}}


# ------------------------------------------------------------ segments

def segments():
    countries = {"BR": 900, "US": 820, "DE": 610, "FR": 540, "IN": 470, "GB": 400, "MX": 330,
                 "JP": 260, "IT": 200, "ES": 150, "PL": 60, "NL": 40, "SE": 20}
    effect = {"BR": 1.5}
    rows = []
    for c, n in countries.items():
        variant = np.where(rng.random(n) < 0.5, "control", "treatment")
        lift = np.where(variant == "treatment", effect.get(c, 0.2), 0.0)
        revenue = np.round(rng.normal(10.0 + lift, 3.0, n), 3)
        p = np.where(variant == "treatment", 0.22 if c == "BR" else 0.2, 0.2)
        converted = (rng.random(n) < p).astype(int)
        rows.append(pd.DataFrame({"country": c, "variant": variant, "revenue": revenue,
                                  "converted": converted}))
    frame = pd.concat(rows, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    write_csv("wave2_segments.csv", frame)
    K = 10
    counts = frame["country"].value_counts()
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = [k for k, _ in order[:K]]
    label = frame["country"].where(frame["country"].isin(kept), "other")
    labels = kept + ["other"]
    z = z2(ALPHA)
    metrics = []
    for metric, kind in [("revenue", "mean"), ("converted", "proportion")]:
        out_rows, effects, ses = [], [], []
        for seg in labels:
            sub = frame[label == seg]
            c = sub.loc[sub["variant"] == "control", metric].to_numpy(float)
            t = sub.loc[sub["variant"] == "treatment", metric].to_numpy(float)
            if kind == "mean":
                w = welch(t, c, ALPHA)
                row = {k: w[k] for k in ["diff", "diff_ci_low", "diff_ci_high", "rel_lift",
                                         "p_value"]}
                se = w["se_diff"]
            else:
                pt, pc = t.mean(), c.mean()
                stat, p = proportions_ztest([t.sum(), c.sum()], [len(t), len(c)])
                se = math.sqrt(pt * (1 - pt) / len(t) + pc * (1 - pc) / len(c))
                diff = pt - pc
                row = {"diff": diff, "diff_ci_low": diff - z * se, "diff_ci_high": diff + z * se,
                       "rel_lift": diff / pc, "p_value": p}
            out_rows.append({"segment": seg, "n_control": len(c), "n_treatment": len(t), **row})
            effects.append(row["diff"])
            ses.append(se)
        holm = multipletests([r["p_value"] for r in out_rows], method="holm")[1]
        for r, h in zip(out_rows, holm):
            r["p_value_holm"] = h
        res = combine_effects(np.array(effects), np.array(ses) ** 2, method_re="dl")
        k = len(effects)
        metrics.append({"metric": metric, "kind": kind, "treatment": "treatment",
                        "q": res.q, "q_p_value": stats.chi2.sf(res.q, k - 1),
                        "i_squared": max(0.0, (res.q - (k - 1)) / res.q),
                        "i_squared_statsmodels": res.i2, "rows": out_rows})
    OUT["segments"] = {"file": "wave2_segments.csv", "column": "country", "max_segments": K,
                       "control": "control", "alpha": ALPHA, "labels": labels,
                       "counts": {k: int(v) for k, v in counts.items()}, "metrics": metrics}


# ------------------------------------------------------------ York (2004), from the paper

def york(X, Y, sx, sy, alpha=ALPHA):
    """York et al. (2004), section 3, with r_i = 0. omega = 1/sigma^2 as in the paper; the
    weight is written 1/(sigma_y^2 + b^2 sigma_x^2), the same quantity, so that a zero sigma in
    one coordinate (omega infinite) needs no special case."""
    X, Y, sx, sy = map(lambda a: np.asarray(a, float), (X, Y, sx, sy))
    n = len(X)
    b = np.polyfit(X, Y, 1)[0]                                   # step 1: OLS start
    ols = b
    for it in range(1000):
        W = 1.0 / (sy ** 2 + b ** 2 * sx ** 2)                   # step 3
        Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)  # step 4
        U, V = X - Xbar, Y - Ybar
        beta = W * (U * sy ** 2 + b * V * sx ** 2)
        b_new = np.sum(W * beta * V) / np.sum(W * beta * U)      # step 5
        done = abs(b_new - b) <= 1e-15 * abs(b_new)
        b = b_new
        if done:
            break
    W = 1.0 / (sy ** 2 + b ** 2 * sx ** 2)
    Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)
    U, V = X - Xbar, Y - Ybar
    beta = W * (U * sy ** 2 + b * V * sx ** 2)
    a = Ybar - b * Xbar                                          # step 7
    x = Xbar + beta                                              # step 8
    xbar = np.sum(W * x) / np.sum(W)                             # step 9
    u = x - xbar
    sigma_b = math.sqrt(1.0 / np.sum(W * u ** 2))                # step 10
    S = np.sum(W * (Y - b * X - a) ** 2)
    mswd = S / (n - 2)
    se = sigma_b * math.sqrt(max(1.0, mswd))
    q = stats.t.isf(alpha / 2, n - 2)
    return {"n": n, "slope": b, "intercept": a, "slope_se": se, "slope_ci_low": b - q * se,
            "slope_ci_high": b + q * se, "mswd": mswd, "ols_slope": ols,
            "reliability_x": 1 - np.mean(sx ** 2) / np.var(X, ddof=1),
            "sigma_b": sigma_b, "sigma_a": math.sqrt(1 / np.sum(W) + xbar ** 2 * sigma_b ** 2)}


def york_cases():
    cases = []
    # Pearson's data with York's weights (York 1966; York et al. 2004, table I).
    X = [0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4]
    Y = [5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5]
    wX = np.array([1000, 1000, 500, 800, 200, 80, 60, 20, 1.8, 1.0])
    wY = np.array([1, 1.8, 4, 8, 20, 20, 70, 70, 100, 500.0])
    sx, sy = 1 / np.sqrt(wX), 1 / np.sqrt(wY)
    fit = york(X, Y, sx, sy)
    # Published (York et al. 2004): b = -0.4805, a = 5.4799, sigma_b = 0.0580, sigma_a = 0.2950.
    assert abs(fit["slope"] + 0.480533) < 1e-6, fit
    assert abs(fit["intercept"] - 5.479910) < 1e-6, fit
    assert abs(fit["sigma_b"] - 0.057985) < 1e-6, fit
    assert abs(fit["sigma_a"] - 0.2950) < 1e-4, fit
    cases.append({"name": "pearson_york", "x": X, "y": Y, "x_se": list(sx), "y_se": list(sy),
                  "expected": fit})
    # 30 simulated experiments whose ML changes are about as large as their standard errors.
    n = 30
    true_x = rng.normal(0.0, 0.01, n)
    sx = rng.uniform(0.006, 0.012, n)
    sy = rng.uniform(0.02, 0.04, n)
    xm = true_x + rng.normal(0, sx)
    ym = 4.0 * true_x + 0.01 + rng.normal(0, sy)
    cases.append({"name": "noisy_experiments", "x": list(xm), "y": list(ym), "x_se": list(sx),
                  "y_se": list(sy), "expected": york(xm, ym, sx, sy)})
    # Only y has standard errors (x-SE column absent: zeros).
    n = 12
    xs = np.round(rng.uniform(0.8, 0.95, n), 3)
    sy = rng.uniform(0.1, 0.4, n)
    ys = 2.0 + 30.0 * (xs - 0.85) + rng.normal(0, sy)
    cases.append({"name": "y_se_only", "x": list(xs), "y": list(ys), "x_se": None,
                  "y_se": list(sy), "expected": york(xs, ys, np.zeros(n), sy)})
    for c in cases:
        c["expected"].pop("sigma_b")
        c["expected"].pop("sigma_a")
    OUT["york"] = {"alpha": ALPHA, "cases": cases}
    pd.DataFrame({"experiment": [f"exp{i:02d}" for i in range(30)],
                  "ml_change": cases[1]["x"], "ml_change_se": cases[1]["x_se"],
                  "business_change": cases[1]["y"], "business_change_se": cases[1]["y_se"]}
                 ).pipe(lambda f: write_csv("wave2_link_se.csv", f))


# ------------------------------------------------------------ meta-analysis

def meta_case(name, effects, ses, alpha):
    with np.errstate(invalid="ignore"):
        res = combine_effects(np.asarray(effects), np.asarray(ses) ** 2, method_re="dl",
                              alpha=alpha)
    k = len(effects)
    if res.tau2 > 0:
        pooled, pooled_se, tau2 = res.mean_effect_re, res.sd_eff_w_re, res.tau2
        lo, hi = res.conf_int(alpha=alpha)[1]
    else:
        # statsmodels leaves the DerSimonian-Laird tau2 negative here; CONTRACT.md truncates it
        # at zero, where the random-effects pooling is the fixed-effect one.
        pooled, pooled_se, tau2 = res.mean_effect_fe, res.sd_eff_w_fe, 0.0
        lo, hi = res.conf_int(alpha=alpha)[0]
    shr = [pooled + tau2 / (tau2 + s ** 2) * (e - pooled) for e, s in zip(effects, ses)]
    return {"name": name, "alpha": alpha, "effects": list(effects), "ses": list(ses),
            "labels": [f"exp{i:02d}" for i in range(k)],
            "expected": {"k": k, "fixed": res.mean_effect_fe, "pooled": pooled,
                         "pooled_se": pooled_se, "ci_low": lo, "ci_high": hi, "tau2": tau2,
                         "q": res.q, "q_p_value": stats.chi2.sf(res.q, k - 1),
                         "i_squared": max(0.0, (res.q - (k - 1)) / res.q),
                         "shrunken": shr}}


def meta():
    k = 18
    true = rng.normal(0.05, 0.08, k)
    ses = rng.uniform(0.03, 0.12, k)
    effects = true + rng.normal(0, ses)
    homogeneous_ses = rng.uniform(0.05, 0.1, 8)
    homogeneous = 0.1 + rng.normal(0, homogeneous_ses) * 0.3
    OUT["meta"] = [meta_case("past_experiments", effects, ses, 0.05),
                   meta_case("homogeneous", homogeneous, homogeneous_ses, 0.1)]
    write_csv("wave2_meta.csv", pd.DataFrame({"experiment": OUT["meta"][0]["labels"],
                                              "effect": effects, "se": ses}))


# ------------------------------------------------------------ discounting

def npv_cases():
    months = 36
    t = np.arange(1, months + 1)
    ramp = np.clip((t - 3) / 6, 0, 1)
    values = np.round(12000 * ramp, 2)
    costs = np.where(t <= 3, 40000.0, 1500.0)
    cases = []
    for rate in [0.0, 0.08, 0.25, -0.5, 3.0]:
        rm = (1 + rate) ** (1 / 12) - 1
        disc = (values - costs) / (1 + rm) ** t
        cum = np.cumsum(disc)
        paid = np.nonzero(cum >= 0)[0]
        cases.append({"annual_rate": rate, "monthly_rate": rm, "npv": float(disc.sum()),
                      "discounted_payback_month": int(paid[0] + 1) if len(paid) else None,
                      "final_cumulative_net": float(cum[-1])})
    OUT["npv"] = {"values": list(values), "costs": list(costs), "cases": cases}


growthbook()
decision_figures()
cuped()
ratio()
segments()
york_cases()
meta()
npv_cases()


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


with open(os.path.join(HERE, "expected_wave2.json"), "w") as f:
    json.dump(clean(OUT), f, indent=1)
    f.write("\n")
