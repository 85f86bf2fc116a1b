//! Tail probabilities and quantiles of the normal, Student t and χ² distributions.
//!
//! statrs supplies the χ² tail and the starting points of the quantile searches. The t and normal
//! functions are computed here because statrs 0.19 loses accuracy where experiments live: its t
//! quantile is off by 3·10⁻³ (relative) at 4 million degrees of freedom, and its incomplete beta
//! stops after 140 iterations. Here the two-sided t tail is the regularised incomplete beta
//! I_x(ν/2, ½) by Lentz's continued fraction with logarithms formed by `ln_1p` and a log-beta
//! that keeps its precision for large arguments; quantiles are refined by safeguarded Newton
//! steps on the accurate tails. Agreement with scipy is checked to 10⁻¹² in the unit tests.
//!
//! Every function returns `None` (never NaN) when its inputs are outside the domain.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|).
pub fn normal_two_sided_p(z: f64) -> Option<f64> {
    if z.is_nan() {
        return None;
    }
    Some(libm::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// Upper tail of the standard normal: P(Z ≥ z).
pub fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z - LN_SQRT_2PI).exp()
}

/// The quantile of the standard normal: z with P(Z ≤ z) = p, for 0 < p < 1.
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if p > 0.5 {
        return upper_normal_quantile(1.0 - p);
    }
    upper_normal_quantile(p).map(|z| -z)
}

/// z with P(Z ≥ z) = q, for 0 < q ≤ ½ (so z ≥ 0).
fn upper_normal_quantile(q: f64) -> Option<f64> {
    if q == 0.5 {
        return Some(0.0);
    }
    let standard = Normal::standard();
    let mut z = -standard.inverse_cdf(q);
    if !z.is_finite() {
        return None;
    }
    // statrs's start is good to about 1e-10; two Newton steps reach full precision.
    for _ in 0..3 {
        let density = normal_pdf(z);
        if density <= 0.0 {
            break;
        }
        let step = (normal_sf(z) - q) / density;
        z += step;
        if step.abs() <= 1e-16 * z.abs() {
            break;
        }
    }
    z.is_finite().then_some(z)
}

/// The upper quantile used by two-sided intervals: z(1 − α/2).
pub fn z_two_sided(alpha: f64) -> Option<f64> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    upper_normal_quantile(alpha / 2.0)
}

/// Two-sided p-value of a Student t statistic with `df` degrees of freedom: P(|T| ≥ |t|).
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return None;
    }
    if df.is_infinite() {
        return normal_two_sided_p(t);
    }
    let t = t.abs();
    if t == 0.0 {
        return Some(1.0);
    }
    if t.is_infinite() {
        return Some(0.0);
    }
    if df <= 30.0 || t * t > df {
        // p = I_x(ν/2, ½) with x = ν/(ν+t²) = 1/(1+u), 1 − x = u/(1+u), u = t²/ν. Lentz's
        // continued fraction is accurate here; for many degrees of freedom and moderate t it
        // needs many steps that each cancel digits, so those go to the quadrature below.
        let u = (t / df.sqrt()).powi(2);
        if u.is_infinite() {
            return Some(0.0);
        }
        let ln_1pu = u.ln_1p();
        let ln_x = -ln_1pu;
        let ln_y = u.ln() - ln_1pu;
        let x = 1.0 / (1.0 + u);
        let y = u / (1.0 + u);
        let p = beta_inc_logs(df / 2.0, 0.5, x, y, ln_x, ln_y)?;
        return Some(p.clamp(0.0, 1.0));
    }
    let p = 2.0 * t_upper_tail_quadrature(t, df)?;
    Some(p.clamp(0.0, 1.0))
}

