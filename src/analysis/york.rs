//! The noise-aware line through measured effects: York et al. (2004), "Unified equations for the
//! slope, intercept, and standard errors of the best straight line", uncorrelated errors
//! (CONTRACT.md, `throughline link --x-se COL --y-se COL`).
//!
//! Computes, from points (Xᵢ, Yᵢ) with standard errors σxᵢ, σyᵢ (a missing SE column counts as
//! zeros; every point needs σx > 0 or σy > 0): starting from the ordinary least-squares slope,
//! Wᵢ = 1/(σyᵢ² + b²σxᵢ²), X̄ = ΣWX/ΣW, Ȳ = ΣWY/ΣW, Uᵢ = Xᵢ − X̄, Vᵢ = Yᵢ − Ȳ,
//! βᵢ = Wᵢ(Uᵢσyᵢ² + bVᵢσxᵢ²), b = ΣWβV/ΣWβU, repeated until |Δb| ≤ 10⁻¹⁵·|b| (at most 1000
//! iterations, else a warning). Then, with W, X̄, Ȳ and β evaluated at the final b:
//! a = Ȳ − bX̄; xᵢ = X̄ + βᵢ, x̄ = ΣWx/ΣW, σ_b² = 1/ΣW(x − x̄)², S = ΣW(Y − bX − a)²,
//! mswd = S/(n − 2), slope_se = σ_b·√max(1, mswd), CI = b ± t(1−α/2, n−2)·slope_se.
//!
//! JSON keys served (link result when SE columns are given): `method` = "york", `slope`,
//! `intercept`, `slope_se`, `slope_ci_low`, `slope_ci_high`, `mswd`, `ols_slope`,
//! `reliability_x` = 1 − mean(σx²)/var(X) (sample variance), and the warnings (reliability below
//! 0.8: the plain fit understates the slope by about that share; no convergence).
//! Wiring: call [`york_fit`] with the x, y columns and the SE columns (`None` for an absent one).
//!
//! Bad input: fewer than 3 usable points, a negative or zero-in-both standard error, an SE that is
//! not a finite number, or X constant are errors naming the point (1-based row in the input).
//! Pairs whose x or y is missing (NaN/inf) are left out with a warning, as in the plain link.

use serde::{Deserialize, Serialize};

use super::AnalysisError;
use super::dist;
use crate::analysis::experiment::check_alpha;

/// Largest number of iterations before giving up with a warning.
pub const YORK_MAX_ITERATIONS: usize = 1000;

/// Relative change of the slope below which the iteration has converged.
pub const YORK_TOLERANCE: f64 = 1e-15;

/// The York fit and what goes with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct YorkFit {
    /// "york".
    pub method: String,
    /// Points used.
    pub n: u64,
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    /// σ_b·√max(1, mswd).
    pub slope_se: Option<f64>,
    pub slope_ci_low: Option<f64>,
    pub slope_ci_high: Option<f64>,
    /// Mean square of weighted deviates, S/(n − 2).
    pub mswd: Option<f64>,
    /// The ordinary least-squares slope of y on x.
    pub ols_slope: Option<f64>,
    /// 1 − mean(σx²)/var(X): the share of the spread of X that is not measurement noise.
    pub reliability_x: Option<f64>,
    /// Iterations the slope needed.
    pub iterations: u32,
    /// Whether |Δb| ≤ 10⁻¹⁵·|b| was reached within the limit.
    pub converged: bool,
    pub warnings: Vec<String>,
    /// The link's verdict told with this slope (set by the caller that knows the metrics'
    /// names; empty otherwise).
    pub verdict: String,
}

