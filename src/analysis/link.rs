//! The link between an ML metric (x) and a business metric (y): correlation and a least-squares
//! line (CONTRACT.md, `throughline link`).

use super::dist;
use super::verdict::{self, LinkFacts};
use super::{AnalysisError, LinkResult};
use crate::analysis::experiment::check_alpha;

/// Relates `x` (an ML metric) to `y` (a business metric), pair by pair. Pairs where either value
/// is NaN or infinite are left out with a warning. `x_name`/`y_name` are used in the verdict.
pub fn analyze_link(
    x: &[f64],
    y: &[f64],
    alpha: f64,
    x_name: &str,
    y_name: &str,
) -> Result<LinkResult, AnalysisError> {
    check_alpha(alpha)?;
    if x.len() != y.len() {
        return Err(AnalysisError::BadInput(format!(
            "{x_name} has {} values but {y_name} has {}",
            x.len(),
            y.len()
        )));
    }
    let mut warnings = Vec::new();
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let dropped = x.len() - xs.len();
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} row{} with a missing, NaN or infinite {x_name} or {y_name} {} left out.",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    let n = xs.len();
    let mut out = LinkResult {
        n: n as u64,
        ..LinkResult::default()
    };
    let nf = n as f64;
    let moments = Moments::of(&xs, &ys);
    let x_sd = if n >= 2 {
        Some((moments.sxx / (nf - 1.0)).sqrt())
    } else {
        None
    };

    if n < 3 {
        warnings.push(format!(
            "Only {n} usable point{}: at least 3 are needed for a correlation test and an \
             interval for the slope.",
            if n == 1 { "" } else { "s" }
        ));
    }

    let pairs = Pairs {
        xs: &xs,
        ys: &ys,
        moments: &moments,
        alpha,
    };
    least_squares(&pairs, x_name, &mut out, &mut warnings);
    pearson(&pairs, y_name, &mut out, &mut warnings);
    spearman(&pairs, &mut out);

    out.verdict = verdict::link_verdict(&LinkFacts {
        x: x_name,
        y: y_name,
        n: out.n,
        r: out.pearson_r,
        r_ci: pair(out.pearson_ci_low, out.pearson_ci_high),
        p: out.pearson_p,
        slope: out.slope,
        slope_ci: pair(out.slope_ci_low, out.slope_ci_high),
        x_step: x_sd.and_then(verdict::round_step),
        alpha,
    });
    out.warnings = warnings;
    Ok(out)
}

/// The usable pairs of a link (both values finite) and their moments: what every figure of
/// [`analyze_link`] is computed from.
struct Pairs<'a> {
    xs: &'a [f64],
    ys: &'a [f64],
    moments: &'a Moments,
    alpha: f64,
}

/// The least-squares line (defined from two points on, when x varies), its slope's standard
/// error and interval, and R².
fn least_squares(p: &Pairs<'_>, x_name: &str, out: &mut LinkResult, warnings: &mut Vec<String>) {
    let (xs, ys, moments, alpha) = (p.xs, p.ys, p.moments, p.alpha);
    let n = xs.len();
    let nf = n as f64;
    if n >= 2 && moments.sxx > 0.0 {
        let slope = moments.sxy / moments.sxx;
        let intercept = moments.mean_y - slope * moments.mean_x;
        out.slope = finite(slope);
        out.intercept = finite(intercept);
        if n >= 3 {
            // Residuals from centred values: with x near 1e8 the intercept is huge and
            // `y − intercept − slope·x` would lose most of its digits to cancellation.
            let ssr: f64 = xs
                .iter()
                .zip(ys)
                .map(|(a, b)| {
                    let r = (b - moments.mean_y) - slope * (a - moments.mean_x);
                    r * r
                })
                .sum();
            let s2 = ssr / (nf - 2.0);
            let se = (s2 / moments.sxx).sqrt();
            out.slope_se = finite(se);
            if se > 0.0
                && let Some(q) = dist::t_two_sided(alpha, nf - 2.0)
            {
                out.slope_ci_low = finite(slope - q * se);
                out.slope_ci_high = finite(slope + q * se);
            }
            if moments.syy > 0.0 {
                out.r_squared = finite(1.0 - ssr / moments.syy);
            }
        }
    } else if n >= 2 {
        warnings.push(format!(
            "{x_name} has the same value at every point, so no line can be fitted."
        ));
    }
}

/// Pearson's correlation, its p-value and (Fisher z) interval.
fn pearson(p: &Pairs<'_>, y_name: &str, out: &mut LinkResult, warnings: &mut Vec<String>) {
    let (moments, alpha) = (p.moments, p.alpha);
    let n = p.xs.len();
    let nf = n as f64;
    if n >= 2 && moments.sxx > 0.0 && moments.syy > 0.0 {
        let r = moments.correlation();
        out.pearson_r = Some(r);
        if n >= 3 {
            out.pearson_p = correlation_p(r, nf - 2.0);
        }
        if n >= 4 {
            if let Some(z) = dist::z_two_sided(alpha) {
                let centre = r.atanh();
                let half = z / (nf - 3.0).sqrt();
                out.pearson_ci_low = finite((centre - half).tanh());
                out.pearson_ci_high = finite((centre + half).tanh());
            }
        } else if n == 3 {
            warnings.push(
                "With 3 points the interval for the correlation is undefined (it needs at least 4)."
                    .to_owned(),
            );
        }
        if r.abs() == 1.0 {
            warnings.push("The points lie exactly on a straight line.".to_owned());
        }
    } else if n >= 2 && moments.syy == 0.0 {
        warnings.push(format!(
            "{y_name} has the same value at every point, so no correlation can be measured."
        ));
    }
}