/// P(T ≥ t) for t ≥ 0 by double-exponential (exp-sinh) quadrature of the density over
/// [t, ∞): the trapezoid rule in τ after s = t + exp(π/2·sinh τ), halving the step until two
/// estimates agree to 10⁻¹⁵. Every term is positive, so the sum loses no digits.
fn t_upper_tail_quadrature(t: f64, df: f64) -> Option<f64> {
    let ln_c = -ln_beta(df / 2.0, 0.5) - 0.5 * df.ln();
    let sqrt_df = df.sqrt();
    let half_power = 0.5 * (df + 1.0);
    let density = |s: f64| (ln_c - half_power * (s / sqrt_df).powi(2).ln_1p()).exp();
    let half_pi = std::f64::consts::FRAC_PI_2;
    let term = |tau: f64| {
        let x = (half_pi * tau.sinh()).exp();
        let w = x * half_pi * tau.cosh();
        let v = density(t + x) * w;
        if v.is_finite() { v } else { 0.0 }
    };
    // Sum over τ = k·h in both directions until the terms stop mattering.
    let sum_side = |h: f64, start: usize, step: usize, sign: f64, total: f64| {
        let mut acc = 0.0;
        let mut k = start;
        loop {
            let tau = sign * k as f64 * h;
            if tau.abs() > 6.5 {
                break;
            }
            let v = term(tau);
            acc += v;
            if v < 1e-19 * (total + acc) && tau.abs() > 1.0 {
                break;
            }
            k += step;
        }
        acc
    };
    let mut h = 0.5;
    let mut sum = term(0.0);
    sum += sum_side(h, 1, 1, 1.0, sum);
    sum += sum_side(h, 1, 1, -1.0, sum);
    let mut estimate = sum * h;
    for _ in 0..12 {
        h *= 0.5;
        // The new points are the odd multiples of the halved step.
        let mut odd = sum_side(h, 1, 2, 1.0, sum);
        odd += sum_side(h, 1, 2, -1.0, sum + odd);
        sum += odd;
        let next = sum * h;
        if (next - estimate).abs() <= 1e-15 * next {
            return next.is_finite().then_some(next);
        }
        estimate = next;
    }
    estimate.is_finite().then_some(estimate)
}

/// The t quantile used by two-sided intervals: t(1 − α/2, df).
pub fn t_two_sided(alpha: f64, df: f64) -> Option<f64> {
    if !(alpha > 0.0 && alpha < 1.0) || df.is_nan() || df <= 0.0 {
        return None;
    }
    if df.is_infinite() || df > 1e15 {
        return z_two_sided(alpha);
    }
    // Solve p(t) = α where p is the two-sided tail, by Newton steps on ln p, kept inside a
    // bracket [lo, hi] with p(lo) > α > p(hi) and bisection when a step leaves it.
    let target = alpha.ln();
    let mut t = start_t_quantile(alpha, df);
    let mut lo = 0.0_f64;
    let mut hi = f64::INFINITY;
    for _ in 0..400 {
        let p = t_two_sided_p(t, df)?;
        if p == 0.0 {
            hi = hi.min(t);
            t = 0.5 * (lo + t);
            continue;
        }
        let g = p.ln() - target;
        if g == 0.0 {
            return Some(t);
        }
        if g > 0.0 {
            lo = lo.max(t);
        } else {
            hi = hi.min(t);
        }
        // d ln p / dt = −2 f(t) / p.
        let slope = -2.0 * t_pdf(t, df)? / p;
        let mut next = if slope < 0.0 { t - g / slope } else { f64::NAN };
        if !(next > lo && next < hi) {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * t.max(1.0)
            };
        }
        if (next - t).abs() <= 2.0 * f64::EPSILON * t.abs() {
            return Some(next);
        }
        t = next;
    }
    t.is_finite().then_some(t)
}

fn start_t_quantile(alpha: f64, df: f64) -> f64 {
    let z = upper_normal_quantile(alpha / 2.0).unwrap_or(1.0).max(1e-3);
    if df > 100.0 {
        // Cornish–Fisher expansion around the normal quantile.
        let z3 = z * z * z;
        let z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df);
    }
    let guess = StudentsT::new(0.0, 1.0, df)
        .ok()
        .map(|d| d.inverse_cdf(1.0 - alpha / 2.0));
    match guess {
        Some(g) if g.is_finite() && g > 0.0 => g,
        _ => z,
    }
}

/// Density of Student's t with `df` degrees of freedom.
fn t_pdf(t: f64, df: f64) -> Option<f64> {
    let u = (t / df.sqrt()).powi(2);
    let log = -ln_beta(df / 2.0, 0.5) - 0.5 * df.ln() - 0.5 * (df + 1.0) * u.ln_1p();
    let value = log.exp();
    value.is_finite().then_some(value)
}