/// Fits the York line through (x, y) with standard errors `x_se`, `y_se` (`None`: zeros).
pub fn york_fit(
    x: &[f64],
    y: &[f64],
    x_se: Option<&[f64]>,
    y_se: Option<&[f64]>,
    alpha: f64,
) -> Result<YorkFit, AnalysisError> {
    check_alpha(alpha)?;
    check_lengths(x, y, x_se, y_se)?;
    let (points, mut warnings) = usable_points(x, y, x_se, y_se)?;
    let n = points.xs.len();
    let nf = n as f64;

    // Ordinary least squares: the start, and `ols_slope`.
    let (xs, ys) = (&points.xs, &points.ys);
    let mean_x = mean(xs);
    let mean_y = mean(ys);
    let sxx: f64 = xs.iter().map(|v| (v - mean_x).powi(2)).sum();
    let sxy: f64 = xs
        .iter()
        .zip(ys)
        .map(|(a, b)| (a - mean_x) * (b - mean_y))
        .sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return Err(AnalysisError::BadInput(
            "x has the same value at every point, so no line can be fitted".to_owned(),
        ));
    }
    let ols = sxy / sxx;
    let var_x = sxx / (nf - 1.0);
    let reliability = 1.0 - mean(&points.vx) / var_x;

    let (b, iterations, converged) = iterate_slope(&points, ols)?;
    if !converged {
        warnings.push(format!(
            "The noise-aware (York) slope did not settle within {YORK_MAX_ITERATIONS} \
             iterations; the last value is shown."
        ));
    }
    let mut fit = final_fit(&points, b, alpha, &mut warnings);
    fit.ols_slope = finite(ols);
    fit.reliability_x = finite(reliability);
    fit.iterations = iterations;
    fit.converged = converged;
    if reliability < 0.8 {
        let share = (1.0 - reliability.max(0.0)) * 100.0;
        warnings.push(format!(
            "The reliability of x is {}: much of the spread in x is measurement noise, so the \
             plain least-squares slope ({}) understates the real slope by about {}%. The \
             noise-aware slope corrects for this.",
            crate::format::number(reliability),
            crate::format::number(ols),
            crate::format::sig(share.min(100.0), 2)
        ));
    }
    fit.warnings = warnings;
    Ok(fit)
}

/// The link's verdict told with the York slope: how strongly the two metrics move together
/// (Pearson's r, without its interval), the slope per `x_step` of x with the York interval
/// (when a step is given), and whether chance explains it judged on that same interval, so
/// that no sentence quotes one test and concludes with another; then the plain slope.
pub fn york_verdict(
    plain: &crate::analysis::LinkResult,
    york: &YorkFit,
    x: &str,
    y: &str,
    x_step: Option<f64>,
    alpha: f64,
) -> String {
    use crate::analysis::verdict::{LinkFacts, link_verdict};
    let ci = crate::format::confidence_level(alpha);
    let slope_ci = york.slope_ci_low.zip(york.slope_ci_high);
    let mut text = link_verdict(&LinkFacts {
        x,
        y,
        n: york.n,
        r: plain.pearson_r,
        r_ci: None,
        p: None,
        slope: york.slope,
        slope_ci,
        x_step,
        alpha,
    });
    if york.n < 3 || plain.pearson_r.is_none() {
        return text;
    }
    match slope_ci {
        Some((lo, hi)) if lo > 0.0 || hi < 0.0 => text.push_str(&format!(
            " The noise-aware slope's {ci}% interval excludes zero, so a link this strong would \
             rarely appear by chance; it shows that the two move together, not that one causes \
             the other."
        )),
        Some(_) => text.push_str(&format!(
            " The noise-aware slope's {ci}% interval includes zero: the data cannot tell this \
             apart from no link."
        )),
        None => {}
    }
    text.push_str(&format!(
        " The slope allows for each point's standard errors (York fit); the plain \
         least-squares slope is {}.",
        plain
            .slope
            .map_or_else(|| "undefined".to_owned(), crate::format::number)
    ));
    text
}

/// The usable points: coordinates and squared standard errors.
struct Points {
    xs: Vec<f64>,
    ys: Vec<f64>,
    vx: Vec<f64>,
    vy: Vec<f64>,
}

/// Errors when y or a standard-error column does not have one value per x.
fn check_lengths(
    x: &[f64],
    y: &[f64],
    x_se: Option<&[f64]>,
    y_se: Option<&[f64]>,
) -> Result<(), AnalysisError> {
    let n_in = x.len();
    if y.len() != n_in {
        return Err(AnalysisError::BadInput(format!(
            "x has {n_in} values but y has {}",
            y.len()
        )));
    }
    for (name, se) in [("x", x_se), ("y", y_se)] {
        if let Some(se) = se
            && se.len() != n_in
        {
            return Err(AnalysisError::BadInput(format!(
                "the standard errors of {name} have {} values but there are {n_in} points",
                se.len()
            )));
        }
    }
    Ok(())
}