/// Spearman's rank correlation: Pearson on average ranks.
fn spearman(p: &Pairs<'_>, out: &mut LinkResult) {
    let (xs, ys) = (p.xs, p.ys);
    let n = xs.len();
    let nf = n as f64;
    if n >= 2 {
        let rx = average_ranks(xs);
        let ry = average_ranks(ys);
        let rank_moments = Moments::of(&rx, &ry);
        if rank_moments.sxx > 0.0 && rank_moments.syy > 0.0 {
            let rho = rank_moments.correlation();
            out.spearman_rho = Some(rho);
            if n >= 3 {
                out.spearman_p = correlation_p(rho, nf - 2.0);
            }
        }
    }
}

/// A fitted least-squares line with what its confidence and prediction bands need, for the
/// scatter plot of the Evidence view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineFit {
    pub n: u64,
    pub slope: f64,
    pub intercept: f64,
    pub mean_x: f64,
    /// Σ(x − x̄)².
    pub sxx: f64,
    /// Residual standard deviation, √(SSR / (n − 2)).
    pub residual_sd: f64,
    /// t(1 − α/2, n − 2).
    pub t: f64,
}

/// One point of the fitted line with its bands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandPoint {
    pub x: f64,
    pub fit: f64,
    /// Confidence band of the mean of y at x (where the line itself plausibly lies).
    pub mean_low: f64,
    pub mean_high: f64,
    /// Prediction band of a single new y at x (where a new point plausibly falls).
    pub predict_low: f64,
    pub predict_high: f64,
}

