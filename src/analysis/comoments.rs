//! Joint sufficient statistics of two values per unit (means, sums of squared deviations and the
//! sum of cross-products), built one pair at a time or merged across chunks. CUPED (metric and
//! its pre-experiment covariate) and ratio metrics (numerator and denominator) both rest on it.
//!
//! Precision as in [`super::SufficientStats`]: each mean is held as `shift + mean_dev` with the
//! shift taken from the first pair, deviations accumulate by Welford's update and blocks merge by
//! Chan's formula, so no variance ever comes from the difference of two large sums.

use serde::{Deserialize, Serialize};

/// The summary of `n` pairs (a, b) as a summary-statistics file holds it: their means, sample
/// (n − 1) variances and covariance. For a ratio metric a is the numerator and b the
/// denominator; for CUPED a is the metric and b the covariate.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairSummary {
    pub n: u64,
    pub mean_a: f64,
    pub mean_b: f64,
    pub var_a: f64,
    pub var_b: f64,
    pub cov: f64,
}

impl PairSummary {
    /// The co-moments of these pairs; `None` for non-finite figures or negative variances.
    pub fn co_moments(&self) -> Option<CoMoments> {
        CoMoments::from_moments(
            self.n,
            self.mean_a,
            self.mean_b,
            self.var_a,
            self.var_b,
            self.cov,
        )
    }
}

/// Co-moments of pairs (a, b).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoMoments {
    n: u64,
    shift_a: f64,
    shift_b: f64,
    mean_dev_a: f64,
    mean_dev_b: f64,
    m2_a: f64,
    m2_b: f64,
    c_ab: f64,
}

impl CoMoments {
    /// No pairs yet.
    pub const fn new() -> Self {
        Self {
            n: 0,
            shift_a: 0.0,
            shift_b: 0.0,
            mean_dev_a: 0.0,
            mean_dev_b: 0.0,
            m2_a: 0.0,
            m2_b: 0.0,
            c_ab: 0.0,
        }
    }

    /// Adds one pair; the caller makes sure both values are finite.
    #[inline]
    pub fn push(&mut self, a: f64, b: f64) {
        if self.n == 0 {
            self.shift_a = a;
            self.shift_b = b;
        }
        self.n += 1;
        let nf = self.n as f64;
        let da = a - self.shift_a - self.mean_dev_a;
        let db = b - self.shift_b - self.mean_dev_b;
        self.mean_dev_a += da / nf;
        self.mean_dev_b += db / nf;
        let da_after = a - self.shift_a - self.mean_dev_a;
        let db_after = b - self.shift_b - self.mean_dev_b;
        self.m2_a += da * da_after;
        self.m2_b += db * db_after;
        self.c_ab += da * db_after;
    }

    /// Statistics of `n` pairs given by their means, sample (n − 1) variances and covariance,
    /// as a summary-statistics file holds them. `None` for non-finite or negative variances.
    pub fn from_moments(
        n: u64,
        mean_a: f64,
        mean_b: f64,
        var_a: f64,
        var_b: f64,
        cov_ab: f64,
    ) -> Option<Self> {
        if n == 0 {
            return Some(Self::new());
        }
        let all_finite = [mean_a, mean_b, var_a, var_b, cov_ab]
            .iter()
            .all(|v| v.is_finite());
        if !all_finite || var_a < 0.0 || var_b < 0.0 {
            return None;
        }
        let scale = n.saturating_sub(1) as f64;
        Some(Self {
            n,
            shift_a: mean_a,
            shift_b: mean_b,
            mean_dev_a: 0.0,
            mean_dev_b: 0.0,
            m2_a: var_a * scale,
            m2_b: var_b * scale,
            c_ab: cov_ab * scale,
        })
    }

    /// Adds another block of pairs (Chan's formula).
    pub fn merge(&mut self, other: &Self) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        // Differences of the means, each from its own shift (no large sums cancel).
        let delta_a = (other.shift_a - self.shift_a) + (other.mean_dev_a - self.mean_dev_a);
        let delta_b = (other.shift_b - self.shift_b) + (other.mean_dev_b - self.mean_dev_b);
        let factor = na * nb / n;
        self.m2_a += other.m2_a + delta_a * delta_a * factor;
        self.m2_b += other.m2_b + delta_b * delta_b * factor;
        self.c_ab += other.c_ab + delta_a * delta_b * factor;
        self.mean_dev_a += delta_a * nb / n;
        self.mean_dev_b += delta_b * nb / n;
        self.n += other.n;
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn mean_a(&self) -> Option<f64> {
        (self.n > 0).then_some(self.shift_a + self.mean_dev_a)
    }

    pub fn mean_b(&self) -> Option<f64> {
        (self.n > 0).then_some(self.shift_b + self.mean_dev_b)
    }

    /// Σ(a − ā)².
    pub fn m2_a(&self) -> f64 {
        self.m2_a.max(0.0)
    }

    /// Σ(b − b̄)².
    pub fn m2_b(&self) -> f64 {
        self.m2_b.max(0.0)
    }

    /// Σ(a − ā)(b − b̄).
    pub fn c_ab(&self) -> f64 {
        self.c_ab
    }

    /// Sample (n − 1) variance of a; `None` below two pairs.
    pub fn var_a(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.m2_a() / (self.n - 1) as f64)
    }

    /// Sample (n − 1) variance of b; `None` below two pairs.
    pub fn var_b(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.m2_b() / (self.n - 1) as f64)
    }

    /// Sample (n − 1) covariance of a and b; `None` below two pairs.
    pub fn cov_ab(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.c_ab / (self.n - 1) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    #[test]
    fn push_and_merge_agree_with_two_pass_formulas() {
        let a: Vec<f64> = (0..50).map(|i| 1e9 + (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..50).map(|i| 3.0 + (i as f64 * 0.11).cos()).collect();
        let mut whole = CoMoments::new();
        let mut left = CoMoments::new();
        let mut right = CoMoments::new();
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            whole.push(*x, *y);
            if i < 17 {
                left.push(*x, *y)
            } else {
                right.push(*x, *y)
            }
        }
        left.merge(&right);
        let n = a.len() as f64;
        let ma = a.iter().map(|x| x - 1e9).sum::<f64>() / n + 1e9;
        let mb = b.iter().sum::<f64>() / n;
        let cov: f64 = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - ma) * (y - mb))
            .sum::<f64>()
            / (n - 1.0);
        let var_a: f64 = a.iter().map(|x| (x - ma).powi(2)).sum::<f64>() / (n - 1.0);
        for s in [whole, left] {
            assert!(close(s.mean_b().unwrap(), mb));
            assert!((s.mean_a().unwrap() - ma).abs() < 1e-6);
            assert!(close(s.cov_ab().unwrap(), cov));
            assert!((s.var_a().unwrap() - var_a).abs() < 1e-9 * var_a);
        }
    }

    #[test]
    fn summary_moments_round_trip() {
        let s = CoMoments::from_moments(10, 1.0, 2.0, 4.0, 9.0, -1.5).unwrap();
        assert_eq!(s.var_a(), Some(4.0));
        assert_eq!(s.var_b(), Some(9.0));
        assert_eq!(s.cov_ab(), Some(-1.5));
        assert!(CoMoments::from_moments(10, 1.0, 2.0, -4.0, 9.0, 0.0).is_none());
        assert!(CoMoments::from_moments(10, f64::NAN, 2.0, 4.0, 9.0, 0.0).is_none());
        assert_eq!(CoMoments::new().var_a(), None);
    }
}