/// Keeps the points whose x and y are finite (a warning counts those left out); errors on a bad
/// standard error (naming the 1-based point) and when fewer than 3 points remain.
fn usable_points(
    x: &[f64],
    y: &[f64],
    x_se: Option<&[f64]>,
    y_se: Option<&[f64]>,
) -> Result<(Points, Vec<String>), AnalysisError> {
    let n_in = x.len();
    let se_at = |se: Option<&[f64]>, i: usize| se.and_then(|s| s.get(i).copied()).unwrap_or(0.0);

    let mut warnings = Vec::new();
    let mut xs = Vec::with_capacity(n_in);
    let mut ys = Vec::with_capacity(n_in);
    let mut vx = Vec::with_capacity(n_in);
    let mut vy = Vec::with_capacity(n_in);
    let mut dropped = 0usize;
    for i in 0..n_in {
        let (xi, yi) = (x[i], y[i]);
        if !xi.is_finite() || !yi.is_finite() {
            dropped += 1;
            continue;
        }
        let (sx, sy) = (se_at(x_se, i), se_at(y_se, i));
        for (name, s) in [("x", sx), ("y", sy)] {
            if !s.is_finite() {
                return Err(AnalysisError::BadInput(format!(
                    "point {}: the standard error of {name} must be a number, not {s}",
                    i + 1
                )));
            }
            if s < 0.0 {
                return Err(AnalysisError::BadInput(format!(
                    "point {}: the standard error of {name} is negative ({s}); a standard error \
                     is zero or more",
                    i + 1
                )));
            }
        }
        if sx == 0.0 && sy == 0.0 {
            return Err(AnalysisError::BadInput(format!(
                "point {}: both standard errors are zero; the York fit needs every point to have \
                 some measurement noise in x or in y",
                i + 1
            )));
        }
        xs.push(xi);
        ys.push(yi);
        vx.push(sx * sx);
        vy.push(sy * sy);
    }
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} point{} with a missing, NaN or infinite x or y {} left out.",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    let n = xs.len();
    if n < 3 {
        return Err(AnalysisError::BadInput(format!(
            "the noise-aware (York) fit needs at least 3 points, but {n} {} usable",
            if n == 1 { "is" } else { "are" }
        )));
    }
    Ok((Points { xs, ys, vx, vy }, warnings))
}

/// Iterates the slope from `start` until it settles: (slope, iterations, converged).
fn iterate_slope(points: &Points, start: f64) -> Result<(f64, u32, bool), AnalysisError> {
    let Points { xs, ys, vx, vy } = points;
    let mut b = start;
    let mut iterations = 0u32;
    let mut converged = false;
    for _ in 0..YORK_MAX_ITERATIONS {
        iterations += 1;
        let step = york_step(xs, ys, vx, vy, b);
        let next = step.next_slope;
        if !next.is_finite() {
            return Err(AnalysisError::BadInput(
                "the York iteration broke down (the weighted spread of x vanished)".to_owned(),
            ));
        }
        let change = (next - b).abs();
        b = next;
        if change <= YORK_TOLERANCE * b.abs() {
            converged = true;
            break;
        }
    }
    Ok((b, iterations, converged))
}