impl LineFit {
    /// The fit of the finite pairs of `x` and `y`; `None` with fewer than 3 pairs or when x
    /// does not vary.
    pub fn new(x: &[f64], y: &[f64], alpha: f64) -> Option<Self> {
        let (xs, ys): (Vec<f64>, Vec<f64>) = x
            .iter()
            .zip(y)
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| (*a, *b))
            .unzip();
        let n = xs.len();
        if n < 3 {
            return None;
        }
        let m = Moments::of(&xs, &ys);
        if m.sxx <= 0.0 {
            return None;
        }
        let slope = m.sxy / m.sxx;
        let intercept = m.mean_y - slope * m.mean_x;
        let ssr: f64 = xs
            .iter()
            .zip(&ys)
            .map(|(a, b)| ((b - m.mean_y) - slope * (a - m.mean_x)).powi(2))
            .sum();
        let t = dist::t_two_sided(alpha, (n - 2) as f64)?;
        let fit = Self {
            n: n as u64,
            slope,
            intercept,
            mean_x: m.mean_x,
            sxx: m.sxx,
            residual_sd: (ssr / (n - 2) as f64).sqrt(),
            t,
        };
        [fit.slope, fit.intercept, fit.residual_sd]
            .iter()
            .all(|v| v.is_finite())
            .then_some(fit)
    }

    /// The line and its bands at `x`.
    pub fn at(&self, x: f64) -> BandPoint {
        let fit = self.intercept + self.slope * x;
        let leverage = 1.0 / self.n as f64 + (x - self.mean_x).powi(2) / self.sxx;
        let mean_half = self.t * self.residual_sd * leverage.sqrt();
        let predict_half = self.t * self.residual_sd * (1.0 + leverage).sqrt();
        BandPoint {
            x,
            fit,
            mean_low: fit - mean_half,
            mean_high: fit + mean_half,
            predict_low: fit - predict_half,
            predict_high: fit + predict_half,
        }
    }

    /// `points` evenly spaced points of the line and its bands from `from` to `to`.
    pub fn band(&self, from: f64, to: f64, points: usize) -> Vec<BandPoint> {
        let steps = points.max(2) - 1;
        (0..=steps)
            .map(|i| self.at(from + (to - from) * i as f64 / steps as f64))
            .collect()
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn pair(a: Option<f64>, b: Option<f64>) -> Option<(f64, f64)> {
    Some((a?, b?))
}

/// Two-sided p-value of a correlation by the t-test with `df` degrees of freedom.
fn correlation_p(r: f64, df: f64) -> Option<f64> {
    if df.is_nan() || df <= 0.0 {
        return None;
    }
    let one_minus_r2 = (1.0 - r) * (1.0 + r);
    if one_minus_r2 <= 0.0 {
        return Some(0.0);
    }
    let t = r * (df / one_minus_r2).sqrt();
    dist::t_two_sided_p(t, df)
}

/// Means and centred sums of squares and products, by two passes.
struct Moments {
    mean_x: f64,
    mean_y: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
}

impl Moments {
    fn correlation(&self) -> f64 {
        let product = self.sxx * self.syy;
        let norm = if product.is_finite() && product > 0.0 {
            product.sqrt()
        } else {
            self.sxx.sqrt() * self.syy.sqrt()
        };
        (self.sxy / norm).clamp(-1.0, 1.0)
    }

    fn of(x: &[f64], y: &[f64]) -> Self {
        let n = x.len().max(1) as f64;
        let mean_x = x.iter().sum::<f64>() / n;
        let mean_y = y.iter().sum::<f64>() / n;
        // A second pass corrects the means for rounding in the first.
        let mean_x = mean_x + x.iter().map(|v| v - mean_x).sum::<f64>() / n;
        let mean_y = mean_y + y.iter().map(|v| v - mean_y).sum::<f64>() / n;
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for (a, b) in x.iter().zip(y) {
            let dx = a - mean_x;
            let dy = b - mean_y;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        Self {
            mean_x,
            mean_y,
            sxx,
            syy,
            sxy,
        }
    }
}

/// Ranks 1..n, ties sharing the average of their ranks.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        let va = values.get(a).copied().unwrap_or(0.0);
        let vb = values.get(b).copied().unwrap_or(0.0);
        va.total_cmp(&vb)
    });
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value_at = |k: usize| order.get(k).and_then(|&i| values.get(i)).copied();
        let mut end = start + 1;
        while end < order.len() && value_at(end) == value_at(start) {
            end += 1;
        }
        // Positions start..end (0-based) share the rank (start + 1 + end) / 2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for k in start..end {
            if let Some(&i) = order.get(k)
                && let Some(slot) = ranks.get_mut(i)
            {
                *slot = rank;
            }
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]),
            vec![1.5, 4.0, 1.5, 6.0, 4.0, 4.0]
        );
    }

    #[test]
    fn perfect_line() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [3.0, 5.0, 7.0, 9.0, 11.0];
        let r = analyze_link(&x, &y, 0.05, "x", "y").unwrap();
        assert!((r.pearson_r.unwrap() - 1.0).abs() < 1e-15);
        assert!(r.pearson_p.unwrap() < 1e-12);
        assert!((r.slope.unwrap() - 2.0).abs() < 1e-15);
        assert!((r.intercept.unwrap() - 1.0).abs() < 1e-14);
        assert_eq!(r.spearman_rho, Some(1.0));
    }

    #[test]
    fn a_shift_of_x_leaves_the_slope_and_its_error_alone() {
        // The same points with x near 1e8: the slope's standard error keeps its digits
        // (residuals are computed from centred values, not from a huge intercept).
        // x in steps of 1/8 (exact near 1e8 too), so both sets hold the very same points.
        let x: Vec<f64> = (0..30).map(|i| f64::from((i * 37) % 23) / 8.0).collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, v)| 2.5 * v + (i as f64 * 0.9).cos())
            .collect();
        let near: Vec<f64> = x.iter().map(|v| v + 1e8).collect();
        let a = analyze_link(&x, &y, 0.05, "x", "y").unwrap();
        let b = analyze_link(&near, &y, 0.05, "x", "y").unwrap();
        let rel =
            |p: Option<f64>, q: Option<f64>| (p.unwrap() - q.unwrap()).abs() / q.unwrap().abs();
        assert!(rel(b.slope, a.slope) < 1e-10, "{:?} {:?}", b.slope, a.slope);
        assert!(
            rel(b.slope_se, a.slope_se) < 1e-10,
            "{:?} {:?}",
            b.slope_se,
            a.slope_se
        );
        assert!(rel(b.r_squared, a.r_squared) < 1e-10);
        let fa = LineFit::new(&x, &y, 0.05).unwrap();
        let fb = LineFit::new(&near, &y, 0.05).unwrap();
        assert!((fb.residual_sd - fa.residual_sd).abs() / fa.residual_sd < 1e-10);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        for (x, y) in [
            (vec![], vec![]),
            (vec![1.0], vec![2.0]),
            (vec![1.0, 1.0, 1.0], vec![1.0, 2.0, 3.0]),
            (vec![1.0, 2.0, 3.0], vec![5.0, 5.0, 5.0]),
            (vec![1.0, f64::NAN, 3.0], vec![5.0, 6.0, f64::INFINITY]),
        ] {
            let r = analyze_link(&x, &y, 0.05, "x", "y").unwrap();
            assert!(!r.verdict.is_empty());
            for v in [
                r.pearson_r,
                r.pearson_p,
                r.pearson_ci_low,
                r.pearson_ci_high,
                r.spearman_rho,
                r.spearman_p,
                r.slope,
                r.intercept,
                r.slope_se,
                r.slope_ci_low,
                r.slope_ci_high,
                r.r_squared,
            ] {
                assert!(v.is_none_or(f64::is_finite));
            }
        }
        assert!(analyze_link(&[1.0], &[1.0, 2.0], 0.05, "x", "y").is_err());
    }
}