/// Upper tail of χ² with `df` degrees of freedom: P(X ≥ x).
pub fn chi2_sf(x: f64, df: f64) -> Option<f64> {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    let dist = ChiSquared::new(df).ok()?;
    let p = dist.sf(x);
    p.is_finite().then_some(p.clamp(0.0, 1.0))
}

/// ln B(a, b), accurate also when one or both arguments are large (after R's `lbeta`).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    let p = a.min(b);
    let q = a.max(b);
    if p >= 10.0 {
        let corr = ln_gamma_correction(p) + ln_gamma_correction(q) - ln_gamma_correction(p + q);
        -0.5 * q.ln()
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * (p / (p + q)).ln()
            + q * (-p / (p + q)).ln_1p()
    } else if q >= 10.0 {
        let corr = ln_gamma_correction(q) - ln_gamma_correction(p + q);
        libm::lgamma(p) + corr + p - p * (p + q).ln() + (q - 0.5) * (-p / (p + q)).ln_1p()
    } else {
        (libm::tgamma(p) * (libm::tgamma(q) / libm::tgamma(p + q))).ln()
    }
}

/// The remainder of Stirling's formula, ln Γ(x) − [(x − ½) ln x − x + ln √(2π)], for x ≥ 10.
fn ln_gamma_correction(x: f64) -> f64 {
    // Bernoulli-number series; at x = 10 the first omitted term is below 2e-18.
    const C: [f64; 8] = [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360_360.0,
        1.0 / 156.0,
        -3617.0 / 122_400.0,
    ];
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let mut sum = 0.0;
    for c in C.iter().rev() {
        sum = sum * inv2 + c;
    }
    sum * inv
}

/// The regularised incomplete beta I_x(a, b), given x, y = 1 − x and their logarithms (so the
/// caller can form them without cancellation).
fn beta_inc_logs(a: f64, b: f64, x: f64, y: f64, ln_x: f64, ln_y: f64) -> Option<f64> {
    if x <= 0.0 {
        return Some(0.0);
    }
    if y <= 0.0 {
        return Some(1.0);
    }
    let lbeta = ln_beta(a, b);
    if x < (a + 1.0) / (a + b + 2.0) {
        let front = (a * ln_x + b * ln_y - lbeta).exp();
        Some(front * beta_continued_fraction(a, b, x)? / a)
    } else {
        let front = (b * ln_y + a * ln_x - lbeta).exp();
        Some(1.0 - front * beta_continued_fraction(b, a, y)? / b)
    }
}

/// The continued fraction of the incomplete beta (modified Lentz).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    let max_iter = 1000 + 20 * (a.max(b).sqrt() as usize).min(1_000_000);
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_iter {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= 1e-16 {
            return h.is_finite().then_some(h);
        }
    }
    h.is_finite().then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn domain_errors_give_none() {
        assert_eq!(t_two_sided_p(f64::NAN, 3.0), None);
        assert_eq!(t_two_sided_p(1.0, 0.0), None);
        assert_eq!(t_two_sided(0.0, 3.0), None);
        assert_eq!(t_two_sided(1.0, 3.0), None);
        assert_eq!(z_two_sided(f64::NAN), None);
        assert_eq!(normal_quantile(1.0), None);
        assert_eq!(chi2_sf(1.0, 0.0), None);
        assert_eq!(t_two_sided_p(0.0, 5.0), Some(1.0));
        assert_eq!(t_two_sided_p(f64::INFINITY, 5.0), Some(0.0));
    }

    #[test]
    fn known_values() {
        assert!(close(
            z_two_sided(0.05).unwrap(),
            1.959_963_984_540_054,
            1e-15
        ));
        assert!(close(
            normal_quantile(0.8).unwrap(),
            0.841_621_233_572_914_2,
            1e-14
        ));
        // Cauchy: t(0.975, 1) = tan(0.475π).
        let cauchy = (0.475 * std::f64::consts::PI).tan();
        assert!(close(t_two_sided(0.05, 1.0).unwrap(), cauchy, 1e-13));
        assert!(close(t_two_sided_p(1.0, 1.0).unwrap(), 0.5, 1e-14));
    }
}