/// The slope, intercept, standard error, interval and MSWD at the final slope `b`; the other
/// fields are left at their defaults.
fn final_fit(points: &Points, b: f64, alpha: f64, warnings: &mut Vec<String>) -> YorkFit {
    let Points { xs, ys, vx, vy } = points;
    let n = xs.len();
    let nf = n as f64;
    let step = york_step(xs, ys, vx, vy, b);
    let a = step.mean_y - b * step.mean_x;
    let sum_w = step.sum_w;
    let x_fit: Vec<f64> = step.beta.iter().map(|be| step.mean_x + be).collect();
    let x_fit_mean: f64 = step.w.iter().zip(&x_fit).map(|(w, v)| w * v).sum::<f64>() / sum_w;
    let spread: f64 = step
        .w
        .iter()
        .zip(&x_fit)
        .map(|(w, v)| w * (v - x_fit_mean).powi(2))
        .sum();
    let s: f64 = (0..n)
        .map(|i| step.w[i] * (ys[i] - b * xs[i] - a).powi(2))
        .sum();
    let mswd = s / (nf - 2.0);
    let sigma_b = (1.0 / spread).sqrt();
    let slope_se = sigma_b * mswd.max(1.0).sqrt();

    let mut fit = YorkFit {
        method: "york".to_owned(),
        n: n as u64,
        slope: finite(b),
        intercept: finite(a),
        slope_se: finite(slope_se),
        mswd: finite(mswd),
        ..YorkFit::default()
    };
    if slope_se.is_finite()
        && let Some(q) = dist::t_two_sided(alpha, nf - 2.0)
    {
        fit.slope_ci_low = finite(b - q * slope_se);
        fit.slope_ci_high = finite(b + q * slope_se);
    } else {
        warnings.push(
            "The spread of the fitted x values is zero, so the slope's standard error and \
             interval are undefined."
                .to_owned(),
        );
    }
    fit
}

/// One evaluation of the York quantities at slope `b`.
struct YorkStep {
    w: Vec<f64>,
    beta: Vec<f64>,
    sum_w: f64,
    mean_x: f64,
    mean_y: f64,
    next_slope: f64,
}

fn york_step(xs: &[f64], ys: &[f64], vx: &[f64], vy: &[f64], b: f64) -> YorkStep {
    let b2 = b * b;
    let w: Vec<f64> = vx
        .iter()
        .zip(vy)
        .map(|(sx2, sy2)| 1.0 / (sy2 + b2 * sx2))
        .collect();
    let sum_w: f64 = w.iter().sum();
    let mean_x = w.iter().zip(xs).map(|(w, v)| w * v).sum::<f64>() / sum_w;
    let mean_y = w.iter().zip(ys).map(|(w, v)| w * v).sum::<f64>() / sum_w;
    let mut beta = Vec::with_capacity(xs.len());
    let mut num = 0.0;
    let mut den = 0.0;
    for i in 0..xs.len() {
        let u = xs[i] - mean_x;
        let v = ys[i] - mean_y;
        let be = w[i] * (u * vy[i] + b * v * vx[i]);
        num += w[i] * be * v;
        den += w[i] * be * u;
        beta.push(be);
    }
    YorkStep {
        w,
        beta,
        sum_w,
        mean_x,
        mean_y,
        next_slope: num / den,
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pearson's data with York's weights (York 1966; York et al. 2004, table I).
    fn pearson_york() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let x = vec![0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4];
        let y = vec![5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5];
        let wx = [
            1000.0, 1000.0, 500.0, 800.0, 200.0, 80.0, 60.0, 20.0, 1.8, 1.0,
        ];
        let wy = [1.0, 1.8, 4.0, 8.0, 20.0, 20.0, 70.0, 70.0, 100.0, 500.0];
        let sx = wx.iter().map(|w: &f64| 1.0 / w.sqrt()).collect();
        let sy = wy.iter().map(|w: &f64| 1.0 / w.sqrt()).collect();
        (x, y, sx, sy)
    }

    #[test]
    fn pearson_york_benchmark() {
        let (x, y, sx, sy) = pearson_york();
        let fit = york_fit(&x, &y, Some(&sx), Some(&sy), 0.05).unwrap();
        // Published: b = −0.480533, a = 5.479910, σ_b = 0.057985 (York et al. 2004, §4).
        assert!((fit.slope.unwrap() + 0.480_533).abs() < 1e-6, "{fit:?}");
        assert!((fit.intercept.unwrap() - 5.479_910).abs() < 1e-6, "{fit:?}");
        let sigma_b = fit.slope_se.unwrap() / fit.mswd.unwrap().max(1.0).sqrt();
        assert!((sigma_b - 0.057_985).abs() < 1e-6, "{sigma_b}");
        assert!(fit.converged);
        assert_eq!(fit.method, "york");
    }

    #[test]
    fn without_x_noise_the_fit_is_weighted_least_squares() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.1, 1.9, 3.2, 3.9, 5.1];
        let sy = [0.1; 5];
        let fit = york_fit(&x, &y, None, Some(&sy), 0.05).unwrap();
        // Equal weights and no noise in x: the OLS line.
        assert!((fit.slope.unwrap() - fit.ols_slope.unwrap()).abs() < 1e-12);
        assert_eq!(fit.reliability_x, Some(1.0));
        assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    }

    #[test]
    fn noisy_x_warns_about_reliability() {
        let x = [0.1, -0.2, 0.3, 0.0, 0.25, -0.1];
        let y = [0.2, -0.35, 0.5, 0.05, 0.4, -0.2];
        let sx = [0.15; 6];
        let sy = [0.05; 6];
        let fit = york_fit(&x, &y, Some(&sx), Some(&sy), 0.05).unwrap();
        assert!(fit.reliability_x.unwrap() < 0.8);
        assert!(fit.warnings.iter().any(|w| w.contains("understates")));
        assert!(fit.slope.unwrap().abs() > fit.ols_slope.unwrap().abs());
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let x = [1.0, 2.0, 3.0];
        let y = [1.0, 2.5, 2.9];
        let neg = york_fit(&x, &y, Some(&[0.1, -0.1, 0.1]), Some(&[0.1; 3]), 0.05);
        assert!(neg.unwrap_err().to_string().contains("point 2"));
        let both_zero = york_fit(&x, &y, Some(&[0.1, 0.0, 0.1]), Some(&[0.1, 0.0, 0.1]), 0.05);
        assert!(
            both_zero
                .unwrap_err()
                .to_string()
                .contains("both standard errors are zero")
        );
        let none = york_fit(&x, &y, None, None, 0.05);
        assert!(none.is_err());
        let nan_se = york_fit(&x, &y, Some(&[0.1, f64::NAN, 0.1]), None, 0.05);
        assert!(nan_se.is_err());
        let two = york_fit(&x[..2], &y[..2], None, Some(&[0.1, 0.1]), 0.05);
        assert!(two.unwrap_err().to_string().contains("at least 3"));
        let flat = york_fit(
            &[2.0; 4],
            &[1.0, 2.0, 3.0, 4.0],
            None,
            Some(&[0.1; 4]),
            0.05,
        );
        assert!(flat.unwrap_err().to_string().contains("same value"));
        let short = york_fit(&x, &y, Some(&[0.1]), None, 0.05);
        assert!(short.is_err());
        assert!(york_fit(&x, &y, None, Some(&[0.1; 3]), 1.5).is_err());
        assert!(york_fit(&[], &[], None, None, 0.05).is_err());
    }

    #[test]
    fn the_iteration_settles_on_many_random_sets() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..300 {
            let n = 3 + case % 40;
            let slope = (uniform() - 0.5) * 10.0;
            let mut x = Vec::new();
            let mut y = Vec::new();
            let mut sx = Vec::new();
            let mut sy = Vec::new();
            for _ in 0..n {
                let t = uniform() - 0.5;
                let ex = 0.01 + uniform() * 0.3;
                let ey = 0.01 + uniform() * 0.3;
                x.push(t + ex * (uniform() - 0.5));
                y.push(slope * t + ey * (uniform() - 0.5));
                sx.push(ex);
                sy.push(ey);
            }
            let fit = york_fit(&x, &y, Some(&sx), Some(&sy), 0.05).unwrap();
            assert!(fit.converged, "case {case}: {:?}", fit);
            assert!(fit.slope.is_some() && fit.slope_se.is_some());
        }
    }

    #[test]
    fn missing_points_are_left_out_with_a_warning() {
        let x = [1.0, 2.0, f64::NAN, 3.0, 4.0];
        let y = [1.0, 2.1, 5.0, 2.9, 4.2];
        let fit = york_fit(&x, &y, None, Some(&[0.1; 5]), 0.05).unwrap();
        assert_eq!(fit.n, 4);
        assert!(fit.warnings.iter().any(|w| w.contains("left out")));
    }
}
